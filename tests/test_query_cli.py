"""`llmkg query` and `llmkg queries` as an analyst uses them: ad-hoc text, every
query form, discoverable saved queries, and tables that read well."""

from __future__ import annotations

import json
import re

import pyoxigraph
import pytest

from conftest import ROOT
from servers import oxigraph_server  # noqa: F401

LLMKG = "https://w3id.org/llmkg/ontology#"


def one_line_error(result, start: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.startswith(start), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# -- 1. ad-hoc queries ----------------------------------------------------------------


def test_inline_and_standard_input_queries_run(cli, bundled_store, tmp_path):
    text = f"SELECT (COUNT(*) AS ?models) WHERE {{ ?m a <{LLMKG}Model> }}"
    inline = cli("query", "-e", text, "--store", bundled_store, "--format", "csv")
    assert inline.returncode == 0, inline.stderr
    header, count = inline.stdout.splitlines()
    assert header == "models" and int(count) > 100
    piped = run_stdin(["query", "-", "--store", bundled_store, "--format", "csv"], text)
    assert piped.returncode == 0 and piped.stdout == inline.stdout
    broken = run_stdin(["query", "-", "--store", bundled_store], "SELECT ?x WHERE {\n ?x\n")
    one_line_error(broken, "Error: malformed SPARQL")
    assert "(<stdin>:" in broken.stderr
    one_line_error(cli("query", "--store", bundled_store), "Error: give a query name")
    one_line_error(cli("query", "lineage", "-e", text, "--store", bundled_store), "Error: give a query name")


def run_stdin(args, text):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "llmkg", *map(str, args)], input=text, capture_output=True,
                          text=True, cwd=ROOT, env=dict(os.environ), timeout=120)


# -- 2. every query form --------------------------------------------------------------


def test_ask_prints_true_or_false_and_exits_0(cli, bundled_store):
    yes = cli("query", "-e", f"ASK {{ ?m a <{LLMKG}Model> }}", "--store", bundled_store)
    no = cli("query", "-e", "ASK { ?m a <urn:nothing> }", "--store", bundled_store, "--format", "json")
    assert (yes.returncode, yes.stdout) == (0, "true\n")
    assert no.returncode == 0 and json.loads(no.stdout) == {"head": {}, "boolean": False}


@pytest.mark.parametrize("fmt, parse_as", [("turtle", "turtle"), ("ntriples", "ntriples"), ("jsonld", None)])
def test_construct_and_describe_give_rdf(cli, bundled_store, fmt, parse_as):
    construct = (f"CONSTRUCT {{ ?m <{LLMKG}developedBy> ?o }} WHERE {{ ?m <{LLMKG}developedBy> ?o }}")
    result = cli("query", "-e", construct, "--store", bundled_store, "--format", fmt)
    assert result.returncode == 0, result.stderr
    expected = cli("query", "-e", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m <{LLMKG}developedBy> ?o }}",
                   "--store", bundled_store, "--format", "csv").stdout.split()[1]
    if parse_as:
        triples = list(pyoxigraph.parse(result.stdout.encode(), format=getattr(
            pyoxigraph.RdfFormat, {"turtle": "TURTLE", "ntriples": "N_TRIPLES"}[parse_as])))
    else:
        from pyld import jsonld

        triples = jsonld.to_rdf(json.loads(result.stdout), {"format": "application/n-quads"}).splitlines()
    assert len(triples) == int(expected) > 50
    again = cli("query", "-e", construct, "--store", bundled_store, "--format", fmt)
    assert again.stdout == result.stdout  # sorted like a dump


def test_describe_defaults_to_turtle(cli, bundled_store):
    result = cli("query", "-e", "DESCRIBE <https://w3id.org/llmkg/id/model/llama2>", "--store", bundled_store)
    assert result.returncode == 0, result.stderr
    graph = list(pyoxigraph.parse(result.stdout.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    assert {t.subject.value for t in graph} == {"https://w3id.org/llmkg/id/model/llama2"}
    one_line_error(cli("query", "-e", "DESCRIBE <urn:x>", "--store", bundled_store, "--format", "csv"),
                   "Error: a DESCRIBE query gives RDF, not csv")
    one_line_error(cli("query", "moe-models", "--store", bundled_store, "--format", "turtle"),
                   "Error: turtle is for CONSTRUCT and DESCRIBE queries")


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX insert: <urn:x#>\n# SELECT in a comment\nDELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x.ttl>",
    "CLEAR ALL",
])
def test_an_update_is_refused_as_an_update(cli, bundled_store, tmp_path, update):
    """Reproducer: a file holding an update said "expected CONSTRUCT ..."."""
    query = tmp_path / "update.rq"
    query.write_text(update + "\n", encoding="utf-8")
    result = cli("query", query, "--store", bundled_store)
    one_line_error(result, f"Error: updates are not allowed ({query})")
    one_line_error(cli("query", "-e", update, "--store", bundled_store), "Error: updates are not allowed (-e)")


# -- 3. discoverable queries ----------------------------------------------------------


def test_queries_as_json_and_show(cli):
    listed = cli("queries", "--format", "JSON")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    assert [e["name"] for e in entries] == sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    lineage = next(e for e in entries if e["name"] == "lineage")
    assert lineage["params"] == [{"name": "model", "type": "name", "default": "Code Llama", "required": False,
                                  "description": lineage["params"][0]["description"]}]
    assert lineage["tags"] and lineage["summary"] and lineage["path"].endswith("lineage.rq")
    shown = cli("query", "lineage", "--show")
    assert shown.returncode == 0
    assert shown.stdout == (ROOT / "queries" / "lineage.rq").read_text(encoding="utf-8")
    assert "params:" in shown.stdout and str(ROOT / "queries" / "lineage.rq") in shown.stderr


def test_query_help_says_how_to_list_queries(cli):
    text = cli("query", "--help").stdout
    assert "llmkg queries" in text and "standard input" in text
    assert "[table|csv|tsv|json|turtle|ntriples|jsonld]" in " ".join(text.split())
    assert "SPARQL 1.1 TSV" in " ".join(text.split())


def test_an_unknown_name_suggests_close_ones(cli, bundled_store):
    result = cli("query", "lineag", "--store", bundled_store)
    one_line_error(result, "Error: unknown query 'lineag'. Did you mean lineage or lineage-tree?")
    assert "models-per-organization" not in result.stderr  # not every name on one line
    far = cli("query", "zzzz", "--store", bundled_store)
    one_line_error(far, "Error: unknown query 'zzzz'. Run `llmkg queries`")


def test_a_name_that_matches_nothing_says_so(cli, bundled_store):
    miss = cli("query", "lineage", "-p", "model=Lamma 2", "--store", bundled_store)
    assert miss.returncode == 0 and "(0 rows)" in miss.stdout
    assert miss.stderr.startswith("note: no entity is named 'Lamma 2' (parameter model); did you mean 'Llama 2'")
    hit = cli("query", "lineage", "-p", "model=code llama", "--store", bundled_store)
    assert hit.returncode == 0 and hit.stderr == ""


def test_own_queries_folder_comes_first(cli, bundled_store, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "model-count.rq").write_text(
        f"#+ summary: How many models there are, by my own count\n"
        f"SELECT (COUNT(*) AS ?n) WHERE {{ ?m a <{LLMKG}Model> }}\n", encoding="utf-8")
    (mine / "lineage.rq").write_text("#+ summary: my own lineage, shadowing the shipped one\nASK {}\n")
    listed = cli("queries", "--queries", mine)
    assert "model-count: How many models" in listed.stdout
    assert "lineage: my own lineage" in listed.stdout and "descendants:" in listed.stdout
    env = {"LLMKG_QUERIES": str(mine)}
    assert cli("query", "model-count", "--store", bundled_store, "-f", "csv", env=env).stdout.split()[1].isdigit()
    assert cli("query", "lineage", "--store", bundled_store, env=env).stdout == "true\n"
    one_line_error(cli("queries", "--queries", tmp_path / "none"), "Error: no such folder of saved queries")


# -- 4. readable tables ---------------------------------------------------------------


def columns(rule: str) -> list[tuple[int, int]]:
    """(start, end) of each column, read off the table's rule of dashes."""
    return [m.span() for m in re.finditer(r"-+", rule)]


def test_table_numbers_are_grouped_and_right_aligned_raw_elsewhere(cli, bundled_store):
    table = cli("query", "moe-models", "--store", bundled_store, env={"COLUMNS": "200"}).stdout.splitlines()
    header, rule, *rows = table[:-1]
    spans = dict(zip(header.split(), columns(rule)))
    start, end = spans["totalParameters"]
    cells = [row[start:end] for row in rows if row[start:end].strip()]
    assert cells and all(re.fullmatch(r" *\d{1,3}(,\d{3})*", cell) for cell in cells), cells
    assert any(cell.startswith(" ") for cell in cells)  # shorter numbers are padded on the left
    assert any(re.search(r"\d{1,3}(,\d{3}){3}", cell) for cell in cells)  # 671,000,000,000
    csv_out = cli("query", "moe-models", "--store", bundled_store, "--format", "csv").stdout
    assert re.search(r",\d{10,}\b", csv_out) and not re.search(r"\d,\d{3},\d{3}", csv_out)
    years = cli("query", "releases-per-year", "--store", bundled_store).stdout
    assert re.search(r"^ *20\d\d\b", years, flags=re.M), "years stay four plain digits"


def test_every_iri_is_compacted_in_a_table(cli, bundled_store):
    text = ("SELECT ?foaf ?source ?catalog ?model ?other WHERE { "
            "BIND(<http://xmlns.com/foaf/0.1/page> AS ?foaf) "
            "BIND(<https://w3id.org/llmkg/id/source/llm-landscape.md/80> AS ?source) "
            "BIND(<https://w3id.org/llmkg/id/catalog/llm-landscape.md> AS ?catalog) "
            "BIND(<https://w3id.org/llmkg/id/model/llama2> AS ?model) BIND(<urn:x> AS ?other) }")
    row = cli("query", "-e", text, "--store", bundled_store).stdout.splitlines()[2].split()
    assert row == ["foaf:page", "source:llm-landscape.md/80", "catalog:llm-landscape.md", "model:llama2", "urn:x"]


def test_table_fits_the_terminal_width(cli, bundled_store):
    wide = cli("query", "where-from", "--store", bundled_store, env={"COLUMNS": "1000"}).stdout
    narrow = cli("query", "where-from", "--store", bundled_store, env={"COLUMNS": "60"}).stdout
    assert max(map(len, wide.splitlines())) > 60
    assert max(map(len, narrow.splitlines())) <= 60 and "…" in narrow
    assert len(narrow.splitlines()) == len(wide.splitlines())


def test_csv_and_tsv_follow_the_sparql_results_formats(cli, bundled_store):
    text = ('SELECT ?iri ?n ?s ?blank WHERE { BIND(<https://w3id.org/llmkg/id/model/llama2> AS ?iri) '
            'BIND(7000000000 AS ?n) BIND("a, \\"b\\"" AS ?s) }')
    import os
    import subprocess
    import sys

    csv_out = subprocess.run([sys.executable, "-m", "llmkg", "query", "-e", text, "--store", str(bundled_store),
                              "-f", "Csv"], capture_output=True, cwd=ROOT, env=dict(os.environ)).stdout
    assert csv_out == b'iri,n,s,blank\r\nhttps://w3id.org/llmkg/id/model/llama2,7000000000,"a, ""b""",\r\n'
    tsv_out = cli("query", "-e", text, "--store", bundled_store, "-f", "TSV").stdout
    assert tsv_out == ('?iri\t?n\t?s\t?blank\n<https://w3id.org/llmkg/id/model/llama2>\t'
                       '"7000000000"^^<http://www.w3.org/2001/XMLSchema#integer>\t"a, \\"b\\""\t\n')


# -- the same on a remote endpoint ----------------------------------------------------


def test_every_form_runs_on_a_remote_endpoint_as_on_the_store(cli, bundled_store, oxigraph_server):
    from llmkg.publish.load import load

    load(bundled_store, endpoint=oxigraph_server.gsp_url, replace=True)
    construct = f"CONSTRUCT {{ ?m <{LLMKG}basedOn> ?b }} WHERE {{ ?m <{LLMKG}basedOn> ?b }}"
    for args in (["-e", f"ASK {{ ?m a <{LLMKG}Model> }}"], ["-e", "ASK { ?m a <urn:none> }"],
                 ["-e", construct, "--format", "ntriples"], ["moe-models", "--format", "csv"],
                 ["lineage", "-p", "model=wizardcoder", "--format", "tsv"]):
        remote = cli("query", *args, "--endpoint", oxigraph_server.query_url)
        local = cli("query", *args, "--store", bundled_store)
        assert remote.returncode == local.returncode == 0, remote.stderr + local.stderr
        assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines()), args
    miss = cli("query", "lineage", "-p", "model=Lamma 2", "--endpoint", oxigraph_server.query_url)
    assert miss.returncode == 0 and miss.stderr == "note: no entity is named 'Lamma 2' (parameter model)\n"


def test_known_prefixes_need_no_prefix_line(cli, bundled_store):
    """What the tables show (llmkg:, rdfs:, model:) can be pasted into -e as is."""
    done = cli("query", "--store", bundled_store, "--format", "csv", "-e",
               "SELECT ?n WHERE { model:llama2 a llmkg:Model ; rdfs:label ?n }")
    assert (done.returncode, done.stdout, done.stderr) == (0, "n\nLlama 2\n", "")
    # a declaration of its own wins; one in a string, an IRI or a comment is no use of a prefix
    own = cli("query", "--store", bundled_store, "--format", "csv", "-e",
              "PREFIX rdfs: <http://example.org/> # foo:bar\n"
              "SELECT ?n WHERE { model:llama2 rdfs:label ?n FILTER(?n != 'x:y' && ?n != <http://a/b:c>) }")
    assert (own.returncode, own.stdout) == (0, "n\n")


def test_unknown_prefix_is_named_with_its_line(cli, bundled_store):
    done = cli("query", "--store", bundled_store, "-e", "SELECT *\nWHERE { ?s foo:bar ?o }")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith("Error: unknown prefix 'foo:' (-e:2). Declare it (PREFIX foo: <IRI>) "
                                  "or use one llmkg knows: ")
    assert "llmkg:," in done.stderr and "schema:," in done.stderr


def test_prefixes_go_after_a_header():
    from llmkg.query.prefixes import with_prefixes

    text = "#+ summary: mine\n# a comment\nSELECT * { ?s a llmkg:Model }"
    assert with_prefixes(text) == ("#+ summary: mine\n# a comment\n"
                                   "PREFIX llmkg: <https://w3id.org/llmkg/ontology#> SELECT * { ?s a llmkg:Model }")
