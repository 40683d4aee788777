"""Stage 4: entities -> RDF quads under the llmkg ontology, with provenance.

The only module that knows RDF terms. Asserted facts go to the data graph;
where each entity and fact came from goes to the provenance graph (PROV-O
plus reified rdf:Statements with deterministic IRIs).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from collections.abc import Iterable, Iterator

from pyoxigraph import Literal, NamedNode, Quad

from llmkg import vocab as V
from llmkg.facts import Date
from llmkg.keys import name_key as name_key_of
from llmkg.records import Iri
from llmkg.resolve import Entity, Source, Target, catalog_slug

CLASSES = {
    "model": V.LLMKG + "Model",
    "organization": V.LLMKG + "Organization",
    "paper": V.LLMKG + "Paper",
    "architecture": V.LLMKG + "Architecture",
    "section": V.SKOS + "Concept",
    "catalog": V.LLMKG + "Catalog",
}
# Fact predicates that are not in the llmkg: namespace.
PREDICATES = {"broader": V.SKOS + "broader"}
SCHEME = V.ID + "scheme/catalog-sections"

_RDF_TYPE = NamedNode(V.RDF + "type")
_LABEL = NamedNode(V.RDFS + "label")
_ALT = NamedNode(V.SKOS + "altLabel")
_NAME_KEY = NamedNode(V.LLMKG + "nameKey")
_IN_SCHEME = NamedNode(V.SKOS + "inScheme")
_DERIVED = NamedNode(V.PROV + "wasDerivedFrom")
_XSD_INTEGER = NamedNode(V.XSD + "integer")
_DATA = NamedNode(V.DATA_GRAPH)
_PROV = NamedNode(V.PROVENANCE_GRAPH)


class MappingProblem(ValueError):
    """A value that cannot be an RDF term (e.g. an invalid IRI in the catalog)."""


@lru_cache(maxsize=1 << 18)  # organisations, sections, catalogs recur in most facts
def node(target: Target) -> NamedNode:
    return NamedNode(V.iri(target.kind, target.slug))


def term(value) -> NamedNode | Literal:
    if isinstance(value, Target):
        return node(value)
    if isinstance(value, Iri):
        try:
            return NamedNode(value.value)
        except ValueError:
            raise MappingProblem(f"not a valid IRI: {value.value}") from None
    if isinstance(value, Date):
        return Literal(value.lexical, datatype=NamedNode(V.XSD + value.datatype))
    if isinstance(value, bool):
        raise MappingProblem("booleans are not catalog facts")
    if isinstance(value, int):
        return Literal(str(value), datatype=_XSD_INTEGER)
    return Literal(str(value))


@lru_cache(maxsize=1 << 18)
def source_line(source: Source) -> NamedNode:
    catalog, line = source
    return NamedNode(f"{V.ID}{V.SOURCE}/{catalog_slug(catalog)}/{line}")


def statement_iri(s: NamedNode, p: NamedNode, o) -> NamedNode:
    digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:16]
    return NamedNode(f"{V.ID}{V.STATEMENT}/{digest}")


def to_quads(entities: Iterable[Entity], problems: list[str] | None = None) -> Iterator[Quad]:
    """All quads of the data and provenance graphs for `entities`."""
    lines: set[Source] = set()
    catalogs: dict[str, NamedNode] = {}
    scheme_used = False
    for entity in entities:
        subject = node(entity.target)
        yield Quad(subject, _RDF_TYPE, NamedNode(CLASSES[entity.kind]), _DATA)
        yield Quad(subject, _LABEL, Literal(entity.label), _DATA)
        for alt in sorted(entity.alt_labels):
            yield Quad(subject, _ALT, Literal(alt), _DATA)
        # The look-up key of every name: saved queries find an entity by name
        # with one index hit instead of lower-casing every label in the store.
        for name_key in sorted({name_key_of(entity.label), *map(name_key_of, entity.alt_labels)}):
            yield Quad(subject, _NAME_KEY, Literal(name_key), _DATA)
        if entity.kind == "section":
            scheme_used = True
            yield Quad(subject, _IN_SCHEME, NamedNode(SCHEME), _DATA)
        if entity.kind == "catalog":
            catalogs[entity.label] = subject
        for source in sorted(entity.sources):
            lines.add(source)
            yield Quad(subject, _DERIVED, source_line(source), _PROV)
        for (predicate, value), sources in sorted(entity.facts.items(), key=_fact_order):
            p = _predicate(predicate)
            try:
                o = term(value)
            except MappingProblem as exc:
                if problems is not None:
                    first = min(sources)
                    problems.append(f"{first[0]}:{first[1]}: {exc}")
                continue
            yield Quad(subject, p, o, _DATA)
            if predicate == "fromCatalog" or (len(entity.sources) == 1 and sources == entity.sources):
                # A fact read from the one line its subject comes from needs no
                # statement of its own: the subject's prov:wasDerivedFrom says it
                # (docs/vocabulary.md). This keeps provenance ~3x smaller.
                continue
            statement = statement_iri(subject, p, o)
            yield Quad(statement, _RDF_TYPE, NamedNode(V.RDF + "Statement"), _PROV)
            yield Quad(statement, NamedNode(V.RDF + "subject"), subject, _PROV)
            yield Quad(statement, NamedNode(V.RDF + "predicate"), p, _PROV)
            yield Quad(statement, NamedNode(V.RDF + "object"), o, _PROV)
            for source in sorted(sources):
                lines.add(source)
                yield Quad(statement, _DERIVED, source_line(source), _PROV)
    if scheme_used:
        yield Quad(NamedNode(SCHEME), _RDF_TYPE, NamedNode(V.SKOS + "ConceptScheme"), _DATA)
        yield Quad(NamedNode(SCHEME), _LABEL, Literal("Sections of the LLM landscape catalog"), _DATA)
    for source in sorted(lines):
        line_node = source_line(source)
        yield Quad(line_node, _RDF_TYPE, NamedNode(V.LLMKG + "SourceLine"), _PROV)
        yield Quad(line_node, NamedNode(V.LLMKG + "lineNumber"),
                   Literal(str(source[1]), datatype=_XSD_INTEGER), _PROV)
        catalog = catalogs.get(source[0]) or NamedNode(f"{V.ID}{V.CATALOG}/{catalog_slug(source[0])}")
        yield Quad(line_node, NamedNode(V.LLMKG + "inCatalog"), catalog, _PROV)


@lru_cache(maxsize=256)
def _predicate(name: str) -> NamedNode:
    return NamedNode(PREDICATES.get(name, V.LLMKG + name))


def _fact_order(item) -> tuple:
    (predicate, value), _ = item
    return predicate, type(value).__name__, str(getattr(value, "slug", getattr(value, "lexical", value)))
