"""A VoID description (https://www.w3.org/TR/void/) of the store, written
beside the dumps so that people and crawlers know what a dump holds before
they download it.

What it states, counted over every graph of the store:
- `void:triples`: the number of quads (a triple in two named graphs counts
  twice, like the lines of the N-Quads dump); one `void:subset` per named
  graph with its own `void:triples` and `sd:name`;
- `void:entities`: distinct IRI subjects under `void:uriSpace`
  <https://w3id.org/llmkg/id/>; `void:classes`, `void:properties`,
  `void:distinctSubjects`, `void:distinctObjects`;
- `void:classPartition`: per class, the number of its distinct instances;
- `void:propertyPartition`: per property, the number of its quads;
- `void:dataDump` per dump file and `void:feature` for its format;
- `void:vocabulary` for each namespace whose terms the data uses;
- `dcterms:modified`: today, or the day of $SOURCE_DATE_EPOCH (reproducible
  builds), or the date passed in.

No `void:sparqlEndpoint`: llmkg runs none. Dump references are relative to
the VoID file (which sits beside the dumps) unless `base_iri` is given, so
the description stays true wherever the files are published; parsers that
need a base (pyoxigraph) must be given the VoID file's own URL.

The Turtle is written by hand so that the output is deterministic (sorted,
no generated blank node labels) and readable.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any, Iterable, Sequence
from urllib.parse import quote

from llmkg import vocab as V

VOID = "http://rdfs.org/ns/void#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"

DATASET_IRI = "https://w3id.org/llmkg/dataset"

# File extension (without .gz) -> W3C format IRI (http://www.w3.org/ns/formats/)
_FEATURES = {
    ".nt": "N-Triples", ".nq": "N-Quads", ".ttl": "Turtle", ".trig": "TriG",
    ".jsonld": "JSON-LD", ".rdf": "RDF_XML", ".owl": "RDF_XML", ".xml": "RDF_XML",
}


def void_description(source: Any, *, dumps: Sequence[Path | str] = (),
                     dataset_iri: str = DATASET_IRI, base_iri: str | None = None,
                     modified: dt.date | None = None,
                     title: str = "llmkg: the LLM landscape knowledge graph") -> str:
    """VoID Turtle describing `source` (a store directory, an open
    pyoxigraph.Store, or an iterable of pyoxigraph quads) and its `dumps`."""
    store = _as_store(source)
    stats = _statistics(store)
    day = modified or _today()
    iri = _iri(dataset_iri)

    lines = [
        f"@prefix void: <{VOID}> .",
        f"@prefix dcterms: <{V.DCTERMS}> .",
        f"@prefix sd: <{SD}> .",
        f"@prefix xsd: <{V.XSD}> .",
        "",
        f"{iri} a void:Dataset ;",
        f"    dcterms:title {_string(title)} ;",
        f'    dcterms:modified "{day.isoformat()}"^^xsd:date ;',
        f"    void:uriSpace {_string(V.ID)} ;",
        f"    void:triples {stats['triples']} ;",
        f"    void:entities {stats['entities']} ;",
        f"    void:classes {len(stats['classes'])} ;",
        f"    void:properties {len(stats['properties'])} ;",
        f"    void:distinctSubjects {stats['subjects']} ;",
        f"    void:distinctObjects {stats['objects']}",
    ]
    body: list[str] = []
    for vocabulary in stats["vocabularies"]:
        body.append(f"void:vocabulary {_iri(vocabulary)}")
    for dump in dumps:
        body.append(f"void:dataDump {_dump_ref(Path(dump), base_iri)}")
    for feature in sorted({_feature(Path(d)) for d in dumps} - {None}):
        body.append(f"void:feature <{FORMATS}{feature}>")
    for klass, count in stats["classes"]:
        body.append(f"void:classPartition [ void:class {_iri(klass)} ; void:entities {count} ]")
    for prop, count in stats["properties"]:
        body.append(f"void:propertyPartition [ void:property {_iri(prop)} ; void:triples {count} ]")
    for graph, count in stats["graphs"]:
        body.append(f"void:subset [ a void:Dataset ; sd:name {_iri(graph)} ; void:triples {count} ]")
    for item in body:
        lines[-1] += " ;"
        lines.append(f"    {item}")
    lines[-1] += " ."
    return "\n".join(lines) + "\n"


def _as_store(source: Any):
    import pyoxigraph as ox

    if isinstance(source, ox.Store):
        return source
    if isinstance(source, (str, Path)):
        from llmkg.store import open_store

        return open_store(Path(source), read_only=True)
    store = ox.Store()
    store.extend(source)
    return store


def _rows(store, query: str) -> list[tuple]:
    return [tuple(row) for row in store.query(query)]


def _statistics(store) -> dict:
    """Counts over all graphs: the default graph and every named graph."""
    every = "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    (triples, subjects, objects), = _rows(store, f"""
        SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?ds) (COUNT(DISTINCT ?o) AS ?do)
        WHERE {every}""")
    (entities,), = _rows(store, f"""
        SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {every}
          FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{V.ID}")) }}""")
    classes = _rows(store, """
        SELECT ?c (COUNT(DISTINCT ?s) AS ?n)
        WHERE { { ?s a ?c } UNION { GRAPH ?g { ?s a ?c } } FILTER(isIRI(?c)) }
        GROUP BY ?c""")
    properties = _rows(store, f"SELECT ?p (COUNT(*) AS ?n) WHERE {every} GROUP BY ?p")
    graphs = _rows(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")

    def pairs(rows):
        return sorted((term.value, int(n.value)) for term, n in rows)

    class_pairs, property_pairs = pairs(classes), pairs(properties)
    return {
        "triples": int(triples.value), "subjects": int(subjects.value),
        "objects": int(objects.value), "entities": int(entities.value),
        "classes": class_pairs, "properties": property_pairs, "graphs": pairs(graphs),
        "vocabularies": _vocabularies([c for c, _ in class_pairs] + [p for p, _ in property_pairs]),
    }


def _vocabularies(terms: Iterable[str]) -> list[str]:
    """Namespaces of the classes and properties used (the IRI up to its last # or /)."""
    spaces = set()
    for term in terms:
        cut = max(term.rfind("#"), term.rfind("/"))
        if cut > 0:
            spaces.add(term[:cut + 1])
    return sorted(spaces)


def _dump_ref(dump: Path, base_iri: str | None) -> str:
    name = quote(dump.name)
    return _iri(base_iri.rstrip("/") + "/" + name) if base_iri else f"<{name}>"


def _feature(dump: Path) -> str | None:
    name = dump.name.removesuffix(".gz")
    return _FEATURES.get(Path(name).suffix.lower())


def _iri(value: str) -> str:
    import pyoxigraph as ox

    return str(ox.NamedNode(value))  # validated and escaped


def _string(value: str) -> str:
    import pyoxigraph as ox

    return str(ox.Literal(value))


def _today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
    return dt.date.today()
