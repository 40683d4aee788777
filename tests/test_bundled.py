"""The bundled catalog and the earlier catalog versions, end to end through the library."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_CATALOGS
from llmkg import vocab as V
from llmkg.build import build, bundled_catalog, graph_quads
from llmkg.errors import CatalogError, StoreError
from llmkg.store import open_store


def count_of(store, cls: str) -> int:
    rows = list(store.query(f"SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE {{ ?e a <{cls}> }}",
                            use_default_graph_as_union=True))
    return int(rows[0]["n"].value)


def test_bundled_catalog_is_shipped_verbatim() -> None:
    seed = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "000_01e188e9c4403368.txt"
    if not seed.is_file():
        pytest.skip("../shared/seeds is not beside the project")
    assert bundled_catalog().read_bytes() == seed.read_bytes()


def test_bundled_catalog_yields_enough_entities(bundled_store) -> None:
    store = open_store(bundled_store)
    assert count_of(store, V.LLMKG + "Model") >= 150
    assert count_of(store, V.LLMKG + "Organization") >= 20
    assert count_of(store, V.LLMKG + "Paper") >= 50


def test_mojibake_is_repaired(bundled_store) -> None:
    store = open_store(bundled_store)
    labels = {r["l"].value for r in store.query("SELECT ?l WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
                                                 use_default_graph_as_union=True)}
    assert "TÜLU 3" in labels
    assert not any("Ã" in label or "ðŸ" in label for label in labels)


def test_one_node_per_real_thing(bundled_store) -> None:
    """DeepSeek-V3 is listed twice and 'Deepseek' is spelled two ways: one node each."""
    store = open_store(bundled_store)
    rows = list(store.query("""SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label>|
        <http://www.w3.org/2004/02/skos/core#altLabel> ?l FILTER(LCASE(STR(?l)) IN ("deepseek-v3", "deepseek")) }""",
                            use_default_graph_as_union=True))
    assert sorted({r["e"].value for r in rows}) == [V.iri("model", "deepseekv3"), V.iri("organization", "deepseek")]


def test_builds_are_deterministic() -> None:
    first, _ = graph_quads()
    second, _ = graph_quads()
    assert [str(q) for q in first] == [str(q) for q in second]


@pytest.mark.parametrize("name", ["llm-landscape-2024-11-05.md", "llm-landscape-2025-01-14.md",
                                  "llm-landscape-2025-03-11.md", "models-research-2025-11-18.md"])
def test_every_catalog_version_builds_clean(tmp_path, name) -> None:
    catalog = SHARED_CATALOGS / name
    if not catalog.is_file():
        pytest.skip("../shared/catalogs is not beside the project")
    report = build([catalog], store=tmp_path / "store", validate=True)
    assert report.class_counts[V.LLMKG + "Model"] >= 90
    # 0 violations and 0 warnings: the page's numbers and dates are read with their meaning
    assert report.validation.counts["Violation"] == report.validation.counts["Warning"] == 0, \
        report.validation.render("text")


def test_same_entity_same_iri_across_versions() -> None:
    catalogs = sorted(SHARED_CATALOGS.glob("*.md"))
    if not catalogs:
        pytest.skip("../shared/catalogs is not beside the project")
    def models(paths):
        quads, _ = graph_quads(paths)
        return {q.subject.value for q in quads if q.predicate.value == V.RDF + "type"
                and q.object.value == V.LLMKG + "Model"}
    old, new = models([catalogs[0]]), models([bundled_catalog()])
    shared = old & new
    assert V.iri("model", "llama2") in shared and V.iri("model", "codellama") in shared
    assert len(shared) >= 0.8 * len(old)


def test_failed_build_leaves_previous_store(tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    build(store=store, validate=False)
    before = len(open_store(store))
    with pytest.raises(CatalogError):
        build([tmp_path / "missing.md"], store=store, validate=False)
    import pyoxigraph

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    # the build loads N-Quads in a writer thread: its error reaches the caller, as one error
    monkeypatch.setattr(pyoxigraph.Store, "bulk_load", broken)
    with pytest.raises(StoreError, match="cannot write the store: disk full"):
        build(store=store, validate=False)
    monkeypatch.undo()
    assert len(open_store(store)) == before
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_strict_build_fails_on_skipped_entries(tmp_path) -> None:
    catalog = tmp_path / "c.md"
    catalog.write_text("### **Models**\n\n- [Zork 1](https://example.org): 7B [Mar 2024]\n"
                       "- Upstage's 70B Language Model Outperforms GPT-3.5: [ref](https://example.org/x) [1 Aug 2023]\n",
                       encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        build([catalog], store=tmp_path / "s", strict=True, validate=False)
    # the path a user can open, not only the file name provenance records
    assert info.value.line == 4 and Path(info.value.file) == catalog.resolve()
    report = build([catalog], store=tmp_path / "s", validate=False)
    assert [(p.line, p.reason) for p in report.problems] == [(4, "no model name found")]
