"""HTML documentation of the llmkg ontology, made offline with pyLODE.

`write_docs(output_dir)` renders ontology/llmkg.ttl with pyLODE's OntPub
profile (classes, properties, domains, ranges, super-classes and alignments)
into `<output_dir>/index.html`, CSS inlined, and returns that path. pyLODE
reads its background vocabularies from files it ships: no network access.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from llmkg import vocab
from llmkg.errors import LlmkgError

if TYPE_CHECKING:  # pragma: no cover
    import rdflib

class DocsError(LlmkgError):
    """The ontology documentation could not be made."""


def _ours(page: Path) -> bool:
    """Is this the page `write_docs` wrote (pyLODE's rendering of the llmkg ontology)?"""
    from llmkg.files import MIB, read_at_most

    try:
        head = read_at_most(page, 64 * MIB) or b""
    except OSError:
        return False
    return b"pyLODE" in head and vocab.LLMKG.encode() in head


def write_docs(output_dir: Path, *, ontology: Path | None = None) -> Path:
    """Write `<output_dir>/index.html` documenting `ontology` (default: the
    bundled llmkg.ttl); return the page's path."""
    from llmkg.validation.reason import default_ontology

    ontology = default_ontology() if ontology is None else Path(ontology)
    if not ontology.is_file():
        raise DocsError("the ontology file does not exist", file=str(ontology),
                        hint="pass the path of ontology/llmkg.ttl")
    import rdflib

    OntPub = _import_ontpub()

    try:
        graph = rdflib.Graph().parse(ontology, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types
        raise DocsError(f"the ontology cannot be parsed: {exc}".splitlines()[0],
                        file=str(ontology), hint="fix the ontology file") from exc
    try:
        html = _sort_sets(OntPub(_doc_graph(graph), sort_subjects=True).make_html(include_css=True))
    except Exception as exc:  # pyLODE reports problems as assorted exceptions
        raise DocsError(f"pyLODE failed: {exc}".splitlines()[0], file=str(ontology),
                        hint="check the ontology's title, labels and comments") from exc

    output_dir = Path(output_dir)
    page = output_dir / "index.html"
    if page.exists() and not _ours(page):
        raise DocsError("a page that llmkg did not write is in the way", file=str(page),
                        hint="pass --output with a new or empty folder, or one llmkg docs wrote before")
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        page.write_text(html if html.endswith("\n") else html + "\n", encoding="utf-8")
    except OSError as exc:
        raise DocsError(f"cannot write the documentation: {exc.strerror}",
                        file=str(output_dir), hint="choose a writable --output directory") from exc
    return page


def _doc_graph(graph: "rdflib.Graph") -> "rdflib.Graph":
    """A copy of the ontology shaped for pyLODE, which shows only some axioms.

    - External terms are declared in llmkg.ttl for OWL 2 DL; pyLODE would
      document them as if they were llmkg's own, so their declarations go.
    - skos:closeMatch alignments, owl:inverseOf, owl:TransitiveProperty and
      owl:AllDisjointClasses are not shown by pyLODE: each becomes a
      skos:note (which it shows) on the llmkg term.
    - A range that is a named datatype union (llmkg:DateOrYear) is replaced
      by the union itself, which pyLODE renders as "date or gYearMonth ...".
    """
    import rdflib
    from rdflib import OWL, RDF, RDFS, SKOS
    from rdflib.collection import Collection

    ns = rdflib.URIRef(vocab.LLMKG)
    doc = rdflib.Graph()
    for prefix, namespace in graph.namespaces():
        doc.bind(prefix, namespace)
    for triple in graph:
        subject = triple[0]
        if isinstance(subject, rdflib.URIRef) and not subject.startswith(ns) \
                and (subject, RDF.type, OWL.Ontology) not in graph:
            continue
        doc.add(triple)

    def name(term: rdflib.term.Node) -> str:
        return graph.namespace_manager.normalizeUri(term) if isinstance(term, rdflib.URIRef) else str(term)

    notes: dict[rdflib.URIRef, list[str]] = {}
    for s, o in graph.subject_objects(SKOS.closeMatch):
        notes.setdefault(s, []).append(f"Close match: {name(o)}")
    for s, o in graph.subject_objects(OWL.inverseOf):
        notes.setdefault(s, []).append(f"Inverse of: {name(o)}")
        notes.setdefault(o, []).append(f"Inverse of: {name(s)}")
    for s in graph.subjects(RDF.type, OWL.TransitiveProperty):
        notes.setdefault(s, []).append("Transitive property")
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(graph, graph.value(node, OWL.members)))
        for m in members:
            others = ", ".join(sorted(name(x) for x in members if x != m))
            notes.setdefault(m, []).append(f"Disjoint with: {others}")
    for s, items in notes.items():
        if isinstance(s, rdflib.URIRef) and s.startswith(ns):
            for text in sorted(set(items)):
                doc.add((s, SKOS.note, rdflib.Literal(text, lang="en")))

    for datatype in graph.subjects(RDF.type, RDFS.Datatype):
        union = graph.value(datatype, OWL.equivalentClass)
        if not isinstance(datatype, rdflib.URIRef) or union is None:
            continue
        for prop in list(doc.subjects(RDFS.range, datatype)):
            doc.remove((prop, RDFS.range, datatype))
            doc.add((prop, RDFS.range, union))
            doc.add((prop, SKOS.note, rdflib.Literal(
                f"Range: {name(datatype)}, the union of "
                + ", ".join(name(m) for m in Collection(graph, graph.value(union, OWL.unionOf))),
                lang="en")))
    return doc


def _import_ontpub() -> type:
    """Import pyLODE's OntPub without its import-time logging setup.

    pyLODE 3.3.4 calls logging.basicConfig(level=DEBUG) when imported, which
    would print its progress on the CLI's stderr; undo that.
    """
    import logging

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise DocsError(f"pyLODE cannot be imported: {exc}",
                        hint="install it with: pip install 'pylode==3.3.4'") from exc
    finally:
        root.setLevel(level)
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
    return OntPub


# pyLODE 3.3.4 renders the members of an owl:unionOf / owl:intersectionOf
# from a Python set of HTML elements, so their order changes from run to run.
# Sort each such run of `<span>member</span> <span class="cardinality">or</span>`
# so the same ontology always gives the same page.
_JOIN = re.compile(r'\s*<span class="cardinality">(or|and)</span>\s*')
_SET = re.compile(r'(<td>\s*)((?:<span>(?:(?!</?span).)*</span>'
                  r'\s*<span class="cardinality">(?:or|and)</span>\s*)+'
                  r'<span>(?:(?!</?span).)*</span>)(\s*</td>)', re.DOTALL)


def _sort_sets(html: str) -> str:
    def sort(match: re.Match[str]) -> str:
        body = match.group(2)
        word = _JOIN.search(body)
        separator = word.group(0) if word else " "
        members = sorted(_JOIN.split(body)[::2], key=lambda m: re.sub(r"<[^>]+>|\s+", "", m))
        return match.group(1) + separator.join(members) + match.group(3)

    return _SET.sub(sort, html)
