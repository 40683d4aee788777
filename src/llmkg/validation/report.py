"""A SHACL validation's results and report, in the catalog's terms, and how they render.

`ValidationReport.conforms` is True when there is no sh:Violation (warnings
and infos are reported but do not fail), like pySHACL's allow_warnings: it
decides the exit code. The Turtle and JSON reports state SHACL's own
`sh:conforms` (`shacl_conforms`): false whenever there is any result, of any
severity (SHACL 1.0, 3.6.1), as pySHACL and Jena write it. Both engines
(validate.py) make these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from llmkg import vocab
from llmkg.errors import FormatError, LlmkgError

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
