"""Catalogs from anywhere: `llmkg build URL` against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import shutil
import socket
import threading
import time

import pytest

from conftest import ROOT
from llmkg.errors import FetchError
from llmkg.ingest.fetch import fetch, file_name, shown

CATALOG = (ROOT / "data" / "llm-landscape.md").read_bytes()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the stdlib's name)
        if self.path == "/section/llm.md":
            self._send(200, CATALOG)
        elif self.path == "/huge.md":  # claims more than any cap
            self.send_response(200)
            self.send_header("Content-Length", str(10 * 2**30))
            self.end_headers()
        elif self.path == "/endless.md":  # no length, more bytes than the cap
            self.send_response(200)
            self.end_headers()
            for _ in range(64):
                self.wfile.write(b"x" * 4096)
        elif self.path == "/slow.md":  # headers, then nothing for a while
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            time.sleep(3)
        else:
            self._send(404, b"not here")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_build_from_a_url_is_the_build_of_the_same_file(cli, server, tmp_path):
    from llmkg.store import open_store

    done = cli("build", f"{server}/section/llm.md", "--store", tmp_path / "remote", "--no-validate")
    assert done.returncode == 0, done.stderr
    assert f"from {server}/section/llm.md" in done.stdout
    (tmp_path / "local").mkdir()
    shutil.copyfile(ROOT / "data" / "llm-landscape.md", tmp_path / "local" / "llm.md")
    assert cli("build", tmp_path / "local" / "llm.md", "--store", tmp_path / "plain", "-q",
               "--no-validate").returncode == 0
    assert sorted(map(str, open_store(tmp_path / "remote"))) == sorted(map(str, open_store(tmp_path / "plain")))


def test_diff_takes_urls(cli, server):
    done = cli("diff", f"{server}/section/llm.md", ROOT / "data" / "llm-landscape.md")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("path", "message"), [
    ("/missing.md", "the server answered HTTP 404"),
    ("/huge.md", "the catalog is larger than 64 MiB"),
])
def test_refusals_are_one_line_and_exit_2(cli, server, path, message, tmp_path):
    done = cli("build", f"{server}{path}", "--store", tmp_path / "store")
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"Error: {message} ({server}{path})")
    assert not (tmp_path / "store").exists()


def test_offline_is_one_line(cli, tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = cli("build", f"https://127.0.0.1:{port}/llm.md", "--store", tmp_path / "store")
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"Error: cannot fetch the catalog: ") and "Check the URL and the network" in done.stderr


def test_size_cap_counts_the_bytes_read_and_the_deadline_holds(server):
    with pytest.raises(FetchError, match="larger than"):
        fetch(f"{server}/endless.md", max_bytes=100_000)
    started = time.monotonic()
    with pytest.raises(FetchError, match="no complete answer within 0.5 s"):
        fetch(f"{server}/slow.md", timeout=0.5)
    assert time.monotonic() - started < 2.5
    assert fetch(f"{server}/section/llm.md") == CATALOG


def test_names_and_shown_urls():
    assert file_name("https://raw.example/u/r/main/section/models_research.md") == "models_research.md"
    assert file_name("https://example.org/") == "catalog.md"
    assert file_name("https://example.org/a%20b.md?x=1") == "a-b.md"
    assert shown("https://user:secret@example.org/x.md") == "https://example.org/x.md"
    assert shown("https://example.org/\x1b[31mred.md") == "https://example.org/[31mred.md"
