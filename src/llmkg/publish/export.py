"""Dumps of the store: Turtle, N-Triples, N-Quads, TriG, JSON-LD.

Triple formats hold the union of the store's graphs; dataset formats keep
each named graph apart. Output is sorted, so the same store gives
byte-identical files; a `.gz` output name is written gzip-compressed.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

from llmkg import vocab as V
from llmkg.publish.formats import RdfFormat, by_name, guess


def _graphs(store, graph: str | None) -> list:
    """The graphs to export, in IRI order (the default graph, if not empty, first)."""
    import pyoxigraph

    if graph:
        return [pyoxigraph.NamedNode(graph)]
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    default = pyoxigraph.DefaultGraph()
    if next(iter(store.quads_for_pattern(None, None, None, default)), None) is not None:
        graphs.insert(0, default)
    return graphs


def _sorted_ntriples(store, graphs) -> bytes:
    """The union of `graphs` as canonical N-Triples, one triple a line, sorted bytewise.

    Sorting serialized lines (not Python term objects) keeps memory small: a
    million-triple store sorts in a few hundred MB.
    """
    import pyoxigraph

    lines: set[bytes] = set()
    for g in graphs:
        lines.update(store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=g).splitlines())
    lines.discard(b"")
    return b"".join(line + b"\n" for line in sorted(lines))


def _triples(ntriples: bytes):
    import pyoxigraph

    return pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)


def serialize(store, fmt: RdfFormat, *, graph: str | None = None) -> bytes:
    import pyoxigraph

    graphs = _graphs(store, graph)
    if fmt.dataset:
        # graph by graph in IRI order, each graph's triples sorted: deterministic
        def quads():
            for g in graphs:
                for t in _triples(_sorted_ntriples(store, [g])):
                    yield pyoxigraph.Quad(t.subject, t.predicate, t.object, g)

        if fmt.name == "nquads":
            return pyoxigraph.serialize(quads(), format=pyoxigraph.RdfFormat.N_QUADS)
        return pyoxigraph.serialize(quads(), format=pyoxigraph.RdfFormat.TRIG, prefixes=V.PREFIXES)
    ntriples = _sorted_ntriples(store, graphs)
    if fmt.name == "ntriples":
        return ntriples
    if fmt.name == "turtle":
        return pyoxigraph.serialize(_triples(ntriples), format=pyoxigraph.RdfFormat.TURTLE,
                                    prefixes=V.PREFIXES)
    return _jsonld(ntriples)


def jsonld_context() -> dict:
    from llmkg.paths import shipped

    return json.loads((shipped("ontology") / "context.jsonld").read_text(encoding="utf-8"))


def _jsonld(ntriples: bytes) -> bytes:
    """JSON-LD compacted with the context shipped in ontology/context.jsonld."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ntriples, format="nt")
    context = jsonld_context()
    text = graph.serialize(format="json-ld", context=context.get("@context", context))
    # rdflib orders nodes and values by hash: sort them so equal graphs give equal bytes
    return (json.dumps(_canonical(json.loads(text)), indent=1, sort_keys=True, ensure_ascii=False)
            + "\n").encode("utf-8")


def _canonical(value):
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _canonical(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def export(*, store: Path | None = None, format: str | None = None, output: Path | None = None,
           graph: str | None = None) -> RdfFormat:
    """Write the store as `format` to `output` (stdout when None). Returns the format used."""
    from llmkg.errors import FormatError
    from llmkg.store import open_store

    if format:
        fmt = by_name(format)
    elif output:
        fmt = guess(output)
    else:
        raise FormatError("no format given for standard output", hint="pass --format")
    data = serialize(open_store(store), fmt, graph=graph)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return fmt
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix == ".gz":
        buffer = io.BytesIO()
        # mtime=0 and no file name: the same data gives the same bytes
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    tmp = output.with_name(output.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(output)
    return fmt


def write_void(*, store: Path | None = None, dumps: list[Path]) -> Path:
    """Write a VoID description of the store beside the first dump (`<dump>.void.ttl`)."""
    from llmkg.store import open_store
    from llmkg.publish.void import void_description

    target = Path(dumps[0]).with_name(Path(dumps[0]).name.removesuffix(".gz") + ".void.ttl")
    text = void_description(open_store(store), dumps=[Path(d) for d in dumps])
    target.write_text(text if isinstance(text, str) else text.decode("utf-8"), encoding="utf-8")
    return target
