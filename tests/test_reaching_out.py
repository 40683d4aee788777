"""Nothing reaches out unasked, and no server can hang llmkg, fill its memory, collect
credentials or write to the terminal (issue 12, items 12-14). The servers are real
HTTP servers on 127.0.0.1 that misbehave on purpose."""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import ROOT
from processes import run_in_a_terminal

PASSWORD = "s3cret-pw"
ESCAPES = "\x1b[2J\x1b[31m"  # clear the screen, turn red
RESULTS = json.dumps({"head": {"vars": ["s"]}, "results": {"bindings": [
    {"s": {"type": "literal", "value": f"from afar{ESCAPES}"}}]}}).encode()


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 whose every request `behave(handler)` answers;
    it records each request (method, path, headers, body)."""

    def __init__(self, behave) -> None:
        self.requests: list[tuple[str, str, dict, bytes]] = []
        self.stop = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append((self.command, self.path, dict(self.headers), body))
                with contextlib.suppress(OSError):
                    behave(self, outer)

            do_GET = do_POST = do_PUT = do_DELETE = _any

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/store", host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def serve():
    servers: list[Server] = []

    def start(behave) -> Server:
        servers.append(Server(behave))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def reply(handler, status: int, body: bytes = b"", content_type: str = "text/plain", **headers) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def results(handler, server) -> None:
    reply(handler, 200, RESULTS, "application/sparql-results+json")


def trickle(handler, server) -> None:
    """Headers at once, then a byte every half second for as long as the test runs."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    while not server.stop.wait(0.5):
        handler.wfile.write(b" ")
        handler.wfile.flush()


def huge(handler, server) -> None:
    """Claims 10 GB and sends it as fast as it can."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.send_header("Content-Length", str(10 * 10**9))
    handler.end_headers()
    block = b" " * 65536
    while not server.stop.is_set():
        handler.wfile.write(block)


def endless(handler, server) -> None:
    """No length at all: the body ends when the connection does, which it never does."""
    handler.protocol_version = "HTTP/1.0"
    handler.send_response(200)
    handler.send_header("Content-Type", "application/sparql-results+json")
    handler.end_headers()
    block = b" " * 65536
    while not server.stop.is_set():
        handler.wfile.write(block)


def echo(handler, server) -> None:
    """An error page that repeats the request's headers and paints the terminal."""
    text = f"bad request {ESCAPES}\n" + "".join(f"{k}: {v}\n" for k, v in handler.headers.items())
    reply(handler, 400, text.encode())


def llmkg(*args, env=None, timeout=120, preexec_fn=None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "llmkg", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env=dict(os.environ, **(env or {})), preexec_fn=preexec_fn)


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr
    return lines[0]


def service_query(tmp_path, url: str) -> object:
    path = tmp_path / "federated.rq"
    path.write_text("#+ summary: asks another endpoint\n"
                    f"SELECT ?s WHERE {{\n  SERVICE <{url}> {{ ?s ?p ?o }}\n}}\n")
    return path


# --- 12. SERVICE is refused unless allowed, and then bounded ------------------------------------

def test_a_service_call_is_refused_by_default(serve, bundled_store, tmp_path) -> None:
    server = serve(results)
    query = service_query(tmp_path, server.url("/sparql"))
    result = llmkg("query", query, "--store", bundled_store)
    assert result.returncode == 2
    line = one_error_line(result)
    assert "calls a remote service (SERVICE)" in line and f"({query}:3)" in line and "--allow-service" in line
    lowered = tmp_path / "lower.rq"
    lowered.write_text(f"SELECT ?s WHERE {{ service silent <{server.url('/sparql')}> {{ ?s ?p ?o }} }}\n")
    assert llmkg("query", lowered, "--store", bundled_store).returncode == 2
    time.sleep(0.2)
    assert server.requests == []


def test_the_word_service_in_a_string_or_comment_is_no_call(bundled_store, tmp_path) -> None:
    query = tmp_path / "words.rq"
    query.write_text('# SERVICE <http://127.0.0.1:9/x> in a comment\n'
                     'SELECT ?l WHERE { ?m <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                     'FILTER(?l != "SERVICE <http://127.0.0.1:9/>") } LIMIT 1\n')
    result = llmkg("query", query, "--store", bundled_store, "--format", "csv")
    assert result.returncode == 0, result.stderr


def test_an_allowed_service_call_runs_and_its_text_is_printable(serve, bundled_store, tmp_path) -> None:
    server = serve(results)
    result = llmkg("query", service_query(tmp_path, server.url("/sparql")), "--store", bundled_store,
                   "--allow-service")
    assert result.returncode == 0, result.stderr
    assert "from afar" in result.stdout and "\x1b" not in result.stdout
    assert len(server.requests) == 1


def test_a_service_that_never_finishes_meets_the_timeout(serve, bundled_store, tmp_path) -> None:
    server = serve(trickle)
    started = time.monotonic()
    result = llmkg("query", service_query(tmp_path, server.url("/sparql")), "--store", bundled_store,
                   "--allow-service", "--timeout", "2", timeout=60)
    assert result.returncode == 2
    assert "did not finish within 2 s" in one_error_line(result)
    assert time.monotonic() - started < 30


def test_a_failing_service_is_one_line(serve, bundled_store, tmp_path) -> None:
    server = serve(lambda h, s: reply(h, 500, f"boom {ESCAPES}".encode()))
    result = llmkg("query", service_query(tmp_path, server.url("/sparql")), "--store", bundled_store,
                   "--allow-service")
    assert result.returncode == 2
    assert "500" in one_error_line(result)


# --- 13. load and remote queries: a deadline, a size cap, no credentials or data elsewhere ---------

@pytest.mark.parametrize("command", ["load", "query"])
def test_a_trickling_server_meets_the_deadline(serve, bundled_store, command) -> None:
    server = serve(trickle)
    args = (["load", "--endpoint", server.url("/store")] if command == "load"
            else ["query", "models-per-organization", "--endpoint", server.url("/sparql")])
    started = time.monotonic()
    result = llmkg(*args, "--store", bundled_store, "--timeout", "3", timeout=90)
    assert result.returncode == 2
    assert "within 3 s" in one_error_line(result)
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("behave", [huge, endless])
def test_a_huge_response_is_not_read_into_memory(serve, bundled_store, behave) -> None:
    import resource

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))

    server = serve(behave)
    result = llmkg("load", "--endpoint", server.url("/store"), "--store", bundled_store,
                   env={"LLMKG_MAX_RESPONSE_MIB": "8"}, timeout=120, preexec_fn=limit_memory)
    assert result.returncode == 2
    assert "larger than 8 MiB" in one_error_line(result)


def test_a_redirect_to_another_host_carries_no_credentials_or_data(serve, bundled_store) -> None:
    elsewhere = serve(lambda h, s: reply(h, 201))
    server = serve(lambda h, s: reply(h, 307, Location=elsewhere.url("/store?graph=x", host="localhost")))
    result = llmkg("load", "--endpoint", server.url("/store"), "--store", bundled_store, "--user", "u",
                   "--auth", "basic", env={"LLMKG_PASSWORD": PASSWORD})
    assert result.returncode == 2
    assert "redirected to another host (localhost)" in one_error_line(result)
    assert server.requests and elsewhere.requests == []


def test_a_redirect_on_the_same_host_is_followed(serve, bundled_store) -> None:
    count = json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": {
        "type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "0"}}]}}).encode()

    def moved(handler, server) -> None:
        if handler.path.startswith("/old"):
            reply(handler, 308, Location=handler.path.replace("/old", "/new", 1))
        else:
            reply(handler, 200, count, "application/sparql-results+json")

    server = serve(moved)
    result = llmkg("query", "models-per-organization", "--endpoint", server.url("/old/sparql"),
                   "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert [r[1] for r in server.requests] == ["/old/sparql", "/new/sparql"]
    assert server.requests[1][3] == server.requests[0][3]  # the same query, on the same host


# --- 14. no credentials and no control characters in what llmkg prints ---------------------------

def test_credentials_and_escapes_never_reach_the_terminal(serve, bundled_store) -> None:
    server = serve(echo)
    token = base64.b64encode(f"u:{PASSWORD}".encode()).decode()
    in_url = llmkg("load", "--endpoint", server.url("/store").replace("//", f"//u:{PASSWORD}@"),
                   "--store", bundled_store)
    with_user = llmkg("load", "--endpoint", server.url("/store"), "--store", bundled_store, "--user", "u",
                      "--auth", "basic", env={"LLMKG_PASSWORD": PASSWORD})
    assert any(r[2].get("Authorization") == f"Basic {token}" for r in server.requests)  # it was echoed
    for result in (in_url, with_user):
        assert result.returncode == 2
        line = one_error_line(result)
        assert "HTTP 400" in line and "bad request" in line
        assert PASSWORD not in result.stderr and token not in result.stderr
    assert "u:***@127.0.0.1" in in_url.stderr


def test_an_unreachable_endpoint_with_a_password_is_redacted(bundled_store) -> None:
    from servers import free_port

    result = llmkg("load", "--endpoint", f"http://u:{PASSWORD}@127.0.0.1:{free_port()}/store",
                   "--store", bundled_store)
    assert result.returncode == 2
    assert "cannot connect" in one_error_line(result) and PASSWORD not in result.stderr


def on_a_terminal(*args) -> tuple[int, str]:
    """Run llmkg with a pseudo-terminal as its output (click strips escapes only off terminals)."""
    code, out = run_in_a_terminal(list(args), timeout=60)
    return code, out.decode("utf-8", "replace")


def test_remote_results_and_errors_reach_a_terminal_without_escapes(serve, bundled_store, tmp_path) -> None:
    server = serve(results)
    code, out = on_a_terminal("query", ROOT / "queries" / "models-per-organization.rq", "--endpoint",
                              server.url("/sparql"))
    assert code == 0 and "from afar" in out and "\x1b[2J" not in out  # (a progress bar may colour)
    failing = serve(echo)
    code, out = on_a_terminal("load", "--endpoint", failing.url("/store"), "--store", bundled_store)
    assert code == 2 and "bad request" in out and "\x1b[2J" not in out
