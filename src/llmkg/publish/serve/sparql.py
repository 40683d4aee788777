"""The SPARQL 1.1 Protocol at /sparql (read-only) and the saved queries as an
HTTP API at /queries/NAME?param=value (as grlc makes one from .rq files).

Queries come by GET (`query=`), POST form (`query=`) or POST direct
(`application/sparql-query`). Updates and SERVICE are refused (403); request
bodies are read up to MAX_BODY bytes.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from llmkg.errors import LlmkgError, QueryError
from llmkg.publish.serve import results as R
from llmkg.publish.serve.engine import Outcome

MAX_BODY = 1 << 20  # bytes of a POSTed query


class ProtocolError(LlmkgError):
    """A request the protocol does not allow; `status` is its HTTP status."""

    def __init__(self, message: str, *, status: int = 400, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ProtocolError(f"request body over {MAX_BODY} bytes", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


async def _query_text(request: Request) -> str:
    """The query of a protocol request, from whichever of the three bindings it uses."""
    if request.method == "GET":
        fields = {k: request.query_params.getlist(k) for k in request.query_params}
    else:
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await _body(request)
        if media == "application/sparql-query":
            fields = {"query": [body.decode("utf-8", errors="replace")]}
        elif media == "application/x-www-form-urlencoded":
            try:
                fields = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True,
                                  max_num_fields=64)
            except ValueError:
                raise ProtocolError("too many form fields") from None
        elif media == "application/sparql-update":
            raise ProtocolError("updates are refused: this endpoint is read-only", status=403)
        else:
            raise ProtocolError(f"cannot read a query sent as '{media or 'no content type'}'", status=415,
                                hint="POST application/sparql-query or a form with query=")
    if "update" in fields:
        raise ProtocolError("updates are refused: this endpoint is read-only", status=403)
    if "default-graph-uri" in fields or "named-graph-uri" in fields:
        raise ProtocolError("default-graph-uri and named-graph-uri are not supported",
                            hint="queries run over the union of the store's graphs; use GRAPH in the query")
    texts = fields.get("query") or []
    if len(texts) != 1 or not texts[0].strip():
        raise ProtocolError("give exactly one query", hint="pass query=... (GET or POST form)")
    return texts[0]


async def endpoint(request: Request) -> Response:
    from llmkg.query.guard import check_read_only

    if request.method == "GET" and not request.query_params and "html" in request.headers.get("accept", ""):
        return RedirectResponse("/", status_code=303)  # a browser that followed a link: the editor
    text = await _query_text(request)
    form = check_read_only(text)
    outcome = await request.app.state.engine.run(text, form)
    return respond(outcome, request)


def respond(outcome: Outcome, request: Request, *, wanted: str | None = None) -> Response:
    """The outcome in the format the client asked for (Accept, or `format=`)."""
    accept = request.headers.get("accept")
    wanted = wanted or request.query_params.get("format")
    if outcome.form in ("construct", "describe"):
        offer = R.negotiate(accept, R.GRAPH_OFFERS, R.GRAPH_ALIASES, wanted=wanted)
        body = R.graph_body(outcome.rows, offer) if offer else b""
    else:
        offer = R.negotiate(accept, R.SOLUTION_OFFERS, R.SOLUTION_ALIASES, wanted=wanted)
        if offer is None:
            body = b""
        elif outcome.form == "ask":
            body = R.boolean_body(bool(outcome.boolean), offer)
        else:
            body = R.solutions_body(outcome.variables, outcome.rows, offer, limit=outcome.limit)
    if offer is None:
        raise ProtocolError(f"cannot answer in any format of 'Accept: {accept}'", status=406,
                            hint="accept SPARQL JSON, XML, CSV or TSV results, or Turtle, "
                                 "N-Triples or JSON-LD for CONSTRUCT and DESCRIBE")
    headers = {"Vary": "Accept"}
    if outcome.limit:
        headers[R.LIMIT_HEADER] = outcome.limit
    charset = "; charset=utf-8" if offer.media_type.startswith("text/") else ""
    return Response(body, media_type=offer.media_type + charset, headers=headers)


# --- saved queries -----------------------------------------------------------

def saved_query(request: Request, name: str):
    """A saved query by its name only: never a path (a name is client input)."""
    saved = request.app.state.queries.get(name)
    if saved is None:
        raise ProtocolError(f"no saved query '{name}'", status=404,
                            hint="GET /queries lists them")
    return saved


RESERVED = ("format", "run")  # query-string names that are not parameters: output format, run the form


def saved_params(request: Request, saved) -> dict[str, str]:
    """The query string's values of the saved query's parameters (empty ones: the default)."""
    values = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in values:
            raise QueryError(f"parameter '{key}' given twice")
        if value != "":
            values[key] = value
    return values


async def run_saved(request: Request, saved, values: dict[str, str]) -> Outcome:
    from llmkg.query.guard import check_read_only
    from llmkg.query.saved import bound_text

    text = bound_text(saved, values)
    return await request.app.state.engine.run(text, check_read_only(text))


def list_queries(request: Request) -> Response:
    """GET /queries as JSON: every saved query, its summary and parameters."""
    return JSONResponse([{
        "name": q.name, "summary": q.summary, "url": str(request.url_for("saved", name=q.name)),
        "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                   for p in q.params]} for q in request.app.state.queries.values()])
