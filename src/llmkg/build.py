"""The main job: catalogs -> parse -> extract -> resolve -> map -> validate -> store.

`build()` is what `llmkg build` calls; `graph_quads()` runs the stages that
need no store (tests and benchmarks use it directly).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from llmkg import vocab as V
from llmkg.errors import CatalogError
from llmkg.ingest.lexicon import load_lexicon
from llmkg.paths import shipped
from llmkg.ingest.records import Problem

# progress(stage, done, total): `done` of `total` units of `stage` (catalogs
# read, chunks parsed, entities mapped, shapes checked). A stage starts at
# done=0 and ends at done=total; total is 0 while not yet known, then fixed,
# and `done` never decreases. Stages come one after the other: read,
# parse+extract, resolve, map+store, validate.
Progress = Callable[[str, int, int], None]


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
    validation: object | None = None  # llmkg.validation.validate.ValidationReport when validated
    store: Path | None = None
    stored: bool = False  # whether the new store replaced the old (not when validation found violations)

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
    """Times build stages into the report and tells `progress` when each starts and ends."""

    def __init__(self, report: BuildReport, progress: Progress | None) -> None:
        self.report, self.progress = report, progress

    @contextlib.contextmanager
    def stage(self, name: str, total: int = 0):
        """Yields `tick(done, total)` for the stage's own progress."""
        known = [total]

        def tick(done: int, total: int) -> None:
            known[0] = total
            if self.progress:
                self.progress(name, done, total)

        started = time.perf_counter()
        tick(0, total)
        try:
            yield tick
        finally:
            seconds = self.report.stage_seconds.get(name, 0.0) + time.perf_counter() - started
            self.report.stage_seconds[name] = seconds
        tick(known[0] or 1, known[0] or 1)


def _counted(items: list, tick):
    """`items`, telling `tick` every 1% how many have been taken."""
    total = len(items)
    step = max(1, total // 100)
    for i, item in enumerate(items, start=1):
        yield item
        if i % step == 0 or i == total:
            tick(i, total)


def _entities(catalogs: list[Path], report: BuildReport, progress: Progress | None,
              max_catalog_bytes: int | None = None, texts: dict | None = None):
    """Parse, extract and resolve: one entity per real thing, problems into the report.

    `texts`, if given, gets the text of every catalog line, by (file name, line).
    A catalog in which no entry is found (no model, organisation, paper or
    architecture: headings at most) is refused: it is not a catalog (an empty
    file, a README, /etc/passwd) and would build an empty graph.
    """
    from llmkg.ingest.parse import read_text, split_text
    from llmkg.ingest.resolve import resolve

    names = [c.name for c in catalogs]
    if len(set(names)) != len(names):
        raise CatalogError("two catalogs share a file name", file=str(catalogs[0]),
                           hint="rename one: provenance names catalogs by file name")
    clock = _Clock(report, progress)
    lexicon = load_lexicon()
    records, chunks = [], []
    with clock.stage("read", len(catalogs)) as tick:
        for i, catalog_path in enumerate(catalogs, start=1):
            text, repaired = read_text(catalog_path, limit=max_catalog_bytes)
            report.repaired_lines += repaired
            chunks += split_text(text, path=catalog_path, lines_per_chunk=LINES_PER_CHUNK)
            tick(i, len(catalogs))
    if texts is not None:  # the lines' texts, for the provenance graph (llmkg:lineText)
        texts.update(line_texts(chunks))
    with clock.stage("parse+extract", len(chunks)) as tick:
        for extraction in _extract_chunks(chunks, tick):
            records.extend(extraction.records)
            report.problems.extend(extraction.problems)
            report.resources += extraction.resources
    found = {r.catalog for r in records if r.kind != "section"}
    for catalog_path in catalogs:
        if catalog_path.name not in found:
            raise CatalogError("no entries found in this catalog", file=str(catalog_path),
                               hint="check it is the catalog (markdown lists of models under headings); "
                                    "the store is unchanged")
    with clock.stage("resolve"):
        return resolve(records, lexicon, doubts=report.problems)


STORE_BATCH = 100_000  # quads per bulk load (~18 MB of text); 50K-500K load alike, 500K costs ~0.45 GB more RSS

# A large catalog is cut into chunks of whole top-level blocks that parse and
# extract in parallel (the same graph as in one piece: tests/test_chunks.py).
LINES_PER_CHUNK = 4000


@contextlib.contextmanager
def _without_gc():
    """Pause Python's cyclic GC: a build allocates millions of small acyclic objects,
    and repeated full collections over them cost a third of the run (100K entries)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _extract_chunks(chunks, tick):
    """Extractions of `chunks` in order; in worker processes when there are several."""
    from llmkg.ingest.extract import extract_chunk

    workers = min(len(chunks), os.cpu_count() or 1)
    if workers < 2:
        for i, chunk in enumerate(chunks):
            yield extract_chunk(chunk)
            tick(i + 1, len(chunks))
        return
    import multiprocessing

    # Workers ignore Ctrl-C and are killed on any error or interrupt, so that
    # the build stops at once instead of waiting for the chunks they parse;
    # they die with the build even when it is killed.
    pool = multiprocessing.Pool(workers, initializer=_worker_start, initargs=(os.getpid(),))
    try:
        for i, extraction in enumerate(pool.imap(extract_chunk, chunks)):
            yield extraction
            tick(i + 1, len(chunks))
        pool.close()
    finally:
        pool.terminate()
        pool.join()


def _worker_start(parent: int) -> None:
    """Worker initializer: ignore Ctrl-C (the build handles it) and end with the build
    that started it, even by kill -9 (left alone, a worker waits for work forever)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        import threading

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(0.5)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the build died before the signal was asked for
        os._exit(1)


def line_texts(chunks) -> dict:
    """(catalog file name, line number) -> the line's text, for chunks of catalogs."""
    texts = {}
    for chunk in chunks:
        name = Path(chunk.path).name
        for offset, text in enumerate(chunk.text.split("\n")):
            texts[(name, chunk.first_line + offset)] = text
    return texts


def _mapped(entities, report: BuildReport, texts: dict | None = None):
    """The N-Quads lines of `entities` (a generator); values that are no RDF
    term become problems once all are mapped."""
    from llmkg.ingest.mapping import to_nquads

    mapping_problems: list[str] = []
    yield from to_nquads(entities, mapping_problems, texts)
    for text in mapping_problems:
        file, line, reason = text.split(":", 2)
        report.problems.append(Problem(file, int(line), reason.strip(), "", partial=True))


def _store_lines(db, lines) -> None:
    """Bulk-load N-Quads `lines` into `db` in batches, each in a writer thread
    while the next is mapped: bulk_load releases the GIL, so the Python mapping
    and RocksDB's loading overlap on two cores. At most two batches are held."""
    from concurrent.futures import ThreadPoolExecutor

    import pyoxigraph

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="llmkg-store") as writer:
        loading = None
        while batch := list(itertools.islice(lines, STORE_BATCH)):
            data = "".join(batch).encode()
            del batch
            if loading is not None:
                loading.result()  # raises what the load raised
            loading = writer.submit(db.bulk_load, data, format=pyoxigraph.RdfFormat.N_QUADS)
        if loading is not None:
            loading.result()


def graph_quads(catalogs: Sequence[Path] = (), *, report: BuildReport | None = None,
                progress: Progress | None = None) -> tuple[list, list[Problem]]:
    """Parse, extract, resolve and map `catalogs` (default: the bundled one) to quads.

    The order is deterministic (entities, then facts, sorted); no store is written.
    """
    catalogs = [Path(c) for c in catalogs] or [bundled_catalog()]
    report = report or BuildReport([str(c) for c in catalogs])
    with _without_gc():
        texts: dict = {}
        entities = _entities(catalogs, report, progress, texts=texts)
        with _Clock(report, progress).stage("map"):
            from llmkg.ingest.mapping import quads_of

            quads = list(quads_of(_mapped(entities, report, texts)))
    return quads, report.problems


_COUNTS = f"""SELECT ?kind ?iri (COUNT(*) AS ?n) WHERE {{
  GRAPH <{V.DATA_GRAPH}> {{
    {{ ?s ?iri ?o BIND("property" AS ?kind) }} UNION {{ ?s a ?iri BIND("class" AS ?kind) }}
  }}
}} GROUP BY ?kind ?iri"""


def count(store, report: BuildReport) -> None:
    """Entities per class and triples per property of the data graph."""
    classes, properties = {}, {}
    for row in store.query(_COUNTS):
        (classes if row["kind"].value == "class" else properties)[row["iri"].value] = int(row["n"].value)
    report.class_counts = dict(sorted(classes.items()))
    report.property_counts = dict(sorted(properties.items()))


def build(catalogs: Sequence[Path | str] = (), *, store: Path | None = None, validate: bool = True,
          strict: bool = False, force: bool = False, engine: str = "sparql",
          max_catalog_bytes: int | None = None, progress: Progress | None = None) -> BuildReport:
    """Build the store from `catalogs` (files, or http(s) URLs given as str). With
    `strict`, any skipped or partly read entry fails it.

    Quads stream from the mapper into a new store beside the old one, which is
    validated in place and swapped in only when everything succeeded and the
    validation found no violation (with `force`, despite violations:
    `report.stored` says which). The store's lock is held throughout.
    """
    from llmkg.ingest.fetch import local_catalogs
    from llmkg.staging import writing
    from llmkg.store import default_store

    with local_catalogs(list(catalogs) or [bundled_catalog()], max_bytes=max_catalog_bytes) as (paths, names):
        report = BuildReport(names)
        report.store = Path(store) if store else default_store()
        with _without_gc(), writing(report.store):
            return _build(paths, report, validate=validate, strict=strict, force=force, engine=engine,
                          max_catalog_bytes=max_catalog_bytes, progress=progress)


class _KeepOldStore(Exception):
    """Raised inside the staged store to discard it: the validation found violations."""


def _build(catalogs, report: BuildReport, *, validate: bool, strict: bool, force: bool, engine: str,
           max_catalog_bytes: int | None, progress: Progress | None) -> BuildReport:
    from llmkg.staging import staged_store

    clock = _Clock(report, progress)
    texts: dict = {}
    entities = _entities(catalogs, report, progress, max_catalog_bytes, texts)
    try:
        with staged_store(report.store) as db:
            with clock.stage("map+store", len(entities)) as tick:
                _store_lines(db, _mapped(_counted(entities, tick), report, texts))
            # mapped and stored: the entities and line texts are not read again, and freed
            # here they leave their memory to the validation (peak RSS at 100K entries)
            del entities
            texts.clear()
            if strict and report.problems:
                from llmkg.paths import display_path

                first = report.problems[0]
                paths = {c.name: display_path(c) for c in catalogs}
                raise CatalogError(f"{len(report.problems)} entries were skipped or read only in part; "
                                   f"first: {first.reason}", file=paths.get(first.file, first.file),
                                   line=first.line,
                                   hint="fix the catalog, or build without --strict to see them all")
            count(db, report)
            report.quads = len(db)
            if validate:
                from llmkg.validation.validate import validate_writable

                with clock.stage("validate") as tick:
                    report.validation = validate_writable(db, engine=engine, progress=tick)
                if not report.validation.conforms and not force:
                    raise _KeepOldStore
    except _KeepOldStore:
        return report
    report.stored = True
    return report
