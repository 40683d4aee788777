"""The embedded Oxigraph store on disk: where it is and how to read it.

Builds write a complete new store beside the old one and swap the two
folders (llmkg/staging.py), so an interrupted or failed build leaves the
previous store as it was. Readers take no lock and never move anything: one
that comes between the swap's two renames reads the previous store, set
aside for that moment, and one that opens a store while it is being swapped
(and so meets a torn one) tries once more.
"""

from __future__ import annotations

import os
from pathlib import Path

from llmkg.errors import StoreError

DEFAULT_STORE = Path(".llmkg") / "store"
STORE_ENV = "LLMKG_STORE"
RETRY_SECONDS = 0.2  # a swap is two renames; a reader that met one tries again after this


def default_store() -> Path:
    """$LLMKG_STORE if set, else .llmkg/store under the current directory."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def aside_of(path: Path) -> Path:
    """Where a build sets the previous store aside while it swaps in the new one."""
    return path.with_name(f".{path.name}.previous")


# A small store is also written as N-Quads inside its directory, and read-only
# opens load that into memory: RocksDB starts 15 threads per column family to
# open its files (~180), which costs more than parsing a few thousand quads and
# far more on a busy machine. The first line names the RocksDB manifest it was
# written with; RocksDB starts a new manifest whenever the store is opened for
# writing, so a store changed by anything else no longer matches and is opened
# as RocksDB.
SNAPSHOT = "llmkg-snapshot.nq"
SNAPSHOT_MAX_QUADS = 5_000  # ~2 us a quad to load; RocksDB open + close ~9 ms when idle
SNAPSHOT_HEADER = b"# llmkg snapshot of "


def manifest(path: Path) -> bytes:
    return (path / "CURRENT").read_bytes().strip()


def _open_snapshot(path: Path):
    """The store at `path` in memory, if it has an up-to-date snapshot; else None."""
    import pyoxigraph

    try:
        data = (path / SNAPSHOT).read_bytes()
        current = manifest(path)
    except OSError:
        return None
    header, _, quads = data.partition(b"\n")
    if header != SNAPSHOT_HEADER + current:
        return None
    store = pyoxigraph.Store()
    try:
        store.load(quads, format=pyoxigraph.RdfFormat.N_QUADS)
    except SyntaxError:
        return None  # not written whole: read RocksDB
    return store


def open_store(path: Path | None = None, *, read_only: bool = True):
    """Open an existing store (read-only by default, so queries never lock it)."""
    import time

    path = Path(path) if path else default_store()
    try:
        return _open(path, read_only)
    except (OSError, RuntimeError):  # RocksDB says "Corruption" when files change as it opens them
        time.sleep(RETRY_SECONDS)  # opened while a build swapped it: the swap is done by now
    try:
        return _open(path, read_only)
    except (OSError, RuntimeError) as exc:
        raise StoreError(f"cannot open the store: {exc}", file=str(path),
                         hint="check it is an llmkg store") from None


def _open(path: Path, read_only: bool):
    import pyoxigraph

    # Between the two renames of a build's swap the store is aside; a build can finish
    # its swap (and remove the aside) between two looks, so the store is looked for again.
    for _ in range(3):
        if path.is_dir():
            where = path
            break
        if read_only and aside_of(path).is_dir():
            where = aside_of(path)
            break
    else:
        raise StoreError("no store here", file=str(path),
                         hint="run `llmkg build --store DIR` first, or pass --store")
    if read_only and (snapshot := _open_snapshot(where)) is not None:
        return snapshot
    if read_only:
        return pyoxigraph.Store.read_only(str(where))
    return pyoxigraph.Store(str(where))
