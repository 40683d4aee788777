"""`llmkg load` and remote queries against real servers (tests/servers.py):
counts verified, idempotent, --replace, one-graph mode, authentication,
failures reported as EndpointError, and parity of every saved query between
the embedded store and each server after a load.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

ox = pytest.importorskip("pyoxigraph")
httpx = pytest.importorskip("httpx")

from llmkg import vocab as V  # noqa: E402
from llmkg.query.endpoint import select  # noqa: E402
from llmkg.errors import EndpointError, StoreError  # noqa: E402
from llmkg.publish.load import derive_query_endpoint, gsp_url, load  # noqa: E402

# The server fixtures; importing them here makes this module work with or
# without `pytest_plugins = ["servers"]` in conftest.py.
from servers import free_port, oxigraph_server, virtuoso_server  # noqa: E402,F401

ROOT = Path(__file__).resolve().parent.parent
QUERY_FILES = sorted((ROOT / "queries").glob("*.rq"))
XSD = V.XSD
SERVERS = ["oxigraph_server", "virtuoso_server"]
TEST_GRAPHS = "https://example.org/graph/"  # graphs only these tests write


def nn(iri: str):
    return ox.NamedNode(iri)


def lit(value: str, datatype: str | None = None, language: str | None = None):
    if language:
        return ox.Literal(value, language=language)
    return ox.Literal(value, datatype=nn(datatype)) if datatype else ox.Literal(value)


# --------------------------------------------------------------------------
# Stores


@pytest.fixture(scope="session")
def built_store(tmp_path_factory):
    """The bundled catalog, built by the library (no validation: not tested here)."""
    build = pytest.importorskip("llmkg.build")
    path = tmp_path_factory.mktemp("built") / "store"
    build.build(store=path, validate=False)
    return path


def tricky_quads() -> list:
    """Terms that servers like to normalise: languages, datatypes, escapes, unicode."""
    data, prov, inferred = nn(V.DATA_GRAPH), nn(V.PROVENANCE_GRAPH), nn(V.INFERRED_GRAPH)
    m = nn(V.iri(V.MODEL, "llama2"))
    o = nn(V.iri(V.ORGANIZATION, "meta"))
    p = V.LLMKG
    return [
        ox.Quad(m, nn(V.RDF + "type"), nn(p + "Model"), data),
        ox.Quad(m, nn(V.RDFS + "label"), lit("Llama 2"), data),
        ox.Quad(m, nn(V.SKOS + "altLabel"), lit("TÜLU “quoted” \"x\" \\ back\nline\ttab 💡"), data),
        ox.Quad(m, nn(V.SKOS + "altLabel"), lit("Lama", language="de"), data),
        ox.Quad(m, nn(p + "parameterCount"), lit("70000000000", XSD + "integer"), data),
        ox.Quad(m, nn(p + "releaseDate"), lit("2023-07-18", XSD + "date"), data),
        ox.Quad(m, nn(p + "publicationDate"), lit("2023-07", XSD + "gYearMonth"), data),
        ox.Quad(m, nn(p + "webPage"), nn("https://example.org/a%20b?x=1&y=2#frag"), data),
        ox.Quad(m, nn(p + "developedBy"), o, data),
        ox.Quad(o, nn(p + "developed"), m, inferred),
        # the same triple in two graphs: one copy each, one copy with --graph
        ox.Quad(m, nn(V.RDFS + "label"), lit("Llama 2"), inferred),
        ox.Quad(m, nn(V.PROV + "wasDerivedFrom"), nn(V.iri(V.SOURCE, "cat/12")), prov),
        ox.Quad(nn(V.iri(V.SOURCE, "cat/12")), nn(p + "lineNumber"), lit("12", XSD + "integer"), prov),
    ]


@pytest.fixture(scope="session")
def tricky_store():
    store = ox.Store()
    store.extend(tricky_quads())
    return store


def graph_triples(store, graph: str) -> set:
    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, nn(graph))}


def server_triples(server, graph: str) -> set:
    _, rows = select(server.query_url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {ox.Triple(*row) for row in rows}


def server_of(request, name):
    return request.getfixturevalue(name)


INT32 = 2**31


def as_server_keeps(server_name: str, term):
    """The term as the server gives it back. Virtuoso 7.2's Turtle and
    N-Triples loader turns an xsd:integer outside the 32-bit range into an
    xsd:decimal of the same digits (docs/stores.md); nothing else changes."""
    if (server_name.startswith("virtuoso") and isinstance(term, ox.Literal)
            and term.datatype.value == XSD + "integer" and abs(int(term.value)) >= INT32):
        return lit(term.value, XSD + "decimal")
    return term


def as_server_keeps_triple(server_name: str, triple):
    return ox.Triple(triple.subject, triple.predicate, as_server_keeps(server_name, triple.object))


def creds(server) -> dict:
    return {"user": server.user, "password": server.password}


# --------------------------------------------------------------------------
# Loading into real servers


@pytest.mark.parametrize("name", SERVERS)
def test_load_round_trips_every_graph_exactly(request, name, tricky_store):
    server = server_of(request, name)
    report = load(tricky_store, endpoint=server.gsp_url, replace=True, chunk_triples=4, **creds(server))
    assert report.ok()
    assert report.query_endpoint == server.query_url
    by_target = {g.target: g for g in report.graphs}
    assert set(by_target) == {V.DATA_GRAPH, V.PROVENANCE_GRAPH, V.INFERRED_GRAPH}
    # replacing with a store that has no `inferred` graph empties it on the server
    without = ox.Store()
    without.extend(q for q in tricky_store if q.graph_name.value != V.INFERRED_GRAPH)
    emptied = load(without, endpoint=server.gsp_url, replace=True, **creds(server))
    assert {g.target: g.after for g in emptied.graphs}[V.INFERRED_GRAPH] == 0
    assert server_triples(server, V.INFERRED_GRAPH) == set()
    report = load(tricky_store, endpoint=server.gsp_url, replace=True, chunk_triples=4, **creds(server))
    for graph, loaded in by_target.items():
        local = graph_triples(tricky_store, graph)
        assert loaded.sent == loaded.after == len(local)
        # not only the counts: every term comes back as it was sent
        assert server_triples(server, graph) == {as_server_keeps_triple(name, t) for t in local}
    assert by_target[V.DATA_GRAPH].chunks == 3  # 9 triples in chunks of 4


@pytest.mark.parametrize("name", SERVERS)
def test_load_is_idempotent_and_replace_drops_stale_triples(request, name, built_store):
    server = server_of(request, name)
    target = TEST_GRAPHS + "idempotence-" + name
    first = load(built_store, endpoint=server.gsp_url, graph=target, replace=True, **creds(server))
    (one,) = first.graphs
    assert one.after == one.sent > 1000
    again = load(built_store, endpoint=server.gsp_url, graph=target, **creds(server))
    assert again.graphs[0].before == again.graphs[0].after == one.after
    assert again.graphs[0].kept == 0
    # a stale triple from an older build stays without --replace ...
    stale = ox.Store()
    stale.add(ox.Quad(nn(V.iri(V.MODEL, "gone")), nn(V.RDFS + "label"), lit("Gone"), nn(target)))
    load(stale, endpoint=server.gsp_url, **creds(server))
    kept = load(built_store, endpoint=server.gsp_url, graph=target, **creds(server))
    assert kept.graphs[0].after == one.after + 1 and kept.graphs[0].kept == 1
    assert "use --replace" in kept.summary()
    # ... and goes with it
    replaced = load(built_store, endpoint=server.gsp_url, graph=target, replace=True, **creds(server))
    assert replaced.graphs[0].after == one.after and replaced.graphs[0].kept == 0


@pytest.mark.parametrize("name", SERVERS)
def test_one_graph_mode_stores_a_triple_once(request, name, tricky_store):
    server = server_of(request, name)
    target = TEST_GRAPHS + "all-" + name
    report = load(tricky_store, endpoint=server.gsp_url, graph=target, replace=True, **creds(server))
    everything = {ox.Triple(q.subject, q.predicate, q.object) for q in tricky_store}
    assert len(everything) == len(tricky_quads()) - 1  # the label in two graphs
    assert report.graphs[0].sent == report.graphs[0].after == len(everything)
    assert server_triples(server, target) == {as_server_keeps_triple(name, t) for t in everything}


def test_default_graph_mode_on_oxigraph(oxigraph_server, tricky_store):
    try:
        report = load(tricky_store, endpoint=oxigraph_server.gsp_url, graph="default", replace=True)
        (only,) = report.graphs
        everything = {ox.Triple(q.subject, q.predicate, q.object) for q in tricky_store}
        assert only.target is None and only.sent == only.after == len(everything)
        fetched = httpx.get(gsp_url(oxigraph_server.gsp_url, None),
                            headers={"Accept": "application/n-triples"})
        assert {q.triple for q in ox.parse(fetched.content, format=ox.RdfFormat.N_TRIPLES)} == everything
    finally:  # leave the default graph empty for the parity tests
        httpx.delete(gsp_url(oxigraph_server.gsp_url, None))


@pytest.mark.parametrize("name", SERVERS)
def test_progress_reports_every_chunk(request, name, built_store):
    server = server_of(request, name)
    calls = []
    report = load(built_store, endpoint=server.gsp_url, replace=True, chunk_triples=2000,
                  progress=lambda done, total: calls.append((done, total)), **creds(server))
    total = report.sent
    assert [t for _, t in calls] == [total] * report.chunks
    assert [d for d, _ in calls] == sorted({d for d, _ in calls}) and calls[-1][0] == total
    assert report.chunks == sum(-(-g.sent // 2000) for g in report.graphs)


def test_virtuoso_merging_two_literals_fails_verification(virtuoso_server):
    """Virtuoso 7.2 stores "2023-07"^^xsd:gYearMonth and "2023-07-01"^^xsd:date
    as one value, so one of two triples vanishes: the count must catch it."""
    store = ox.Store()
    target = TEST_GRAPHS + "merged"
    m = nn(V.iri(V.MODEL, "x"))
    store.add(ox.Quad(m, nn(V.LLMKG + "releaseDate"), lit("2023-07", XSD + "gYearMonth"), nn(target)))
    store.add(ox.Quad(m, nn(V.LLMKG + "releaseDate"), lit("2023-07-01", XSD + "date"), nn(target)))
    with pytest.raises(EndpointError, match=f"<{target}> expected 2 triples, found 1") as info:
        load(store, endpoint=virtuoso_server.gsp_url, replace=True, **creds(virtuoso_server))
    assert not info.value.report.ok()


def test_virtuoso_refuses_a_wrong_password(virtuoso_server, tricky_store):
    with pytest.raises(EndpointError, match="HTTP 401") as info:
        load(tricky_store, endpoint=virtuoso_server.gsp_url, user="dba", password="wrong")
    assert "credentials" in str(info.value)


def test_virtuoso_refuses_anonymous_writes(virtuoso_server, tricky_store):
    with pytest.raises(EndpointError, match="HTTP 401"):
        load(tricky_store, endpoint=virtuoso_server.gsp_url)


def test_virtuoso_digest_named_explicitly(virtuoso_server, tricky_store):
    report = load(tricky_store, endpoint=virtuoso_server.gsp_url, auth="digest", replace=True,
                  **creds(virtuoso_server))
    assert report.ok()
    with pytest.raises(EndpointError, match="HTTP 401"):  # Virtuoso takes no Basic here
        load(tricky_store, endpoint=virtuoso_server.gsp_url, auth="basic", **creds(virtuoso_server))


# --------------------------------------------------------------------------
# Failures without a server


def test_unreachable_endpoint_is_an_endpoint_error(tricky_store):
    port = free_port()  # nothing listens there
    with pytest.raises(EndpointError, match=f"cannot connect to http://127.0.0.1:{port}/query"):
        load(tricky_store, endpoint=f"http://127.0.0.1:{port}/store")


def test_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError, match="no store"):
        load(tmp_path / "nothing", endpoint="http://127.0.0.1:9/store")


class FakeStore:
    """A GSP + query server in memory that can drop triples or fail a chunk."""

    def __init__(self, *, drop: int = 0, fail_after: int | None = None) -> None:
        self.graphs: dict[str, set] = {}
        self.drop, self.fail_after, self.posts = drop, fail_after, 0

    def handle(self, request):
        from urllib.parse import parse_qs

        if request.url.path == "/query":
            query = parse_qs(request.content.decode())["query"][0]
            graph = re.search(r"GRAPH <([^>]*)>", query).group(1)
            n = len(self.graphs.get(graph, ()))
            body = ('{"head":{"vars":["n"]},"results":{"bindings":[{"n":{"type":"literal",'
                    f'"datatype":"{XSD}integer","value":"{n}"}}}}]}}}}')
            return httpx.Response(200, text=body, headers={"content-type": "application/sparql-results+json"})
        graph = request.url.params["graph"]
        self.posts += 1
        if self.fail_after is not None and self.posts > self.fail_after:
            return httpx.Response(500, text="disk full")
        triples = set(ox.parse(request.content, format=ox.RdfFormat.N_TRIPLES))
        if request.method == "PUT":
            self.graphs[graph] = set()
        kept = sorted(triples, key=str)[self.drop:]
        self.graphs.setdefault(graph, set()).update(kept)
        return httpx.Response(201)


def fake_client(fake):
    return httpx.Client(transport=httpx.MockTransport(fake.handle))


def test_a_server_that_drops_triples_fails_verification(tricky_store):
    fake = FakeStore(drop=1)
    with pytest.raises(EndpointError, match="did not verify") as info:
        load(tricky_store, endpoint="http://fake/store", replace=True, http=fake_client(fake))
    report = info.value.report
    assert not report.ok() and all(g.after == g.sent - 1 for g in report.graphs)


def test_a_failed_chunk_reports_a_partial_load(tricky_store):
    fake = FakeStore(fail_after=2)
    with pytest.raises(EndpointError, match=r"partial load: 8 of 13 triples .* HTTP 500.*disk full"):
        load(tricky_store, endpoint="http://fake/store", replace=True, chunk_triples=4,
             http=fake_client(fake))


def test_the_fake_server_verifies_when_honest(tricky_store):
    fake = FakeStore()
    report = load(tricky_store, endpoint="http://fake/store", chunk_triples=5, http=fake_client(fake))
    assert report.ok() and report.sent == 13


@pytest.mark.parametrize(("gsp", "query"), [
    ("http://127.0.0.1:7878/store", "http://127.0.0.1:7878/query"),
    ("http://h:8890/sparql-graph-crud-auth", "http://h:8890/sparql"),
    ("http://h:8890/sparql-graph-crud", "http://h:8890/sparql"),
    ("http://h:3030/ds/data", "http://h:3030/ds/query"),
    ("http://h:7200/repositories/llmkg/rdf-graphs/service", "http://h:7200/repositories/llmkg"),
    ("http://h/elsewhere", None),
])
def test_query_endpoint_derived_from_known_gsp_urls(gsp, query):
    assert derive_query_endpoint(gsp) == query


def test_gsp_url_encodes_the_graph():
    assert gsp_url("http://h/store", "https://e.org/g?a=1&b") == \
        "http://h/store?graph=https%3A%2F%2Fe.org%2Fg%3Fa%3D1%26b"
    assert gsp_url("http://h/store?x=1", None) == "http://h/store?x=1&default"


# --------------------------------------------------------------------------
# Parity: every saved query, same rows embedded and on each server


def default_bindings(query_file: Path) -> dict | None:
    """Parameter defaults of a saved query as llmkg binds them; None if one has no default."""
    from llmkg.query.saved import bind, parse_saved

    saved = parse_saved(query_file)
    if any(param.required for param in saved.params):
        return None
    return bind(saved, {})


def comparable(rows) -> Counter:
    """Rows as a multiset; blank nodes (whose labels differ by store) as one mark."""
    return Counter(tuple("_:" if isinstance(t, ox.BlankNode) else t for t in row) for row in rows)


def drop_test_graphs(server) -> None:
    """Delete the graphs other tests wrote, so only the load is queried."""
    _, rows = select(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    with httpx.Client(auth=httpx.DigestAuth(server.user, server.password) if server.user else None,
                      trust_env=False) as http:
        for (graph,) in rows:
            if graph.value.startswith(TEST_GRAPHS):
                http.delete(gsp_url(server.gsp_url, graph.value)).raise_for_status()


@pytest.fixture(scope="session")
def loaded_servers(request, built_store):
    """Each available server after `llmkg load --replace` of the built store."""
    def loaded(name):
        server = request.getfixturevalue(name)
        if name not in cache:
            drop_test_graphs(server)
            cache[name] = load(built_store, endpoint=server.gsp_url, replace=True, **creds(server))
        return server
    cache: dict = {}
    return loaded


@pytest.mark.parametrize("name", SERVERS)
@pytest.mark.parametrize("query_file", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_saved_query_parity(loaded_servers, built_store, name, query_file):
    from llmkg.query.saved import run

    bindings = default_bindings(query_file)
    if bindings is None:
        pytest.skip(f"{query_file.name} has a parameter without a default")
    server = loaded_servers(name)
    local = run(query_file, store=ox.Store.read_only(str(built_store)))
    variables = local.variables
    local_rows = [tuple(as_server_keeps(name, t) for t in row) for row in local.rows]
    remote_vars, remote_rows = select(server.query_url, query_file.read_text(encoding="utf-8"),
                                      bindings=bindings)
    assert remote_vars == variables
    assert comparable(remote_rows) == comparable(local_rows)


@pytest.fixture(scope="session")
def rdflib_dataset(built_store):
    """rdflib's in-memory Dataset of the built store (the benchmarks' baseline)."""
    rdflib = pytest.importorskip("rdflib")
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data=ox.Store.read_only(str(built_store)).dump(format=ox.RdfFormat.N_QUADS),
                  format="nquads")
    return dataset


def from_rdflib(term):
    """An rdflib result term as the equal pyoxigraph term."""
    import rdflib

    if term is None or isinstance(term, rdflib.BNode):
        return None if term is None else ox.BlankNode()
    if isinstance(term, rdflib.URIRef):
        return nn(str(term))
    return lit(str(term), str(term.datatype) if term.datatype else None, term.language)


def bench_module():
    """bench/run.py, whose rdflib_term binds the benchmarks' rdflib baseline
    (tested here: a wrong binding once made that baseline time empty results)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("query_file", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_saved_query_parity_with_rdflib(rdflib_dataset, built_store, query_file):
    """Saved queries are written for Oxigraph's planner, but stay standard SPARQL
    that rdflib answers alike, in the same order (rdflib once lost the join of a
    pattern before a grouped sub-select in organizations-overview)."""
    import rdflib

    from llmkg.query.saved import run

    bindings = default_bindings(query_file)
    if bindings is None:
        pytest.skip(f"{query_file.name} has a parameter without a default")
    local = run(query_file, store=ox.Store.read_only(str(built_store)))
    to_rdflib = bench_module().rdflib_term
    result = rdflib_dataset.query(query_file.read_text(encoding="utf-8"),
                                  initBindings={rdflib.Variable(k): to_rdflib(v) for k, v in bindings.items()})
    assert [str(v) for v in result.vars] == list(local.variables)
    theirs = [tuple(map(from_rdflib, row)) for row in result]
    assert comparable(theirs) == comparable(local.rows)
    assert [row for row in theirs if None not in row] == [row for row in local.rows if None not in row]


# --------------------------------------------------------------------------
# The invocations the issue names, exactly as written


def llmkg(*args, env=None):
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "llmkg", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)


def test_cli_load_and_remote_query_on_oxigraph(oxigraph_server, built_store, tmp_path):
    base = oxigraph_server.gsp_url.removesuffix("/store")
    done = llmkg("load", "--store", str(built_store), "--endpoint", f"{base}/store")
    assert done.returncode == 0, done.stderr
    assert f"<{V.DATA_GRAPH}>: sent" in done.stdout
    query = QUERY_FILES[0] if QUERY_FILES else pytest.skip("no saved queries")
    for path in QUERY_FILES:  # one without required parameters
        if default_bindings(path) is not None:
            query = path
            break
    remote = llmkg("query", str(query.relative_to(ROOT)), "--endpoint", f"{base}/query",
                   "--format", "csv")
    local = llmkg("query", str(query.relative_to(ROOT)), "--store", str(built_store), "--format", "csv")
    assert remote.returncode == 0 and local.returncode == 0, remote.stderr + local.stderr
    header, *rows = remote.stdout.splitlines()
    assert header == local.stdout.splitlines()[0]
    assert sorted(rows) == sorted(local.stdout.splitlines()[1:])


def test_cli_load_into_virtuoso_reads_the_password_from_the_environment(virtuoso_server, built_store):
    args = ("load", "--store", str(built_store), "--endpoint", virtuoso_server.gsp_url,
            "--user", virtuoso_server.user, "--replace")
    done = llmkg(*args, env={"LLMKG_PASSWORD": virtuoso_server.password})
    assert done.returncode == 0, done.stderr
    refused = llmkg(*args, env={"LLMKG_PASSWORD": "wrong"})
    assert refused.returncode != 0 and "HTTP 401" in refused.stderr


def test_cli_reports_an_unreachable_endpoint(built_store):
    port = free_port()
    done = llmkg("load", "--store", str(built_store), "--endpoint", f"http://127.0.0.1:{port}/store")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: cannot connect to")


def test_cli_exits_1_when_virtuoso_loses_a_triple(virtuoso_server, tmp_path):
    path = tmp_path / "store"
    store = ox.Store(str(path))
    m, target = nn(V.iri(V.MODEL, "x")), nn(V.DATA_GRAPH)
    store.add(ox.Quad(m, nn(V.LLMKG + "releaseDate"), lit("2023-07", XSD + "gYearMonth"), target))
    store.add(ox.Quad(m, nn(V.LLMKG + "releaseDate"), lit("2023-07-01", XSD + "date"), target))
    store.flush()
    del store
    done = llmkg("load", "--store", str(path), "--endpoint", virtuoso_server.gsp_url, "--user", "dba",
                 "--graph", TEST_GRAPHS + "cli-merged", env={"LLMKG_PASSWORD": virtuoso_server.password})
    assert done.returncode == 1, done.stderr
    assert "did not verify" in done.stderr and "expected 2 triples, found 1" in done.stderr
