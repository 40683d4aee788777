"""RDF terms as a person reads them: sizes as `70B` (the exact number on
hover), other numbers grouped as the CLI prints them (`70,000,000,000`),
dates as dates, and properties by their ontology labels (`context length`,
not `llmkg:contextLength`).
"""

from __future__ import annotations

from functools import lru_cache

from llmkg import vocab as V

SIZES = {V.LLMKG + "parameterCount", V.LLMKG + "activeParameterCount"}
NUMBERS = {V.XSD + t for t in ("integer", "long", "int", "decimal", "double", "nonNegativeInteger")}
DATES = {V.XSD + "date", V.XSD + "gYearMonth", V.XSD + "gYear", V.XSD + "dateTime"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
# properties of other vocabularies the pages show, as the ontology would label them
OTHER_LABELS = {
    V.RDF + "type": "type", V.RDFS + "label": "name", V.SKOS + "altLabel": "other name",
    V.SKOS + "broader": "within section", V.SKOS + "inScheme": "in scheme",
    V.PROV + "wasDerivedFrom": "read from", V.RDFS + "seeAlso": "see also",
}


@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, str]:
    """IRI -> rdfs:label of every term ontology/llmkg.ttl labels (English first)."""
    import pyoxigraph

    from llmkg.paths import shipped

    labels: dict[str, str] = {}
    with open(shipped("ontology") / "llmkg.ttl", "rb") as ontology:
        for triple in pyoxigraph.parse(ontology, format=pyoxigraph.RdfFormat.TURTLE):
            if triple.predicate.value == V.RDFS + "label" and isinstance(triple.subject, pyoxigraph.NamedNode):
                if triple.object.language in (None, "en") or triple.subject.value not in labels:
                    labels[triple.subject.value] = triple.object.value
    return labels


@lru_cache(maxsize=1024)
def property_label(iri: str) -> str:
    """'https://w3id.org/llmkg/ontology#contextLength' -> 'context length'."""
    from llmkg.query.results import compact

    return ontology_labels().get(iri) or OTHER_LABELS.get(iri) or compact(iri)


def size(n: int) -> str:
    """70000000000 -> '70B', 7300000000 -> '7.3B', 1800000000000 -> '1.8T', 125000000 -> '125M'."""
    for unit, scale in (("T", 10 ** 12), ("B", 10 ** 9), ("M", 10 ** 6), ("K", 10 ** 3)):
        if abs(n) >= scale:
            shown = f"{n / scale:.3g}" if n % scale else str(n // scale)
            return shown + unit
    return str(n)


def date(lexical: str) -> str:
    """'2023-07-18' -> '18 Jul 2023', '2023-07' -> 'Jul 2023', '2023' -> '2023' (as given)."""
    parts = lexical[:10].split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return lexical


def literal_text(lexical: str, datatype: str | None, *, prop: str | None = None) -> tuple[str, str | None]:
    """What a literal shows, and its exact value with its type for the hover (None: nothing more)."""
    from llmkg.query.results import compact

    if datatype in NUMBERS:
        try:
            number = int(lexical)
        except ValueError:
            return lexical, f"{lexical} ({compact(datatype)})"
        shown = size(number) if prop in SIZES else f"{number:,}"
        return shown, f"{number:,} ({compact(datatype)})"
    if datatype in DATES:
        return date(lexical), f"{lexical} ({compact(datatype)})"
    return lexical, None
