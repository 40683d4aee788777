"""Units of a catalog version: read alone they give what the whole text gives, and a
cached unit's extraction is reused where the unit moved, with its lines shifted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_CATALOGS
from llmkg.history.units import Unit, decode, encode, expires, units
from llmkg.ingest.extract import extract_chunk
from llmkg.ingest.mapping import to_quads
from llmkg.ingest.parse import read_text, split_text
from llmkg.ingest.resolve import resolve

CATALOGS = [ROOT / "data" / "llm-landscape.md", *sorted(SHARED_CATALOGS.glob("*.md")),
            *sorted((ROOT / "tests" / "drift").glob("*/*.md"))]


def graph(records) -> list[str]:
    return sorted(str(q) for q in to_quads(resolve(records)))


def whole(text: str, name: str) -> list[str]:
    return graph(extract_chunk(split_text(text, path=name, lines_per_chunk=10**9)[0]).records)


def by_units(text: str, name: str) -> list[str]:
    records = []
    for unit in units(text, name=name):
        extraction = extract_chunk(unit.chunk)
        records += decode(json.loads(json.dumps(encode(extraction, unit.chunk))), unit.chunk).records
    return graph(records)


@pytest.mark.parametrize("path", CATALOGS, ids=[p.name for p in CATALOGS])
def test_units_read_alone_give_the_whole_catalog_graph(path: Path) -> None:
    """The contract the history cache stands on (if the ingester ever judges entries
    across headings, this fails and llmkg/history/units.py must cut coarser)."""
    text, _ = read_text(path)
    assert len(units(text, name=path.name)) >= 2
    assert by_units(text, path.name) == whole(text, path.name)


def test_units_join_back_into_the_text_and_start_at_headings() -> None:
    text, _ = read_text(ROOT / "data" / "llm-landscape.md")
    found = units(text, name="llm.md")
    assert "\n".join(u.chunk.text for u in found) == text
    assert all(u.chunk.text.startswith("#") for u in found[1:])
    assert len({u.key for u in found}) == len(found)


def test_a_moved_unit_keeps_its_key_and_its_extraction_moves_with_it() -> None:
    text, _ = read_text(ROOT / "data" / "llm-landscape.md")
    before = units(text, name="llm.md")
    # three lines inserted before the last heading section: it moves down by three
    lines = text.split("\n")
    at = before[-2].chunk.first_line - 1
    moved_text = "\n".join(lines[:at] + ["", "Some words.", ""] + lines[at:])
    after = units(moved_text, name="llm.md")
    old, new = before[-2], after[-2]
    assert old.key == new.key and new.chunk.first_line == old.chunk.first_line + 3
    cached = decode(encode(extract_chunk(old.chunk), old.chunk), new.chunk)
    fresh = extract_chunk(new.chunk)
    assert cached.records == fresh.records and cached.problems == fresh.problems
    assert by_units(moved_text, "llm.md") == whole(moved_text, "llm.md")


def test_an_organisation_named_by_an_enclosing_heading_keeps_that_heading_line() -> None:
    text = "# Models\n\n## Mistral AI\n\n### Open weights\n\n- [Mistral 7B](https://mistral.ai/news/a): a model [Sep 2023]\n"
    found = units(text, name="c.md")
    last = found[-1]
    extraction = extract_chunk(last.chunk)
    data = encode(extraction, last.chunk)
    assert decode(data, last.chunk).records == extraction.records
    # the same section further down, under the same headings
    shifted = "\n\n\n" + text
    moved = units(shifted, name="c.md")[-1]
    assert moved.key == last.key
    assert decode(data, moved.chunk).records == extract_chunk(moved.chunk).records


def test_a_unit_naming_a_future_date_expires_that_day() -> None:
    assert expires("- [A](https://a.example): x [Mar 2099]\n- [B](https://b.example) [2099-01-02]") == "2099-01-02"
    assert expires("- [A](https://a.example): x [12 Jan 2023]") is None


def test_units_of_an_empty_text() -> None:
    assert [u.chunk.text for u in units("", name="e.md")] == [""]
    assert isinstance(units("no heading at all\n", name="e.md")[0], Unit)


def test_an_expired_cache_entry_is_read_again(tmp_path):
    from llmkg.history.cache import Cache
    from llmkg.history.timeline import HistoryReport, _Extractions
    from llmkg.ingest.records import Extraction

    unit = units("# Models\n\n- [Mistral 7B](https://mistral.ai/news/a): a 7B model [Sep 2023]\n", name="c.md")[-1]
    cache = Cache("test")
    empty = encode(Extraction("c.md", [], []), unit.chunk)
    cache.extractions[unit.key] = {"data": empty, "expires": None}
    assert _Extractions(cache, HistoryReport(tmp_path)).of(unit).records == []  # the cache is believed
    cache.extractions[unit.key] = {"data": empty, "expires": "2001-01-01"}
    assert _Extractions(cache, HistoryReport(tmp_path)).of(unit).records  # that day has come: read again


def test_a_damaged_or_foreign_cache_is_an_empty_one(tmp_path):
    import gzip

    from llmkg.history.cache import CACHE_FILE, Cache

    (tmp_path / CACHE_FILE).write_bytes(b"not gzip")
    assert Cache.load(tmp_path).versions == []
    (tmp_path / CACHE_FILE).write_bytes(gzip.compress(b'{"format": 1, "fingerprint": "other", "versions": [1], '
                                                      b'"texts": {}, "extractions": {}, "facts": {}}'))
    assert Cache.load(tmp_path).versions == []
    assert Cache.load(tmp_path, any_ingester=True).versions == [1]  # for diff: texts, no extractions
