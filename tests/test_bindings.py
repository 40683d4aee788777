"""Parameters bound by VALUES injection (llmkg/query/bindings.py): where the block
goes, what it refuses. Same rows embedded and remote: tests/test_saved_queries.py."""

from __future__ import annotations

import pytest

ox = pytest.importorskip("pyoxigraph")

from llmkg import vocab as V  # noqa: E402
from llmkg.query.bindings import bind_values  # noqa: E402
from llmkg.errors import QueryError  # noqa: E402

XSD = V.XSD


def test_values_go_into_the_outermost_where_group():
    text = ('PREFIX ex: <http://ex/WHERE/>\n# WHERE { in a comment\n'
            'SELECT ?where (?a < ?b AS ?c) WHERE { ?s ex:where "}{" . { SELECT ?s WHERE { ?s ?p ?o } } }')
    bound = bind_values(text, {"name": ox.Literal('a"b}\n', language="en"), "org": ox.NamedNode("http://x/y")})
    head, _, rest = bound.partition('WHERE { VALUES ?name { "a\\"b}\\n"@en } VALUES ?org { <http://x/y> }')
    assert head.endswith('(?a < ?b AS ?c) ') and rest.lstrip().startswith('?s ex:where "}{"')
    ox.Store().query(bound)  # still valid SPARQL


@pytest.mark.parametrize(("text", "expected"), [
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { VALUES ?x"),
    ("ASK { ?s ?p ?o }", "ASK { VALUES ?x"),
    ("select * { ?s ?p ?o }", "select * { VALUES ?x"),
])
def test_values_without_where_keyword(text, expected):
    bound = bind_values(text, {"x": ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))})
    assert bound.startswith(expected)
    ox.Store().query(bound)


def test_values_refuse_what_is_not_a_term():
    with pytest.raises(QueryError, match="VALUES cannot hold blank nodes"):
        bind_values("SELECT * { ?s ?p ?o }", {"s": ox.BlankNode()})
    with pytest.raises(QueryError, match="invalid parameter name"):
        bind_values("SELECT * { ?s ?p ?o }", {"s } DROP ALL {": ox.Literal("x")})
    with pytest.raises(QueryError, match="short form"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": ox.Literal("x")})
