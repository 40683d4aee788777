"""SHACL shapes (ontology/shapes.ttl) and the validate module.

Every shape is proven by a hand-written fixture under tests/fixtures/shapes/
that violates it: the report must hold exactly the expected (shape, focus,
severity) triples, no more. valid.trig conforms to all of them.

Tests that take `engine` run on both engines: "sparql" (shapes compiled to
SPARQL on Oxigraph, the default) and "pyshacl" (the reference); the parity
tests at the end prove that both report the same results.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyoxigraph
import pytest

from llmkg import vocab
from llmkg.errors import FormatError, LlmkgError, ShapesError, StoreError
from llmkg.validation.validate import (
    ENGINES,
    SHAPES,
    ValidationReport,
    default_shapes,
    validate_quads,
    validate_store,
)

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
BUILD_DAY = datetime.date(2025, 6, 3)
V, W, I = "Violation", "Warning", "Info"

# fixture -> {(shape local name, focus "<kind>/<slug>", severity)}
CASES: dict[str, set[tuple[str, str, str]]] = {
    "valid": set(),
    "entity-label": {("EntityLabel", "organization/nameless", V),
                     ("EntityLabel", "model/twonames", V),
                     ("EntityLabel", "architecture/empty", V)},
    "developed-by": {("ModelDevelopedBy", "model/llama2", V)},
    "described-in": {("ModelDescribedIn", "model/llama2", V)},
    "has-architecture": {("ModelHasArchitecture", "model/mixtral", V)},
    "lineage-target": {("ModelBasedOn", "model/a", V),
                       ("ModelFineTunedFrom", "model/b", V),
                       ("ModelBuiltOn", "model/c", V),
                       ("ModelReproductionOf", "model/d", V),
                       ("ModelVariantOf", "model/e", V)},
    "parameter-count": {("ModelParameterCount", "model/tiny", V),
                        ("ModelParameterCount", "model/huge", V),
                        ("ModelParameterCount", "model/stringy", V)},
    "active-parameter-count": {("ModelActiveParameterCount", "model/moe", V),
                               ("ModelActiveParameterCount", "model/moe2", V)},
    "context-length": {("ModelContextLength", "model/short", V),
                       ("ModelContextLength", "model/long", V),
                       ("ModelContextLength", "model/text", V)},
    "release-date": {("ModelReleaseDate", "model/twice", V),
                     ("ModelReleaseDate", "model/plain", V)},
    "release-date-missing": {("ModelReleaseDateMissing", "model/vicuna", I)},
    "release-date-early": {("ModelReleaseDateEarly", "model/seq2seq", W),
                           ("ModelReleaseDateEarly", "model/lstm", W)},
    "repository": {("ModelRepository", "model/literal", V),
                   ("ModelRepository", "model/ssh", V)},
    "license": {("ModelLicense", "model/elsewhere", V),
                ("ModelLicense", "model/empty", V)},
    "model-property-subject": {("ModelPropertySubject", "organization/meta", V),
                               ("ModelPropertySubject", "model/untyped", V)},
    "arxiv-id": {("PaperArxivId", "paper/none", V),
                 ("PaperArxivId", "paper/2307.09288", V),
                 ("PaperArxivId", "paper/2302.13971", V),
                 ("PaperArxivId", "paper/2310.06825", V)},
    "publication-date": {("PaperPublicationDate", "paper/2307.09288", V),
                         ("PaperPublicationDate", "paper/2302.13971", V)},
    "paper-property-subject": {("PaperPropertySubject", "model/llama2", V)},
    "section-broader": {("SectionBroader", "section/gemmaseries", V)},
    "in-section": {("InSection", "model/gemma", V)},
    "from-catalog": {("FromCatalog", "organization/google", V)},
    "web-page": {("WebPage", "organization/google", V)},
    "lineage-cycle": {("LineageCycle", "model/a", V),
                      ("LineageCycle", "model/b", V),
                      ("LineageCycle", "model/c", V)},
    "released-before-base": {("ReleasedBeforeBase", "model/early", W),
                             ("ReleasedBeforeBase", "model/older", W)},
    "duplicate-model-label": {("DuplicateModelLabel", "model/falcon", W),
                              ("DuplicateModelLabel", "model/falcontii", W)},
    "paper-long-after-model": {("PaperLongAfterModel", "model/a", W),
                               ("PaperLongAfterModel", "model/b", W)},
    "active-exceeds-total": {("ActiveExceedsTotal", "model/inverted", V)},
    "date-not-in-future": {("DateNotInFuture", "model/tomorrow", V),
                           ("DateNotInFuture", "paper/2507.00001", V)},
}


@pytest.fixture(params=ENGINES)
def engine(request) -> str:
    return request.param


def quads(name: str) -> list[pyoxigraph.Quad]:
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURES / f"{name}.trig"), format=pyoxigraph.RdfFormat.TRIG)
    return list(store.quads_for_pattern(None, None, None, None))


def report_of(name: str, engine: str = "sparql", **kw) -> ValidationReport:
    kw.setdefault("today", BUILD_DAY)
    kw["engine"] = engine
    return validate_quads(quads(name), **kw)


def triples(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(r.shape.removeprefix(SHAPES), r.focus.removeprefix(vocab.ID), r.severity)
            for r in report.results}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_reports_exactly_the_expected_shape_and_focus(name, engine):
    report = report_of(name, engine)
    assert triples(report) == CASES[name]
    assert report.conforms == (V not in {s for _, _, s in CASES[name]})


def test_every_shape_is_proven_by_a_fixture():
    import rdflib
    from rdflib.namespace import SH

    g = rdflib.Graph().parse(default_shapes())
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf,
               SH.targetObjectsOf, SH.target)
    shapes = {s for p in targets for s in g.subjects(p, None)}
    shapes |= set(g.objects(None, SH.property))
    assert all(isinstance(s, rdflib.URIRef) for s in shapes), "every shape needs an IRI"
    names = {str(s).removeprefix(SHAPES) for s in shapes}
    proven = {shape for expected in CASES.values() for shape, _, _ in expected}
    # ModelShape and PaperShape only group property shapes; they report nothing.
    assert names - proven == {"ModelShape", "PaperShape"}
    assert proven <= names
    for s in shapes:  # a curator-readable name on every shape
        assert g.value(s, rdflib.RDFS.label) is not None, s


def test_where_names_the_catalog_line_of_the_fact_or_else_of_the_entity(engine):
    report = report_of("parameter-count", engine)
    where = {r.focus.removeprefix(vocab.ID + "model/"): r.where for r in report.results}
    assert where["tiny"] == ("bad.md:30",)   # reified statement of the bad value
    assert where["huge"] == ("bad.md:4",)    # no statement: the entity's line
    assert where["stringy"] == ()            # no provenance at all
    tiny = next(r for r in report.results if r.focus.endswith("/tiny"))
    assert tiny.focus_label == "Tiny"
    assert tiny.path == vocab.LLMKG + "parameterCount"
    assert tiny.value == "7"
    assert tiny.value_term == '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert tiny.shape_label == "plausible parameter count"
    assert "between 1 million and 20 trillion" in tiny.message


def test_sparql_messages_name_the_values(engine):
    (r1, r2) = report_of("released-before-base", engine).results
    assert r1.focus_label == "Early" and r1.value == vocab.ID + "model/base"
    assert "2023-03-01" in r1.message and "2023-04" in r1.message
    assert r2.where == ("bad.md:4",)


@pytest.mark.parametrize("today, expected", [
    (datetime.date(2023, 8, 31), {"model/mixtral8x7b", "model/llama2long"}),
    (datetime.date(2023, 8, 1), {"model/mixtral8x7b", "model/llama2long"}),
    (datetime.date(2023, 7, 31), {"model/mixtral8x7b", "model/llama2long", "model/codellama"}),
    (datetime.date(2025, 6, 3), set()),
])
def test_build_date_is_injected(today, expected, engine):
    report = report_of("valid", engine, today=today)
    assert triples(report) == {("DateNotInFuture", f, V) for f in expected}


def test_without_build_date_the_shapes_fall_back_to_now():
    import pyshacl
    import rdflib

    data = rdflib.Graph().parse(data=f"""
        <{vocab.ID}model/x> a <{vocab.LLMKG}Model> ; <{vocab.RDFS}label> "X" ;
            <{vocab.LLMKG}releaseDate> "2999"^^<{vocab.XSD}gYear> .
        <{vocab.ID}model/y> a <{vocab.LLMKG}Model> ; <{vocab.RDFS}label> "Y" ;
            <{vocab.LLMKG}releaseDate> "2020"^^<{vocab.XSD}gYear> .""", format="turtle")
    _, graph, _ = pyshacl.validate(data, shacl_graph=str(default_shapes()),
                                   advanced=True, inference="none")
    sh = rdflib.Namespace(vocab.SH)
    focus = {str(graph.value(r, sh.focusNode)) for r in graph.objects(None, sh.result)}
    assert focus == {vocab.ID + "model/x"}


def test_counts_exit_codes_and_summary(engine):
    warnings_only = report_of("duplicate-model-label", engine)
    assert warnings_only.counts == {V: 0, W: 2, I: 0}
    assert warnings_only.conforms
    assert warnings_only.exit_code() == 0
    assert warnings_only.exit_code("warning") == 1
    infos = report_of("release-date-missing", engine)
    assert infos.exit_code("warning") == 0
    bad = report_of("lineage-cycle", engine)
    assert bad.exit_code("violation") == 1 and not bad.conforms
    assert bad.summary() == "3 violations, 0 warnings, 0 infos"
    assert infos.summary() == "0 violations, 0 warnings, 1 info"
    with pytest.raises(LlmkgError):
        bad.exit_code("error")


def test_text_groups_by_shape_with_labels_and_lines(engine):
    text = report_of("lineage-target", engine).render("text")
    lines = text.splitlines()
    assert lines[-1] == "5 violations, 0 warnings, 0 infos"
    assert "Violation: based on a model [llmkgsh:ModelBasedOn], 1 result" in lines
    assert (f"  - A <{vocab.ID}model/a> at bad.md:3: llmkg:basedOn = "
            f"{vocab.ID}organization/meta") in lines
    headers = [ln for ln in lines if ln.startswith("Violation:")]
    assert headers == sorted(headers, key=lambda h: h.split("[")[1])


def test_json_is_stable_and_complete(engine):
    first = report_of("parameter-count", engine).render("json")
    assert first == report_of("parameter-count", engine).render("json")
    doc = json.loads(first)
    assert doc["conforms"] is False
    assert doc["counts"] == {"violation": 3, "warning": 0, "info": 0}
    assert [r["focus"].rsplit("/", 1)[1] for r in doc["results"]] == ["huge", "stringy", "tiny"]
    # one result per bad value, naming every constraint component it fails
    assert [c.rsplit("#")[1] for c in doc["results"][1]["components"]] == [
        "DatatypeConstraintComponent", "MaxInclusiveConstraintComponent",
        "MinInclusiveConstraintComponent"]
    assert set(doc["results"][0]) == {"severity", "shape", "shapeLabel", "focus",
                                      "focusLabel", "where", "path", "value",
                                      "valueTerm", "components", "message"}


def test_turtle_is_a_shacl_report_with_every_result(engine):
    import rdflib

    report = report_of("paper-long-after-model", engine)
    text = report.render("turtle")
    assert text == report_of("paper-long-after-model", engine).render("turtle")
    g = rdflib.Graph().parse(data=text, format="turtle")
    sh = rdflib.Namespace(vocab.SH)
    (node,) = g.subjects(rdflib.RDF.type, sh.ValidationReport)
    # SHACL 1.0, 3.6.1: false whenever there is a result, warnings included (the
    # exit code still fails on violations only)
    assert g.value(node, sh.conforms).toPython() is False
    assert report.exit_code() == 0
    results = list(g.objects(node, sh.result))
    assert len(results) == 2
    assert {str(g.value(r, sh.focusNode)) for r in results} == \
        {vocab.ID + "model/a", vocab.ID + "model/b"}
    assert {g.value(r, sh.resultSeverity) for r in results} == {sh.Warning}
    # one sh:ValidationResult per failed constraint component, as in SHACL
    g = rdflib.Graph().parse(data=report_of("parameter-count", engine).render("turtle"))
    assert len(set(g.objects(None, sh.result))) == 5
    empty = rdflib.Graph().parse(data=report_of("valid", engine).render("turtle"), format="turtle")
    assert set(empty.objects(None, sh.conforms)) == {rdflib.Literal(True)}
    assert not set(empty.objects(None, sh.result))


def test_unknown_format_is_a_format_error():
    with pytest.raises(FormatError, match="csv"):
        ValidationReport([]).render("csv")


def test_validate_store_reads_an_on_disk_store(tmp_path, engine):
    path = tmp_path / "store"
    store = pyoxigraph.Store(str(path))
    store.bulk_extend(quads("lineage-cycle"))
    store.flush()
    del store
    report = validate_store(path, today=BUILD_DAY, engine=engine)
    assert report.results == report_of("lineage-cycle", engine).results
    assert triples(report) == CASES["lineage-cycle"]


def test_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError) as err:
        validate_store(tmp_path / "nowhere")
    assert err.value.file == str(tmp_path / "nowhere")


def test_missing_or_broken_shapes_are_shapes_errors(tmp_path, engine):
    with pytest.raises(ShapesError, match="does not exist"):
        validate_quads(quads("valid"), shapes=tmp_path / "none.ttl", engine=engine)
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path ", "utf-8")
    with pytest.raises(ShapesError, match="cannot parse") as err:
        validate_quads(quads("valid"), shapes=broken, engine=engine)
    assert err.value.file == str(broken)


def test_other_graphs_are_not_validated(engine):
    """The inferred graph and the provenance graph are not data."""
    extra = pyoxigraph.Quad(pyoxigraph.NamedNode(vocab.ID + "model/ghost"),
                            pyoxigraph.NamedNode(vocab.RDF + "type"),
                            pyoxigraph.NamedNode(vocab.LLMKG + "Model"),
                            pyoxigraph.NamedNode(vocab.INFERRED_GRAPH))
    assert report_of("valid", engine).results == validate_quads(
        quads("valid") + [extra], today=BUILD_DAY, engine=engine).results


def test_rdflib_graph_matches_a_n_triples_round_trip():
    """validate converts Oxigraph terms to rdflib directly (faster than an
    N-Triples round trip); both must give the same graph."""
    import rdflib

    from llmkg.validation.shacl_pyshacl import _rdflib_graph

    ox = pyoxigraph
    s = ox.NamedNode(vocab.ID + "model/x")
    triples = [ox.Triple(s, ox.NamedNode(vocab.RDFS + "label"), ox.Literal("X")),
               ox.Triple(s, ox.NamedNode(vocab.SKOS + "altLabel"), ox.Literal("Ix", language="de")),
               ox.Triple(s, ox.NamedNode(vocab.LLMKG + "contextLength"),
                         ox.Literal("4096", datatype=ox.NamedNode(vocab.XSD + "integer"))),
               ox.Triple(ox.BlankNode("b0"), ox.NamedNode(vocab.LLMKG + "basedOn"), s)]
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    expected = rdflib.Graph().parse(data=text, format="nt")
    from rdflib.compare import isomorphic
    assert isomorphic(_rdflib_graph(triples), expected)


# --------------------------------------------------------------------------
# the sparql engine against pySHACL, the reference

def keys(report: ValidationReport) -> set[tuple]:
    return {(r.severity, r.shape, r.focus, r.path, r.value_term) for r in report.results}


def assert_same(quads_: list[pyoxigraph.Quad], **kw) -> ValidationReport:
    kw.setdefault("today", BUILD_DAY)
    reference = validate_quads(quads_, engine="pyshacl", **kw)
    fast = validate_quads(quads_, engine="sparql", **kw)
    assert keys(fast) == keys(reference)
    # and the rest of each result: message, labels, lines, components
    assert fast.results == reference.results
    return fast


@pytest.mark.parametrize("name", sorted(p.stem for p in FIXTURES.glob("*.trig")))
def test_engines_agree_on_every_fixture(name):
    report = assert_same(quads(name))
    assert bool(report.results) == (name != "valid")


@pytest.mark.parametrize("today", [datetime.date(2023, 7, 31), datetime.date(2023, 8, 1)])
def test_engines_agree_on_the_build_date(today):
    assert keys(assert_same(quads("valid"), today=today))


CATALOGS = ["bundled", "llm-landscape-2024-11-05.md", "llm-landscape-2025-01-14.md",
            "llm-landscape-2025-03-11.md"]


@pytest.mark.parametrize("name", CATALOGS)
def test_engines_agree_on_real_catalogs(name):
    from conftest import SHARED_CATALOGS

    from llmkg.build import bundled_catalog, graph_quads

    path = bundled_catalog() if name == "bundled" else SHARED_CATALOGS / name
    if not Path(path).is_file():
        pytest.skip(f"{path} is absent")
    catalog_quads, _ = graph_quads([path])
    report = assert_same(catalog_quads)
    assert report.results  # the real catalogs have findings (duplicate names, gaps)


COMPILER = FIXTURES / "compiler"


def test_engines_agree_on_shacl_features_beyond_shapes_ttl():
    """compiler/shapes.ttl uses sh:in, sh:not, sh:and, sh:xone, sh:flags,
    exclusive bounds, counts above 1, sh:targetNode, sh:targetObjectsOf,
    subclass targets, inverse/sequence/alternative paths, a blank-node
    property shape and $PATH in a property shape's SPARQL."""
    store = pyoxigraph.Store()
    store.load(path=str(COMPILER / "data.trig"), format=pyoxigraph.RdfFormat.TRIG)
    data = list(store)

    def normalized(engine):  # blank-node shapes have engine-specific ids
        report = validate_quads(data, shapes=COMPILER / "shapes.ttl", engine=engine)
        return {(r.severity, "_:" if r.shape.startswith("_:") else r.shape, r.focus, r.path,
                 r.value_term, r.components, r.message) for r in report.results}

    fast = normalized("sparql")
    assert fast == normalized("pyshacl")
    shapes = {shape.rsplit("#", 1)[-1] for _, shape, *_ in fast}
    assert shapes == {"Colour", "TwoNames", "Owner", "_:", "Size", "Code", "Friend", "SelfLink"}


@pytest.mark.parametrize("constraint, named", [
    ("sh:path ex:p ; sh:equals ex:q", "sh:equals"),
    ("sh:path ex:p ; sh:qualifiedValueShape [ sh:class ex:C ] ; sh:qualifiedMinCount 1",
     "sh:qualifiedMinCount"),
    ("sh:closed true", "sh:closed"),
    ("sh:path ex:p ; sh:node [ sh:property [ sh:path ex:q ; sh:minCount 1 ] ]", "sh:property"),
    ("sh:path ex:p ; sh:hasValue ex:x", "sh:hasValue"),
    ("sh:sparql [ sh:select \"PREFIX ex: <http://example.org/> SELECT $this WHERE { }\" ]",
     "PREFIX"),
])
def test_what_the_sparql_engine_cannot_compile_is_a_shapes_error(tmp_path, constraint, named):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix ex: <http://example.org/> .\n"
                      f"ex:S a sh:NodeShape ; sh:targetClass ex:C ; {constraint} .\n", "utf-8")
    with pytest.raises(ShapesError, match=named) as err:
        validate_quads(quads("valid"), shapes=shapes)
    assert err.value.file == str(shapes)
    assert "http://example.org/S" in err.value.message


def test_a_sparql_constraint_must_select_this(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      f"<urn:S> sh:targetClass <{vocab.LLMKG}Model> ;\n"
                      "  sh:sparql [ sh:select \"SELECT ?value WHERE { ?value ?p ?o }\" ] .\n",
                      "utf-8")
    with pytest.raises(ShapesError, match=r"\$this"):
        validate_quads(quads("valid"), shapes=shapes)


def test_unknown_engine_is_an_error():
    with pytest.raises(LlmkgError, match="jena"):
        validate_quads(quads("valid"), engine="jena")


def test_the_sparql_engine_imports_neither_rdflib_nor_pyshacl(tmp_path):
    import subprocess
    import sys

    code = ("import sys, datetime\n"
            "from llmkg.validation.validate import validate_store\n"
            "r = validate_store(sys.argv[1], today=datetime.date(2025, 6, 3))\n"
            "print(len(r.results), sorted(m for m in sys.modules if m.split('.')[0] in ('rdflib', 'pyshacl')))\n")
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.bulk_extend(quads("lineage-cycle"))
    store.flush()
    del store
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "store")], capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["3", "[]"]
