"""The pages people read: the query UI (/), saved queries as forms and result
tables (/queries/NAME), Linked Data pages (/id/KIND/SLUG), name search
(/search) and pictures (/pictures/timeline, /pictures/lineage).

Data formats of the same resources are negotiated (Accept, or `format=`):
a browser gets HTML, a client asking for SPARQL results or RDF gets those.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from llmkg import vocab as V
from llmkg.errors import LlmkgError, QueryError
from llmkg.publish.serve import entity as E
from llmkg.publish.serve import results as R
from llmkg.publish.serve.html import local_path, page, short, wants_html
from llmkg.publish.serve.sparql import ProtocolError, answer_saved, run_saved, saved_params, saved_query

SEARCH = """PREFIX llmkg: <https://w3id.org/llmkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?e ?label ?type WHERE {
  ?e llmkg:nameKey ?key ; rdfs:label ?label .
  OPTIONAL { ?e rdf:type ?type }
} ORDER BY ?label ?e LIMIT 50"""
# No name has the key: names whose key holds it ('llama2' in 'codellama2'). A
# scan of the keys, so only when the index look-up found nothing.
COMPLETIONS = 12  # names offered as one types
SEARCH_PART = SEARCH.replace("rdfs:label ?label .", "rdfs:label ?label .\n  FILTER(CONTAINS(?key, ?part))")


def _picture_link(iri: str) -> str:
    return local_path(iri) or iri


_HAS_HISTORY = f"ASK {{ GRAPH <{V.HISTORY_GRAPH}> {{ ?s ?p ?o }} }}"
NEEDS = {"history": "a history store (llmkg history)"}  # tag -> what a query with it needs


def _has_history(store) -> bool:
    return bool(store.query(_HAS_HISTORY))


def _plain_text(query_text: str) -> str:
    """A saved query as a person writes one: no '#+' header, no comments."""
    lines = [line for line in query_text.splitlines() if not line.lstrip().startswith("#")]
    return "\n".join(lines).strip() + "\n"


async def index(request: Request) -> Response:
    """The editor and the saved queries: those the store can answer first,
    grouped by tag with a filter; a history query on a plain store says what it needs."""
    from llmkg.query.prefixes import known

    queries = request.app.state.queries
    history = await request.app.state.engine.call(_has_history)
    cards = []
    for query in queries.values():
        tags = list(query.tags or [])
        needs = [NEEDS[t] for t in tags if t in NEEDS and not (t == "history" and history)]
        cards.append({"query": query, "tags": tags, "needs": needs})
    cards.sort(key=lambda c: (bool(c["needs"]), (c["tags"] or ["~"])[0], c["query"].name))
    tags = {t: sum(t in c["tags"] for c in cards) for t in sorted({t for c in cards for t in c["tags"]})}
    return page("index.html", cards=cards, tags=tags, limits=request.app.state.engine.limits,
                default_query=_plain_text(queries["models-per-organization"].text), prefixes=known())


async def saved(request: Request) -> Response:
    """GET /queries/NAME: a browser gets the form and a result table; other
    clients the SPARQL results (Accept or format=csv|tsv|json|xml)."""
    query = saved_query(request, request.path_params["name"])
    values = saved_params(request, query)
    if request.query_params.get("format") or not wants_html(request, R.SOLUTION_OFFERS):
        return await answer_saved(request, query, values)
    error, outcome = None, None
    if "run" in request.query_params or values or not query.params:
        try:
            outcome = await run_saved(request, query, values)
        except QueryError as exc:  # a bad parameter: shown beside the form
            error = str(exc)
    args = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "run")]
    return page("query.html", query=query, values=values, outcome=outcome, error=error,
                download=lambda fmt: str(request.url_for("saved", name=query.name).include_query_params(
                    **dict(args), format=fmt)), status=400 if error else 200)


async def resource(request: Request) -> Response:
    """GET /id/KIND/SLUG: the resource https://w3id.org/llmkg/id/KIND/SLUG."""
    iri = V.ID + request.path_params["rest"]
    engine = request.app.state.engine
    try:
        import pyoxigraph

        pyoxigraph.NamedNode(iri)
    except ValueError:
        raise ProtocolError("not a resource IRI", status=404) from None
    wanted = request.query_params.get("format")
    if wanted or not wants_html(request, R.GRAPH_OFFERS):
        offer = R.negotiate(request.headers.get("accept"), R.GRAPH_OFFERS, wanted=wanted)
        found = await engine.call(E.exists, iri)
        if not found:
            raise ProtocolError(f"no resource <{iri}> in this graph", status=404)
        triples = await engine.call(E.triples, iri)
        return Response(R.graph_body(triples, offer.name), media_type=R.media_type(offer), headers={"Vary": "Accept"})
    described = await engine.call(E.describe, iri)
    if described is None:
        slug = iri.rsplit("/", 1)[-1]
        return page("error.html", status=404, title="Not found", message=f"No resource <{iri}> in this graph.",
                    suggestions=await engine.call(_suggestions, slug))
    pictures = {}
    if described.is_model and described.facts:  # a model the newest catalog dropped has no lineage
        from llmkg.publish.pictures import lineage_spec

        rows = await engine.call(E.lineage, request.app.state.queries["lineage-tree"].text, iri)
        pictures["lineage"] = lineage_spec(rows, link=_picture_link)
    if described.is_organization:
        from llmkg.publish.pictures import timeline_spec

        rows = await engine.call(E.releases, iri)
        spec = timeline_spec(rows, link=_picture_link, title=f"Releases of {described.label}")
        if spec["data"]["values"]:
            pictures["timeline"] = spec
    models = None
    if described.is_organization:
        from llmkg.publish.serve.listings import LISTINGS, rows

        listing = LISTINGS["models"]
        found, _ = await engine.call(rows, listing, iri)
        models = {"listing": listing, "rows": found}
    return page("entity.html", e=described, pictures=pictures, models=models, headers={"Vary": "Accept"})


def _suggestions(store, text: str, target: str = "/search", field: str = "q") -> list[dict]:
    """Names close to `text`, each with the page that opens it ("did you mean")."""
    from urllib.parse import urlencode

    from llmkg.query.saved import suggest_names

    return [{"label": name, "href": f"{target}?{urlencode({field: name})}"} for name in suggest_names(store, text)]


async def listing(request: Request) -> Response:
    """GET /models, /organizations, /papers, /architectures: every entity of a kind, one row each."""
    from llmkg.publish.serve.listings import LISTINGS, rows

    chosen = LISTINGS[request.url.path.strip("/")]
    found, more = await request.app.state.engine.call(rows, chosen)
    return page("list.html", listing=chosen, rows=found, more=more)


def _saved_rows(store, saved, params: dict[str, str]):
    from llmkg.query.saved import run

    return run(saved, store=store, params=params)


async def search(request: Request) -> Response:
    """GET /search?q=NAME: entities whose name key is the key of NAME (case,
    accents, spaces and punctuation blind), else whose key contains it; one
    hit goes straight to its page."""
    from llmkg.keys import name_key

    text = request.query_params.get("q", "").strip()[:200]
    hits = []
    if text:
        import pyoxigraph

        from llmkg.query.bindings import bind_values

        key = pyoxigraph.Literal(name_key(text))
        outcome = await request.app.state.engine.run(bind_values(SEARCH, {"key": key}), "select")
        if not outcome.rows:
            outcome = await request.app.state.engine.run(bind_values(SEARCH_PART, {"part": key}), "select")
        kinds: dict[str, dict] = {}
        for e, label, kind in outcome.rows:
            hit = kinds.setdefault(e.value, {"iri": e.value, "label": label.value, "types": [],
                                             "href": local_path(e.value)})
            if kind is not None:
                hit["types"].append(short(kind.value))
        hits = list(kinds.values())
        if request.query_params.get("format") == "json":  # completion as one types (static/app.js)
            from starlette.responses import JSONResponse

            # names that start with what was typed first, then the shorter
            hits.sort(key=lambda h: (not name_key(h["label"]).startswith(key.value), len(h["label"]), h["label"]))
            return JSONResponse([{"label": h["label"], "href": h["href"]} for h in hits[:COMPLETIONS]])
        if len(hits) == 1 and hits[0]["href"]:
            return RedirectResponse(hits[0]["href"], status_code=303)
    suggestions = [] if hits or not text else await request.app.state.engine.call(_suggestions, text)
    return page("search.html", q=text, hits=hits, suggestions=suggestions, status=200 if hits or not text else 404)


async def picture(request: Request) -> Response:
    """GET /pictures/timeline and /pictures/lineage?model=NAME: the picture in
    a page, or its Vega-Lite spec as JSON (Accept: application/json or format=json)."""
    from starlette.responses import JSONResponse

    from llmkg.publish.pictures import lineage_spec, timeline_spec

    name = request.path_params["name"]
    engine = request.app.state.engine
    queries = request.app.state.queries
    error, spec, suggestions = None, None, []
    model = request.query_params.get("model", "").strip()
    try:
        if name == "timeline":
            spec = timeline_spec(await engine.call(_saved_rows, queries["model-releases"], {}), link=_picture_link)
        elif name == "lineage":
            rows = await engine.call(_saved_rows, queries["lineage-tree"], {"model": model} if model else {})
            spec = lineage_spec(rows, link=_picture_link)
        else:
            raise ProtocolError(f"no picture '{name}'", status=404, hint="see /pictures/timeline, /pictures/lineage")
    except ProtocolError:
        raise
    except LlmkgError as exc:
        error = f"{exc}"
        if model:
            close = await engine.call(_suggestions, model, "/pictures/lineage", "model")
            error = f"No model is named '{model}'." if close else error
            suggestions = close
    if request.query_params.get("format") == "json" or not wants_html(request, (R.Offer("json", "application/json"),)):
        if error:
            raise ProtocolError(error, status=404)
        return JSONResponse(spec)
    return page("picture.html", name=name, spec=spec, model=model or queries["lineage-tree"].params[0].default,
                error=error, suggestions=suggestions, status=404 if error else 200)
