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

`ValidationReport.conforms` is True when there is no sh:Violation (warnings
and infos are reported but do not fail), like pySHACL's allow_warnings: it
decides the exit code. The Turtle and JSON reports state SHACL's own
`sh:conforms` (`shacl_conforms`): false whenever there is any result, of any
severity (SHACL 1.0, 3.6.1), as pySHACL and Jena write it.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from llmkg import vocab
from llmkg.errors import FormatError, LlmkgError

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

SHAPES = "https://w3id.org/llmkg/shapes#"
BUILD_NODE = SHAPES + "build"
BUILD_DATE = SHAPES + "buildDate"

SEVERITIES = ("Violation", "Warning", "Info")  # most severe first
FAIL_ON = {"violation": ("Violation",), "warning": ("Violation", "Warning")}
FORMATS = ("text", "turtle", "json")

_PREFIXES = {**vocab.PREFIXES, "llmkgsh": SHAPES, "sh": vocab.SH}


def default_shapes() -> Path:
    """ontology/shapes.ttl beside src/ in a checkout, or under llmkg/_shipped/."""
    from llmkg.paths import shipped

    return shipped("ontology") / "shapes.ttl"


@dataclass(frozen=True)
class Result:
    """One SHACL result, in terms a curator can act on."""

    severity: str                 # "Violation" | "Warning" | "Info"
    shape: str                    # IRI of the shape that produced it
    focus: str                    # IRI of the focus node
    path: str | None              # IRI of the property, if any
    value_term: str | None        # the value in N-Triples syntax
    message: str
    shape_label: str = ""
    focus_label: str | None = None
    where: tuple[str, ...] = ()   # "file:line" from the provenance graph
    value: str | None = None      # lexical form (literal) or IRI of the value
    # IRIs of the sh:sourceConstraintComponent(s): pySHACL reports a value once
    # per failed component (a string count fails datatype, min and max); with
    # one sh:message per shape those say the same, so they are merged here
    components: tuple[str, ...] = ()

    def sort_key(self) -> tuple:
        return (SEVERITIES.index(self.severity), self.shape, self.focus,
                self.path or "", self.value_term or "", self.message)

    def as_dict(self) -> dict[str, Any]:
        return {"severity": self.severity, "shape": self.shape,
                "shapeLabel": self.shape_label, "focus": self.focus,
                "focusLabel": self.focus_label, "where": list(self.where),
                "path": self.path, "value": self.value,
                "valueTerm": self.value_term, "components": list(self.components),
                "message": self.message}


@dataclass
class ValidationReport:
    """The outcome of validating one graph; results are sorted (severity,
    shape, focus, path, value) so every rendering is deterministic."""

    results: list[Result] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.results = sorted(self.results, key=Result.sort_key)

    @property
    def counts(self) -> dict[str, int]:
        counts = {s: 0 for s in SEVERITIES}
        for r in self.results:
            counts[r.severity] += 1
        return counts

    @property
    def conforms(self) -> bool:
        return self.counts["Violation"] == 0

    @property
    def shacl_conforms(self) -> bool:
        """SHACL's sh:conforms: no validation result at all (SHACL 1.0, 3.6.1)."""
        return not self.results

    def exit_code(self, fail_on: str = "violation") -> int:
        """1 when a result at least as severe as `fail_on` exists, else 0."""
        if fail_on not in FAIL_ON:
            raise LlmkgError(f"unknown severity to fail on: {fail_on!r}",
                             hint=f"use one of: {', '.join(FAIL_ON)}")
        return int(any(r.severity in FAIL_ON[fail_on] for r in self.results))

    def summary(self) -> str:
        c = self.counts
        return ", ".join(f"{c[s]} {s.lower()}{'' if c[s] == 1 else 's'}"
                         for s in SEVERITIES)

    def render(self, format: str = "text") -> str:
        """The report as "text" (for people), "turtle" (a SHACL validation
        report graph) or "json" (a stable document for tools)."""
        if format == "text":
            return _render_text(self)
        if format == "json":
            return _render_json(self)
        if format == "turtle":
            return _render_turtle(self)
        raise FormatError(f"unknown report format {format!r}",
                          hint=f"use one of: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------
# validation

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


def merge_results(results: Iterable[Result]) -> list[Result]:
    """One Result per (severity, shape, focus, path, value, message): the same
    finding through several constraint components names them all."""
    out: dict[tuple, Result] = {}
    for result in results:
        key = result.sort_key()
        if key in out:
            merged = tuple(sorted(set(out[key].components) | set(result.components)))
            result = replace(out[key], components=merged)
        out[key] = result
    return list(out.values())


# --------------------------------------------------------------------------
# rendering

def _curie(iri: str | None) -> str:
    if iri is None:
        return ""
    best = ""
    for prefix, ns in _PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(_PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(_PREFIXES[best]):]}" if best else f"<{iri}>"


def _render_text(report: ValidationReport) -> str:
    lines: list[str] = []
    groups: dict[tuple[str, str], list[Result]] = {}
    for r in report.results:
        groups.setdefault((r.severity, r.shape), []).append(r)
    for (severity, shape), results in groups.items():
        first = results[0]
        title = first.shape_label or _curie(shape)
        lines.append(f"{severity}: {title} [{_curie(shape)}], {len(results)} "
                     f"result{'' if len(results) == 1 else 's'}")
        shared = len({r.message for r in results}) == 1
        if shared:
            lines.append(f"  {first.message}")
        for r in results:
            who = f"{r.focus_label} <{r.focus}>" if r.focus_label else f"<{r.focus}>"
            where = f" at {', '.join(r.where)}" if r.where else ""
            what = f": {_curie(r.path)}" if r.path else ""
            if r.value is not None:
                what += f" = {r.value}" if r.path else f": {r.value}"
            lines.append(f"  - {who}{where}{what}")
            if not shared:
                lines.append(f"    {r.message}")
        lines.append("")
    lines.append(report.summary())
    return "\n".join(lines) + "\n"


def _render_json(report: ValidationReport) -> str:
    c = report.counts
    doc = {"conforms": report.shacl_conforms,
           "counts": {s.lower(): c[s] for s in SEVERITIES},
           "results": [r.as_dict() for r in report.results]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _term(iri_or_bnode: str) -> str:
    return iri_or_bnode if iri_or_bnode.startswith("_:") else f"<{iri_or_bnode}>"


def _render_turtle(report: ValidationReport) -> str:
    """The SHACL validation report graph (one sh:ValidationResult per failed
    constraint component, as pySHACL reports them), written in a fixed order:
    pySHACL's own graph has blank nodes whose serialization order varies."""
    import pyoxigraph

    blocks = []
    for r in report.results:
        for component in r.components or (None,):
            props = [("a", "sh:ValidationResult"),
                     ("sh:resultSeverity", f"sh:{r.severity}"),
                     ("sh:sourceShape", _term(r.shape)),
                     ("sh:focusNode", _term(r.focus))]
            if r.path:
                props.append(("sh:resultPath", f"<{r.path}>"))
            if r.value_term:
                props.append(("sh:value", r.value_term))
            if component:
                props.append(("sh:sourceConstraintComponent", f"<{component}>"))
            props.append(("sh:resultMessage", str(pyoxigraph.Literal(r.message))))
            body = " ;\n".join(f"        {p} {o}" for p, o in props)
            blocks.append(f"    [\n{body}\n    ]")
    head = (f"@prefix sh: <{vocab.SH}> .\n\n[] a sh:ValidationReport ;\n"
            f"    sh:conforms {'true' if report.shacl_conforms else 'false'}")
    if not blocks:
        return head + " .\n"
    return head + " ;\n    sh:result\n" + " ,\n".join(blocks) + " .\n"
