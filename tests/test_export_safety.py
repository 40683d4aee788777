"""`llmkg export -o PATH` never replaces what is not a regular file, fails in one
line on operating-system errors, and checks --graph (issue 12, items 7, 8, 15)."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT, run_cli


def one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def parts(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


# --- 7. operating-system errors are one line, and leave no .part file --------------------

def test_export_to_a_folder(bundled_store, tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("export", "--store", bundled_store, "--format", "ntriples", "-o", folder)
    assert result.returncode == 2
    assert "Is a directory" in one_error_line(result)
    assert list(folder.iterdir()) == [] and parts(tmp_path) == []


def test_export_below_a_file(bundled_store, tmp_path) -> None:
    file = tmp_path / "file"
    file.write_text("mine")
    result = run_cli("export", "--store", bundled_store, "-o", file / "sub.ttl")
    assert result.returncode == 2
    assert "Not a directory" in one_error_line(result)
    assert file.read_text() == "mine" and parts(tmp_path) == []


def device(tmp_path: Path, name: str, minor: int) -> Path:
    """A private node of a memory device (1, minor) when root: a test that regresses
    replaces this one, never the machine's /dev/null or /dev/full."""
    if os.geteuid() != 0:
        if not Path(f"/dev/{name}").exists():
            pytest.skip(f"no /dev/{name}")
        return Path(f"/dev/{name}")  # not root: it cannot be replaced
    node = tmp_path / name
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return node


def test_export_to_a_full_device(bundled_store, tmp_path) -> None:
    full = device(tmp_path, "full", 7)
    result = run_cli("export", "--store", bundled_store, "--format", "ntriples", "-o", full)
    assert result.returncode == 2
    assert "No space left on device" in one_error_line(result)
    assert stat.S_ISCHR(full.stat().st_mode) and parts(tmp_path) == []


def test_export_on_a_full_disk_keeps_the_old_file(bundled_store, tmp_path) -> None:
    import resource

    def small_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 12, 1 << 12))

    out = tmp_path / "dump.nt"
    out.write_text("the old dump\n")
    result = subprocess.run([sys.executable, "-m", "llmkg", "export", "--store", str(bundled_store), "-o", str(out),
                             "--no-void"], capture_output=True, text=True, cwd=ROOT, timeout=120,
                            preexec_fn=small_files)
    assert result.returncode == 2
    assert "File too large" in one_error_line(result)
    assert out.read_text() == "the old dump\n" and parts(tmp_path) == []


# --- 8. --graph must name a graph of the store -----------------------------------------------

@pytest.mark.parametrize("graph, message", [
    ("data", "--graph must be an IRI, not 'data'"),
    ("https://example.org/no-such-graph", "the store has no graph <https://example.org/no-such-graph>"),
])
def test_export_of_a_graph_the_store_lacks(bundled_store, tmp_path, graph, message) -> None:
    out = tmp_path / "dump.nt"
    result = run_cli("export", "--store", bundled_store, "-o", out, "--graph", graph)
    assert result.returncode == 2
    line = one_error_line(result)
    assert message in line and "https://w3id.org/llmkg/graph/data" in line  # the graphs it has
    assert not out.exists() and parts(tmp_path) == []


def test_export_of_one_graph(bundled_store, tmp_path) -> None:
    out = tmp_path / "data.nt"
    result = run_cli("export", "--store", bundled_store, "-o", out, "--graph",
                     "https://w3id.org/llmkg/graph/data", "--no-void")
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 1000


# --- 15. devices, pipes and symlinks are never replaced ----------------------------------------

def test_export_writes_through_a_device(bundled_store, tmp_path) -> None:
    null = device(tmp_path, "null", 3)
    result = run_cli("export", "--store", bundled_store, "--format", "ntriples", "-o", null)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(null.stat().st_mode)
    assert not Path(f"{null}.void.ttl").exists() and not Path(f"{null}.part").exists()


def test_export_writes_through_a_pipe(bundled_store, tmp_path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = run_cli("export", "--store", bundled_store, "--format", "ntriples", "-o", fifo)
    reader.join(timeout=60)
    if reader.is_alive():  # nothing wrote to the pipe (it was replaced?): let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)) if stat.S_ISFIFO(fifo.stat().st_mode) else None
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert received and received[0].count(b"\n") > 1000


@pytest.mark.parametrize("target", ["-", "stdout"])
def test_export_to_standard_output(bundled_store, tmp_path, target) -> None:
    if target == "stdout":  # a link like /dev/stdout, of the test's own
        target = tmp_path / "stdout"
        target.symlink_to("/proc/self/fd/1")
    result = run_cli("export", "--store", bundled_store, "--format", "ntriples", "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") > 1000


@pytest.mark.parametrize("dangling", [False, True])
def test_export_follows_a_symlink_and_keeps_it(bundled_store, tmp_path, dangling) -> None:
    target = tmp_path / "real" / "dump.nt"
    target.parent.mkdir()
    if not dangling:
        target.write_text("old\n")
    link = tmp_path / "link.nt"
    link.symlink_to(target)
    result = run_cli("export", "--store", bundled_store, "-o", link, "--no-void")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text().count("\n") > 1000
    assert parts(tmp_path) == []
