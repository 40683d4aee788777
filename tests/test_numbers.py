"""Numbers that keep their meaning: sizes in names, ranges, per-expert, active and total
sizes, and the generated catalogs, which state all of them, build with 0 violations."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from llmkg.build import build
from llmkg.ingest import facts as F
from llmkg.ingest.extract import extract
from llmkg.ingest.parse import parse_text

ROOT = Path(__file__).resolve().parents[1]
B, M = 10**9, 10**6


def sizes(text: str) -> list[int]:
    return [f.value for f in F.find_sizes(text)]


@pytest.mark.parametrize("text, expected", [
    ("1.5-72B parameters", [1_500 * M, 72 * B]),         # the unit carried to the low end
    ("0.6-32B", [600 * M, 32 * B]),
    ("30B-235B", [30 * B, 235 * B]),
    ("0.135-270M", [135 * M, 270 * M]),                   # 0.135M is no model: a fraction of the unit above
    ("sizes from 0.135-1.7B", [135 * M, 1_700 * M]),
    ("1-3M", [1 * M, 3 * M]),
    ("7B, 13B and 70B", [7 * B, 13 * B, 70 * B]),
    ("Mixture-of-Experts with 671B parameters, 37B active", [671 * B, 37 * B]),
    ("22B per expert, 141B in total", [141 * B]),         # one expert's share is not the model's size
    ("8 experts of 7B each", []),
    ("3B parameters per expert and 64 experts", []),
    ("Gemma-3-270M", [270 * M]),                          # 'Name-2-270M': the 2 is a version, not a low end
])
def test_sizes(text: str, expected: list[int]) -> None:
    assert sorted(sizes(text)) == sorted(expected)


def test_a_range_low_end_is_marked_so_a_name_can_claim_it() -> None:
    low, high = F.find_sizes("Brahexkap 1.1-47B")
    assert low.note == F.LOW_END and not high.note


@pytest.mark.parametrize("text, expected", [
    ("Gemma-3-270M: a long-context model", []),          # a size in a name is never a window
    ("Qwen2.5-7B-Instruct-1M has a long context", []),
    ("Foo 270M: a long-context model for retrieval", []),  # what follows a colon describes the name
    ("a 1M-token context window", [1 * M]),
    ("4K-32K context", [4_000, 32_000]),                  # a range of windows, no name in it
    ("128K context", [128_000]),
])
def test_context_lengths(text: str, expected: list[int]) -> None:
    assert [f.value for f in F.find_context_lengths(text)] == expected


CATALOG = """# LLM

### **Models**

- Xersol
  1. [Kapbrafen-2-270M](https://huggingface.co/xersol/Kapbrafen-2-270M): a long-context model. Single GPU. [Sep 2020]
  2. [Kap Zed 270M](https://huggingface.co/xersol/Kap) a long-context model for retrieval. 8K context. [Sep 2020]
  3. [Brahexkap 1.1-47B](https://x.ai/a): MoE with 47B (7B activated). [Sep 2020]
  4. [Gamma 4](https://x.ai/c): MoE, 22B per expert, 141B in total, 39B active parameters. [Sep 2020]
  5. [Alpha 2](https://x.ai/b): 400B total parameters, 17B active, 16 experts. [Sep 2020]

| Model | Parameters | Attention Type | MoE |
| --- | --- | --- | --- |
| Cyrlen 3.1 | 0.135-600M | MLA | No |
| Cyrlen 4.1 | 1.5-72B | MLA | Yes, 8 experts (7B active) |
"""


def test_entries_and_rows_get_the_numbers_they_state() -> None:
    records = extract(parse_text(CATALOG, path="numbers.md")).records
    got = {r.name: sorted((f.predicate, f.value) for f in r.facts
                          if f.predicate in ("parameterCount", "activeParameterCount", "contextLength"))
           for r in records if r.kind == "model"}
    assert got == {
        "Kapbrafen-2-270M": [("parameterCount", 270 * M)],
        "Kap Zed 270M": [("contextLength", 8_000), ("parameterCount", 270 * M)],
        "Brahexkap 1.1-47B": [("activeParameterCount", 7 * B), ("parameterCount", 47 * B)],
        "Gamma 4": [("activeParameterCount", 39 * B), ("parameterCount", 141 * B)],
        "Alpha 2": [("activeParameterCount", 17 * B), ("parameterCount", 400 * B)],
        "Cyrlen 3.1": [("parameterCount", 135 * M), ("parameterCount", 600 * M)],
        "Cyrlen 4.1": [("activeParameterCount", 7 * B), ("parameterCount", 1_500 * M),
                       ("parameterCount", 72 * B)],
    }


def _generator():
    spec = importlib.util.spec_from_file_location("gen_catalog", ROOT / "bench" / "gen_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_catalog", module)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_generated_slice_builds_with_no_violation(seed: int, tmp_path: Path) -> None:
    catalog = tmp_path / f"generated-{seed}.md"
    catalog.write_text(_generator().generate(5000, seed=seed), encoding="utf-8")
    report = build([catalog], store=tmp_path / "store", validate=True)
    violations = [r for r in report.validation.results if r.severity == "Violation"]
    assert not violations, "\n".join(f"{r.focus_label} {r.path} = {r.value_term} at {r.where}"
                                     for r in violations[:20])
    assert report.stored and report.class_counts
