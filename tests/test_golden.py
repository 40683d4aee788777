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
        pytest.fail("graph differs from expected.ttl\nmissing:\n" + _lines(missing) + "\nextra:\n" + _lines(extra))


def _lines(graph: Graph) -> str:
    """The graph's triples as N-Triples-like lines (a triple is a tuple of terms), sorted."""
    return "\n".join(sorted(" ".join(term.n3() for term in triple) + " ." for triple in graph))[:3000]


def test_every_fact_keeps_its_source_line(tmp_path) -> None:
    """The where-from query names, for each fact, the catalog line that states it."""
    import pyoxigraph

    from llmkg.query.saved import load_saved, run

    catalog = Path(__file__).parent / "cases" / "org-groups" / "catalog.md"
    table = tmp_path / "table.md"
    table.write_bytes((Path(__file__).parent / "cases" / "drift-table" / "catalog.md").read_bytes())
    quads, _ = graph_quads([catalog, table])
    store = pyoxigraph.Store()
    store.extend(quads)
    where_from = load_saved("where-from")

    def facts(entity: str) -> set[tuple[str, str, str, int]]:
        result = run(where_from, store=store, params={"entity": entity})
        rows = [dict(zip(result.variables, row)) for row in result.rows]
        return {(r["property"].value.rsplit("#", 1)[-1], r["value"].value if r["value"] else "",
                 r["catalog"].value, int(r["line"].value)) for r in rows}

    lines = catalog.read_text(encoding="utf-8").splitlines()
    scout = facts("Llama 4 Scout")
    assert ("activeParameterCount", "17000000000", "catalog.md", 5) in scout and "17b" in lines[5 - 1]
    # DeepSeek-V3 stands in both catalogs (line 8 of one, a table row of the
    # other): each fact names the line(s) it was read from, no other
    deepseek = facts("deepseek-v3")
    assert ("parameterCount", "671000000000", "catalog.md", 8) in deepseek and "671B" in lines[8 - 1]
    sources = {(c, n) for p, _, c, n in deepseek if p == "parameterCount"}
    assert len(sources) == 2
    assert {(c, n) for p, _, c, n in deepseek if p == "activeParameterCount"} == sources - {("catalog.md", 8)}
    # every asserted llmkg fact has at least one line (name keys are derived
    # from the labels, not read as facts)
    data = {(q.subject.value, q.predicate.value) for q in quads
            if q.graph_name.value == V.DATA_GRAPH and q.predicate.value.startswith(V.LLMKG)
            and not q.predicate.value.endswith(("fromCatalog", "nameKey"))}
    labels = {q.subject.value: q.object.value for q in quads if q.predicate.value == V.RDFS + "label"}
    for subject, predicate in sorted(data):
        found = facts(labels[subject])
        assert any(p == predicate.rsplit("#", 1)[-1] for p, *_ in found), (labels[subject], predicate)


def test_a_differing_graph_is_reported_triple_by_triple() -> None:
    """The failure message of a case writes each missing or extra triple (it once crashed on them)."""
    graph = Graph().parse(data='<http://x/a> <http://x/b> "c" .\n<http://x/a> <http://x/d> <http://x/e> .',
                          format="nt")
    assert _lines(graph).splitlines() == ['<http://x/a> <http://x/b> "c" .', "<http://x/a> <http://x/d> <http://x/e> ."]
