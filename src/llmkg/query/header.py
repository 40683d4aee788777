"""The '#+' header of a saved query: a small YAML document in SPARQL comments.

Every line that starts with `#+` belongs to it, with the `#` and `+`
signs stripped, exactly as grlc (https://github.com/CLARIAH/grlc) reads
decorators, so one file serves `llmkg query` and a grlc API alike:

    #+ summary: Models per organisation, most prolific first
    #+ description: Counts models by llmkg:developedBy.
    #+ tags:
    #+   - organisations
    #+ params:
    #+   - year year = 2024 -- only releases in this year
    #+   - model name = Llama 2 -- bound to its llmkg:nameKey, "llama2"

`summary`, `description` and `tags` are grlc's; `params` is llmkg's (grlc
ignores it): one `NAME TYPE [= DEFAULT] -- text` string a parameter.

PyYAML costs ~30 ms to import, a quarter of a cold `llmkg query`, so this
module reads the subset of YAML that headers need (top-level keys whose value
is a scalar, a flow list `[a, b]` or a block list of scalars) and refuses
anything else with file:line: what it accepts, PyYAML reads the same way
(tests/test_query_header.py checks both on every saved query and on
generated headers).
"""

from __future__ import annotations

import re
from pathlib import Path

from llmkg.errors import QueryError

TYPES = ("string", "name", "integer", "decimal", "date", "year", "iri")
_PARAM = r"^(\w+)\s+(\w+)(?:\s*=\s*(.*?))?\s*(?:--\s*(.*))?$"  # compiled on first use (re caches it)
_KEY = r"^( *)([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?$"
_ITEM = r"^( *)- +(.*)$"
# grlc's decorators, accepted (and ignored by llmkg) so that grlc queries run here too
GRLC_KEYS = ("summary", "description", "tags", "endpoint", "method", "pagination",
             "enumerate", "endpoint_in_url", "transform", "defaults")
LIST_KEYS = ("tags", "params", "enumerate")
# Plain scalars that YAML would read as a number, date, boolean or null
_NOT_A_STRING = (r"[-+]?(0x[0-9a-fA-F_]+|0b[01_]+|\.?[0-9][0-9_.:eE+\-]*|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)"
                 r"|\d{4}-\d\d?-\d\d?(?:(?:[Tt]|[ \t]+)\d\d?:\d\d:\d\d(?:\.\d*)?(?:[ \t]*Z|[ \t]*[-+]\d\d?(?::\d\d)?)?)?"
                 r"|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
                 r"|on|On|ON|off|Off|OFF|=|<<")

# Plain classes, not dataclasses: `llmkg query` imports this module on every
# run, and dataclass definitions cost ~0.5 ms each of its start-up.


class Param:
    """One `NAME TYPE [= DEFAULT] -- description` item of `params`."""

    __slots__ = ("name", "type", "default", "description")

    def __init__(self, name: str, type: str, default: str | None, description: str) -> None:
        self.name, self.type, self.default, self.description = name, type, default, description

    @property
    def required(self) -> bool:
        return self.default is None

    def __repr__(self) -> str:
        return f"Param({self.name!r}, {self.type!r}, {self.default!r}, {self.description!r})"


class Header:
    """What a query's header declares."""

    __slots__ = ("summary", "description", "tags", "params", "fields")

    def __init__(self) -> None:
        self.summary, self.description = "", ""
        self.tags: list[str] = []
        self.params: list[Param] = []
        self.fields: dict[str, object] = {}  # every key as read (grlc's included)


def header_lines(text: str) -> list[tuple[int, str]]:
    """(line number, YAML text) of every '#+' line, as grlc strips them."""
    return [(number, line.lstrip("#+")) for number, line in enumerate(text.split("\n"), start=1)
            if line.startswith("#+")]


def parse_header(text: str, *, where: str) -> Header:
    """The header of query `text`; `where` (a path) is named in errors with the line."""
    header = Header()
    lines = header_lines(text)
    key_indent = None
    i = 0
    while i < len(lines):
        number, line = lines[i]
        i += 1
        if not line.strip():
            continue

        def fail(message: str, hint: str, at: int = number) -> QueryError:
            return QueryError(message, file=where, line=at, hint=hint)

        if "\t" in line:
            raise fail("a tab in the query header", "indent with spaces (YAML)")
        m = re.match(_KEY, line.rstrip())
        if not m:
            raise fail("cannot read this header line", "write '#+ key: value' (YAML; see `llmkg query lineage --show`)")
        indent, key, value = len(m.group(1)), m.group(2), m.group(3)
        if key_indent is None:
            key_indent = indent
        elif indent != key_indent:
            raise fail("header keys indented unevenly", "start every '#+ key:' line alike")
        if key in header.fields:
            raise fail(f"header field '{key}' given twice",
                       "list several parameters under one '#+ params:' key" if key == "params" else
                       "keep one")
        if key == "param":
            raise fail("'#+ param:' is the old header form",
                       "list parameters under '#+ params:', one '#+   - NAME TYPE [= DEFAULT] -- text' line each")
        if key not in GRLC_KEYS and key != "params":
            raise fail(f"unknown header field '{key}'",
                       f"use {', '.join(('summary', 'description', 'tags', 'params'))} (or grlc's)")
        if value is not None and not value.startswith("#"):
            parsed = _flow_list(value, fail) if value.startswith("[") else _scalar(value, fail)
        else:  # a block list on the lines that follow
            parsed = []
            item_indent = None
            while i < len(lines):
                item_number, item_line = lines[i]
                item = re.match(_ITEM, item_line.rstrip())
                if not item or len(item.group(1)) < indent:
                    break
                if item_indent is None:
                    item_indent = len(item.group(1))
                elif len(item.group(1)) != item_indent:
                    raise fail("list items indented unevenly", "indent every '-' alike", item_number)
                parsed.append(_scalar(item.group(2), lambda m, h: fail(m, h, item_number)))
                i += 1
            if not parsed:
                raise fail(f"header field '{key}' is empty", "give it a value or drop it")
        header.fields[key] = parsed
        if key in LIST_KEYS and not isinstance(parsed, list):
            parsed = [parsed]
        if key == "summary":
            header.summary = _text(parsed, key, fail)
        elif key == "description":
            header.description = _text(parsed, key, fail)
        elif key == "tags":
            header.tags = parsed
        elif key == "params":
            header.params = [_param(spec, fail, where) for spec in parsed]
    names = [p.name for p in header.params]
    if len(set(names)) != len(names):
        raise QueryError("a parameter is declared twice", file=where, hint="give each parameter its own name")
    return header


def _text(value, key: str, fail) -> str:
    if isinstance(value, list):
        raise fail(f"header field '{key}' must be one line of text, not a list", "write it on one line")
    return value


def _param(spec: str, fail, where: str) -> Param:
    m = re.match(_PARAM, spec)
    if not m or m.group(2) not in TYPES:
        raise fail(f"bad parameter declaration '{spec}'",
                   f"write 'NAME TYPE [= DEFAULT] -- text', TYPE one of {', '.join(TYPES)}")
    name, type_, default, description = m.groups()
    return Param(name, type_, default, description or "")


def _scalar(text: str, fail) -> str:
    """A plain, 'single-' or "double-quoted" scalar (no escapes) that YAML reads as this string."""
    text = text.strip()
    if text[:1] == "'":
        if len(text) < 2 or not text.endswith("'") or re.search(r"(?<!')'(?!')", text[1:-1]):
            raise fail("unbalanced single quotes", "end the value with ' and double any ' inside ('')")
        return text[1:-1].replace("''", "'")
    if text[:1] == '"':
        if len(text) < 2 or not text.endswith('"') or '"' in text[1:-1] or "\\" in text:
            raise fail("a double-quoted value llmkg cannot read",
                       "use single quotes, doubling any ' inside ('')")
        return text[1:-1]
    if (text[:1] in "-?:,[]{}#&*!|>%@`" or ": " in text or " #" in text or text.endswith(":")
            or re.fullmatch(_NOT_A_STRING, text)):
        raise fail(f"'{text}' is not plain YAML text", "put it in single quotes, doubling any ' inside ('')")
    return text


def _flow_list(text: str, fail) -> list[str]:
    """`[a, b]`: plain or quoted items without commas or brackets of their own."""
    text = text.strip()
    if not text.endswith("]"):
        raise fail("a list that does not end with ]", "write [a, b] on one line")
    inner = text[1:-1].strip()
    if not inner:
        return []
    if re.search(r"[\[\]{}]", inner):
        raise fail("a nested list in the header", "keep lists flat")
    items = [item.strip() for item in inner.split(",")]
    if any(item[:1] in "'\"" for item in items) or "" in items:
        raise fail("a flow list llmkg cannot read", "write the items as a block list, one '- item' line each")
    return [_scalar(item, fail) for item in items]


def read_query_file(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"cannot read query: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise QueryError(f"query is not UTF-8 text (byte {exc.start})", file=str(path),
                         hint="save it as UTF-8") from None
