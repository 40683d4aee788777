"""OWL reasoning with HermiT: what it infers, what it explains, how it fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef

from llmkg import vocab
from llmkg.errors import ReasonerError
from llmkg.validation.reason import reason

L = Namespace(vocab.LLMKG)
XSD = Namespace(vocab.XSD)
ID = vocab.ID

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")


def m(key: str) -> URIRef:
    return URIRef(vocab.iri(vocab.MODEL, key))


META = URIRef(vocab.iri(vocab.ORGANIZATION, "meta"))
LMSYS = URIRef(vocab.iri(vocab.ORGANIZATION, "lmsys"))
PAPER = URIRef(vocab.iri(vocab.PAPER, "2307.09288"))

LINEAGE = f"""
@prefix llmkg: <{vocab.LLMKG}> . @prefix xsd: <{vocab.XSD}> . @prefix rdfs: <{vocab.RDFS}> .
<{m('llama2')}> a llmkg:Model ; rdfs:label "Llama 2" ; llmkg:developedBy <{META}> ;
    llmkg:describedIn <{PAPER}> ; llmkg:releaseDate "2023-07"^^xsd:gYearMonth ;
    llmkg:parameterCount 7000000000 ; llmkg:repository <https://github.com/meta-llama/llama> .
<{m('vicuna')}> rdfs:label "Vicuna" ; llmkg:fineTunedFrom <{m('llama2')}> ; llmkg:developedBy <{LMSYS}> .
<{m('vicunaplus')}> llmkg:builtOn <{m('vicuna')}> .
<{m('vicunarepro')}> llmkg:reproductionOf <{m('vicunaplus')}> .
<{PAPER}> llmkg:arxivId "2307.09288" ; llmkg:publicationDate "2023-07-18"^^xsd:date .
"""


@pytest.fixture(scope="module")
def lineage() -> rdflib.Graph:
    return rdflib.Graph().parse(data=LINEAGE, format="turtle")


@pytest.fixture(scope="module")
def report(lineage: rdflib.Graph):
    if shutil.which("java") is None:
        pytest.skip("HermiT needs Java")
    return reason(lineage)


@needs_java
def test_consistent_graph_infers_inverse_and_transitive_lineage(report, lineage) -> None:
    assert report.consistent and report.explanation == ()
    inferred = set(report.inferred)
    # inverse of developedBy
    assert (META, L.developed, m("llama2")) in inferred
    assert (LMSYS, L.developed, m("vicuna")) in inferred
    # sub-properties of basedOn, and basedOn under the transitive descendsFrom
    assert (m("vicuna"), L.basedOn, m("llama2")) in inferred
    chain = ["vicunarepro", "vicunaplus", "vicuna", "llama2"]
    for i, a in enumerate(chain):
        for b in chain[i + 1:]:
            assert (m(a), L.descendsFrom, m(b)) in inferred, (a, b)
    assert not any(p == L.descendsFrom and o == m("vicunarepro") for _, p, o in inferred)
    # types from domains and ranges, and superclasses from the alignments
    assert (m("vicunarepro"), RDF.type, L.Model) in inferred
    assert (PAPER, RDF.type, L.Paper) in inferred
    assert (LMSYS, RDF.type, L.Organization) in inferred
    assert (m("llama2"), RDF.type, URIRef(vocab.FAIR4ML + "MLModel")) in inferred
    # super-properties of data properties keep the asserted literal
    assert (m("llama2"), URIRef(vocab.DCTERMS + "issued"),
            Literal("2023-07", datatype=XSD.gYearMonth)) in inferred
    # repositories are web resources, not typed as anything of ours
    assert not any(s == URIRef("https://github.com/meta-llama/llama") for s, _, _ in inferred)


@needs_java
def test_nothing_asserted_is_repeated_and_output_is_sorted(report, lineage) -> None:
    assert report.inferred and not set(report.inferred) & set(lineage)
    assert (m("llama2"), RDF.type, L.Model) not in set(report.inferred)
    lines = report.ntriples().splitlines()
    assert lines == sorted(lines) and len(lines) == len(set(lines)) == len(report.inferred)
    assert report.asserted == len(lineage)


@needs_java
def test_counts_per_predicate(report) -> None:
    assert sum(report.counts.values()) == len(report.inferred)
    assert report.counts[vocab.LLMKG + "descendsFrom"] == 6
    assert report.counts[vocab.LLMKG + "developed"] == 2
    assert report.type_counts[vocab.LLMKG + "Model"] == 3  # vicuna, vicunaplus, vicunarepro
    assert sum(report.type_counts.values()) == report.counts[vocab.RDF + "type"]


@needs_java
def test_nquads_land_in_the_inferred_graph(report) -> None:
    ds = rdflib.Dataset()
    ds.parse(data=report.nquads(), format="nquads")
    graph = ds.graph(URIRef(vocab.INFERRED_GRAPH))
    assert len(graph) == len(report.inferred)


@needs_java
def test_ntriples_text_input_gives_the_same_result(report, lineage) -> None:
    again = reason(lineage.serialize(format="nt"))
    assert again.ntriples() == report.ntriples()


@needs_java
def test_entity_typed_model_and_organization_is_inconsistent() -> None:
    data = rdflib.Graph()
    data.add((m("x"), RDF.type, L.Model))
    data.add((m("x"), RDF.type, L.Organization))
    data.add((m("y"), L.developedBy, m("llama2")))
    data.add((m("llama2"), RDF.type, L.Model))
    result = reason(data)
    assert not result.consistent and result.inferred == ()
    text = "\n".join(result.explanation)
    assert f"<{m('x')}> is both llmkg:Model (asserted) and llmkg:Organization (asserted)" in text
    # the second clash comes from the range of developedBy
    assert f"<{m('llama2')}> is both llmkg:Model (asserted) and llmkg:Organization " \
           f"(range of llmkg:developedBy in <{m('y')}>" in text
    assert all("disjoint" in line for line in result.explanation)


@needs_java
def test_two_arxiv_ids_and_a_non_integer_count_are_explained() -> None:
    data = rdflib.Graph()
    data.add((PAPER, L.arxivId, Literal("2307.09288")))
    data.add((PAPER, L.arxivId, Literal("2307.09289")))
    data.add((m("x"), L.parameterCount, Literal("7B")))
    result = reason(data)
    assert not result.consistent
    assert any("functional property llmkg:arxivId" in e and "2307.09289" in e
               for e in result.explanation)
    assert any('"7B" is not an xsd:integer' in e for e in result.explanation)


def test_missing_java_raises_reasoner_error(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReasonerError) as caught:
        reason(rdflib.Graph())
    assert caught.value.message == "Java is not installed"
    assert "apt-get install default-jre" in caught.value.hint
    assert caught.value.exit_code == 2


@needs_java
def test_bad_inputs_raise_reasoner_error(tmp_path: Path) -> None:
    with pytest.raises(ReasonerError, match="not valid N-Triples"):
        reason("<a> <b> .")
    missing = tmp_path / "nope.ttl"
    with pytest.raises(ReasonerError) as caught:
        reason(rdflib.Graph(), ontology=missing)
    assert caught.value.file == str(missing)


@needs_java
def test_reasoning_again_over_the_closure_adds_nothing(report, lineage) -> None:
    closed = rdflib.Graph()
    for triple in lineage:
        closed.add(triple)
    for triple in report.inferred:
        closed.add(triple)
    # a label with quotes, a backslash, a newline and an emoji survives the round trip
    closed.add((m("llama2"), URIRef(vocab.SKOS + "altLabel"), Literal('TÜLU "2" \\ x\n💡')))
    assert reason(closed).inferred == ()
