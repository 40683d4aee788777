"""Load the store into an external triple store over the SPARQL 1.1 Graph
Store HTTP Protocol (GSP), in chunks, and verify the result by counting.

What goes where (see docs/stores.md):
- By default each named graph of the store (`…/graph/data`,
  `…/graph/provenance`, `…/graph/inferred`) goes to the same-named graph on
  the server, so a server that queries the union of its graphs (Oxigraph
  with `--union-default-graph`, Virtuoso) answers the saved queries exactly
  like the embedded store, and each graph can be dropped or replaced alone.
  Triples in the store's default graph (normally none) go to the server's
  default graph.
  With `replace`, those of the three graphs that the store lacks are
  emptied on the server, so it holds exactly what the store holds.
- `graph=IRI` puts every triple of the store into that one graph (a triple
  found in several store graphs is stored once: graphs are sets);
  `graph="default"` puts them into the server's default graph.

Without `replace`, chunks are POSTed: the server adds them to what the
graph holds, and since a graph is a set, loading twice leaves the same
triples. With `replace`, the first chunk is PUT (which empties the graph) and
the rest POSTed. Blank nodes, if any, are skolemized to IRIs under
`SKOLEM_BASE` named after the store's blank node ids, so chunks can split
them and repeated loads do not duplicate them.

Verification counts the triples of each target graph on the server: through
the SPARQL query endpoint when it is known or can be derived from the GSP URL
(Oxigraph, Virtuoso, Fuseki, GraphDB), else by fetching the graph over GSP.
After a replace the count must equal the number of triples sent; otherwise
it must lie between max(before, sent) and before + sent.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator
from urllib.parse import quote

from llmkg import vocab as V
from llmkg.query.endpoint import select
from llmkg.remote import AuthScheme, Budget, client, secrets_of, send
from llmkg.errors import EndpointError

if TYPE_CHECKING:  # pragma: no cover
    import httpx

#: Environment variable the CLI reads the endpoint password from (never a flag).
PASSWORD_ENV = "LLMKG_PASSWORD"

#: `graph=DEFAULT` loads everything into the server's default graph (for
#: servers whose queries do not see named graphs, e.g. Fuseki in memory).
DEFAULT = "default"

#: The store's named graphs (docs/vocabulary.md); `replace` empties on the
#: server those of them that the store does not hold.
LLMKG_GRAPHS = (V.DATA_GRAPH, V.PROVENANCE_GRAPH, V.INFERRED_GRAPH)

SKOLEM_BASE = "https://w3id.org/llmkg/.well-known/genid/"

Progress = Callable[[int, int], None]
"""Called as progress(triples_sent_so_far, triples_total) after each chunk."""


@dataclass(frozen=True)
class GraphLoad:
    """What happened to one target graph."""

    target: str | None          # graph IRI on the server; None = default graph
    sources: tuple[str | None, ...]  # store graphs it came from (None = default)
    sent: int                   # distinct triples sent
    before: int | None          # triples in the target before (None: not asked, replaced)
    after: int                  # triples in the target after the load
    chunks: int

    @property
    def kept(self) -> int:
        """Triples the target holds beyond those sent (kept from before)."""
        return self.after - self.sent

    def ok(self) -> bool:
        if self.before is None:
            return self.after == self.sent
        return max(self.before, self.sent) <= self.after <= self.before + self.sent


@dataclass(frozen=True)
class LoadReport:
    endpoint: str
    query_endpoint: str | None  # where the counts came from; None = GSP GET
    replace: bool
    graphs: list[GraphLoad] = field(default_factory=list)
    seconds_upload: float = 0.0
    seconds_verify: float = 0.0

    @property
    def sent(self) -> int:
        return sum(g.sent for g in self.graphs)

    @property
    def chunks(self) -> int:
        return sum(g.chunks for g in self.graphs)

    def ok(self) -> bool:
        return all(g.ok() for g in self.graphs)

    def summary(self) -> str:
        lines = []
        for g in self.graphs:
            name = f"<{g.target}>" if g.target else "default graph"
            if g.sent == 0 and g.before is None:
                line = f"{name}: emptied (the store has no such graph); server holds {g.after}"
            else:
                line = f"{name}: sent {g.sent} triples in {g.chunks} chunk(s); server holds {g.after}"
            if g.ok() and g.kept > 0:
                line += f" ({g.kept} kept from before; use --replace to drop them)"
            if not g.ok():
                line += " -- MISMATCH"
            lines.append(line)
        return "\n".join(lines)


def load(store: Any, *, endpoint: str, graph: str | None = None, replace: bool = False,
         user: str | None = None, password: str | None = None, auth: AuthScheme = "auto",
         query_endpoint: str | None = None, chunk_triples: int = 50_000,
         progress: Progress | None = None, http: "httpx.Client | None" = None,
         timeout: float | None = None) -> LoadReport:
    """Upload the store (a directory or an open pyoxigraph.Store) to the GSP
    `endpoint`, then verify by counting, all within `timeout` seconds (None: no
    deadline). Raises EndpointError on HTTP failures, refused connections, a
    passed deadline or an oversized response (exit code 2), and on count
    mismatches (exit code 1; the error carries the LoadReport as `.report`)."""
    if chunk_triples < 1:
        raise EndpointError(f"chunk size must be positive, not {chunk_triples}")
    if graph is not None and graph != DEFAULT:
        _check_iri(graph)
    ox_store = _open_store(store)
    plan = _plan(ox_store, graph)
    if replace and graph is None:
        # Replacing means the server ends up with what the store holds in
        # llmkg's graphs: one the store lacks (e.g. no `inferred` after a
        # build without reasoning) is emptied, not left stale.
        present = {target for target, _, _ in plan}
        plan += [(g, (), []) for g in LLMKG_GRAPHS if g not in present]
    total = sum(len(triples) for _, _, triples in plan)
    counter = query_endpoint or derive_query_endpoint(endpoint)
    budget = Budget(timeout, secrets=secrets_of(user, password, endpoint))
    own = http is None
    http = http or client(user=user, password=password, auth=auth)
    results: list[GraphLoad] = []
    done = 0
    try:
        started = time.perf_counter()
        befores: dict[str | None, int | None] = {}
        for target, _, _ in plan:
            befores[target] = None if replace else _count(http, endpoint, counter, target, budget)
        uploads = []
        for target, sources, triples in plan:
            chunks = 0
            for i, chunk in enumerate(_chunks(triples, chunk_triples)):
                method = "PUT" if replace and i == 0 else "POST"
                _send_chunk(http, method, endpoint, target, chunk, done, total, budget)
                chunks += 1
                done += len(chunk)
                if progress:
                    progress(done, total)
            if replace and not triples:
                send(http, "DELETE", gsp_url(endpoint, target), what="empty the target graph",
                     ok=(200, 204, 404), budget=budget)
            uploads.append((target, sources, len(triples), chunks))
        upload_s = time.perf_counter() - started
        started = time.perf_counter()
        for target, sources, sent, chunks in uploads:
            after = _count(http, endpoint, counter, target, budget)
            results.append(GraphLoad(target, sources, sent, befores[target], after, chunks))
        verify_s = time.perf_counter() - started
    finally:
        if own:
            http.close()
    report = LoadReport(endpoint, counter, replace, results, upload_s, verify_s)
    if not report.ok():
        error = EndpointError(
            f"the load into {endpoint} did not verify: "
            + "; ".join(f"<{g.target or 'default'}> expected {_expected(g)} triples, found {g.after}"
                        for g in results if not g.ok()),
            hint="The server dropped, merged or added triples while loading "
                 "(docs/stores.md lists known cases)")
        error.report = report  # type: ignore[attr-defined]
        error.exit_code = 1  # like a validation finding: the data did not arrive intact
        raise error
    return report


def _expected(g: GraphLoad) -> str:
    if g.before is None:
        return str(g.sent)
    low, high = max(g.before, g.sent), g.before + g.sent
    return str(low) if low == high else f"{low} to {high}"


# --------------------------------------------------------------------------
# What to send


def _open_store(store: Any):
    import pyoxigraph as ox

    if isinstance(store, ox.Store):
        return store
    from llmkg.store import open_store

    return open_store(Path(store), read_only=True)


def _plan(ox_store, graph: str | None) -> list[tuple[str | None, tuple[str | None, ...], list]]:
    """[(target graph, source graphs, distinct triples)] in a stable order."""
    import pyoxigraph as ox

    sources: list[str | None] = sorted(g.value for g in ox_store.named_graphs())
    if any(True for _ in ox_store.quads_for_pattern(None, None, None, ox.DefaultGraph())):
        sources.insert(0, None)

    def triples_of(source: str | None) -> Iterator:
        g = ox.DefaultGraph() if source is None else ox.NamedNode(source)
        for q in ox_store.quads_for_pattern(None, None, None, g):
            yield _skolemize(ox.Triple(q.subject, q.predicate, q.object))

    if graph is not None:
        merged = dict.fromkeys(t for s in sources for t in triples_of(s))
        return [(None if graph == DEFAULT else graph, tuple(sources), list(merged))]
    return [(s, (s,), list(triples_of(s))) for s in sources]


def _skolemize(triple):
    import pyoxigraph as ox

    s, o = triple.subject, triple.object
    if not isinstance(s, ox.BlankNode) and not isinstance(o, ox.BlankNode):
        return triple
    if isinstance(s, ox.BlankNode):
        s = ox.NamedNode(SKOLEM_BASE + quote(s.value, safe=""))
    if isinstance(o, ox.BlankNode):
        o = ox.NamedNode(SKOLEM_BASE + quote(o.value, safe=""))
    return ox.Triple(s, triple.predicate, o)


def _chunks(triples: list, size: int) -> Iterable[list]:
    for start in range(0, len(triples), size):
        yield triples[start:start + size]


def _check_iri(iri: str) -> None:
    import pyoxigraph as ox

    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise EndpointError(f"--graph must be an absolute IRI, not {iri!r}: {exc}") from exc


# --------------------------------------------------------------------------
# How to send and count


def gsp_url(endpoint: str, target: str | None) -> str:
    """The GSP URL addressing one graph (`?graph=IRI` or `?default`)."""
    sep = "&" if "?" in endpoint else "?"
    if target is None:
        return f"{endpoint}{sep}default"
    return f"{endpoint}{sep}graph={quote(target, safe='')}"


def _send_chunk(http, method: str, endpoint: str, target: str | None, chunk: list,
                done: int, total: int, budget: Budget) -> None:
    import pyoxigraph as ox

    body = ox.serialize(chunk, format=ox.RdfFormat.N_TRIPLES)
    where = f"<{target}>" if target else "the default graph"
    try:
        send(http, method, gsp_url(endpoint, target), content=body, budget=budget,
             what=f"upload triples {done + 1}-{done + len(chunk)} of {total} into {where}",
             headers={"Content-Type": "application/n-triples"})
    except EndpointError as exc:
        if done:
            exc.message = f"partial load: {done} of {total} triples were sent before this failed. " + exc.message
            exc.args = (exc.message,)
        raise


# GSP URL -> SPARQL query URL for the servers docs/stores.md covers.
_QUERY_URLS = [
    (re.compile(r"^(.*)/store/?$"), r"\1/query"),                        # Oxigraph
    (re.compile(r"^(.*)/sparql-graph-crud(?:-auth)?/?$"), r"\1/sparql"),  # Virtuoso
    (re.compile(r"^(.*/repositories/[^/]+)/rdf-graphs/service/?$"), r"\1"),  # GraphDB, RDF4J
    (re.compile(r"^(.*)/(?:data|get)/?$"), r"\1/query"),                 # Fuseki
]


def derive_query_endpoint(endpoint: str) -> str | None:
    """The SPARQL query URL that goes with a known server's GSP URL, or None."""
    base = endpoint.split("?", 1)[0]
    for pattern, replacement in _QUERY_URLS:
        if pattern.match(base):
            return pattern.sub(replacement, base)
    return None


def _count(http, endpoint: str, query_endpoint: str | None, target: str | None, budget: Budget) -> int:
    """Triples in `target` on the server."""
    # The default graph is fetched, not queried: on a server that queries
    # the union of its graphs by default, a COUNT would count them all.
    if query_endpoint is not None and target is not None:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
        _, rows = select(query_endpoint, query, http=http, budget=budget)
        try:
            return int(rows[0][0].value)
        except (IndexError, AttributeError, TypeError, ValueError) as exc:
            raise EndpointError(f"{query_endpoint} did not return a triple count") from exc
    import pyoxigraph as ox

    response = send(http, "GET", gsp_url(endpoint, target), what="fetch the graph to count it", budget=budget,
                    ok=(200, 404), headers={"Accept": "application/n-triples"})
    if response.status_code == 404:
        return 0
    media = response.headers.get("content-type", "").split(";")[0].strip()
    rdf_format = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.N_TRIPLES
    try:
        return sum(1 for _ in ox.parse(response.content, format=rdf_format))
    except SyntaxError as exc:
        raise EndpointError(f"cannot parse the graph {endpoint} returned: {exc}") from exc
