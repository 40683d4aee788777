"""A query worker process of `llmkg serve`: the store open read-only, one job
at a time from a pipe, the answer (serialised by pyoxigraph) sent back.

A query in a process of its own can be stopped whatever it is doing: the
server kills the process at the time limit and the CPU is free at once
(engine.py). Workers are forked from multiprocessing's fork server, which
has imported this module (and so pyoxigraph) once: a new worker is ready in
milliseconds. A worker reopens the store when a build has swapped a new one
in (another folder at the same path), so the next query sees it; a query
already running finishes on the store it started with.
"""

from __future__ import annotations

import os
import pickle
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from llmkg.store import manifest, open_store


@dataclass(frozen=True)
class Dataset:
    """The protocol's dataset (default-graph-uri, named-graph-uri); empty: the store's union."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()


@dataclass(frozen=True)
class Job:
    """A query to answer: its text and form, the format to write, where it came from."""

    text: str
    form: str
    format: str | None       # an Offer name (results.py); None: give the rows, not a body
    deadline: float          # time.time() after which rows stop being read
    max_rows: int
    base_iri: str | None = None
    dataset: Dataset = field(default_factory=Dataset)


@dataclass
class Reply:
    """What a job gave: a body (or rows, or a call's value) and why it was cut, if it was."""

    body: bytes | None = None
    rows: list | None = None
    variables: list[str] = field(default_factory=list)
    boolean: bool | None = None
    limit: str | None = None
    value: object = None


def _die_with_parent() -> None:
    """SIGKILL this worker when its parent (the fork server) exits, as it does
    when the server process ends, however it ends (Linux; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class _Store:
    """The store at `path`, reopened when a build has swapped another one in."""

    def __init__(self, path: Path) -> None:
        self.path, self.key, self.store = path, None, None

    def _key(self):
        try:
            return os.stat(self.path).st_ino, manifest(self.path)
        except OSError:  # between the two renames of a swap: keep reading what is open
            return self.key

    def get(self):
        key = self._key()
        if self.store is None or key != self.key:
            self.store, self.key = open_store(self.path, read_only=True), key
        return self.store


def main(conn, store_path: str) -> None:
    """The worker's loop: a job in, a reply (or the error) out, until the pipe closes."""
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    store = _Store(Path(store_path))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if isinstance(job, Job):
                reply = answer(store.get(), job)
            else:  # (function, args): a page's queries, run here under the same limits
                function, args = job
                reply = Reply(value=function(store.get(), *args))
        except BaseException as exc:  # handed to the request, never lost in this process
            reply = exc if isinstance(exc, Exception) else RuntimeError(str(exc))
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an error that cannot travel
            conn.send(RuntimeError(f"{type(reply).__name__}: {exc}"))


def _query(store, job: Job):
    kwargs: dict = {"base_iri": job.base_iri}
    if job.dataset.default:
        kwargs["default_graph"] = [pyoxigraph.NamedNode(g) for g in job.dataset.default]
    else:
        kwargs["use_default_graph_as_union"] = True
    if job.dataset.named:
        kwargs["named_graphs"] = [pyoxigraph.NamedNode(g) for g in job.dataset.named]
    return store.query(job.text, **kwargs)


def answer(store, job: Job) -> Reply:
    """Evaluate the job's query: rows up to the cap while the deadline allows,
    written in the job's format by pyoxigraph."""
    from llmkg.publish.serve import results as R

    results = _query(store, job)
    if job.form == "ask":
        body = results.serialize(format=R.solution_format(job.format)) if job.format else None
        return Reply(body=body, boolean=bool(results))
    select = job.form == "select"
    reply = Reply(variables=[v.value for v in results.variables] if select else [])
    rows: list = []
    for item in results:
        if len(rows) >= job.max_rows:
            reply.limit = f"row cap of {job.max_rows} rows reached: results truncated"
            break
        if time.time() > job.deadline:
            reply.limit = f"time limit reached after {len(rows)} rows: results truncated"
            break
        rows.append(tuple(item) if select else item)  # a solution's terms, or a Triple
    if job.format is None:
        reply.rows = rows
    elif select:
        reply.body = R.solutions_body(reply.variables, rows, job.format, limit=reply.limit)
    else:
        reply.body = R.graph_body(rows, job.format)
    return reply


def graph_names(store) -> list[str]:
    """The store's named graphs (the service description lists them)."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, pyoxigraph.NamedNode))
