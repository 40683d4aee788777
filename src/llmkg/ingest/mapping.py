"""Stage 4: entities -> RDF quads under the llmkg ontology, with provenance.

The only module that knows RDF terms. Asserted facts go to the data graph;
where each entity and fact came from goes to the provenance graph (PROV-O
plus reified rdf:Statements with deterministic IRIs).

Quads are written as N-Quads lines: the build bulk-loads text into the store
in a background thread (no Python object per term; 2.2M quads at 100K
entries). Every term is formatted by pyoxigraph itself (IRIs and typed
values once per distinct term), so IRIs are validated and literals escaped
exactly as before, and statement IRIs, which hash the terms' N-Triples form,
do not change.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from collections.abc import Iterable, Iterator, Mapping

from pyoxigraph import Literal, NamedNode, Quad

from llmkg import vocab as V
from llmkg.ingest.facts import Date
from llmkg.keys import name_key as name_key_of
from llmkg.ingest.records import Iri
from llmkg.ingest.resolve import Entity, Source, Target, catalog_slug

CLASSES = {
    "model": V.LLMKG + "Model",
    "organization": V.LLMKG + "Organization",
    "paper": V.LLMKG + "Paper",
    "architecture": V.LLMKG + "Architecture",
    "section": V.SKOS + "Concept",
    "catalog": V.LLMKG + "Catalog",
}
# Fact predicates that are not in the llmkg: namespace.
PREDICATES = {"broader": V.SKOS + "broader", "license": V.SCHEMA + "license"}
SCHEME = V.ID + "scheme/catalog-sections"


def _iri(value: str) -> str:
    return str(NamedNode(value))


# Terms in N-Triples form; the lines of each graph end with its name.
_RDF_TYPE = _iri(V.RDF + "type")
_LABEL = _iri(V.RDFS + "label")
_ALT = _iri(V.SKOS + "altLabel")
_NAME_KEY = _iri(V.LLMKG + "nameKey")
_IN_SCHEME = _iri(V.SKOS + "inScheme")
_DERIVED = _iri(V.PROV + "wasDerivedFrom")
_STATEMENT = _iri(V.RDF + "Statement")
_SUBJECT, _PREDICATE, _OBJECT = (_iri(V.RDF + n) for n in ("subject", "predicate", "object"))
_INTEGER = f"^^{_iri(V.XSD + 'integer')}"  # digits need no escaping
_IN_DATA = f" {_iri(V.DATA_GRAPH)} .\n"
_IN_PROV = f" {_iri(V.PROVENANCE_GRAPH)} .\n"
_CLASS_TERMS = {kind: _iri(iri) for kind, iri in CLASSES.items()}


class MappingProblem(ValueError):
    """A value that cannot be an RDF term (e.g. an invalid IRI in the catalog)."""


@lru_cache(maxsize=1 << 18)  # organisations, sections, catalogs recur in most facts
def node(target: Target) -> str:
    return _iri(V.iri(target.kind, target.slug))


def term(value) -> str:
    """A fact's value in N-Triples form."""
    if isinstance(value, Target):
        return node(value)
    if isinstance(value, Iri):
        return _catalog_iri(value.value)
    if isinstance(value, Date):
        return _typed(value.lexical, value.datatype)
    if isinstance(value, bool):
        raise MappingProblem("booleans are not catalog facts")
    if isinstance(value, int):
        return f'"{value}"{_INTEGER}'
    return _plain(str(value))


@lru_cache(maxsize=1 << 16)
def _catalog_iri(value: str) -> str:
    try:
        return _iri(value)
    except ValueError:
        raise MappingProblem(f"not a valid IRI: {value}") from None


@lru_cache(maxsize=1 << 12)  # dates and small numbers recur
def _typed(lexical: str, datatype: str) -> str:
    return str(Literal(lexical, datatype=NamedNode(V.XSD + datatype)))


def _plain(text: str) -> str:
    return str(Literal(text))


@lru_cache(maxsize=1 << 18)
def source_line(source: Source) -> str:
    catalog, line = source
    return _iri(f"{V.ID}{V.SOURCE}/{catalog_slug(catalog)}/{line}")


def statement_iri(s: str, p: str, o: str) -> str:
    digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:16]
    return f"<{V.ID}{V.STATEMENT}/{digest}>"


def to_quads(entities: Iterable[Entity], problems: list[str] | None = None) -> Iterator[Quad]:
    """All quads of the data and provenance graphs for `entities`, as pyoxigraph Quads."""
    return quads_of(to_nquads(entities, problems))


def quads_of(lines: Iterable[str]) -> Iterator[Quad]:
    """N-Quads `lines` as pyoxigraph Quads, in order."""
    from pyoxigraph import RdfFormat, parse

    return parse("".join(lines).encode(), format=RdfFormat.N_QUADS)


MAX_LINE_TEXT = 2_000  # characters of a catalog line kept as its llmkg:lineText


def to_nquads(entities: Iterable[Entity], problems: list[str] | None = None,
              texts: Mapping[Source, str] | None = None) -> Iterator[str]:
    """All quads of the data and provenance graphs for `entities`, one N-Quads line each.

    Values that are no RDF term are left out and described in `problems`;
    `texts`: the catalog lines' texts, stated on each source line read.
    """
    lines: set[Source] = set()
    catalogs: dict[str, str] = {}
    scheme_used = False
    for entity in entities:
        subject = node(entity.target)
        yield f"{subject} {_RDF_TYPE} {_CLASS_TERMS[entity.kind]}{_IN_DATA}"
        yield f"{subject} {_LABEL} {_plain(entity.label)}{_IN_DATA}"
        for alt in sorted(entity.alt_labels):
            yield f"{subject} {_ALT} {_plain(alt)}{_IN_DATA}"
        # The look-up key of every name: saved queries find an entity by name
        # with one index hit instead of lower-casing every label in the store.
        for name_key in sorted({name_key_of(entity.label), *map(name_key_of, entity.alt_labels)}):
            yield f"{subject} {_NAME_KEY} {_plain(name_key)}{_IN_DATA}"
        if entity.kind == "section":
            scheme_used = True
            yield f"{subject} {_IN_SCHEME} <{SCHEME}>{_IN_DATA}"
        if entity.kind == "catalog":
            catalogs[entity.label] = subject
        for source in sorted(entity.sources):
            lines.add(source)
            yield f"{subject} {_DERIVED} {source_line(source)}{_IN_PROV}"
        for (predicate, value), sources in sorted(entity.facts.items(), key=_fact_order):
            p = _predicate(predicate)
            try:
                o = term(value)
            except MappingProblem as exc:
                if problems is not None:
                    first = min(sources)
                    problems.append(f"{first[0]}:{first[1]}: {exc}")
                continue
            yield f"{subject} {p} {o}{_IN_DATA}"
            if predicate == "fromCatalog" or (len(entity.sources) == 1 and sources == entity.sources):
                # A fact read from the one line its subject comes from needs no
                # statement of its own: the subject's prov:wasDerivedFrom says it
                # (docs/vocabulary.md). This keeps provenance ~3x smaller.
                continue
            statement = statement_iri(subject, p, o)
            yield f"{statement} {_RDF_TYPE} {_STATEMENT}{_IN_PROV}"
            yield f"{statement} {_SUBJECT} {subject}{_IN_PROV}"
            yield f"{statement} {_PREDICATE} {p}{_IN_PROV}"
            yield f"{statement} {_OBJECT} {o}{_IN_PROV}"
            for source in sorted(sources):
                lines.add(source)
                yield f"{statement} {_DERIVED} {source_line(source)}{_IN_PROV}"
    if scheme_used:
        yield f"<{SCHEME}> {_RDF_TYPE} {_iri(V.SKOS + 'ConceptScheme')}{_IN_DATA}"
        yield f"<{SCHEME}> {_LABEL} {_plain('Sections of the LLM landscape catalog')}{_IN_DATA}"
    source_line_class, line_number, in_catalog, line_text = (
        _iri(V.LLMKG + n) for n in ("SourceLine", "lineNumber", "inCatalog", "lineText"))
    for source in sorted(lines):
        line_node = source_line(source)
        yield f"{line_node} {_RDF_TYPE} {source_line_class}{_IN_PROV}"
        yield f'{line_node} {line_number} "{source[1]}"{_INTEGER}{_IN_PROV}'
        text = (texts or {}).get(source, "").strip()
        if text:
            yield f"{line_node} {line_text} {_plain(text[:MAX_LINE_TEXT])}{_IN_PROV}"
        catalog = catalogs.get(source[0]) or _iri(f"{V.ID}{V.CATALOG}/{catalog_slug(source[0])}")
        yield f"{line_node} {in_catalog} {catalog}{_IN_PROV}"


@lru_cache(maxsize=256)
def _predicate(name: str) -> str:
    return _iri(PREDICATES.get(name, V.LLMKG + name))


def _fact_order(item) -> tuple:
    (predicate, value), _ = item
    return predicate, type(value).__name__, str(getattr(value, "slug", getattr(value, "lexical", value)))
