"""`llmkg diff`: catalogs, stores and history versions compared by entity, with the
catalog line in each; exit 0 when nothing changed, 1 when something did, 2 on trouble."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from conftest import ROOT, SHARED_CATALOGS
from llmkg import vocab as V
from llmkg.history.diff import ADDED_GRAPH, REMOVED_GRAPH, compare

BUNDLED = ROOT / "data" / "llm-landscape.md"
GEMMA_9 = ("  1. [Gemma 9](https://ai.google.dev/gemma): Open weights LLM from Google DeepMind, 9B and 27B. "
           "[git](https://github.com/google-deepmind/gemma9) [12 Mar 2025]")


@pytest.fixture(scope="module")
def edited(tmp_path_factory) -> tuple[Path, Path]:
    """The bundled catalog, and a copy with three edits made by hand: Gemma's date
    '[Feb 2024]' (line 91) made '[21 Feb 2024]', an entry for Gemma 9 added after it
    (line 92), and the Falcon LLM entry (line 182) removed."""
    folder = tmp_path_factory.mktemp("diff")
    lines = BUNDLED.read_text(encoding="utf-8").split("\n")
    assert "[Gemma]" in lines[90] and "[Feb 2024]" in lines[90] and "[Falcon LLM]" in lines[181]
    (folder / "old.md").write_text("\n".join(lines), encoding="utf-8")
    lines[90] = lines[90].replace("[Feb 2024]", "[21 Feb 2024]")
    del lines[181]
    lines.insert(91, GEMMA_9)
    (folder / "new.md").write_text("\n".join(lines), encoding="utf-8")
    return folder / "old.md", folder / "new.md"


def entity(diff, slug: str):
    return next(e for e in diff.entities if e.iri == f"<{V.ID}{slug}>")


def prop(change, name: str):
    return next(p for p in change.properties if p.property == f"<{V.LLMKG}{name}>")


def test_hand_made_edits_are_what_the_diff_finds(edited):
    old, new = edited
    found = compare(str(old), str(new))
    gemma = entity(found, "model/gemma")
    assert gemma.status == "changed"
    date = prop(gemma, "releaseDate")
    assert date.status == "changed"
    assert [(v.value, v.sources) for v in date.old] == [(f'"2024-02"^^<{V.XSD}gYearMonth>', [("old.md", 91)])]
    assert [(v.value, v.sources) for v in date.new] == [(f'"2024-02-21"^^<{V.XSD}date>', [("new.md", 91)])]
    added = entity(found, "model/gemma9")
    assert added.status == "added" and added.new_sources == [("new.md", 92)]
    assert {v.value for v in prop(added, "parameterCount").new} == {
        f'"9000000000"^^<{V.XSD}integer>', f'"27000000000"^^<{V.XSD}integer>'}
    removed = entity(found, "model/falconllm")
    assert removed.status == "removed" and removed.old_sources == [("old.md", 182)]
    # nothing else changed: lines that moved are not changes
    assert {e.iri.split("/id/")[1].rstrip(">") for e in found.entities} == {
        "model/gemma", "model/gemma9", "model/falconllm", "organization/technologyinnovationinstitute"}


def test_text_shows_each_entity_with_its_catalog_lines(cli, edited):
    old, new = edited
    done = cli("diff", old, new)
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert out.startswith(f"--- {old} (") and f"+++ {new} (" in out
    assert "~ model:gemma  Gemma  (llmkg:Model)" in out
    assert "    - old.md:91  1. [Gemma](http://ai.google.dev/gemma)" in out
    assert "    + new.md:91  1. [Gemma](http://ai.google.dev/gemma)" in out
    assert "    ~ llmkg:releaseDate: 2024-02 (old.md:91) -> 2024-02-21 (new.md:91)" in out
    assert "- model:falconllm  Falcon LLM  (llmkg:Model)" in out
    assert "+ model:gemma9  Gemma 9  (llmkg:Model)" in out
    assert out.rstrip().endswith("1 entities added, 2 removed, 1 changed; 9 facts added, 7 removed, 1 changed")


def test_json_and_nquads(cli, edited):
    old, new = edited
    data = json.loads(cli("diff", old, new, "--format", "json").stdout)
    assert data["summary"]["entities added"] == 1
    gemma = next(e for e in data["entities"] if e["label"] == "Gemma")
    date = gemma["properties"][0]
    assert date["status"] == "changed" and date["old"][0]["value"]["value"] == "2024-02"
    assert date["new"][0]["lines"][0]["line"] == 91 and "[21 Feb 2024]" in date["new"][0]["lines"][0]["text"]
    done = cli("diff", old, new, "--format", "NQuads")  # any case
    assert done.returncode == 1
    quads = list(pyoxigraph.parse(done.stdout.encode(), format=pyoxigraph.RdfFormat.N_QUADS))
    gemma9 = pyoxigraph.NamedNode(V.iri("model", "gemma9"))
    falcon = pyoxigraph.NamedNode(V.iri("model", "falconllm"))
    assert {(q.graph_name.value) for q in quads if q.subject == gemma9} == {ADDED_GRAPH}
    assert {(q.graph_name.value) for q in quads if q.subject == falcon} == {REMOVED_GRAPH}
    assert pyoxigraph.Quad(gemma9, pyoxigraph.NamedNode(V.RDF + "type"), pyoxigraph.NamedNode(V.LLMKG + "Model"),
                           pyoxigraph.NamedNode(ADDED_GRAPH)) in quads


def test_no_change_exits_0_and_a_store_compares_with_its_catalog(cli, edited, tmp_path):
    old, _ = edited
    same = cli("diff", old, old)
    assert same.returncode == 0 and "0 entities added, 0 removed, 0 changed" in same.stdout
    from llmkg.build import build

    build([old], store=tmp_path / "store", validate=False)
    assert cli("diff", tmp_path / "store", old).returncode == 0
    stored = compare(str(tmp_path / "store"), str(old))
    assert stored.old.texts == {} and not stored.changed


@pytest.mark.parametrize(("args", "message"), [
    (["missing.md", "also-missing.md"], "Error: cannot read catalog"),
    (["only-one.md"], "Error: diff needs two sides"),
    (["a.md", "b.md", "--from", "2025-01-01"], "Error: give either OLD and NEW"),
    (["--to", "2025-01-01"], "Error: --to needs --from"),
    (["--format", "yaml"], "Error: Invalid value for '--format' / '-f': 'yaml' is not one of"),
])
def test_trouble_exits_2_with_one_line(cli, args, message, tmp_path):
    done = cli("diff", *args, "--store", tmp_path / "none")
    assert done.returncode == 2 and done.stderr.startswith(message) and done.stderr.count("\n") == 1, done.stderr


def test_a_store_without_history_has_no_versions(cli, edited, tmp_path):
    from llmkg.build import build

    build([edited[0]], store=tmp_path / "store", validate=False)
    done = cli("diff", "--store", tmp_path / "store", "--from", "2025-01-01")
    assert done.returncode == 2 and "this store holds no history" in done.stderr


@pytest.mark.skipif(not (SHARED_CATALOGS / "llm-landscape-2025-03-11.md").is_file(), reason="../shared is absent")
def test_two_landscape_pages_read_by_hand():
    found = compare(str(SHARED_CATALOGS / "llm-landscape-2025-01-14.md"),
                    str(SHARED_CATALOGS / "llm-landscape-2025-03-11.md"))
    r1 = entity(found, "model/deepseekr1")  # 2025-03-11 line 144, [20 Jan 2025]
    assert r1.status == "added" and r1.new_sources == [("llm-landscape-2025-03-11.md", 144)]
    assert [v.value for v in prop(r1, "releaseDate").new] == [f'"2025-01-20"^^<{V.XSD}date>']
    assert [v.value for v in prop(r1, "repository").new] == ["<https://github.com/deepseek-ai/DeepSeek-R1>"]
    # '#### MLLM Models' (line 260) is new: 4M-21 (line 260 before, 281 after) moved under it
    m4 = prop(entity(found, "model/4m21"), "inSection")
    assert [(v.value, v.sources) for v in m4.old] == [
        (f"<{V.ID}section/mllmmultimodallargelanguagemodel>", [("llm-landscape-2025-01-14.md", 260)])]
    assert [(v.value, v.sources) for v in m4.new] == [
        (f"<{V.ID}section/mllmmodels>", [("llm-landscape-2025-03-11.md", 281)])]
