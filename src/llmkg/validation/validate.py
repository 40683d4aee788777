"""SHACL validation of the data graph, reported in the catalog's terms.

`validate_quads(quads)` checks the data graph (`…/graph/data`, plus any
default-graph triples) against ontology/shapes.ttl and names, for every
result, the focus node by its label and the catalog lines it came from (read
from the provenance graph). `validate_store(path)` does the same for an
Oxigraph store on disk.

Two engines give the same results (tests/test_validate.py proves it):
"sparql" (default) compiles the shapes to SPARQL (llmkg.validation.shacl_compile) and
runs them on an Oxigraph store (llmkg.validation.shacl_sparql), without rdflib or
pySHACL, ~30x faster; "pyshacl", the reference, runs pySHACL on an rdflib
graph with inference="none" and advanced=True (SPARQL-based targets).

The build date for "no date in the future" is added to the in-memory copy
that is validated, as `llmkgsh:build llmkgsh:buildDate`.

The results and their report live in report.py.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from llmkg import vocab
from llmkg.errors import LlmkgError
from llmkg.validation.report import (BUILD_DATE, BUILD_NODE, FAIL_ON, FORMATS, SEVERITIES, SHAPES, Result,  # noqa: F401
                                     ValidationReport, default_shapes, merge_results)

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph


ENGINES = ("sparql", "pyshacl")


def validate_store(path: Path, *, shapes: Path | None = None, today: datetime.date | None = None,
                   engine: str = "sparql") -> ValidationReport:
    """Validate the store at `path` (opened read-only); keywords as for
    validate_quads. The sparql engine copies the data graph into memory (to
    add the build date) and reads provenance from the store."""
    import pyoxigraph

    from llmkg.store import open_store

    _check_engine(engine)
    store = open_store(Path(path))
    if engine == "pyshacl":
        return validate_quads(store.quads_for_pattern(None, None, None, None), shapes=shapes,
                              today=today, engine=engine)
    data = pyoxigraph.Store()
    for graph in (pyoxigraph.NamedNode(vocab.DATA_GRAPH), pyoxigraph.DefaultGraph()):
        data.bulk_extend(store.quads_for_pattern(None, None, None, graph))
    return _validate_sparql(data, lambda: store, shapes, today)


def validate_writable(store: pyoxigraph.Store, *, shapes: Path | None = None,
                      today: datetime.date | None = None, engine: str = "sparql",
                      progress: Callable[[int, int], None] | None = None) -> ValidationReport:
    """Validate a store being built, in place: no copy of its quads.
    `progress(done, total)` hears of every check run (sparql engine).

    The build date goes into a graph of its own for the checks and is removed
    afterwards, so the store holds exactly what it held before.
    """
    import pyoxigraph

    from llmkg.validation import shacl_sparql

    _check_engine(engine)
    if engine == "pyshacl":
        return validate_quads(store.quads_for_pattern(None, None, None, None), shapes=shapes,
                              today=today, engine=engine)
    try:
        return _validate_sparql(store, lambda: store, shapes, today, progress)
    finally:
        store.remove_graph(pyoxigraph.NamedNode(shacl_sparql.BUILD_GRAPH))


def validate_quads(quads: Iterable[pyoxigraph.Quad], *, shapes: Path | None = None,
                   today: datetime.date | None = None,
                   engine: str = "sparql") -> ValidationReport:
    """Validate the data graph among `quads` against `shapes` (default
    ontology/shapes.ttl). `today` is the build date that release and
    publication dates must not exceed (default: today).

    engine="sparql" (default) compiles the shapes to SPARQL and runs them on
    an in-memory Oxigraph store (llmkg.validation.shacl_sparql); engine="pyshacl" runs
    pySHACL on an rdflib graph, the reference (slow on large graphs)."""
    _check_engine(engine)
    if engine == "pyshacl":
        from llmkg.validation.shacl_pyshacl import validate_pyshacl

        return validate_pyshacl(quads, shapes=shapes, today=today)
    import pyoxigraph

    # Two stores one after the other (peak memory the larger, not the sum):
    # data graphs for the checks, then provenance and labels for the results.
    quads = quads if isinstance(quads, (list, tuple)) else list(quads)
    data_graphs = {pyoxigraph.NamedNode(vocab.DATA_GRAPH), pyoxigraph.DefaultGraph()}
    data = pyoxigraph.Store()
    data.bulk_extend(q for q in quads if q.graph_name in data_graphs)
    label = pyoxigraph.NamedNode(vocab.RDFS + "label")

    def provenance() -> pyoxigraph.Store:
        nonlocal data
        data = None
        prov = pyoxigraph.Store()
        prov.bulk_extend(q for q in quads if q.predicate == label or q.graph_name not in data_graphs)
        return prov

    return _validate_sparql(data, provenance, shapes, today)


def _check_engine(engine: str) -> None:
    if engine not in ENGINES:
        raise LlmkgError(f"unknown validation engine {engine!r}",
                         hint=f"use one of: {', '.join(ENGINES)}")


def _validate_sparql(data: pyoxigraph.Store, provenance: Callable[[], pyoxigraph.Store],
                     shapes: Path | None, today: datetime.date | None,
                     progress: Callable[[int, int], None] | None = None) -> ValidationReport:
    """Run the compiled shapes on `data` (which gets the build date), then
    name the results with the store that `provenance()` returns."""
    from llmkg.validation import shacl_sparql
    from llmkg.validation.shacl_compile import compile_shapes

    path = default_shapes() if shapes is None else Path(shapes)
    checks = compile_shapes(path)
    shacl_sparql.add_build_date(data, datetime.date.today() if today is None else today)
    found = list(shacl_sparql.findings(data, checks, file=str(path), progress=progress))
    del data
    if not found:
        return ValidationReport([])
    return ValidationReport(shacl_sparql.results(found, provenance()))
