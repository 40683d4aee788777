"""Small stores are read from an N-Quads snapshot in their directory
(llmkg/store.py): the same quads as RocksDB, and never a stale copy."""

from __future__ import annotations

import pytest

pyoxigraph = pytest.importorskip("pyoxigraph")

from llmkg import store as S  # noqa: E402
from llmkg.staging import staged_store  # noqa: E402

DATA = pyoxigraph.NamedNode("https://w3id.org/llmkg/graph/data")


def quad(i: int):
    return pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/s{i}"),
                           pyoxigraph.NamedNode("http://example.org/p"),
                           pyoxigraph.Literal(str(i)), DATA)


def build(path, n: int) -> None:
    with staged_store(path) as store:
        store.extend([quad(i) for i in range(n)])


def quads_of(store) -> set:
    return set(store.quads_for_pattern(None, None, None))


def test_a_small_store_opens_from_its_snapshot_with_the_same_quads(tmp_path):
    path = tmp_path / "store"
    build(path, 50)
    assert (path / S.SNAPSHOT).is_file()
    # still current once the build's store has closed: read-only opens use it
    assert S._open_snapshot(path) is not None
    snapshot = S.open_store(path)
    rocks = pyoxigraph.Store.read_only(str(path))
    assert quads_of(snapshot) == quads_of(rocks) == {quad(i) for i in range(50)}


def test_a_large_store_has_no_snapshot(tmp_path):
    path = tmp_path / "store"
    build(path, S.SNAPSHOT_MAX_QUADS + 1)
    assert not (path / S.SNAPSHOT).exists()
    assert len(S.open_store(path)) == S.SNAPSHOT_MAX_QUADS + 1


def test_a_store_written_by_another_tool_is_not_read_from_the_old_snapshot(tmp_path):
    """Guards the assumption the snapshot rests on: opening RocksDB for
    writing starts a new manifest, so the snapshot no longer matches."""
    path = tmp_path / "store"
    build(path, 10)
    writer = pyoxigraph.Store(str(path))
    writer.add(quad(99))
    writer.remove(quad(0))
    writer.flush()
    del writer
    import gc

    gc.collect()  # close RocksDB
    assert (path / S.SNAPSHOT).is_file()  # still there, but stale
    assert quads_of(S.open_store(path)) == {quad(i) for i in range(1, 10)} | {quad(99)}


def test_a_damaged_snapshot_is_not_used(tmp_path):
    path = tmp_path / "store"
    build(path, 10)
    (path / S.SNAPSHOT).write_bytes(b"# something else\n")
    assert quads_of(S.open_store(path)) == {quad(i) for i in range(10)}
