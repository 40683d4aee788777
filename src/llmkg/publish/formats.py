"""RDF serialization formats: one type, one table (name, extension, media type, dataset?)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from llmkg.errors import FormatError


@dataclass(frozen=True)
class RdfFormat:
    name: str
    extension: str
    media_type: str
    dataset: bool  # holds named graphs (quads)
    aliases: tuple[str, ...] = ()


FORMATS = (
    RdfFormat("turtle", ".ttl", "text/turtle", False, ("ttl",)),
    RdfFormat("ntriples", ".nt", "application/n-triples", False, ("nt", "n-triples")),
    RdfFormat("nquads", ".nq", "application/n-quads", True, ("nq", "n-quads")),
    RdfFormat("trig", ".trig", "application/trig", True, ()),
    RdfFormat("jsonld", ".jsonld", "application/ld+json", False, ("json-ld",)),
)


def names() -> list[str]:
    return [f.name for f in FORMATS]


def by_name(name: str) -> RdfFormat:
    wanted = name.lower()
    for fmt in FORMATS:
        if wanted == fmt.name or wanted in fmt.aliases:
            return fmt
    raise FormatError(f"unknown format '{name}'", hint=f"use one of: {', '.join(names())}")


def guess(path: Path) -> RdfFormat:
    """The format a file name implies ('dump.nt.gz' -> ntriples)."""
    suffixes = [s for s in Path(path).suffixes if s != ".gz"]
    if suffixes:
        for fmt in FORMATS:
            if suffixes[-1].lower() == fmt.extension:
                return fmt
    raise FormatError(f"cannot tell the format of '{path}' from its extension",
                      hint=f"pass --format ({', '.join(names())})")
