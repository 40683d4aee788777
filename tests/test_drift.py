"""Catalog drift: later catalog styles must yield the facts the plain style yields.

Each folder under tests/drift/ holds the same entries written twice:
plain.md in the early catalog's style (word link texts such as `git`/`ref`,
arxiv.org links, organisations as flat bullets, facts in prose) and
drifted.md in the later styles (emoji link texts, arXiv through mirror hosts
and /pdf/IDv2 links, organisations as nested bullet groups, a markdown table of
model facts, re-sorted sections). Their data graphs must agree on every
entity and fact; only where a fact sits (section, line) may differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHARED_CATALOGS
from llmkg import vocab as V
from llmkg.build import bundled_catalog, graph_quads
from llmkg.keys import key

DRIFT = Path(__file__).parent / "drift"
PAIRS = sorted(p for p in DRIFT.iterdir() if (p / "plain.md").is_file() and (p / "drifted.md").is_file())
# Where a fact sits, not what it says: sections, catalogs, the concept scheme.
PLACEMENT = {V.LLMKG + "inSection", V.LLMKG + "fromCatalog", V.SKOS + "broader", V.SKOS + "inScheme"}
RDF_TYPE, LABEL = V.RDF + "type", V.RDFS + "label"


def facts(catalog: Path) -> set[tuple[str, str, str]]:
    """The data graph's triples about models, organisations, papers and architectures."""
    quads, _ = graph_quads([catalog])
    data = [q for q in quads if q.graph_name.value == V.DATA_GRAPH]
    placed = {q.subject.value for q in data if q.predicate.value == RDF_TYPE
              and q.object.value in (V.SKOS + "Concept", V.SKOS + "ConceptScheme", V.LLMKG + "Catalog")}
    labels = {q.subject.value: key(q.object.value) for q in data if q.predicate.value == LABEL}
    # a spelling that differs from the label only in case, spaces or hyphens
    # ("Deepseek" for DeepSeek) says nothing new
    respelt = {(q.subject.value, q.object.value) for q in data if q.predicate.value == V.SKOS + "altLabel"
               and key(q.object.value) == labels.get(q.subject.value)}
    return {(q.subject.value, q.predicate.value, q.object.value) for q in data
            if q.predicate.value not in PLACEMENT and q.subject.value not in placed
            and (q.subject.value, q.object.value) not in respelt}


def about(triples, local: str) -> set[tuple[str, str]]:
    return {(p.rsplit("#", 1)[-1].rsplit("/", 1)[-1], o) for s, p, o in triples
            if s == V.iri("model", local)}


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_drifted_catalog_gives_the_same_facts(pair: Path) -> None:
    plain, drifted = facts(pair / "plain.md"), facts(pair / "drifted.md")
    models = {s for s, p, o in plain if p == RDF_TYPE and o == V.LLMKG + "Model"}
    assert len(models) >= 15, "the plain rendering itself lost entries"
    missing, extra = sorted(plain - drifted), sorted(drifted - plain)
    assert not missing and not extra, f"missing from drifted: {missing[:20]}\nonly in drifted: {extra[:20]}"


def test_links_pair_reads_mirrors_and_emoji_links() -> None:
    triples = facts(DRIFT / "links" / "drifted.md")
    # alphaxiv.org/abs/ID, arxiv.org/pdf/IDv2 and huggingface.co/papers/ID all name the arXiv paper
    assert ("describedIn", V.iri("paper", "2404.07839")) in about(triples, "recurrentgemma")
    assert ("describedIn", V.iri("paper", "2404.14219")) in about(triples, "phi3")
    assert ("describedIn", V.iri("paper", "2308.12966")) in about(triples, "qwenvl")
    # an emoji link text is a repository link, not a name
    assert ("repository", "https://github.com/apple/corenet") in about(triples, "openelm")
    assert not any(o in ("💻", "🤗", "📄") for _, p, o in triples if p == LABEL)
    # sizes of variants named inside the entry belong to the variants
    assert ("parameterCount", "3800000000") in about(triples, "phi3mini")
    assert ("variantOf", V.iri("model", "phi3")) in about(triples, "phi3mini")
    # the size inside "built on Qwen-7B" is Qwen-7B's, not Qwen-VL's
    assert not any(p == "parameterCount" for p, _ in about(triples, "qwenvl"))


def test_groups_tables_pair_reads_table_cells_and_nested_groups() -> None:
    triples = facts(DRIFT / "groups-tables" / "drifted.md")
    v3 = about(triples, "deepseekv3")
    assert {("parameterCount", "671000000000"), ("activeParameterCount", "37000000000"),
            ("hasArchitecture", V.iri("architecture", "mixtureofexperts")),
            ("developedBy", V.iri("organization", "deepseek"))} <= v3
    assert {("parameterCount", "600000000"), ("parameterCount", "32000000000")} <= about(triples, "qwen3")
    assert not any(p == "hasArchitecture" for p, _ in about(triples, "qwen3"))  # MoE "No"
    # the group heading "Organizations" is not an organisation; "Huggingface" is Hugging Face
    orgs = {s for s, p, o in triples if p == RDF_TYPE and o == V.LLMKG + "Organization"}
    assert V.iri("organization", "organizations") not in orgs
    assert ("developedBy", V.iri("organization", "huggingface")) in about(triples, "zephyr")
    assert ("variantOf", V.iri("model", "llama4")) in about(triples, "llama4scout")
    assert ("parameterCount", "109000000000") in about(triples, "llama4scout")


def test_spellings_and_variants_resolve_to_one_node(tmp_path) -> None:
    catalog = tmp_path / "spellings.md"
    catalog.write_text(
        "### **Models**\n\n"
        "- Deepseek\n  1. [DeepSeek-V3](https://github.com/deepseek-ai/DeepSeek-V3): 671B. [26 Dec 2024]\n"
        "- DeepSeek\n  1. [Deepseek V3](https://example.org/v3): MoE. [26 Dec 2024]\n"
        "- Huggingface\n  1. [SmolLM](https://huggingface.co/blog/smollm): 135M. [16 Jul 2024]\n"
        "- Hugging Face\n  1. [Zephyr](https://example.org/zephyr): fine-tuned from Mistral 7B. [25 Oct 2023]\n"
        "- Microsoft\n  1. [Phi-3](https://example.org/phi3): Phi-3-mini (3.8B) and Phi-3-small (7B). [Apr 2024]\n"
        "- Meta\n  1. [Llama 4](https://example.org/llama4): open MoE models, Llama 4 Scout and Maverick. [5 Apr 2025]\n",
        encoding="utf-8")
    triples = facts(catalog)
    nodes = {s for s, p, o in triples if p == RDF_TYPE}
    assert {V.iri("organization", "deepseek"), V.iri("organization", "huggingface")} <= nodes
    assert not any(n.endswith("/hugging-face") or n.endswith("/deepseek-v3") for n in nodes)
    assert len([n for n in nodes if "/model/deepseek" in n]) == 1
    assert ("variantOf", V.iri("model", "phi3")) in about(triples, "phi3mini")
    assert ("parameterCount", "3800000000") in about(triples, "phi3mini")
    assert not any(p == "parameterCount" for p, _ in about(triples, "phi3"))
    # "Llama 4 Scout and Maverick": the second variant's family is implied
    for variant in ("llama4scout", "llama4maverick"):
        assert ("variantOf", V.iri("model", "llama4")) in about(triples, variant)
    assert (V.LLMKG + "Model") not in {o for s, p, o in triples if s == V.iri("model", "maverick")}


def _names(catalog: Path) -> tuple[dict[str, str], set[str]]:
    """Name key -> IRI for every label and altLabel of a model or organisation; and the models."""
    quads, _ = graph_quads([catalog])
    kinds = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
             and q.object.value in (V.LLMKG + "Model", V.LLMKG + "Organization")}
    out: dict[str, str] = {}
    for q in quads:
        if q.subject.value in kinds and q.predicate.value in (LABEL, V.SKOS + "altLabel"):
            out.setdefault(key(q.object.value), q.subject.value)
    models = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
              and q.object.value == V.LLMKG + "Model"}
    return out, models


def test_entities_keep_their_iri_across_real_catalog_versions() -> None:
    versions = sorted(SHARED_CATALOGS.glob("*.md"))
    if not versions:
        pytest.skip("../shared/catalogs is not beside the project")
    versions.append(bundled_catalog())
    named = [_names(v) for v in versions]
    for (old, old_models), (new, _) in zip(named, named[1:]):
        shared = set(old) & set(new)
        moved = sorted((k, old[k], new[k]) for k in shared if old[k] != new[k])
        assert not moved, f"same name, different IRI across versions: {moved[:10]}"
        kept = {old[k] for k in shared} & old_models
        assert len(kept) >= 0.9 * len(old_models)
