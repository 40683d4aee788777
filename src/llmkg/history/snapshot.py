"""One side of a diff: the facts of a catalog, a store or a version of a history store,
each with the catalog lines it was read from.

Every side becomes the same thing: the N-Quads lines of its data and
provenance graphs (what a build writes), read back into facts and sources
by the mapping's own rule (docs/vocabulary.md, "Provenance"): a fact with a
reified statement comes from that statement's lines, any other from its
subject's lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from llmkg import vocab as V
from llmkg.errors import HistoryError

Source = tuple[str, int]  # (catalog file name, line)
Triple = tuple[str, str, str]  # N-Triples terms

_DATA = f" <{V.DATA_GRAPH}> .\n"
_PROV = f" <{V.PROVENANCE_GRAPH}> .\n"
_R = {name: f"<{V.RDF}{name}>" for name in ("subject", "predicate", "object")}
_DERIVED = f"<{V.PROV}wasDerivedFrom>"
_LINE_NUMBER = f"<{V.LLMKG}lineNumber>"
_IN_CATALOG = f"<{V.LLMKG}inCatalog>"
_LABEL = f"<{V.RDFS}label>"

# The graphs `llmkg diff --format nquads` writes what was added and removed into.
ADDED_GRAPH = V.GRAPH + "added"
REMOVED_GRAPH = V.GRAPH + "removed"
TYPE = f"<{V.RDF}type>"


@dataclass
class Snapshot:
    name: str  # what the user named: a file, a store, a version
    facts: dict[Triple, list[Source]] = field(default_factory=dict)
    entity_sources: dict[str, list[Source]] = field(default_factory=dict)
    texts: dict[Source, str] = field(default_factory=dict)  # catalog lines, where the text is at hand

    def labels(self) -> dict[str, str]:
        return {s: o for (s, p, o) in self.facts if p == _LABEL}


def from_lines(name: str, lines, texts: dict[Source, str] | None = None) -> Snapshot:
    """A snapshot of N-Quads `lines` of the data and provenance graphs."""
    data: list[Triple] = []
    statements: dict[str, dict[str, str]] = defaultdict(dict)
    derived: dict[str, list[str]] = defaultdict(list)
    line_numbers, catalogs, labels = {}, {}, {}
    for line in lines:
        if line.endswith(_DATA):
            s, p, o = line[:-len(_DATA)].split(" ", 2)
            data.append((s, p, o))
            if p == _LABEL:
                labels[s] = o
            continue
        if not line.endswith(_PROV):
            continue
        s, p, o = line[:-len(_PROV)].split(" ", 2)
        if p in (_R["subject"], _R["predicate"], _R["object"]):
            statements[s][p] = o
        elif p == _DERIVED:
            derived[s].append(o)
        elif p == _LINE_NUMBER:
            line_numbers[s] = int(o.split('"')[1])
        elif p == _IN_CATALOG:
            catalogs[s] = o

    def sources(node: str) -> list[Source]:
        out = []
        for source in derived.get(node, ()):
            catalog = labels.get(catalogs.get(source, ""), '""')
            out.append((_lexical(catalog), line_numbers.get(source, 0)))
        return sorted(set(out))

    stated = {(st[_R["subject"]], st[_R["predicate"]], st[_R["object"]]): sources(node)
              for node, st in statements.items() if len(st) == 3}
    snapshot = Snapshot(name, texts=texts or {})
    for triple in data:
        snapshot.facts[triple] = stated.get(triple) or snapshot.entity_sources.setdefault(
            triple[0], sources(triple[0]))
    for subject in {s for s, _, _ in data}:
        snapshot.entity_sources.setdefault(subject, sources(subject))
    return snapshot


def _lexical(term: str) -> str:
    return term_of(term).value


def term_of(text: str):
    """The pyoxigraph term of an N-Triples term."""
    from pyoxigraph import RdfFormat, parse

    return next(iter(parse(f"<x:s> <x:p> {text} .".encode(), format=RdfFormat.N_TRIPLES))).object


# -- the sides ------------------------------------------------------------------


def of_catalog(path: Path) -> Snapshot:
    """A catalog file, read as `llmkg build` reads it."""
    from llmkg.build import BuildReport, _entities, _mapped
    from llmkg.ingest.parse import read_text

    report = BuildReport([str(path)])
    lines = list(_mapped(_entities([path], report, None), report))
    text, _ = read_text(path)
    texts = {(path.name, n): line for n, line in enumerate(text.split("\n"), start=1)}
    return from_lines(str(path), lines, texts)


def of_store(path: Path) -> Snapshot:
    """The data and provenance graphs of a store (no catalog text: lines by number only)."""
    from pyoxigraph import NamedNode

    from llmkg.store import open_store

    db = open_store(path)
    lines = [f"{q.subject} {q.predicate} {q.object} <{graph}> .\n"
             for graph in (V.DATA_GRAPH, V.PROVENANCE_GRAPH)
             for q in db.quads_for_pattern(None, None, None, NamedNode(graph))]
    return from_lines(str(path), lines)


def of_version(store: Path, when: str) -> Snapshot:
    """The version of a history store in force on `when` (a date, YYYY-MM-DD) or
    committed as `when` (a commit id or its prefix), rebuilt from the store's cache."""
    from llmkg.build import BuildReport
    from llmkg.history.cache import Cache
    from llmkg.history.timeline import _Extractions, HistoryReport, version_lines
    from llmkg.ingest.lexicon import load_lexicon

    cache = Cache.load(Path(store), any_ingester=True)
    if not cache.versions:
        raise HistoryError("this store holds no history", file=str(store),
                           hint="build one with `llmkg history REPO PATH... --store DIR`")
    index = _version_index(cache, when, store)
    version = cache.version(index)
    units = cache.units_of(index)
    report = BuildReport([version.path])
    lines = version_lines(units, _Extractions(cache, HistoryReport(Path(store))), load_lexicon(), report)
    text = "\n".join(unit.chunk.text for unit in units)
    texts = {(version.name, n): line for n, line in enumerate(text.split("\n"), start=1)}
    return from_lines(f"{version.path} at {version.date} ({version.commit[:7]})", lines, texts)


def _version_index(cache, when: str, store: Path) -> int:
    dates = [cache.version(i).date for i in range(len(cache.versions))]
    if when == "newest":
        return len(dates) - 1
    if re.fullmatch(r"\d{4}-\d\d-\d\d", when):
        on_or_before = [i for i, date in enumerate(dates) if date <= when]
        if not on_or_before:
            raise HistoryError(f"no version on or before {when}", file=str(store),
                               hint=f"the first version is of {dates[0]}")
        return on_or_before[-1]
    matches = [i for i, v in enumerate(cache.versions) if re.fullmatch(r"[0-9a-f]{4,40}", when)
               and v["commit"].startswith(when)]
    if len(matches) != 1:
        raise HistoryError(f"'{when}' names no single version", file=str(store),
                           hint="give a date (YYYY-MM-DD) or a commit id")
    return matches[0]


def of_source(source: str) -> Snapshot:
    """A catalog file, an http(s) URL of one, or a store directory."""
    from llmkg.ingest.fetch import is_url, local_catalogs

    if is_url(source):
        with local_catalogs([source]) as (paths, names):
            snapshot = of_catalog(paths[0])
            snapshot.name = names[0]
            return snapshot
    path = Path(source)
    if path.is_dir():
        return of_store(path)
    return of_catalog(path)
