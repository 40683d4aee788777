"""Talk to remote SPARQL endpoints: the SPARQL 1.1 Protocol for queries and
the HTTP helpers (authentication, error translation) that `load` shares.

Results are parsed into pyoxigraph terms, so a row from a remote endpoint
compares equal to the same row from the embedded store.

Parameters are bound as RDF terms, never pasted into the query text as raw
strings: each binding becomes `VALUES ?name { <N-Triples term> }` injected at
the start of the outermost WHERE group, with the term serialized by
pyoxigraph (which escapes it and refuses invalid IRIs).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator, Literal as TypingLiteral

from llmkg.query.bindings import bind_values
from llmkg.errors import EndpointError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

AuthScheme = TypingLiteral["basic", "digest", "auto"]

#: Seconds to wait for a connection and for each read. Loads of big chunks
#: may take a while on a busy server, hence the generous read timeout.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 300.0

USER_AGENT = "llmkg (SPARQL 1.1 Protocol / Graph Store HTTP Protocol client)"


# --------------------------------------------------------------------------
# HTTP plumbing shared with llmkg.publish.load


def make_auth(user: str | None, password: str | None,
              scheme: AuthScheme = "auto") -> "httpx.Auth | None":
    """An httpx auth for `user`/`password`, or None without a user.

    "auto" sends the request without credentials first and answers the
    server's challenge with the scheme it names (Basic or Digest), then keeps
    using that scheme for the rest of the session.
    """
    import httpx

    if user is None:
        return None
    if password is None:
        password = ""
    if scheme == "basic":
        return httpx.BasicAuth(user, password)
    if scheme == "digest":
        return httpx.DigestAuth(user, password)
    if scheme == "auto":
        return _auto_auth(user, password)
    raise EndpointError(f"unknown authentication scheme {scheme!r}",
                        hint="Use basic, digest or auto")


def _auto_auth(user: str, password: str) -> "httpx.Auth":
    import httpx

    class AutoAuth(httpx.Auth):
        """Answer whichever challenge (Basic or Digest) the server sends."""

        requires_request_body = True

        def __init__(self) -> None:
            self.chosen: httpx.Auth | None = None

        def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
            if self.chosen is not None:
                yield from self.chosen.auth_flow(request)
                return
            response = yield request
            if response.status_code != 401:
                return
            challenge = response.headers.get("www-authenticate", "")
            scheme = challenge.split(" ", 1)[0].lower()
            if scheme == "digest":
                self.chosen = httpx.DigestAuth(user, password)
            elif scheme == "basic":
                self.chosen = httpx.BasicAuth(user, password)
            else:
                return
            yield from self.chosen.auth_flow(request)

    return AutoAuth()


def client(*, user: str | None = None, password: str | None = None,
           auth: AuthScheme = "auto") -> "httpx.Client":
    """An httpx client with llmkg's timeouts, user agent and credentials."""
    import httpx

    return httpx.Client(
        auth=make_auth(user, password, auth),
        timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
        headers={"User-Agent": USER_AGENT},
        follow_redirects=True,
        trust_env=False,
    )


def send(http: "httpx.Client", method: str, url: str, *, what: str,
         ok: tuple[int, ...] = (200, 201, 204), **kwargs: Any) -> "httpx.Response":
    """Send one request; translate refused connections, time-outs and
    unexpected statuses into EndpointError naming `what` was attempted."""
    import httpx

    try:
        response = http.request(method, url, **kwargs)
    except httpx.ConnectError as exc:
        raise EndpointError(f"cannot connect to {url} while trying to {what}: {exc}",
                            hint="Check that the server runs and the URL is right") from exc
    except httpx.TimeoutException as exc:
        raise EndpointError(f"{url} did not answer in time while trying to {what}",
                            hint="Retry, or load smaller chunks") from exc
    except httpx.HTTPError as exc:
        raise EndpointError(f"HTTP error talking to {url} while trying to {what}: {exc}") from exc
    if response.status_code not in ok:
        raise EndpointError(_status_message(response, what), hint=_status_hint(response))
    return response


def _status_message(response: "httpx.Response", what: str) -> str:
    body = " ".join(response.text.split())[:300]
    text = f"{response.request.method} {response.request.url} failed with HTTP {response.status_code} while trying to {what}"
    return f"{text}: {body}" if body else text


def _status_hint(response: "httpx.Response") -> str | None:
    if response.status_code == 401:
        return ("The server refused the credentials: pass --user and set the "
                "password (LLMKG_PASSWORD) or check them")
    if response.status_code == 403:
        return "The user lacks the right to write (e.g. Virtuoso's SPARQL_UPDATE role)"
    if response.status_code == 404:
        return "Check the endpoint URL"
    if response.status_code == 413:
        return "The server refused a chunk as too large: load smaller chunks"
    return None


# --------------------------------------------------------------------------
# SPARQL 1.1 Protocol queries


_RESULT_TYPES = {"application/sparql-results+json": "JSON", "application/json": "JSON",
                 "application/sparql-results+xml": "XML", "application/xml": "XML"}
_GRAPH_TYPES = {"application/n-triples": "N_TRIPLES", "text/plain": "N_TRIPLES", "text/turtle": "TURTLE",
                "application/rdf+xml": "RDF_XML"}


def query(endpoint_url: str, query_text: str, *, bindings: dict[str, Any] | None = None,
          user: str | None = None, password: str | None = None,
          auth: AuthScheme = "auto", http: "httpx.Client | None" = None):
    """Run any query form at a SPARQL 1.1 Protocol endpoint: a QueryResult
    (llmkg.query.results) with rows (SELECT), a boolean (ASK) or triples
    (CONSTRUCT, DESCRIBE), all as pyoxigraph terms.

    The query is POSTed form-encoded (`query=...`), the one protocol binding
    every server here accepts: Virtuoso 7.2 never answers a direct
    `application/sparql-query` POST. `bindings` maps variable names (without
    `?`) to pyoxigraph terms; they are bound with VALUES (see `bind_values`).
    """
    import pyoxigraph as ox

    from llmkg.query.bindings import query_form
    from llmkg.query.results import QueryResult

    form = query_form(query_text) or "select"
    graph = form in ("construct", "describe")
    text = bind_values(query_text, bindings) if bindings else query_text
    accept = ("application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5" if graph else
              "application/sparql-results+json, application/sparql-results+xml;q=0.9")
    own = http is None
    http = http or client(user=user, password=password, auth=auth)
    try:
        response = send(http, "POST", endpoint_url, what="run a SPARQL query",
                        ok=(200,), data={"query": text}, headers={"Accept": accept})
    finally:
        if own:
            http.close()
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    kinds = _GRAPH_TYPES if graph else _RESULT_TYPES
    if media not in kinds:
        raise EndpointError(f"{endpoint_url} answered a {form.upper()} query with {media or 'no content type'}",
                            hint="Is this the SPARQL query endpoint (not the graph store)?")
    try:
        if graph:
            triples = list(ox.parse(response.content, format=getattr(ox.RdfFormat, kinds[media])))
            return QueryResult([], [], form=form, triples=triples)
        results = ox.parse_query_results(response.content, format=getattr(ox.QueryResultsFormat, kinds[media]))
    except (SyntaxError, ValueError) as exc:
        raise EndpointError(f"cannot parse the results from {endpoint_url}: {exc}") from exc
    if isinstance(results, ox.QueryBoolean):
        return QueryResult([], [], form="ask", boolean=bool(results))
    variables = [v.value for v in results.variables]
    return QueryResult(variables, [tuple(solution[v] for v in variables) for solution in results])


def ask(endpoint_url: str, query_text: str, **kwargs: Any) -> bool:
    """The answer of an ASK query at an endpoint (keywords as for `query`)."""
    return bool(query(endpoint_url, query_text, **kwargs).boolean)


def select(endpoint_url: str, query_text: str, *, bindings: dict[str, Any] | None = None,
           user: str | None = None, password: str | None = None,
           auth: AuthScheme = "auto", http: "httpx.Client | None" = None,
           ) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run a SELECT query at a SPARQL 1.1 Protocol endpoint (see `query`): the
    projected variable names and the rows as tuples of pyoxigraph terms (None
    where a variable is unbound), in the order the endpoint returned them."""
    result = query(endpoint_url, query_text, bindings=bindings, user=user, password=password,
                   auth=auth, http=http)
    if result.form != "select":
        raise EndpointError(f"{endpoint_url} returned a {result.form.upper()} answer, not rows",
                            hint="select() runs SELECT queries only")
    return result.variables, result.rows
