"""Property tests: the ingester never crashes on arbitrary markdown.

CI runs a few hundred cases; `HYPOTHESIS_PROFILE=long` (tests/README.md) runs many more.
"""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from llmkg.ingest.extract import extract
from llmkg.ingest.mapping import to_quads
from llmkg.ingest.parse import parse_text
from llmkg.ingest.resolve import resolve

FRAGMENTS = st.sampled_from([
    "### **Models**\n", "- Meta\n", "  1. ", "- ", "[Llama 2](https://x.org/a)", "[git](https://github.com/a/b)",
    "[ref](https://arxiv.org/abs/2307.09288)", ": ", "7B, 13B, and 70B", "activated 17b / total 109b",
    "128K context", "[18 Jul 2023]", "[Auf 2024]", "[2099]", " / ", "fine-tuned from LLaMA", "\n",
    "| Model | Parameters |\n| --- | --- |\n| X | 0.6-32B |\n", "ðŸ’¡", "(aka. Facebook)", "<br/>",
    "`code`", "![img](x.png)", "Three variants: Opus, Sonnet, and Haiku.", "[](", "]", "*", ">",
])


def run_pipeline(text: str) -> int:
    catalog = parse_text(text, path="fuzz.md")
    extraction = extract(catalog)
    entities = resolve(extraction.records)
    return sum(1 for _ in to_quads(entities, []))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
@example("- Foo - 7B\n")  # a lone dash before a size: an IndexError in 164 of 10,000 fuzzed catalogs
def test_never_crashes_on_catalog_like_markdown(text: str) -> None:
    assert run_pipeline(text) >= 0


@given(st.text(max_size=400))
def test_never_crashes_on_any_text(text: str) -> None:
    assert run_pipeline(text) >= 0
