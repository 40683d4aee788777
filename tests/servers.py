"""Real triple-store servers for the tests, as session-scoped pytest fixtures.

Each fixture starts its server on 127.0.0.1 with a free port and a data
directory of its own, waits (bounded) until it answers, yields a `Server`,
and at the end stops it by PID (terminate, then kill after a timeout). A
fixture skips only when the server's binary is not installed
(scripts/ci-servers.sh installs both); a server that is installed but does
not come up fails the tests that need it.

Enable with `pytest_plugins = ["servers"]` in tests/conftest.py.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

START_TIMEOUT = 90.0   # seconds; Virtuoso creates its database on first start
STOP_TIMEOUT = 20.0


@dataclass(frozen=True)
class Server:
    name: str
    gsp_url: str      # SPARQL 1.1 Graph Store HTTP Protocol endpoint
    query_url: str    # SPARQL 1.1 Protocol query endpoint
    user: str | None
    password: str | None
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _which(name: str) -> str | None:
    """A binary on PATH or next to the running Python (the venv's bin)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def _log_tail(log: Path, lines: int = 20) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_http(proc: subprocess.Popen, url: str, log: Path) -> None:
    """Poll `url` until it answers 200, the process dies, or time runs out."""
    import httpx

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{_log_tail(log)}")
        try:
            if httpx.get(url, timeout=2.0, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server not ready after {START_TIMEOUT:.0f}s ({url}):\n{_log_tail(log)}")


def stop(proc: subprocess.Popen) -> None:
    """Stop one server we started, by its PID: terminate, then kill."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT)


def _start(cmd: list[str], *, cwd: Path, log: Path, ready_url: str) -> subprocess.Popen:
    out = log.open("ab")
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL)
    out.close()
    try:
        _wait_http(proc, ready_url, log)
    except BaseException:
        stop(proc)
        raise
    return proc


# --------------------------------------------------------------------------
# Oxigraph


@contextlib.contextmanager
def running_oxigraph(root: Path) -> Iterator[Server]:
    """An Oxigraph server on 127.0.0.1 with its data in `root`; skips if not installed."""
    binary = _which("oxigraph")
    if binary is None:
        pytest.skip("the Oxigraph server is not installed (pip install oxigraph; "
                    "scripts/ci-servers.sh installs it)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = root / "server.log"
    proc = _start([binary, "serve", "--location", str(root / "data"),
                   "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
                  cwd=root, log=log, ready_url=f"{base}/query?query=ASK%7B%7D")
    try:
        yield Server("oxigraph", f"{base}/store", f"{base}/query", None, None, proc.pid, log)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory) -> Iterator[Server]:
    with running_oxigraph(tmp_path_factory.mktemp("oxigraph")) as server:
        yield server


# --------------------------------------------------------------------------
# Virtuoso

VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {root}/virtuoso.db
ErrorLogFile       = {root}/virtuoso.log
LockFile           = {root}/virtuoso.lck
TransactionFile    = {root}/virtuoso.trx
xa_persistent_file = {root}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {root}/virtuoso-temp.db
TransactionFile = {root}/virtuoso-temp.trx
Striping        = 0

[Parameters]
ServerPort           = 127.0.0.1:{sql_port}
DisableUnixSocket    = 1
DisableTcpSocket     = 0
MaxClientConnections = 10
CheckpointInterval   = 60
CaseMode             = 2
DirsAllowed          = ., {root}
NumberOfBuffers      = 10000
MaxDirtyBuffers      = 6000
ThreadsPerQuery      = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {root}/vsp
MaxClientConnections = 10
ServerThreads        = 4
Charset              = UTF-8
EnabledDavVSP        = 0

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime      = 120
"""


def virtuoso_sql(isql: str, sql_port: int, password: str, statement: str) -> str:
    """Run one SQL statement through isql as dba; raise on failure."""
    done = subprocess.run([isql, f"127.0.0.1:{sql_port}", "dba", password,
                           f"exec={statement}"], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)
    if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
        raise RuntimeError(f"isql failed on {statement!r}: {done.stdout}{done.stderr}")
    return done.stdout


@contextlib.contextmanager
def running_virtuoso(root: Path) -> Iterator[Server]:
    """A Virtuoso server on 127.0.0.1 with its database in `root`; skips if not installed."""
    binary, isql = _which("virtuoso-t"), _which("isql-vt") or _which("isql")
    if binary is None or isql is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; "
                    "scripts/ci-servers.sh installs it)")
    (root / "vsp").mkdir()
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = root / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(root=root, sql_port=sql_port, http_port=http_port))
    base = f"http://127.0.0.1:{http_port}"
    log = root / "server.log"
    proc = _start([binary, "+foreground", "+configfile", str(ini)], cwd=root, log=log,
                  ready_url=f"{base}/sparql?query=ASK%7B%7D")
    try:
        # A fresh database has dba/dba; give it a password of its own so the
        # tests prove the credentials are really checked. dba holds the
        # SPARQL_UPDATE role that /sparql-graph-crud-auth requires.
        password = "llmkg-" + secrets.token_hex(8)
        virtuoso_sql(isql, sql_port, "dba", f"USER_SET_PASSWORD('dba', '{password}')")
        yield Server("virtuoso", f"{base}/sparql-graph-crud-auth", f"{base}/sparql",
                     "dba", password, proc.pid, log)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory) -> Iterator[Server]:
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


# --------------------------------------------------------------------------
# llmkg serve


@dataclass(frozen=True)
class LlmkgServer:
    url: str          # base URL, no trailing slash
    pid: int
    log: Path

    def request(self, method: str, path: str, **kwargs):
        import httpx

        return httpx.request(method, self.url + path, timeout=30, trust_env=False, **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs):
        return self.request("POST", path, **kwargs)


@contextlib.contextmanager
def running_llmkg(store: Path, root: Path, *options: str) -> Iterator[LlmkgServer]:
    """`llmkg serve --store STORE` on 127.0.0.1 and a free port, stopped by PID."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = root / f"llmkg-serve-{port}.log"
    proc = _start([sys.executable, "-m", "llmkg", "serve", "--store", str(store), "--host", "127.0.0.1",
                   "--port", str(port), *options], cwd=root, log=log, ready_url=f"{base}/queries")
    try:
        yield LlmkgServer(base, proc.pid, log)
    finally:
        stop(proc)
