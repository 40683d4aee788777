"""What a history run keeps in its store directory, so the next run reads only new versions.

One gzip'd JSON file (never pickle: a store directory may come from anyone)
holds the versions already read (commit, path, blob and the units each was
cut into), each unit's text, the newest version's extractions, and every
fact of the data graph with the runs of consecutive versions that stated it. All of it is tied to a
fingerprint of the ingester (its code, its data files, llmkg's version): a
changed ingester reads every version anew.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from llmkg.history.versions import Version

CACHE_FILE = "llmkg-history.json.gz"
FORMAT = 1


def fingerprint() -> str:
    """A hash of everything a version's facts depend on besides its text."""
    import llmkg
    from llmkg.paths import shipped

    here = Path(llmkg.__file__).parent
    files = sorted((here / "ingest").glob("*.py")) + [here / "keys.py", here / "vocab.py"] \
        + sorted(shipped("data").glob("*.toml"))
    digest = hashlib.sha1(f"{FORMAT} {getattr(llmkg, '__version__', '')}".encode())
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass
class Cache:
    fingerprint: str
    versions: list[dict] = field(default_factory=list)  # Version fields + "units": [[key, first line, headings]]
    texts: dict[str, str] = field(default_factory=dict)  # unit key -> text
    extractions: dict[str, dict] = field(default_factory=dict)  # unit key -> {"data", "expires"}
    facts: dict[str, list[list[int]]] = field(default_factory=dict)  # "s p o" -> [[first, last], ...]

    @classmethod
    def load(cls, store: Path | None, *, any_ingester: bool = False) -> "Cache":
        """The cache in `store`, or an empty one (none there, unreadable, or another
        ingester's). With `any_ingester`, another ingester's versions and texts are
        kept (its extractions and facts are not)."""
        mark = fingerprint()
        if store is None:
            return cls(mark)
        try:
            data = json.loads(gzip.decompress((Path(store) / CACHE_FILE).read_bytes()))
            if data.get("format") != FORMAT:
                return cls(mark)
            if data.get("fingerprint") != mark:
                return cls(mark, data["versions"], data["texts"]) if any_ingester else cls(mark)
            return cls(mark, data["versions"], data["texts"], data["extractions"], data["facts"])
        except (OSError, ValueError, KeyError, TypeError, EOFError):
            return cls(mark)

    def dump(self) -> bytes:
        """The cache as stored: the texts of every version's units, the extractions of
        the newest version's only (what the next version reuses; an older version that
        `llmkg diff` rebuilds is read anew), so the file stays near one version's size
        in extractions whatever the number of versions."""
        used = {unit[0] for version in self.versions for unit in version["units"]}
        newest = {unit[0] for unit in self.versions[-1]["units"]} if self.versions else set()
        data = {"format": FORMAT, "fingerprint": self.fingerprint, "versions": self.versions,
                "texts": {k: v for k, v in self.texts.items() if k in used},
                "extractions": {k: v for k, v in self.extractions.items() if k in newest},
                "facts": self.facts}
        return gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
                             compresslevel=1, mtime=0)

    # -- versions and facts -------------------------------------------------------
    def reusable(self, versions: list[Version]) -> int:
        """How many of `versions`, from the oldest, the cache has already read."""
        n = 0
        for cached, version in zip(self.versions, versions):
            if [cached["commit"], cached["path"], cached["blob"]] != version.key:
                break
            n += 1
        return n

    def keep(self, n: int) -> None:
        """Forget every version from the n-th on (a rewritten history, another --since)."""
        del self.versions[n:]
        facts = {}
        for fact, runs in self.facts.items():
            kept = [[a, min(b, n - 1)] for a, b in runs if a < n]
            if kept:
                facts[fact] = kept
        self.facts = facts

    def add_version(self, version: Version, units: list, facts) -> None:
        """Record the next version: its units and the facts of its data graph."""
        index = len(self.versions)
        self.versions.append({"commit": version.commit, "time": version.time, "path": version.path,
                              "blob": version.blob,
                              "units": [[u.key, u.chunk.first_line,
                                         [[h.level, h.text, h.line] for h in u.chunk.headings]]
                                        for u in units]})
        for unit in units:
            self.texts.setdefault(unit.key, unit.chunk.text)
        for fact in facts:
            runs = self.facts.get(fact)
            if runs is None:
                self.facts[fact] = [[index, index]]
            elif runs[-1][1] == index - 1:
                runs[-1][1] = index
            elif runs[-1][1] != index:
                runs.append([index, index])

    def version(self, index: int) -> Version:
        v = self.versions[index]
        return Version(v["commit"], v["time"], v["path"], v["blob"])

    def units_of(self, index: int) -> list:
        """The units of a cached version, rebuilt from their texts."""
        from llmkg.history.units import Unit
        from llmkg.ingest.parse import Chunk, Heading

        name = self.version(index).name
        return [Unit(Chunk(Path(name), first, self.texts[key], tuple(Heading(*h) for h in headings)), key)
                for key, first, headings in self.versions[index]["units"]]
