"""Catalogs from anywhere: an http(s) URL the user gave, read with a deadline and a size cap.

Nothing else reaches out: only arguments that start with http:// or https://
are fetched, and only when a command is given them. A fetched catalog is
kept under its URL's file name in a private temporary folder for the length
of the command, so it is named in provenance as the same file read locally.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from llmkg.errors import FetchError
from llmkg.files import MAX_CATALOG_BYTES

TIMEOUT = 30.0  # seconds for the whole download


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source[:8].lower().startswith(("http://", "https://"))


def shown(url: str) -> str:
    """The URL for messages: no user or password, no control characters."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    return re.sub(r"[\x00-\x1f\x7f]", "", urlunsplit(parts._replace(netloc=netloc)))[:200]


def file_name(url: str) -> str:
    """The catalog's file name: the URL path's last segment ('models_research.md')."""
    last = unquote(urlsplit(url).path.rstrip("/").rpartition("/")[2])
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", last).strip("-.")
    return name or "catalog.md"


def fetch(url: str, *, timeout: float = TIMEOUT, max_bytes: int = MAX_CATALOG_BYTES) -> bytes:
    """The body of a GET of `url`; a one-line FetchError when it cannot be had in time and size."""
    import httpx

    where = shown(url)
    deadline = time.monotonic() + timeout
    try:
        with httpx.stream("GET", url, timeout=timeout, follow_redirects=True,
                          headers={"Accept": "text/markdown, text/plain;q=0.9, */*;q=0.1"}) as response:
            if response.status_code != 200:
                raise FetchError(f"the server answered HTTP {response.status_code}", file=where,
                                 hint="check the URL (the raw markdown page, not its HTML view)")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(where, max_bytes)
            body, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise _too_large(where, max_bytes)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline")
                body.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(f"no complete answer within {timeout:g} s", file=where,
                         hint="try again later, or download the page and build from the file") from None
    except httpx.HTTPError as exc:
        reason = re.sub(r"\s+", " ", str(exc) or type(exc).__name__)[:120]
        raise FetchError(f"cannot fetch the catalog: {reason}", file=where,
                         hint="check the URL and the network connection, or build from a local file") from None
    return b"".join(body)


def _too_large(where: str, max_bytes: int) -> FetchError:
    return FetchError(f"the catalog is larger than {max_bytes // 2**20} MiB", file=where,
                      hint="this does not look like a catalog page")


@contextlib.contextmanager
def local_catalogs(sources: Sequence[str | Path], *, max_bytes: int | None = None
                   ) -> Iterator[tuple[list[Path], list[str]]]:
    """Local paths for `sources` (URLs fetched into a temporary folder, removed afterwards,
    each at most `max_bytes`) and how to name each source to the user."""
    if not any(is_url(s) for s in sources):
        yield [Path(s) for s in sources], [str(s) for s in sources]
        return
    with tempfile.TemporaryDirectory(prefix="llmkg-fetched-") as folder:
        paths, names = [], []
        for i, source in enumerate(sources):
            if not is_url(source):
                paths.append(Path(source))
                names.append(str(source))
                continue
            path = Path(folder) / str(i) / file_name(source)
            path.parent.mkdir()
            path.write_bytes(fetch(source, max_bytes=max_bytes or MAX_CATALOG_BYTES))
            paths.append(path)
            names.append(shown(source))
        yield paths, names
