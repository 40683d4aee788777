"""`llmkg diff`: what changed between two catalogs, stores or versions, by entity.

An entity is added or removed with its rdf:type; a property of an entity in
both whose values differ changed when values went and others came (a
corrected date, a size), else values were added or removed. Name keys
(derived from the labels) and llmkg:fromCatalog (which file said it; the
lines show that) are left out, and so are the llmkg:Catalog entities.
Rendering: text (for people), json, or N-Quads (the added triples in graph
<https://w3id.org/llmkg/graph/added>, the removed in <…/removed>).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from llmkg import vocab as V
from llmkg.errors import FormatError
from llmkg.history.snapshot import ADDED_GRAPH, REMOVED_GRAPH, TYPE as _TYPE, Snapshot, Source, term_of  # noqa: F401

FORMATS = ("text", "json", "nquads")
_LABEL = f"<{V.RDFS}label>"
_LEFT_OUT = {f"<{V.LLMKG}nameKey>", f"<{V.LLMKG}fromCatalog>"}
_CATALOG = f"<{V.LLMKG}Catalog>"
_KIND_ORDER = [f"<{V.LLMKG}{k}>" for k in ("Model", "Organization", "Paper", "Architecture")]


@dataclass
class Values:
    value: str  # N-Triples term
    sources: list[Source]


@dataclass
class PropertyChange:
    property: str  # N-Triples term
    old: list[Values] = field(default_factory=list)  # values only OLD states
    new: list[Values] = field(default_factory=list)  # values only NEW states

    @property
    def status(self) -> str:
        return "changed" if self.old and self.new else ("added" if self.new else "removed")


@dataclass
class EntityChange:
    iri: str  # N-Triples term
    label: str  # N-Triples term of the label ('""' if none)
    kind: str  # N-Triples term of its class
    status: str  # added | removed | changed
    old_sources: list[Source]
    new_sources: list[Source]
    properties: list[PropertyChange]


@dataclass
class Diff:
    old: Snapshot
    new: Snapshot
    entities: list[EntityChange]

    @property
    def changed(self) -> bool:
        return bool(self.entities)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(("entities added", "entities removed", "entities changed",
                             "facts added", "facts removed", "facts changed"), 0)
        for entity in self.entities:
            out[f"entities {entity.status}"] += 1
            for prop in entity.properties:
                out[f"facts {prop.status}"] += max(len(prop.old), len(prop.new)) \
                    if prop.status == "changed" else len(prop.old) + len(prop.new)
        return out

    def render(self, fmt: str) -> str:
        from llmkg.history import diff_output

        if fmt not in FORMATS:
            raise FormatError(f"unknown diff format '{fmt}'", hint=f"use one of: {', '.join(FORMATS)}")
        return getattr(diff_output, fmt)(self)


def diff(old: Snapshot, new: Snapshot) -> Diff:
    """The changes from `old` to `new`, grouped by entity, in a stable order."""
    before, after = _by_subject(old), _by_subject(new)
    old_labels, new_labels = old.labels(), new.labels()
    entities = []
    for subject in sorted(before.keys() | after.keys()):
        was, now = before.get(subject, {}), after.get(subject, {})
        kinds = now.get(_TYPE) or was.get(_TYPE) or {""}
        if _CATALOG in kinds:
            continue
        properties = []
        for prop in sorted(was.keys() | now.keys()):
            gone = sorted(was.get(prop, {}).keys() - now.get(prop, {}).keys())
            came = sorted(now.get(prop, {}).keys() - was.get(prop, {}).keys())
            if gone or came:
                properties.append(PropertyChange(prop, [Values(v, was[prop][v]) for v in gone],
                                                 [Values(v, now[prop][v]) for v in came]))
        if not properties:
            continue
        status = "added" if not was.get(_TYPE) else "removed" if not now.get(_TYPE) else "changed"
        if status != "changed":  # its type is what is added or removed, not a fact to list
            properties = [p for p in properties if p.property != _TYPE]
        label = new_labels.get(subject) or old_labels.get(subject) or '""'
        entities.append(EntityChange(subject, label, min(kinds), status, old.entity_sources.get(subject, []),
                                     new.entity_sources.get(subject, []), properties))
    entities.sort(key=lambda e: (_kind_rank(e.kind), term_of(e.label).value.casefold(), e.iri))
    return Diff(old, new, entities)


def _by_subject(snapshot: Snapshot) -> dict[str, dict[str, dict[str, list[Source]]]]:
    out: dict = defaultdict(lambda: defaultdict(dict))
    for (s, p, o), sources in snapshot.facts.items():
        if p not in _LEFT_OUT:
            out[s][p][o] = sources
    return out


def _kind_rank(kind: str) -> int:
    return _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER)


def compare(old: str | None = None, new: str | None = None, *, store=None, since: str | None = None,
            until: str | None = None) -> Diff:
    """Diff two sides: OLD and NEW (catalog files, http(s) URLs, store directories), or
    two versions of a history store (`since` and `until`: dates or commit ids; `until`
    defaults to the newest version)."""
    from llmkg.errors import HistoryError
    from llmkg.history import snapshot as S

    if since or until:
        if old or new:
            raise HistoryError("give either OLD and NEW, or --from/--to with --store, not both",
                               hint="llmkg diff OLD NEW, or llmkg diff --store DIR --from DATE --to DATE")
        if not since:
            raise HistoryError("--to needs --from", hint="name the older version with --from DATE")
        from llmkg.store import default_store

        where = store or default_store()
        return diff(S.of_version(where, since), S.of_version(where, until or "newest"))
    if not (old and new):
        raise HistoryError("diff needs two sides", hint="llmkg diff OLD NEW, or llmkg diff --store DIR --from DATE")
    return diff(S.of_source(old), S.of_source(new))
