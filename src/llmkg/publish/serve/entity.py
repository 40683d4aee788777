"""What a Linked Data page shows about one resource IRI: its label and types,
its facts with the catalog file and line each came from, what links to it,
and its triples for Turtle / N-Triples / JSON-LD.

Provenance as docs/vocabulary.md stores it: a fact with a reified statement
in the provenance graph comes from that statement's lines; any other
asserted fact from the lines of its subject; a fact only in the inferred
graph was inferred by the reasoner. Plain functions over an open store, run
in the server's query threads.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from llmkg import vocab as V
from llmkg.publish.serve.fact_history import select_about

MAX_FACTS = 2_000     # facts shown on a page
MAX_INCOMING = 200    # links to the resource shown on a page

_PREFIXES = f"""PREFIX rdf: <{V.RDF}>
PREFIX rdfs: <{V.RDFS}>
PREFIX prov: <{V.PROV}>
PREFIX llmkg: <{V.LLMKG}>
"""
_FACTS = _PREFIXES + """SELECT DISTINCT ?p ?o ?label ?g WHERE {
  GRAPH ?g { ?e ?p ?o }
  OPTIONAL { ?o rdfs:label ?label }
} ORDER BY ?p ?o LIMIT %d""" % (MAX_FACTS + 1)
_STATED = _PREFIXES + """SELECT DISTINCT ?p ?o ?source ?catalog ?line ?text WHERE {
  ?statement rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?source .
  ?source llmkg:lineNumber ?line ; llmkg:inCatalog ?file .
  ?file rdfs:label ?catalog .
  OPTIONAL { ?source llmkg:lineText ?text }
} ORDER BY ?catalog ?line"""
_LINES = _PREFIXES + """SELECT DISTINCT ?source ?catalog ?line ?text WHERE {
  ?e prov:wasDerivedFrom ?source .
  ?source llmkg:lineNumber ?line ; llmkg:inCatalog ?file .
  ?file rdfs:label ?catalog .
  OPTIONAL { ?source llmkg:lineText ?text }
} ORDER BY ?catalog ?line"""
_INCOMING = _PREFIXES + """SELECT DISTINCT ?s ?p ?label WHERE {
  ?s ?p ?e .
  FILTER(?p != rdf:subject && ?p != rdf:object && ?p != llmkg:factSubject && ?p != llmkg:factObject)
  FILTER(!STRSTARTS(STR(?s), "https://w3id.org/llmkg/id/interval/"))  # history intervals: the page's history section
  OPTIONAL { ?s rdfs:label ?label }
} ORDER BY ?p ?label ?s LIMIT %d""" % (MAX_INCOMING + 1)
_TRIPLES = _PREFIXES + """CONSTRUCT { ?e ?p ?o . ?statement ?sp ?so } WHERE {
  { ?e ?p ?o } UNION { ?statement rdf:subject ?e ; ?sp ?so }
}"""
_EXISTS = "ASK { { ?e ?p ?o } UNION { ?s ?p ?e } }"
# an organisation's releases, in the columns of queries/model-releases.rq (the timeline's data)
_RELEASES = _PREFIXES + """SELECT ?model ?modelName ?date ?organization ?organizationName WHERE {
  BIND(?e AS ?organization)
  ?model llmkg:developedBy ?e ; a llmkg:Model ; llmkg:releaseDate ?date ; rdfs:label ?modelName .
  ?e rdfs:label ?organizationName .
} ORDER BY STR(?date) ?modelName ?model"""
HIDDEN = {V.LLMKG + "nameKey"}  # search keys, never displayed (docs/vocabulary.md)


@dataclass
class Source:
    catalog: str
    line: int
    iri: str
    text: str | None = None  # the catalog line, where the graph holds it

    def __str__(self) -> str:
        return f"{self.catalog}:{self.line}"


@dataclass
class Fact:
    property: str
    value: object          # a pyoxigraph term
    label: str | None      # the value's rdfs:label, if it has one
    sources: list[Source] = field(default_factory=list)
    inferred: bool = False


@dataclass
class Link:
    subject: str
    property: str
    label: str | None


@dataclass
class Entity:
    iri: str
    label: str
    types: list[str]
    facts: list[Fact]
    sources: list[Source]
    incoming: list[Link]
    more_incoming: bool
    more_facts: bool
    history: dict | None = None  # first and last catalog version stating it (history stores)
    changes: list = field(default_factory=list)   # facts that appeared or went, with versions
    last_facts: list = field(default_factory=list)  # a removed entity: its facts when last stated
    always: int = 0  # facts every catalog version stated

    def rows(self) -> list[tuple[str, list[Fact]]]:
        """The facts by property, in order; provenance links are the sources column, not rows."""
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts:
            if fact.property not in (V.PROV + "wasDerivedFrom", V.LLMKG + "lineText"):  # shown apart
                grouped.setdefault(fact.property, []).append(fact)
        return list(grouped.items())

    def values(self, prop: str) -> list[Fact]:
        return [f for f in self.facts if f.property == prop]

    @property
    def is_model(self) -> bool:
        return V.LLMKG + "Model" in self.types

    @property
    def is_organization(self) -> bool:
        return V.LLMKG + "Organization" in self.types


def exists(store, iri: str) -> bool:
    return bool(select_about(store, _EXISTS, iri))


def _source(row) -> Source:
    return Source(row["catalog"].value, int(row["line"].value), row["source"].value,
                  row["text"].value if row["text"] else None)


def describe(store, iri: str) -> Entity | None:
    """Everything the page shows about `iri`; None if the store never mentions it."""
    if not exists(store, iri):
        return None
    lines = [_source(r) for r in select_about(store, _LINES, iri)]
    stated: dict[tuple[str, str], list[Source]] = {}
    for r in select_about(store, _STATED, iri):
        stated.setdefault((r["p"].value, str(r["o"])), []).append(_source(r))
    facts: dict[tuple[str, str], Fact] = {}
    more_facts = False
    for i, r in enumerate(select_about(store, _FACTS, iri)):
        if i == MAX_FACTS:
            more_facts = True
            break
        prop, value = r["p"].value, r["o"]
        if prop in HIDDEN:
            continue
        key = (prop, str(value))
        fact = facts.get(key)
        if fact is None:
            fact = facts[key] = Fact(prop, value, r["label"].value if r["label"] else None, inferred=True)
        if r["g"].value != V.INFERRED_GRAPH:
            fact.inferred = False
            fact.sources = stated.get(key) or ([] if prop == V.PROV + "wasDerivedFrom" else lines)
    incoming = [Link(r["s"].value, r["p"].value, r["label"].value if r["label"] else None)
                for r in select_about(store, _INCOMING, iri)]
    labels = [f.value.value for f in facts.values() if f.property == V.RDFS + "label"]
    types = [f.value.value for f in facts.values() if f.property == V.RDF + "type"]
    entity = Entity(iri=iri, label=labels[0] if labels else _fallback_label(iri), types=types,
                    facts=list(facts.values()), sources=lines, incoming=incoming[:MAX_INCOMING],
                    more_incoming=len(incoming) > MAX_INCOMING, more_facts=more_facts,
                    history=history(store, iri))
    if entity.history:
        from llmkg.publish.serve.fact_history import add_history

        add_history(store, entity)
    return entity


def _fallback_label(iri: str) -> str:
    """'…/id/source/llm-landscape.md/80' -> 'llm-landscape.md line 80', else 'KIND SLUG'."""
    rest = iri.removeprefix(V.ID)
    kind, _, slug = rest.partition("/")
    catalog, _, line = slug.rpartition("/")
    if kind == V.SOURCE and catalog and line.isdigit():
        return f"{catalog} line {line}"
    return f"{kind} {slug}" if slug else rest


# The history store of `llmkg history` (issue 13; docs/vocabulary.md 'History'
# on that branch): each fact's intervals of consecutive catalog versions. An
# entity is in a version when an interval of its rdf:type fact covers it.
_HISTORY = _PREFIXES + f"""PREFIX dcterms: <{V.DCTERMS}>
SELECT ?from ?fromDate ?to ?toDate WHERE {{
  ?interval llmkg:factSubject ?e ; llmkg:factPredicate rdf:type ;
            llmkg:firstVersion ?first ; llmkg:lastVersion ?last .
  ?first llmkg:versionNumber ?from ; dcterms:date ?fromDate .
  ?last llmkg:versionNumber ?to ; dcterms:date ?toDate .
}}"""
_NEWEST = _PREFIXES + "SELECT (MAX(?n) AS ?newest) WHERE { ?version llmkg:versionNumber ?n }"


def history(store, iri: str) -> dict | None:
    """When the catalog first and last stated the resource, from a history
    store; None for a store of one catalog version (no intervals)."""
    spans = [(int(r["from"].value), r["fromDate"].value, int(r["to"].value), r["toDate"].value)
             for r in select_about(store, _HISTORY, iri)]
    if not spans:
        return None
    first, last = min(spans), max(spans, key=lambda s: s[2])
    newest = next(iter(store.query(_NEWEST, use_default_graph_as_union=True)))["newest"]
    return {"first": first[1], "last": last[3],
            "still": newest is not None and last[2] == int(newest.value)}


def releases(store, iri: str):
    """The dated models of organisation `iri`, as the model-releases query gives them."""
    return _result(select_about(store, _RELEASES, iri))


def lineage(store, lineage_tree: str, iri: str):
    """The rows of the lineage-tree query (its text) for the model `iri`: its
    start bound to the IRI, not looked up by name."""
    import pyoxigraph

    from llmkg.query.bindings import bind_values

    text = bind_values(lineage_tree, {"start": pyoxigraph.NamedNode(iri)})
    return _result(store.query(text, use_default_graph_as_union=True))


def _result(solutions):
    from llmkg.query.results import QueryResult

    return QueryResult([v.value for v in solutions.variables], [tuple(s) for s in solutions])


def triples(store, iri: str) -> list:
    """The resource's own triples and the reified statements about it (their provenance)."""
    return list(select_about(store, _TRIPLES, iri))
