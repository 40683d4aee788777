"""The small functions that decide what an entry is (ingest/evidence, mentions, makers,
names, tables, facts): each rule on the sentences it was written for, and on the
near misses it must leave alone."""

from __future__ import annotations

import pytest

from llmkg.ingest import evidence as E
from llmkg.ingest import makers as M
from llmkg.ingest import names as N
from llmkg.ingest.facts import find_context_lengths, find_dates, find_sizes
from llmkg.ingest.lexicon import load_lexicon
from llmkg.ingest.mentions import models_named
from llmkg.ingest.tables import _ranged_sizes, _row_models
from llmkg.keys import key

LEX = load_lexicon()


@pytest.mark.parametrize("clause,noun", [
    ("an open source reasoning model", "model"),
    ("Open weights LLM from Google DeepMind", "model"),
    ("a video LLM excelling in temporal reasoning", "model"),
    ("a collection of models designed to detect risks", "model"),
    ("is a model trained by OpenAI", "model"),
    ("Sparse mixture of experts models (SMoE)", "model"),
    ("Open Weights and Open Data for State-of-the-Art Multimodal Models", "model"),
    ("a benchmark for LLMs designed with test set contamination", "other"),
    ("A Survey of Large Language Models", "other"),
    ("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models", "other"),
    ("a leading organization in AGI safety", "organization"),
    ("Training LLMs to Prioritize Privileged Instructions", None),  # a gerund: an action
    ("How Increasing Input Tokens Impacts LLM Performance", None),  # a question
    ("LLM based Reasoning Strategies", None),  # LLM qualifies another noun
    ("One Embedding Space to Bind Them All", None),
])
def test_head_noun_of_a_description(clause, noun) -> None:
    assert E.head_noun(clause, LEX) == noun


@pytest.mark.parametrize("heading,says", [
    ("Large Language Model Collection", True), ("MLLM (multimodal large language model)", True),
    ("LLM for Domain Specific", True), ("GPT series release date", True),
    ("Large Language Model Comparison", False), ("Survey on Large Language Models", False),
    ("Large Language Model: Challenges and Solutions", None), ("OSS", None),
])
def test_headings_that_list_models(heading, says) -> None:
    assert E.lists_models(heading, LEX) is says


@pytest.mark.parametrize("name,title", [
    ("Chain of Draft", True), ("Large Language Models as Optimizers", True),
    ("Simplifying Transformer Blocks", True), ("LLMs Represent Space", True),
    ("GPT-4 登場以降に出てきた ChatGPT", True),
    ("Llama 3.1", False), ("Grok 3 mini Reasoning", False), ("Segment Anything", False),
])
def test_names_that_read_as_titles(name, title) -> None:
    assert E.reads_as_title(name, LEX) is title


def test_intrinsic_evidence_weighs_what_the_entry_says() -> None:
    model = E.intrinsic([N.Name("Kimi K2")], "", ": 1T parameter MoE model", None,
                        ["https://huggingface.co/moonshotai/Kimi-K2-Instruct"], True, False, LEX)
    assert model.score >= E.MODEL + 3
    method = E.intrinsic([N.Name("Plan-and-Solve Prompting")], "", ": Develop a plan", None, [],
                         False, False, LEX)
    assert method.score < 0 and not E.plausible_name(method)
    post = E.intrinsic([N.Name("Grok")], "", "", "https://x.com/elonmusk/status/1", [], False, False, LEX)
    assert ("a post about it", -1) in post.reasons


def test_siblings_weigh_only_against_weak_entries() -> None:
    weak = E.context(maker=False, products=False, model_list=False, siblings=0.0, own=1)
    strong = E.context(maker=False, products=False, model_list=False, siblings=0.0, own=E.MODEL)
    assert weak.score == -1 and strong.score == 0
    assert E.context(maker=True, products=True, model_list=False, siblings=None).score == 1


@pytest.mark.parametrize("text,names", [
    ("In September 2023, OpenAI announced their latest image model, DALL-E 3 ✨ [Sep 2023]", ["DALL-E 3"]),
    ("With a score of 90.0%, Gemini Ultra is the first model to outperform human experts", ["Gemini Ultra"]),
    ("GPT-4 Turbo with 128K context, Assistants API (Code interpreter)", ["GPT-4 Turbo"]),
    ("All Large Language Models are in 1.58 Bits. BitNet b1.58, in which every single parameter "
     "(or weight) of the LLM is ternary", ["BitNet b1.58"]),
    ("we release Xyz-7B, a model for code", ["Xyz-7B"]),
    ("Anthropic released a Claude 3 AI prompt library", []),  # a library, not a model
    ("Direct Preference Optimization, a method without a reward model", []),
    ("outperforms GPT-4o on most benchmarks", []),  # in passing
    ("The model is a transformer. This Model is the best model.", []),
])
def test_models_a_prose_introduces(text, names) -> None:
    assert [m.name for m in models_named(text, LEX)] == names


@pytest.mark.parametrize("label,maker", [
    ("Meta (aka. Facebook)", ("Meta", True, False)),
    ("**OpenAI's Roadmap and Products**", ("OpenAI", True, True)),
    ("Acme Labs Products", ("Acme Labs", False, True)),
    ("Moonshot AI", ("Moonshot AI", False, False)),
    ("Domain-specific", None), ("Other models", None), ("Prompt Engineering", None),
])
def test_what_a_heading_says_of_its_maker(label, maker) -> None:
    found = M.maker_of(label, LEX)
    assert (found.name, found.known, found.products) == maker if maker else found is None


def test_makers_in_prose_titles_and_statements() -> None:
    assert M.titled_maker("landing.ai: Agentic Object Detection", ["https://landing.ai/x"]) == "landing.ai"
    assert M.titled_maker("Sakana.ai: Evolutionary Optimization", ["https://github.com/SakanaAI/x"]) == "Sakana.ai"
    assert M.titled_maker("Chain of Draft: Thinking Faster", ["https://arxiv.org/abs/1"]) is None
    stated = {name for name, _, _ in M.stated_organizations("a series of models (developed by Kakao)", set(), LEX)}
    assert stated == {"Kakao"}
    assert not M.stated_organizations("Developed by JAX [git]", set(), LEX)  # software, not a maker
    assert ("Google DeepMind", 0) in M.acting_makers("DeepMind proposed CoF", LEX)


@pytest.mark.parametrize("title,expected", [
    ("DeepSeek V3 / R1", ["DeepSeek V3", "DeepSeek R1"]),
    ("Gemma 3 / 3n", ["Gemma 3", "Gemma 3n"]),
    ("o3/o4-mini", ["o3", "o4-mini"]),
    ("Qwen3 (MoE)", ["Qwen3"]),
    ("facebookresearch / ImageBind", ["ImageBind"]),
    ("Command R+🤗", ["Command R+"]),
    ("Gemma 3✍️ Small", ["Gemma 3 Small"]),
    ("o3-mini system card", ["o3-mini"]),
    ("Amazon Nova Foundation Models", ["Amazon Nova"]),
    ("The Amazon Nova Family of Models", ["Amazon Nova"]),
])
def test_names_in_titles(title, expected) -> None:
    names, _ = N.clean_title(title, LEX)
    assert [n.label for n in names] == expected
    assert not any(a.lower() in ("moe", "dense") for n in names for a in n.aliases)


def test_table_cells_name_several_models() -> None:
    rows = _row_models(LEX, "Gemma 3 / 3n", "27B / 4B")
    assert [(n.label, s) for n, s, _ in rows] == [("Gemma 3", [27 * 10**9]), ("Gemma 3n", [4 * 10**9])]
    rows = _row_models(LEX, "SmolLM3 (3B), Ettin (17M)", "")
    assert [(n.label, s) for n, s, _ in rows] == [("SmolLM3", [3 * 10**9]), ("Ettin", [17 * 10**6])]
    assert _ranged_sizes("30B–235B".replace("–", "-")) == [30 * 10**9, 235 * 10**9]


@pytest.mark.parametrize("text,values", [
    ("128K context window", [128000]), ("can handle sequences up to 8,192 tokens", [8192]),
    ("max output of 32K tokens", []), ("compressed into blocks of 64 tokens", []),
    ("costs $3 per 1M tokens", []), ("vocabulary of 32K tokens", []),
    ("can process up to 1 million tokens of context", [1000000]),
])
def test_context_lengths_need_a_window(text, values) -> None:
    assert [f.value for f in find_context_lengths(text)] == values


def test_sizes_dates_and_keys() -> None:
    assert [f.value for f in find_sizes("117 million parameters")] == [117 * 10**6]
    assert find_dates("[30 Apr 2025)")[0].value.lexical == "2025-04-30"
    assert key("Zephyr-7B-β") != key("Zephyr 7B")
