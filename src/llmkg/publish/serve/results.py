"""Query results as HTTP bodies: content negotiation and the formats.

Accept headers are parsed by werkzeug (q-values, `*/*`, `type/*`); an offer
takes the q-value of the most specific range that names it, so `q=0` on a
type excludes it even when `*/*` follows. Every body is written by
pyoxigraph's own serialisers: SPARQL results (JSON, XML, CSV, TSV) by
`QuerySolutions.serialize` / `QueryBoolean.serialize`, graphs (Turtle,
N-Triples, N-Quads, TriG, RDF/XML, JSON-LD, N3) by `pyoxigraph.serialize`.

A result cut short by the row cap or the time limit says so in the
`Llmkg-Limit` header and inside the results clients read: SPARQL JSON
`head.limit` (the message) and `head.link`, SPARQL XML `<link href>` in
`<head>` (a `urn:llmkg:limit:` URI carrying the message).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote

from llmkg.errors import LlmkgError

LIMIT_HEADER = "Llmkg-Limit"
MAX_ACCEPT = 4096  # characters of an Accept header read (client input)


@dataclass(frozen=True)
class Offer:
    name: str                       # the short `format=` value
    media_type: str
    names: tuple[str, ...] = ()     # other short names and media types clients use for it

    def called(self, value: str) -> bool:
        return value in (self.name, self.media_type) or value in self.names


SOLUTION_OFFERS = (
    Offer("json", "application/sparql-results+json", ("application/json", "srj")),
    Offer("xml", "application/sparql-results+xml", ("application/xml", "text/xml", "srx")),
    Offer("csv", "text/csv"),
    Offer("tsv", "text/tab-separated-values", ("text/tsv",)),
)
GRAPH_OFFERS = (
    Offer("turtle", "text/turtle", ("ttl", "application/x-turtle")),
    Offer("ntriples", "application/n-triples", ("nt", "n-triples", "text/plain")),
    Offer("nquads", "application/n-quads", ("nq", "n-quads")),
    Offer("trig", "application/trig"),
    Offer("rdfxml", "application/rdf+xml", ("xml", "rdf", "rdf+xml", "rdf/xml", "application/xml", "text/xml")),
    Offer("jsonld", "application/ld+json", ("json-ld", "json", "application/json", "application/x-json+ld")),
    Offer("n3", "text/n3", ("text/rdf+n3",)),
)
HTML = Offer("html", "text/html", ("application/xhtml+xml",))

_RESULTS_FORMATS = {"json": "JSON", "xml": "XML", "csv": "CSV", "tsv": "TSV"}
_RDF_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "nquads": "N_QUADS", "trig": "TRIG",
                "rdfxml": "RDF_XML", "jsonld": "JSON_LD", "n3": "N3"}
_WITH_PREFIXES = {"turtle", "trig", "rdfxml", "n3"}


class NotAcceptable(LlmkgError):
    """No offered format is what the client asked for: 406, naming what is offered."""

    status = 406

    def __init__(self, asked: str, offers: tuple[Offer, ...]) -> None:
        super().__init__(f"cannot answer in any format of '{asked[:200]}'",
                         hint="ask for one of: " + ", ".join(o.media_type for o in offers))


def offers_for(form: str) -> tuple[Offer, ...]:
    return GRAPH_OFFERS if form in ("construct", "describe") else SOLUTION_OFFERS


def _items(accept: str) -> list[tuple[str, float]]:
    """The Accept header's media ranges and q-values, as werkzeug parses them."""
    from werkzeug.datastructures import MIMEAccept
    from werkzeug.http import parse_accept_header

    parsed = parse_accept_header(accept[:MAX_ACCEPT], MIMEAccept)
    return [(value.split(";")[0].strip().lower(), q) for value, q in parsed]


def _quality(items: list[tuple[str, float]], offer: Offer) -> tuple[float, int]:
    """The offer's q-value from the most specific range naming it, and that specificity."""
    for names, specificity in (((offer.media_type,), 2), (offer.names, 2),
                               ((offer.media_type.split("/")[0] + "/*",), 1), (("*/*",), 0)):
        found = [q for value, q in items if value in names]
        if found:
            return max(found), specificity
    return 0.0, 0


def best(accept: str | None, offers: tuple[Offer, ...]) -> Offer | None:
    """The offer the Accept header prefers (ties: the more specific range,
    then the server's order); the first offer without Accept; None if none is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    items = _items(accept)
    ranked = [(_quality(items, offer), -rank, offer) for rank, offer in enumerate(offers)]
    ranked = [r for r in ranked if r[0][0] > 0]
    return max(ranked, key=lambda r: r[:2])[2] if ranked else None


def prefers_html(accept: str | None, offers: tuple[Offer, ...]) -> bool:
    """True if HTML is strictly the best match for the Accept header (a browser's),
    better than every data format in `offers`."""
    if not accept:
        return False
    items = _items(accept)
    html = _quality(items, HTML)
    return html[0] > 0 and all(html > _quality(items, offer) for offer in offers)


def negotiate(accept: str | None, offers: tuple[Offer, ...], *, wanted: str | None = None) -> Offer:
    """The offer to answer with: `wanted` (a `format=`/`output=` value: a short
    name or a media type, or a comma-separated list of them, the first known one
    wins) if given, else the Accept header's best. NotAcceptable if none fits."""
    if wanted:
        for value in wanted.split(",")[:16]:
            value = value.split(";")[0].strip().lower()
            for offer in offers:
                if offer.called(value):
                    return offer
        raise NotAcceptable(f"format={wanted}", offers)
    offer = best(accept, offers)
    if offer is None:
        raise NotAcceptable(f"Accept: {accept}", offers)
    return offer


def solution_format(name: str):
    import pyoxigraph

    return getattr(pyoxigraph.QueryResultsFormat, _RESULTS_FORMATS[name])


def rdf_format(name: str):
    import pyoxigraph

    return getattr(pyoxigraph.RdfFormat, _RDF_FORMATS[name])


def limit_link(limit: str) -> str:
    return "urn:llmkg:limit:" + quote(limit, safe="")


def solutions_body(variables: list[str], rows: list[tuple], name: str, *, limit: str | None = None) -> bytes:
    """SELECT rows (as far as they were read) written by pyoxigraph in format `name`.

    The rows go back into a QuerySolutions through SPARQL TSV, whose cells are
    the terms in N-Triples syntax, pyoxigraph's own `str(term)`."""
    import pyoxigraph

    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    tsv = ("\n".join(lines) + "\n").encode("utf-8")
    solutions = pyoxigraph.parse_query_results(tsv, format=pyoxigraph.QueryResultsFormat.TSV)
    body = solutions.serialize(format=solution_format(name))
    if limit and name == "json":
        document = json.loads(body)
        document["head"].update(limit=limit, link=[limit_link(limit)])
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    elif limit and name == "xml":
        link = f'<link href="{limit_link(limit)}"/>'.encode()
        body = body.replace(b"</head>", link + b"</head>", 1) if b"</head>" in body else \
            body.replace(b"<head/>", b"<head>" + link + b"</head>", 1)
    return body


def graph_body(triples: list, name: str) -> bytes:
    """CONSTRUCT or DESCRIBE triples (or an entity's description) in format `name`, sorted."""
    import pyoxigraph

    from llmkg import vocab as V

    prefixes = V.PREFIXES if name in _WITH_PREFIXES else None
    # sorted as the dumps are: the same triples give the same bytes
    return pyoxigraph.serialize(sorted(triples, key=str), format=rdf_format(name), prefixes=prefixes)


def media_type(offer: Offer) -> str:
    """The Content-Type of a body in `offer`'s format."""
    return offer.media_type + ("; charset=utf-8" if offer.media_type.startswith("text/") else "")
