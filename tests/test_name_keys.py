"""Name keys (llmkg:nameKey) and name parameters: how saved queries find an
entity by name with one index look-up instead of lower-casing every label."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from llmkg import vocab as V
from llmkg.keys import name_key

pyoxigraph = pytest.importorskip("pyoxigraph")

ROOT = Path(__file__).resolve().parent.parent
LABELS = (V.RDFS + "label", V.SKOS + "altLabel")


@pytest.mark.parametrize(("name", "expected"), [
    ("Llama 2", "llama2"),
    ("llama-2", "llama2"),
    ("LLaMA", "llama"),
    ("Qwen2.5", "qwen2.5"),     # a dot between digits is part of a version
    ("Mistral AI.", "mistralai"),
    ("Ünïcödé", "unicode"),
    ("文心一言", "文心一言"),      # no ASCII letter or digit: case-folded only
    ("  ＥＲＮＩＥ  Bot ", "erniebot"),
])
def test_name_key(name, expected):
    assert name_key(name) == expected


def _keys_and_names(quads) -> tuple[dict, dict]:
    keys, names = defaultdict(set), defaultdict(set)
    for q in quads:
        if q.graph_name.value != V.DATA_GRAPH:
            continue
        if q.predicate.value == V.LLMKG + "nameKey":
            keys[q.subject.value].add(q.object.value)
        elif q.predicate.value in LABELS and "/scheme/" not in q.subject.value:
            names[q.subject.value].add(q.object.value)
    return keys, names


def _assert_one_key_per_name(quads) -> None:
    keys, names = _keys_and_names(quads)
    assert names and set(keys) == set(names)
    for subject, labels in names.items():
        assert keys[subject] == {name_key(label) for label in labels}, subject


def test_every_entity_of_the_bundled_catalog_has_the_keys_of_its_names():
    from llmkg.build import graph_quads

    quads, _ = graph_quads()
    _assert_one_key_per_name(quads)


def test_the_query_fixture_follows_the_same_rule():
    store = pyoxigraph.Store()
    store.load(path=str(ROOT / "tests" / "fixtures" / "mini.trig"), format=pyoxigraph.RdfFormat.TRIG)
    _assert_one_key_per_name(store.quads_for_pattern(None, None, None))


def test_a_name_parameter_is_bound_to_its_key(bundled_store):
    from llmkg.query.saved import run

    rows = run("model-card", store=bundled_store, params={"model": "Llama 2"}).rows
    assert rows and {row[0].value for row in rows} == {V.ID + "model/llama2"}
    for other in ("llama-2", "LLAMA 2", " llama  2 "):
        assert run("model-card", store=bundled_store, params={"model": other}).rows == rows
    assert run("model-card", store=bundled_store, params={"model": "Llama 22"}).rows == []


def test_an_open_store_gives_the_same_rows_as_its_directory(bundled_store):
    from llmkg.query.saved import run
    from llmkg.store import open_store

    db = open_store(bundled_store)
    for name, params in (("where-from", {"entity": "Mixtral 8x7B"}), ("models-per-organization", {})):
        rows = run(name, store=bundled_store, params=params).rows
        assert rows and run(name, store=db, params=params).rows == rows


def test_a_syntax_error_keeps_the_line_of_the_query_file(cli, bundled_store, tmp_path):
    """Parameters are bound by a VALUES block on the line of the WHERE `{`:
    the lines after it keep their numbers in error messages."""
    broken = tmp_path / "broken.rq"
    broken.write_text("#+ summary: broken\n#+ params: [model name = Llama -- a model]\n"
                      "SELECT ?model WHERE {\n  ?m <http://x/p> ?model .\n  ?m ) ?model .\n}\n")
    result = cli("query", broken, "--store", bundled_store)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: malformed SPARQL") and f"({broken}:5)" in result.stderr
