"""Name keys: how llmkg compares names, for identity and for look-ups.

Kept apart from the lexicons so that `llmkg query` can normalise a name
parameter without loading data/*.toml.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Greek letters name versions ("Zephyr-7B-β"): spelled out, not dropped by the ASCII fold
GREEK = str.maketrans({"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
                        "λ": "lambda", "μ": "mu", "π": "pi", "σ": "sigma", "ω": "omega",
                        "Α": "alpha", "Β": "beta", "Γ": "gamma", "Δ": "delta", "Ω": "omega"})
_VERSION_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_NOT_KEY = re.compile(r"[^a-z0-9\0]")


@lru_cache(maxsize=1 << 18)  # the same names recur on every line that mentions them
def key(name: str) -> str:
    """Identity key of a name: case-, accent-, space- and punctuation-blind.

    A '.' survives only between two digits, so 'Llama 3.1' and 'Llama 31'
    stay apart while 'DeepSeek-V3' and 'Deepseek V3' meet.
    """
    text = unicodedata.normalize("NFKD", name.translate(GREEK)).encode("ascii", "ignore").decode().lower()
    text = _VERSION_DOT.sub("\0", text)
    return _NOT_KEY.sub("", text).replace("\0", ".")


def name_key(name: str) -> str:
    """The llmkg:nameKey of a name: its identity key, or, for a name with no
    ASCII letter or digit (e.g. '文心一言'), the case-folded name itself."""
    return key(name) or " ".join(name.split()).casefold()
