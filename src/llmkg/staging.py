"""Writing a store: one writer at a time, a new store built beside the old one
and swapped in whole.

- `writing(path)` holds the store's lock, a file beside it (`.NAME.lock`,
  flock'ed, with the holder's pid, removed when done) for the whole command,
  so a second build or `reason` fails at once with one line. Under the lock it finishes a swap
  a crash interrupted and removes what dead builds left (`.NAME.building-*`
  folders marked as llmkg's), and it refuses a target that is not an llmkg
  store: a folder of someone's files, or a file, is never replaced.
- `staged_store(path)` yields a new, empty store in `.NAME.building-XXXX`,
  marked as llmkg's, and swaps it in when the block succeeds; on any error
  it is deleted and the previous store stays exactly as it was.

Readers (llmkg.store.open_store) take no lock and never move anything.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import shutil
from pathlib import Path

from llmkg.errors import StoreError
from llmkg.store import SNAPSHOT, SNAPSHOT_HEADER, SNAPSHOT_MAX_QUADS, aside_of, manifest

# Written into every store llmkg builds: what tells its folders from anyone else's.
STORE_MARKER = "llmkg-store.txt"
_MARKER_TEXT = ("This folder is an llmkg store (an Oxigraph database written by `llmkg build`).\n"
                "llmkg replaces it whole on the next build.\n")
# What RocksDB and llmkg keep in a store folder; a folder holding anything else is someone's.
_STORE_FILES = ("CURRENT", "IDENTITY", "LOCK", "LOG", SNAPSHOT, STORE_MARKER)
_STORE_PREFIXES = ("MANIFEST-", "OPTIONS-", "LOG.old.")
_STORE_SUFFIXES = (".sst", ".log", ".blob", ".dbtmp")

_held: dict[Path, int] = {}  # stores whose lock this process holds -> nesting depth


def _real(path: Path) -> Path:
    """The path with symlinks resolved: the swap happens where the store really is."""
    real = Path(os.path.realpath(path))
    if not real.name or real == real.parent:
        raise StoreError("a store needs a folder of its own", file=str(path), hint="pass --store DIR")
    return real


def _os_error(exc: OSError, doing: str, path: Path) -> StoreError:
    return StoreError(f"cannot {doing}: {exc.strerror or exc}", file=str(getattr(exc, "filename", None) or path),
                      hint="check the folder is writable and the disk has room; the previous store is unchanged")


@contextlib.contextmanager
def writing(path: Path):
    """Hold the lock of the store at `path` (reentrant in one process); yields the real path."""
    path = _real(Path(path))
    if path in _held:
        _held[path] += 1
        try:
            yield path
        finally:
            _held[path] -= 1
        return
    lock = path.parent / f".{path.name}.lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = _lock(lock, path)
    except OSError as exc:
        raise _os_error(exc, "write beside the store", path) from None
    try:
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _held[path] = 1
        try:
            _finish_interrupted_swap(path)
            _remove_dead_builds(path)
            _check_target(path)
            yield path
        finally:
            del _held[path]
            with contextlib.suppress(OSError):
                os.unlink(lock)  # while still holding it: see _lock
    finally:
        os.close(fd)  # releases the lock


def _lock(lock: Path, path: Path) -> int:
    """An open descriptor of `lock`, flock'ed; StoreError naming the holder if another has it.

    The holder removes the file before it lets go, so a lock taken on a file that
    is no longer at its path is stale: open the new one instead.
    """
    import fcntl

    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 20, 0).decode("ascii", "replace").strip()
            os.close(fd)
            raise StoreError(f"another llmkg command is writing this store{f' (pid {holder})' if holder else ''}",
                             file=str(path), hint="wait until it has finished, or use another --store") from None
        try:
            if os.fstat(fd).st_ino == os.stat(lock).st_ino:
                os.ftruncate(fd, 0)
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def _finish_interrupted_swap(path: Path) -> None:
    """A crash between the swap's two renames left the old store aside: put it back.
    A crash after them left it beside the new one: remove it."""
    aside = aside_of(path)
    if not aside.is_dir():
        return
    if not path.exists():
        os.replace(aside, path)
    elif _is_llmkg_store(aside):
        shutil.rmtree(aside, ignore_errors=True)


def _remove_dead_builds(path: Path) -> None:
    """Remove the staging folders of this store's dead builds: under the lock no build of
    it runs, and a folder is removed only when llmkg marked it as its own (or it is empty)."""
    for folder in path.parent.glob(f".{path.name}.building-*"):
        if folder.is_dir() and not folder.is_symlink() and (
                (folder / STORE_MARKER).is_file() or not any(folder.iterdir())):
            shutil.rmtree(folder, ignore_errors=True)


def _is_store_file(name: str) -> bool:
    return name in _STORE_FILES or name.startswith(_STORE_PREFIXES) or name.endswith(_STORE_SUFFIXES)


def _is_llmkg_store(folder: Path) -> bool:
    """Whether `folder` is a store llmkg built: marked, or (built before stores were marked)
    holding only RocksDB's files and llmkg's data graph."""
    if (folder / STORE_MARKER).is_file():
        return True
    names = [p.name for p in folder.iterdir()]
    if "CURRENT" not in names or not all(_is_store_file(n) for n in names):
        return False
    import pyoxigraph

    from llmkg import vocab as V

    try:
        return pyoxigraph.Store.read_only(str(folder)).contains_named_graph(pyoxigraph.NamedNode(V.DATA_GRAPH))
    except OSError:
        return False


def _check_target(path: Path) -> None:
    """Refuse to replace anything but an llmkg store (or nothing, or an empty folder)."""
    if not path.exists():
        return
    if not path.is_dir():
        raise StoreError("the store path is a file, not an llmkg store", file=str(path),
                         hint="pass --store with a new or empty folder")
    if any(path.iterdir()) and not _is_llmkg_store(path):
        raise StoreError("this folder is not an llmkg store and a build would replace it with its files",
                         file=str(path), hint="pass --store with a new or empty folder, or an llmkg store")


@contextlib.contextmanager
def staged_store(path: Path, *, files: dict[str, bytes] | None = None, copy_of=None):
    """A new, empty store (with `copy_of`, a copy of that open store: a RocksDB
    checkpoint, hard links where it can) that replaces the one at `path` when the
    block succeeds.

    The store is built beside the old one; on any exception (or Ctrl-C) it is
    deleted and the previous store stays exactly as it was. `files` are
    written into the new store's directory before it is swapped in (the
    history cache: llmkg/history/cache.py); the block may still add to it.
    """
    import tempfile  # not at the top: `llmkg query` does not need it (it imports random)

    import pyoxigraph

    with writing(path) as path:
        try:
            # a fresh name each time: a failed build's store may stay locked in this process
            building = Path(tempfile.mkdtemp(prefix=f".{path.name}.building-", dir=path.parent))
            if copy_of is not None:  # a checkpoint is written into a folder that does not exist yet
                building.rmdir()
                copy_of.backup(str(building))
            (building / STORE_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        except OSError as exc:
            raise _os_error(exc, "write the store", path) from None
        try:
            try:
                store = pyoxigraph.Store(str(building))
            except OSError as exc:
                raise _os_error(exc, "write the store", path) from None
            try:
                yield store  # what the block raises for the store's I/O is about writing it too
                _finish(store, building)
                for name, data in (files or {}).items():
                    (building / name).write_bytes(data)
            except OSError as exc:
                raise _os_error(exc, "write the store", path) from None
            # No gc.collect() to close it: the caller still holds the store (its
            # `as` name), and a full collection over a large build's objects costs
            # 2.5 s at 100K entries. Closing it later keeps the manifest the
            # snapshot names (tests/test_store_snapshot.py).
            del store
        except BaseException:
            gc.collect()
            shutil.rmtree(building, ignore_errors=True)
            raise
        _swap(building, path)


def _finish(store, building: Path) -> None:
    """Flush the new store and, when it is small, write its snapshot."""
    import pyoxigraph

    store.flush()
    # counted only up to the limit: len() reads every quad (0.3 s at 2M)
    small = sum(1 for _ in itertools.islice(store, SNAPSHOT_MAX_QUADS + 1)) <= SNAPSHOT_MAX_QUADS
    if small:
        quads = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
        (building / SNAPSHOT).write_bytes(SNAPSHOT_HEADER + manifest(building) + b"\n" + quads)


def _swap(building: Path, path: Path) -> None:
    """Two renames; a reader between them finds the old store aside and reads it."""
    aside = aside_of(path)
    try:
        if path.exists():
            if aside.exists():
                shutil.rmtree(aside)
            os.replace(path, aside)
        os.replace(building, path)
    except OSError as exc:
        if aside.is_dir() and not path.exists():
            os.replace(aside, path)
        shutil.rmtree(building, ignore_errors=True)
        raise _os_error(exc, "swap the new store in", path) from None
    shutil.rmtree(aside, ignore_errors=True)
