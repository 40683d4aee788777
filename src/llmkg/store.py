"""The embedded Oxigraph store on disk, written atomically.

A build writes a complete new store beside the old one and swaps the two
directories only when it has succeeded, so an interrupted or failed build
leaves the previous store as it was.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
from pathlib import Path

from llmkg.errors import StoreError

DEFAULT_STORE = Path(".llmkg") / "store"
STORE_ENV = "LLMKG_STORE"


def default_store() -> Path:
    """$LLMKG_STORE if set, else .llmkg/store under the current directory."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def _aside(path: Path) -> Path:
    return path.with_name(f".{path.name}.previous")


def _recover(path: Path) -> None:
    """Finish a swap a crash interrupted: the old store is put back."""
    aside = _aside(path)
    if aside.is_dir() and not path.exists():
        os.replace(aside, path)


# A small store is also written as N-Quads inside its directory, and read-only
# opens load that into memory: RocksDB starts 15 threads per column family to
# open its files (~180), which costs more than parsing a few thousand quads and
# far more on a busy machine. The first line names the RocksDB manifest it was
# written with; RocksDB starts a new manifest whenever the store is opened for
# writing, so a store changed by anything else no longer matches and is opened
# as RocksDB.
SNAPSHOT = "llmkg-snapshot.nq"
SNAPSHOT_MAX_QUADS = 5_000  # ~2 us a quad to load; RocksDB open + close ~9 ms when idle
_SNAPSHOT_HEADER = b"# llmkg snapshot of "


def _manifest(path: Path) -> bytes:
    return (path / "CURRENT").read_bytes().strip()


def _open_snapshot(path: Path):
    """The store at `path` in memory, if it has an up-to-date snapshot; else None."""
    import pyoxigraph

    try:
        data = (path / SNAPSHOT).read_bytes()
        manifest = _manifest(path)
    except OSError:
        return None
    header, _, quads = data.partition(b"\n")
    if header != _SNAPSHOT_HEADER + manifest:
        return None
    store = pyoxigraph.Store()
    store.load(quads, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


def open_store(path: Path | None = None, *, read_only: bool = True):
    """Open an existing store (read-only by default, so queries never lock it)."""
    import pyoxigraph

    path = Path(path) if path else default_store()
    _recover(path)
    if not path.is_dir():
        raise StoreError("no store here", file=str(path),
                         hint="run `llmkg build --store DIR` first, or pass --store")
    if read_only and (snapshot := _open_snapshot(path)) is not None:
        return snapshot
    try:
        if read_only:
            return pyoxigraph.Store.read_only(str(path))
        return pyoxigraph.Store(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store: {exc}", file=str(path),
                         hint="check it is an llmkg store and no other build is writing it") from None


@contextlib.contextmanager
def staged_store(path: Path, *, files: dict[str, bytes] | None = None):
    """A new, empty store that replaces the one at `path` when the block succeeds.

    The store is built beside the old one; on any exception (or Ctrl-C) it is
    deleted and the previous store stays exactly as it was. `files` are
    written into the new store's directory before it is swapped in (the
    history cache: llmkg/history/cache.py); the block may still add to it.
    """
    import tempfile  # not at the top: `llmkg query` does not need it (it imports random)

    import pyoxigraph

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    _recover(path)
    # a fresh name each time: a failed build's store may stay locked in this process
    building = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
    try:
        store = pyoxigraph.Store(str(building))
        yield store
        store.flush()
        # counted only up to the limit: len() reads every quad (0.3 s at 2M)
        small = sum(1 for _ in itertools.islice(store, SNAPSHOT_MAX_QUADS + 1)) <= SNAPSHOT_MAX_QUADS
        quads = store.dump(format=pyoxigraph.RdfFormat.N_QUADS) if small else None
        # No gc.collect() to close it: the caller still holds the store (its
        # `as` name), and a full collection over a large build's objects costs
        # 2.5 s at 100K entries. Closing it later keeps the manifest the
        # snapshot names (tests/test_store_snapshot.py).
        del store
        if quads is not None:
            (building / SNAPSHOT).write_bytes(_SNAPSHOT_HEADER + _manifest(building) + b"\n" + quads)
        for name, data in (files or {}).items():
            (building / name).write_bytes(data)
    except BaseException:
        gc.collect()
        shutil.rmtree(building, ignore_errors=True)
        raise
    aside = _aside(path)
    if path.exists():
        if aside.exists():
            shutil.rmtree(aside)
        os.replace(path, aside)
    os.replace(building, path)
    shutil.rmtree(aside, ignore_errors=True)
