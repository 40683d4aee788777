"""Run queries on remote SPARQL endpoints (the SPARQL 1.1 Protocol), over
llmkg.remote's bounded HTTP (a deadline, a size cap, no redirect elsewhere,
nothing secret or raw in its messages).

Results are parsed into pyoxigraph terms, so a row from a remote endpoint
compares equal to the same row from the embedded store.

Parameters are bound as RDF terms, never pasted into the query text as raw
strings: each binding becomes `VALUES ?name { <N-Triples term> }` injected at
the start of the outermost WHERE group, with the term serialized by
pyoxigraph (which escapes it and refuses invalid IRIs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmkg.errors import EndpointError
from llmkg.query.bindings import bind_values
from llmkg.remote import AuthScheme, Budget, client, secrets_of, send

if TYPE_CHECKING:  # pragma: no cover
    import httpx


_RESULT_TYPES = {"application/sparql-results+json": "JSON", "application/json": "JSON",
                 "application/sparql-results+xml": "XML", "application/xml": "XML"}
_GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE",
                "application/rdf+xml": "RDF_XML"}


def query(endpoint_url: str, query_text: str, *, bindings: dict[str, Any] | None = None,
          user: str | None = None, password: str | None = None,
          auth: AuthScheme = "auto", http: "httpx.Client | None" = None, budget: Budget | None = None):
    """Run any query form at a SPARQL 1.1 Protocol endpoint: a QueryResult
    (llmkg.query.results) with rows (SELECT), a boolean (ASK) or triples
    (CONSTRUCT, DESCRIBE), all as pyoxigraph terms.

    The query is POSTed form-encoded (`query=...`), the one protocol binding
    every server here accepts: Virtuoso 7.2 never answers a direct
    `application/sparql-query` POST. `bindings` maps variable names (without
    `?`) to pyoxigraph terms; they are bound with VALUES (see `bind_values`).
    `budget` bounds the time and the response size (default: no deadline,
    llmkg.remote's size cap).
    """
    import pyoxigraph as ox

    from llmkg.query.bindings import query_form
    from llmkg.query.results import QueryResult

    form = query_form(query_text) or "select"
    graph = form in ("construct", "describe")
    text = bind_values(query_text, bindings) if bindings else query_text
    accept = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5" if graph else
              "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    budget = (budget or Budget()).hiding(secrets_of(user, password))
    own = http is None
    http = http or client(user=user, password=password, auth=auth)
    try:
        response = send(http, "POST", endpoint_url, what="run a SPARQL query", budget=budget,
                        ok=(200,), data={"query": text}, headers={"Accept": accept})
    finally:
        if own:
            http.close()
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kinds = _GRAPH_TYPES if graph else _RESULT_TYPES
    if media not in kinds:
        raise EndpointError(budget.clean(f"{endpoint_url} answered a {form.upper()} query with "
                                         f"{media[:60] or 'no content type'}"),
                            hint="Is this the SPARQL query endpoint (not the graph store)?")
    try:
        if graph:
            triples = list(ox.parse(response.content, format=getattr(ox.RdfFormat, kinds[media])))
            return QueryResult([], [], form=form, triples=triples)
        results = ox.parse_query_results(response.content, format=getattr(ox.QueryResultsFormat, kinds[media]))
        if isinstance(results, ox.QueryBoolean):
            return QueryResult([], [], form="ask", boolean=bool(results))
        variables = [v.value for v in results.variables]
        rows = [tuple(solution[v] for v in variables) for solution in results]  # parsed as iterated
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(budget.clean(f"cannot parse the results from {endpoint_url}: {exc}"[:400])) from None
    return QueryResult(variables, rows)


def ask(endpoint_url: str, query_text: str, **kwargs: Any) -> bool:
    """The answer of an ASK query at an endpoint (keywords as for `query`)."""
    return bool(query(endpoint_url, query_text, **kwargs).boolean)


def select(endpoint_url: str, query_text: str, *, bindings: dict[str, Any] | None = None,
           user: str | None = None, password: str | None = None,
           auth: AuthScheme = "auto", http: "httpx.Client | None" = None,
           budget: Budget | None = None) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a SELECT query at a SPARQL 1.1 Protocol endpoint (see `query`): the
    projected variable names and the rows as tuples of pyoxigraph terms (None
    where a variable is unbound), in the order the endpoint returned them."""
    result = query(endpoint_url, query_text, bindings=bindings, user=user, password=password,
                   auth=auth, http=http, budget=budget)
    if result.form != "select":
        raise EndpointError(f"{endpoint_url} returned a {result.form.upper()} answer, not rows",
                            hint="select() runs SELECT queries only")
    return result.variables, result.rows
