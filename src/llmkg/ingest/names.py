"""What an entry calls itself: model names, their other spellings, variants.

Rules are about the shape of names (short, capitalised or versioned tokens,
"X and Y", "owner/Name", "Name (ABBR)", "aka"), never about particular
models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llmkg.keys import key
from llmkg.ingest.lexicon import Lexicon
from llmkg.ingest.text import strip_symbols  # noqa: F401  (names use it, and offer it as N.strip_symbols)

MAX_NAME_WORDS = 5
# Lower-case words that may stand inside a model name ("Grok 3 mini Reasoning").
NAME_MODIFIERS = {"mini", "small", "medium", "large", "pro", "plus", "nano", "flash", "lite",
                  "micro", "vision", "instruct", "chat", "base", "reasoning", "thinking", "turbo",
                  "ultra", "max", "omni", "coder", "math", "audio", "preview", "experimental",
                  "multimodal", "moe", "vl", "dense", "sparse", "instant", "exp", "high", "low"}
# 'R1', '3n', 'V3': a version alone, after a family's full name
_SHORT_VERSION = re.compile(r"^(?=\w{1,4}$)[A-Za-z]?\d+[a-z]?$")
_GENERIC_TAIL = re.compile(r"(?<!\s)\s+(?:foundation\s+models|family\s+of\s+models|model\s+family|models|llms)$", re.I)
_AKA = re.compile(r"\b(?:aka|a\.k\.a|fka|formerly)\.?\s+", re.I)
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT_OR_DASH = re.compile(r"\d|-")
_TOKEN_SEPARATORS = re.compile(r"[\s\-_/]+")
_SIZE_TOKEN = re.compile(r"^(?:\d+(?:\.\d+)?[bmtk]|a\d+(?:\.\d+)?b|\d+x\d+b)$", re.I)


@dataclass
class Name:
    label: str
    aliases: list[str] = field(default_factory=list)
    start: int = 0  # where the name's own text begins in the segment
    end: int = 0


def words(text: str) -> list[str]:
    return text.split()


def name_tokens(name: str) -> list[str]:
    """'Llama 4 Scout' -> ['llama', '4', 'scout']; 'Phi-3-mini' -> ['phi', '3', 'mini']."""
    return [t for t in _TOKEN_SEPARATORS.split(name.lower()) if t]


def is_size_token(token: str) -> bool:
    return bool(_SIZE_TOKEN.match(token))


def looks_like_name(text: str, *, strict: bool) -> bool:
    """A short run of words that reads as a name.

    `strict` (for text that is not a link) asks every word to be capitalised,
    versioned (has a digit), hyphenated or a known modifier.
    """
    ws = words(text)
    if not ws or len(ws) > MAX_NAME_WORDS or not _LATIN.search(text):
        return False
    if not strict:
        return True
    # "(MIRI)", "(GLM)": a word in parentheses is judged by its own letters
    return all((w.strip("()") or w)[0].isupper() or _DIGIT_OR_DASH.search(w) or w.lower() in NAME_MODIFIERS
               for w in ws)


def clean_title(title: str, lexicon: Lexicon) -> tuple[list[Name], str | None]:
    """Names in a link text or leading phrase, and an organisation the title names.

    Handles 'owner/Name', 'Name (ABBR)', 'X, aka Y', 'Org Name', 'A and B', 'A / mini'.
    """
    title = strip_symbols(title).strip().strip("*_`").strip()
    org = None
    if ":" in title:
        title = title.split(":", 1)[0].strip()
    aliases: list[str] = []
    title = _announced(title, lexicon)
    glued = _GLUED_SPELLING.match(title)
    if glued:  # "GPT-4V(ision)": the name, spelled out in a glued parenthesis
        title = glued.group(1) + title[glued.end():]
        aliases.append(glued.group(1) + glued.group(3))
    m = _AKA.search(title)
    rest = title[m.end():].removesuffix(")") if m else ""
    if rest.strip() and ")" not in rest:  # "TaskMatrix, aka. VisualChatGPT", "LLaVA-CoT (FKA. LLaVA-o1)"
        title, aliases = title[:m.start()].rstrip(" \t,(").strip(), [rest.strip()]
    title = without_owner(title, lexicon)
    inner = _closing_parenthesis(title)
    if inner is not None and len(words(inner[1])) <= 3:
        title = inner[0]
        # "Qwen3 (MoE)", "Qwen3 (Dense)": a qualifier of the one model, not another name
        if not (inner[1].lower() in NAME_MODIFIERS or lexicon.architecture(inner[1])):
            aliases.append(inner[1])
    document = lexicon.name_document_words.search(title)
    if document and re.search(r"\d", title[:document.start()]):
        title = title[:document.start()]  # "o3-mini system card" is about o3-mini
    generic = _GENERIC_TAIL.search(title)
    # "The Amazon Nova Family of Models" is Amazon Nova, not "The Amazon Nova"
    head = [w for w in words(title[:generic.start()]) if w.lower() not in ("the", "a", "an")] if generic else []
    # "Apple Intelligence Foundation Language Models": a head that ends in a generic word is
    # cut mid-phrase, so the whole title is the name
    if head and head[-1].lower() not in lexicon.generic_name_words and \
            all(w[:1].isupper() or re.search(r"\d", w) for w in head) and any(
            w.lower() not in lexicon.generic_name_words and not lexicon.organization(w) for w in head):
        aliases.append(title)  # "Amazon Nova Foundation Models" is Amazon Nova
        title = " ".join(head)
    ws = words(title)
    for n in (2, 1):  # "Huggingface StarCoder": the organisation, then the name
        if len(ws) > n and lexicon.organization(" ".join(ws[:n])):
            org = lexicon.organization(" ".join(ws[:n])).name
            rest = ws[n:]
            if len(rest) == 1 and len(rest[0]) >= 5 and rest[0][:1].isupper():
                aliases.append(rest[0])  # "Huggingface StarCoder" is also "StarCoder"
            break
    parts = [p.strip() for p in re.split(r"(?<!\s)\s+(?:and|&|/)\s+|(?<!\s)\s*/\s*", title) if p.strip()]
    if len(parts) > 1 and all(len(words(p)) <= 4 for p in parts):
        names = []
        for part in parts:
            stem = re.sub(r"[-\s][^-\s]+$", "", names[0].label) if names else ""
            if stem != (names[0].label if names else "") and " " not in part and (
                    part[:1].islower() and not re.search(r"\d", part) or _SHORT_VERSION.match(part)
                    or part.lower() in NAME_MODIFIERS):  # "Orbit-5 Thinking / Instant": a mode of the family
                # "Phi-4-multimodal / mini", "DeepSeek V3 / R1", "Gemma 3 / 3n": the family stem is implied
                part = f"{stem}{names[0].label[len(stem)]}{part}"  # the separator the first name used
            names.append(Name(part))
        names = _model_halves(names)
        names[0].aliases.extend(aliases)
        return names, org
    return [Name(title, aliases)], org


# 'Orca-4V(ision) system card': a parenthesis glued to the name's last letter spells it out
_GLUED_SPELLING = re.compile(r"^(\S*\d\S*?([A-Za-z]))\((\w+)\)(?=\s|$)")


def _announced(title: str, lexicon: Lexicon) -> str:
    """'Introducing Orca 5', 'Meet Lumo 3': an announcement's title names its model."""
    m = lexicon.announcement_openings.match(title)
    rest = title[m.end():].strip() if m else ""
    if rest and re.search(r"\d", rest) and looks_like_name(rest, strict=True):
        return rest
    return title


def without_owner(title: str, lexicon: Lexicon) -> str:
    """'facebookresearch/ImageBind' -> 'ImageBind': a repository path used as a name names
    the repository (not 'o3/o4-mini': an owner has no digit unless the lexicon knows it)."""
    m = re.match(r"^([\w.\-]+)\s*/\s*([\w.\-()]+)$", title.strip())
    if m and (not re.search(r"\d", m.group(1)) or lexicon.organization_of_owner(m.group(1))):
        return m.group(2)
    return title


def _closing_parenthesis(title: str) -> tuple[str, str] | None:
    """'Name (ABBR)' -> ('Name', 'ABBR'), found without a backtracking regex."""
    if not title.endswith(")"):
        return None
    opening = title.rfind("(")
    head, inner = title[:opening].strip(), title[opening + 1:-1].strip()
    if opening < 1 or not head or not inner or ")" in inner:
        return None
    return head, inner


def _model_halves(names: list[Name]) -> list[Name]:
    """Which halves of 'A and B' are models.

    A half with a version or size (a digit) reads as a model, and so does one
    that only adds modifiers to such a half ("Grok-2 mini"). Without any digit
    ("Molmo and PixMo") only the first half, the headline, is taken; so is a
    digit-less half beside a versioned one ("Claude 3.7 Sonnet and Claude Code").
    """
    versioned = [n for n in names if re.search(r"\d", n.label)]
    if not versioned:
        return names[:1]
    # the versioned halves' tokens, looked up once per prefix: a list of many halves stays linear
    heads = {tuple(name_tokens(v.label)) for v in versioned}

    def modifies(name: Name) -> bool:
        """A versioned half's tokens followed by modifiers only."""
        toks = name_tokens(name.label)
        k = len(toks)
        while tuple(toks[:k]) not in heads:
            if k == 0 or toks[k - 1] not in NAME_MODIFIERS:
                return False
            k -= 1
        return True

    return [n for n in names if re.search(r"\d", n.label) or modifies(n)]


def split_list(text: str) -> list[str]:
    """'A (x), B, and C (y)' -> ['A (x)', 'B', 'C (y)'] (commas inside parentheses kept)."""
    parts, depth, current = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    out = []
    for part in parts:
        part = re.sub(r"^\s*(?:and|or)\s+", "", part.strip())
        out.extend(p.strip() for p in re.split(r"\s+and\s+(?![^(]*\))", part) if p.strip())
    return out


def strip_parens(text: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", text).strip()


MAX_PHRASE_TOKENS = 12
_WORD_TOKEN = re.compile(r"(?<![\w-])[\w.+]+(?:-[\w.+]+)*")
_NEXT_TOKEN = re.compile(r"\s+([\w.+]+(?:-[\w.+]+)*)")
_DIGIT = re.compile(r"\d")


def name_phrases(text: str, first_token: str):
    """Runs of name-like tokens starting with `first_token` (case-blind).

    Yields (phrase, start, end). Used to find variants named in an entry:
    'Llama 4 Scout', 'Claude Opus 4', 'Phi-3-mini', 'Grok 3 mini Reasoning'.
    """
    # one fixed tokenizer, not a pattern per family name: catalogs name
    # tens of thousands of families and compiling each costs more than matching
    first = first_token.lower()
    if first not in text.lower():
        return
    for m in _WORD_TOKEN.finditer(text):
        if not m.group(0).lower().startswith(first):
            continue
        first_token = m.group(0).rstrip(".")
        kept, end = [first_token], m.start() + len(first_token)
        if first_token != m.group(0):  # "MAI-1-preview. Microsoft ...": a sentence ends here
            yield first_token, m.start(), end
            continue
        # a name is a few tokens: a longer run is cut, so a line of names stays linear
        while len(kept) < MAX_PHRASE_TOKENS and (tok := _NEXT_TOKEN.match(text, end)) is not None:
            bare = tok.group(1).rstrip(".")
            if not (bare[:1].isupper() or _DIGIT.search(bare) or bare.lower() in NAME_MODIFIERS):
                break
            kept.append(bare)
            end = tok.start(1) + len(bare)
            if bare != tok.group(1):  # a sentence ends here
                break
        phrase = " ".join(kept).rstrip(".")
        yield phrase, m.start(), m.start() + len(phrase)


def is_variant_of(phrase: str, family: str) -> bool:
    """The family's tokens stand in the phrase in order, and the phrase adds a non-size word."""
    fam, toks = name_tokens(family), name_tokens(phrase)
    if not fam or not toks or toks[0] != fam[0] or key(phrase) == key(family):
        return False
    i = 0
    for tok in toks:
        if i < len(fam) and tok == fam[i]:
            i += 1
    if i < len(fam):
        return False
    extra = list(toks)
    for tok in fam:
        extra.remove(tok)
    # a variant adds a word or two ("Scout", "mini Reasoning"), not a whole phrase
    return len(extra) <= 2 and any(not is_size_token(t) for t in extra)


def is_size_variant(phrase: str, family: str) -> bool:
    """'Qwen2-0.5B', 'Qwen2-57B-A14B' of 'Qwen2': the family's exact name, a hyphen, sizes only."""
    if not phrase.lower().startswith(family.lower() + "-"):
        return False
    extra = re.split(r"-", phrase[len(family) + 1:])
    return bool(extra) and all(is_size_token(t) for t in extra)


def drop_size_suffix(phrase: str) -> str:
    """'Llama 3.3 70B' -> 'Llama 3.3'; 'Qwen2-57B-A14B' -> 'Qwen2'."""
    out = phrase
    while True:
        new = re.sub(r"[\s-](?:\d+(?:\.\d+)?[BbMmTt]|A\d+(?:\.\d+)?B)$", "", out)
        if new == out:
            return out
        out = new
