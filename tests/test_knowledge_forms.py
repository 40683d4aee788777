"""The long tail of knowledge (issue 18): architectures from structure, organisations
in every form, models introduced in prose and release tables, identity across rewrites.
Each rule is shown on the drift pair of its class and on small catalogs of invented names."""

from __future__ import annotations

from pathlib import Path

from test_drift import DRIFT, LABEL, _types, about, facts
from llmkg import vocab as V
from llmkg.ingest.lexicon import load_lexicon

LEX = load_lexicon()


def _catalog(tmp_path: Path, text: str) -> set:
    path = tmp_path / "catalog.md"
    path.write_text(text, encoding="utf-8")
    return facts(path)


def _labels(triples, kind: str) -> set[str]:
    nodes = _types(triples, kind)
    return {o for s, p, o in triples if p == LABEL and s in nodes}


# -- architectures from structure -------------------------------------------------------------
def test_architecture_pair_gives_each_model_its_sections_architecture() -> None:
    triples = facts(DRIFT / "architecture-sections" / "drifted.md")
    arch = {local: V.iri("architecture", local) for local in (
        "mixtureofexperts", "diffusionmodel", "worldmodel", "recursivereasoningmodel", "linearattention")}
    assert ("hasArchitecture", arch["mixtureofexperts"]) in about(triples, "zorbolite2")
    assert ("hasArchitecture", arch["diffusionmodel"]) in about(triples, "mercu1")
    assert ("hasArchitecture", arch["worldmodel"]) in about(triples, "genia3")
    assert ("hasArchitecture", arch["recursivereasoningmodel"]) in about(triples, "trx7m")
    assert ("hasArchitecture", arch["linearattention"]) in about(triples, "kestrel2")
    assert set(arch.values()) <= _types(triples, "Architecture")
    # a heading that names an architecture is no model, and gives its name to no model
    assert not {"World Models", "Diffusion Language Models", "Mixture of Experts"} & _labels(triples, "Model")


def test_architecture_too_common_in_prose_is_read_only_from_structure(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Research\n\n"
                       "- [Language Models Represent Space and Time](https://arxiv.org/abs/2310.02207): LLMs learn world models of "
                       "space and time. [3 Oct 2023]\n")
    assert not _types(triples, "Architecture")
    assert LEX.architectures_named("World Models") and not LEX.architectures_in("learn world models")


# -- organisations in every form -----------------------------------------------------------------
def test_a_division_of_a_known_organisation_is_that_organisation() -> None:
    for name, org in [("NVIDIA Research", "NVIDIA"), ("Alibaba Cloud", "Alibaba"), ("Tencent AI Lab", "Tencent"),
                      ("Meta Superintelligence Labs", "Meta"), ("Apple Machine Learning Research", "Apple")]:
        assert LEX.organization(name).name == org, name
    assert LEX.organization("Mistral Small") is None and LEX.organization("Google AI Studio") is None


def test_a_maker_after_from_is_read_unless_the_from_is_lineage(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Models\n\n"
                       "- [Vexa 2](https://example.org/vexa): a 7B model from Vexa Labs. [Jan 2025]\n"
                       "- [Tarn 3](https://example.org/tarn): a 3B model distilled from Meta. [Feb 2025]\n")
    assert ("developedBy", V.iri("organization", "vexalabs")) in about(triples, "vexa2")
    assert not any(p == "developedBy" for p, _ in about(triples, "tarn3"))


# -- issue 20, point 14: misreads of a name ------------------------------------------------------------
def test_variants_listed_after_a_title_that_is_one_of_them_share_its_stem(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Models\n\n- Anthropic\n"
                       "  1. [Orbis 3 Grand](https://example.org/orbis-3): the largest of the new LLMs. "
                       "Three variants: Grand, Middle, and Petite. [Mar 2024]\n")
    assert _labels(triples, "Model") == {"Orbis 3 Grand", "Orbis 3 Middle", "Orbis 3 Petite"}
    # siblings of the title, not variants of it
    assert not any(p == "variantOf" for p, _ in about(triples, "orbis3middle"))


def test_a_generic_tail_is_kept_when_the_name_before_it_is_cut_mid_phrase(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Models\n\n- Apple\n"
                       "  1. [Pomme Intelligence Foundation Language Models](https://example.org/p): "
                       "a 3B on-device model. [Jun 2024]\n"
                       "  1. [Pomme Nova Foundation Models](https://example.org/n): a 7B model. [Jul 2024]\n")
    assert _labels(triples, "Model") == {"Pomme Intelligence Foundation Language Models", "Pomme Nova"}


def test_organization_forms_pair_reads_acronyms_divisions_and_family_headings() -> None:
    triples = facts(DRIFT / "organization-forms" / "drifted.md")
    org = lambda local: V.iri("organization", local)  # noqa: E731
    assert _types(triples, "Organization") == {org(k) for k in ("nvidia", "alibaba", "kii", "orbisai", "voxel")}
    assert ("developedBy", org("nvidia")) in about(triples, "nemotronh8b")  # "NVIDIA Research"
    assert ("developedBy", org("alibaba")) in about(triples, "wanx2.1")  # "Alibaba Cloud"
    assert ("developedBy", org("kii")) in about(triples, "falco310b")  # an acronym as the heading
    # "#### Orbis" over "Orbis 2 ... by Orbis AI": one maker, by its fuller name
    assert ("developedBy", org("orbisai")) in about(triples, "orbis2mini")
    assert (org("orbisai"), LABEL, "Orbis AI") in triples
    # "#### Voxel" over "[Voxel]", "Voxel 4", "Voxel 4 Flash": a lab named like its family
    assert ("developedBy", org("voxel")) in about(triples, "voxel4flash")
    assert V.iri("model", "voxel") not in _types(triples, "Model")


# -- models introduced in prose, history paragraphs and announcements ------------------------------
def test_prose_pair_reads_models_from_a_history_paragraph_and_announcements() -> None:
    triples = facts(DRIFT / "prose-models" / "drifted.md")
    quill = V.iri("organization", "quilllabs")
    assert _types(triples, "Model") == {V.iri("model", k) for k in ("aa2", "bb3", "zeta", "orca5", "orca4v", "orca5.1")}
    # "| **Orca 5.1** | Nov 2025: faster |" in a table of the family's releases; "Memory" is no model
    assert ("releaseDate", "2025-11") in about(triples, "orca5.1")
    # "Aa 2 (7B) and Bb-3 (3B) from Quill Labs": each its own size, the maker of both
    assert {("developedBy", quill), ("parameterCount", "7000000000"), ("releaseDate", "2025-01")} <= \
        about(triples, "aa2")
    assert ("parameterCount", "7000000000") not in about(triples, "bb3")
    # "Then Quill Labs released Zeta, fine-tuned from Aa 2"
    assert {("developedBy", quill), ("fineTunedFrom", V.iri("model", "aa2"))} <= about(triples, "zeta")
    # "Introducing Orca 5", "Orca-4V(ision) system card"
    assert (V.iri("model", "orca4v"), V.SKOS + "altLabel", "Orca-4Vision") in triples


def test_a_sentence_names_models_with_their_maker_only_when_all_are_versioned() -> None:
    from llmkg.ingest.mentions import models_named

    assert [m.name for m in models_named("Then Kx 2 and Ly-3 from Quill Labs arrived.", LEX)] == ["Kx 2", "Ly-3"]
    assert models_named("trained on data from Common Crawl and Books3 by us", LEX) == []
    assert models_named("The Zephyr and Tulu recipes from AI2 are open", LEX) == []
    assert [m.name for m in models_named("Later Zeta, fine-tuned from Aa 2, followed.", LEX)] == ["Zeta"]


# -- identity across rewrites --------------------------------------------------------------------------
def test_identity_pair_keeps_variants_beside_their_base_and_rows_moved_into_a_table() -> None:
    triples = facts(DRIFT / "identity-rewrites" / "drifted.md")
    # "[Orbit-5 Thinking / Instant]": a mode word after the slash takes the family's stem
    for mode in ("orbit5thinking", "orbit5instant"):
        assert V.iri("model", mode) in _types(triples, "Model")
    assert (V.iri("model", "orbit5instant"), LABEL, "Orbit-5 Instant") in triples
    assert (V.iri("model", "kumok2"), LABEL, "Kumo K2") in triples
    assert ("parameterCount", "70000000000") in about(triples, "lark3.5pro")  # moved into a table


def test_a_middle_dot_keys_as_a_space_or_a_versions_dot() -> None:
    from llmkg.ingest.text import plain_text
    from llmkg.keys import key

    assert plain_text("DALL·E 3, Llama 3·1 and 人工知能・深層学習") == "DALL·E 3, Llama 3.1 and 人工知能・深層学習"
    assert key(plain_text("Llama 3·1")) == key("Llama 3.1") != key("Llama 31")
    assert key("Kumo·K2") == key("Kumo K2") == key("Kumo-K2")
    assert key("Nimbus2.5 Flash") == key("Nimbus 2.5-Flash")  # written without a hyphen or a space


def test_a_preview_written_apart_is_the_model_and_its_date_yields_to_the_release(tmp_path) -> None:
    triples = _catalog(tmp_path, "### **OpenAI**\n\n"
                       "- [Orca 7](https://example.org/o7): our reasoning model, 70B. [16 Apr 2025]\n"
                       "- [Orca 7 preview](https://example.org/o7p): announced. [20 Dec 2024]\n"
                       "- [Orca-8-preview](https://example.org/o8p): a 9B model. [Jan 2025]\n")
    assert {("releaseDate", "2025-04-16"), (V.SKOS + "altLabel", "Orca 7 preview")} <= {
        (p if p != "altLabel" else V.SKOS + "altLabel", o) for p, o in about(triples, "orca7")}
    assert ("releaseDate", "2024-12-20") not in about(triples, "orca7")
    assert V.iri("model", "orca7preview") not in _types(triples, "Model")
    assert V.iri("model", "orca8preview") in _types(triples, "Model")  # joined: part of the name


def test_a_known_familys_versioned_names_are_models_in_a_table_of_releases(tmp_path) -> None:
    triples = _catalog(tmp_path, "### **Anthropic**\n\n"
                       "- [Orca Grand 4](https://example.org/og4): a frontier model. [May 2025]\n\n"
                       "#### Release history\n\n| Version | Highlights |\n| --- | --- |\n"
                       "| **Orca Grand 4.6** | Feb 2026: longer agentic tasks |\n"
                       "| Orca Middle 4.6 | faster |\n| Claude Code 2 | a coding tool |\n"
                       "| Improved tools | Jan 2026 |\n")
    assert _labels(triples, "Model") == {"Orca Grand 4", "Orca Grand 4.6", "Orca Middle 4.6"}
    assert {("developedBy", V.iri("organization", "anthropic")), ("releaseDate", "2026-02")} <= \
        about(triples, "orcagrand4.6")


def test_an_organisation_with_its_acronym_in_parentheses_is_read(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Safety\n\n"
                       "- Wardlow Alignment Research Institute (WARI): a leading organization in AI safety. "
                       "[✍️](https://wari.example)\n"
                       "- [Zeta 2](https://example.org/z): a 7B model. [Jan 2025]\n")
    assert (V.iri("organization", "wari"), LABEL, "Wardlow Alignment Research Institute") in triples


def test_a_name_that_is_an_architectures_is_no_model(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Vision models\n\n"
                       "- `Z-Former (Querying Transformer)`: A transformer model of two submodules.\n"
                       "- [Diffusion Language Models](https://example.org/dllm): models that denoise text.\n"
                       "- [Zeta 2](https://example.org/z): a 7B model. [Jan 2025]\n")
    assert _labels(triples, "Model") == {"Zeta 2"}


def test_a_lineage_targets_apposition_names_its_maker(tmp_path) -> None:
    triples = _catalog(tmp_path, "### Code models\n\n"
                       "- [Vexa3-Coder](https://github.com/VexaLM/Vexa3-Coder): Vexa3-Coder is the code version "
                       "of Vexa3, the large language model series developed by Qwen team, Alibaba Cloud. [Jul 2025]\n")
    assert ("basedOn", V.iri("model", "vexa3")) in about(triples, "vexa3coder")
    assert ("developedBy", V.iri("organization", "alibaba")) in about(triples, "vexa3")


# -- models introduced in research and product entries ------------------------------------------------
def test_research_pair_reads_models_from_research_and_product_entries() -> None:
    triples = facts(DRIFT / "research-models" / "drifted.md")
    models = _labels(triples, "Model")
    assert {"Wordsmith", "LaDiM", "vec-embed-4-small", "vec-embed-4-large", "Breeze-7B-gamma"} <= models
    # a title that names a class of models, with no coined name opening its text, is no model
    assert not {m for m in models if "Concept" in m or "Diffusion" in m}
    assert ("developedBy", V.iri("organization", "microsoft")) in about(triples, "wordsmith")
    assert ("hasArchitecture", V.iri("architecture", "diffusionmodel")) in about(triples, "ladim")
    assert ("describedIn", V.iri("paper", "2502.09992")) in about(triples, "ladim")
    assert ("releaseDate", "2024-01-25") in about(triples, "vecembed4small")
    # a size inside a name that goes on after it; the variant's own repository
    assert {("parameterCount", "7000000000"), ("repository", "https://huggingface.co/HuggingFaceH4/breeze-7b-gamma")} \
        <= about(triples, "breeze7bgamma")
    assert ("parameterCount", "7000000000") in about(triples, "gale7bv0.1")


def test_a_maker_that_trained_something_makes_it_a_model_only_when_it_is_one(tmp_path) -> None:
    triples = _catalog(tmp_path, "# Research\n\n### **Methods**\n\n"
                       "- [Quillo](https://alphaxiv.org/abs/2301.00001): Microsoft's researchers trained a "
                       "small language model that rewrites prompts. [3 Jan 2023]\n"
                       "- [Parra](https://alphaxiv.org/abs/2301.00002): Microsoft's researchers built a "
                       "benchmark of hard prompts. [4 Jan 2023]\n"
                       "- [Zemo](https://alphaxiv.org/abs/2301.00003): Acme Unknown trained a model of prompts. [5 Jan 2023]\n")
    models = _labels(triples, "Model")
    assert "Quillo" in models and "Parra" not in models and "Zemo" not in models


def test_a_coined_name_opening_a_class_title_is_its_model_a_version_is_not(tmp_path) -> None:
    triples = _catalog(tmp_path, "# Research\n\n### **Methods**\n\n"
                       "- [Small Recursive Models](https://alphaxiv.org/abs/2302.00001): TinyRec's core is "
                       "a loop. [3 Feb 2023]\n"
                       "- [Sparse Language Models](https://alphaxiv.org/abs/2302.00002): Pruning's effect is "
                       "large. [4 Feb 2023]\n"
                       "- [Fast Models](https://alphaxiv.org/abs/2302.00003): Sparse weights help. [5 Feb 2023]\n")
    models = _labels(triples, "Model")
    assert "TinyRec" in models and not models & {"Pruning", "Sparse", "Small Recursive", "Fast"}


def test_a_trailing_size_of_a_lineage_target_names_the_base_not_a_model_of_its_own(tmp_path) -> None:
    triples = _catalog(tmp_path, "# Models\n\n### **Large Language Model Collection**\n\n- Acme\n"
                       "  1. Quokka: a model fine-tuned from Wombat 7B [Jan 2024]\n"
                       "  1. Wombat: a model [Dec 2023]\n"
                       "  1. Numbat: a model fine-tuned from Dingo-13B-v2 [Feb 2024]\n")
    assert not any(p == "parameterCount" for p, _ in about(triples, "wombat"))
    assert ("parameterCount", "13000000000") in about(triples, "dingo13bv2")


def test_table_rows_take_their_headings_maker_unless_a_makers_group_stands_between(tmp_path) -> None:
    triples = _catalog(tmp_path, "# Models\n\n### **Large Language Model Collection**\n\n#### **Anthropic**\n\n"
                       "- Quarto 9: a model [Jan 2026]\n\n| Version | Released |\n| --- | --- |\n"
                       "| Quarto Opus 9.1 | Feb 2026 |\n\n- Google\n  1. Gemma 9: a model [Jan 2026]\n\n"
                       "  | Model | Size |\n  | --- | --- |\n  | Gemma 9 Flash | 8B |\n")
    assert ("developedBy", V.iri("organization", "anthropic")) in about(triples, "quartoopus9.1")
    # the second table may be the Google group's: the heading's Anthropic is not said of it
    assert not any(p == "developedBy" for p, _ in about(triples, "gemma9flash"))
