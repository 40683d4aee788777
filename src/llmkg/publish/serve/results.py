"""Query results as HTTP bodies: content negotiation and the SPARQL result
formats (JSON, XML, CSV, TSV) and RDF formats (Turtle, N-Triples, JSON-LD).

A result cut short by the row cap or the time limit says so in the
`Llmkg-Limit` header and, in SPARQL JSON, in `head.limit` (the UI shows it).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from llmkg import vocab as V
from llmkg.errors import FormatError
from llmkg.publish.formats import by_name

LIMIT_HEADER = "Llmkg-Limit"


@dataclass(frozen=True)
class Offer:
    name: str          # the `format=` value
    media_type: str


SOLUTION_OFFERS = (
    Offer("json", "application/sparql-results+json"),
    Offer("xml", "application/sparql-results+xml"),
    Offer("csv", "text/csv"),
    Offer("tsv", "text/tab-separated-values"),
)
# other media types clients send for the same formats
SOLUTION_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml"}
GRAPH_OFFERS = tuple(Offer(f.name, f.media_type) for f in map(by_name, ("turtle", "ntriples", "jsonld")))
GRAPH_ALIASES = {"application/x-turtle": "turtle", "text/plain": "ntriples", "application/json": "jsonld"}


def negotiate(accept: str | None, offers: tuple[Offer, ...], aliases: dict[str, str],
              *, wanted: str | None = None) -> Offer | None:
    """The offer a client prefers: `wanted` (a `format=` value) if given, else
    the Accept header's best match by q-value (ties: the server's order).
    None if nothing offered is acceptable."""
    by_name_ = {o.name: o for o in offers}
    if wanted:
        offer = by_name_.get(wanted.lower()) or by_name_.get(aliases.get(wanted.lower(), ""))
        if offer is None:
            raise FormatError(f"unknown format '{wanted}'",
                              hint=f"use one of: {', '.join(by_name_)}")
        return offer
    if not accept:
        return offers[0]
    best: tuple[float, int, Offer] | None = None
    for part in accept.split(",")[:32]:  # bounded: a header is client input
        media, *params = [p.strip() for p in part.split(";")]
        media = media.lower()
        q = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        for rank, offer in enumerate(offers):
            if _matches(media, offer, aliases):
                candidate = (q, -rank, offer)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return best[2] if best else None


def _matches(media: str, offer: Offer, aliases: dict[str, str]) -> bool:
    if media in ("*/*", offer.media_type) or aliases.get(media) == offer.name:
        return True
    return media.endswith("/*") and offer.media_type.startswith(media[:-1])


def solutions_body(variables: list[str], rows: list[tuple], offer: Offer, *, limit: str | None) -> bytes:
    """SELECT results in the negotiated format."""
    from llmkg.query.results import QueryResult, json_results, render

    result = QueryResult(variables, rows)
    if offer.name == "json":
        return json_results(result, head={"limit": limit} if limit else None, indent=None).encode("utf-8")
    if offer.name == "xml":
        return _xml(variables, rows).encode("utf-8")
    return render(result, offer.name).encode("utf-8")


def boolean_body(value: bool, offer: Offer) -> bytes:
    """ASK results in the negotiated format."""
    if offer.name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    from llmkg.query.results import QueryResult, render

    return render(QueryResult([], [], form="ask", boolean=value), offer.name).encode("utf-8")


def graph_body(triples: list, offer: Offer) -> bytes:
    """CONSTRUCT or DESCRIBE triples (or an entity's description), sorted as the dumps are."""
    from llmkg.publish.export import serialize_triples
    from llmkg.publish.formats import by_name

    return serialize_triples(triples, by_name(offer.name))


def _xml(variables: list[str], rows: list[tuple]) -> str:
    """SPARQL Query Results XML Format."""
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for name, term in zip(variables, row):
            if term is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "".join(out)


def _xml_term(term) -> str:
    kind = type(term).__name__
    if kind == "NamedNode":
        return f"<uri>{escape(term.value)}</uri>"
    if kind == "BlankNode":
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f'<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>'
    if term.datatype.value != V.XSD + "string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
