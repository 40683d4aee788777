"""The VoID description written beside the dumps (llmkg.publish.void)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ox = pytest.importorskip("pyoxigraph")
rdflib = pytest.importorskip("rdflib")

from llmkg import vocab as V  # noqa: E402
from llmkg.publish.void import DATASET_IRI, VOID, void_description  # noqa: E402

D = ox.NamedNode(DATASET_IRI)
DAY = dt.date(2025, 6, 3)


def nn(iri):
    return ox.NamedNode(iri)


def small_quads():
    data, prov = nn(V.DATA_GRAPH), nn(V.PROVENANCE_GRAPH)
    a, b = nn(V.iri(V.MODEL, "a")), nn(V.iri(V.MODEL, "b"))
    org, line = nn(V.iri(V.ORGANIZATION, "o")), nn(V.iri(V.SOURCE, "cat/1"))
    typ = nn(V.RDF + "type")
    return [
        ox.Quad(a, typ, nn(V.LLMKG + "Model"), data),
        ox.Quad(b, typ, nn(V.LLMKG + "Model"), data),
        ox.Quad(org, typ, nn(V.LLMKG + "Organization"), data),
        ox.Quad(a, nn(V.LLMKG + "developedBy"), org, data),
        ox.Quad(a, nn(V.RDFS + "label"), ox.Literal("A \"quoted\" name"), data),
        ox.Quad(a, nn(V.RDFS + "label"), ox.Literal("A \"quoted\" name"), prov),  # counted per graph
        ox.Quad(a, nn(V.PROV + "wasDerivedFrom"), line, prov),
        ox.Quad(line, typ, nn(V.LLMKG + "SourceLine"), prov),
    ]


def parsed(text: str, base: str = "https://example.org/dumps/llmkg.publish.void.ttl") -> ox.Store:
    store = ox.Store()
    store.load(text.encode(), format=ox.RdfFormat.TURTLE, base_iri=base)
    return store


def value(store, subject, prop):
    objects = [q.object for q in store.quads_for_pattern(subject, nn(VOID + prop), None)]
    assert len(objects) == 1, (prop, objects)
    return objects[0]


def partitions(store, kind: str, key: str, count: str) -> dict:
    out = {}
    for q in store.quads_for_pattern(D, nn(VOID + kind), None):
        out[value(store, q.object, key).value] = int(value(store, q.object, count).value)
    return out


def test_counts_partitions_and_subsets():
    text = void_description(small_quads(), dumps=[Path("out/llmkg.nt.gz"), Path("out/llmkg.trig")],
                            modified=DAY)
    store = parsed(text)
    assert int(value(store, D, "triples").value) == 8
    assert int(value(store, D, "entities").value) == 4  # a, b, org, source line
    assert int(value(store, D, "classes").value) == 3
    assert partitions(store, "classPartition", "class", "entities") == {
        V.LLMKG + "Model": 2, V.LLMKG + "Organization": 1, V.LLMKG + "SourceLine": 1}
    props = partitions(store, "propertyPartition", "property", "triples")
    assert props[V.RDF + "type"] == 4 and props[V.RDFS + "label"] == 2
    assert sum(props.values()) == 8
    subsets = {}
    for q in store.quads_for_pattern(D, nn(VOID + "subset"), None):
        name = next(store.quads_for_pattern(q.object, nn("http://www.w3.org/ns/sparql-service-description#name"), None))
        subsets[name.object.value] = int(value(store, q.object, "triples").value)
    assert subsets == {V.DATA_GRAPH: 5, V.PROVENANCE_GRAPH: 3}
    dumps = {q.object.value for q in store.quads_for_pattern(D, nn(VOID + "dataDump"), None)}
    assert dumps == {"https://example.org/dumps/llmkg.nt.gz", "https://example.org/dumps/llmkg.trig"}
    features = {q.object.value for q in store.quads_for_pattern(D, nn(VOID + "feature"), None)}
    assert features == {"http://www.w3.org/ns/formats/N-Triples", "http://www.w3.org/ns/formats/TriG"}
    modified = next(store.quads_for_pattern(D, nn(V.DCTERMS + "modified"), None)).object
    assert modified == ox.Literal("2025-06-03", datatype=nn(V.XSD + "date"))


def test_rdflib_reads_it_beside_the_dumps(tmp_path):
    path = tmp_path / "llmkg.publish.void.ttl"
    path.write_text(void_description(small_quads(), dumps=[tmp_path / "llmkg.nq"], modified=DAY))
    graph = rdflib.Graph().parse(path)
    dumps = list(graph.objects(rdflib.URIRef(DATASET_IRI), rdflib.URIRef(VOID + "dataDump")))
    assert dumps == [rdflib.URIRef((tmp_path / "llmkg.nq").as_uri())]


def test_absolute_dump_iris_with_a_base():
    text = void_description(small_quads(), dumps=["x y.nt"], base_iri="https://data.example/llmkg/",
                            modified=DAY)
    assert "void:dataDump <https://data.example/llmkg/x%20y.nt>" in text
    ox.parse(text, format=ox.RdfFormat.TURTLE)  # no relative IRI left: parses without a base


def test_deterministic_and_dated_by_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1717372800")  # 2024-06-03T00:00:00Z
    first = void_description(small_quads(), dumps=["a.nt"])
    assert first == void_description(list(reversed(small_quads())), dumps=["a.nt"])
    assert '"2024-06-03"^^xsd:date' in first


def test_classes_agree_with_the_build_report(tmp_path):
    build = pytest.importorskip("llmkg.build")
    report = build.build(store=tmp_path / "store", validate=False)
    store = parsed(void_description(tmp_path / "store", dumps=[], modified=DAY))
    classes = partitions(store, "classPartition", "class", "entities")
    for klass, count in report.class_counts.items():  # counted by the build, over the data graph
        assert classes[klass] >= count
    assert classes[V.LLMKG + "Model"] == report.class_counts[V.LLMKG + "Model"]
    assert int(value(store, D, "triples").value) == report.quads
