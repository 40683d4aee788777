"""What a table's columns mean, read from its header, and the values of their cells.

A header cell is matched against the header words of data/table_headers.toml
(name, release date, parameters, active parameters, context, licence,
organisation, paper, checkpoints, architecture, experts, demo); a unit it
gives in parentheses ("Params (B)", "Context (K)") applies to the bare
numbers of its column. A table whose header or heading says it lists other
things (datasets, benchmarks, tools) lists no models. Cells are read by their
column's kind: a list or range of sizes gives each size, a date may be written
`2023/06`, `2023-06`, `Jun 2023` or `June 15, 2023`, and a context cell's bare
numbers are tokens (`32k` is 32,000 unless the header or cell says a K is
1,024, or gives the exact count beside it).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from llmkg.ingest import facts as F
from llmkg.ingest.text import strip_symbols

# kinds of column whose values say the table lists models (a date or a licence does not:
# datasets have those too)
MODEL_FACT_KINDS = ("params", "active", "context", "checkpoints", "moe", "architecture")
# kinds whose links cite a value (a context length's source), not the model's own pages
VALUE_KINDS = ("params", "active", "context", "date", "license", "demo")


@dataclass(frozen=True)
class Column:
    index: int
    kind: str
    unit: int | None  # the scale the header gives bare numbers ("(B)": 10**9)


@dataclass(frozen=True)
class Layout:
    columns: dict  # kind -> the first Column of that kind
    kinds: tuple  # the kind of each header cell (None: not understood)
    lists: str  # "models": the rows are models; "other": datasets, tools, ...; "unknown"
    binary_k: bool  # the header says a K is 1,024

    def index(self, kind: str) -> int | None:
        column = self.columns.get(kind)
        return column.index if column else None

    def unit(self, kind: str) -> int | None:
        column = self.columns.get(kind)
        return column.unit if column else None


@dataclass(frozen=True)
class _Rules:
    phrases: tuple  # (kind, compiled phrase, length), longest first
    units: dict  # kind -> {unit word: scale}
    other_header: re.Pattern
    other_name: re.Pattern
    other_heading: re.Pattern
    binary_k: re.Pattern
    licenses: dict  # lower-cased spelling -> SPDX id


def _words(words) -> re.Pattern:
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w#])(?:{alternatives})(?![\w])", re.I)


@lru_cache(maxsize=1)
def rules() -> _Rules:
    from llmkg.ingest.lexicon import data_dir

    data = tomllib.loads((data_dir() / "table_headers.toml").read_text(encoding="utf-8"))
    order = list(data["columns"])
    phrases = sorted(((kind, _words([p]), len(p)) for kind, words in data["columns"].items() for p in words),
                     key=lambda t: (-t[2], order.index(t[0])))
    units = {"params": data["units"]["params"], "active": data["units"]["params"],
             "context": data["units"]["context"]}
    other = data["other_tables"]
    return _Rules(tuple(phrases), units, _words(other["header_words"]), _words(other["name_words"]),
                  _words(other["heading_words"]), re.compile("|".join(data["context"]["binary_k"]), re.I),
                  {k.lower(): v for k, v in data["licenses"].items()})


_UNIT = re.compile(r"[(\[]([^)\]]*)[)\]]")


def header_kind(cell: str, kinds: dict | None = None) -> tuple[str | None, int | None]:
    """('params', 10**9) for 'Params (B)'; (None, None) for a header no rule knows."""
    r = rules()
    text = re.sub(r"[*_`]+", "", strip_symbols(cell)).strip().lower()
    units = [u.strip().removeprefix("in ").strip() for u in _UNIT.findall(text)]
    words = re.sub(r"\s+", " ", _UNIT.sub(" ", text)).strip()
    for kind, phrase, _ in r.phrases:
        if phrase.search(words):
            table = r.units.get(kind, {})
            unit = next((table[u] for u in units if u in table), None)
            return kind, unit
    return None, None


def read_layout(header: tuple[str, ...], headings: tuple = ()) -> Layout:
    """The kind of each column of a table, and whether its rows are models."""
    r = rules()
    columns: dict[str, Column] = {}
    kinds = []
    for i, cell in enumerate(header):
        kind, unit = header_kind(cell)
        kinds.append(kind)
        if kind and kind not in columns:
            columns[kind] = Column(i, kind, unit)
    name_at = columns["name"].index if "name" in columns else 0
    name_header = header[name_at] if name_at < len(header) else ""
    model_facts = any(k in columns for k in MODEL_FACT_KINDS)
    says_models = bool(re.search(r"\b(?:models?|llms?)\b", name_header, re.I))
    unmapped = [h for h, k in zip(header, kinds) if k is None]
    heading = headings[-1].text if headings else ""
    if r.other_name.search(name_header) and not says_models:
        lists = "other"  # '| Dataset | ... |', '| Benchmark | ... |'
    elif not model_facts and not says_models and (
            any(r.other_header.search(h) for h in unmapped) or r.other_heading.search(heading)):
        lists = "other"  # '| Name | Release Date | Dataset | Tokens (T) |' under 'Datasets'
    elif model_facts or says_models or "date" in columns:
        lists = "models"
    else:
        lists = "unknown"
    binary = any(r.binary_k.search(h) for h in header)
    return Layout(columns, tuple(kinds), lists, binary)


# -- cells ------------------------------------------------------------------------------

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
# a number with the unit written after it, if any; '8x7' (experts x size) is no list of sizes
_NUMBER = re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)(?!\s*[x×]\s*\d)"
                     r"\s*(k|m|b|t|bn|mn|billion|million|thousand|trillion)?(?![\w])", re.I)
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|~|to)\s*$", re.I)
_EXACT_AFTER = re.compile(r"\s*\(\s*(\d{1,3}(?:,\d{3})+|\d{4,})\s*(?:tokens?)?\s*\)")


def clean(text: str) -> str:
    """A cell's text without HTML comments (an editor's note, a row left out)."""
    return _COMMENT.sub(" ", text) if "<!--" in text else text


def _numbers(text: str) -> list[tuple[str, str | None, int, int]]:
    """(number, unit, start, end) of each number; a bare number takes the unit written on
    the next number of its list or range ('7, 13 and 70B', '0.5-70B') unless it is the
    larger ('4096-16K': 4,096 tokens to 16K)."""
    found = [(m.group(1), m.group(2), m.start(), m.end()) for m in _NUMBER.finditer(text)]
    out = list(found)
    carried, carried_value = None, 0.0
    for i in range(len(found) - 1, -1, -1):
        number, unit, start, end = found[i]
        if unit:
            carried, carried_value = unit.lower(), float(number.replace(",", ""))
        elif carried and float(number.replace(",", "")) <= carried_value and i + 1 < len(found) and re.fullmatch(r"\s*(?:,|-|–|—|~|to|and|,\s*and|/|or)\s*",
                                                             text[end:found[i + 1][2]], re.I):
            out[i] = (number, carried, start, end)
        else:
            carried = None
    return out


def _scale(unit: str | None, table: dict, default: int | None) -> int | None:
    if unit is None:
        return default
    unit = unit.lower()
    return F._SCALE.get(unit) if unit in F._SCALE else table.get(unit, default)


def cell_sizes(text: str, unit: int | None) -> list[int]:
    """Parameter counts of a size cell: '7, 13, 70' with a header unit of B gives three;
    '0.06 - 11' both ends; '1.3B' as written; a bare number without any unit is read
    only when it is a plain count (at least a million)."""
    from decimal import Decimal

    out = []
    for number, written, _, _ in _numbers(clean(text)):
        value = Decimal(number.replace(",", ""))
        scale = _scale(written, {}, unit)
        if written and written.lower() == "k" and unit is None:
            continue  # '4k' in a size cell: a context, not a size
        if scale is None:
            if value >= 1_000_000 and value == value.to_integral_value():
                out.append(int(value))
            continue
        out.append(int(value * scale))
    return [v for v in out if v > 0]


def cell_contexts(text: str, unit: int | None, binary_k: bool = False) -> list[int]:
    """Context windows of a context cell, in tokens: bare numbers are tokens (or the
    header's unit), '32k' is 32,000 (32,768 when a K is 1,024 or the cell gives it)."""
    text = clean(text)
    definition = rules().binary_k.search(text)
    if definition:  # '(1k = 1024)' defines the unit; its numbers are no windows
        binary_k, text = True, text[:definition.start()] + " " * (definition.end() - definition.start()) \
            + text[definition.end():]
    out = []
    for number, written, _, end in _numbers(text):
        value = float(number.replace(",", ""))
        if written and written.lower() == "k":
            exact = _EXACT_AFTER.match(text, end)
            if exact:
                continue  # '32k (32,768)': the exact count follows and is read on its own
            scale = 1024 if binary_k else 1000
        else:
            scale = _scale(written, rules().units["context"], unit or 1)
        if written and written.lower() in ("b", "t", "bn"):
            continue  # a size, not a window
        tokens = int(value * scale)
        if tokens >= F.MIN_CONTEXT:
            out.append(tokens)
    return out


_NUMERIC_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{1,2}))?(?!\d)")
_NAMED_DATE = re.compile(r"(?<![\w])(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?\s+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?"
                         r"((?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<![\d/.\-])((?:19|20)\d\d)(?![\d/.\-])")


def cell_date(text: str) -> F.Date | None:
    """The first date of a date cell: '2023/06', '2023-06-15', 'Jun 2023', '15 Jun 2023',
    'June 15, 2023', '2023'; at the precision written."""
    text = clean(text)
    candidates = []
    m = _NUMERIC_DATE.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        lexical = f"{m.group(1)}-{int(m.group(2)):02d}" + (f"-{int(m.group(3)):02d}" if m.group(3) else "")
        candidates.append((m.start(), lexical))
    for m in _NAMED_DATE.finditer(text):
        month = F.MONTHS.get(m.group(2)[:3].lower())
        if month:
            day = m.group(1) or m.group(3)
            candidates.append((m.start(), f"{m.group(4)}-{month:02d}" + (f"-{int(day):02d}" if day else "")))
            break
    if not candidates:
        m = _YEAR.search(text)
        if m:
            candidates.append((m.start(), m.group(1)))
    for _, lexical in sorted(candidates):
        if F._valid_date(lexical):
            return F.Date(lexical)
        return F.Date(lexical[:4])
    return None


def cell_links(row, layout: Layout, kinds: tuple[str, ...]):
    """The links of the row's cells of these kinds, in column order."""
    for i, cell in enumerate(row.cells):
        if i < len(layout.kinds) and layout.kinds[i] in kinds:
            yield from cell.links


def own_links(row, layout: Layout):
    """Links that are the row's model's own pages: not a demo, a licence or a value's source."""
    for i, cell in enumerate(row.cells):
        if i >= len(layout.kinds) or layout.kinds[i] not in VALUE_KINDS:
            yield from cell.links


def maker_from_links(links, lex) -> str | None:
    """The organisation a checkpoint or repository link's owner names when the lexicon
    knows that owner ('meta-llama' is Meta). An owner the catalog names as a maker
    elsewhere is found once every record is read (ingest/resolve.py); any other owner
    may be a person's account and names no organisation."""
    for link in links:
        owner = F.repository_owner(link.url)
        known = (lex.organization_of_owner(owner) or lex.organization(owner)) if owner else None
        if known:
            return known.name
    return None
