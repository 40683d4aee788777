"""`llmkg history`: every committed version of the catalog as one graph.

Each version is read as a plain build reads it (parse, extract, resolve,
map); the store then holds the newest version's data and provenance graphs,
exactly as `llmkg build` writes them, and the history graph (versions and
fact intervals, llmkg/history/temporal.py). Units of text already read in an
earlier version, or in an earlier run (the cache in the store directory),
are not extracted again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from llmkg import vocab as V
from llmkg.build import BuildReport, Progress
from llmkg.errors import HistoryError
from llmkg.history.cache import CACHE_FILE, Cache
from llmkg.history.units import Unit, Unrelocatable, decode, encode, expires, units
from llmkg.history.versions import Version, list_versions, read_blobs

_IN_DATA = f" <{V.DATA_GRAPH}> .\n"
PARALLEL_UNITS = 8  # fewer units to extract are read in this process (a pool costs ~0.1 s)


@dataclass
class HistoryReport:
    store: Path
    versions: list[Version] = field(default_factory=list)
    read: int = 0  # versions read from git in this run (the others came from the cache)
    units_extracted: int = 0
    units_reused: int = 0
    facts: int = 0  # distinct facts over all versions
    intervals: int = 0
    quads: int = 0
    newest: BuildReport | None = None  # what a plain build of the newest version reports
    stage_seconds: dict[str, float] = field(default_factory=dict)


class _Extractions:
    """Extractions of units: from the cache, else read (in worker processes when many)."""

    def __init__(self, cache: Cache, report: HistoryReport) -> None:
        from llmkg.ingest.facts import today

        self.cache, self.report, self.today = cache, report, today()
        self.unplaced: dict[tuple, object] = {}  # extractions the cache cannot relocate, by exact place

    def _cached(self, key: str) -> dict | None:
        entry = self.cache.extractions.get(key)
        if entry is None or (entry["expires"] and self.today >= entry["expires"]):
            return None
        return entry["data"]

    def prepare(self, all_units: list[list[Unit]], tick) -> None:
        """Extract every unit of `all_units` that the cache lacks, each distinct text once;
        `tick(done, total)` counts the units extracted."""
        from llmkg.build import _extract_chunks
        from llmkg.ingest.extract import extract_chunk

        missing: dict[str, Unit] = {}
        for version_units in all_units:
            for unit in version_units:
                if unit.key not in missing and self._cached(unit.key) is None:
                    missing[unit.key] = unit
                else:
                    self.report.units_reused += 1
        chunks = [unit.chunk for unit in missing.values()]
        found = _extract_chunks(chunks, tick) if len(chunks) >= PARALLEL_UNITS \
            else map(extract_chunk, chunks)
        for unit, extraction in zip(missing.values(), found):
            self.report.units_extracted += 1
            try:
                data = encode(extraction, unit.chunk)
            except Unrelocatable:
                self.unplaced[_place(unit)] = extraction
                continue
            self.cache.extractions[unit.key] = {"data": data, "expires": expires(unit.chunk.text)}

    def of(self, unit: Unit):
        data = self._cached(unit.key)
        if data is not None:
            return decode(data, unit.chunk)
        extraction = self.unplaced.get(_place(unit))
        if extraction is None:  # an unrelocatable unit seen at another place: read it here
            from llmkg.ingest.extract import extract_chunk

            extraction = self.unplaced[_place(unit)] = extract_chunk(unit.chunk)
        return extraction


def _place(unit: Unit) -> tuple:
    return unit.key, unit.chunk.first_line, tuple(h.line for h in unit.chunk.headings)


def version_lines(version_units: list[Unit], extractions: _Extractions, lexicon,
                  report: BuildReport) -> list[str]:
    """The N-Quads lines a plain build writes for one version (data and provenance graphs)."""
    from llmkg.build import _mapped, line_texts
    from llmkg.ingest.resolve import resolve

    records = []
    for unit in version_units:
        extraction = extractions.of(unit)
        records.extend(extraction.records)
        report.problems.extend(extraction.problems)
        report.resources += extraction.resources
    texts = line_texts(unit.chunk for unit in version_units)
    return list(_mapped(resolve(records, lexicon, doubts=report.problems), report, texts))


def build_history(repo: Path | str, paths: list[str], *, store: Path | None = None,
                  since: str | None = None, progress: Progress | None = None) -> HistoryReport:
    """Read every committed version of the catalog at `paths` in `repo` into one store."""
    from llmkg.build import _without_gc
    from llmkg.store import default_store

    store = Path(store) if store else default_store()
    report = HistoryReport(store)
    with _without_gc():
        return _build(str(repo), paths, since, report, progress)


def _build(repo: str, paths: list[str], since: str | None, report: HistoryReport,
           progress: Progress | None) -> HistoryReport:
    from llmkg.build import _Clock
    from llmkg.ingest.lexicon import load_lexicon
    from llmkg.files import MAX_CATALOG_BYTES
    from llmkg.ingest.parse import decode_text

    clock = _Clock(report, progress)  # stages: read, extract, resolve+map, store
    with clock.stage("read") as tick:
        versions = report.versions = list_versions(repo, paths, since=since)
        if not versions:
            raise HistoryError(f"no committed version of {' or '.join(paths)}"
                               + (f" since {since}" if since else ""), file=repo,
                               hint="check the paths (relative to the repository's top folder)")
        cache = Cache.load(report.store if report.store.is_dir() else None)
        kept = cache.reusable(versions)
        cache.keep(kept)
        newest = len(versions) - 1
        to_read = list(range(kept, len(versions))) or [newest]  # the newest is always mapped again
        report.read = len(to_read)
        blobs = read_blobs(repo, [versions[i].blob for i in to_read], max_bytes=MAX_CATALOG_BYTES)
        all_units, repaired = [], 0
        for done, i in enumerate(to_read, start=1):
            version = versions[i]
            text, repaired = decode_text(blobs[version.blob], file=f"{version.path} at {version.commit[:12]}")
            all_units.append(units(text, name=version.name))
            tick(done, len(to_read))
    extractions = _Extractions(cache, report)
    with clock.stage("extract") as tick:
        extractions.prepare(all_units, tick)
    lexicon = load_lexicon()
    lines: list[str] = []
    with clock.stage("resolve+map", len(to_read)) as tick:
        for done, (i, version_units) in enumerate(zip(to_read, all_units), start=1):
            version_report = BuildReport([versions[i].path])
            lines = version_lines(version_units, extractions, lexicon, version_report)
            if i >= kept:
                cache.add_version(versions[i], version_units, (line[:-len(_IN_DATA)] for line in lines
                                                               if line.endswith(_IN_DATA)))
            if i == newest:
                report.newest = version_report
                version_report.repaired_lines = repaired
            tick(done, len(to_read))
    with clock.stage("store"):
        _write(report, cache, lines)
    return report


def _write(report: HistoryReport, cache: Cache, newest_lines: list[str]) -> None:
    import itertools

    from llmkg.build import _store_lines, count
    from llmkg.history.temporal import history_nquads
    from llmkg.staging import staged_store

    versions = [cache.version(i) for i in range(len(cache.versions))]
    report.facts = len(cache.facts)
    report.intervals = sum(len(runs) for runs in cache.facts.values())
    files: dict[str, bytes] = {}
    with staged_store(report.store, files=files) as db:
        _store_lines(db, itertools.chain(newest_lines, history_nquads(versions, cache.facts)))
        count(db, report.newest)
        report.quads = report.newest.quads = len(db)
        files[CACHE_FILE] = cache.dump()
