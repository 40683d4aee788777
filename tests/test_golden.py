"""Golden cases: a small catalog in, the expected data graph out (compared by isomorphism).

Each folder under tests/cases/ holds catalog.md and expected.ttl; the
expected graphs were read and checked line by line against the catalogs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from llmkg import vocab as V
from llmkg.build import graph_quads

CASES = sorted(p for p in (Path(__file__).parent / "cases").iterdir() if (p / "catalog.md").is_file())


def data_graph(catalog: Path) -> Graph:
    import pyoxigraph

    quads, _ = graph_quads([catalog])
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads
               if q.graph_name.value == V.DATA_GRAPH]
    graph = Graph()
    graph.parse(data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    return graph


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_gives_the_expected_graph(case: Path) -> None:
    got = data_graph(case / "catalog.md")
    expected = Graph().parse(case / "expected.ttl", format="turtle")
    if not isomorphic(got, expected):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(got))
        pytest.fail("graph differs from expected.ttl\nmissing:\n"
                    + "\n".join(sorted(t.n3() for t in missing))[:3000]
                    + "\nextra:\n" + "\n".join(sorted(t.n3() for t in extra))[:3000])


def test_every_fact_keeps_its_source_line() -> None:
    """Each reified statement points at the catalog line that states the fact."""
    import pyoxigraph

    catalog = Path(__file__).parent / "cases" / "org-groups" / "catalog.md"
    quads, _ = graph_quads([catalog])
    store = pyoxigraph.Store()
    store.extend(quads)
    rows = {(r["label"].value, r["p"].value.rsplit("#", 1)[-1], r["o"].value, int(r["n"].value))
            for r in store.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
        SELECT ?label ?p ?o ?n WHERE {
          ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?line .
          ?line llmkg:lineNumber ?n . ?s rdfs:label ?label }""", use_default_graph_as_union=True)}
    lines = catalog.read_text(encoding="utf-8").splitlines()
    assert ("Llama 4 Scout", "activeParameterCount", "17000000000", 5) in rows
    assert ("DeepSeek-V3", "parameterCount", "671000000000", 8) in rows
    assert "17b" in lines[5 - 1] and "671B" in lines[8 - 1]
    # no fact without a line
    assert all(n >= 1 for *_, n in rows)
