"""The map stage writes N-Quads text: terms, problems, and the store it fills."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import llmkg.build
from llmkg import vocab as V
from llmkg.build import build, graph_quads
from llmkg.ingest.mapping import to_nquads, to_quads
from llmkg.ingest.records import Iri
from llmkg.ingest.resolve import Entity
from llmkg.store import open_store


def model(label: str, **facts) -> Entity:
    source = ("catalog.md", 7)
    return Entity("model", "m", label, sources={source},
                  facts={(p, v): {("catalog.md", 9)} for p, v in facts.items()})


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=60))
def test_any_label_reads_back_as_written(label: str) -> None:
    # quotes, backslashes, newlines and control characters are escaped in the text
    labels = [q.object.value for q in to_quads([model(label)])
              if q.predicate.value == V.RDFS + "label"]
    assert labels == [label]


def test_an_invalid_iri_is_a_problem_and_the_rest_is_kept() -> None:
    problems: list[str] = []
    lines = list(to_nquads([model("X", repository=Iri("https://github.com/a b"),
                                  webPage=Iri("https://example.org/x"))], problems))
    assert problems == ["catalog.md:9: not a valid IRI: https://github.com/a b"]
    assert not any("github" in line for line in lines)
    assert any("<https://example.org/x>" in line for line in lines)


def test_statement_iris_hash_the_terms_n_triples_form() -> None:
    # the same IRIs as when quads were pyoxigraph objects: stores built before agree
    import hashlib

    quads = list(to_quads([model("X", parameterCount=7_000_000_000)]))
    statement = next(q.subject for q in quads if q.object.value == V.RDF + "Statement")
    subject = f"<{V.iri('model', 'm')}>"
    value = f'"7000000000"^^<{V.XSD}integer>'
    digest = hashlib.sha1(f"{subject} <{V.LLMKG}parameterCount> {value}".encode()).hexdigest()[:16]
    assert statement.value == f"{V.ID}{V.STATEMENT}/{digest}"


def test_the_store_holds_the_mapped_graph_across_load_batches(tmp_path, monkeypatch) -> None:
    # 3,080 quads in batches of 500: the writer thread loads seven
    monkeypatch.setattr(llmkg.build, "STORE_BATCH", 500)
    report = build(store=tmp_path / "store", validate=False)
    stored = {str(q) for q in open_store(tmp_path / "store")}
    mapped, _ = graph_quads()
    assert report.quads == len(mapped) > 7 * 400
    assert stored == {str(q) for q in mapped}
