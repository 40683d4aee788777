"""The SPARQL 1.1 Protocol at /sparql (read-only) and the saved queries as an
HTTP API at /queries/NAME?param=value (as grlc makes one from .rq files).

Queries come by GET (`query=`), POST form (`query=`) or POST direct
(`application/sparql-query`, UTF-8). The protocol's dataset
(`default-graph-uri`, `named-graph-uri`, in the query string or the form) is
honoured on both routes and replaces the query's FROM / FROM NAMED, as the
protocol says; without it the default graph is the union of the store's
graphs. Relative IRIs resolve against the endpoint's URL. Updates are
refused (403) on every route, and so is SERVICE; request bodies are read up
to MAX_BODY bytes. GET /sparql without a query gives the service description
(service.py), or the query editor to a browser.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from llmkg import vocab as V
from llmkg.errors import LlmkgError, QueryError
from llmkg.publish.serve import results as R
from llmkg.publish.serve.service import endpoint_url
from llmkg.publish.serve.worker import Dataset, Reply

MAX_BODY = 1 << 20    # bytes of a POSTed query
MAX_FIELDS = 64       # form or query-string fields read
MAX_GRAPHS = 64       # graphs of a protocol dataset
READ_ONLY = "updates are refused: this endpoint is read-only"
DATASET_FIELDS = ("default-graph-uri", "named-graph-uri")
FORMAT_FIELDS = ("format", "output")


class ProtocolError(LlmkgError):
    """A request the protocol does not allow; `status` is its HTTP status."""

    def __init__(self, message: str, *, status: int = 400, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def refuse_update() -> ProtocolError:
    return ProtocolError(READ_ONLY, status=403, hint="change the data with `llmkg build`")


async def _body(request: Request) -> bytes:
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ProtocolError(f"request body over {MAX_BODY} bytes", status=413)
        chunks.append(chunk)
    return b"".join(chunks)


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError("the request body is not UTF-8", status=415, hint="send the query as UTF-8") from None


def _form(text: str) -> dict[str, list[str]]:
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise ProtocolError("too many form fields") from None


async def protocol_fields(request: Request) -> dict[str, list[str]]:
    """The request's fields, from the query string and, for a POST, its body."""
    fields = _form(request.url.query)
    if request.method != "POST":
        return fields
    media, _, params = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    charset = dict(p.strip().lower().partition("=")[::2] for p in params.split(";") if "=" in p).get("charset")
    if charset and charset.strip('"') not in ("utf-8", "utf8"):
        raise ProtocolError(f"cannot read a body in charset {charset}", status=415, hint="send UTF-8")
    body = await _body(request)
    if media == "application/sparql-query":
        fields.setdefault("query", []).append(_utf8(body))
    elif media == "application/x-www-form-urlencoded":
        for key, values in _form(_utf8(body)).items():
            fields.setdefault(key, []).extend(values)
    elif media == "application/sparql-update":
        raise refuse_update()
    else:
        raise ProtocolError(f"cannot read a query sent as '{media or 'no content type'}'", status=415,
                            hint="POST application/sparql-query or a form with query=")
    return fields


def dataset_of(fields: dict[str, list[str]]) -> Dataset:
    """The protocol dataset of the request's fields (each an absolute IRI)."""
    import pyoxigraph

    graphs = {}
    for name in DATASET_FIELDS:
        values = fields.get(name, [])
        if len(values) > MAX_GRAPHS:
            raise ProtocolError(f"more than {MAX_GRAPHS} {name} values")
        for value in values:
            try:
                pyoxigraph.NamedNode(value)
            except ValueError:
                raise ProtocolError(f"{name} '{value[:200]}' is not an IRI") from None
        graphs[name] = tuple(values)
    return Dataset(graphs["default-graph-uri"], graphs["named-graph-uri"])


def wanted_format(fields: dict[str, list[str]]) -> str | None:
    for name in FORMAT_FIELDS:
        if fields.get(name):
            return fields[name][0]
    return None


async def endpoint(request: Request) -> Response:
    from llmkg.query.guard import check_read_only

    fields = await protocol_fields(request)
    if "update" in fields:
        raise refuse_update()
    if "query" not in fields and request.method == "GET":
        if R.prefers_html(request.headers.get("accept"), R.GRAPH_OFFERS):
            return RedirectResponse(request.url_for("index"), status_code=303)  # a browser: the editor
        from llmkg.publish.serve.service import description

        return await description(request, wanted_format(fields))
    texts = fields.get("query") or []
    if len(texts) != 1 or not texts[0].strip():
        raise ProtocolError("give exactly one query", hint="pass query=... (GET or POST form)")
    text = texts[0]
    form = check_read_only(text)
    return await answer(request, text, form, dataset=dataset_of(fields), wanted=wanted_format(fields))


async def answer(request: Request, text: str, form: str, *, dataset: Dataset | None = None,
                 wanted: str | None = None) -> Response:
    """The query's results in the format the client asked for (format=/output=, or Accept)."""
    offer = R.negotiate(request.headers.get("accept"), R.offers_for(form), wanted=wanted)
    reply = await request.app.state.engine.answer(text, form, offer.name, dataset=dataset,
                                                  base_iri=endpoint_url(request))
    return body_response(reply, offer)


def body_response(reply: Reply, offer: R.Offer) -> Response:
    headers = {"Vary": "Accept"}
    if reply.limit:
        headers[R.LIMIT_HEADER] = reply.limit
    return Response(reply.body, media_type=R.media_type(offer), headers=headers)


# --- saved queries -----------------------------------------------------------

def saved_query(request: Request, name: str):
    """A saved query by its name only: never a path (a name is client input)."""
    saved = request.app.state.queries.get(name)
    if saved is None:
        raise ProtocolError(f"no saved query '{name}'", status=404,
                            hint="GET /queries lists them")
    return saved


# query-string names that are not parameters: output format, run the form, the protocol dataset
RESERVED = (*FORMAT_FIELDS, "run", *DATASET_FIELDS)


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


def _saved_text(saved, values: dict[str, str]) -> tuple[str, str]:
    from llmkg.query.guard import check_read_only
    from llmkg.query.saved import bound_text

    text = bound_text(saved, values)
    return text, check_read_only(text)


async def run_saved(request: Request, saved, values: dict[str, str]) -> Reply:
    """The saved query's rows (for the page that shows them)."""
    text, form = _saved_text(saved, values)
    fields = _form(request.url.query)
    return await request.app.state.engine.run(text, form, dataset=dataset_of(fields),
                                              base_iri=endpoint_url(request))


async def answer_saved(request: Request, saved, values: dict[str, str]) -> Response:
    """The saved query's results for a client (format=/output=, or Accept)."""
    text, form = _saved_text(saved, values)
    fields = _form(request.url.query)
    return await answer(request, text, form, dataset=dataset_of(fields), wanted=wanted_format(fields))


def list_queries(request: Request) -> Response:
    """GET /queries as JSON: every saved query, its summary and parameters."""
    return JSONResponse([{
        "name": q.name, "summary": q.summary, "url": str(request.url_for("saved", name=q.name)),
        "params": [{"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                   for p in q.params]} for q in request.app.state.queries.values()])


async def graph(request: Request) -> Response:
    """GET /graph/NAME: the triples of the named graph https://w3id.org/llmkg/graph/NAME (up to the row cap)."""
    import pyoxigraph

    from llmkg.publish.serve.worker import graph_names

    iri = V.GRAPH + request.path_params["name"]
    if iri not in await request.app.state.engine.call(graph_names):
        raise ProtocolError(f"no graph <{iri}> in this store", status=404)
    text = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {pyoxigraph.NamedNode(iri)} {{ ?s ?p ?o }} }}"
    return await answer(request, text, "construct", wanted=request.query_params.get("format"))
