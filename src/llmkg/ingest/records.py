"""Plain records the extractor emits and the resolver merges.

Values of facts are plain Python: Ref (another entity, by name), Iri, Date,
int or str. Only the map stage turns them into RDF terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Ref:
    """A reference to another entity by name (resolved in stage 3)."""

    kind: str
    name: str


@dataclass(frozen=True)
class Iri:
    value: str


@dataclass(frozen=True)
class Fact:
    predicate: str  # local name in the llmkg: namespace
    value: object  # Ref | Iri | facts.Date | int | str
    line: int


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    reason: str
    text: str
    partial: bool = False  # read in part (some facts kept) rather than skipped

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.text[:70]}"


@dataclass
class Record:
    kind: str  # model | organization | paper | architecture | section
    name: str
    line: int
    catalog: str
    aliases: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    identity: str | None = None  # explicit identity key (arXiv id), else key(name)
    # A model the entry itself does not prove: kept only when another, sure record
    # names the same model (ingest/resolve.py); `doubt` is reported if it is dropped.
    tentative: bool = False
    doubt: Problem | None = None
    # the facts as a set too: a record of many facts is checked for duplicates in one look-up
    _seen: set = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen = set(self.facts)  # derived: rebuilt for a record made from stored fields

    def add(self, predicate: str, value, line: int) -> None:
        fact = Fact(predicate, value, line)
        if fact not in self._seen:
            self._seen.add(fact)
            self.facts.append(fact)


@dataclass
class Extraction:
    catalog: str
    records: list[Record]
    problems: list[Problem]
    resources: int = 0  # entries recognised as websites, lists, papers, ... (not models)
