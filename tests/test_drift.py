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

import re
from pathlib import Path

import pytest

from conftest import SHARED_CATALOGS
from llmkg import vocab as V
from llmkg.build import bundled_catalog, graph_quads
from llmkg.keys import key

DRIFT = Path(__file__).parent / "drift"
# models each plain rendering names (read off the catalogs by hand)
PLAIN_MODELS = {"links": 15, "groups-tables": 15, "headings-orgs": 7, "emoji-links": 6, "model-tables": 7,
                "toc-anchors": 2, "research-sections": 2, "maker-structures": 5,
                "open-tables": 6,
                "architecture-sections": 6, "organization-forms": 8,
                "prose-models": 6, "identity-rewrites": 6, "research-models": 10}
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
    assert len(models) >= PLAIN_MODELS[pair.name], "the plain rendering itself lost entries"
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


def _types(triples, kind: str) -> set[str]:
    return {s for s, p, o in triples if p == RDF_TYPE and o == V.LLMKG + kind}


def test_headings_orgs_pair_reads_makers_from_headings() -> None:
    triples = facts(DRIFT / "headings-orgs" / "drifted.md")
    orgs = _types(triples, "Organization")
    # makers the lexicon does not know count because their entries are models
    assert {V.iri("organization", k) for k in ("moonshotai", "zhipuai", "stepfun", "meta")} <= orgs
    assert V.iri("organization", "domainspecific") not in orgs
    assert ("developedBy", V.iri("organization", "moonshotai")) in about(triples, "kimik2")
    assert ("activeParameterCount", "32000000000") in about(triples, "kimik2")
    assert ("developedBy", V.iri("organization", "stepfun")) in about(triples, "stepaudio")


def test_maker_structures_pair_finds_makers_in_labels_prose_products_and_providers() -> None:
    triples = facts(DRIFT / "maker-structures" / "drifted.md")
    assert _types(triples, "Organization") == {V.iri("organization", k) for k in (
        "acmelabs", "gammaai", "delta", "epsilonresearch")}  # not "Other models", "Frontier Models"
    assert ("developedBy", V.iri("organization", "acmelabs")) in about(triples, "acme13b")  # a bold label
    assert ("developedBy", V.iri("organization", "gammaai")) in about(triples, "gamma2")  # "model by"
    assert ("developedBy", V.iri("organization", "epsilonresearch")) in about(triples, "epsilon3")
    assert ("developedBy", V.iri("organization", "delta")) in about(triples, "delta1")  # "Delta Products"
    assert V.iri("model", "deltachat") not in _types(triples, "Model")


def test_emoji_links_pair_strips_emoji_and_owners() -> None:
    triples = facts(DRIFT / "emoji-links" / "drifted.md")
    labels = {o for s, p, o in triples if p == LABEL}
    assert not any(ch in label for label in labels for ch in "🤗✍️✨📑")
    assert "Gemma 3 Small" in labels and "facebookresearch" not in labels
    assert ("repository", "https://github.com/facebookresearch/ImageBind") in about(triples, "imagebind")
    assert ("describedIn", V.iri("paper", "2304.02643")) in about(triples, "sam")
    assert ("contextLength", "128000") in about(triples, "commandr")


def test_model_tables_pair_splits_cells_into_models() -> None:
    triples = facts(DRIFT / "model-tables" / "drifted.md")
    r1 = about(triples, "deepseekr1")
    assert {("parameterCount", "671000000000"), ("activeParameterCount", "37000000000"),
            ("hasArchitecture", V.iri("architecture", "mixtureofexperts"))} <= r1
    assert ("parameterCount", "4000000000") in about(triples, "gemma3n")
    assert ("parameterCount", "4000000000") not in about(triples, "gemma3")
    assert {("parameterCount", str(n * 10**8)) for n in (6, 320, 300, 2350)} <= about(triples, "qwen3")
    assert ("parameterCount", "17000000") in about(triples, "ettin")
    models = _types(triples, "Model")
    assert not {V.iri("model", k) for k in ("moe", "dense", "17m", "r1")} & models


def test_toc_anchors_pair_has_no_entities_from_anchor_links() -> None:
    plain, drifted = facts(DRIFT / "toc-anchors" / "plain.md"), facts(DRIFT / "toc-anchors" / "drifted.md")
    assert _types(drifted, "Model") == _types(plain, "Model") == {
        V.iri("model", "mistralsmall3.1"), V.iri("model", "codestral")}
    assert _types(drifted, "Organization") == {V.iri("organization", "mistralai")}


def test_research_pair_keeps_models_among_method_papers() -> None:
    triples = facts(DRIFT / "research-sections" / "drifted.md")
    assert _types(triples, "Model") == {V.iri("model", "orca2"), V.iri("model", "tinyllama")}
    assert ("parameterCount", "1100000000") in about(triples, "tinyllama")
    assert len(_types(triples, "Paper")) == 6  # LoRA, QLoRA, DPO ... stay papers


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


def _names(catalog: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Name key -> IRI for every label and altLabel of a model or organisation; and model IRI -> label."""
    quads, _ = graph_quads([catalog])
    kinds = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
             and q.object.value in (V.LLMKG + "Model", V.LLMKG + "Organization")}
    out: dict[str, str] = {}
    for q in quads:
        if q.subject.value in kinds and q.predicate.value in (LABEL, V.SKOS + "altLabel"):
            out.setdefault(key(q.object.value), q.subject.value)
    models = {q.subject.value for q in quads if q.predicate.value == RDF_TYPE
              and q.object.value == V.LLMKG + "Model"}
    labels = {q.subject.value: q.object.value for q in quads
              if q.predicate.value == LABEL and q.subject.value in models}
    return out, labels


# The bundled catalog is the landscape page as of 2025-06-03 (../shared/DESIGN.md); the
# others carry their date in their file name.
BUNDLED_DATE = "2025-06-03"


SHARED_SEEDS = SHARED_CATALOGS.parent / "seeds"


def _versions() -> list[Path]:
    """Every version beside the project, in date order: the dated catalogs, the bundled
    one, and each seed whose text is not already one of them (the seed of the bundled
    catalog is the bundled catalog)."""
    dated = [(re.search(r"\d{4}-\d{2}-\d{2}", p.name).group(0), p) for p in SHARED_CATALOGS.glob("*.md")
             if re.search(r"\d{4}-\d{2}-\d{2}", p.name)]
    versions = [*dated, (BUNDLED_DATE, bundled_catalog())]
    texts = {p.read_bytes() for _, p in versions}
    for seed in sorted(SHARED_SEEDS.glob("*")) if SHARED_SEEDS.is_dir() else []:
        if seed.is_file() and seed.read_bytes() not in texts:
            versions.append((BUNDLED_DATE, seed))
    return [p for _, p in sorted(versions)]


def _written(label: str, text: str) -> bool:
    """Is the name written in the catalog's prose (not only inside a URL)?"""
    return re.search(rf"(?<![\w./-]){re.escape(label)}(?![\w-])", text, re.I) is not None


def test_entities_keep_their_iri_across_real_catalog_versions() -> None:
    if not list(SHARED_CATALOGS.glob("*.md")):
        pytest.skip("../shared/catalogs is not beside the project")
    versions = _versions()
    # every shared catalog and seed is one of the versions compared (or the bundled one's text)
    assert len(versions) >= len(list(SHARED_CATALOGS.glob("*.md"))) + 1
    named = [_names(v) for v in versions]
    # every name a model or organisation carries in two versions, any two, names one IRI
    for i, (old, _) in enumerate(named):
        for new, _ in named[i + 1:]:
            moved = sorted((k, old[k], new[k]) for k in set(old) & set(new) if old[k] != new[k])
            assert not moved, f"same name, different IRI across versions: {moved[:10]}"
    # a model stays a model while the next version still writes its name (in its prose,
    # not only in a URL); a few may stay only as passing mentions there
    for (old_path, (_, old_models)), (new_path, (_, new_models)) in zip(
            zip(versions, named), zip(versions[1:], named[1:])):
        text = re.sub(r"\]\([^)]*\)|https?://\S+", "]", new_path.read_text(encoding="utf-8"))
        vanished = sorted(label for iri, label in old_models.items()
                          if iri not in new_models and _written(label, text))
        assert len(vanished) <= 0.02 * len(old_models), \
            f"{old_path.name} -> {new_path.name}: models vanished though named: {vanished}"


def test_open_tables_pair_reads_columns_by_their_headers() -> None:
    triples = facts(DRIFT / "open-tables" / "drifted.md")
    # 'Params (B)' gives bare numbers their unit; a range gives both ends, a list each size
    assert {("parameterCount", "7000000000"), ("parameterCount", "70000000000"),
            ("contextLength", "4096"), ("releaseDate", "2023-06"),  # the HTML comment is no date
            ("developedBy", V.iri("organization", "meta"))} <= about(triples, "llama2")
    assert {("parameterCount", str(n * 10**8)) for n in (38, 70, 140)} <= about(triples, "phi3")
    # '32k' is 32,000 tokens; 'Apache 2.0' is the SPDX licence; the checkpoint owner names the maker
    assert {("contextLength", "32000"), ("license", "http://spdx.org/licenses/Apache-2.0"),
            ("developedBy", V.iri("organization", "mistralai"))} <= about(triples, "mistral7b")
    # a demo link is not the model's repository
    assert not any(o.startswith("https://github.com/someone") for _, o in about(triples, "mistral7b"))
    # a personal account names no organisation
    assert not any(p == "developedBy" for p, _ in about(triples, "openhermes"))
    # a table of datasets gives no models
    assert not {V.iri("model", "redpajama"), V.iri("model", "fineweb")} & _types(triples, "Model")
