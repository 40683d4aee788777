"""A large catalog parses in chunks (in parallel); the graph must be the same as in one piece."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SHARED_CATALOGS
from llmkg.ingest.extract import extract_chunk
from llmkg.ingest.mapping import to_quads
from llmkg.ingest.parse import read_text, split_text
from llmkg.ingest.resolve import resolve

LINES_PER_CHUNK = 7


def _chunks(path: Path) -> int:
    return len(split_text(read_text(path)[0], path=path, lines_per_chunk=LINES_PER_CHUNK))


# catalogs with sections enough to be cut (a chunk boundary is a section start)
CATALOGS = [p for p in [ROOT / "data" / "llm-landscape.md", *sorted(SHARED_CATALOGS.glob("*.md")),
                        *sorted((ROOT / "tests" / "drift").glob("*/*.md"))] if _chunks(p) > 1]


def test_the_bundled_catalog_and_most_drift_pairs_are_cut() -> None:
    drift = sorted((ROOT / "tests" / "drift").glob("*/*.md"))
    assert ROOT / "data" / "llm-landscape.md" in CATALOGS
    assert sum(p in CATALOGS for p in drift) >= len(drift) // 2


def graph(path: Path, lines_per_chunk: int) -> tuple[list[str], list[str], int]:
    text, _ = read_text(path)
    records, problems, resources = [], [], 0
    for chunk in split_text(text, path=path, lines_per_chunk=lines_per_chunk):
        extraction = extract_chunk(chunk)
        records += extraction.records
        problems += map(str, extraction.problems)
        resources += extraction.resources
    return [str(q) for q in to_quads(resolve(records))], sorted(problems), resources


@pytest.mark.parametrize("path", CATALOGS, ids=[p.name for p in CATALOGS])
def test_small_chunks_give_the_same_graph(path: Path) -> None:
    whole = graph(path, 10**9)
    pieces = graph(path, LINES_PER_CHUNK)
    assert pieces == whole


def test_cuts_fall_only_at_section_starts() -> None:
    text = ("# T\n\n- <details>\n- a\n\n```\n- not a block\n- inside a fence\n```\n"
            "para line\n- interrupts a paragraph\n\n## S\n- b\n")
    chunks = split_text(text, path="x.md", lines_per_chunk=1)
    starts = [c.first_line for c in chunks]
    lines = text.split("\n")
    assert all(lines[s - 1].startswith(("#", "- ")) for s in starts[1:])
    assert 7 not in starts and 8 not in starts and 11 not in starts  # fence, paragraph
    assert chunks[-1].headings[-1].text == "S" or lines[starts[-1] - 1].startswith("## S")


def test_parallel_build_equals_sequential(tmp_path, monkeypatch) -> None:
    """Through build(): chunks in worker processes give the one-piece graph."""
    from llmkg import build as build_module
    from llmkg.store import open_store

    def quads(store):
        return sorted(str(q) for q in open_store(store).quads_for_pattern(None, None, None, None))

    catalog = ROOT / "data" / "llm-landscape.md"
    build_module.build([catalog], store=tmp_path / "one", validate=False)
    monkeypatch.setattr(build_module, "LINES_PER_CHUNK", 40)
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: 2)
    build_module.build([catalog], store=tmp_path / "many", validate=False)
    assert quads(tmp_path / "many") == quads(tmp_path / "one")
