"""Reading and writing files the user names, safely.

Reads are bounded: a path that never ends (/dev/zero, a pipe) or a huge file
is refused after `limit` bytes instead of filling memory. Writes never
replace what is not a regular file: a device or a pipe (`/dev/stdout`,
`/dev/null`) is written through, a symlink is followed to the file it names,
and a regular file is replaced atomically through a `.part` file that is
removed on any error.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MIB = 1 << 20
MAX_CATALOG_MIB = 64  # the largest catalog a build reads (`llmkg build --max-catalog-mib`)
MAX_CATALOG_BYTES = MAX_CATALOG_MIB * MIB  # the same cap for a catalog from a URL or a git repository


def read_at_most(path: Path, limit: int) -> bytes | None:
    """The bytes of `path`, or None when it holds more than `limit` (read no further)."""
    with open(path, "rb") as f:
        info = os.fstat(f.fileno())
        if stat.S_ISREG(info.st_mode) and info.st_size > limit:
            return None
        data = f.read(limit + 1)
    return None if len(data) > limit else data


def is_stream(path: Path) -> bool:
    """Whether `path` (followed through symlinks) is a character device or a pipe:
    written through, never replaced, and nothing written beside it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def write_output(path: Path, data: bytes) -> Path:
    """Write `data` to `path`; returns the path of what was written.

    A device or a pipe is written through. Anything else is replaced
    atomically: the data goes to `NAME.part` beside the real file (symlinks
    followed, so the link stays a link) and is renamed over it; the `.part`
    file never outlives an error. Raises OSError (IsADirectoryError for a
    folder) for the caller to report.
    """
    path = Path(path)
    if is_stream(path):
        with open(path, "wb") as f:
            f.write(data)
        return path
    real = Path(os.path.realpath(path))
    if real.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if real.exists() and not real.is_file():
        raise OSError(22, "not a regular file, a device or a pipe", str(path))
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file where a folder should be
        raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(real.parent)) from None
    part = real.with_name(real.name + ".part")
    try:
        with open(part, "wb") as f:
            f.write(data)
        os.replace(part, real)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return real
