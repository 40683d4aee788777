"""OWL reasoning over the asserted graph with HermiT (through owlready2).

`reason(data)` loads the ontology and the asserted triples into an isolated
owlready2 World, runs HermiT and returns a `ReasonReport`:

- whether the data is consistent with the ontology, and if not, a
  human-readable explanation (HermiT itself gives none through owlready2, so
  `inconsistency.diagnose` looks for the usual culprits: an individual whose asserted or
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
from llmkg.validation.inconsistency import diagnose, nt as _nt
from llmkg.validation.schema import (_TYPE, Schema as _Schema)

if TYPE_CHECKING:  # pragma: no cover
    import rdflib



def default_ontology() -> Path:
    """ontology/llmkg.ttl beside src/ in a checkout, or under llmkg/_shipped/."""
    from llmkg.paths import shipped

    return shipped("ontology") / "llmkg.ttl"


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
    reasoner: str = "HermiT"  # or "OWL 2 RL rules" (llmkg.validation.rules), whose triples are N-Triples text

    def ntriples(self) -> str:
        """The inferred triples as sorted N-Triples text (one per line)."""
        return "".join(_statement(t) + " .\n" for t in self.inferred)

    def nquads(self) -> str:
        """The inferred triples as sorted N-Quads in the inferred graph."""
        g = f"<{self.graph}>"
        return "".join(f"{_statement(t)} {g} .\n" for t in self.inferred)


def _statement(triple) -> str:
    return triple if isinstance(triple, str) else _nt(triple)


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
        return ReasonReport(consistent=False, explanation=tuple(diagnose(tbox, asserted)),
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


