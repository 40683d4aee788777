"""The main job: catalogs -> parse -> extract -> resolve -> map -> validate -> store.

`build()` is what `llmkg build` calls; `graph_quads()` runs the stages that
need no store (tests and benchmarks use it directly).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkg import vocab as V
from llmkg.errors import CatalogError
from llmkg.lexicon import load_lexicon, shipped
from llmkg.records import Problem

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def bundled_catalog() -> Path:
    return shipped("data") / "llm-landscape.md"


@dataclass
class BuildReport:
    catalogs: list[str]
    quads: int = 0
    class_counts: dict[str, int] = field(default_factory=dict)
    property_counts: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    resources: int = 0
    repaired_lines: int = 0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    validation: object | None = None  # llmkg.validate.ValidationReport when validated
    store: Path | None = None

    @property
    def triples(self) -> int:
        return self.quads

    @property
    def skipped(self) -> list[Problem]:
        return [p for p in self.problems if not p.partial]

    @property
    def partial(self) -> list[Problem]:
        return [p for p in self.problems if p.partial]


class _Clock:
    def __init__(self, report: BuildReport, progress: Progress | None) -> None:
        self.report, self.progress = report, progress

    def stage(self, name: str):
        clock = self

        class _Stage:
            def __enter__(self):
                self.t = time.perf_counter()
                if clock.progress:
                    clock.progress(name, 0, 1)

            def __exit__(self, *exc):
                clock.report.stage_seconds[name] = clock.report.stage_seconds.get(name, 0.0) + \
                    time.perf_counter() - self.t
                if clock.progress and not exc[0]:
                    clock.progress(name, 1, 1)

        return _Stage()


def graph_quads(catalogs: Sequence[Path] = (), *, report: BuildReport | None = None,
                progress: Progress | None = None) -> tuple[list, list[Problem]]:
    """Parse, extract, resolve and map `catalogs` (default: the bundled one) to quads."""
    from llmkg.extract import extract
    from llmkg.mapping import to_quads
    from llmkg.parse import parse_catalog
    from llmkg.resolve import resolve

    catalogs = [Path(c) for c in catalogs] or [bundled_catalog()]
    names = [c.name for c in catalogs]
    if len(set(names)) != len(names):
        raise CatalogError("two catalogs share a file name", file=str(catalogs[0]),
                           hint="rename one: provenance names catalogs by file name")
    report = report or BuildReport([str(c) for c in catalogs])
    clock = _Clock(report, progress)
    lexicon = load_lexicon()
    records = []
    for catalog_path in catalogs:
        with clock.stage("parse"):
            catalog = parse_catalog(catalog_path)
            report.repaired_lines += catalog.repaired_lines
        with clock.stage("extract"):
            extraction = extract(catalog, lexicon)
        records.extend(extraction.records)
        report.problems.extend(extraction.problems)
        report.resources += extraction.resources
    with clock.stage("resolve"):
        entities = resolve(records, lexicon)
    with clock.stage("map"):
        mapping_problems: list[str] = []
        quads = sorted(to_quads(entities, mapping_problems), key=_quad_key)
        for text in mapping_problems:
            file, line, reason = text.split(":", 2)
            report.problems.append(Problem(file, int(line), reason.strip(), "", partial=True))
    return quads, report.problems


def _quad_key(quad) -> tuple[str, str, str, str]:
    return str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object)


def count(quads, report: BuildReport) -> None:
    classes: Counter[str] = Counter()
    properties: Counter[str] = Counter()
    seen = set()
    for q in quads:
        if str(q.graph_name) != f"<{V.DATA_GRAPH}>":
            continue
        triple = (q.subject, q.predicate, q.object)
        if triple in seen:
            continue
        seen.add(triple)
        predicate = q.predicate.value
        properties[predicate] += 1
        if predicate == V.RDF + "type":
            classes[q.object.value] += 1
    report.class_counts = dict(sorted(classes.items()))
    report.property_counts = dict(sorted(properties.items()))


def build(catalogs: Sequence[Path] = (), *, store: Path | None = None, validate: bool = True,
          strict: bool = False, progress: Progress | None = None) -> BuildReport:
    """Build the store from `catalogs`. With `strict`, any skipped or partly read entry fails it.

    The previous store is replaced only when everything succeeded.
    """
    from llmkg.store import default_store, write_store

    catalogs = [Path(c) for c in catalogs] or [bundled_catalog()]
    report = BuildReport([str(c) for c in catalogs])
    report.store = Path(store) if store else default_store()
    quads, problems = graph_quads(catalogs, report=report, progress=progress)
    if strict and problems:
        first = problems[0]
        raise CatalogError(f"{len(problems)} entries were skipped or read only in part; first: "
                           f"{first.reason}", file=first.file, line=first.line,
                           hint="fix the catalog, or build without --strict to see them all")
    count(quads, report)
    clock = _Clock(report, progress)
    if validate:
        from llmkg.validate import validate_quads

        with clock.stage("validate"):
            report.validation = validate_quads(quads)
    with clock.stage("store"):
        report.quads = write_store(report.store, quads)
    return report
