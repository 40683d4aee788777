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
    """The graphs to export, in IRI order (the default graph, if not empty, first).
    A `graph` that is no IRI or not in the store is refused: it would export nothing."""
    import pyoxigraph

    if graph:
        from llmkg.errors import StoreError

        named = sorted(g.value for g in store.named_graphs())
        hint = f"its graphs: {', '.join(f'<{g}>' for g in named) or 'none'}"
        try:
            node = pyoxigraph.NamedNode(graph)
        except ValueError:
            raise StoreError(f"--graph must be an IRI, not '{graph[:60]}'", hint=hint) from None
        if graph not in named:
            raise StoreError(f"the store has no graph <{graph}>", hint=hint)
        return [node]
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
    return _from_ntriples(_sorted_ntriples(store, graphs), fmt)


def serialize_triples(triples, fmt: RdfFormat) -> bytes:
    """pyoxigraph triples (a CONSTRUCT's) in a triple format, sorted like a dump."""
    import pyoxigraph

    lines = set(pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES).splitlines())
    lines.discard(b"")
    return _from_ntriples(b"".join(line + b"\n" for line in sorted(lines)), fmt)


def _from_ntriples(ntriples: bytes, fmt: RdfFormat) -> bytes:
    """Sorted N-Triples as `fmt` (a triple format)."""
    import pyoxigraph

    if fmt.name == "ntriples":
        return ntriples
    if fmt.name == "turtle":
        return pyoxigraph.serialize(_triples(ntriples), format=pyoxigraph.RdfFormat.TURTLE,
                                    prefixes=V.PREFIXES)
    if fmt.name == "jsonld":
        return _jsonld(ntriples)
    from llmkg.errors import FormatError

    raise FormatError(f"{fmt.name} holds named graphs; these are triples",
                      hint="use turtle, ntriples or jsonld")


def jsonld_context() -> dict:
    from llmkg.paths import shipped

    return json.loads((shipped("ontology") / "context.jsonld").read_text(encoding="utf-8"))


def _jsonld(ntriples: bytes) -> bytes:
    """JSON-LD compacted with the context shipped in ontology/context.jsonld."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(data=ntriples, format="nt")
    context = jsonld_context()
    context = context.get("@context", context)
    text = graph.serialize(format="json-ld", context=context)
    doc = _compact_ids(json.loads(text), context)
    # rdflib orders nodes and values by hash: sort them so equal graphs give equal bytes
    return (json.dumps(_canonical(doc), indent=1, sort_keys=True, ensure_ascii=False)
            + "\n").encode("utf-8")


def _compact_ids(doc, context: dict):
    """Node IRIs (`@id`, and the values of properties typed `@id`) as compact
    IRIs with the context's prefixes, as JSON-LD 1.1 compaction (jsonld.js)
    writes them and rdflib does not: the shortest, then least, `prefix:rest`."""
    prefixes = [(term, iri) for term, iri in context.items()
                if isinstance(iri, str) and ":" not in term and not term.startswith("@")
                and iri[-1:] in ":/?#[]@"]
    id_typed = {term for term, d in context.items() if isinstance(d, dict) and d.get("@type") == "@id"}

    def compact(iri: str) -> str:
        candidates = [f"{term}:{iri[len(ns):]}" for term, ns in prefixes
                      if iri.startswith(ns) and len(iri) > len(ns)]
        candidates = [c for c in candidates if c not in context]
        return min(candidates, key=lambda c: (len(c), c)) if candidates else iri

    def walk(value, key=None):
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, dict):
            return {k: v if k == "@context" else compact(v) if k == "@id" and isinstance(v, str)
                    else walk(v, k) for k, v in value.items()}
        if isinstance(value, str) and key in id_typed:
            return compact(value)
        return value

    return walk(doc)


def _canonical(value):
    if isinstance(value, dict):
        return {k: (v if k == "@list" else _canonical(v)) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


STDOUT = "-"  # as --output: standard output


def export(*, store: Path | None = None, format: str | None = None, output: Path | None = None,
           graph: str | None = None) -> RdfFormat:
    """Write the store as `format` to `output` (stdout when None or "-"). Returns the format used.

    A device or a pipe is written through; a symlink is followed and kept; a
    regular file is replaced atomically (llmkg.files.write_output).
    """
    from llmkg.errors import FormatError
    from llmkg.store import open_store

    to_stdout = output is None or str(output) == STDOUT
    if format:
        fmt = by_name(format)
    elif not to_stdout:
        fmt = guess(output)
    else:
        raise FormatError("no format given for standard output", hint="pass --format")
    data = serialize(open_store(store), fmt, graph=graph)
    if to_stdout:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return fmt
    output = Path(output)
    if output.suffix == ".gz":
        buffer = io.BytesIO()
        # mtime=0 and no file name: the same data gives the same bytes
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as gz:
            gz.write(data)
        data = buffer.getvalue()
    _write(output, data)
    return fmt


def void_path(dump: Path) -> Path:
    """`dump.nt` -> `dump.nt.void.ttl`, `dump.nt.gz` -> `dump.nt.gz.void.ttl`: each dump
    of a folder keeps its own description."""
    dump = Path(dump)
    return dump.with_name(dump.name + ".void.ttl")


def _write(path: Path, data: bytes) -> None:
    from llmkg.errors import OutputError
    from llmkg.files import write_output

    try:
        write_output(path, data)
    except OSError as exc:
        other = f" {exc.filename}" if exc.filename and str(exc.filename) != str(path) else ""
        raise OutputError(f"cannot write{other}: {exc.strerror or exc}", file=str(path),
                          hint="check the path, its folder's rights and the free space") from None


def write_void(*, store: Path | None = None, dumps: list[Path]) -> Path:
    """Write a VoID description of the store beside the first dump (`<dump>.void.ttl`)."""
    from llmkg.store import open_store
    from llmkg.publish.void import void_description

    target = void_path(dumps[0])
    text = void_description(open_store(store), dumps=[Path(d) for d in dumps])
    _write(target, text.encode("utf-8") if isinstance(text, str) else text)
    return target
