"""The ASGI application of `llmkg serve`: routes, security headers, errors.

Starlette (routing, static files, requests) run by uvicorn: a small,
well-kept ASGI stack. The store is opened read-only once, at start-up.
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
from llmkg.publish.serve import pages, sparql
from llmkg.publish.serve.engine import Busy, Engine, Limits, TimeLimit
from llmkg.publish.serve.listings import LISTINGS

STATIC = Path(__file__).parent / "static"

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


def _status(exc: LlmkgError) -> int:
    from llmkg.query.guard import RefusedQuery

    if isinstance(exc, sparql.ProtocolError):
        return exc.status
    if isinstance(exc, RefusedQuery):
        return 403
    if isinstance(exc, (Busy, TimeLimit)):
        return 503
    return 400


async def _llmkg_error(request: Request, exc: LlmkgError) -> Response:
    """One line, as the CLI prints it: what happened and what to do."""
    status = _status(exc)
    headers = {"Llmkg-Limit": str(exc)} if isinstance(exc, TimeLimit) else None
    if "html" in request.headers.get("accept", ""):
        from llmkg.publish.serve.html import page

        return page("error.html", status=status, headers=headers, title="Error", message=f"Error: {exc}")
    return PlainTextResponse(f"Error: {exc}\n", status_code=status, headers=headers)


async def _syntax_error(request: Request, exc: SyntaxError) -> Response:
    message = " ".join(str(exc).split())[:300]
    return await _llmkg_error(request, LlmkgError(f"malformed SPARQL: {message}", hint="fix the query text"))


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return await _llmkg_error(request, sparql.ProtocolError(exc.detail or "not found", status=exc.status_code))


def create_app(store=None, *, limits: Limits | None = None) -> Starlette:
    """The application over the store at `store` (default: the default store), read-only."""
    import contextlib

    from llmkg.query.saved import list_saved
    from llmkg.store import open_store

    engine = Engine(open_store(store, read_only=True), limits or Limits())

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        engine.close()

    routes = [
        Route("/", pages.index, name="index"),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST"], name="sparql"),
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
    app.state.queries = {q.name: q for q in list_saved()}
    app.add_middleware(SecurityHeaders)
    return app
