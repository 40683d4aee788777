"""Licences a catalog states: an SPDX licence by its IRI, any other by its name.

A licence cell ('Apache 2.0', 'MIT', 'CC BY-NC-SA 4.0', 'Apache 2.0, CC BY-SA-3.0',
'[Custom](...) Free if you have under 700M users') or a licence statement in an
entry ('released under the Apache 2.0 license', 'MIT-licensed') names one or
more licences. Each is looked up in the SPDX licence list (license-expression,
which ships it) after the spellings catalogs use are made SPDX-like (spaces to
hyphens, a trailing 'license' dropped) and the few aliases of
data/table_headers.toml are applied; an SPDX licence is the IRI
<http://spdx.org/licenses/ID>, any other its name as written, as a literal.
"""

from __future__ import annotations

import re
from functools import lru_cache

from llmkg.ingest.records import Iri

SPDX = "http://spdx.org/licenses/"
# a licence's name is short: longer text in a licence cell is a remark about it
MAX_NAME = 60
MAX_WORDS = 6
MAX_CELL = 1000  # a licence cell is read this far: its licences come first


@lru_cache(maxsize=1)
def _licensing():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


@lru_cache(maxsize=1 << 12)
def spdx_id(name: str) -> str | None:
    """'Apache 2.0' -> 'Apache-2.0'; 'CC BY-NC-SA 4.0' -> 'CC-BY-NC-SA-4.0'; None if not SPDX."""
    from llmkg.ingest.columns import rules

    text = re.sub(r"\s+", " ", name).strip().strip(".,;:()[]")
    text = re.sub(r"\s*\b(?:licen[cs]e[sd]?|version)\b\s*", " ", text, flags=re.I).strip()
    alias = rules().licenses.get(text.lower())
    if alias:
        return alias
    if not text or len(text) > MAX_NAME or not re.fullmatch(r"[A-Za-z0-9.+\- ]+", text):
        return None
    candidate = re.sub(r"\s+", "-", text)
    candidate = re.sub(r"(?i)^(apache|gpl|lgpl|agpl|mpl|epl)-?v?(\d)", r"\1-\2", candidate)
    if re.fullmatch(r"(?i)(apache|mpl|epl)-\d", candidate):
        candidate += ".0"  # 'Apache 2' is Apache-2.0
    try:
        expression = _licensing().parse(candidate, validate=True, strict=True)
    except Exception:  # license-expression raises several error types for text it cannot read
        return None
    symbols = _licensing().license_symbols(expression)
    if len(symbols) != 1 or expression is None or str(expression) != str(symbols[0]):
        return None  # an expression ('MIT OR Apache-2.0') is not one licence
    return symbols[0].key


def license_value(name: str):
    """The value of schema:license for a licence named `name`: an SPDX IRI, else the name."""
    spdx = spdx_id(name)
    return Iri(SPDX + spdx) if spdx else name


def spdx_licenses(text: str) -> list[Iri]:
    """The SPDX licences among the parts of a cell ('Open-weight local runs, Apache 2.0')."""
    return [Iri(SPDX + spdx_id(p)) for p in _SPLIT.split(text[:MAX_CELL]) if spdx_id(p)][:8]


_SPLIT = re.compile(r"\s*(?:,|;|\+|/|\band\b|&)\s*", re.I)


def cell_licenses(text: str, links=()) -> list[object]:
    """The licences a licence cell names, each as license_value() gives it."""
    from llmkg.ingest.columns import clean

    text = clean(text[:MAX_CELL]).strip()
    if not text or text in ("-", "—", "?", "N/A", "n/a"):
        return []
    lead = links[0].text.strip() if links and text.startswith(links[0].text.strip()) else None
    whole = spdx_id(text)
    if whole:
        return [license_value(text)]
    if lead:
        return [license_value(lead)]  # '[Custom](...) Free if ...': the link names it
    parts = [p.strip(" .()") for p in _SPLIT.split(text) if p.strip(" .()")]
    if parts and all(spdx_id(p) for p in parts):
        return [license_value(p) for p in parts[:8]]  # 'Apache 2.0, CC BY-SA-3.0'
    # 'Custom Free if you have ...', 'OpenRAIL-M v1': one name, the words before a remark
    words = text.split()
    m = re.match(r"(.+?)\s+(?:[-–:(]|free\b|for\b|with\b|if\b|but\b|only\b|non-?commercial\b|see\b)", text, re.I)
    name = m.group(1) if m else text
    if len(name.split()) > MAX_WORDS:
        name = " ".join(words[:2])
    return [license_value(name.strip(" .,;"))]


# 'released under the Apache 2.0 license', 'Apache 2.0 license', 'Apache 2.0-licensed':
# the few words before the word 'license'; 'licensed under MIT', 'license: MIT': after it
_LICENSE_WORD = re.compile(r"[\s-]licen[cs]e(?:d)?\b", re.I)
_AFTER = re.compile(r"\blicen[cs]e[ds]?\s*(?::|under)\s*(?:the\s+)?([A-Za-z0-9.+\-]+(?:\s+[A-Za-z0-9.+\-]+){0,3})", re.I)
_WORDS_BEFORE = 4


def stated_licenses(text: str) -> list[tuple[object, int]]:
    """(licence value, offset) of the SPDX licences an entry's text states; a name that is
    no SPDX licence is not read from prose (a licence column gives those)."""
    out, seen = [], set()
    for m in _LICENSE_WORD.finditer(text):
        before = text[max(0, m.start() - 80):m.start()]
        words = re.findall(r"[A-Za-z0-9.+\-]+", before)[-_WORDS_BEFORE:]
        for n in range(len(words), 0, -1):
            spdx = spdx_id(" ".join(words[-n:]))
            if spdx:
                if spdx not in seen:
                    seen.add(spdx)
                    out.append((Iri(SPDX + spdx), m.start() - len(" ".join(words[-n:]))))
                break
    for m in _AFTER.finditer(text):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            spdx = spdx_id(" ".join(words[:n]))
            if spdx:
                if spdx not in seen:
                    seen.add(spdx)
                    out.append((Iri(SPDX + spdx), m.start(1)))
                break
    return out
