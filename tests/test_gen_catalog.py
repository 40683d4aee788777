"""The synthetic catalog generator used by the benchmarks (bench/gen_catalog.py)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GEN_PATH = ROOT / "bench" / "gen_catalog.py"

ENTRY = re.compile(r"^(?:  1\. |- )\[(?P<name>[^\]]+)\]\((?P<url>[^)]+)\)")
DATE = re.compile(r"\[(?:(\d{1,2}) )?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4})\]")
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
LINEAGE = re.compile(r"(?:[Ff]ine-tuned from|[Bb]uilt on top of|built using|reproduction of) "
                     r"(.+?)\.(?: \[|$)")


def _load():
    spec = importlib.util.spec_from_file_location("gen_catalog", GEN_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_catalog", module)
    spec.loader.exec_module(module)
    return module


gen = _load()


def _entries(text: str) -> list[tuple[int, str]]:
    return [(no, line) for no, line in enumerate(text.splitlines(), 1) if ENTRY.match(line)]


@pytest.fixture(scope="module")
def catalog_2k() -> str:
    return gen.generate(2000, seed=7)


def test_same_seed_same_text_other_seed_other_text():
    assert gen.generate(500, seed=3) == gen.generate(500, seed=3)
    assert gen.generate(500, seed=3) != gen.generate(500, seed=4)


@pytest.mark.parametrize("n", [1, 17, 999, 2000])
def test_exactly_n_entries(n):
    assert len(_entries(gen.generate(n, seed=n))) == n


def test_rejects_empty_catalog():
    with pytest.raises(ValueError):
        gen.generate(0)


def test_names_unique_under_identity_key(catalog_2k):
    names = [ENTRY.match(line)["name"] for _, line in _entries(catalog_2k)]
    keys = [gen.identity_key(name) for name in names]
    assert len(set(keys)) == len(keys)
    groups = [line[2:] for line in catalog_2k.splitlines() if re.match(r"^- [A-Z][^\[]*$", line)]
    assert not {gen.identity_key(g) for g in groups} & set(keys)


def test_identity_key_matches_vocabulary_examples():
    assert gen.identity_key("Llama 3.1") == "llama3.1"
    assert gen.identity_key("DeepSeek-V3") == "deepseekv3"
    assert gen.identity_key("Hugging Face") == gen.identity_key("Huggingface") == "huggingface"


def test_every_entry_has_a_date_in_range(catalog_2k):
    for no, line in _entries(catalog_2k):
        dates = DATE.findall(line)
        assert dates, f"line {no} has no date: {line}"
        day, month, year = dates[-1]
        assert 2018 <= int(year) <= 2025, line
        if day:
            assert 1 <= int(day) <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][MONTHS.index(month)]


def test_lineage_names_an_earlier_released_model(catalog_2k):
    seen: dict[str, tuple[int, int, int]] = {}
    found = 0
    for _, line in _entries(catalog_2k):
        name = ENTRY.match(line)["name"]
        day, month, year = DATE.findall(line)[-1]
        date = (int(year), MONTHS.index(month) + 1, int(day or 0))
        for parent in LINEAGE.findall(line):
            found += 1
            assert parent in seen, f"{name} descends from unknown {parent!r}"
            assert seen[parent][:2] <= date[:2], f"{name} predates its parent {parent}"
        seen[name] = date
    assert found > 100  # about a quarter of the entries have a lineage phrase


def test_style_features_present(catalog_2k):
    text = catalog_2k
    assert re.search(r"^### \*\*.+\*\*$", text, re.M)
    assert re.search(r"\[git\]\(https://github\.com/[\w.-]+/[\w.-]+\)", text)
    assert re.search(r"\]\(https://arxiv\.org/abs/\d{4}\.\d{5}\)", text)
    assert re.search(r"activated [\d.]+b / total \d+b", text)
    assert re.search(r"\d+(?:\.\d+)?[BM], \d+(?:\.\d+)?[BM], and \d+(?:\.\d+)?B", text)
    assert re.search(r"\d+K context", text)
    assert "Mixture-of-Experts (MoE)" in text or "sparse MoE" in text
    assert "| Model | Parameters | Attention Type | MoE | Norm | Positional Encoding |" in text
    assert re.search(r"\| Yes, \d+ experts \([\d.]+B active\) \|", text)


def test_arxiv_ids_unique_and_match_release_month(catalog_2k):
    ids = re.findall(r"https://arxiv\.org/abs/(\d{4}\.\d{5})\)", catalog_2k)
    assert len(ids) == len(set(ids)) > 300
    for _, line in _entries(catalog_2k):
        day, month, year = DATE.findall(line)[-1]
        for ident in set(re.findall(r"arxiv\.org/abs/(\d{4})\.", line)):
            assert ident == f"{int(year) % 100:02d}{MONTHS.index(month) + 1:02d}", line


def test_fact_table_rows_name_entries_with_matching_sizes(catalog_2k):
    sizes_by_name = {}
    for _, line in _entries(catalog_2k):
        sizes_by_name[ENTRY.match(line)["name"]] = line
    rows = [line for line in catalog_2k.splitlines()
            if line.startswith("| ") and not line.startswith(("| Model", "| ---"))]
    assert rows
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert len(cells) == 6, row
        name, params = cells[0], cells[1]
        assert name in sizes_by_name, row
        largest = params.split("-")[-1]
        # the largest size in the table appears in the entry (as 70B, 70b or in the name)
        assert largest.lower().rstrip("b") + "b" in sizes_by_name[name].lower() or \
            largest in sizes_by_name[name], row


def test_cli_writes_file(tmp_path):
    out = tmp_path / "cat.md"
    subprocess.run([sys.executable, str(GEN_PATH), "50", "--output", str(out), "--seed", "2"],
                   check=True)
    assert out.read_text(encoding="utf-8") == gen.generate(50, seed=2)


def test_parser_finds_every_entry_and_table_row(tmp_path):
    parse = pytest.importorskip("llmkg.ingest.parse")
    if not hasattr(parse, "parse_catalog"):
        pytest.skip("llmkg.ingest.parse.parse_catalog not there yet")
    path = tmp_path / "synthetic.md"
    text = gen.generate(300, seed=11)
    path.write_text(text, encoding="utf-8")
    catalog = parse.parse_catalog(path)
    linked = [item for item in catalog.items if item.links]
    assert len(linked) == 300
    expected = [ENTRY.match(line)["name"] for _, line in _entries(text)]
    assert [item.links[0].text for item in linked] == expected
    rows = text.count("\n| ") - 2 * text.count("| Model | Parameters")
    assert sum(len(table.rows) for table in catalog.tables) == rows > 0
