"""Text helpers of an entry's facts (ingest/entry_facts.py): which clause a value
belongs to, the names a list gives, spans blanked out. Plain functions of text."""

from __future__ import annotations

import re

from llmkg.ingest import names as N


def stem_of_variant(family: str, parts: list[str]) -> str | None:
    """'Claude 3' when the title 'Claude 3 Opus' ends with one of the listed variants."""
    for part in parts:
        if len(part) < len(family) and family.lower().endswith(" " + part.lower()):
            return family[:-len(part)].rstrip()
    return None


def blanked(text: str, spans) -> str:
    """The text with the spans blanked out (offsets kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def shared_clauses(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """'A, B, and C can process up to 1M tokens': names listed one after another share
    the clause that follows the last of them."""
    out = list(spans)
    run_start = 0
    for i in range(1, len(out) + 1):
        joined = i < len(out) and re.fullmatch(r"[\s,]*(?:and|&)?\s*",
                                               text[out[i - 1][1] + len(out[i - 1][0]):out[i][1]])
        if not joined:
            end = out[i - 1][2]
            for j in range(run_start, i):
                out[j] = (out[j][0], out[j][1], max(out[j][2], end))
            run_start = i
    return out


LINEAGE_LOOKAHEAD = 300  # characters after "fine-tuned from" that may name its targets (seven at most)


def named_list(text: str) -> list[str]:
    """'Llama 2, free for ...' -> ['Llama 2']; 'SigLIP, Phi-1.5, LLaVA dataset' -> ['SigLIP', 'Phi-1.5']."""
    out = []
    text = re.sub(r"^\s*[\w.\-]+/(?=[\w.\-]+)", "", text)  # "mistralai/Mistral-7B-v0.1": the repo names it
    for part in re.split(r",\s*|\s+and\s+", text.strip(), maxsplit=6):
        phrase = next((p for p, s, _ in N.name_phrases(part, part[:1]) if s == 0), None) if part else None
        if not phrase or not phrase[:1].isupper() and not re.search(r"\d", phrase[:4]):
            break
        after = part[len(phrase):].strip().lower()
        if after.startswith(("dataset", "data ", "data", "benchmark")):
            break
        phrase = N.drop_size_suffix(re.sub(r"\s+model$", "", phrase))
        out.append(phrase)
        if after and not after.startswith(("model",)):
            break
    return out


_SENTENCE_WORDS = {"a", "an", "the", "with", "of", "to", "and", "or", "from", "total", "up", "in", "on"}


def foreign(text: str, at: int, own: set[str]) -> bool:
    """Is the value at `at` attached to another model's name ('Llama 7B' inside Alpaca's entry)?"""
    before = text[max(0, at - 60):at]  # a name stands right before its value: a bounded look-back keeps this linear
    if re.search(r"[,(:;/)]\s*$", before):
        return False  # a list of values: "(1B, 3B)", "2)7B"
    trailing = re.findall(r"[\w.+\-]+", before[-40:])[-2:]
    if not trailing:
        return False
    word = trailing[-1].strip("-")
    if re.fullmatch(r"\d+(?:\.\d+)?", word) and len(trailing) == 2:
        word = trailing[0] + " " + word  # "LLama 3 8B": the name is "LLama 3"
    if not word.strip():
        return False  # a lone dash: "Foo - 7B"
    first = word.split()[0]
    if first.lower() in _SENTENCE_WORDS or len(first) < 2:
        return False
    if not (first[:1].isupper() or re.search(r"\d", first)):
        return False
    if before.endswith("-"):  # "Qwen-7B" names a model of its own unless it is the owner
        return set(N.name_tokens(trailing[-1])) != {t for t in own if not N.is_size_token(t)}
    return not set(N.name_tokens(word)) <= own
