"""Dumps people can trust: every format re-parses to exactly the store's graph(s)."""

from __future__ import annotations

import gzip
import shutil

import pyoxigraph
import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from llmkg import vocab as V
from llmkg.publish.export import export
from llmkg.store import open_store

TRIPLE_FORMATS = {"turtle": pyoxigraph.RdfFormat.TURTLE, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
                  "jsonld": pyoxigraph.RdfFormat.JSON_LD}
DATASET_FORMATS = {"nquads": pyoxigraph.RdfFormat.N_QUADS, "trig": pyoxigraph.RdfFormat.TRIG}
RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "nquads": "nquads", "trig": "trig"}


@pytest.fixture(scope="module")
def reasoned_store(bundled_store, tmp_path_factory):
    """The bundled store with all three graphs (data, provenance, inferred)."""
    from llmkg.validation.reasoning import reason_store

    store = tmp_path_factory.mktemp("export") / "store"
    shutil.copytree(bundled_store, store)
    if shutil.which("java"):
        assert reason_store(store).consistent
    return store


def store_quads(path) -> set:
    return set(open_store(path).quads_for_pattern(None, None, None, None))


def test_store_has_the_three_graphs(reasoned_store) -> None:
    graphs = {g.value for g in open_store(reasoned_store).named_graphs()}
    expected = {V.DATA_GRAPH, V.PROVENANCE_GRAPH} | ({V.INFERRED_GRAPH} if shutil.which("java") else set())
    assert graphs == expected


@pytest.mark.parametrize("name", sorted(TRIPLE_FORMATS))
def test_triple_formats_hold_the_union_of_the_graphs(reasoned_store, tmp_path, name) -> None:
    out = tmp_path / f"dump.{name}"
    export(store=reasoned_store, format=name, output=out)
    union = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store_quads(reasoned_store)}
    parsed = {pyoxigraph.Triple(t.subject, t.predicate, t.object)  # JSON-LD parses to quads
              for t in pyoxigraph.parse(path=str(out), format=TRIPLE_FORMATS[name])}
    assert parsed == union
    expected = Graph()
    expected.parse(data=pyoxigraph.serialize(union, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(Graph().parse(out, format=RDFLIB[name]), expected)


@pytest.mark.parametrize("name", sorted(DATASET_FORMATS))
def test_dataset_formats_keep_the_graphs_apart(reasoned_store, tmp_path, name) -> None:
    out = tmp_path / f"dump.{name}"
    export(store=reasoned_store, format=name, output=out)
    quads = store_quads(reasoned_store)
    assert set(pyoxigraph.parse(path=str(out), format=DATASET_FORMATS[name])) == quads
    dataset = Dataset()
    dataset.parse(out, format=RDFLIB[name])
    for graph_name in {q.graph_name.value for q in quads}:
        mine = {(q.subject.value, q.predicate.value, q.object.value) for q in quads
                if q.graph_name.value == graph_name}
        theirs = {tuple(str(t) for t in triple) for triple in dataset.graph(graph_name)}
        assert theirs == mine, graph_name


def test_gzip_output_is_the_same_dump_compressed_and_deterministic(reasoned_store, tmp_path) -> None:
    export(store=reasoned_store, format="ntriples", output=tmp_path / "a.nt")
    export(store=reasoned_store, format="ntriples", output=tmp_path / "a.nt.gz")
    export(store=reasoned_store, output=tmp_path / "b.nt.gz")  # format from the name
    assert gzip.decompress((tmp_path / "a.nt.gz").read_bytes()) == (tmp_path / "a.nt").read_bytes()
    assert (tmp_path / "a.nt.gz").read_bytes() == (tmp_path / "b.nt.gz").read_bytes()


def test_one_graph_only(reasoned_store, tmp_path) -> None:
    out = tmp_path / "data.nt"
    export(store=reasoned_store, format="ntriples", output=out, graph=V.DATA_GRAPH)
    data = {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store_quads(reasoned_store)
            if q.graph_name.value == V.DATA_GRAPH}
    parsed = {pyoxigraph.Triple(t.subject, t.predicate, t.object) for t in pyoxigraph.parse(path=str(out))}
    assert parsed == data


def test_void_is_written_beside_the_dump(cli, reasoned_store, tmp_path) -> None:
    out = tmp_path / "dump.nt.gz"
    result = cli("export", "--store", reasoned_store, "--format", "ntriples", "--output", out)
    assert result.returncode == 0, result.stderr
    void = Graph().parse(tmp_path / "dump.nt.gz.void.ttl", format="turtle")
    triples = {int(o) for o in void.objects(None, V_VOID("triples"))}
    assert len(store_quads(reasoned_store)) in triples or max(triples) > 0


def V_VOID(local: str):
    from rdflib import URIRef

    return URIRef("http://rdfs.org/ns/void#" + local)
