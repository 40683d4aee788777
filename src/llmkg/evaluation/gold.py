"""The hand-labelled gold standard: its TSV format and the name normalisers.

Format (tests/gold/README.md): a header `kind subject predicate object line
status note`, then entity rows (`entity NAME type Model|Organization|Paper|
Architecture`), alias rows (`alias NAME altLabel OTHER-SPELLING`) and fact rows
(`fact SUBJECT PREDICATE OBJECT`), each with the catalog line and `sure` or
`ambiguous`. `load_gold` checks that every fact names labelled entities.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from llmkg.errors import LlmkgError

KINDS = ("Model", "Organization", "Paper", "Architecture")
# predicate -> kind of object: an entity type, or a literal comparison rule
PREDICATES = {
    "developedBy": "Organization",
    "basedOn": "Model",
    "hasArchitecture": "Architecture",
    "describedIn": "Paper",
    "parameterCount": "int",
    "activeParameterCount": "int",
    "contextLength": "int",
    "releaseDate": "date",
    "repository": "url",
    "license": "license",
}
# predicates outside the llmkg: namespace, by their full IRI
PREDICATE_IRIS = {"license": "https://schema.org/license"}
SPDX = "http://spdx.org/licenses/"
HEADER = ["kind", "subject", "predicate", "object", "line", "status", "note"]


class GoldError(LlmkgError):
    """The gold-standard file cannot be read or breaks its format."""


# ---------------------------------------------------------------- normalising
def name_key(text: str) -> str:
    """Lower-case, accents removed, Greek letters spelled out (as llmkg.keys does),
    everything but a-z and 0-9 dropped."""
    from llmkg.keys import GREEK

    text = unicodedata.normalize("NFKD", text.translate(GREEK).lower())
    return "".join(c for c in text if c.isascii() and c.isalnum())


def arxiv_key(text: str) -> str:
    text = re.sub(r"^(arxiv:|https?://[^/]+/(abs|pdf)/)", "", text.strip().lower())
    return name_key(re.sub(r"(v\d+)?(\.pdf)?$", "", text))


def url_key(text: str) -> str:
    """A repository URL reduced to host/owner/repo, case-blind."""
    text = re.sub(r"^[a-z]+://", "", text.strip().lower())
    text = re.sub(r"^www\.", "", text).rstrip("/")
    parts = [p for p in text.split("/") if p]
    if parts and parts[0] in ("github.com", "huggingface.co"):
        keep = 3
        if parts[0] == "huggingface.co" and len(parts) > 1:
            if parts[1] in ("datasets", "spaces", "collections"):
                keep = 4
            elif parts[1] in ("blog", "docs", "papers", "learn"):
                keep = len(parts)
        parts = parts[:keep]
    text = "/".join(parts)
    return text[:-4] if text.endswith(".git") else text


def int_key(text: str) -> str:
    text = text.strip().replace(",", "").replace("_", "")
    try:
        return str(int(text))
    except ValueError:
        try:
            value = float(text)
        except ValueError:
            return text
        return str(int(value)) if value.is_integer() else text


def value_key(predicate: str, text: str) -> str:
    rule = PREDICATES[predicate]
    if rule == "int":
        return int_key(text)
    if rule == "date":
        return text.strip()
    if rule == "url":
        return url_key(text)
    if rule == "Paper":
        return arxiv_key(text)
    if rule == "license":  # an SPDX id matches its IRI: 'Apache-2.0' is <http://spdx.org/licenses/Apache-2.0>
        return name_key(text.strip().removeprefix(SPDX))
    return name_key(text)


# ---------------------------------------------------------------- the gold
@dataclass
class GoldEntity:
    kind: str
    name: str
    line: int
    sure: bool
    names: set[str] = field(default_factory=set)


@dataclass
class GoldFact:
    subject: str
    predicate: str
    object: str
    line: int
    sure: bool
    subject_keys: frozenset[str] = frozenset()
    object_keys: frozenset[str] = frozenset()


@dataclass
class Gold:
    entities: list[GoldEntity]
    facts: list[GoldFact]

    def by_key(self, kind: str | None = None) -> dict[str, list[GoldEntity]]:
        index: dict[str, list[GoldEntity]] = defaultdict(list)
        for entity in self.entities:
            if kind is None or entity.kind == kind:
                for key in entity.names:
                    index[key].append(entity)
        return index


def _prefer_models(found: list[GoldEntity]) -> list[GoldEntity]:
    return sorted(found, key=lambda e: e.kind != "Model")


def load_gold(path: Path) -> Gold:
    """Read a gold TSV; raise GoldError (with file:line) on any format error."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GoldError(f"cannot read gold standard: {exc.strerror}", file=str(path),
                        hint="Pass the path of a gold TSV file") from exc
    rows = list(csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or [c.strip() for c in rows[0][:7]] != HEADER:
        raise GoldError("gold standard lacks the header " + " ".join(HEADER),
                        file=str(path), line=1)
    entities: dict[tuple[str, str], GoldEntity] = {}
    aliases, facts = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        row = (row + [""] * 7)[:7]
        kind, subject, predicate, obj, line, status, _note = (c.strip() for c in row)
        def fail(message: str) -> GoldError:
            return GoldError(message, file=str(path), line=number)
        if status not in ("sure", "ambiguous"):
            raise fail(f"status must be 'sure' or 'ambiguous', not {status!r}")
        if not line.isdigit():
            raise fail(f"line must be a catalog line number, not {line!r}")
        sure = status == "sure"
        if kind == "entity":
            if predicate != "type" or obj not in KINDS:
                raise fail(f"an entity row needs 'type' and one of {', '.join(KINDS)}")
            key = arxiv_key(subject) if obj == "Paper" else name_key(subject)
            if (obj, key) in entities:
                raise fail(f"{obj} {subject!r} is labelled twice")
            entities[(obj, key)] = GoldEntity(obj, subject, int(line), sure, {key})
        elif kind == "alias":
            aliases.append((number, subject, obj))
        elif kind == "fact":
            if predicate not in PREDICATES:
                raise fail(f"unknown predicate {predicate!r}; "
                           f"known: {', '.join(sorted(PREDICATES))}")
            facts.append((number, GoldFact(subject, predicate, obj, int(line), sure)))
        else:
            raise fail(f"kind must be entity, alias or fact, not {kind!r}")
    gold = Gold(list(entities.values()), [])
    for number, subject, alias in aliases:
        owners = _prefer_models(gold.by_key().get(name_key(subject), []))
        if not owners:
            raise GoldError(f"alias of unknown entity {subject!r}", file=str(path), line=number)
        owners[0].names.add(name_key(alias))
    any_index = gold.by_key()
    for number, fact in facts:
        owners = _prefer_models(any_index.get(name_key(fact.subject), []))
        if not owners:
            raise GoldError(f"fact about unknown entity {fact.subject!r}",
                            file=str(path), line=number)
        fact.subject_keys = frozenset(owners[0].names)
        rule = PREDICATES[fact.predicate]
        if rule in KINDS:
            key = value_key(fact.predicate, fact.object)
            objects = gold.by_key(rule).get(key)
            if not objects:
                raise GoldError(f"{fact.predicate} names unknown {rule} {fact.object!r}",
                                file=str(path), line=number)
            fact.object_keys = frozenset(objects[0].names)
        else:
            fact.object_keys = frozenset({value_key(fact.predicate, fact.object)})
        gold.facts.append(fact)
    return gold
