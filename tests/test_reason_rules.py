"""The OWL 2 RL rules on Oxigraph infer what HermiT infers, and find what it finds wrong."""

from __future__ import annotations

import shutil

import pyoxigraph
import pytest
import rdflib

from llmkg import vocab
from llmkg.errors import ReasonerError
from llmkg.store import open_store
from llmkg.validation import reasoning
from llmkg.validation.reason import reason
from llmkg.validation.rules import reason_rules
from test_reason import LINEAGE, m

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
DATA = pyoxigraph.NamedNode(vocab.DATA_GRAPH)


def in_memory(turtle: str) -> pyoxigraph.Store:
    db = pyoxigraph.Store()
    db.load(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE, to_graph=DATA)
    return db


def data_ntriples(db: pyoxigraph.Store) -> str:
    triples = [pyoxigraph.Triple(q.subject, q.predicate, q.object)
               for q in db.quads_for_pattern(None, None, None, DATA)]
    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).decode("utf-8")


def triples(ntriples: str) -> set:
    return set(pyoxigraph.parse(ntriples.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES))


@needs_java
def test_rules_equal_hermit_on_the_bundled_catalog(bundled_store) -> None:
    db = open_store(bundled_store)
    rules, hermit = reason_rules(db), reason(data_ntriples(db))
    assert rules.consistent and hermit.consistent
    inferred = triples(rules.ntriples())
    assert inferred == triples(hermit.ntriples())
    assert rules.counts == hermit.counts and rules.type_counts == hermit.type_counts
    # the comparison holds something: class and property assertions of several kinds
    predicates = {t.predicate.value for t in inferred}
    assert {vocab.RDF + "type", vocab.LLMKG + "developed", vocab.LLMKG + "descendsFrom"} <= predicates
    assert rules.reasoner == "OWL 2 RL rules" and hermit.reasoner == "HermiT"


@needs_java
def test_rules_equal_hermit_on_lineage_inverses_and_transitivity() -> None:
    db = in_memory(LINEAGE)
    rules = reason_rules(db)
    assert triples(rules.ntriples()) == triples(reason(data_ntriples(db)).ntriples())
    closure = {(t.subject.value, t.object.value) for t in triples(rules.ntriples())
               if t.predicate.value == vocab.LLMKG + "descendsFrom"}
    assert (str(m("vicunarepro")), str(m("llama2"))) in closure and len(closure) == 6


CLASH = f"""@prefix llmkg: <{vocab.LLMKG}> .
<{m('x')}> a llmkg:Model , llmkg:Organization .
<{m('y')}> llmkg:developedBy <{m('llama2')}> .
<{m('llama2')}> a llmkg:Model .
<{m('z')}> llmkg:parameterCount "7B" .
"""


@needs_java
def test_an_inconsistent_graph_is_explained_as_hermit_explains_it() -> None:
    db = in_memory(CLASH)
    rules, hermit = reason_rules(db), reason(data_ntriples(db))
    assert not rules.consistent and not hermit.consistent and rules.inferred == ()
    assert rules.explanation == hermit.explanation
    assert any("disjoint" in line and m("llama2") in line for line in rules.explanation)
    assert any('"7B" is not an xsd:integer' in line for line in rules.explanation)


def test_a_functional_data_property_with_two_values_is_inconsistent() -> None:
    paper = vocab.iri(vocab.PAPER, "2307.09288")
    db = in_memory(f'<{paper}> <{vocab.LLMKG}arxivId> "2307.09288", "2307.09289" .')
    report = reason_rules(db)
    assert not report.consistent
    assert any("functional property llmkg:arxivId" in line for line in report.explanation)


def test_a_functional_object_property_with_two_values_needs_hermit() -> None:
    fact = "https://w3id.org/llmkg/id/fact/1"
    db = in_memory(f"<{fact}> <{vocab.LLMKG}factSubject> <{m('a')}>, <{m('b')}> .")
    with pytest.raises(ReasonerError) as caught:
        reason_rules(db)
    assert "--reasoner hermit" in caught.value.hint


def test_reason_store_with_rules_replaces_only_the_inferred_graph(bundled_store, tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    shutil.copytree(bundled_store, store)
    before = set(open_store(store).quads_for_pattern(None, None, None, None))
    monkeypatch.setattr(reasoning.shutil, "which", lambda _: None)  # no Java: auto runs the rules
    report = reasoning.reason_store(store)
    assert report.reasoner == "OWL 2 RL rules" and report.consistent and report.inferred
    after = set(open_store(store).quads_for_pattern(None, None, None, None))
    inferred = {q for q in after if q.graph_name.value == vocab.INFERRED_GRAPH}
    assert after - inferred == before and len(inferred) == len(report.inferred)
    again = reasoning.reason_store(store, reasoner="rules")  # the old inferred graph is replaced, not added to
    assert set(open_store(store).quads_for_pattern(None, None, None, None)) == after
    assert again.ntriples() == report.ntriples()


def test_auto_runs_hermit_only_on_small_graphs(bundled_store, tmp_path, monkeypatch) -> None:
    store = tmp_path / "store"
    shutil.copytree(bundled_store, store)
    monkeypatch.setattr(reasoning.shutil, "which", lambda _: "/usr/bin/java")
    monkeypatch.setattr(reasoning, "HERMIT_MAX_TRIPLES", 10)
    assert reasoning.reason_store(store).reasoner == "OWL 2 RL rules"
