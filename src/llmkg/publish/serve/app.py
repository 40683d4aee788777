"""The ASGI application of `llmkg serve`: routes, security headers, CORS,
the Host check, errors.

Starlette (routing, static files, requests, CORS) run by uvicorn: a small,
well-kept ASGI stack. Queries run in worker processes (engine.py), each with
the store open read-only.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from llmkg.errors import LlmkgError
from llmkg.publish.serve import pages, service, sparql
from llmkg.publish.serve.engine import Busy, Engine, Limits, Stopping, TimeLimit, WorkerLost
from llmkg.publish.serve.listings import LISTINGS
from llmkg.publish.serve.results import Offer, prefers_html

STATIC = Path(__file__).parent / "static"
PLAIN_TEXT = Offer("text", "text/plain")  # errors: one line, unless a browser asks

# Scripts only from this server (no inline script, no eval: Vega runs its
# CSP-safe expression interpreter); inline style attributes for the editor;
# no plugins, frames, or requests to other hosts.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every response (pure ASGI: no per-request task)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheck:
    """Answers only requests whose Host is one of `hosts` (DNS rebinding: a web
    page on another name must not reach a server on 127.0.0.1); None: any."""

    def __init__(self, app, hosts: set[str] | None) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and self.hosts is not None:
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host  # drop the port
            if name.strip("[]") not in self.hosts:
                response = PlainTextResponse(f"Error: host '{host[:100]}' is not served here. "
                                             "Start the server with --allow-host NAME to answer it.\n",
                                             status_code=421)
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


class DatasetOnWhereHonoured:
    """The protocol dataset (default-graph-uri, named-graph-uri) is honoured by
    /sparql and /queries/NAME; any other page refuses it rather than ignore it."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith(("/sparql", "/queries/")):
            query = scope.get("query_string", b"")
            if b"default-graph-uri=" in query or b"named-graph-uri=" in query:
                response = await _llmkg_error(Request(scope, receive), sparql.ProtocolError(
                    f"default-graph-uri and named-graph-uri are not honoured by {scope['path'][:100]}",
                    hint="send them to /sparql or /queries/NAME"))
                return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _status(exc: LlmkgError) -> int:
    from llmkg.query.guard import RefusedQuery

    if getattr(exc, "status", None):
        return exc.status
    if isinstance(exc, RefusedQuery):
        return 403
    if isinstance(exc, (Busy, TimeLimit, WorkerLost, Stopping)):
        return 503
    return 400


async def _llmkg_error(request: Request, exc: LlmkgError) -> Response:
    """One line, as the CLI prints it: what happened and what to do."""
    status = _status(exc)
    headers = {"Llmkg-Limit": str(exc)} if isinstance(exc, TimeLimit) else None
    if prefers_html(request.headers.get("accept"), (PLAIN_TEXT,)):
        from llmkg.publish.serve.html import page

        return page("error.html", status=status, headers=headers, title="Error", message=f"Error: {exc}")
    return PlainTextResponse(f"Error: {exc}\n", status_code=status, headers=headers)


async def _syntax_error(request: Request, exc: SyntaxError) -> Response:
    message = " ".join(str(exc).split())[:300]
    return await _llmkg_error(request, LlmkgError(f"malformed SPARQL: {message}", hint="fix the query text"))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return await _llmkg_error(request, sparql.ProtocolError(exc.detail or "not found", status=exc.status_code))


def create_app(store=None, *, limits: Limits | None = None, cors: bool = True, hosts: set[str] | None = None,
               base_url: str | None = None) -> Starlette:
    """The application over the store at `store` (default: the default store), read-only.

    `hosts`: the Host names answered (None: any); `base_url`: the public URL
    the server is reached at (ending in '/'), for the endpoint's own IRI."""
    import contextlib

    from llmkg.query.saved import list_saved
    from llmkg.store import default_store, open_store

    path = (Path(store) if store else default_store()).absolute()  # workers open it by this path
    open_store(path, read_only=True)  # one error line now if there is no store, not one per query
    engine = Engine(path, limits or Limits())
    engine.start()

    @contextlib.asynccontextmanager
    async def lifespan(app):
        try:
            yield
        finally:
            engine.close()

    routes = [
        Route("/", pages.index, name="index"),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"], name="sparql"),
        Route("/sparql/", sparql.endpoint, methods=["GET", "POST"]),
        Route("/ontology", service.ontology, name="ontology"),
        Route("/graph/{name:path}", sparql.graph, name="graph"),
        Route("/queries", sparql.list_queries, name="queries"),
        Route("/queries/{name}", pages.saved, name="saved"),
        Route("/id/{rest:path}", pages.resource, name="resource"),
        Route("/search", pages.search, name="search"),
        Route("/pictures/{name}", pages.picture, name="picture"),
        *[Route(f"/{kind}", pages.listing, name=kind) for kind in LISTINGS],  # index pages of each kind
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        LlmkgError: _llmkg_error, SyntaxError: _syntax_error, HTTPException: _http_error})
    app.state.engine = engine
    app.state.base_url = base_url
    app.state.queries = {q.name: q for q in list_saved()}
    if cors:  # a read-only endpoint: any web page may query it (no cookies, no credentials)
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST", "OPTIONS"],
                           allow_headers=["Accept", "Content-Type"], expose_headers=["Llmkg-Limit"],
                           max_age=600)
    app.add_middleware(DatasetOnWhereHonoured)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HostCheck, hosts=hosts)
    return app
