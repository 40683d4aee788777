"""Queries for the server: worker processes that can be killed, a time limit
and a row cap.

Each query runs in a worker process (worker.py) that has the store open
read-only. A worker reads rows until the cap or the deadline; one stuck inside
a single step of evaluation (a huge join, a sort) is killed with SIGKILL when
the limit passes (plus GRACE, for the rows read so far to arrive), so its CPU
is free at once, and a fresh worker takes its place. At most `workers`
queries run at once; a query waits for a slot at most the time limit, then is
refused (503). Workers are kept for the next query and forked on demand from
multiprocessing's fork server (with one spare started whenever none is idle),
never more than `workers` + 1: runaway queries hold processes only until their
limit, and never the event loop. A query still
running after SLOW seconds has its worker niced (and retired afterwards), so
the CPU goes first to the short queries that come meanwhile.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from dataclasses import dataclass
from pathlib import Path

from llmkg.errors import LlmkgError
from llmkg.publish.serve.worker import Dataset, Job, Reply

GRACE = 0.5       # seconds past the limit before a worker that has not answered is killed
SLOW = 0.5        # seconds after which a query's worker is lowered in priority (nice)
SLOW_NICE = 10    # that priority: a long query yields the CPU to short ones
SPARE = 2         # idle workers started ready, before the first query
# The fork server imports these once, so a new worker is ready in milliseconds;
# llmkg.cli because multiprocessing imports the main module (`llmkg`) in each worker.
PRELOAD = ["llmkg.publish.serve.worker", "llmkg.publish.serve.results", "llmkg.publish.serve.entity",
           "llmkg.query.saved", "llmkg.cli"]


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0     # seconds a query may take
    max_rows: int = 10_000    # result rows (or triples) sent at most
    workers: int = 16         # queries evaluated at once (worker processes)


class Busy(LlmkgError):
    """Every query slot is taken."""


class TimeLimit(LlmkgError):
    """A query gave no result within the time limit (and its worker was killed)."""


class Stopping(LlmkgError):
    """The server is stopping: queries in flight are stopped, new ones refused."""


class WorkerLost(LlmkgError):
    """A worker process ended without answering (killed from outside, out of memory)."""


class _Worker:
    def __init__(self, process, conn) -> None:
        self.process, self.conn = process, conn
        self.niced = False
        self.answered: asyncio.Future | None = None  # the reply of the job it runs

    def nice(self) -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, self.process.pid, SLOW_NICE)
            self.niced = True
        except (OSError, AttributeError):
            pass

    def kill(self) -> None:
        try:
            self.process.kill()
        except (OSError, ValueError):
            pass
        self.conn.close()


class Engine:
    """Runs SPARQL queries (and page functions) in worker processes over the store at `path`."""

    def __init__(self, path: Path, limits: Limits) -> None:
        self.path, self.limits = Path(path), limits
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._slots: asyncio.Semaphore | None = None  # made in the running loop
        self._closed = False
        self._spare_coming = False

    # --- workers -------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        from llmkg.publish.serve import worker

        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=worker.main, args=(theirs, str(self.path)),
                                        name="llmkg-query", daemon=True)
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def start(self) -> None:
        """Start the fork server and the spare workers (before the port opens)."""
        self._idle.extend(self._spawn() for _ in range(SPARE))

    async def _take(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.process.is_alive():
                break
            worker.kill()
        else:
            worker = await asyncio.to_thread(self._spawn)
        self._busy.add(worker)
        if not self._idle and not self._spare_coming and len(self._busy) < self.limits.workers:
            self._spare_coming = True  # the next query should not wait for a fork
            asyncio.get_running_loop().run_in_executor(None, self._top_up)
        return worker

    def _top_up(self) -> None:
        try:
            if not self._closed:
                self._idle.append(self._spawn())
        finally:
            self._spare_coming = False

    def _give_back(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        if self._closed or worker.niced:
            worker.kill()
        else:
            self._idle.append(worker)

    def close(self) -> None:
        """Kill every worker, busy or idle: nothing outlives the server."""
        self._closed = True
        for worker in [*self._idle, *self._busy]:
            if worker.answered is not None and not worker.answered.done():
                worker.answered.set_result(EOFError())  # its request is answered now (Stopping)
            worker.kill()
        self._idle.clear()
        self._busy.clear()

    # --- jobs ------------------------------------------------------------------------

    async def run(self, text: str, form: str, *, dataset: Dataset | None = None,
                  base_iri: str | None = None) -> Reply:
        """The rows (or boolean) of `text`, a query of `form`, already checked."""
        return await self.answer(text, form, None, dataset=dataset, base_iri=base_iri)

    async def answer(self, text: str, form: str, format: str | None, *, dataset: Dataset | None = None,
                     base_iri: str | None = None) -> Reply:
        """`text` answered in `format` (an Offer name): the body, written in a worker."""
        deadline = time.time() + self.limits.timeout
        job = Job(text, form, format, deadline, self.limits.max_rows, base_iri, dataset or Dataset())
        return await self._submit(job)

    async def call(self, function, *args):
        """`function(store, *args)` in a worker (a module-level function), under the same limits."""
        reply = await self._submit((function, args))
        return reply.value

    async def _submit(self, job) -> Reply:
        if self._closed:
            raise Stopping("the server is stopping", hint="try again when it is back")
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.workers)
        timeout = self.limits.timeout
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except TimeoutError:
            raise Busy(f"the server is busy: all {self.limits.workers} query slots stayed taken "
                       f"for {timeout:g} s", hint="try again later") from None
        try:
            worker = await self._take()
            return await self._exchange(worker, job, time.monotonic() + timeout + GRACE)
        finally:
            self._slots.release()

    async def _exchange(self, worker: _Worker, job, kill_at: float) -> Reply:
        loop = asyncio.get_running_loop()
        answered = worker.answered = loop.create_future()
        fd = worker.conn.fileno()

        def readable() -> None:
            loop.remove_reader(fd)
            try:
                reply = worker.conn.recv()
            except (EOFError, OSError) as exc:
                reply = exc
            if not answered.done():
                answered.set_result(reply)

        worker.conn.send(job)
        loop.add_reader(fd, readable)
        try:
            try:
                reply = await asyncio.wait_for(asyncio.shield(answered), SLOW)
            except TimeoutError:
                worker.nice()
                reply = await asyncio.wait_for(answered, max(0.0, kill_at - time.monotonic()))
        except BaseException as exc:  # the limit passed, or the request was cancelled: stop the query
            loop.remove_reader(fd)
            self._busy.discard(worker)
            worker.kill()
            if isinstance(exc, TimeoutError):
                raise TimeLimit(f"the query gave no result within the time limit of {self.limits.timeout:g} s "
                                "and was stopped",
                                hint="make it more selective, or start the server with a larger --timeout"
                                ) from None
            raise
        if isinstance(reply, (EOFError, OSError)):
            self._busy.discard(worker)
            worker.kill()
            if self._closed:
                raise Stopping("the server is stopping: the query was stopped", hint="try again when it is back")
            raise WorkerLost("the query's worker process ended without answering",
                             hint="try again; see the server's output") from None
        self._give_back(worker)
        if isinstance(reply, BaseException):
            raise reply
        return reply
