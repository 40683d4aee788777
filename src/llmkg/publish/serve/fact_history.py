"""Per-fact history on an entity page, from a history store (`llmkg history`):
when each value appeared, changed or went, with the catalog versions
(date and commit); for an entity the newest version no longer states, its
label and its facts as last stated.
"""

from __future__ import annotations

from dataclasses import dataclass

from llmkg import vocab as V

MAX_INTERVALS = 2_000

_INTERVALS = f"""PREFIX llmkg: <{V.LLMKG}>
PREFIX dcterms: <{V.DCTERMS}>
SELECT ?p ?o ?from ?fromDate ?fromCommit ?to ?toDate ?toCommit ?label WHERE {{
  ?interval llmkg:factSubject ?e ; llmkg:factPredicate ?p ; llmkg:factObject ?o ;
            llmkg:firstVersion ?first ; llmkg:lastVersion ?last .
  ?first llmkg:versionNumber ?from ; dcterms:date ?fromDate ; llmkg:commit ?fromCommit .
  ?last llmkg:versionNumber ?to ; dcterms:date ?toDate ; llmkg:commit ?toCommit .
  OPTIONAL {{ ?o <{V.RDFS}label> ?label }}
}} ORDER BY ?p STR(?o) ?from LIMIT {MAX_INTERVALS}"""
_VERSIONS = f"""PREFIX llmkg: <{V.LLMKG}>
SELECT (MIN(?n) AS ?oldest) (MAX(?n) AS ?newest) WHERE {{ ?version llmkg:versionNumber ?n }}"""
HIDDEN = {V.LLMKG + "nameKey"}


@dataclass
class Version:
    number: int
    date: str
    commit: str

    @property
    def short_commit(self) -> str:
        return self.commit[:7]


@dataclass
class Change:
    property: str
    value: object          # a pyoxigraph term
    label: str | None
    first: Version
    last: Version
    since_oldest: bool     # stated by the oldest version already
    still: bool            # stated by the newest version

    @property
    def what(self) -> str:
        if self.since_oldest and self.still:
            return "always stated"
        if self.still:
            return "added"
        return "removed" if self.since_oldest else "added, then removed"


def add_history(store, entity) -> None:
    """Fill `entity.changes` (facts not stated by every version) and, for an
    entity the newest version dropped, its label and `last_facts`."""

    bounds = next(iter(store.query(_VERSIONS, use_default_graph_as_union=True)))
    oldest, newest = int(bounds["oldest"].value), int(bounds["newest"].value)
    changes = []
    for r in select_about(store, _INTERVALS, entity.iri):
        if r["p"].value in HIDDEN:
            continue
        first = Version(int(r["from"].value), r["fromDate"].value, r["fromCommit"].value)
        last = Version(int(r["to"].value), r["toDate"].value, r["toCommit"].value)
        changes.append(Change(r["p"].value, r["o"], r["label"].value if r["label"] else None, first, last,
                              first.number == oldest, last.number == newest))
    entity.changes = [c for c in changes if c.what != "always stated"]
    entity.always = len(changes) - len(entity.changes)
    if not entity.history.get("still") and changes:
        final = max(c.last.number for c in changes)
        entity.last_facts = [c for c in changes if c.last.number == final]
        labels = [c.value.value for c in entity.last_facts if c.property == V.RDFS + "label"]
        if labels and not any(f.property == V.RDFS + "label" for f in entity.facts):
            entity.label = labels[0]
        if not entity.types:
            entity.types = [c.value.value for c in entity.last_facts if c.property == V.RDF + "type"]


def select_about(store, text: str, iri: str):
    """The rows of a query about one entity (?e bound to it), over the union of graphs."""
    import pyoxigraph

    from llmkg.query.bindings import bind_values

    return store.query(bind_values(text, {"e": pyoxigraph.NamedNode(iri)}), use_default_graph_as_union=True)
