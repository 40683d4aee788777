"""HTML rendering for the server's pages: one Jinja2 environment with
autoescaping on for every template (catalog text is untrusted: a model
named `<img src=x onerror=alert(1)>` is shown as text), and the filters the
templates use to turn RDF terms into text and links.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from starlette.responses import HTMLResponse

from llmkg import vocab as V

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1 << 14)  # the same IRIs recur on every page
def local_path(iri: str) -> str | None:
    """The server path of one of llmkg's resource IRIs ('/id/model/llama2'), else None."""
    if iri.startswith(V.ID) and len(iri) > len(V.ID):
        return "/id/" + quote(iri[len(V.ID):], safe="/-._~")
    return None


def web_link(iri: str) -> str | None:
    """An IRI a page may link to outside the server: http(s) only (never javascript:)."""
    return iri if iri.startswith(("https://", "http://")) else None


@lru_cache(maxsize=1 << 14)
def short(iri: str) -> str:
    """'https://w3id.org/llmkg/id/model/llama2' -> 'model:llama2', as `llmkg query` tables show it."""
    from llmkg.query.results import compact

    return compact(iri)


def term_view(term, prop: str | None = None) -> dict:
    """What a table cell or fact value shows: text, a link (local or web), the
    exact value on hover; `prop`, the property it is a value of (sizes as 70B)."""
    from llmkg.publish.serve.values import literal_text

    view = {"text": "", "href": None, "title": None, "datatype": None, "language": None}
    kind = type(term).__name__
    if term is None:
        return view
    if kind == "NamedNode":
        return {**view, "text": short(term.value), "href": local_path(term.value) or web_link(term.value),
                "title": term.value}
    if kind == "BlankNode":
        return {**view, "text": "_:" + term.value}
    datatype = term.datatype.value if not term.language else None
    text, exact = literal_text(term.value, datatype, prop=prop)
    shown = None if exact or datatype in (None, V.XSD + "string") else short(datatype)
    return {**view, "text": text, "title": exact, "datatype": shown, "language": term.language}


@lru_cache(maxsize=1)
def environment():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    from llmkg.publish.serve.values import property_label

    env.filters.update(local_path=local_path, web_link=web_link, short=short, term=term_view,
                       property_label=property_label)
    return env


def page(template: str, *, status: int = 200, headers: dict | None = None, **context) -> HTMLResponse:
    html = environment().get_template(template).render(**context)
    return HTMLResponse(html, status_code=status, headers=headers)


def wants_html(request, offers) -> bool:
    """True if text/html is the best match of the client's Accept, better than
    every data format in `offers` (a browser's)."""
    from llmkg.publish.serve.results import prefers_html

    return prefers_html(request.headers.get("accept"), tuple(offers))
