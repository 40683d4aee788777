"""Units of a catalog version whose extraction is cached, and that cache's encoding.

Consecutive versions of the catalog differ in a few lines, so most of a
version was already read in the one before. A version is cut where a plain
build may cut a large catalog (`parse.split_text`), and only before a
heading: the extractor judges the entries under one heading together (an
entry's siblings, whether a heading names a maker), so a heading's section
is the smallest piece it reads the same alone as in the whole text
(tests/test_history_units.py holds this for every catalog). split_text also
cuts inside a section of over 20,000 lines for speed; units never do.

A unit's extraction is cached under a hash of its catalog file name, the
headings in force where it starts and its text; its lines are stored
relative to the unit, so a unit that moved is reused with its lines shifted.
A record can also stand on a heading outside the unit (an organisation named
by an enclosing heading): such lines are stored as that heading's index.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields

from llmkg.ingest.parse import Chunk, split_text
from llmkg.ingest.records import Extraction, Fact, Iri, Problem, Record, Ref

_HEADING = re.compile(r"^#{1,6}[ \t]")  # where split_text cuts before a heading


@dataclass(frozen=True)
class Unit:
    chunk: Chunk
    key: str


def units(text: str, *, name: str) -> list[Unit]:
    """The units of a version's text: heading sections, each cut only where split_text may cut."""
    merged: list[Chunk] = []
    for chunk in split_text(text, path=name, lines_per_chunk=1):
        if merged and not _HEADING.match(chunk.text):
            last = merged[-1]
            merged[-1] = Chunk(last.path, last.first_line, f"{last.text}\n{chunk.text}", last.headings)
        else:
            merged.append(chunk)
    return [Unit(chunk, unit_key(chunk)) for chunk in merged]


def unit_key(chunk: Chunk) -> str:
    context = "\x1f".join(f"{h.level}\x1e{h.text}" for h in chunk.headings)
    digest = hashlib.sha1(f"{chunk.path.name}\x1d{context}\x1d".encode())
    digest.update(chunk.text.encode())
    return digest.hexdigest()


class Unrelocatable(ValueError):
    """An extraction whose lines or values the cache cannot store faithfully."""


def _types() -> dict[str, type]:
    """The record types the cache stores, field by field (dataclasses.fields): a
    field the ingester adds is stored with the others; a value of another type
    makes the unit uncacheable (read anew each time) rather than stored wrong."""
    from llmkg.ingest.facts import Date

    return {t.__name__: t for t in (Record, Fact, Problem, Ref, Iri, Date)}


class _Codec:
    """JSON-able values with lines relative to a chunk. Fields named `line` are
    relocated; `catalog` and `file` (the catalog file's name) are the chunk's."""

    def __init__(self, chunk: Chunk) -> None:
        self.chunk, self.types = chunk, _types()
        self.outer = {h.line: i for i, h in enumerate(chunk.headings)}

    def rel(self, line: int) -> int:
        if line >= self.chunk.first_line:
            return line - self.chunk.first_line
        if line in self.outer:
            return -1 - self.outer[line]
        raise Unrelocatable(f"line {line} lies outside the unit")

    def line(self, rel: int) -> int:
        return self.chunk.first_line + rel if rel >= 0 else self.chunk.headings[-1 - rel].line

    def encode(self, value):
        if value is None or isinstance(value, (bool, int, str)):
            return value
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        name = type(value).__name__
        if self.types.get(name) is not type(value):
            raise Unrelocatable(f"a value of type {name}")
        out = {"@": name}
        for f in fields(value):
            if not f.init:
                continue  # derived state (Record._seen), rebuilt when the record is made again
            item = getattr(value, f.name)
            if f.name == "line":
                out[f.name] = self.rel(item)
            elif f.name not in ("catalog", "file"):
                out[f.name] = self.encode(item)
        return out

    def decode(self, value):
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        kind = self.types[value["@"]]
        args = {f.name: self.chunk.path.name if f.name in ("catalog", "file")
                else self.line(value[f.name]) if f.name == "line" else self.decode(value[f.name])
                for f in fields(kind) if f.init and (f.name in value or f.name in ("catalog", "file"))}
        return kind(**args)


def encode(extraction: Extraction, chunk: Chunk) -> dict:
    """A JSON-able form of a unit's extraction with lines relative to the unit."""
    codec = _Codec(chunk)
    return {"records": codec.encode(extraction.records), "problems": codec.encode(extraction.problems),
            "resources": extraction.resources}


def decode(data: dict, chunk: Chunk) -> Extraction:
    """The extraction `encode` stored, placed at `chunk`'s lines."""
    codec = _Codec(chunk)
    return Extraction(chunk.path.name, codec.decode(data["records"]), codec.decode(data["problems"]),
                      data["resources"])


def expires(text: str) -> str | None:
    """The first future date the unit's text names: its extraction may change on that day
    (a release date in the future is reported, not kept), so its cache entry expires then."""
    from llmkg.ingest.facts import find_dates, today

    now = today()
    future = [d.value.lexical for d in find_dates(text) if d.value.lexical > now]
    return min(future) if future else None
