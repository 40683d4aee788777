"""Command-line conventions and standards followed to the letter: --version,
completion, choices in --help, `llmkg docs` outside the source tree, SHACL's
sh:conforms, JSON-LD compact IRIs as jsonld.js writes them, one VoID per dump."""

from __future__ import annotations

import json
import shutil
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import ROOT


def test_version_and_completion(cli):
    done = cli("--version")
    first, where = done.stdout.splitlines()
    assert (done.returncode, first) == (0, f"llmkg {version('llmkg')}")
    # the folder messages mean by data/llm-landscape.md (bundled)
    assert (Path(where.split(" in ", 1)[1]) / "data" / "llm-landscape.md").is_file()
    help_text = cli("--help").stdout
    assert "--install-completion" in help_text and "--show-completion" in help_text
    script = cli("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert script.returncode == 0 and "_LLMKG_COMPLETE" in script.stdout
    # what the installed script asks for when Tab is pressed after `llmkg query --format `
    words = cli(env={"_LLMKG_COMPLETE": "complete_bash", "COMP_WORDS": "llmkg query --format ", "COMP_CWORD": "3"})
    assert words.stdout.split() == ["table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld"]
    commands = cli(env={"_LLMKG_COMPLETE": "complete_bash", "COMP_WORDS": "llmkg que", "COMP_CWORD": "1"})
    assert commands.stdout.split() == ["queries", "query"]


@pytest.mark.parametrize("command, shown", [
    (["query"], "[table|csv|tsv|json|turtle|ntriples|jsonld]"),
    (["queries"], "[text|json]"),
    (["validate"], "[text|turtle|json]"),
    (["validate"], "[violation|warning]"),
    (["build"], "[sparql|pyshacl]"),
    (["eval"], "[text|json]"),
    (["load"], "[auto|basic|digest]"),
    (["export"], "-f, --format [turtle|ntriples|nquads|trig|jsonld]"),
    (["plot"], "PICTURE:{timeline|lineage}"),
    (["plot"], "-f, --format [svg|png]"),
    (["build"], "[CATALOGS]... Catalog markdown files or http(s) URLs of raw catalog pages (default: the bundled catalog)."),
])
def test_fixed_choices_are_shown_in_help(cli, command, shown):
    assert shown in " ".join(cli(*command, "--help").stdout.split())


@pytest.mark.parametrize("columns", ["80", "200"])
def test_command_summaries_are_whole_sentences(cli, columns):
    listing = cli("--help", env={"COLUMNS": columns}).stdout.split("Commands:")[1]
    summaries = " ".join(listing.split())
    assert "..." not in summaries
    assert "build Build the store from catalogs: parse, extract, resolve, map, validate, store." in summaries
    assert "plot Draw a picture of the graph to an SVG or PNG file (the same Vega-Lite picture `llmkg serve` " \
           "shows)." in summaries.replace("Vega- Lite", "Vega-Lite")


def test_choices_accept_any_case(cli, bundled_store):
    assert cli("validate", "--store", bundled_store, "--format", "JSON", "--fail-on", "Violation").returncode == 0
    assert cli("query", "moe-models", "--store", bundled_store, "--format", "CSV").stdout.startswith("model,")
    assert cli("export", "--store", bundled_store, "--format", "NTriples").returncode == 0


def test_docs_go_to_a_temporary_folder_not_the_source_tree(cli, tmp_path):
    before = sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*"))
    done = cli("docs", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = done.stdout.strip().removeprefix("wrote ")
    assert page.endswith("index.html") and "llmkg-docs-" in page
    assert Path(page).is_file() and not Path(page).is_relative_to(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing in the current folder
    assert sorted(p.relative_to(ROOT) for p in (ROOT / "docs").rglob("*")) == before
    given = cli("docs", "--output", tmp_path / "html")
    assert given.stdout.strip() == f"wrote {tmp_path / 'html' / 'index.html'}"
    shutil.rmtree(Path(page).parent)


@pytest.mark.parametrize("fixture", ["release-date-missing", "duplicate-model-label", "valid", "lineage-cycle"])
def test_turtle_report_says_conforms_as_shacl_and_pyshacl_do(cli, tmp_path, fixture):
    """SHACL 1.0, 3.6.1: sh:conforms is false whenever the report holds a result;
    the exit code still counts violations only (or warnings with --fail-on)."""
    import pyoxigraph
    import pyshacl
    import rdflib

    from llmkg.validation.validate import default_shapes

    source = ROOT / "tests" / "fixtures" / "shapes" / f"{fixture}.trig"
    store = pyoxigraph.Store(str(tmp_path / "store"))
    store.load(path=str(source), format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    del store
    done = cli("validate", "--store", tmp_path / "store", "--format", "turtle")
    report = rdflib.Graph().parse(data=done.stdout, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    (ours,) = report.objects(None, sh.conforms)
    results = set(report.objects(None, sh.result))
    assert ours.toPython() is (not results)
    # pySHACL's own verdict on the same data graph and shapes
    data = rdflib.Dataset()
    data.parse(source, format="trig")
    graph = rdflib.Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        graph.add((s, p, o))
    graph.add((rdflib.URIRef("https://w3id.org/llmkg/shapes#build"),
               rdflib.URIRef("https://w3id.org/llmkg/shapes#buildDate"), rdflib.Literal("2025-06-03",
                                                                                         datatype=rdflib.XSD.date)))
    conforms, _, _ = pyshacl.validate(graph, shacl_graph=rdflib.Graph().parse(default_shapes()),
                                      inference="none", advanced=True)
    assert ours.toPython() is conforms
    violations = sh.Violation in set(report.objects(None, sh.resultSeverity))
    assert done.returncode == (1 if violations else 0)
    assert json.loads(cli("validate", "--store", tmp_path / "store", "--format", "json").stdout)["conforms"] \
        is ours.toPython()


def test_jsonld_dump_compacts_ids_as_jsonld_js_does(cli, bundled_store, tmp_path):
    from pyld import jsonld

    out = tmp_path / "dump.jsonld"
    assert cli("export", "--store", bundled_store, "--output", out, "--no-void").returncode == 0
    cli("export", "--store", bundled_store, "--output", tmp_path / "dump.nt", "--no-void")
    ours = json.loads(out.read_text(encoding="utf-8"))
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))
    expanded = jsonld.from_rdf((tmp_path / "dump.nt").read_text(encoding="utf-8"),
                               {"format": "application/n-quads", "useNativeTypes": True})
    reference = jsonld.compact(expanded, context)  # PyLD: jsonld.js's algorithms in Python
    id_typed = {t for t, d in context["@context"].items() if isinstance(d, dict) and d.get("@type") == "@id"}

    def node_iris(doc) -> set:
        found = set()

        def walk(value, key=None):
            if isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif isinstance(value, dict):
                for k, v in value.items():
                    if k == "@id" and isinstance(v, str):
                        found.add(v)
                    elif k != "@context":
                        walk(v, k)
            elif isinstance(value, str) and key in id_typed:
                found.add(value)

        walk(doc)
        return found

    assert "id:model/llama2" in node_iris(ours)
    assert node_iris(ours) == node_iris(reference)
    assert not any(iri.startswith("https://w3id.org/llmkg/id/") for iri in node_iris(ours))
    # integers are JSON numbers to a plain JSON reader, as jsonld.js writes them with native types
    llama = next(n for n in ours["@graph"] if n["@id"] == "id:model/llama2")
    assert sorted(llama["parameterCount"]) == [7000000000, 13000000000, 70000000000]
    assert llama == next(n for n in reference["@graph"] if n["@id"] == "id:model/llama2")
    # and an RDF reader gets the same xsd:integer literals back
    again = jsonld.to_rdf(ours, {"format": "application/n-quads"})
    assert '"70000000000"^^<http://www.w3.org/2001/XMLSchema#integer>' in again


def test_two_dumps_in_one_folder_keep_their_own_void(cli, bundled_store, tmp_path):
    """Reproducer: dump.nt and dump.nt.gz both wrote dump.nt.void.ttl."""
    import pyoxigraph

    for name in ("dump.nt", "dump.nt.gz"):
        done = cli("export", "--store", bundled_store, "--output", tmp_path / name)
        assert done.returncode == 0, done.stderr
        assert f"wrote {tmp_path / name}.void.ttl" in done.stderr
    void = "http://rdfs.org/ns/void#dataDump"
    for name in ("dump.nt", "dump.nt.gz"):
        path = tmp_path / f"{name}.void.ttl"
        dumps = {t.object.value for t in pyoxigraph.parse(path=str(path), base_iri=path.as_uri())
                 if t.predicate.value == void}
        assert dumps == {(tmp_path / name).as_uri()}
