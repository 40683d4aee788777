"""The temporal model in RDF: catalog versions and the intervals that state each fact.

Graph <https://w3id.org/llmkg/graph/history> (docs/vocabulary.md, "History"):

    version:<commit> a llmkg:CatalogVersion ;          # a prov:Entity
        llmkg:commit "<id>" ; llmkg:catalogPath "section/llm.md" ;
        llmkg:versionNumber 3 ; prov:generatedAtTime "…"^^xsd:dateTime ;
        dcterms:date "2025-03-11"^^xsd:date ; prov:wasRevisionOf version:<previous> .
    interval:<hash> a llmkg:FactInterval ;
        llmkg:factSubject s ; llmkg:factPredicate p ; llmkg:factObject o ;
        llmkg:firstVersion version:<a> ; llmkg:lastVersion version:<b> .

One interval per maximal run of consecutive versions that state the fact
`s p o` of the data graph. A fact is never asserted here, only described,
so every query over the union of the graphs sees the newest version alone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from llmkg import vocab as V
from llmkg.history.versions import Version


def _iri(value: str) -> str:
    return f"<{value}>"


def version_iri(version: Version) -> str:
    return V.iri(V.VERSION, version.commit)


_TYPE = _iri(V.RDF + "type")
_IN = f" {_iri(V.HISTORY_GRAPH)} .\n"
_T = {name: _iri(V.LLMKG + name) for name in (
    "CatalogVersion", "FactInterval", "commit", "catalogPath", "versionNumber",
    "factSubject", "factPredicate", "factObject", "firstVersion", "lastVersion")}
_LABEL = _iri(V.RDFS + "label")
_GENERATED = _iri(V.PROV + "generatedAtTime")
_REVISION_OF = _iri(V.PROV + "wasRevisionOf")
_DATE = _iri(V.DCTERMS + "date")


def _literal(text: str) -> str:
    from pyoxigraph import Literal

    return str(Literal(text))


def _typed(text: str, datatype: str) -> str:
    from pyoxigraph import Literal, NamedNode

    return str(Literal(text, datatype=NamedNode(V.XSD + datatype)))


def history_nquads(versions: list[Version], facts: dict[str, list[list[int]]]) -> Iterator[str]:
    """N-Quads lines of the history graph: `versions` (oldest first) and, for each
    fact ("s p o" in N-Triples terms), its runs of version indexes."""
    nodes = [_iri(version_iri(v)) for v in versions]
    for number, (version, node) in enumerate(zip(versions, nodes), start=1):
        yield f"{node} {_TYPE} {_T['CatalogVersion']}{_IN}"
        label = f"{version.path} at {version.date} ({version.commit[:7]})"
        yield f"{node} {_LABEL} {_literal(label)}{_IN}"
        yield f"{node} {_T['commit']} {_literal(version.commit)}{_IN}"
        yield f"{node} {_T['catalogPath']} {_literal(version.path)}{_IN}"
        yield f"{node} {_T['versionNumber']} {_typed(str(number), 'integer')}{_IN}"
        yield f"{node} {_GENERATED} {_typed(version.time, 'dateTime')}{_IN}"
        yield f"{node} {_DATE} {_typed(version.date, 'date')}{_IN}"
        if number > 1:
            yield f"{node} {_REVISION_OF} {nodes[number - 2]}{_IN}"
    for fact in sorted(facts):
        s, p, o = fact.split(" ", 2)
        for first, last in facts[fact]:
            digest = hashlib.sha1(f"{fact} {versions[first].commit}".encode()).hexdigest()[:16]
            interval = _iri(V.iri(V.INTERVAL, digest))
            yield f"{interval} {_TYPE} {_T['FactInterval']}{_IN}"
            yield f"{interval} {_T['factSubject']} {s}{_IN}"
            yield f"{interval} {_T['factPredicate']} {p}{_IN}"
            yield f"{interval} {_T['factObject']} {o}{_IN}"
            yield f"{interval} {_T['firstVersion']} {nodes[first]}{_IN}"
            yield f"{interval} {_T['lastVersion']} {nodes[last]}{_IN}"
