"""Text as the ingester reads it: unicode spaces, dashes and quotes as ASCII; emoji
and badge marks stripped from names.

The lowest module of the ingester: the lexicon and the name rules both use it.
"""

from __future__ import annotations

import re
import unicodedata

# Emoji and pictographs (So), their variation selectors and joiners (Mn/Me/Cf),
# private-use and unassigned code points: badge text, never part of a name.
_SYMBOL_CATEGORIES = {"So", "Cs", "Co", "Cn", "Cf"}
_SYMBOL_MARKS = {"\ufe0e", "\ufe0f", "\u20e3"}


def strip_symbols(text: str) -> str:
    """'Command R+🤗' -> 'Command R+', 'Name 3✍️ Small' -> 'Name 3 Small' (spaces kept single)."""
    if text.isascii():
        return text
    kept = "".join(ch for ch in text if ch not in _SYMBOL_MARKS
                   and unicodedata.category(ch) not in _SYMBOL_CATEGORIES)
    return re.sub(r"\s{2,}", " ", kept).strip() if kept != text else text


# Unicode spaces, dashes and quotes as their ASCII selves, so that 'GPT‑4.1'
# (a non-breaking hyphen), 'Qwen3 8B' (a narrow no-break space) and 'Google’s'
# read and key like 'GPT-4.1', 'Qwen3 8B' and "Google's". One character for
# one, so offsets and line numbers stay those of the file.
_PLAIN = str.maketrans({**{c: " " for c in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                                          "\u2007\u2008\u2009\u200a\u202f\u205f\u3000"},
                        **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
                        "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


# 'Llama 3·1': a middle dot between digits stands for a version's dot ('DALL·E 3' keeps its own;
# names key alike with or without it)
_MIDDLE_DOT = re.compile(r"[\u00b7\u2027\u30fb\u2219\u22c5]")


def plain_text(text: str) -> str:
    text = text.translate(_PLAIN)
    if text.isascii() or not _MIDDLE_DOT.search(text):
        return text
    return _MIDDLE_DOT.sub(lambda m: _dot_between(text, m.start()), text)


def _dot_between(text: str, at: int) -> str:
    """'.' between two ASCII digits; the dot itself elsewhere."""
    before, after = text[at - 1:at], text[at + 1:at + 2]
    digits = before.isascii() and before.isdigit() and after.isascii() and after.isdigit()
    return "." if digits else text[at]
