"""Finders for the facts a catalog sentence states, keyed on meaning.

Each finder reads plain text (or a URL) and returns typed values with the
text offset they were found at, so the caller can attribute each value to
the right entry and source line. Nothing here knows markdown or RDF.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass
from urllib.parse import urlsplit

from llmkg.ingest.spans import Spans

MONTHS = {m: i for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


@dataclass(frozen=True)
class Date:
    """A date at the precision the catalog gives: YYYY, YYYY-MM or YYYY-MM-DD."""

    lexical: str

    @property
    def datatype(self) -> str:
        return {4: "gYear", 7: "gYearMonth"}.get(len(self.lexical), "date")

    @property
    def year(self) -> int:
        return int(self.lexical[:4])


@dataclass(frozen=True)
class Found:
    value: object
    start: int
    end: int
    note: str = ""  # set when a value was read only in part (e.g. unknown month)


# --- dates ---------------------------------------------------------------

# closed by ']' or, a frequent typo, ')': "[30 Apr 2025)"
_DATE = re.compile(r"\[\s*(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([A-Za-z]{3,9})\.?,?\s+((?:19|20)\d\d)\s*[\])]"
                   r"|\[\s*((?:19|20)\d\d)(?:-(\d\d)(?:-(\d\d))?)?\s*[\])]")


@lru_cache(maxsize=1 << 12)  # an entry's text is read for dates by several stages
def find_dates(text: str) -> tuple[Found, ...]:
    """Bracketed dates: [18 Jul 2023], [Mar 2023], [April 2024], [2023], [2023-07-18]."""
    if "[" not in text:
        return ()
    found = []
    for m in _DATE.finditer(text):
        if m.group(3):
            day, month_name, year = m.group(1), m.group(2), m.group(3)
            month = MONTHS.get(month_name[:3].lower())
            if month is None:
                found.append(Found(Date(year), m.start(), m.end(),
                                   note=f"unknown month '{month_name}', kept the year only"))
                continue
            lexical = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        else:
            lexical = "-".join(g for g in m.group(4, 5, 6) if g)
        if _valid_date(lexical):
            found.append(Found(Date(lexical), m.start(), m.end()))
        else:
            found.append(Found(Date(lexical[:4]), m.start(), m.end(),
                               note=f"impossible date '{m.group(0)}', kept the year only"))
    return tuple(found)


def today() -> str:
    import datetime

    return datetime.date.today().isoformat()


def _valid_date(lexical: str) -> bool:
    import datetime

    parts = [int(p) for p in lexical.split("-")]
    try:
        datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


# --- sizes -------------------------------------------------------------------

_SCALE = {"k": 10**3, "thousand": 10**3, "m": 10**6, "million": 10**6, "mn": 10**6,
          "b": 10**9, "billion": 10**9, "bn": 10**9, "t": 10**12, "trillion": 10**12}

NUMBER = r"(\d+(?:\.\d+)?)"
# 7B, 1.1B, 111m, 13b, 3.8 billion (parameters), 70B-A14B handled by the caller
_SIZE = re.compile(rf"(?<![\w.]){NUMBER}\s?(b|m|t|bn)(?![a-z\d])(?!-\d)|(?<![\w.]){NUMBER}\s(million|billion|trillion)\b",
                   re.I)
_ACTIVE = re.compile(rf"activ\w*\s*(?:params?\s*|parameters?\s*)?[:=]?\s*{NUMBER}\s?([bmt])\b"
                     rf"|(?<![\d.]){NUMBER}\s?([bmt])\s+activ\w*|(?<![\w.])a{NUMBER}b\b", re.I)
_TOTAL = re.compile(rf"total\s*(?:params?\s*|parameters?\s*)?[:=]?\s*{NUMBER}\s?([bmt])\b", re.I)


def amount(number: str, unit: str) -> int:
    """'1.1', 'B' -> 1100000000, exactly (no float rounding)."""
    from decimal import Decimal

    return int(Decimal(number.replace(",", "")) * _SCALE[unit.lower()])


# The note of a range's low end: in a model's own name ('Name 1.1-47B') it is the name's
# version, not a size (the caller knows the names).
LOW_END = "the low end of a range"
# A parameter count below this is no model's (as ontology/shapes.ttl says).
MIN_PARAMETERS = 10**6
_NEXT_UNIT = {"k": "m", "thousand": "m", "m": "b", "million": "b", "mn": "b", "b": "t", "billion": "t", "bn": "t"}
# '1.5-72B', '0.135-270M', '7B-70B': a range of sizes, its unit written at the high end at least.
# Not after a hyphen: in 'Name-2-270M' the '2' is the name's version, not a low end.
_SIZE_RANGE = re.compile(rf"(?<![\w.\-]){NUMBER}\s?(b|m|t|bn)?\s*[-~\u2013]\s*{NUMBER}\s?(b|m|t|bn)(?![a-z\d])", re.I)
# '22B per expert', '3B parameters each expert', '8 experts of 7B': one expert's share is
# neither the model's size nor its active size.
_PER_EXPERT_AFTER = re.compile(r"[\s-]*(?:params?|parameters?)?\s*(?:per|each|/|for each|in each)\s*experts?\b"
                               r"|\s*(?:params?|parameters?)?\s*each\b", re.I)
_PER_EXPERT_BEFORE = re.compile(r"\b\d+\s+experts?\s+(?:of|with|at)\s+(?:about\s+|~)?$", re.I)


def range_ends(low: str, low_unit: str | None, high: str, high_unit: str) -> tuple[int, int]:
    """Both ends of a size range, the unit carried to the low end: '1.5-72B' is 1.5B to 72B.
    A low end that the carried unit would make too small for any model is read in the
    unit above ('0.135-270M' is 135M to 270M: a fraction of a billion)."""
    top = amount(high, high_unit)
    if low_unit:
        return amount(low, low_unit), top
    bottom = amount(low, high_unit)
    above = _NEXT_UNIT.get(high_unit.lower())
    if bottom < MIN_PARAMETERS and above and amount(low, above) <= top:
        bottom = amount(low, above)
    return bottom, top


def _per_expert(text: str, start: int, end: int) -> bool:
    return bool(_PER_EXPERT_AFTER.match(text, end, end + 40)
                or _PER_EXPERT_BEFORE.search(text[max(0, start - 30):start]))


@lru_cache(maxsize=1 << 12)  # the same entry text is read by evidence and by its facts
def find_sizes(text: str) -> tuple[Found, ...]:
    """Parameter counts ("7B", "1.1B", "3.8 billion", both ends of "1.5-72B") as plain
    integers; one expert's share ("22B per expert") is not the model's size."""
    found, ranges = [], []
    for m in _SIZE_RANGE.finditer(text):
        ranges.append((m.start(), m.end()))
        if _per_expert(text, m.start(), m.end()):
            continue
        low, high = range_ends(m.group(1), m.group(2), m.group(3), m.group(4))
        found += [Found(low, m.start(1), m.end(2) if m.group(2) else m.end(1), note=LOW_END),
                  Found(high, m.start(3), m.end())]
    ranged = Spans(ranges)
    for m in _SIZE.finditer(text):
        if m.start() in ranged:
            continue
        if m.group(1):
            value = amount(m.group(1), m.group(2))
            unit = m.group(2).lower()
            # "10M context" is a context length, not a size
            after = text[m.end(): m.end() + 12].lower()
            if unit == "m" and re.match(r"[\s-]*(context|token)", after):
                continue
        else:
            if not re.match(r"\s*(parameters?|params?)\b", text[m.end():m.end() + 14], re.I):
                continue
            value = amount(m.group(3), m.group(4))
        if _per_expert(text, m.start(), m.end()):
            continue
        found.append(Found(value, m.start(), m.end()))
    return tuple(sorted(found, key=lambda f: f.start))


@lru_cache(maxsize=1 << 12)  # the same entry text is read by evidence and by its facts
def find_active_and_total(text: str) -> tuple[tuple[Found, ...], tuple[Found, ...]]:
    """MoE sizes: 'activated 17b / total 109b', '(37B active)', 'Qwen2-57B-A14B'."""
    active = []
    for m in _ACTIVE.finditer(text):
        number, unit = (m.group(1), m.group(2)) if m.group(1) else \
            (m.group(3), m.group(4)) if m.group(3) else (m.group(5), "b")
        active.append(Found(amount(number, unit), m.start(), m.end()))
    total = [Found(amount(m.group(1), m.group(2)), m.start(), m.end()) for m in _TOTAL.finditer(text)]
    return tuple(active), tuple(total)


# --- context lengths -----------------------------------------------------------

_CONTEXT_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(k|m|million|thousand)?(?![a-z\d])",
                             re.I)


@lru_cache(maxsize=1 << 12)  # the same entry text is read by evidence and by its facts
def find_context_lengths(text: str) -> tuple[Found, ...]:
    """Context windows: '128K context', '1 million token context', 'up to 8,192 tokens'."""
    found = []
    lowered = text.lower()
    if "token" not in lowered and "context" not in lowered:
        return ()  # neither a window nor a token count can be written without these
    for m in _CONTEXT_NUMBER.finditer(text):
        number, unit = m.group(1), m.group(2)
        after = text[m.end(): m.end() + 40].lower()
        before = text[max(0, m.start() - 40): m.start()].lower()
        # 'Name-270M: a long-context model': what follows a colon describes the name
        after = re.split(r"[.;:(]\s|,\s(?!\d)", after)[0]
        before = re.split(r"[.;)]\s", before)[-1]
        if unit and unit.lower() in _SIZE_UNITS and in_a_name(text, m.start()):
            continue  # 'Gemma-3-270M', 'Qwen2.5-1M': a size in a name, whatever words stand near it
        tokens_after = re.match(r"[\s-]*(tokens?|token context|context)", after)
        says_context = re.match(r"[\s-]*(?:tokens?\s+(?:of\s+)?)?context", after) or "context" in before
        if not says_context and (_NOT_A_WINDOW.search(before) or _NOT_A_WINDOW.match(after)):
            continue  # "max output of 32K tokens", "blocks of 64 tokens", "$3 per 1M tokens"
        if unit:
            if not (tokens_after or re.search(r"context(?: window| length)?\b", after)
                    or re.search(r"context(?: window| length)?(?: of| to| up to| is)?[^\d]{0,20}$", before)
                    # "the context length of Llama 1: 4K"
                    or re.search(r"context(?: window| length)\b[^:]{0,30}:\s*$", before)):
                continue
            value = amount(number, unit)
        else:
            if not re.match(r"[\s-]*tokens?\b", after):
                continue
            value = int(number.replace(",", "").split(".")[0])
        if value < MIN_CONTEXT and not says_context:
            continue  # a few dozen tokens are a block, a prompt or an answer, not a model's window
        found.append(Found(value, m.start(), m.end()))
    return tuple(found)


_SIZE_UNITS = {"m", "million"}
_NAME_BEFORE = re.compile(r"(?:^|[^\w.\-])([\w.\-]+)-$")
_NUMBER_WITH_UNIT = re.compile(r"\d+(?:\.\d+)?[kmbt]?", re.I)


def in_a_name(text: str, at: int) -> bool:
    """Is the number at `at` joined by a hyphen to a name ('Gemma-3-270M', not '4K-32K')?
    Some part of what it is joined to is a name's: capitalised, or letters and digits."""
    m = _NAME_BEFORE.search(text, max(0, at - 60), at)
    if not m:
        return False
    return any(part and not _NUMBER_WITH_UNIT.fullmatch(part) and (part[0].isupper() or re.search(r"\d", part))
               for part in m.group(1).split("-"))


# A window shorter than this is no model's context (as ontology/shapes.ttl says).
MIN_CONTEXT = 256
# Words that make a token count something else than a context window: what a model
# outputs or is trained on, a block, a batch, a vocabulary, a price.
_NOT_A_WINDOW = re.compile(r"\b(?:output|outputs|generat\w*|respon\w*|answer|completion|vocab\w*|block\w*|"
                           r"chunk\w*|batch\w*|per|each|train\w*|pre-?train\w*|dataset|corpus|price\w*|cost\w*|"
                           r"embedding|dimension\w*|step\w*|sampl\w*|budget|thinking|reasoning)\b|\$")


# --- links ---------------------------------------------------------------------

_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$|([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


@lru_cache(maxsize=1 << 14)  # each link is looked at by several stages
def arxiv_id(url: str) -> str | None:
    """The arXiv id a URL points to, on arxiv.org or a mirror (/abs/ID, /pdf/ID, /papers/ID)."""
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    m = re.search(r"/(?:abs|pdf|papers|html)/(.+)$", path)
    if not m:
        return None
    candidate = _ARXIV_ID.match(m.group(1))
    if not candidate:
        return None
    if candidate.group(2) and "arxiv" not in parts.netloc:
        return None  # old-style ids only on arXiv itself: too easy to mistake elsewhere
    return candidate.group(1) or candidate.group(2)


# Paths on Hugging Face that are pages, not model repositories.
_HF_PAGES = {"blog", "spaces", "papers", "datasets", "docs", "collections", "models",
             "learn", "posts", "organizations", "settings", "tasks"}


@lru_cache(maxsize=1 << 12)  # the same entry text is read by evidence and by its facts
def _host_and_path(url: str) -> tuple[str, tuple[str, ...]]:
    """('github.com', ['owner', 'repo', ...]) for a URL, with or without a scheme."""
    parts = urlsplit(url if "://" in url else "https://" + url)
    return parts.netloc.lower().removeprefix("www."), tuple(s for s in parts.path.split("/") if s)


@lru_cache(maxsize=1 << 14)  # each link is looked at by several stages
def repository(url: str) -> str | None:
    """The canonical repository IRI of a GitHub or Hugging Face model repo URL."""
    host_, segments = _host_and_path(url)
    if len(segments) < 2:
        return None
    owner, name = segments[0], segments[1].removesuffix(".git")
    if host_ == "github.com":
        return f"https://github.com/{owner}/{name}"
    if host_ == "huggingface.co" and owner not in _HF_PAGES:
        return f"https://huggingface.co/{owner}/{name}"
    return None


@lru_cache(maxsize=1 << 14)  # each link is looked at by several stages
def repository_owner(url: str) -> str | None:
    """The GitHub / Hugging Face owner of a URL (also of org pages without a repo)."""
    host_, segments = _host_and_path(url)
    if host_ in ("github.com", "huggingface.co") and segments and segments[0] not in _HF_PAGES:
        return segments[0]
    return None


@lru_cache(maxsize=1 << 14)  # each link is looked at by several stages
def host(url: str) -> str:
    return _host_and_path(url)[0]


def is_web_url(url: str) -> bool:
    return url.startswith(("http://", "https://"))
