"""Stages 1-4 of a build: markdown catalog -> parse -> extract -> resolve -> map (RDF)."""
