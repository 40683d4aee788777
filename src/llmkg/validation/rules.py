"""OWL 2 RL reasoning compiled to SPARQL and run on Oxigraph, for graphs of any size.

HermiT (llmkg.validation.reason) decides full OWL 2 DL but loads everything into
owlready2 and Java: minutes at 100K entries. The ontology's axioms are all in
OWL 2 RL, whose rules (OWL 2 Profiles, section 4.3) a fixpoint over the schema
reduces to a few table joins: the schema is small, so its closure is computed
here once and handed to Oxigraph as VALUES tables, and Oxigraph joins them with
the data graph.

- prp-spo1, prp-eqp1/2, prp-inv1/2: which properties an asserted triple
  entails, forwards (s q o) and backwards (o q s);
- prp-dom, prp-rng, cax-sco, cax-eqc1/2: the types its subject and object take;
- prp-trp: transitive properties closed by a property path (`(p|^q)+`);
- cax-dw / cax-adc (disjoint types), prp-fp on data values, dt-not-type on
  integer ranges: inconsistencies, explained by `inconsistency.diagnose` on
  the triples of the individuals involved (as HermiT's are).

The output is what `reason.reason` materialises from HermiT (types and
property assertions among the data's IRIs, super-properties of data values,
nothing asserted, no owl:Thing) so the two can be compared triple for triple
(tests/test_reason_rules.py). Functional object properties would merge
individuals (owl:sameAs), which these rules do not do: when the data gives one
two values, ReasonerError says to use HermiT.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from llmkg import vocab
from llmkg.errors import ReasonerError
from llmkg.validation.inconsistency import _INTEGER_TYPES
from llmkg.validation.reason import _META_TYPES, ReasonReport, default_ontology
from llmkg.validation.schema import _TYPE, Schema

_FIRST, _REST, _NIL = vocab.RDF + "first", vocab.RDF + "rest", vocab.RDF + "nil"
_FUNCTIONAL = vocab.OWL + "FunctionalProperty"
_DATA = f"<{vocab.DATA_GRAPH}>"


class _TBox:
    """The ontology's closure: for each property, what a triple of it entails."""

    def __init__(self, triples: list[tuple[str, str, str]]) -> None:
        self.schema = s = Schema(triples)
        self.terms = {t[0] for t in triples}
        domain: dict[str, set[str]] = {}
        range_: dict[str, set[str]] = {}
        firsts, rests = {}, {}
        self.functional: set[str] = set()
        disjoint_lists, disjoint = [], []
        for a, p, b in triples:
            if p == vocab.RDFS + "domain" and b.startswith("http"):
                domain.setdefault(a, set()).add(b)
            elif p == vocab.RDFS + "range" and b.startswith("http"):
                range_.setdefault(a, set()).add(b)
            elif p == _FIRST:
                firsts[a] = b
            elif p == _REST:
                rests[a] = b
            elif p == _TYPE and b == _FUNCTIONAL:
                self.functional.add(a)
            elif p == vocab.OWL + "members":
                disjoint_lists.append(b)
            elif p == vocab.OWL + "disjointWith":
                disjoint.append((a, b))
        for node in disjoint_lists:
            members = []
            while node in firsts and len(members) < len(firsts):
                members.append(firsts[node])
                node = rests.get(node, _NIL)
            disjoint += [(x, y) for i, x in enumerate(members) for y in members[i + 1:]]
        self.disjoint = disjoint
        self.ranges = range_
        props = s.object_props | s.data_props
        # forward[p]: properties q with (x p y) |= (x q y); backward[p]: (x p y) |= (y q x)
        self.forward: dict[str, set[str]] = {}
        self.backward: dict[str, set[str]] = {}
        for p in props:
            fwd, bwd = set(s.superproperties(p)), set()
            while True:
                more_b = {q for f in fwd for r in s.inverse.get(f, ()) for q in s.superproperties(r)}
                more_f = {q for b in bwd | more_b for r in s.inverse.get(b, ()) for q in s.superproperties(r)}
                if more_b <= bwd and more_f <= fwd:
                    break
                bwd |= more_b
                fwd |= more_f
            kind = s.object_props if p in s.object_props else s.data_props
            self.forward[p], self.backward[p] = fwd & kind, bwd & s.object_props

        def classes(props_, of: dict[str, set[str]]) -> set[str]:
            return {c for q in props_ for d in of.get(q, ()) for c in s.superclasses(d)} - _META_TYPES

        # the types a triple of p gives its subject and (an object property's) object
        self.subject_types = {p: classes(self.forward[p], domain) | classes(self.backward[p], range_)
                              for p in props}
        self.object_types = {p: classes(self.forward[p], range_) | classes(self.backward[p], domain)
                             for p in s.object_props}


def _values(rows) -> str:
    return " ".join("(" + " ".join(f"<{t}>" for t in row) + ")" for row in sorted(rows)) or "(<urn:x:none> <urn:x:none>)"


def _class_names(tb: _TBox) -> set[str]:
    return {c for c in tb.schema._up if c.startswith("http")}


def _super_types_query(tb: _TBox) -> str:
    """cax-sco, cax-eqc: the superclasses of every asserted type (never asserted themselves
    but checked: the join is on Oxigraph's encoded terms, the output N-Triples bytes)."""
    sup = [(t, c) for t in _class_names(tb) for c in tb.schema.superclasses(t) - {t} - _META_TYPES]
    return f"""CONSTRUCT {{ ?x a ?c }} WHERE {{ VALUES (?t ?c) {{ {_values(sup)} }} GRAPH {_DATA} {{ ?x a ?t }}
  FILTER(isIRI(?x)) FILTER NOT EXISTS {{ GRAPH {_DATA} {{ ?x a ?c }} }} }}"""


def _untyped_query(tb: _TBox, prop: str, classes: set[str], forward: bool) -> str:
    """prp-dom / prp-rng: the individuals a triple of `prop` gives a class that none of
    their asserted types already entails (few: most are typed as what they are)."""
    covering = [t for t in _class_names(tb) if classes <= tb.schema.superclasses(t)]
    x, y = ("?x", "?y") if forward else ("?y", "?x")
    # MINUS, not FILTER NOT EXISTS: one anti-join, not a look-up per triple
    typed = f"MINUS {{ GRAPH {_DATA} {{ ?x a ?t }} VALUES ?t {{ {_iris(covering)} }} }}" if covering else ""
    return f"SELECT DISTINCT ?x WHERE {{ GRAPH {_DATA} {{ {x} <{prop}> {y} }} FILTER(isIRI(?x)) {typed} }}"


def _iris(terms) -> str:
    return " ".join(f"<{t}>" for t in sorted(terms))


def _edges_queries(tb: _TBox, prop: str, asserted: set[str]) -> list[str]:
    """prp-spo1, prp-eqp, prp-inv: the triples the asserted triples of `prop` entail."""
    fwd, bwd = sorted(tb.forward[prop] - {prop}), sorted(tb.backward.get(prop, ()))
    parts = [(f"?s <{q}> ?o .", f"FILTER NOT EXISTS {{ GRAPH {_DATA} {{ ?s <{q}> ?o }} }}" if q in asserted else "")
             for q in fwd]
    parts += [(f"?o <{q}> ?s .", f"FILTER NOT EXISTS {{ GRAPH {_DATA} {{ ?o <{q}> ?s }} }}" if q in asserted else "")
              for q in bwd]
    where = f"GRAPH {_DATA} {{ ?s <{prop}> ?o }} FILTER(isIRI(?s)) {_schema_filter(tb, prop)}"
    if any(stated for _, stated in parts):
        # a triple the data states already is not inferred: one query per entailed property
        return [f"CONSTRUCT {{ {t} }} WHERE {{ {where} {stated} }}" for t, stated in parts]
    return [f"CONSTRUCT {{ {' '.join(t for t, _ in parts)} }} WHERE {{ {where} }}"] if parts else []


def _schema_filter(tb: _TBox, prop: str) -> str:
    """HermiT reasons over individuals: an object that is an ontology term (a property a
    fact interval names) is not one."""
    if prop not in tb.schema.object_props:
        return ""
    return f"FILTER(isIRI(?o) && ?o NOT IN ({', '.join(f'<{t}>' for t in sorted(tb.terms) if t.startswith('http'))}))"


def _transitive_queries(tb: _TBox) -> list[tuple[str, str]]:
    """(property, query of the pairs its closure holds) for each transitive property (prp-trp)."""
    out = []
    for t in sorted(tb.schema.transitive):
        steps = [f"<{p}>" for p, qs in tb.forward.items() if t in qs] + \
                [f"^<{p}>" for p, qs in tb.backward.items() if t in qs]
        if steps:
            out.append((t, f"SELECT DISTINCT ?s ?o WHERE {{ GRAPH {_DATA} {{ ?s ({'|'.join(sorted(steps))})+ ?o }}"
                           " FILTER(isIRI(?s) && isIRI(?o) && ?s != ?o) }"))
    return out


def _derived_types(db, tb: _TBox, asserted: set[str]) -> dict[str, set[str]]:
    """Individual -> the classes domains and ranges give it beyond what its asserted types entail."""
    derived: dict[str, set[str]] = {}
    for prop in sorted(asserted & set(tb.subject_types)):
        for classes, forward in ((tb.subject_types[prop], True), (tb.object_types.get(prop, set()), False)):
            if classes:
                for row in db.query(_untyped_query(tb, prop, classes, forward)):
                    if row[0].value not in tb.terms:
                        derived.setdefault(row[0].value, set()).update(classes)
    for x, entailed in _asserted_types(db, tb, derived).items():
        derived[x] -= entailed
    return {x: cs for x, cs in derived.items() if cs}


def _asserted_types(db, tb: _TBox, individuals) -> dict[str, set[str]]:
    """The classes the asserted types of some individuals entail."""
    out: dict[str, set[str]] = {}
    names = sorted(individuals)
    for i in range(0, len(names), 1000):
        values = _iris(names[i:i + 1000])
        for row in db.query(f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {values} }} GRAPH {_DATA} {{ ?x a ?t }} }}"):
            out.setdefault(row[0].value, set()).update(tb.schema.superclasses(row[1].value))
    return out


def _clashes(db, tb: _TBox, derived: dict[str, set[str]]) -> set[str]:
    """IRIs of individuals whose types or values the ontology forbids (cax-dw, cax-adc,
    prp-fp on data values, dt-not-type on integer ranges)."""
    s = tb.schema
    disjoint = set(tb.disjoint) | {(b, a) for a, b in tb.disjoint}

    # an individual typed twice (rare) is checked with every class it is given; one typed
    # once whose triples give it more classes is in `derived`
    bad = set()
    twice = _subjects(db, f"SELECT ?x WHERE {{ GRAPH {_DATA} {{ ?x a ?t }} }} GROUP BY ?x HAVING (COUNT(?t) > 1)")
    derived = {**{x: set() for x in twice}, **derived}
    entailed = _asserted_types(db, tb, derived)
    for x, cs in derived.items():
        every = cs | entailed.get(x, set())
        if any((a, b) in disjoint for a in every for b in every):
            bad.add(x)
    functional = tb.functional & s.data_props
    if functional:
        bad |= _subjects(db, f"""SELECT DISTINCT ?x WHERE {{ VALUES ?p {{ {_iris(functional)} }}
          GRAPH {_DATA} {{ ?x ?p ?a . ?x ?p ?b }} FILTER(!sameTerm(?a, ?b) && (!isNumeric(?a) || !isNumeric(?b) || ?a != ?b)) }}""")
    integer = {p for p in s.data_props if any(vocab.XSD + "integer" in tb.ranges.get(q, ()) for q in tb.forward[p])}
    if integer:
        bad |= _subjects(db, f"""SELECT DISTINCT ?x WHERE {{ VALUES ?p {{ {_iris(integer)} }}
          GRAPH {_DATA} {{ ?x ?p ?v }} FILTER(!(datatype(?v) IN ({', '.join(f'<{t}>' for t in sorted(_INTEGER_TYPES))}))
          || !isNumeric(?v)) }}""")
    merged = tb.functional & s.object_props
    if merged and db.query(f"""ASK {{ VALUES ?p {{ {_iris(merged)} }}
          GRAPH {_DATA} {{ ?x ?p ?a . ?x ?p ?b }} FILTER(!sameTerm(?a, ?b)) }}"""):
        raise ReasonerError("a functional object property has two values, which merges individuals "
                            "(owl:sameAs), beyond the OWL 2 RL rules llmkg runs",
                            hint="run `llmkg reason --reasoner hermit`")
    return bad


def _subjects(db, query: str) -> set[str]:
    return {row[0].value for row in db.query(query)}


def reason_rules(db, *, ontology: Path | None = None) -> ReasonReport:
    """Run the OWL 2 RL rules over the data graph of the pyoxigraph Store `db`."""
    import pyoxigraph

    started = time.perf_counter()
    path = default_ontology() if ontology is None else Path(ontology)
    tb = _TBox(_ontology_triples(path))
    props = tb.schema.object_props | tb.schema.data_props
    asserted = {p for p in props if db.query(f"ASK {{ GRAPH {_DATA} {{ ?s <{p}> ?o }} }}")}
    count = db.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {_DATA} {{ ?s ?p ?o }} }}")
    size = int(next(iter(count))[0].value)
    derived = _derived_types(db, tb, asserted)
    bad = _clashes(db, tb, derived)
    if bad:
        return ReasonReport(consistent=False, explanation=_explain(db, bad, path), asserted=size,
                            seconds=time.perf_counter() - started)
    inferred = {f"<{x}> <{_TYPE}> <{c}>" for x, cs in derived.items() for c in cs}
    nt = pyoxigraph.RdfFormat.N_TRIPLES
    for query in [_super_types_query(tb)] + [q for p in sorted(asserted) for q in _edges_queries(tb, p, asserted)]:
        # CONSTRUCT serialised by Oxigraph: no Python object per triple
        inferred.update(line[:-2] for line in db.query(query).serialize(format=nt).decode("utf-8").splitlines())
    closed: set[str] = set()
    for prop, query in _transitive_queries(tb):
        fwd, bwd = tb.forward[prop], tb.backward[prop]
        for row in db.query(query):
            s, o = str(row[0]), str(row[1])
            closed.update(f"{s} <{q}> {o}" for q in fwd)
            closed.update(f"{o} <{q}> {s}" for q in bwd)
    inferred |= closed - _asserted_among(db, closed - inferred)
    lines = tuple(sorted(inferred))
    counts = Counter(line.split(" ", 2)[1][1:-1] for line in lines)
    type_counts = Counter(line.rsplit(" ", 1)[1][1:-1] for line in lines if f" <{_TYPE}> " in line)
    return ReasonReport(consistent=True, inferred=lines, counts=dict(sorted(counts.items())),
                        type_counts=dict(sorted(type_counts.items())), asserted=size,
                        seconds=time.perf_counter() - started, reasoner="OWL 2 RL rules")


def _asserted_among(db, lines: set[str]) -> set[str]:
    """The transitive closure's pairs that the data already states."""
    import pyoxigraph

    text = "".join(line + " .\n" for line in lines)
    asserted = set()
    data = pyoxigraph.NamedNode(vocab.DATA_GRAPH)
    for t in pyoxigraph.parse(text.encode("utf-8"), format=pyoxigraph.RdfFormat.N_TRIPLES):
        if pyoxigraph.Quad(t.subject, t.predicate, t.object, data) in db:
            asserted.add(f"{t.subject} {t.predicate} {t.object}")
    return asserted


def _ontology_triples(path: Path) -> list[tuple[str, str, str]]:
    import pyoxigraph

    if not path.is_file():
        raise ReasonerError("the ontology file does not exist", file=str(path),
                            hint="pass the path of llmkg.ttl")
    try:
        parsed = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    except SyntaxError as exc:
        raise ReasonerError(f"the ontology cannot be parsed: {exc}".splitlines()[0], file=str(path),
                            hint="fix the ontology file") from exc
    return [(_key(t.subject), t.predicate.value, _key(t.object)) for t in parsed]


def _key(term) -> str:
    """An IRI as itself, anything else (a blank node, a literal) in N-Triples form."""
    import pyoxigraph

    return term.value if isinstance(term, pyoxigraph.NamedNode) else str(term)


def _explain(db, individuals: set[str], ontology: Path) -> tuple[str, ...]:
    """HermiT's explanations (inconsistency.diagnose) on the triples that name the individuals."""
    import rdflib

    from llmkg.validation.inconsistency import diagnose

    values = " ".join(f"<{x}>" for x in sorted(individuals))
    rows = db.query(f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?x {{ {values} }}
        GRAPH {_DATA} {{ {{ ?x ?p ?o BIND(?x AS ?s) }} UNION {{ ?s ?p ?x BIND(?x AS ?o) }} }} }}""")
    import pyoxigraph

    text = pyoxigraph.serialize(list(rows), format=pyoxigraph.RdfFormat.N_TRIPLES)
    abox = rdflib.Graph().parse(data=text.decode("utf-8"), format="nt")
    tbox = rdflib.Graph().parse(ontology, format="turtle")
    return tuple(diagnose(tbox, abox))
