"""The gold-standard scorer on a tiny hand-made gold file and a tiny store."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from llmkg.errors import LlmkgError, StoreError
from llmkg.evaluation.evaluate import GoldError, evaluate
from llmkg.evaluation.gold import load_gold, url_key

GOLD = """kind\tsubject\tpredicate\tobject\tline\tstatus\tnote
entity\tLlama 2\ttype\tModel\t3\tsure\t
entity\tCode Llama\ttype\tModel\t7\tsure\t
entity\tClaude Code\ttype\tModel\t9\tambiguous\ta tool
entity\tMeta\ttype\tOrganization\t2\tsure\t
alias\tMeta\taltLabel\tFacebook\t2\tsure\t
entity\tMixture-of-Experts\ttype\tArchitecture\t5\tsure\t
alias\tMixture-of-Experts\taltLabel\tMoE\t5\tsure\t
entity\t2308.12950\ttype\tPaper\t7\tsure\t
fact\tLlama 2\tdevelopedBy\tMeta\t3\tsure\t
fact\tLlama 2\tparameterCount\t7000000000\t3\tsure\t
fact\tLlama 2\tparameterCount\t70000000000\t3\tsure\t
fact\tLlama 2\treleaseDate\t2023-07-18\t3\tsure\t
fact\tLlama 2\tcontextLength\t4000\t3\tambiguous\t
fact\tCode Llama\tbasedOn\tLlama 2\t7\tsure\t
fact\tCode Llama\tdescribedIn\t2308.12950\t7\tsure\t
fact\tCode Llama\trepository\thttps://github.com/facebookresearch/codellama\t7\tsure\t
fact\tCode Llama\thasArchitecture\tMixture-of-Experts\t7\tambiguous\t
"""

PREFIX = """@prefix llmkg: <https://w3id.org/llmkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix m: <https://w3id.org/llmkg/id/model/> .
@prefix o: <https://w3id.org/llmkg/id/organization/> .
@prefix p: <https://w3id.org/llmkg/id/paper/> .
@prefix a: <https://w3id.org/llmkg/id/architecture/> .
"""

# A perfect prediction of GOLD's sure rows, spelled differently on purpose
# (case, punctuation, altLabels, repository URL form, subproperty of basedOn).
PERFECT = """
m:llama2 a llmkg:Model ; rdfs:label "LLAMA-2" ;
  llmkg:developedBy o:facebook ; llmkg:releaseDate "2023-07-18"^^xsd:date ;
  llmkg:parameterCount 7000000000, 70000000000 .
m:codellama a llmkg:Model ; rdfs:label "CodeLlama" ; skos:altLabel "Code Llama" ;
  llmkg:fineTunedFrom m:llama2 ; llmkg:describedIn p:2308.12950 ;
  llmkg:repository <https://GitHub.com/facebookresearch/codellama.git> .
o:facebook a llmkg:Organization ; rdfs:label "Facebook" ; skos:altLabel "Meta" .
a:moe a llmkg:Architecture ; rdfs:label "MoE" .
p:2308.12950 a llmkg:Paper ; rdfs:label "Code Llama" ; llmkg:arxivId "2308.12950" .
"""


def make_store(path: Path, turtle: str) -> Path:
    import pyoxigraph as ox

    store = ox.Store(str(path))
    store.load(PREFIX + turtle, ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode("https://w3id.org/llmkg/graph/data"))
    store.flush()
    del store
    gc.collect()
    return path


@pytest.fixture
def gold(tmp_path: Path) -> Path:
    path = tmp_path / "gold.tsv"
    path.write_text(GOLD, encoding="utf-8")
    return path


def run(tmp_path: Path, gold: Path, turtle: str):
    return evaluate(gold, make_store(tmp_path / "store", turtle))


def test_perfect_prediction_scores_one(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT)
    for name in ("Model", "Organization", "Paper", "Architecture", "developedBy",
                 "parameterCount", "releaseDate", "basedOn", "describedIn", "repository",
                 "all entities", "all facts"):
        row = report.score(name)
        assert (row.precision, row.recall, row.f1) == (1.0, 1.0, 1.0), name
    assert report.false_positives == [] and report.false_negatives == []
    assert report.score("all facts").tp == 7
    assert report.duplicate_count == 0


def test_missing_fact_lowers_recall_only(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT.replace(", 70000000000 .", " ."))
    row = report.score("parameterCount")
    assert (row.tp, row.fn, row.fp) == (1, 1, 0)
    assert row.precision == 1.0 and row.recall == 0.5
    miss = report.false_negatives[0]
    assert (miss.category, miss.subject, miss.object, miss.lines) == (
        "parameterCount", "Llama 2", "70000000000", [3])


def test_extra_fact_lowers_precision_only(tmp_path, gold):
    extra = PERFECT + 'm:llama2 llmkg:releaseDate "2023"^^xsd:gYear .\n'
    report = run(tmp_path, gold, extra)
    row = report.score("releaseDate")
    assert (row.tp, row.fp, row.fn) == (1, 1, 0)
    assert row.recall == 1.0 and row.precision == 0.5
    fp = report.false_positives[0]
    assert (fp.subject, fp.object, fp.cause) == ("LLAMA-2", "2023", "gold: 2023-07-18")


def test_wrong_value_is_both_fp_and_fn(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT.replace('"2023-07-18"^^xsd:date',
                                                 '"2023-07"^^xsd:gYearMonth'))
    row = report.score("releaseDate")
    assert (row.tp, row.fp, row.fn) == (0, 1, 1)
    assert report.false_negatives[0].cause == "predicted: 2023-07"


def test_ambiguous_rows_count_neither_way(tmp_path, gold):
    turtle = PERFECT + """
m:llama2 llmkg:contextLength 4000 .
m:codellama llmkg:hasArchitecture a:moe .
m:claudecode a llmkg:Model ; rdfs:label "Claude Code" ; llmkg:releaseDate "2025"^^xsd:gYear .
"""
    report = run(tmp_path, gold, turtle)
    assert report.false_positives == []
    assert report.score("contextLength").gold == 0
    assert report.score("contextLength").ignored == 1
    assert report.score("hasArchitecture").ignored == 1
    # a fact about an ambiguous entity is ignored too
    assert report.score("releaseDate").ignored == 1
    model = report.score("Model")
    assert (model.tp, model.fp, model.ignored, model.precision) == (2, 0, 1, 1.0)
    # and an ambiguous gold row that nobody predicted is no false negative
    assert report.false_negatives == [] and report.score("all facts").recall == 1.0
    ignored = {(m.category, m.subject, m.object) for m in report.ignored}
    assert ("Model", "Claude Code", "") in ignored
    assert ("contextLength", "LLAMA-2", "4000") in ignored


def test_unknown_entity_is_a_false_positive(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT + 'm:x a llmkg:Model ; rdfs:label "NotebookLM" .\n')
    model = report.score("Model")
    assert (model.tp, model.fp) == (2, 1)
    assert model.precision == pytest.approx(2 / 3)
    assert [m.subject for m in report.false_positives] == ["NotebookLM"]


def test_duplicates_are_counted(tmp_path, gold):
    turtle = PERFECT + """
m:llama-2b a llmkg:Model ; rdfs:label "Llama 2" .
m:llama-2c a llmkg:Model ; rdfs:label "llama_2" .
o:meta a llmkg:Organization ; rdfs:label "META" .
"""
    report = run(tmp_path, gold, turtle)
    assert report.duplicate_count == 3
    assert ("Model", ["LLAMA-2", "Llama 2", "llama_2"]) in report.duplicates
    assert report.score("Model").tp == 2  # duplicates do not inflate TP
    assert any(kind == "Model" and name == "Llama 2" for kind, name, _ in report.splits)


def test_missing_subject_is_reported_as_cause(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT.replace('"CodeLlama" ; skos:altLabel "Code Llama"',
                                                 '"Llama Coder"'))
    assert report.score("Model").fn == 1
    causes = {m.cause for m in report.false_negatives if m.category != "Model"}
    assert causes == {"subject entity missing"}


def test_render_text_and_json(tmp_path, gold):
    report = run(tmp_path, gold, PERFECT.replace(", 70000000000 .", " ."))
    text = report.render("text")
    header = text.splitlines()[0].split()
    assert header == ["predicate", "gold", "predicted", "TP", "FP", "FN", "ign", "P", "R", "F1"]
    assert any(line.split()[:4] == ["parameterCount", "2", "1", "1"] for line in text.splitlines())
    assert "Llama 2 -> 70000000000  [line 3]" in text
    data = json.loads(report.render("json"))
    row = next(r for r in data["scores"] if r["name"] == "parameterCount")
    assert row["recall"] == 0.5
    with pytest.raises(LlmkgError):
        report.render("xml")


def test_bad_gold_is_a_typed_error_with_line(tmp_path):
    path = tmp_path / "gold.tsv"
    path.write_text(GOLD + "fact\tLlama 2\tdevelopedBy\tOpenAI\t3\tsure\t\n", encoding="utf-8")
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert err.value.line == GOLD.count("\n") + 1
    path.write_text(GOLD.replace("\tsure\t\n", "\tmaybe\t\n", 1), encoding="utf-8")
    with pytest.raises(GoldError, match="status"):
        load_gold(path)


def test_missing_store_is_a_store_error(tmp_path, gold):
    with pytest.raises(StoreError):
        evaluate(gold, tmp_path / "nowhere")


@pytest.mark.parametrize("url", [
    "https://github.com/facebookresearch/codellama",
    "http://www.github.com/FacebookResearch/CodeLlama/",
    "https://github.com/facebookresearch/codellama.git",
    "https://github.com/facebookresearch/codellama/tree/main/llama",
])
def test_repository_urls_compare_case_blind(url):
    assert url_key(url) == "github.com/facebookresearch/codellama"


def test_bundled_gold_standard_is_well_formed():
    gold = load_gold(Path(__file__).parent / "gold" / "llm-landscape.tsv")
    papers = [e for e in gold.entities if e.kind == "Paper"]
    assert len(papers) == len({e.name for e in papers}) >= 50
    assert all(f.line > 0 for f in gold.facts)
