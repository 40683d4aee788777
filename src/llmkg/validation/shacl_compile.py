"""SHACL shapes compiled to SPARQL SELECTs (the sparql engine's compiler).

`compile_shapes(path)` reads a shapes file with pyoxigraph and turns every
constraint component of every shape that has focus nodes into one SELECT
that returns the failing focus nodes (`?this`), the value (`?value`) and,
for sh:sparql constraints, the path and whatever else the query binds.
llmkg.validation.shacl_sparql runs them on a pyoxigraph Store. Neither module
imports rdflib nor pySHACL; pySHACL stays the reference engine
(`llmkg.validation.validate`, engine="pyshacl") and tests/test_validate.py proves that
both give the same results.

The SHACL subset compiled (what ontology/shapes.ttl uses, and a little more):
- targets: sh:targetClass (with rdfs:subClassOf* in the data), sh:targetNode,
  sh:targetSubjectsOf, sh:targetObjectsOf, SPARQL-based targets (sh:target
  with sh:select); a property shape reached through sh:property takes the
  focus nodes of every shape that lists it;
- paths: IRIs, sh:inversePath, sequences, sh:alternativePath,
  sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath;
- value constraints: sh:datatype (well-formed lexical form included),
  sh:class, sh:nodeKind, sh:pattern (+ sh:flags), sh:min/maxInclusive,
  sh:min/maxExclusive, sh:min/maxLength, sh:in, and sh:node, sh:or, sh:and,
  sh:not, sh:xone over shapes made of those;
- cardinality: sh:minCount, sh:maxCount;
- sh:sparql (SELECT) constraints, run once over all focus nodes with $this
  unbound and joined with the targets; sh:prefixes/sh:declare; $PATH.
Anything else in the sh: namespace on a shape is a ShapesError naming it.

Deliberate differences from pySHACL, none of which shapes.ttl meets:
Oxigraph stores numbers canonically ("007"^^xsd:integer is read back as
"7"), regular expressions are Rust's (`$` does not match before a final
newline), and a shape without sh:message gets a short generic message.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from llmkg import vocab
from llmkg.errors import ShapesError

SH = vocab.SH

_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")
# sh: predicates of a shape that are not constraints (or are handled apart)
_NOT_CONSTRAINTS = {*_TARGETS, "property", "path", "severity", "message", "deactivated",
                    "name", "description", "order", "group", "defaultValue", "flags",
                    "declare", "prefixes"}
_VALUE_COMPONENTS = {"datatype", "class", "nodeKind", "pattern", "minInclusive",
                     "maxInclusive", "minExclusive", "maxExclusive", "minLength",
                     "maxLength", "in", "node", "or", "and", "not", "xone"}
# datatypes whose lexical forms Oxigraph checks when casting (sh:datatype)
_CASTABLE = {vocab.XSD + t for t in (
    "string", "boolean", "integer", "decimal", "double", "float", "dateTime", "date",
    "time", "gYear", "gYearMonth", "gMonth", "gDay", "gMonthDay", "duration")}
_NODE_KINDS = {"IRI": "isIRI({v})", "Literal": "isLiteral({v})", "BlankNode": "isBlank({v})",
               "BlankNodeOrIRI": "!isLiteral({v})", "BlankNodeOrLiteral": "!isIRI({v})",
               "IRIOrLiteral": "!isBlank({v})"}
_COMPARE = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">",
            "maxExclusive": "<"}
_V = "?value"


@dataclass(frozen=True)
class Check:
    """One constraint component of one shape, as a SELECT over the data."""

    shape: str                 # IRI of the shape ("_:id" for a blank node)
    shape_label: str
    severity: str              # "Violation" | "Warning" | "Info"
    component: str             # IRI of the constraint component
    query: str
    path: str | None           # IRI of the shape's path when it is a plain IRI
    node_shape: bool           # the value of a result is then its focus node
    messages: tuple[str, ...]  # sh:message of the shape, then of the constraint
    templated: bool = False    # SPARQL: {?var} in messages is filled in



# --------------------------------------------------------------------------
# reading the shapes graph


class _Graph:
    """The shapes file in a pyoxigraph Store, with rdflib-like accessors."""

    def __init__(self, path: Path) -> None:
        import pyoxigraph

        self.file = str(path)
        if not path.is_file():
            raise ShapesError("the SHACL shapes file does not exist", file=self.file,
                              hint="pass the path of ontology/shapes.ttl")
        self.store = pyoxigraph.Store()
        try:
            self.store.load(path=self.file, format=pyoxigraph.RdfFormat.TURTLE)
        except (SyntaxError, ValueError, OSError) as exc:
            raise ShapesError(f"cannot parse the SHACL shapes: {exc}", file=self.file,
                              hint="fix the Turtle syntax") from exc
        self._ox = pyoxigraph

    def iri(self, local: str, ns: str = SH):
        return self._ox.NamedNode(ns + local)

    def objects(self, s, p: str, ns: str = SH) -> list:
        found = {q.object for q in self.store.quads_for_pattern(s, self.iri(p, ns), None)}
        return sorted(found, key=str)

    def value(self, s, p: str, ns: str = SH):
        found = self.objects(s, p, ns)
        return found[0] if found else None

    def subjects(self, p: str) -> list:
        found = {q.subject for q in self.store.quads_for_pattern(None, self.iri(p), None)}
        return sorted(found, key=str)

    def sh_predicates(self, s) -> set[str]:
        return {q.predicate.value[len(SH):] for q in self.store.quads_for_pattern(s, None, None)
                if q.predicate.value.startswith(SH)}

    def items(self, node) -> list:
        """The members of an RDF list."""
        out, seen = [], set()
        nil = vocab.RDF + "nil"
        while not (isinstance(node, self._ox.NamedNode) and node.value == nil):
            if node in seen or isinstance(node, self._ox.Literal):
                raise ShapesError(f"malformed RDF list at {node}", file=self.file)
            seen.add(node)
            first = self.value(node, "first", vocab.RDF)
            rest = self.value(node, "rest", vocab.RDF)
            if first is None or rest is None:
                raise ShapesError(f"malformed RDF list at {node}", file=self.file)
            out.append(first)
            node = rest
        return out

    def unsupported(self, shape, what: str) -> ShapesError:
        return ShapesError(f"cannot compile {what} of shape {shape} to SPARQL", file=self.file,
                           hint="use the pyshacl engine (engine=\"pyshacl\") for this shapes file")


def _term(g: _Graph, shape, node) -> str:
    """A shapes-graph term as SPARQL text (IRIs and literals only)."""
    if isinstance(node, g._ox.BlankNode):
        raise g.unsupported(shape, f"a blank node value ({node})")
    return str(node)


def node_id(node) -> str:
    """An IRI as itself, any other term in N-Triples (as validate reports them)."""
    return node.value if type(node).__name__ == "NamedNode" else str(node)


# --------------------------------------------------------------------------
# compiling


def compile_shapes(path: Path) -> list[Check]:
    """One Check per constraint component of every shape with focus nodes."""
    g = _Graph(Path(path))
    targeted = {s for t in _TARGETS for s in g.subjects(t)}
    parents: dict = defaultdict(list)
    for shape in targeted:
        for prop in g.objects(shape, "property"):
            parents[prop].append(shape)
    checks: list[Check] = []
    for shape in sorted(targeted | set(parents), key=str):
        if _deactivated(g, shape):
            continue
        prefixes: dict[str, str] = {}
        patterns = _targets(g, shape, prefixes)
        for parent in parents.get(shape, ()):
            if not _deactivated(g, parent):
                patterns += _targets(g, parent, prefixes)
        if patterns:
            focus = "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(sorted(set(patterns))) + " } }"
            checks += _compile_shape(g, shape, focus, prefixes)
    return checks


def _deactivated(g: _Graph, shape) -> bool:
    flag = g.value(shape, "deactivated")
    return flag is not None and flag.value == "true"


def _targets(g: _Graph, shape, prefixes: dict[str, str]) -> list[str]:
    out = [f"{{ ?this <{vocab.RDF}type>/<{vocab.RDFS}subClassOf>* {_term(g, shape, c)} }}"
           for c in g.objects(shape, "targetClass")]
    out += [f"{{ VALUES ?this {{ {_term(g, shape, n)} }} }}" for n in g.objects(shape, "targetNode")]
    out += [f"{{ ?this {_term(g, shape, p)} ?_t }}" for p in g.objects(shape, "targetSubjectsOf")]
    out += [f"{{ ?_t {_term(g, shape, p)} ?this }}" for p in g.objects(shape, "targetObjectsOf")]
    for target in g.objects(shape, "target"):
        select = g.value(target, "select")
        if select is None:
            raise g.unsupported(shape, "a sh:target that is not a SPARQL SELECT target")
        _prefixes(g, shape, target, prefixes)
        out.append(f"{{ SELECT DISTINCT ?this WHERE {{ {_body(g, shape, select.value)} }} }}")
    return out


def _body(g: _Graph, shape, text: str) -> str:
    """A query of the shapes file, checked for what one query over all focus
    nodes cannot honour."""
    if re.match(r"\s*(PREFIX|BASE)\b", text, re.I):
        raise g.unsupported(shape, "a SPARQL query with its own PREFIX/BASE (use sh:prefixes)")
    if re.search(r"\$(shapesGraph|currentShape)\b", text):
        raise g.unsupported(shape, "a SPARQL query using $shapesGraph or $currentShape")
    return text


def _prefixes(g: _Graph, shape, node, into: dict[str, str]) -> None:
    for ontology in g.objects(node, "prefixes"):
        for decl in g.objects(ontology, "declare"):
            prefix, ns = g.value(decl, "prefix"), g.value(decl, "namespace")
            if prefix is None or ns is None:
                raise ShapesError(f"sh:declare of {ontology} needs sh:prefix and sh:namespace",
                                  file=g.file)
            if into.setdefault(prefix.value, ns.value) != ns.value:
                raise g.unsupported(shape, f"two namespaces for prefix {prefix.value!r}")


def _path(g: _Graph, shape, node) -> str:
    """A SHACL path as a SPARQL property path."""
    if isinstance(node, g._ox.NamedNode):
        return str(node)
    if isinstance(node, g._ox.Literal):
        raise g.unsupported(shape, "a literal sh:path")
    if g.value(node, "first", vocab.RDF) is not None:
        return "(" + "/".join(_path(g, shape, n) for n in g.items(node)) + ")"
    for key, fmt in (("inversePath", "^({})"), ("zeroOrMorePath", "({})*"),
                     ("oneOrMorePath", "({})+"), ("zeroOrOnePath", "({})?")):
        inner = g.value(node, key)
        if inner is not None:
            return fmt.format(_path(g, shape, inner))
    alt = g.value(node, "alternativePath")
    if alt is not None:
        return "(" + "|".join(_path(g, shape, n) for n in g.items(alt)) + ")"
    raise g.unsupported(shape, f"the path {node}")


def _compile_shape(g: _Graph, shape, focus: str, prefixes: dict[str, str]) -> list[Check]:
    path_node = g.value(shape, "path")
    path = None if path_node is None else _path(g, shape, path_node)
    severity = g.value(shape, "severity")
    label = g.value(shape, "label", vocab.RDFS)
    base = dict(shape=node_id(shape), shape_label=label.value if label is not None else "",
                severity=severity.value.rsplit("#", 1)[-1] if severity is not None else "Violation",
                path=path_node.value if isinstance(path_node, g._ox.NamedNode) else None,
                node_shape=path_node is None,
                messages=tuple(m.value for m in g.objects(shape, "message")))
    # For a plain predicate path the (focus, value) pairs are a sub-select:
    # Oxigraph then hash-joins them with the focus nodes, a scan of one
    # predicate, instead of one look-up per focus node (a quarter of the
    # validation time at 100K entries). A complex path (inverse, sequence,
    # `*`) could be costly for all nodes at once, so it is still looked up
    # from each focus node.
    simple = isinstance(path_node, g._ox.NamedNode)
    if path is None:
        values = f"BIND (?this AS {_V})"
    elif simple:
        values = f"{{ SELECT DISTINCT ?this {_V} WHERE {{ ?this {path} {_V} }} }}"
    else:
        values = f"?this {path} {_V} ."
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    checks = []
    for name in sorted(g.sh_predicates(shape) - _NOT_CONSTRAINTS):
        component = f"{SH}{name[0].upper()}{name[1:]}ConstraintComponent"
        for param in g.objects(shape, name):
            if name == "class":
                # an anti-join: the instances of the class are found once, not
                # tested per value (10x faster on a million-triple graph)
                instance = f"{_V} <{vocab.RDF}type>/<{vocab.RDFS}subClassOf>* {_term(g, shape, param)}"
                query = (f"{head}SELECT DISTINCT ?this {_V} WHERE {{ {focus} {values} "
                         f"MINUS {{ {instance} }} }}")
            elif name in _VALUE_COMPONENTS:
                cond = _condition(g, shape, name, param, set())
                query = (f"{head}SELECT DISTINCT ?this {_V} WHERE {{ {focus} {values} "
                         f"FILTER (!({cond})) }}")
            elif name in ("minCount", "maxCount") and path:
                query = _count_query(head, focus, path, name, int(param.value), simple)
            elif name == "sparql":
                checks.append(_sparql_check(g, shape, param, focus, path, dict(prefixes), base))
                continue
            else:
                raise g.unsupported(shape, f"sh:{name}")
            checks.append(Check(component=component, query=query, **base))
    return checks


def _count_query(head: str, focus: str, path: str, name: str, n: int, simple: bool) -> str:
    if name == "minCount" and n == 1:
        # for a predicate path MINUS, not FILTER NOT EXISTS: the same answer
        # (?this is shared), a set difference instead of a look-up per focus node
        absent = "MINUS" if simple else "FILTER NOT EXISTS"
        return f"{head}SELECT ?this WHERE {{ {focus} {absent} {{ ?this {path} {_V} }} }}"
    where = f"OPTIONAL {{ ?this {path} {_V} }}" if name == "minCount" else f"?this {path} {_V} ."
    op = "<" if name == "minCount" else ">"
    return (f"{head}SELECT ?this WHERE {{ {focus} {where} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT {_V}) {op} {n})")


def _condition(g: _Graph, shape, name: str, param, seen: set) -> str:
    """A SPARQL expression, never an error, true when ?value conforms to one
    value-level constraint component."""
    v = _V
    if name == "datatype":
        dt = _term(g, shape, param)
        if param.value == vocab.RDF + "langString":
            test = f"isLiteral({v}) && LANG({v}) != \"\""
        else:
            test = f"isLiteral({v}) && DATATYPE({v}) = {dt}"
            if param.value in _CASTABLE:
                test += f" && isLiteral({dt}(STR({v})))"
    elif name == "class":
        test = f"!isLiteral({v}) && EXISTS {{ {v} <{vocab.RDF}type>/<{vocab.RDFS}subClassOf>* {_term(g, shape, param)} }}"
    elif name == "nodeKind":
        kind = param.value.removeprefix(SH)
        if kind not in _NODE_KINDS:
            raise g.unsupported(shape, f"sh:nodeKind {param}")
        test = _NODE_KINDS[kind].format(v=v)
    elif name == "pattern":
        flags = g.value(shape, "flags")
        extra = f", {_term(g, shape, flags)}" if flags is not None else ""
        test = f"!isBlank({v}) && REGEX(STR({v}), {_term(g, shape, param)}{extra})"
    elif name in _COMPARE:
        test = f"{v} {_COMPARE[name]} {_term(g, shape, param)}"
    elif name in ("minLength", "maxLength"):
        op = ">=" if name == "minLength" else "<="
        test = f"!isBlank({v}) && STRLEN(STR({v})) {op} {int(param.value)}"
    elif name == "in":
        test = " || ".join(f"sameTerm({v}, {_term(g, shape, m)})" for m in g.items(param)) or "false"
    elif name == "node":
        test = _shape_condition(g, shape, param, seen)
    elif name == "not":
        test = f"!({_shape_condition(g, shape, param, seen)})"
    elif name in ("or", "and"):
        parts = [f"({_shape_condition(g, shape, s, seen)})" for s in g.items(param)]
        test = (" || " if name == "or" else " && ").join(parts) or ("false" if name == "or" else "true")
    else:  # xone
        parts = [f"IF({_shape_condition(g, shape, s, seen)}, 1, 0)" for s in g.items(param)]
        test = f"({' + '.join(parts) or '0'}) = 1"
    return f"COALESCE({test}, false)"


def _shape_condition(g: _Graph, outer, shape, seen: set) -> str:
    """True when ?value conforms to `shape` (sh:node, sh:or, ...): a shape
    made of value-level constraints only."""
    if shape in seen:
        raise g.unsupported(outer, f"the recursive shape {shape}")
    names = g.sh_predicates(shape) - (_NOT_CONSTRAINTS - {"property", "path"}) - set(_TARGETS)
    if names - _VALUE_COMPONENTS:
        what = ", ".join(f"sh:{n}" for n in sorted(names - _VALUE_COMPONENTS))
        raise g.unsupported(outer, f"{what} in the nested shape {shape}")
    if _deactivated(g, shape):
        return "true"
    seen = seen | {shape}
    parts = [_condition(g, shape, n, p, seen) for n in sorted(names) for p in g.objects(shape, n)]
    return " && ".join(parts) or "true"


def _sparql_check(g: _Graph, shape, constraint, focus: str, path: str | None,
                  prefixes: dict[str, str], base: dict) -> Check:
    select = g.value(constraint, "select")
    if select is None:
        raise g.unsupported(shape, "an sh:sparql constraint without sh:select (ASK?)")
    if _deactivated(g, constraint):
        return Check(component=SH + "SPARQLConstraintComponent", query="", **base)
    _prefixes(g, shape, constraint, prefixes)
    text = _body(g, shape, select.value)
    if path is not None:
        text = text.replace("$PATH", path)
    projection = re.match(r"\s*SELECT\s+(.*?)(\bWHERE\b|\{)", text, re.I | re.S)
    if projection is None or not re.search(r"[?$]this\b|^\s*(DISTINCT\s+|REDUCED\s+)?\*",
                                           projection.group(1), re.I):
        raise g.unsupported(shape, "an sh:select that does not project $this (it runs over "
                                   "all focus nodes at once)")
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items()))
    extra = tuple(m.value for m in g.objects(constraint, "message"))
    messages = base["messages"] + tuple(m for m in extra if m not in base["messages"])
    return Check(component=SH + "SPARQLConstraintComponent", templated=True,
                 query=f"{head}SELECT * WHERE {{ {focus} {{ {text} }} }}",
                 **{**base, "messages": messages})
