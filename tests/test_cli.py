"""What a user sees: exit codes and messages of the `llmkg` command."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT

QUERY_NAMES = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
HISTORY_QUERIES = {"first-seen", "added-between", "removed-between", "catalog-growth", "changed-facts"}


def test_help_lists_every_command(cli) -> None:
    result = cli("--help")
    assert result.returncode == 0
    for command in ("build", "validate", "reason", "export", "queries", "query", "load", "eval", "docs",
                    "history", "diff"):
        assert command in result.stdout


def test_build_reports_counts_and_problems(cli, tmp_path) -> None:
    result = cli("build", "--store", tmp_path / "s", "--no-validate")
    assert result.returncode == 0, result.stderr
    assert "llmkg:Model" in result.stdout and "llmkg:developedBy" in result.stdout
    assert "llm-landscape.md:189: no model name found" in result.stdout
    assert "not validated" in result.stdout


def test_build_given_catalog_validates_by_default(cli, tmp_path) -> None:
    catalog = ROOT / "tests" / "cases" / "org-groups" / "catalog.md"
    result = cli("build", catalog, "--store", tmp_path / "s")
    assert result.returncode == 0, result.stderr
    assert "validation: 0 violations" in result.stdout


def test_build_of_missing_catalog_is_bad_input(cli, tmp_path) -> None:
    result = cli("build", tmp_path / "nope.md", "--store", tmp_path / "s")
    assert result.returncode == 2
    assert result.stderr.strip() == f"Error: cannot read catalog: No such file or directory ({tmp_path / 'nope.md'}). Check the path"


def test_build_of_non_utf8_catalog_points_at_the_line(cli, tmp_path) -> None:
    catalog = tmp_path / "bad.md"
    catalog.write_bytes(b"# ok\n\n- [A](https://a.org) \xff [2024]\n")
    result = cli("build", catalog, "--store", tmp_path / "s")
    assert result.returncode == 2
    assert f"({catalog}:3)" in result.stderr


def test_queries_lists_summaries_and_parameters(cli) -> None:
    result = cli("queries")
    assert result.returncode == 0
    assert len(QUERY_NAMES) >= 15
    for name in QUERY_NAMES:
        assert f"{name}: " in result.stdout
    assert "--param model=<name>" in result.stdout


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_every_saved_query_runs_on_the_bundled_store(cli, bundled_store, name) -> None:
    result = cli("query", f"queries/{name}.rq", "--store", bundled_store, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    if name in HISTORY_QUERIES:  # a plain store has no versions (tests/test_history.py has them)
        assert data["results"]["bindings"] == [], f"{name} found a history in a plain store"
    else:
        assert data["results"]["bindings"], f"{name} returned no rows on the bundled catalog"


def test_query_formats(cli, bundled_store) -> None:
    csv_out = cli("query", "moe-models", "--store", bundled_store, "--format", "csv").stdout
    tsv_out = cli("query", "moe-models", "--store", bundled_store, "--format", "tsv").stdout
    table = cli("query", "moe-models", "--store", bundled_store).stdout
    assert csv_out.splitlines()[0].startswith("model,")
    assert tsv_out.splitlines()[0].startswith("?model\t")
    assert "<https://w3id.org/llmkg/id/model/" in tsv_out
    assert "DeepSeek-V3" in table and table.rstrip().endswith("rows)")


def test_parameters_are_bound_as_terms_not_pasted(cli, bundled_store) -> None:
    """A value that would break out of a string literal stays one harmless string."""
    evil = 'x") } SELECT * WHERE { ?s ?p ?o } #'
    result = cli("query", "lineage", "--store", bundled_store, "--param", f"model={evil}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == []
    open_r1 = cli("query", "lineage", "--store", bundled_store, "-p", "model=open r1", "--format", "csv")
    assert "DeepSeek-R1" in open_r1.stdout


@pytest.mark.parametrize("args, message", [
    (["query", "no-such-query"], "Error: unknown query 'no-such-query'"),
    (["query", "lineage", "--param", "nope=1"], "Error: query 'lineage' has no parameter 'nope'"),
    (["query", "models-by-size-range", "--param", "minMillions=ten"],
     "Error: parameter 'minMillions' needs an integer, got 'ten'"),
    (["query", "lineage", "--param", "model"], "Error: bad --param 'model'"),
    (["query", "lineage", "--format", "xml"], "Error: Invalid value for '--format' / '-f': 'xml' is not one of"),
    (["query", "lineage", "--no-such-option"], "Error: No such option '--no-such-option'"),
    (["nope"], "Error: No such command 'nope'"),
    (["export", "--format", "rdfxml"], "Error: unknown format 'rdfxml'"),
])
def test_bad_input_exits_2_with_one_line(cli, bundled_store, args, message) -> None:
    result = cli(*args, "--store", bundled_store)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_required_parameter_and_malformed_query(cli, bundled_store, tmp_path) -> None:
    required = tmp_path / "needs.rq"
    required.write_text("#+ summary: needs a name\n#+ params: [name string -- a name]\n"
                        "SELECT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }\n")
    result = cli("query", required, "--store", bundled_store)
    assert result.returncode == 2
    assert "Error: query 'needs' needs parameter 'name'" in result.stderr
    broken = tmp_path / "broken.rq"
    broken.write_text("#+ summary: broken\nSELECT ?x WHERE { ?x \n")
    result = cli("query", broken, "--store", bundled_store)
    assert result.returncode == 2
    assert result.stderr.startswith("Error: malformed SPARQL") and f"({broken}:3)" in result.stderr
    header = tmp_path / "header.rq"
    header.write_text("#+ summary: x\n#+ parm: x string\nSELECT * WHERE { ?s ?p ?o }\n")
    result = cli("query", header, "--store", bundled_store)
    assert result.returncode == 2 and f"({header}:2)" in result.stderr


def test_query_without_store_says_what_to_do(cli, tmp_path) -> None:
    result = cli("query", "moe-models", "--store", tmp_path / "none")
    assert result.returncode == 2
    assert "Run `llmkg build --store DIR` first" in result.stderr


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld"])
def test_export_formats_are_deterministic_and_reparse(cli, bundled_store, tmp_path, fmt) -> None:
    import pyoxigraph

    ext = {"turtle": "ttl", "ntriples": "nt", "nquads": "nq", "trig": "trig", "jsonld": "jsonld"}[fmt]
    a, b = tmp_path / f"a.{ext}", tmp_path / f"b.{ext}"
    for out in (a, b):
        result = cli("export", "--store", bundled_store, "--format", fmt, "--output", out, "--no-void")
        assert result.returncode == 0, result.stderr
    assert a.read_bytes() == b.read_bytes()
    if fmt != "jsonld":
        parsed = list(pyoxigraph.parse(path=str(a)))
        assert len(parsed) > 1000


def test_export_to_stdout_needs_a_format(cli, bundled_store) -> None:
    result = cli("export", "--store", bundled_store)
    assert result.returncode == 2
    assert "no format given for standard output" in result.stderr


def test_validate_exit_codes(cli, bundled_store) -> None:
    result = cli("validate", "--store", bundled_store)
    assert result.returncode == 0, result.stdout
    assert "0 violations" in result.stdout
    assert cli("validate", "--store", bundled_store, "--format", "json").returncode == 0
