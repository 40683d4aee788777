"""SHACL on Oxigraph: run the compiled shapes (llmkg.validation.shacl_compile) as SPARQL
on a pyoxigraph Store and turn their rows into llmkg.validation.validate.Result objects.

`findings(store, checks)` runs every Check with the data graph, the default
graph and the build-date graph as the query's default graph; `results()`
names each focus node by its label and the catalog lines it came from, read
from the provenance graph (the lookups validate._split makes for pySHACL,
done per result here). Imports neither rdflib nor pySHACL.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from llmkg import vocab
from llmkg.errors import ShapesError
from llmkg.validation.shacl_compile import SH, Check, node_id

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph

SHAPES = "https://w3id.org/llmkg/shapes#"
BUILD_GRAPH = SHAPES + "buildGraph"  # the graph that holds the build date only


@dataclass(frozen=True)
class Finding:
    """One result of one check, before labels and provenance are added."""

    check: Check
    focus: pyoxigraph.NamedNode | pyoxigraph.BlankNode
    path: str | None
    value: object | None       # a pyoxigraph term
    message: str


def data_graphs() -> list:
    """The graphs a check reads as its default graph: data, default, build."""
    import pyoxigraph

    return [pyoxigraph.NamedNode(vocab.DATA_GRAPH), pyoxigraph.DefaultGraph(),
            pyoxigraph.NamedNode(BUILD_GRAPH)]


def add_build_date(store: pyoxigraph.Store, today: datetime.date) -> None:
    """`llmkgsh:build llmkgsh:buildDate today`, in its own graph of `store`."""
    import pyoxigraph

    store.add(pyoxigraph.Quad(pyoxigraph.NamedNode(SHAPES + "build"),
                              pyoxigraph.NamedNode(SHAPES + "buildDate"),
                              pyoxigraph.Literal(today.isoformat(),
                                                 datatype=pyoxigraph.NamedNode(vocab.XSD + "date")),
                              pyoxigraph.NamedNode(BUILD_GRAPH)))


def findings(store: pyoxigraph.Store, checks: list[Check], *, file: str = "",
             progress=None) -> Iterator[Finding]:
    """Every failure of every check, on the data graphs of `store`;
    `progress(done, total)` is told of each check as its rows arrive.

    The checks run on parallel threads (Oxigraph evaluates queries without
    the GIL: 1.7x on two cores); findings come in check order all the same.
    """
    import os
    from concurrent.futures import ThreadPoolExecutor

    graphs = data_graphs()

    def rows(check: Check) -> list[dict]:
        try:
            solutions = store.query(check.query, default_graph=graphs)
        except SyntaxError as exc:
            raise ShapesError(f"shape {check.shape} compiled to a query Oxigraph rejects: {exc}",
                              file=file, hint="fix the SPARQL of this shape") from exc
        names = [v.value for v in solutions.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in solutions]

    runnable = [check for check in checks if check.query]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        for done, (check, bound_rows) in enumerate(zip(runnable, pool.map(rows, runnable)), start=1):
            for bound in bound_rows:
                yield _finding(check, bound)
            if progress:
                progress(done, len(runnable))


def _finding(check: Check, bound: dict) -> Finding:
    focus = bound.get("this")
    path_term = bound.get("path") if check.templated else None
    path = path_term.value if path_term is not None and path_term.__class__.__name__ == "NamedNode" \
        else (None if path_term is not None else check.path)
    value = bound.get("value")
    if value is None and check.node_shape:
        value = focus
    messages = check.messages
    if check.templated:
        fill = {k: t for k, t in bound.items() if k not in ("this", "path", "value", "failure")}
        fill.update({k: t for k, t in (("this", focus), ("path", path_term), ("value", value))
                     if t is not None})
        messages = tuple(_fill(m, fill) for m in messages)
    if not messages:
        name = check.component.removeprefix(SH).removesuffix("ConstraintComponent")
        messages = (f"Value does not conform to the {name} constraint of the shape.",)
    return Finding(check=check, focus=focus, path=path, value=value,
                   message=" ".join(sorted(messages)))


def _fill(message: str, bound: dict) -> str:
    """{?var} / {$var} replaced as pySHACL does (re.sub with the term's text)."""
    for var, term in bound.items():
        message = re.sub("{{[?$]{}}}".format(var), term.value, message)
    return message


# --------------------------------------------------------------------------
# results in the catalog's terms


def results(findings_: Iterator[Finding], provenance: pyoxigraph.Store) -> list:
    """llmkg.validation.validate.Result objects for `findings_`, with the focus label and
    the catalog lines read from the data and provenance graphs of
    `provenance` (the same lookups as validate._split, done per result)."""
    from llmkg.validation.report import Result, merge_results

    prov = _Provenance(provenance)
    out = []
    for f in findings_:
        check, value = f.check, f.value
        lines: list = []
        if f.path is not None and value is not None:
            lines = prov.statement_lines(f.focus, f.path, value)
        names = prov.labels(f.focus)
        out.append(Result(
            severity=check.severity, shape=check.shape, focus=node_id(f.focus), path=f.path,
            value_term=None if value is None else str(value),
            value=None if value is None else value.value, message=f.message,
            shape_label=check.shape_label, focus_label=min(names) if names else None,
            where=prov.where(lines or prov.lines_of(f.focus)), components=(check.component,)))
    return merge_results(out)


class _Provenance:
    def __init__(self, store: pyoxigraph.Store) -> None:
        import pyoxigraph as ox

        self.store = store
        self.data = (ox.NamedNode(vocab.DATA_GRAPH), ox.DefaultGraph())
        self.prov = ox.NamedNode(vocab.PROVENANCE_GRAPH)
        p = {name: ox.NamedNode(iri) for name, iri in (
            ("label", vocab.RDFS + "label"), ("derived", vocab.PROV + "wasDerivedFrom"),
            ("catalog", vocab.LLMKG + "inCatalog"), ("line", vocab.LLMKG + "lineNumber"),
            ("subject", vocab.RDF + "subject"), ("predicate", vocab.RDF + "predicate"),
            ("object", vocab.RDF + "object"))}
        self.p = p
        self.NamedNode = ox.NamedNode

    def _objects(self, s, p: str, graph=None) -> list:
        if type(s).__name__ not in ("NamedNode", "BlankNode"):
            return []  # a literal focus node or value: never a subject
        graph = self.prov if graph is None else graph
        return [q.object for q in self.store.quads_for_pattern(s, self.p[p], None, graph)]

    def labels(self, node) -> list[str]:
        return [o.value for g in (*self.data, self.prov) for o in self._objects(node, "label", g)]

    def lines_of(self, node) -> list:
        return self._objects(node, "derived")

    def statement_lines(self, s, path: str, o) -> list:
        p = self.NamedNode(path)
        out = []
        for q in self.store.quads_for_pattern(None, self.p["subject"], s, self.prov):
            st = q.subject
            if p in self._objects(st, "predicate") and o in self._objects(st, "object"):
                out += self.lines_of(st)
        return out

    def where(self, lines: list) -> tuple[str, ...]:
        found = set()
        for line in lines:
            cats, nums = self._objects(line, "catalog"), self._objects(line, "line")
            if not cats or not nums:
                continue
            names = self.labels(cats[-1])
            found.add((min(names) if names else str(cats[-1]), int(nums[-1].value)))
        return tuple(f"{f}:{n}" for f, n in sorted(found))
