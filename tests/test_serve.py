"""`llmkg serve` over HTTP: the SPARQL protocol, refusals, limits, the saved
query API and the command. A real server on 127.0.0.1 (tests/servers.py),
spoken to with httpx as any SPARQL client would, results compared with the
embedded store's."""

from __future__ import annotations

import socket
import threading

import httpx
import pyoxigraph as ox
import pytest

from conftest import run_cli

JSON = "application/sparql-results+json"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
MODELS = "PREFIX llmkg: <https://w3id.org/llmkg/ontology#> SELECT ?m WHERE { ?m a llmkg:Model } ORDER BY ?m"


def rows_of(response: httpx.Response) -> list[tuple]:
    media = response.headers["content-type"].split(";")[0]
    fmt = {JSON: ox.QueryResultsFormat.JSON, "application/sparql-results+xml": ox.QueryResultsFormat.XML,
           "text/tab-separated-values": ox.QueryResultsFormat.TSV}[media]
    return [tuple(s) for s in ox.parse_query_results(response.content, format=fmt)]


def local_rows(store, text: str) -> list[tuple]:
    from llmkg.store import open_store

    return [tuple(s) for s in open_store(store).query(text, use_default_graph_as_union=True)]


# --- SPARQL 1.1 Protocol --------------------------------------------------------

def test_get_post_form_and_post_direct_give_the_store_rows(llmkg_server, served_store):
    expected = local_rows(served_store, MODELS)
    assert len(expected) > 100
    by_get = llmkg_server.get("/sparql", params={"query": MODELS}, headers={"Accept": JSON})
    by_form = llmkg_server.post("/sparql", data={"query": MODELS}, headers={"Accept": JSON})
    by_body = llmkg_server.post("/sparql", content=MODELS.encode(),
                   headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(JSON)
        assert rows_of(response) == expected


@pytest.mark.parametrize("accept, media", [
    (JSON, JSON), ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("*/*", JSON), (None, JSON)])
def test_select_results_by_accept(llmkg_server, served_store, accept, media):
    headers = {"Accept": accept} if accept else {}
    response = llmkg_server.get("/sparql", params={"query": MODELS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    expected = local_rows(served_store, MODELS)
    if media == "text/csv":
        lines = response.text.splitlines()
        assert lines[0] == "m" and lines[1:] == [m.value for (m,) in expected]
    else:
        assert rows_of(response) == expected


def test_unacceptable_accept_is_406(llmkg_server):
    response = llmkg_server.get("/sparql", params={"query": MODELS}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.text.startswith("Error: cannot answer")


@pytest.mark.parametrize("accept, fmt", [("text/turtle", ox.RdfFormat.TURTLE),
                                         ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                                         ("application/ld+json", ox.RdfFormat.JSON_LD)])
def test_construct_and_describe_as_rdf(llmkg_server, served_store, accept, fmt):
    construct = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                 "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m rdfs:label ?l }")
    expected = set(local_rows(served_store, construct))
    response = llmkg_server.get("/sparql", params={"query": construct}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    assert {(t.subject, t.predicate, t.object) for t in ox.parse(response.content, format=fmt)} == expected
    describe = llmkg_server.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/llmkg/id/model/llama2>"},
                   headers={"Accept": accept})
    labels = [t.object.value for t in ox.parse(describe.content, format=fmt)
              if t.predicate.value.endswith("#label")]
    assert labels == ["Llama 2"]


def test_ask(llmkg_server):
    response = llmkg_server.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": JSON})
    assert response.json() == {"head": {}, "boolean": True}


def test_malformed_query_is_one_line_400(llmkg_server):
    response = llmkg_server.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    assert response.text.startswith("Error: malformed SPARQL") and response.text.count("\n") == 1


# --- read-only, SERVICE ----------------------------------------------------------

def _store_files(store) -> dict:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(store.iterdir())}


@pytest.mark.parametrize("how", ["direct", "form-update", "query-text", "get-update"])
def test_updates_are_refused_and_the_store_is_unchanged(llmkg_server, served_store, how):
    update = "INSERT DATA { <https://example.org/x> <https://example.org/p> 1 }"
    before, count = _store_files(served_store), local_rows(served_store, COUNT)
    if how == "direct":
        response = llmkg_server.post("/sparql", content=update,
                        headers={"Content-Type": "application/sparql-update"})
    elif how == "form-update":
        response = llmkg_server.post("/sparql", data={"update": update})
    elif how == "query-text":
        response = llmkg_server.post("/sparql", data={"query": update})
    else:
        response = llmkg_server.get("/sparql", params={"update": update})
    assert response.status_code == 403
    assert "read-only" in response.text
    after = llmkg_server.get("/sparql", params={"query": "ASK { <https://example.org/x> ?p ?o }"},
                headers={"Accept": JSON})
    assert after.json()["boolean"] is False
    assert _store_files(served_store) == before and local_rows(served_store, COUNT) == count


def test_service_is_refused_and_no_request_leaves(llmkg_server):
    calls = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]

    def accept() -> None:
        try:
            calls.append(listener.accept())
        except OSError:
            pass

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        response = llmkg_server.get("/sparql", params={"query": query})
        thread.join()
    finally:
        listener.close()
    assert response.status_code == 403
    assert response.text.startswith("Error: SERVICE is refused")
    assert calls == []


# --- limits ------------------------------------------------------------------------

@pytest.fixture
def limited_server(served_store, tmp_path):
    """A server of its own, with a row cap of 5."""
    from servers import running_llmkg

    with running_llmkg(served_store, tmp_path, "--max-rows", "5", "--timeout", "1", "--workers", "2") as server:
        yield server


def test_row_cap_is_stated(limited_server):
    response = limited_server.get("/sparql", params={"query": MODELS}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 5
    assert response.headers["llmkg-limit"] == "row cap of 5 rows reached: results truncated"
    assert response.json()["head"]["limit"] == response.headers["llmkg-limit"]
    assert response.json()["head"]["link"][0].startswith("urn:llmkg:limit:row%20cap")  # what clients keep
    xml = limited_server.get("/sparql", params={"query": MODELS}, headers={"Accept": "application/sparql-results+xml"})
    assert b'<link href="urn:llmkg:limit:row%20cap' in xml.content and len(rows_of(xml)) == 5
    csv = limited_server.get("/sparql", params={"query": MODELS}, headers={"Accept": "text/csv"})
    assert len(csv.text.splitlines()) == 6 and "row cap" in csv.headers["llmkg-limit"]
    small = limited_server.get("/sparql", params={"query": COUNT}, headers={"Accept": JSON})
    assert "llmkg-limit" not in small.headers and "limit" not in small.json()["head"]


# --- saved queries as an HTTP API ---------------------------------------------------

def test_saved_query_api_binds_parameters_as_the_cli_does(llmkg_server, served_store):
    from llmkg.query.saved import run

    expected = run("lineage", store=served_store, params={"model": "code llama"}).rows
    response = llmkg_server.get("/queries/lineage", params={"model": "code llama"}, headers={"Accept": JSON})
    assert response.status_code == 200
    assert rows_of(response) == expected and expected
    as_csv = llmkg_server.get("/queries/lineage", params={"model": "code llama", "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0] == "start,startName,ancestor,ancestorName,depth"


def test_saved_query_parameter_is_a_term_not_text(llmkg_server):
    injection = 'x" } } SELECT * WHERE { ?s ?p ?o } #'
    response = llmkg_server.get("/queries/lineage", params={"model": injection}, headers={"Accept": JSON})
    assert response.status_code == 200 and response.json()["results"]["bindings"] == []


@pytest.mark.parametrize("path, status, message", [
    ("/queries/lineage?limit=3", 400, "Error: query 'lineage' has no parameter 'limit'"),
    ("/queries/largest-context-windows?limit=many", 400, "Error: parameter 'limit' needs an integer, got 'many'"),
    ("/queries/nothing-like-this", 404, "Error: no saved query 'nothing-like-this'"),
    ("/queries/..%2Fpyproject.toml", 404, "Error: "),
    ("/queries/lineage.rq", 404, "Error: no saved query"),
])
def test_saved_query_errors_are_one_line(llmkg_server, path, status, message):
    response = llmkg_server.get(path, headers={"Accept": JSON})
    assert response.status_code == status
    assert response.text.startswith(message) and response.text.count("\n") == 1


def test_query_list_is_json(llmkg_server):
    listed = {q["name"]: q for q in llmkg_server.get("/queries").json()}
    assert "lineage" in listed and listed["lineage"]["params"][0]["name"] == "model"


# --- the command ------------------------------------------------------------------------

def test_non_loopback_host_warns_and_a_taken_port_is_one_line(tmp_path, served_store):
    taken = socket.socket()
    taken.bind(("0.0.0.0", 0))
    taken.listen(1)
    try:
        done = run_cli("serve", "--store", served_store, "--host", "0.0.0.0",
                       "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert "Warning: listening on 0.0.0.0: the endpoint has no authentication" in done.stderr
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1].startswith("Error: cannot listen on 0.0.0.0:")
    assert "Traceback" not in done.stderr


def test_is_loopback():
    from llmkg.publish.serve.server import is_loopback

    assert all(map(is_loopback, ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.2", "example.org"]))


@pytest.mark.parametrize("args", [["--help"], ["query", "models-per-organization"], ["queries"]])
def test_other_commands_import_nothing_of_the_server(bundled_store, args):
    import subprocess
    import sys

    if args[0] == "query":
        args = args + ["--store", str(bundled_store)]
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "llmkg", *args],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    imported = {line.split("|")[-1].strip().split(".")[0] for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "typer" in imported  # the listing is real
    assert not imported & {"starlette", "uvicorn", "jinja2", "vl_convert", "anyio"}


@pytest.mark.parametrize("args, message", [
    (["--store", "{tmp}/no-store"], "Error: no store here ({tmp}/no-store). Run `llmkg build --store DIR` first"),
    (["--workers", "0"], "Error: --timeout, --max-rows and --workers must be positive"),
])
def test_serve_errors_are_one_line(tmp_path, served_store, args, message):
    args = [a.format(tmp=tmp_path) for a in args]
    if "--store" not in args:
        args += ["--store", str(served_store)]
    done = run_cli("serve", "--port", "0", *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message.format(tmp=tmp_path)) and done.stderr.count("\n") == 1


# --- the protocol dataset --------------------------------------------------------------

DATA = "https://w3id.org/llmkg/graph/data"
LLAMA = "ASK { <https://w3id.org/llmkg/id/model/llama2> a ?type }"


@pytest.mark.parametrize("how", ["get", "form", "direct"])
def test_protocol_dataset_is_honoured_not_ignored(llmkg_server, how):
    """The same ASK is true over the data graph and false over a graph that
    does not exist: the dataset replaces the union default graph."""
    def ask(graph: str) -> bool:
        if how == "get":
            response = llmkg_server.get("/sparql", params={"query": LLAMA, "default-graph-uri": graph},
                                        headers={"Accept": JSON})
        elif how == "form":
            response = llmkg_server.post("/sparql", data={"query": LLAMA, "default-graph-uri": graph},
                                         headers={"Accept": JSON})
        else:
            response = llmkg_server.post("/sparql", params={"default-graph-uri": graph}, content=LLAMA,
                                         headers={"Content-Type": "application/sparql-query", "Accept": JSON})
        assert response.status_code == 200, response.text
        return response.json()["boolean"]

    assert ask(DATA) is True and ask("https://example.org/no-such-graph") is False
    named = llmkg_server.get("/sparql", params={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                                "named-graph-uri": DATA}, headers={"Accept": JSON})
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [DATA]


def test_saved_queries_honour_the_dataset_and_pages_refuse_it(llmkg_server):
    whole = llmkg_server.get("/queries/models-per-organization", headers={"Accept": JSON})
    empty = llmkg_server.get("/queries/models-per-organization", headers={"Accept": JSON},
                             params={"default-graph-uri": "https://example.org/no-such-graph"})
    assert whole.json()["results"]["bindings"] and empty.json()["results"]["bindings"] == []
    for path in ("/id/model/llama2", "/search?q=llama", "/pictures/timeline", "/"):
        refused = llmkg_server.get(path, params={"default-graph-uri": DATA})
        assert refused.status_code == 400
        assert refused.text.startswith("Error: default-graph-uri and named-graph-uri are not honoured by")


def test_relative_iris_resolve_against_the_endpoint(llmkg_server):
    response = llmkg_server.post("/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}",
                                 headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.text.startswith(f"<{llmkg_server.url}/s> <{llmkg_server.url}/p> ")
