"""SHACL shapes (ontology/shapes.ttl) and the validate module.

Every shape is proven by a hand-written fixture under tests/fixtures/shapes/
that violates it: the report must hold exactly the expected (shape, focus,
severity) triples, no more. valid.trig conforms to all of them.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pyoxigraph
import pytest

from llmkg import vocab
from llmkg.errors import FormatError, LlmkgError, ShapesError, StoreError
from llmkg.validate import (
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


def quads(name: str) -> list[pyoxigraph.Quad]:
    store = pyoxigraph.Store()
    store.load(path=str(FIXTURES / f"{name}.trig"), format=pyoxigraph.RdfFormat.TRIG)
    return list(store.quads_for_pattern(None, None, None, None))


def report_of(name: str, **kw) -> ValidationReport:
    kw.setdefault("today", BUILD_DAY)
    return validate_quads(quads(name), **kw)


def triples(report: ValidationReport) -> set[tuple[str, str, str]]:
    return {(r.shape.removeprefix(SHAPES), r.focus.removeprefix(vocab.ID), r.severity)
            for r in report.results}


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_reports_exactly_the_expected_shape_and_focus(name):
    report = report_of(name)
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


def test_where_names_the_catalog_line_of_the_fact_or_else_of_the_entity():
    report = report_of("parameter-count")
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


def test_sparql_messages_name_the_values():
    (r1, r2) = report_of("released-before-base").results
    assert r1.focus_label == "Early" and r1.value == vocab.ID + "model/base"
    assert "2023-03-01" in r1.message and "2023-04" in r1.message
    assert r2.where == ("bad.md:4",)


@pytest.mark.parametrize("today, expected", [
    (datetime.date(2023, 8, 31), {"model/mixtral8x7b", "model/llama2long"}),
    (datetime.date(2023, 8, 1), {"model/mixtral8x7b", "model/llama2long"}),
    (datetime.date(2023, 7, 31), {"model/mixtral8x7b", "model/llama2long", "model/codellama"}),
    (datetime.date(2025, 6, 3), set()),
])
def test_build_date_is_injected(today, expected):
    report = report_of("valid", today=today)
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


def test_counts_exit_codes_and_summary():
    warnings_only = report_of("duplicate-model-label")
    assert warnings_only.counts == {V: 0, W: 2, I: 0}
    assert warnings_only.conforms
    assert warnings_only.exit_code() == 0
    assert warnings_only.exit_code("warning") == 1
    infos = report_of("release-date-missing")
    assert infos.exit_code("warning") == 0
    bad = report_of("lineage-cycle")
    assert bad.exit_code("violation") == 1 and not bad.conforms
    assert bad.summary() == "3 violations, 0 warnings, 0 infos"
    assert infos.summary() == "0 violations, 0 warnings, 1 info"
    with pytest.raises(LlmkgError):
        bad.exit_code("error")


def test_text_groups_by_shape_with_labels_and_lines():
    text = report_of("lineage-target").render("text")
    lines = text.splitlines()
    assert lines[-1] == "5 violations, 0 warnings, 0 infos"
    assert "Violation: based on a model [llmkgsh:ModelBasedOn], 1 result" in lines
    assert (f"  - A <{vocab.ID}model/a> at bad.md:3: llmkg:basedOn = "
            f"{vocab.ID}organization/meta") in lines
    headers = [ln for ln in lines if ln.startswith("Violation:")]
    assert headers == sorted(headers, key=lambda h: h.split("[")[1])


def test_json_is_stable_and_complete():
    first = report_of("parameter-count").render("json")
    assert first == report_of("parameter-count").render("json")
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


def test_turtle_is_a_shacl_report_with_every_result():
    import rdflib

    report = report_of("paper-long-after-model")
    text = report.render("turtle")
    assert text == report_of("paper-long-after-model").render("turtle")
    g = rdflib.Graph().parse(data=text, format="turtle")
    sh = rdflib.Namespace(vocab.SH)
    (node,) = g.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert g.value(node, sh.conforms).toPython() is True
    results = list(g.objects(node, sh.result))
    assert len(results) == 2
    assert {str(g.value(r, sh.focusNode)) for r in results} == \
        {vocab.ID + "model/a", vocab.ID + "model/b"}
    assert {g.value(r, sh.resultSeverity) for r in results} == {sh.Warning}
    # one sh:ValidationResult per failed constraint component, as in SHACL
    g = rdflib.Graph().parse(data=report_of("parameter-count").render("turtle"))
    assert len(set(g.objects(None, sh.result))) == 5
    empty = rdflib.Graph().parse(data=report_of("valid").render("turtle"), format="turtle")
    assert set(empty.objects(None, sh.conforms)) == {rdflib.Literal(True)}
    assert not set(empty.objects(None, sh.result))


def test_unknown_format_is_a_format_error():
    with pytest.raises(FormatError, match="csv"):
        ValidationReport([]).render("csv")


def test_validate_store_reads_an_on_disk_store(tmp_path):
    path = tmp_path / "store"
    store = pyoxigraph.Store(str(path))
    store.bulk_extend(quads("lineage-cycle"))
    store.flush()
    del store
    report = validate_store(path, today=BUILD_DAY)
    assert triples(report) == CASES["lineage-cycle"]


def test_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError) as err:
        validate_store(tmp_path / "nowhere")
    assert err.value.file == str(tmp_path / "nowhere")


def test_missing_or_broken_shapes_are_shapes_errors(tmp_path):
    with pytest.raises(ShapesError, match="does not exist"):
        validate_quads(quads("valid"), shapes=tmp_path / "none.ttl")
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path ", "utf-8")
    with pytest.raises(ShapesError, match="cannot parse") as err:
        validate_quads(quads("valid"), shapes=broken)
    assert err.value.file == str(broken)


def test_other_graphs_are_not_validated():
    """The inferred graph and the provenance graph are not data."""
    extra = pyoxigraph.Quad(pyoxigraph.NamedNode(vocab.ID + "model/ghost"),
                            pyoxigraph.NamedNode(vocab.RDF + "type"),
                            pyoxigraph.NamedNode(vocab.LLMKG + "Model"),
                            pyoxigraph.NamedNode(vocab.INFERRED_GRAPH))
    assert report_of("valid").results == validate_quads(
        quads("valid") + [extra], today=BUILD_DAY).results


def test_rdflib_graph_matches_a_n_triples_round_trip():
    """validate converts Oxigraph terms to rdflib directly (faster than an
    N-Triples round trip); both must give the same graph."""
    import rdflib

    from llmkg.validate import _rdflib_graph

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
