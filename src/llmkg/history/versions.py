"""The committed versions of a catalog file in a git repository.

git itself does the reading (`git log`, `git cat-file --batch-check` and
`--batch`, the documented plumbing protocol): one process per step whatever
the number of versions. The catalog may have moved (section/llm.md, then
section/models_research.md): all its paths are one catalog, in commit-date
order, and where a commit holds several of them the one named last wins.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import PurePosixPath

from llmkg.errors import HistoryError


@dataclass(frozen=True)
class Version:
    """One committed version of the catalog: which commit, when, which file."""

    commit: str  # full commit id
    time: str  # committer date, ISO 8601 with its offset (git's %cI)
    path: str  # the catalog's path in the repository at this commit
    blob: str  # the file's blob id: equal blobs are equal texts

    @property
    def date(self) -> str:
        """The commit's day in UTC: versions in commit-date order have days in order too."""
        import datetime

        return datetime.datetime.fromisoformat(self.time).astimezone(datetime.timezone.utc).date().isoformat()

    @property
    def name(self) -> str:
        """The catalog's file name: provenance names catalogs by it (as a plain build does)."""
        return PurePosixPath(self.path).name

    @property
    def key(self) -> list[str]:
        return [self.commit, self.path, self.blob]


def _git(repo: str, args: list[str], *, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", repo, *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise HistoryError("git is not installed", hint="install git (e.g. apt-get install git)") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(f"git {args[0]} failed: {message[-1] if message else done.returncode}",
                           file=repo, hint="check that this is a git repository and the paths exist in it")
    return done.stdout


def list_versions(repo: str, paths: list[str], *, since: str | None = None) -> list[Version]:
    """Every commit that changed the catalog at `paths`, oldest first (by commit date).

    A commit whose catalog text is the one before it (the old path touched
    after the move) adds no version. `since` (YYYY-MM-DD) keeps the versions
    committed on or after that day (UTC).
    """
    if not paths:
        raise HistoryError("no catalog path given", hint="name the catalog's path(s) in the repository")
    repo = str(repo)
    _git(repo, ["rev-parse", "--git-dir"])
    wanted = [p.strip("/") for p in paths]
    log = _git(repo, ["log", "--format=%H%x09%ct%x09%cI", "--", *wanted]).decode()
    commits = []
    for order, line in enumerate(log.splitlines()):
        commit, stamp, time = line.split("\t")
        if since is None or Version(commit, time, "", "").date >= since:
            commits.append((int(stamp), -order, commit, time))
    commits.sort()  # commit date; git's order (children first) breaks ties
    queries = "".join(f"{commit}:{path}\n" for _, _, commit, _ in commits for path in wanted)
    found = _git(repo, ["cat-file", "--batch-check"], stdin=queries.encode()).decode().splitlines()
    versions: list[Version] = []
    for index, (_, _, commit, time) in enumerate(commits):
        here = found[index * len(wanted):(index + 1) * len(wanted)]
        present = [(path, line.split()[0]) for path, line in zip(wanted, here)
                   if line.split()[1:2] == ["blob"]]  # else "<commit>:<path> missing"
        if not present:
            continue  # the commit deleted the file
        path, blob = present[-1]
        if versions and (versions[-1].path, versions[-1].blob) == (path, blob):
            continue
        versions.append(Version(commit, time, path, blob))
    return versions


def read_blobs(repo: str, blobs: list[str], *, max_bytes: int) -> dict[str, bytes]:
    """The contents of `blobs` (one `git cat-file --batch`); a blob over `max_bytes` is refused."""
    unique = list(dict.fromkeys(blobs))
    if not unique:
        return {}
    sizes = _git(str(repo), ["cat-file", "--batch-check"], stdin="".join(b + "\n" for b in unique).encode())
    for line in sizes.decode().splitlines():
        oid, _, size = line.split()
        if int(size) > max_bytes:
            raise HistoryError(f"a catalog version is larger than {max_bytes} bytes ({size})", file=oid,
                               hint="this does not look like a catalog")
    out = _git(str(repo), ["cat-file", "--batch"], stdin="".join(b + "\n" for b in unique).encode())
    contents: dict[str, bytes] = {}
    at = 0
    for oid in unique:  # each answer: "<oid> blob <size>\n<content>\n"
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        contents[oid] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1
    return contents
