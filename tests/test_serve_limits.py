"""`llmkg serve` under hostile load and in operation: runaway queries are
stopped and their CPU freed, a cheap query still answers, SIGTERM and Ctrl-C
stop the server and all its processes, a rebuilt store is served without a
restart, the Host check and CORS. Real servers on 127.0.0.1 (tests/servers.py)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from processes import alive, children

JSON = "application/sparql-results+json"
# days of work on the bundled store: a four-way cross product, counted in one step
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK {}"


def tree(pid: int) -> list[int]:
    """The server's processes: its own, the fork server's, the query workers'."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += children(p)
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def in_flight(server, n: int, answers: list) -> list[threading.Thread]:
    def ask() -> None:
        started = time.monotonic()
        try:
            response = httpx.get(server.url + "/sparql", params={"query": RUNAWAY}, timeout=60, trust_env=False)
            answers.append((response.status_code, time.monotonic() - started, response.text))
        except httpx.HTTPError as exc:
            answers.append((None, time.monotonic() - started, repr(exc)))

    threads = [threading.Thread(target=ask, daemon=True) for _ in range(n)]
    for t in threads:
        t.start()
    return threads


@pytest.fixture
def runaway_server(served_store, tmp_path):
    from servers import running_llmkg

    with running_llmkg(served_store, tmp_path, "--timeout", "2") as server:
        yield server


def test_runaway_queries_are_stopped_their_cpu_freed_and_a_cheap_query_answers(runaway_server):
    """Eight runaway queries in flight (the default allows 16 at once): a cheap
    query answers within 1 s; each runaway is answered 503 within 1 s of the
    2 s limit; then the server's processes use no CPU."""
    answers: list = []
    threads = in_flight(runaway_server, 8, answers)
    time.sleep(0.5)
    latencies = []
    for _ in range(5):
        started = time.monotonic()
        response = runaway_server.get("/sparql", params={"query": CHEAP}, headers={"Accept": JSON})
        latencies.append(time.monotonic() - started)
        assert response.status_code == 200 and response.json()["boolean"] is True
        time.sleep(0.1)
    assert max(latencies) < 1.0, latencies
    for t in threads:
        t.join(timeout=30)
    assert [a[0] for a in answers] == [503] * 8, answers
    assert all("time limit of 2 s and was stopped" in a[2] for a in answers)
    assert max(a[1] for a in answers) < 2 + 1.5, answers  # the limit, the kill, the client's own threads
    time.sleep(0.3)
    pids = tree(runaway_server.pid)
    before = cpu_seconds(pids)
    time.sleep(1.0)
    assert cpu_seconds(pids) - before < 0.25  # idle: no abandoned query computing somewhere


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_server_and_its_workers_within_2_s(served_store, tmp_path, sig):
    from servers import running_llmkg

    with running_llmkg(served_store, tmp_path, "--timeout", "30") as server:
        answers: list = []
        in_flight(server, 4, answers)
        time.sleep(1.0)
        processes = tree(server.pid)
        assert len(processes) >= 5  # the server, the fork server, four busy workers
        started = time.monotonic()
        os.kill(server.pid, sig)
        while any(alive(p) for p in processes) and time.monotonic() - started < 5:
            time.sleep(0.02)
        assert time.monotonic() - started < 2.0, [p for p in processes if alive(p)]
        assert "Traceback" not in server.log.read_text()


def test_a_rebuilt_store_is_served_without_restart(tmp_path):
    """200 requests while the served store is rebuilt 5 times, from two
    catalogs in turn: none fails, and after each build the next request sees
    the new store."""
    from llmkg.build import build, bundled_catalog
    from servers import running_llmkg

    root = Path(__file__).parent / "fixtures" / "serve"
    store = tmp_path / "store"
    small = tmp_path / "small.md"
    small.write_text((root / "xss.md").read_text(encoding="utf-8"), encoding="utf-8")
    build([small], store=store, validate=False)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    with running_llmkg(store, tmp_path, "--timeout", "20") as server:
        def served() -> int:
            response = server.get("/sparql", params={"query": count}, headers={"Accept": JSON})
            assert response.status_code == 200, response.text
            return int(response.json()["results"]["bindings"][0]["n"]["value"])

        failures, done, stop = [], [], threading.Event()

        def load() -> None:
            with httpx.Client(base_url=server.url, timeout=30, trust_env=False) as client:
                while not stop.is_set():
                    try:
                        response = client.get("/sparql", params={"query": count}, headers={"Accept": JSON})
                        (done if response.status_code == 200 else failures).append(response.status_code)
                    except httpx.HTTPError as exc:
                        failures.append(repr(exc))

        small_count = served()
        clients = [threading.Thread(target=load) for _ in range(4)]
        for c in clients:
            c.start()
        seen = []
        for n in range(5):
            catalogs = [bundled_catalog(), small] if n % 2 == 0 else [small]
            build(catalogs, store=store, validate=False)
            seen.append(served())
        stop.set()
        for c in clients:
            c.join(timeout=60)
    assert failures == [] and len(done) >= 200
    assert seen[0] > small_count and seen[1] == small_count and seen == [seen[0], small_count] * 2 + [seen[0]]


def test_host_check_answers_only_the_bound_names_and_allowed_ones(served_store, tmp_path):
    from servers import running_llmkg

    with running_llmkg(served_store, tmp_path, "--allow-host", "kg.example.org") as server:
        port = server.url.rsplit(":", 1)[1]
        for host, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200),
                             ("kg.example.org", 200), (f"attacker.example:{port}", 421), ("", 421)):
            response = server.get("/sparql", params={"query": CHEAP}, headers={"Host": host, "Accept": JSON})
            assert response.status_code == status, host
        refused = server.get("/", headers={"Host": "rebind.example"})
        assert refused.text.startswith("Error: host 'rebind.example' is not served here")


def test_cors_on_by_default_and_off_with_no_cors(served_store, tmp_path, llmkg_server):
    from servers import running_llmkg

    preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"}
    response = llmkg_server.request("OPTIONS", "/sparql", headers=preflight)
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    query = llmkg_server.get("/sparql", params={"query": CHEAP}, headers={"Origin": "https://app.example"})
    assert query.headers["access-control-allow-origin"] == "*"
    assert "llmkg-limit" in query.headers["access-control-expose-headers"].lower()
    with running_llmkg(served_store, tmp_path, "--no-cors") as server:
        assert server.request("OPTIONS", "/sparql", headers=preflight).status_code == 405
        query = server.get("/sparql", params={"query": CHEAP}, headers={"Origin": "https://app.example"})
        assert "access-control-allow-origin" not in query.headers


def test_base_url_is_the_endpoints_public_iri_and_maps_the_minted_namespace(served_store, tmp_path):
    """Behind https://kg.example.org/ (where https://w3id.org/llmkg/ would redirect):
    its Host is answered, the service description and relative IRIs use it, and
    /id/..., /ontology and /graph/NAME serve what the minted IRIs name."""
    import pyoxigraph as ox

    from servers import running_llmkg

    host = {"Host": "kg.example.org"}
    with running_llmkg(served_store, tmp_path, "--base-url", "https://kg.example.org") as server:
        sd = server.get("/sparql", headers={**host, "Accept": "application/n-triples"})
        assert "<https://kg.example.org/sparql> <http://www.w3.org/ns/sparql-service-description#endpoint> " \
               "<https://kg.example.org/sparql> ." in sd.text
        relative = server.post("/sparql", content="CONSTRUCT { <s> <p> 1 } WHERE {}",
                               headers={**host, "Content-Type": "application/sparql-query",
                                        "Accept": "application/n-triples"})
        assert relative.text.startswith("<https://kg.example.org/s> ")
        for path, iri in (("/id/model/llama2", "https://w3id.org/llmkg/id/model/llama2"),
                          ("/ontology", "https://w3id.org/llmkg/ontology"),
                          ("/graph/data", "https://w3id.org/llmkg/id/model/llama2")):
            response = server.get(path, headers={**host, "Accept": "application/n-triples"})
            assert response.status_code == 200, path
            assert iri in {t.subject.value for t in ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES)}
        assert server.get("/graph/nothing", headers=host).status_code == 404
        assert server.get("/sparql", params={"query": CHEAP}, headers={"Host": "other.example"}).status_code == 421


def test_base_url_must_be_the_root_of_a_host(served_store):
    from conftest import run_cli

    done = run_cli("serve", "--store", served_store, "--port", "0", "--base-url", "https://example.org/kg/")
    assert done.returncode == 2
    assert done.stderr.startswith("Error: --base-url 'https://example.org/kg/' is not the root URL of a host")
