"""The OWL ontology and the JSON-LD context against docs/vocabulary.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY = ROOT / "ontology" / "llmkg.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
VOCABULARY = ROOT / "docs" / "vocabulary.md"

L = Namespace("https://w3id.org/llmkg/ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # open namespace: no pytest warning
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ID = "https://w3id.org/llmkg/id/"

CONTRACT_CLASSES = ["Model", "Organization", "Paper", "Architecture"]
# property -> (OWL kind, domain, range)
CONTRACT_PROPERTIES = {
    "developedBy": (OWL.ObjectProperty, L.Model, L.Organization),
    "describedIn": (OWL.ObjectProperty, L.Model, L.Paper),
    "hasArchitecture": (OWL.ObjectProperty, L.Model, L.Architecture),
    "basedOn": (OWL.ObjectProperty, L.Model, L.Model),
    "parameterCount": (OWL.DatatypeProperty, L.Model, XSD.integer),
    "activeParameterCount": (OWL.DatatypeProperty, L.Model, XSD.integer),
    "contextLength": (OWL.DatatypeProperty, L.Model, XSD.integer),
    "releaseDate": (OWL.DatatypeProperty, L.Model, L.DateOrYear),
    "arxivId": (OWL.DatatypeProperty, L.Paper, XSD.string),
    "repository": (OWL.ObjectProperty, L.Model, OWL.Thing),
}


@pytest.fixture(scope="module")
def onto() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


def _english(graph: rdflib.Graph, term: URIRef, prop: URIRef) -> list[str]:
    return [str(o) for o in graph.objects(term, prop) if getattr(o, "language", None) == "en"]


def test_ontology_header(onto: rdflib.Graph) -> None:
    header = URIRef("https://w3id.org/llmkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    for prop in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license,
                 DCTERMS.created):
        assert onto.value(header, prop) is not None, prop


def test_every_vocabulary_term_is_declared(onto: rdflib.Graph) -> None:
    names = set(re.findall(r"\bllmkg:([A-Za-z]\w*)", VOCABULARY.read_text(encoding="utf-8")))
    assert {"Model", "developedBy", "fromCatalog", "lineNumber"} <= names
    declared = {
        str(s)[len(str(L)):]
        for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
        for s in onto.subjects(RDF.type, t) if str(s).startswith(str(L))
    }
    assert names - declared == set()


def test_every_llmkg_term_has_label_comment_domain_range(onto: rdflib.Graph) -> None:
    terms = [s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
             for s in onto.subjects(RDF.type, t) if str(s).startswith(str(L))]
    assert len(terms) >= 25
    for term in terms:
        assert len(_english(onto, term, RDFS.label)) == 1, term
        assert _english(onto, term, RDFS.comment), term
        if (term, RDF.type, OWL.Class) not in onto:
            assert onto.value(term, RDFS.domain) is not None, term
            assert onto.value(term, RDFS.range) is not None, term


@pytest.mark.parametrize("name", CONTRACT_CLASSES)
def test_contract_classes(onto: rdflib.Graph, name: str) -> None:
    assert (L[name], RDF.type, OWL.Class) in onto
    assert _english(onto, L[name], SKOS.definition)


@pytest.mark.parametrize("name", sorted(CONTRACT_PROPERTIES))
def test_contract_properties(onto: rdflib.Graph, name: str) -> None:
    kind, domain, range_ = CONTRACT_PROPERTIES[name]
    assert (L[name], RDF.type, kind) in onto
    assert set(onto.objects(L[name], RDFS.domain)) == {domain}
    assert set(onto.objects(L[name], RDFS.range)) == {range_}


def test_date_range_is_a_union_of_three_datatypes(onto: rdflib.Graph) -> None:
    assert (L.DateOrYear, RDF.type, RDFS.Datatype) in onto
    union = onto.value(L.DateOrYear, OWL.equivalentClass)
    assert (union, RDF.type, RDFS.Datatype) in onto
    members = list(Collection(onto, onto.value(union, OWL.unionOf)))
    assert members == [XSD.date, XSD.gYearMonth, XSD.gYear]
    assert onto.value(L.publicationDate, RDFS.range) == L.DateOrYear


def test_axioms_that_give_the_reasoner_work(onto: rdflib.Graph) -> None:
    groups = [set(Collection(onto, onto.value(n, OWL.members)))
              for n in onto.subjects(RDF.type, OWL.AllDisjointClasses)]
    assert any({L[c] for c in CONTRACT_CLASSES} <= g for g in groups)
    assert (L.developed, OWL.inverseOf, L.developedBy) in onto
    assert (L.descendsFrom, RDF.type, OWL.TransitiveProperty) in onto
    assert (L.basedOn, RDFS.subPropertyOf, L.descendsFrom) in onto
    for sub in ("fineTunedFrom", "builtOn", "reproductionOf"):
        assert (L[sub], RDFS.subPropertyOf, L.basedOn) in onto
    assert (L.arxivId, RDF.type, OWL.FunctionalProperty) in onto


def test_alignments(onto: rdflib.Graph) -> None:
    assert (L.Model, RDFS.subClassOf, URIRef("https://w3id.org/fair4ml#MLModel")) in onto
    assert (L.Model, SKOS.closeMatch, URIRef("http://www.wikidata.org/entity/Q115305900")) in onto
    assert (L.Organization, RDFS.subClassOf, URIRef("https://schema.org/Organization")) in onto
    assert (L.developedBy, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasAttributedTo")) in onto
    assert (L.fineTunedFrom, RDFS.subPropertyOf, URIRef("https://w3id.org/fair4ml#fineTunedFrom")) in onto
    # basedOn must not entail prov:wasDerivedFrom, which the provenance graph
    # reserves for entity -> source line.
    assert (L.basedOn, RDFS.subPropertyOf, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")) not in onto
    # every alignment target is an absolute http(s) IRI
    for p in (RDFS.subClassOf, RDFS.subPropertyOf, SKOS.closeMatch):
        for o in onto.objects(None, p):
            assert isinstance(o, URIRef) and str(o).startswith("http"), o


def test_owlready2_loads_it(tmp_path: Path, onto: rdflib.Graph) -> None:
    owlready2 = pytest.importorskip("owlready2")
    nt = tmp_path / "llmkg.nt"
    nt.write_bytes(onto.serialize(format="nt", encoding="utf-8"))
    world = owlready2.World()
    try:
        world.get_ontology(nt.as_uri()).load()
        model = world[str(L.Model)]
        assert model is not None and isinstance(model, owlready2.ThingClass)
        assert world[str(L.descendsFrom)] is not None
        assert owlready2.TransitiveProperty in world[str(L.descendsFrom)].is_a
        assert world[str(L.developed)].inverse_property is world[str(L.developedBy)]
        disjoint = [set(d.entities) for d in world.disjoint_classes()]
        assert any(model in d and world[str(L.Paper)] in d for d in disjoint)
    finally:
        world.close()


# ---------------------------------------------------------------- JSON-LD


@pytest.fixture(scope="module")
def context() -> dict:
    return json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]


def _expand(context: dict, value: str) -> str:
    prefix, _, local = value.partition(":")
    return context[prefix] + local if prefix in context and isinstance(context[prefix], str) else value


def test_context_covers_the_ontology(context: dict, onto: rdflib.Graph) -> None:
    assert context["@version"] == 1.1
    by_iri = {}
    for term, value in context.items():
        if term.startswith("@"):
            continue
        iri = value if isinstance(value, str) else value["@id"]
        by_iri[_expand(context, iri)] = (term, value)
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for s in onto.subjects(RDF.type, kind):
            if not str(s).startswith(str(L)):
                continue
            assert str(s) in by_iri, s
            term, value = by_iri[str(s)]
            assert term == str(s)[len(str(L)):]
            if kind == OWL.ObjectProperty:
                assert value["@type"] == "@id", term
            if onto.value(s, RDFS.range) == XSD.integer:
                # untyped: a JSON number, which JSON-LD reads back as an xsd:integer
                assert isinstance(value, str), term
    assert by_iri[str(RDFS.label)][0] == "label"
    assert by_iri[str(SKOS.altLabel)][0] == "altLabel"


SMALL = f"""
@prefix llmkg: <{L}> . @prefix xsd: <{XSD}> . @prefix rdfs: <{RDFS}> . @prefix skos: <{SKOS}> .
<{ID}model/llama2> a llmkg:Model ; rdfs:label "Llama 2" ; skos:altLabel "LLaMA 2", "Llama2" ;
    llmkg:developedBy <{ID}organization/meta> ; llmkg:releaseDate "2023-07"^^xsd:gYearMonth ;
    llmkg:parameterCount 7000000000, 70000000000 ; llmkg:contextLength 4096 ;
    llmkg:repository <https://github.com/meta-llama/llama> ;
    llmkg:describedIn <{ID}paper/2307.09288> ; llmkg:hasArchitecture <{ID}architecture/transformer> .
<{ID}model/codellama> a llmkg:Model ; rdfs:label "Code Llama" ; llmkg:fineTunedFrom <{ID}model/llama2> ;
    llmkg:releaseDate "2023"^^xsd:gYear .
<{ID}paper/2307.09288> a llmkg:Paper ; llmkg:arxivId "2307.09288" ;
    llmkg:publicationDate "2023-07-18"^^xsd:date .
<{ID}organization/meta> a llmkg:Organization ; rdfs:label "Meta" .
"""


def test_context_compacts_and_reexpands(context: dict) -> None:
    graph = rdflib.Graph().parse(data=SMALL, format="turtle")
    text = graph.serialize(format="json-ld", context=context)
    doc = json.loads(text)
    nodes = {n["@id"]: n for n in doc["@graph"]}
    llama = nodes[f"{ID}model/llama2"]
    # short names, IRIs as plain strings, integers as JSON numbers, dates typed
    assert llama["@type"] == "Model"
    assert llama["developedBy"] == f"{ID}organization/meta"
    assert llama["label"] == "Llama 2"
    assert sorted(llama["altLabel"]) == ["LLaMA 2", "Llama2"]
    assert sorted(llama["parameterCount"]) == [7000000000, 70000000000]
    assert llama["contextLength"] == 4096
    assert llama["releaseDate"] == {"@type": "xsd:gYearMonth", "@value": "2023-07"}
    assert nodes[f"{ID}model/codellama"]["fineTunedFrom"] == f"{ID}model/llama2"
    assert not any(k.startswith("https://w3id.org/llmkg/ontology#") for n in nodes.values() for k in n)
    again = rdflib.Graph().parse(data=text, format="json-ld")
    assert isomorphic(graph, again)
