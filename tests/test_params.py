"""Typed query parameters take only values of their type (issue 12, item 16), and a
refused value shows in one line, at most 60 characters of it, newlines escaped."""

from __future__ import annotations

import pytest

from conftest import run_cli

TYPED = """#+ summary: every parameter type
#+ params:
#+   - d date -- a date
#+   - x decimal -- a decimal
#+   - n integer -- an integer
#+   - y year -- a year
#+   - i iri -- an IRI
#+   - s string -- any text
SELECT ?d ?x ?n ?y ?i ?s WHERE { }
"""
GOOD = {"d": "2024-02-29", "x": "1.5", "n": "7", "y": "2024", "i": "https://example.org/a", "s": "x"}


@pytest.fixture
def typed_query(tmp_path):
    path = tmp_path / "typed.rq"
    path.write_text(TYPED)
    return path


def run(query, bundled_store, **values):
    params = []
    for name, value in {**GOOD, **values}.items():
        params += ["--param", f"{name}={value}"]
    return run_cli("query", query, "--store", bundled_store, "--format", "tsv", *params)


def test_values_of_every_type_bind(typed_query, bundled_store) -> None:
    result = run(typed_query, bundled_store)
    assert result.returncode == 0, result.stderr
    row = result.stdout.splitlines()[1].split("\t")
    assert row[0] == '"2024-02-29"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert row[1] == '"1.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    assert row[4] == "<https://example.org/a>"


@pytest.mark.parametrize("good", [
    {"d": "2024-03"}, {"d": "2024"}, {"x": "-0.25"}, {"x": "3"}, {"x": ".5"}, {"n": "-12"}, {"n": "+3"},
    {"y": "1999"}, {"i": "urn:isbn:0451450523"},
])
def test_other_good_values(typed_query, bundled_store, good) -> None:
    result = run(typed_query, bundled_store, **good)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name, value, type_", [
    ("d", "2024-13-45", "a date"),
    ("d", "2023-02-29", "a date"),          # not a leap year
    ("d", "2024-00", "a date"),
    ("d", "٢٠٢٤-٠١-٠١", "a date"),          # Arabic-Indic digits
    ("d", "24-01-01", "a date"),
    ("x", "NaN", "a decimal"),
    ("x", "Infinity", "a decimal"),
    ("x", "1e5", "a decimal"),              # xsd:decimal has no exponent
    ("x", "١٫٥", "a decimal"),
    ("n", "١٢", "an integer"),
    ("n", "1_000", "an integer"),
    ("n", "1.0", "an integer"),
    ("y", "２０２４", "a year"),             # full-width digits
    ("y", "99999", "a year"),
    ("i", "data", "an iri"),
    ("i", "http://exa mple.org", "an iri"),
])
def test_values_that_are_not_their_type_are_refused(typed_query, bundled_store, name, value, type_) -> None:
    result = run(typed_query, bundled_store, **{name: value})
    assert result.returncode == 2
    assert result.stderr.strip() == (f"Error: parameter '{name}' needs {type_}, got '{value}' ({typed_query})")


def test_a_refused_value_is_one_line_and_at_most_60_characters(typed_query, bundled_store) -> None:
    value = "2024\n" + "9" * 100
    result = run(typed_query, bundled_store, d=value)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    shown = lines[0].split("got '", 1)[1].split("'", 1)[0]
    assert shown == ("2024\\n" + "9" * 100)[:60] + "…"


def test_a_newline_in_any_error_is_escaped(bundled_store) -> None:
    result = run_cli("query", "lineage", "--store", bundled_store, "--param", "no\nsuch=1")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Error: query 'lineage' has no parameter 'no\\nsuch'. Its parameters: model"]
