"""Index pages of every model, organisation, paper and architecture (/models,
/organizations, /papers, /architectures): one row each, sorted and filtered
in the browser (static/app.js), and an organisation's table of its models.
"""

from __future__ import annotations

from dataclasses import dataclass

from llmkg import vocab as V

MAX_ROWS = 5_000  # rows an index page lists; the rest are a query away

_PREFIXES = f"""PREFIX rdfs: <{V.RDFS}>
PREFIX llmkg: <{V.LLMKG}>
"""
_MODELS = _PREFIXES + """SELECT ?e ?name ?organization ?organizationName (MIN(STR(?date)) AS ?released)
       (MAX(?size) AS ?largest) (MAX(?context) AS ?contextLength) WHERE {
  ?e a llmkg:Model ; rdfs:label ?name .
  OPTIONAL { ?e llmkg:developedBy ?organization . ?organization rdfs:label ?organizationName }
  OPTIONAL { ?e llmkg:releaseDate ?date }
  OPTIONAL { ?e llmkg:parameterCount ?size }
  OPTIONAL { ?e llmkg:contextLength ?context }
} GROUP BY ?e ?name ?organization ?organizationName ORDER BY ?name ?e LIMIT %d"""
_ORGANIZATIONS = _PREFIXES + """SELECT ?e ?name (COUNT(DISTINCT ?model) AS ?models)
       (MIN(STR(?date)) AS ?first) (MAX(STR(?date)) AS ?latest) WHERE {
  ?e a llmkg:Organization ; rdfs:label ?name .
  OPTIONAL { ?model llmkg:developedBy ?e OPTIONAL { ?model llmkg:releaseDate ?date } }
} GROUP BY ?e ?name ORDER BY ?name ?e LIMIT %d"""
_PAPERS = _PREFIXES + """SELECT ?e ?name ?arxiv ?published (COUNT(DISTINCT ?model) AS ?models) WHERE {
  ?e a llmkg:Paper .
  OPTIONAL { ?e rdfs:label ?name }
  OPTIONAL { ?e llmkg:arxivId ?arxiv }
  OPTIONAL { ?e llmkg:publicationDate ?published }
  OPTIONAL { ?model llmkg:describedIn ?e }
} GROUP BY ?e ?name ?arxiv ?published ORDER BY ?arxiv ?e LIMIT %d"""
_ARCHITECTURES = _PREFIXES + """SELECT ?e ?name (COUNT(DISTINCT ?model) AS ?models) WHERE {
  ?e a llmkg:Architecture ; rdfs:label ?name .
  OPTIONAL { ?model llmkg:hasArchitecture ?e }
} GROUP BY ?e ?name ORDER BY ?name ?e LIMIT %d"""
# an organisation's models, in the columns of the model index
_OWN_MODELS = _MODELS.replace("?e a llmkg:Model ; rdfs:label ?name .",
                              "?e a llmkg:Model ; rdfs:label ?name ; llmkg:developedBy ?owner .")


@dataclass(frozen=True)
class Column:
    title: str
    variable: str
    kind: str = "text"   # text | link (to the row's entity) | size | number | date


@dataclass(frozen=True)
class Listing:
    path: str
    title: str
    query: str
    columns: tuple[Column, ...]


_MODEL_COLUMNS = (Column("model", "name", "link"), Column("organisation", "organizationName", "organization"),
                  Column("released", "released", "date"), Column("largest size", "largest", "size"),
                  Column("context length", "contextLength", "number"))
LISTINGS = {
    "models": Listing("/models", "Models", _MODELS, _MODEL_COLUMNS),
    "organizations": Listing("/organizations", "Organisations", _ORGANIZATIONS, (
        Column("organisation", "name", "link"), Column("models", "models", "number"),
        Column("first release", "first", "date"), Column("latest release", "latest", "date"))),
    "papers": Listing("/papers", "Papers", _PAPERS, (
        Column("arXiv id", "arxiv", "link"), Column("title", "name"), Column("published", "published", "date"),
        Column("models described", "models", "number"))),
    "architectures": Listing("/architectures", "Architectures", _ARCHITECTURES, (
        Column("architecture", "name", "link"), Column("models", "models", "number"))),
}


def cell(column: Column, row: dict) -> dict:
    """A cell: its text, link, exact value on hover, and the key it sorts by."""
    from llmkg.publish.serve.html import local_path
    from llmkg.publish.serve.values import date, size

    term = row.get(column.variable)
    value = None if term is None else term.value
    out = {"text": value or "", "href": None, "title": None, "sort": value or ""}
    if value is None:
        return out
    if column.kind == "link":
        out["href"] = local_path(row["e"].value)
    elif column.kind == "organization" and row.get("organization") is not None:
        out["href"] = local_path(row["organization"].value)
    elif column.kind in ("size", "number"):
        number = int(value)
        out.update(text=size(number) if column.kind == "size" else f"{number:,}", sort=f"{number:020d}",
                   title=f"{number:,}")
    elif column.kind == "date":
        out.update(text=date(value), title=value)
    return out


def rows(store, listing: Listing, owner: str | None = None) -> tuple[list[list[dict]], bool]:
    """The listing's rows as cells, and whether there were more than MAX_ROWS."""
    import pyoxigraph

    from llmkg.query.bindings import bind_values

    text = listing.query % (MAX_ROWS + 1)
    if owner is not None:
        text = bind_values(_OWN_MODELS % (MAX_ROWS + 1), {"owner": pyoxigraph.NamedNode(owner)})
    solutions = store.query(text, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    found = [dict(zip(names, s)) for s in solutions]
    return [[cell(c, r) for c in listing.columns] for r in found[:MAX_ROWS]], len(found) > MAX_ROWS
