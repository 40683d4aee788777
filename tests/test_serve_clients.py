"""Real SPARQL clients that nobody on this project wrote, against a running
`llmkg serve`: SPARQLWrapper (every return format, GET and POST, the four
query forms), rdflib's SPARQLStore, Jena's `rsparql` and Comunica (given the
endpoint's plain URL). Every answer is compared with the embedded store's.

Jena (Debian's libapache-jena-java) and Comunica (npm, into .cache/comunica)
are installed by scripts/ci-servers.sh; their tests skip when they are not."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parents[1]
MODEL = "https://w3id.org/llmkg/ontology#Model"
QUERIES = {
    "select": f"SELECT ?m ?label WHERE {{ ?m a <{MODEL}> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label }}",
    "ask": f"ASK {{ ?m a <{MODEL}> }}",
    "construct": f"CONSTRUCT {{ ?m a <{MODEL}> }} WHERE {{ ?m a <{MODEL}> }}",
    "describe": "DESCRIBE <https://w3id.org/llmkg/id/model/llama2>",
}


@pytest.fixture(scope="module")
def expected(served_store) -> dict:
    """What the embedded store answers: rows, the boolean, triples."""
    from llmkg.store import open_store

    store = open_store(served_store)
    run = lambda form: store.query(QUERIES[form], use_default_graph_as_union=True)  # noqa: E731
    return {"select": len(list(run("select"))), "ask": bool(run("ask")),
            "construct": len(set(run("construct"))), "describe": len(set(run("describe"))),
            "count": next(iter(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
                                           use_default_graph_as_union=True)))["n"].value}


def _size(result) -> int | bool:
    """Rows, a boolean or triples, from what a client gave back in whatever type."""
    import rdflib

    if isinstance(result, rdflib.Graph):
        return len(result)
    if isinstance(result, dict):
        return result["boolean"] if "boolean" in result else len(result["results"]["bindings"])
    if hasattr(result, "getElementsByTagName"):  # an XML DOM of SPARQL results
        booleans = result.getElementsByTagName("boolean")
        if booleans:
            return booleans[0].firstChild.data == "true"
        return len(result.getElementsByTagName("result"))
    raise AssertionError(f"unexpected result {type(result)}")


# --- SPARQLWrapper -----------------------------------------------------------------------

SOLUTION_FORMATS = ["json", "xml", "csv", "tsv"]
GRAPH_FORMATS = ["xml", "rdf+xml", "turtle", "n3", "json-ld", "json"]


def _cases():
    for form in QUERIES:
        formats = SOLUTION_FORMATS if form in ("select", "ask") else GRAPH_FORMATS
        for fmt in formats:
            for method in ("GET", "POST"):
                yield form, fmt, method


@pytest.mark.parametrize("form, fmt, method", list(_cases()))
def test_sparqlwrapper(llmkg_server, expected, form, fmt, method):
    import warnings

    import rdflib
    from SPARQLWrapper import SPARQLWrapper

    client = SPARQLWrapper(llmkg_server.url + "/sparql")
    client.setQuery(QUERIES[form])
    client.setReturnFormat(fmt)
    client.setMethod(method)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns that it sends Accept: */* for CONSTRUCT + json
        result = client.query().convert()
    if fmt in ("csv", "tsv"):
        lines = result.decode("utf-8").splitlines()
        got = lines[-1] == "true" if form == "ask" else len(lines) - 1
    elif fmt in ("turtle", "n3"):
        got = len(rdflib.Graph().parse(data=result, format=fmt))
    else:
        got = _size(result)
    assert got == expected[form]


# --- rdflib SPARQLStore ----------------------------------------------------------------------

@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
def test_rdflib_sparqlstore(llmkg_server, expected, method):
    import rdflib
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(store=SPARQLStore(llmkg_server.url + "/sparql", method=method))
    assert len(graph.query(QUERIES["select"])) == expected["select"]
    assert graph.query(QUERIES["ask"]).askAnswer is expected["ask"]
    assert len(graph.query(QUERIES["construct"])) == expected["construct"]
    assert len(graph.query(QUERIES["describe"])) == expected["describe"]
    llama = rdflib.URIRef("https://w3id.org/llmkg/id/model/llama2")
    assert len(list(graph.triples((llama, None, None)))) > 5  # its triples, as a store


# --- Jena rsparql ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> list[str]:
    """`java -cp ...` for Debian's Jena: its jars and their dependencies' (one
    logging binding), and the resource files Debian's jena-core keeps under the
    package it moved its XML Schema classes from (without them Jena cannot start)."""
    if not shutil.which("java") or not Path("/usr/share/java/jena-arq.jar").is_file():
        pytest.skip("Jena is not installed (apt-get install libapache-jena-java; scripts/ci-servers.sh)")
    import zipfile

    depends = subprocess.run(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests",
                              "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances",
                              "libapache-jena-java"], capture_output=True, text=True).stdout
    jars = set()
    for package in {line.strip() for line in depends.splitlines() if not line.startswith(" ")}:
        listed = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.split()
        jars |= {j for j in listed if j.startswith("/usr/share/java/") and j.count("/") == 4 and j.endswith(".jar")}
    jars = {j for j in jars if "slf4j" not in j and "log4j" not in j}
    jars |= {"/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"}
    fixes = tmp_path_factory.mktemp("jena-resources")
    moved = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(moved) and not name.endswith((".class", "/")):
                target = fixes / "xerces" / name[len(moved):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    return ["java", "-cp", ":".join([str(fixes), *sorted(jars)])]


def _rsparql(jena, url: str, query: str, results: str, where: Path) -> str:
    (where / "query.rq").write_text(query, encoding="utf-8")
    done = subprocess.run([*jena, "arq.rsparql", "--service", url, "--query", str(where / "query.rq"),
                           "--results", results], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stdout


@pytest.mark.parametrize("form, results", [(f, r) for f in ("select", "ask") for r in ("json", "xml", "csv", "tsv")]
                         + [(f, r) for f in ("construct", "describe") for r in ("ttl", "nt")])
def test_jena_rsparql(llmkg_server, expected, jena, form, results, tmp_path):
    out = _rsparql(jena, llmkg_server.url + "/sparql", QUERIES[form], results, tmp_path)
    if form in ("construct", "describe"):
        fmt = ox.RdfFormat.TURTLE if results == "ttl" else ox.RdfFormat.N_TRIPLES
        assert len(set(ox.parse(out.encode(), format=fmt))) == expected[form]
    elif form == "ask":
        assert ("true" if expected["ask"] else "false") in out.lower()
    elif results == "csv":  # text only (pyoxigraph reads no CSV results): rows of Python's csv
        import csv
        import io

        assert len(list(csv.reader(io.StringIO(out)))) - 1 == expected["select"]
    else:
        fmt = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
               "tsv": ox.QueryResultsFormat.TSV}[results]
        assert len(list(ox.parse_query_results(out.encode(), format=fmt))) == expected["select"]


def test_jena_reads_the_endpoints_json_ld_and_rdf_xml(llmkg_server, expected, jena, tmp_path):
    """Jena's JSON-LD 1.0 and RDF/XML readers on CONSTRUCT bodies. (Debian's Jena
    cannot *write* JSON-LD 1.1, so `rsparql --results jsonld` fails in its own
    writer on any input, a local file too: its JSON provider is not packaged.)"""
    for accept, syntax, suffix in (("application/ld+json", "jsonld10", ".jsonld"),
                                   ("application/rdf+xml", "rdfxml", ".rdf")):
        body = llmkg_server.get("/sparql", params={"query": QUERIES["construct"]}, headers={"Accept": accept})
        assert body.headers["content-type"].startswith(accept)
        path = tmp_path / f"construct{suffix}"
        path.write_bytes(body.content)
        done = subprocess.run([*jena, "riotcmd.riot", f"--syntax={syntax}", "--output=nt", str(path)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-1500:]
        triples = done.stdout or done.stderr  # riot writes to stdout
        assert len(set(ox.parse(triples.encode(), format=ox.RdfFormat.N_TRIPLES))) == expected["construct"]


# --- Comunica ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def comunica() -> str:
    binary = ROOT / ".cache" / "comunica" / "node_modules" / ".bin" / "comunica-sparql"
    if not binary.exists() or not shutil.which("node"):
        pytest.skip("Comunica is not installed (scripts/ci-servers.sh installs it with npm)")
    return str(binary)


def _comunica(binary: str, url: str, query: str, *media: str) -> str:
    done = subprocess.run([binary, url, *(["-t", media[0]] if media else []), query],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-1500:]
    return done.stdout


def test_comunica_on_the_plain_endpoint_url(llmkg_server, expected, comunica):
    """Given only the URL, Comunica finds the SPARQL endpoint (the service
    description at GET /sparql), and counts what the store holds."""
    url = llmkg_server.url + "/sparql"
    count = json.loads(_comunica(comunica, url, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert count[0]["n"].startswith(f'"{expected["count"]}"')
    assert len(json.loads(_comunica(comunica, url, QUERIES["select"]))) == expected["select"]
    assert _comunica(comunica, url, QUERIES["ask"]).strip() == ("true" if expected["ask"] else "false")
    triples = _comunica(comunica, url, QUERIES["construct"], "application/n-triples")
    assert len(set(ox.parse(triples.encode(), format=ox.RdfFormat.N_TRIPLES))) == expected["construct"]
