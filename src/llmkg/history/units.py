"""Units of a catalog version whose extraction is cached, and that cache's encoding.

Consecutive versions of the catalog differ in a few lines, so most of a
version was already read in the one before. A version is cut where a plain
build may cut a large catalog (`parse.split_text`: whole top-level blocks),
and further only before a heading: the extractor judges the entries under
one heading together (an entry's siblings, whether a heading names a maker),
so a heading's section is the smallest piece it reads the same alone as in
the whole text (tests/test_history_units.py holds this for every catalog).

A unit's extraction is cached under a hash of its catalog file name, the
headings in force where it starts and its text; its lines are stored
relative to the unit, so a unit that moved is reused with its lines shifted.
A record can also stand on a heading outside the unit (an organisation named
by an enclosing heading): such lines are stored as that heading's index.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

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


def encode(extraction: Extraction, chunk: Chunk) -> dict:
    """A JSON-able form of a unit's extraction with lines relative to the unit."""
    outer = {h.line: i for i, h in enumerate(chunk.headings)}

    def rel(line: int) -> int:
        if line >= chunk.first_line:
            return line - chunk.first_line
        if line in outer:
            return -1 - outer[line]
        raise Unrelocatable(f"line {line} lies outside the unit")

    records = [[r.kind, r.name, rel(r.line), r.aliases, r.identity,
                [[f.predicate, _value(f.value), rel(f.line)] for f in r.facts]]
               for r in extraction.records]
    problems = [[rel(p.line), p.reason, p.text, p.partial] for p in extraction.problems]
    return {"records": records, "problems": problems, "resources": extraction.resources}


def decode(data: dict, chunk: Chunk) -> Extraction:
    """The extraction `encode` stored, placed at `chunk`'s lines."""
    name = chunk.path.name
    first, outer = chunk.first_line, [h.line for h in chunk.headings]

    def line(rel: int) -> int:
        return first + rel if rel >= 0 else outer[-1 - rel]

    records = []
    for kind, label, at, aliases, identity, facts in data["records"]:
        record = Record(kind, label, line(at), name, list(aliases), identity=identity)
        record.facts = [Fact(predicate, _unvalue(value), line(fact_at)) for predicate, value, fact_at in facts]
        records.append(record)
    problems = [Problem(name, line(at), reason, text, partial) for at, reason, text, partial in data["problems"]]
    return Extraction(name, records, problems, data["resources"])


def _value(value) -> object:
    from llmkg.ingest.facts import Date

    if isinstance(value, bool):
        raise Unrelocatable("a boolean fact value")
    if isinstance(value, (int, str)):
        return value
    if isinstance(value, Ref):
        return ["ref", value.kind, value.name]
    if isinstance(value, Iri):
        return ["iri", value.value]
    if isinstance(value, Date):
        return ["date", value.lexical]
    raise Unrelocatable(f"a fact value of type {type(value).__name__}")


def _unvalue(value) -> object:
    if not isinstance(value, list):
        return value
    from llmkg.ingest.facts import Date

    tag = value[0]
    if tag == "ref":
        return Ref(value[1], value[2])
    if tag == "iri":
        return Iri(value[1])
    return Date(value[1])


def expires(text: str) -> str | None:
    """The first future date the unit's text names: its extraction may change on that day
    (a release date in the future is reported, not kept), so its cache entry expires then."""
    from llmkg.ingest.facts import find_dates, today

    now = today()
    future = [d.value.lexical for d in find_dates(text) if d.value.lexical > now]
    return min(future) if future else None
