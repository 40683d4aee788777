"""`llmkg history` on the catalog's real versions, committed into a temporary git repository.

The versions in ../shared: the three landscape pages, the bundled one (the
seed, with its mojibake), then the models-and-research page under its new
path, committed in date order. Facts checked here were read off the
catalog texts by hand (line numbers are those of the files in ../shared).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_CATALOGS
from llmkg import vocab as V

SHARED = SHARED_CATALOGS.parent
OLD, NEW = "section/llm.md", "section/models_research.md"
VERSIONS = [  # (file in ../shared, path in the repository, commit day)
    ("catalogs/llm-landscape-2024-11-05.md", OLD, "2024-11-05"),
    ("catalogs/llm-landscape-2025-01-14.md", OLD, "2025-01-14"),
    ("catalogs/llm-landscape-2025-03-11.md", OLD, "2025-03-11"),
    ("seeds/000_01e188e9c4403368.txt", OLD, "2025-06-03"),
    ("catalogs/models-research-2025-11-18.md", NEW, "2025-11-18"),
]

HISTORY_QUERIES = {"first-seen", "added-between", "removed-between", "catalog-growth", "changed-facts"}

pytestmark = pytest.mark.skipif(not all((SHARED / f).is_file() for f, _, _ in VERSIONS),
                                reason="../shared with the catalog versions is absent")


def git(repo: Path, *args: str, day: str | None = None) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_SYSTEM=os.devnull)
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00+00:00", GIT_COMMITTER_DATE=f"{day}T12:00:00+00:00")
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=llmkg", "-c", "user.email=t@example.org",
                           *args], check=True, capture_output=True, text=True, env=env).stdout


def commit_version(repo: Path, source: Path, path: str, day: str) -> None:
    for old in (OLD, NEW):
        if old != path and (repo / old).exists():
            git(repo, "rm", "-q", old)
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    git(repo, "add", path)
    git(repo, "commit", "-q", "-m", f"catalog of {day}", day=day)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("upstream")
    git(repo, "init", "-q")
    for file, path, day in VERSIONS:
        commit_version(repo, SHARED / file, path, day)
    return repo


@pytest.fixture(scope="module")
def history(repo, tmp_path_factory):
    from llmkg.history.timeline import build_history

    store = tmp_path_factory.mktemp("history") / "store"
    return build_history(repo, [OLD, NEW], store=store)


@pytest.fixture(scope="module")
def plain_newest(tmp_path_factory) -> Path:
    """A plain build of the newest version, under the file name it has in the repository."""
    from llmkg.build import build

    folder = tmp_path_factory.mktemp("plain")
    shutil.copyfile(SHARED / VERSIONS[-1][0], folder / "models_research.md")
    build([folder / "models_research.md"], store=folder / "store", validate=False)
    return folder / "store"


def rows(store, name: str, **params) -> list[tuple]:
    from llmkg.query.saved import run

    result = run(name, store=store, params={k: str(v) for k, v in params.items()})
    return [tuple(None if t is None else str(t) for t in row) for row in result.rows]


# -- versions --------------------------------------------------------------------------


def test_versions_are_read_in_commit_date_order_across_the_move(repo, history):
    from llmkg.history.versions import list_versions

    versions = list_versions(repo, [OLD, NEW])
    assert [(v.date, v.path) for v in versions] == [(day, path) for _, path, day in VERSIONS]
    assert [v.commit for v in history.versions] == [v.commit for v in versions]
    assert [v.date for v in list_versions(repo, [OLD, NEW], since="2025-03-01")] == \
        ["2025-03-11", "2025-06-03", "2025-11-18"]
    assert [v.date for v in list_versions(repo, [OLD])] == [day for _, _, day in VERSIONS[:4]]


def test_a_commit_that_leaves_the_catalog_as_it_was_adds_no_version(tmp_path):
    from llmkg.history.versions import list_versions

    git(tmp_path, "init", "-q")
    commit_version(tmp_path, ROOT / "data" / "llm-landscape.md", OLD, "2025-01-01")
    (tmp_path / "README.md").write_text("hello\n")
    git(tmp_path, "add", "README.md")
    git(tmp_path, "commit", "-q", "-m", "readme", day="2025-01-02")
    git(tmp_path, "commit", "-q", "--allow-empty", "-m", "nothing", "--", OLD, day="2025-01-03")
    assert len(list_versions(tmp_path, [OLD])) == 1


# -- the temporal model ----------------------------------------------------------------------


def test_first_seen_dates_read_off_the_texts(history):
    store = history.store
    # Llama 2 is listed in the first version (llm-landscape-2024-11-05.md:61)
    assert rows(store, "first-seen", model="Llama 2")[0][2:] == (
        '"2024-11-05"^^<http://www.w3.org/2001/XMLSchema#date>', f'"{history.versions[0].commit}"',
        '"2025-11-18"^^<http://www.w3.org/2001/XMLSchema#date>', f'"{history.versions[-1].commit}"', '"yes"')
    # DeepSeek-R1 [20 Jan 2025] appears in 2025-03-11 (line 144), not in 2025-01-14
    first = {row[0]: row[2] for row in rows(store, "first-seen", model="deepseek r1")}
    assert first == {f"<{V.ID}model/deepseekr1>": '"2025-03-11"^^<http://www.w3.org/2001/XMLSchema#date>'}
    # Claude 3.7 Sonnet is new in 2025-03-11 too (line 106)
    assert "2025-03-11" in rows(store, "first-seen", model="Claude 3.7 Sonnet")[0][2]


def test_first_seen_of_a_dropped_model_is_a_row_without_a_note(cli, history):
    """A name only an older version stated names something: a row, and no 'no entity is named'."""
    removed = [row for row in rows(history.store, "removed-between", **{"from": "2024-11-05", "to": "2026-01-01"})
               if row[0] == f"<{V.LLMKG}Model>"]
    name = removed[0][2].strip('"')
    done = cli("query", "first-seen", "--store", history.store, "-p", f"model={name}", "--format", "csv")
    assert done.returncode == 0 and len(done.stdout.splitlines()) == 2, done.stdout
    assert done.stderr == ""
    nothing = cli("query", "first-seen", "--store", history.store, "-p", "model=Nothing Such 9000")
    assert nothing.stdout.endswith("(0 rows)\n") and "no entity is named 'Nothing Such 9000'" in nothing.stderr


def test_catalog_growth_has_a_row_per_version(history):
    growth = rows(history.store, "catalog-growth")
    assert [row[1][1:11] for row in growth] == [day for _, _, day in VERSIONS]
    assert [row[3] for row in growth] == [f'"{path}"' for _, path, _ in VERSIONS]
    models = [int(row[4].split('"')[1]) for row in growth]
    assert models[2] > models[1] > models[0] > 50  # the landscape page grew


def test_added_and_removed_between_two_days(history):
    added = {row[2] for row in rows(history.store, "added-between", **{"from": "2025-01-31", "to": "2025-03-31"})}
    assert {'"DeepSeek-R1"', '"Claude 3.7 Sonnet"'} <= added
    assert '"Llama 2"' not in added
    removed = rows(history.store, "removed-between", **{"from": "2025-01-31", "to": "2025-03-31"})
    assert '"DeepSeek-R1"' not in {row[2] for row in removed}


def test_changed_facts_has_the_section_4m21_moved_to(history):
    # 2025-03-11 added '#### MLLM Models' (line 260): 4M-21 (line 281) moved under it
    changed = [row for row in rows(history.store, "changed-facts") if row[1] == '"4M-21"']
    assert (f"<{V.LLMKG}inSection>", f"<{V.ID}section/mllmmultimodallargelanguagemodel>",
            f"<{V.ID}section/mllmmodels>") in {(row[2], row[3], row[5]) for row in changed}


def test_every_fact_of_the_newest_version_has_an_interval_to_the_newest(history):
    from llmkg.store import open_store

    db = open_store(history.store)
    newest = f"<{V.iri(V.VERSION, history.versions[-1].commit)}>"
    data = {f"{q.subject} {q.predicate} {q.object}"
            for q in db.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(V.DATA_GRAPH))}
    open_now = set()
    for row in db.query(f"""SELECT ?s ?p ?o WHERE {{ GRAPH <{V.HISTORY_GRAPH}> {{
            ?i <{V.LLMKG}factSubject> ?s ; <{V.LLMKG}factPredicate> ?p ; <{V.LLMKG}factObject> ?o ;
               <{V.LLMKG}lastVersion> {newest} }} }}"""):
        open_now.add(f"{row['s']} {row['p']} {row['o']}")
    assert open_now == data


def test_newest_version_answers_every_saved_query_as_a_plain_build(history, plain_newest):
    from llmkg.query.saved import list_saved
    from llmkg.store import open_store

    db, plain = open_store(history.store), open_store(plain_newest)
    checked = 0
    for query in list_saved():
        expected = rows(plain, query.name)
        if query.name in HISTORY_QUERIES:
            assert expected == [], f"{query.name} finds a history in a plain store"
            continue
        assert rows(db, query.name) == expected, query.name
        checked += bool(expected)
    assert checked >= 20


# -- incremental -----------------------------------------------------------------------------


def test_a_rerun_after_one_commit_reads_only_it_and_equals_a_fresh_run(repo, history, tmp_path):
    from llmkg.history.timeline import build_history
    from llmkg.store import open_store

    clone = tmp_path / "repo"
    shutil.copytree(repo, clone)
    store = tmp_path / "store"
    shutil.copytree(history.store, store)
    edited = (clone / NEW).read_text(encoding="utf-8").replace(
        "[Claude 3.7 Sonnet and Claude Code", "[Claude 3.8 Sonnet and Claude Code", 1)
    (clone / NEW).write_text(edited, encoding="utf-8")
    git(clone, "commit", "-q", "-am", "an edit", day="2025-11-20")

    again = build_history(clone, [OLD, NEW], store=store)
    assert again.read == 1 and len(again.versions) == 6
    assert again.units_extracted <= 2  # the edited heading section
    fresh = build_history(clone, [OLD, NEW], store=tmp_path / "fresh")
    assert fresh.read == 6

    def quads(path):
        return sorted(str(q) for q in open_store(path))

    assert quads(store) == quads(tmp_path / "fresh")
    assert rows(store, "first-seen", model="Claude 3.8 Sonnet")[0][2].startswith('"2025-11-20"')


def test_nothing_new_rereads_no_unit(repo, history, tmp_path):
    from llmkg.history.timeline import build_history

    store = tmp_path / "store"
    shutil.copytree(history.store, store)
    again = build_history(repo, [OLD, NEW], store=store)
    assert again.read == 1 and again.units_extracted == 0  # the newest is mapped again, from the cache


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_history_and_errors(cli, repo, tmp_path):
    done = cli("history", repo, OLD, NEW, "--store", tmp_path / "store", "--since", "2025-06-01")
    assert done.returncode == 0, done.stderr
    assert "2 versions" in done.stdout.splitlines()[-1]
    missing = cli("history", tmp_path, OLD, "--store", tmp_path / "other")
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert missing.stderr.startswith("Error: git rev-parse failed")
    nothing = cli("history", repo, "section/none.md", "--store", tmp_path / "other")
    assert nothing.returncode == 2 and "no committed version of section/none.md" in nothing.stderr
    bad_day = cli("history", repo, OLD, "--since", "March")
    assert bad_day.returncode == 2 and "YYYY-MM-DD" in bad_day.stderr


# -- diff between versions -------------------------------------------------------------------


def test_diff_between_two_versions_of_the_history_store(cli, history):
    done = cli("diff", "--store", history.store, "--from", "2025-01-31", "--to", "2025-03-11")
    assert done.returncode == 1, done.stderr
    v2, v3 = history.versions[1], history.versions[2]
    lines = done.stdout.splitlines()
    assert lines[0].startswith(f"--- section/llm.md at 2025-01-14 ({v2.commit[:7]})")
    assert lines[1].startswith(f"+++ section/llm.md at 2025-03-11 ({v3.commit[:7]})")
    # hand-read: DeepSeek-R1 is new on line 144; 4M-21 moved from line 260 to 281, under '#### MLLM Models'
    at = lines.index("+ model:deepseekr1  DeepSeek-R1  (llmkg:Model)")
    assert lines[at + 1].startswith("    + llm.md:144  1. [DeepSeek-R1](https://github.com/deepseek-ai/DeepSeek-R1)")
    assert "    + llmkg:releaseDate: 2025-01-20 (llm.md:144)" in lines[at:at + 9]
    assert ("    ~ llmkg:inSection: section:mllmmultimodallargelanguagemodel (llm.md:260) -> "
            "section:mllmmodels (llm.md:281)") in lines
    by_commit = cli("diff", "--store", history.store, "--from", v2.commit[:8], "--to", v3.commit)
    assert by_commit.stdout == done.stdout
    newest = cli("diff", "--store", history.store, "--from", "2025-11-18")
    assert newest.returncode == 0 and "0 entities added, 0 removed, 0 changed" in newest.stdout
    early = cli("diff", "--store", history.store, "--from", "2020-01-01")
    assert early.returncode == 2 and "no version on or before 2020-01-01" in early.stderr


def test_the_history_graph_keeps_its_invariants(history):
    """What SHACL would say of the history graph (`llmkg validate` reads the data graph only)."""
    from llmkg.store import open_store

    db = open_store(history.store)

    def query(text):
        return list(db.query(text, use_default_graph_as_union=True))

    intervals = query(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?i a <{V.LLMKG}FactInterval> }}")
    assert int(intervals[0]["n"].value) == history.intervals > 4000
    prefix = f"PREFIX llmkg: <{V.LLMKG}> PREFIX prov: <{V.PROV}> PREFIX dcterms: <{V.DCTERMS}>"
    one_each = query(f"""{prefix} SELECT ?i WHERE {{ ?i a llmkg:FactInterval .
        {{ SELECT ?i (COUNT(*) AS ?n) WHERE {{ ?i ?p ?o . FILTER(?p IN (llmkg:factSubject, llmkg:factPredicate,
           llmkg:factObject, llmkg:firstVersion, llmkg:lastVersion)) }} GROUP BY ?i }} FILTER(?n != 5) }}""")
    assert list(one_each) == []
    backwards = query(f"""{prefix} SELECT ?i WHERE {{ ?i llmkg:firstVersion/llmkg:versionNumber ?a ;
        llmkg:lastVersion/llmkg:versionNumber ?b . FILTER(?a > ?b) }}""")
    assert list(backwards) == []
    # two intervals of one fact neither overlap nor touch (else they would be one)
    touching = query(f"""{prefix} SELECT ?i ?j WHERE {{
        ?i llmkg:factSubject ?s ; llmkg:factPredicate ?p ; llmkg:factObject ?o ;
           llmkg:firstVersion/llmkg:versionNumber ?a ; llmkg:lastVersion/llmkg:versionNumber ?b .
        ?j llmkg:factSubject ?s ; llmkg:factPredicate ?p ; llmkg:factObject ?o ;
           llmkg:firstVersion/llmkg:versionNumber ?c .
        FILTER(?i != ?j && ?a <= ?c && ?c <= ?b + 1) }}""")
    assert list(touching) == []
    versions = [(row["n"].value, row["d"].value) for row in query(
        f"{prefix} SELECT ?n ?d WHERE {{ ?v a llmkg:CatalogVersion ; llmkg:versionNumber ?n ; dcterms:date ?d }} "
        "ORDER BY ?n")]
    assert [int(n) for n, _ in versions] == list(range(1, 6)) and [d for _, d in versions] == sorted(d for _, d in versions)
    chain = query(f"{prefix} SELECT (COUNT(*) AS ?n) WHERE {{ ?v prov:wasRevisionOf ?w . "
                     "?v llmkg:versionNumber ?a . ?w llmkg:versionNumber ?b FILTER(?a = ?b + 1) }")
    assert int(chain[0]["n"].value) == 4


def test_served_history_store_shows_when_the_catalog_stated_an_entity(history, tmp_path):
    """`llmkg serve` on a real history store: Llama 2's page says it was first stated in the
    first version and is still stated; DeepSeek-R1's says 2025-03-11 (issue 14 reads issue 13)."""
    from servers import running_llmkg

    with running_llmkg(history.store, tmp_path) as server:
        llama2 = server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
        r1 = server.get("/id/model/deepseekr1", headers={"Accept": "text/html"}).text
    assert "First stated by the catalog in its version of 2024-11-05; still stated by the newest " \
           "version (2025-11-18)" in llama2
    assert "in its version of 2025-03-11" in r1


def test_served_history_store_shows_each_fact_s_history_and_removed_entities(history, tmp_path):
    """Per-fact history with versions and commits; a removed model titled by its label, with
    its last facts; intervals kept out of 'What links here'; history queries not flagged."""
    import html

    from servers import running_llmkg

    removed = [row for row in rows(history.store, "removed-between", **{"from": "2024-11-05", "to": "2026-01-01"})
               if row[0] == f"<{V.LLMKG}Model>"][0]
    gone, name = removed[1].strip("<>").removeprefix(V.ID), removed[2].strip('"')
    with running_llmkg(history.store, tmp_path) as server:
        llama2 = server.get("/id/model/llama2", headers={"Accept": "text/html"}).text
        dropped = server.get(f"/id/{gone}", headers={"Accept": "text/html"})
        home = server.get("/", headers={"Accept": "text/html"}).text
    facts = llama2.split('id="fact-history"')[1].split("</section>")[0]
    first, newest = history.versions[0], history.versions[-1]
    assert "stated by every catalog version" in facts
    # each version links to its page, by date and commit
    assert any(f'<a href="/id/version/{v.commit}" title="commit {v.commit}"><code>{v.commit[:7]}</code></a>' in facts
               for v in (first, newest))
    assert "interval/" not in llama2.split("What links here")[1]
    assert dropped.status_code == 200
    assert f'<h1 id="label">{html.escape(name)}</h1>' in dropped.text
    last = dropped.text.split('id="last-facts"')[1].split("</section>")[0]
    assert html.escape(name) in last and ">name</th>" in last
    assert "needs a history store" not in home
