"""Queries for the server: the read-only store, a bounded pool of threads,
a time limit and a row cap.

pyoxigraph releases the GIL while it evaluates, so queries run in worker
threads and the event loop keeps serving. A query is checked against its
deadline between rows and stopped there. A query stuck inside one step of
evaluation (a large sort or aggregate) cannot be interrupted: its request is
answered when the limit passes and the thread is abandoned until Oxigraph
returns. Each running or abandoned query holds one of `workers` slots, so
runaway queries never make the server start more threads; while every slot
is held, new queries wait at most the time limit and are then refused (503).
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from dataclasses import dataclass, field

from llmkg.errors import LlmkgError


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0     # seconds a query may take
    max_rows: int = 10_000    # result rows (or triples) sent at most
    workers: int = 4          # queries evaluated at once (threads)


class Busy(LlmkgError):
    """Every query slot is taken (by running or abandoned queries)."""


class TimeLimit(LlmkgError):
    """A query gave no result within the time limit."""


@dataclass
class Outcome:
    """What a query gave: rows of a SELECT, the boolean of an ASK, or triples."""

    form: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)     # SELECT rows, or triples
    boolean: bool | None = None
    limit: str | None = None  # why the results were cut short, if they were

    @property
    def truncated(self) -> bool:
        return self.limit is not None


class Engine:
    """Runs SPARQL queries on an open read-only pyoxigraph store."""

    def __init__(self, store, limits: Limits) -> None:
        self.store, self.limits = store, limits
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._slots: asyncio.Semaphore | None = None  # made in the running loop
        # Daemon threads, not a ThreadPoolExecutor: its threads are joined at
        # exit, so an abandoned query would keep Ctrl-C from stopping the server.
        for n in range(limits.workers):
            threading.Thread(target=self._work, name=f"llmkg-query-{n}", daemon=True).start()

    def close(self) -> None:
        for _ in range(self.limits.workers):
            self._jobs.put(None)

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, deadline, future, loop = job
            try:
                result, error = work(deadline), None
            except BaseException as exc:  # handed to the request, never lost in this thread
                result, error = None, exc
            try:
                loop.call_soon_threadsafe(_settle, future, result, error)
            except RuntimeError:  # the loop has closed: the server is stopping
                return

    async def run(self, text: str, form: str) -> Outcome:
        """Evaluate `text` (a query of `form`, already checked) off the event loop."""
        return await self._in_thread(lambda deadline: self.evaluate(text, form, deadline))

    async def call(self, function, *args):
        """`function(store, *args)` in a query thread, under the same slots and time limit."""
        return await self._in_thread(lambda deadline: function(self.store, *args))

    async def _in_thread(self, work):
        loop = asyncio.get_running_loop()
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limits.workers)
        timeout = self.limits.timeout
        deadline = time.monotonic() + timeout
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout)
        except TimeoutError:
            raise Busy(f"the server is busy: every one of its {self.limits.workers} query slots "
                       f"stayed taken for {timeout:g} s", hint="try again later") from None
        future = loop.create_future()
        future.add_done_callback(self._finished)
        self._jobs.put((work, deadline, future, loop))  # never waits: at most `workers` jobs exist
        try:
            return await asyncio.wait_for(asyncio.shield(future), max(0.0, deadline - time.monotonic()))
        except TimeoutError:
            raise TimeLimit(f"the query gave no result within the time limit of {timeout:g} s",
                            hint="make it more selective, or start the server with a larger --timeout"
                            ) from None

    def _finished(self, future: asyncio.Future) -> None:
        """The slot is free when the thread really is (an abandoned query's too)."""
        self._slots.release()
        if not future.cancelled():
            future.exception()  # retrieved: an abandoned query's error is not logged as lost

    def evaluate(self, text: str, form: str, deadline: float | None = None) -> Outcome:
        """Evaluate in this thread: rows up to the cap, while the deadline allows."""
        results = self.store.query(text, use_default_graph_as_union=True)
        if form == "ask":
            return Outcome(form, boolean=bool(results))
        outcome = Outcome(form, variables=[v.value for v in results.variables] if form == "select" else [])
        cap, rows, select = self.limits.max_rows, outcome.rows, form == "select"
        for item in results:
            if len(rows) >= cap:
                outcome.limit = f"row cap of {cap} rows reached: results truncated"
                break
            if deadline is not None and time.monotonic() > deadline:
                outcome.limit = (f"time limit of {self.limits.timeout:g} s reached after {len(rows)} rows: "
                                 "results truncated")
                break
            rows.append(tuple(item) if select else item)  # a solution's terms, or a Triple
        return outcome


def _settle(future: asyncio.Future, result, error) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
