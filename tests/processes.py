"""Helpers for tests that run llmkg as a process a user would: on a terminal,
with a generated catalog, and watching the processes it starts (Linux /proc)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def generated_catalog(path: Path, entries: int) -> Path:
    """A synthetic catalog of `entries` models (bench/gen_catalog.py) written to `path`."""
    spec = importlib.util.spec_from_file_location("gen_catalog", ROOT / "bench" / "gen_catalog.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_catalog", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    path.write_text(module.generate(entries), encoding="utf-8")
    return path


def run_in_a_terminal(args: list[str], *, cwd: Path = ROOT, columns: int = 110,
                      timeout: float = 600) -> tuple[int, bytes]:
    """Run `python -m llmkg ARGS` on a pseudo-terminal: its exit code and all it wrote."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 300, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": "300"}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-m", "llmkg", *map(str, args)], stdin=slave, stdout=slave,
                            stderr=slave, cwd=cwd, env=env, close_fds=True)
    os.close(slave)
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return proc.wait(timeout=timeout), bytes(out)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
