"""OWL reasoning over the asserted graph with HermiT (through owlready2).

`reason(data)` loads the ontology and the asserted triples into an isolated
owlready2 World, runs HermiT and returns a `ReasonReport`:

- whether the data is consistent with the ontology, and if not, a
  human-readable explanation (HermiT itself gives none through owlready2, so
  `_diagnose` looks for the usual culprits: an individual whose asserted or
  domain/range-implied types are disjoint, a functional property with two
  values, a value of the wrong datatype);
- the triples HermiT entails that were not asserted, ready for the named
  graph `vocab.INFERRED_GRAPH`: rdf:type (from domain/range, superclasses,
  aligned external classes), inverse properties (`llmkg:developed`),
  transitive lineage (`llmkg:descendsFrom`), super-properties (basedOn,
  schema:isBasedOn, prov:wasAttributedTo, dcterms:issued, ...);
- counts of inferred triples per predicate and per inferred class.

HermiT reports only the most specific types of each individual and the
property instances that no sub-property already explains (its taxonomy view).
Materialising the entailments therefore closes those results over the class
and property hierarchy that HermiT itself computed (plus owl:inverseOf and
owl:TransitiveProperty, which owlready2 does not write back for pairs it
considers already stated). Nothing is invented beyond what the axioms entail.

Input: an rdflib Graph (or any iterable of rdflib (s, p, o) triples), or
N-Triples text. Give it the asserted data graph (`vocab.DATA_GRAPH`); adding
the provenance graph works too but only adds types of source lines and
dcterms:isPartOf links. Blank nodes are reasoned over but never written out.
Ontology terms are never subjects of the output (no TBox inferences).
Data-property values are not inferred by HermiT; only their super-properties
are materialised from the asserted literals.

Java must be on PATH (HermiT is a Java program): otherwise ReasonerError.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmkg import vocab
from llmkg.errors import ReasonerError

if TYPE_CHECKING:  # pragma: no cover
    import rdflib



def default_ontology() -> Path:
    """ontology/llmkg.ttl beside src/ in a checkout, or under llmkg/_shipped/."""
    from llmkg.paths import shipped

    return shipped("ontology") / "llmkg.ttl"


_TYPE = vocab.RDF + "type"
_SUBCLASS = vocab.RDFS + "subClassOf"
_SUBPROP = vocab.RDFS + "subPropertyOf"
_EQ_CLASS = vocab.OWL + "equivalentClass"
_EQ_PROP = vocab.OWL + "equivalentProperty"
_INVERSE = vocab.OWL + "inverseOf"
_OBJECT_PROPERTY = vocab.OWL + "ObjectProperty"
_DATA_PROPERTY = vocab.OWL + "DatatypeProperty"
_TRANSITIVE = vocab.OWL + "TransitiveProperty"
# Types that say what kind of OWL entity something is, not what it is.
_META_TYPES = frozenset(vocab.OWL + n for n in (
    "Thing", "NamedIndividual", "Class", "ObjectProperty", "DatatypeProperty",
    "AnnotationProperty", "TransitiveProperty", "FunctionalProperty",
    "InverseFunctionalProperty", "SymmetricProperty", "Ontology",
    "AllDisjointClasses", "Restriction")) | {vocab.RDFS + "Datatype", vocab.RDFS + "Class"}

_MAX_FIXPOINT_ROUNDS = 64
_IRI_TRIPLE = re.compile(r"<([^<>\s]*)> <([^<>\s]*)> <([^<>\s]*)> \.\s*$")


@dataclass(frozen=True)
class ReasonReport:
    """What the reasoner concluded about one data graph.

    `inferred` holds rdflib (s, p, o) triples, sorted by their N-Triples form,
    none of which was asserted. Empty when the data is inconsistent.
    """

    consistent: bool
    inferred: tuple[tuple[Any, Any, Any], ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    type_counts: dict[str, int] = field(default_factory=dict)
    explanation: tuple[str, ...] = ()
    asserted: int = 0
    seconds: float = 0.0
    graph: str = vocab.INFERRED_GRAPH

    def ntriples(self) -> str:
        """The inferred triples as sorted N-Triples text (one per line)."""
        return "".join(_nt(t) + " .\n" for t in self.inferred)

    def nquads(self) -> str:
        """The inferred triples as sorted N-Quads in the inferred graph."""
        g = f"<{self.graph}>"
        return "".join(f"{_nt(t)} {g} .\n" for t in self.inferred)


def reason(data: "rdflib.Graph | Iterable[tuple[Any, Any, Any]] | str", *,
           ontology: Path | None = None) -> ReasonReport:
    """Run HermiT over `data` (asserted triples) under `ontology`.

    `data` is an rdflib Graph, an iterable of rdflib triples, or N-Triples
    text; `ontology` defaults to the bundled llmkg.ttl. Raises ReasonerError when Java is missing or HermiT fails to run;
    an inconsistent graph is not an error but a report with
    `consistent=False` and an `explanation`.
    """
    if shutil.which("java") is None:
        raise ReasonerError("Java is not installed",
                            hint="install a Java runtime (e.g. apt-get install default-jre) and retry")
    started = time.perf_counter()
    asserted = _as_graph(data)
    tbox = _load_ontology(default_ontology() if ontology is None else ontology)
    world_triples, consistent = _run_hermit(tbox, asserted)
    if not consistent:
        return ReasonReport(consistent=False, explanation=tuple(_diagnose(tbox, asserted)),
                            asserted=len(asserted), seconds=time.perf_counter() - started)
    inferred = _materialise(tbox, asserted, world_triples)
    counts = Counter(str(p) for _, p, _ in inferred)
    type_counts = Counter(str(o) for _, p, o in inferred if str(p) == _TYPE)
    return ReasonReport(consistent=True, inferred=tuple(inferred),
                        counts=dict(sorted(counts.items())),
                        type_counts=dict(sorted(type_counts.items())),
                        asserted=len(asserted), seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------
# loading


def _as_graph(data: Any) -> "rdflib.Graph":
    import rdflib

    if isinstance(data, rdflib.Graph):
        return data
    graph = rdflib.Graph()
    if isinstance(data, str):
        try:
            graph.parse(data=data, format="nt")
        except Exception as exc:  # rdflib raises several unrelated types
            raise ReasonerError(f"the data is not valid N-Triples: {exc}".splitlines()[0],
                                hint="pass an rdflib Graph or N-Triples text") from exc
        return graph
    for triple in data:
        graph.add(triple)
    return graph


def _load_ontology(path: Path) -> "rdflib.Graph":
    import rdflib

    path = Path(path)
    if not path.is_file():
        raise ReasonerError("the ontology file does not exist", file=str(path),
                            hint="pass --ontology with the path of llmkg.ttl")
    try:
        return rdflib.Graph().parse(path, format=rdflib.util.guess_format(str(path)) or "turtle")
    except Exception as exc:
        raise ReasonerError(f"the ontology cannot be parsed: {exc}".splitlines()[0],
                            file=str(path), hint="fix the ontology file") from exc


def _run_hermit(tbox: "rdflib.Graph", abox: "rdflib.Graph") -> tuple[set[tuple[str, str, str]], bool]:
    """Reason in an isolated World; return its IRI-only triples afterwards."""
    import io
    import tempfile

    import owlready2

    with tempfile.TemporaryDirectory(prefix="llmkg-reason-") as tmp:
        onto_file = Path(tmp) / "ontology.nt"
        data_file = Path(tmp) / "data.nt"
        onto_file.write_bytes(tbox.serialize(format="nt", encoding="utf-8"))
        data_file.write_bytes(abox.serialize(format="nt", encoding="utf-8"))
        world = owlready2.World()
        try:
            world.get_ontology(onto_file.as_uri()).load()
            world.get_ontology(data_file.as_uri()).load()
            try:
                owlready2.sync_reasoner(world, infer_property_values=True, debug=0,
                                        ignore_unsupported_datatypes=True)
            except owlready2.OwlReadyInconsistentOntologyError:
                return set(), False
            except owlready2.OwlReadyJavaError as exc:
                detail = next((ln.strip() for ln in str(exc).splitlines()
                               if "Exception" in ln or "Error" in ln), str(exc)[:200])
                raise ReasonerError(f"HermiT failed: {detail}",
                                    hint="check the Java installation and the data") from exc
            buf = io.BytesIO()
            world.save(buf, format="ntriples")
        finally:
            world.close()
    # Only IRI-to-IRI triples matter (types, object properties, hierarchy);
    # literals are taken from the input, so owlready2's spelling of them is
    # never parsed.
    lines = buf.getvalue().decode("utf-8").splitlines()
    return {m.groups() for m in map(_IRI_TRIPLE.match, lines) if m}, True


# --------------------------------------------------------------------------
# materialisation


class _Schema:
    """Class and property hierarchy (reflexive-transitive) of a set of triples."""

    def __init__(self, triples: Iterable[tuple[str, str, str]]) -> None:
        up: dict[str, set[str]] = {}
        pup: dict[str, set[str]] = {}
        self.inverse: dict[str, set[str]] = {}
        self.object_props: set[str] = set()
        self.data_props: set[str] = set()
        self.transitive: set[str] = set()
        for s, p, o in triples:
            if p == _SUBCLASS:
                up.setdefault(s, set()).add(o)
            elif p == _EQ_CLASS:
                up.setdefault(s, set()).add(o)
                up.setdefault(o, set()).add(s)
            elif p == _SUBPROP:
                pup.setdefault(s, set()).add(o)
            elif p == _EQ_PROP:
                pup.setdefault(s, set()).add(o)
                pup.setdefault(o, set()).add(s)
            elif p == _INVERSE:
                self.inverse.setdefault(s, set()).add(o)
                self.inverse.setdefault(o, set()).add(s)
            elif p == _TYPE:
                if o == _OBJECT_PROPERTY:
                    self.object_props.add(s)
                elif o == _DATA_PROPERTY:
                    self.data_props.add(s)
                elif o == _TRANSITIVE:
                    self.transitive.add(s)
        self._up, self._pup = up, pup
        self._closure_cache: dict[tuple[int, str], frozenset[str]] = {}

    def superclasses(self, cls: str) -> frozenset[str]:
        return self._closure(0, self._up, cls)

    def superproperties(self, prop: str) -> frozenset[str]:
        return self._closure(1, self._pup, prop)

    def _closure(self, kind: int, edges: dict[str, set[str]], start: str) -> frozenset[str]:
        key = (kind, start)
        if key not in self._closure_cache:
            seen, todo = {start}, [start]
            while todo:
                for nxt in edges.get(todo.pop(), ()):
                    if nxt not in seen and nxt.startswith("http"):
                        seen.add(nxt)
                        todo.append(nxt)
            self._closure_cache[key] = frozenset(seen)
        return self._closure_cache[key]


def _materialise(tbox: "rdflib.Graph", abox: "rdflib.Graph",
                 world: set[tuple[str, str, str]]) -> list[tuple[Any, Any, Any]]:
    import rdflib

    schema = _Schema(world)
    schema_terms = {str(s) for s in tbox.subjects() if isinstance(s, rdflib.URIRef)}
    individuals = {str(t) for s, _, o in abox for t in (s, o)
                   if isinstance(t, rdflib.URIRef) and str(t) not in schema_terms}

    # Object-property instances and types: HermiT's results, closed.
    edges: set[tuple[str, str, str]] = set()
    types: set[tuple[str, str]] = set()
    for s, p, o in world:
        if s not in individuals:
            continue
        if p == _TYPE and o not in _META_TYPES:
            types.add((s, o))
        elif p in schema.object_props and o in individuals:
            edges.add((s, p, o))
    edges = _close_edges(edges, schema)
    types = {(s, sup) for s, c in types for sup in schema.superclasses(c)
             if sup not in _META_TYPES}

    out: set[tuple[Any, Any, Any]] = set()
    type_ref = rdflib.RDF.type
    out.update((rdflib.URIRef(s), type_ref, rdflib.URIRef(c)) for s, c in types)
    out.update((rdflib.URIRef(s), rdflib.URIRef(p), rdflib.URIRef(o)) for s, p, o in edges)
    # Data-property values under their super-properties, literals as asserted.
    for s, p, o in abox:
        if isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.Literal) and str(p) in schema.data_props:
            out.update((s, rdflib.URIRef(q), o) for q in schema.superproperties(str(p))
                       if q in schema.data_props)
    out.difference_update(abox)
    return sorted(out, key=_nt)


def _close_edges(edges: set[tuple[str, str, str]], schema: _Schema) -> set[tuple[str, str, str]]:
    """Close object-property instances under sub-properties, inverses and transitivity."""
    closed = set(edges)
    for _ in range(_MAX_FIXPOINT_ROUNDS):
        new: set[tuple[str, str, str]] = set()
        for s, p, o in closed:
            for q in schema.superproperties(p):
                if q in schema.object_props:
                    new.add((s, q, o))
                for r in schema.inverse.get(q, ()):
                    new.add((o, r, s))
        for p in schema.transitive:
            succ: dict[str, set[str]] = {}
            for s, q, o in closed:
                if q == p:
                    succ.setdefault(s, set()).add(o)
            for s, targets in succ.items():
                for mid in list(targets):
                    new.update((s, p, o) for o in succ.get(mid, ()))
        new -= closed
        if not new:
            return closed
        closed |= new
    raise ReasonerError("the inferred property graph did not converge",
                        hint="report this as a bug with the data that triggers it")


def _nt(triple: tuple[Any, Any, Any]) -> str:
    return " ".join(term.n3() for term in triple)


# --------------------------------------------------------------------------
# explanation of an inconsistency


def _diagnose(tbox: "rdflib.Graph", abox: "rdflib.Graph") -> list[str]:
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

    for s, p, o in sorted(abox, key=_nt):
        ps = str(p)
        if ps == _TYPE:
            tell(s, str(o), "asserted")
            continue
        for q in schema.superproperties(ps):
            for cls in domains.get(q, ()):
                tell(s, cls, f"domain of {short(q)} in {_nt((s, p, o))}")
            if not isinstance(o, rdflib.Literal):
                for cls in ranges.get(q, ()):
                    tell(o, cls, f"range of {short(q)} in {_nt((s, p, o))}")

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
            out.append(f"{_nt((s, p, o))} is not an xsd:integer, the range of {short(str(p))}")
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
