"""Why the data is inconsistent with the ontology, in sentences a curator can act on.

HermiT, through owlready2, says only *that* the data is inconsistent. `diagnose`
looks for the usual culprits on the told axioms: an individual whose asserted
or domain/range-implied types are disjoint, a functional data property with two
values, a value of the wrong datatype.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from llmkg import vocab
from llmkg.validation.schema import _TYPE, Schema as _Schema

if TYPE_CHECKING:  # pragma: no cover
    import rdflib


def nt(triple: tuple[Any, Any, Any]) -> str:
    return " ".join(term.n3() for term in triple)



def diagnose(tbox: "rdflib.Graph", abox: "rdflib.Graph") -> list[str]:
    """Explain why HermiT found the data inconsistent, as sorted sentences.

    Works on the told axioms: asserted types, property domains and ranges
    (inherited by sub-properties), disjoint classes, functional data
    properties and integer ranges.
    """
    import rdflib
    from rdflib.collection import Collection

    OWL = rdflib.OWL
    triples = {(str(s), str(p), str(o)) for s, p, o in tbox}
    schema = _Schema(triples)
    short = _shortener()

    domains: dict[str, set[str]] = {}
    ranges: dict[str, set[str]] = {}
    for s, o in tbox.subject_objects(rdflib.RDFS.domain):
        if isinstance(o, rdflib.URIRef):
            domains.setdefault(str(s), set()).add(str(o))
    for s, o in tbox.subject_objects(rdflib.RDFS.range):
        if isinstance(o, rdflib.URIRef):
            ranges.setdefault(str(s), set()).add(str(o))

    disjoint: list[tuple[str, str]] = []
    for node in tbox.subjects(rdflib.RDF.type, OWL.AllDisjointClasses):
        members = [str(m) for m in Collection(tbox, tbox.value(node, OWL.members))]
        disjoint += [(a, b) for i, a in enumerate(members) for b in members[i + 1:]]
    disjoint += [(str(a), str(b)) for a, b in tbox.subject_objects(OWL.disjointWith)]

    # individual -> class -> first reason it has that class
    told: dict[str, dict[str, str]] = {}

    def tell(ind: Any, cls: str, why: str) -> None:
        for sup in schema.superclasses(cls):
            told.setdefault(ind.n3(), {}).setdefault(sup, why)

    for s, p, o in sorted(abox, key=nt):
        ps = str(p)
        if ps == _TYPE:
            tell(s, str(o), "asserted")
            continue
        for q in schema.superproperties(ps):
            for cls in domains.get(q, ()):
                tell(s, cls, f"domain of {short(q)} in {nt((s, p, o))}")
            if not isinstance(o, rdflib.Literal):
                for cls in ranges.get(q, ()):
                    tell(o, cls, f"range of {short(q)} in {nt((s, p, o))}")

    found: list[str] = []
    for ind, classes in told.items():
        for a, b in disjoint:
            if a in classes and b in classes:
                found.append(f"{ind} is both {short(a)} ({classes[a]}) and {short(b)} "
                             f"({classes[b]}), which are disjoint classes")
    found += _functional_clashes(tbox, abox, short)
    found += _datatype_clashes(abox, ranges, schema, short)
    if not found:
        found.append("HermiT found the data inconsistent with the ontology, but no single "
                      "disjoint-type, functional-property or datatype clash explains it; "
                      "it involves several axioms together")
    return sorted(set(found))


def _functional_clashes(tbox: "rdflib.Graph", abox: "rdflib.Graph", short: Any) -> list[str]:
    import rdflib

    out = []
    for prop in tbox.subjects(rdflib.RDF.type, rdflib.OWL.FunctionalProperty):
        if (prop, rdflib.RDF.type, rdflib.OWL.DatatypeProperty) not in tbox:
            continue  # functional object properties may merge individuals instead
        values: dict[Any, set[Any]] = {}
        for s, o in abox.subject_objects(prop):
            values.setdefault(s, set()).add(o)
        for s, vals in values.items():
            if len({v.toPython() for v in vals}) > 1:
                shown = ", ".join(sorted(v.n3() for v in vals))
                out.append(f"{s.n3()} has several values of the functional property "
                           f"{short(str(prop))}: {shown}")
    return out


_INTEGER_TYPES = {vocab.XSD + n for n in (
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}


def _datatype_clashes(abox: "rdflib.Graph", ranges: dict[str, set[str]],
                      schema: _Schema, short: Any) -> list[str]:
    import rdflib

    out = []
    for s, p, o in abox:
        if not isinstance(o, rdflib.Literal):
            continue
        wanted = {r for q in schema.superproperties(str(p)) for r in ranges.get(q, ())}
        if vocab.XSD + "integer" in wanted and (str(o.datatype) not in _INTEGER_TYPES or o.ill_typed):
            out.append(f"{nt((s, p, o))} is not an xsd:integer, the range of {short(str(p))}")
    return out


def _shortener() -> Any:
    prefixes = sorted(((str(ns), pfx) for pfx, ns in vocab.PREFIXES.items()),
                      key=lambda item: -len(item[0]))

    def short(term: str) -> str:
        for ns, pfx in prefixes:
            if term.startswith(ns) and "/" not in term[len(ns):]:
                return f"{pfx}:{term[len(ns):]}"
        return f"<{term}>"

    return short
