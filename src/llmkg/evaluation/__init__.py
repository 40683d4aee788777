"""Scoring a built graph against a hand-labelled gold standard."""
