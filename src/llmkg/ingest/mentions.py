"""Models named inside an entry's prose, where the entry itself is about something else.

A method paper, a product note or an event may name a model it introduces:
'we release Xyz-7B', 'OpenAI announced their latest image model, DALL-E 3',
'Gemini Ultra is the first model to ...', 'GPT-4 Turbo with 128K context',
'BitNet b1.58, in which every parameter of the LLM ...'. Only a versioned
name (it has a digit) in one of these frames counts: a name in passing
('outperforms GPT-4o') is no introduction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llmkg.ingest import evidence as E
from llmkg.ingest import names as N

# A model name: a capitalised or versioned word and up to three more of its words.
# A model name: a capitalised or versioned word and more of its words (a word never
# ends in a full stop: "Bits. BitNet" are two sentences).
_W = r"[\w.\-]*[\w\-]"
_NAME = (rf"((?:[A-Z]{_W}|[A-Z]|[a-z][\w.]*-[\w.\-]*\d{_W}?)"
         rf"(?:\s(?:[A-Z]{_W}|[A-Z]|\d{_W}?|[a-z]\d{_W}?|mini|nano|pro|turbo|ultra|flash|small|large|base|instruct|chat)"
         rf"(?![\w\-]))*)")
# what may follow a released name: the clause ends, or it says more about the model
_AFTER = r"(?=\s*(?:[^\w\s]|$|with\b|and\b|model|is\b|was\b))"
_MODEL = r"(?:model|LLM|language model|VLM|MLLM|foundation model)s?"
# (whether the name needs a version, the frame). A frame either holds the name as its
# group 1, or (None groups) is the words that follow a name: the name is then read
# right before it, so that the engine does not try a name at every position.
_FRAMES = [
    # "we release Xyz-7B", "introduces Xyz 2", "announced their latest image model, DALL-E 3"
    (True, re.compile(rf"\b(?:release[sd]?|introduc(?:e|es|ed|ing)|present(?:s|ed)?|announc(?:e|es|ed)|"
               rf"launch(?:es|ed)?|unveil(?:s|ed)?|open-sourc(?:e|es|ed))\s+(?:the\s+|their\s+|its\s+|our\s+)?"
               rf"(?:(?:new|latest|first)\s+)?(?:[\w\-]+\s+){{0,2}}?(?:{_MODEL},?\s+)?{_NAME}{_AFTER}")),
    # "Gemini Ultra is the first model to ...", "Xyz-7B, a 7B model ..."
    (False, re.compile(rf",?\s+(?:is\s+|was\s+|,\s*)?(?:a|an|the)\s+(?:[\w\-]+\s+){{0,4}}?{_MODEL}\b")),
    # "GPT-4 Turbo with 128K context"
    (True, re.compile(r"\s+with\s+(?:up\s+to\s+)?\d+(?:\.\d+)?\s?[KM]\b(?:\s|-)(?:tokens?\s+)?context")),
    # "BitNet b1.58, in which every single parameter (or weight) of the LLM"
    (True, re.compile(rf",\s+in\s+which\b[^.]{{0,80}}\b(?:{_MODEL}|parameters?|weights?)\b")),
    # "LLaVA-1.5 achieves SoTA on ...", "Xyz-7B outperforms ...": the subject of a model's results
    (True, re.compile(r"\s+(?:achieves|outperforms|surpasses|beats|rivals|matches|tops)\s+(?:the\s+)?"
                      r"(?:SoTA|SOTA|state[- ]of[- ]the[- ]art|[A-Z][\w.\-]*\d)")),
]
_NAME_AT_END = re.compile(rf"(?<![\w.\-]){_NAME}$")

# the words each frame needs, searched before the frame itself is tried
_TRIGGERS = [re.compile(r"\b(?:release|introduc|present|announc|launch|unveil|open-sourc)", re.I),
             re.compile(rf"\b{_MODEL}\b", re.I),
             re.compile(r"\bcontext\b", re.I),
             re.compile(r"\bin which\b", re.I),
             re.compile(r"\b(?:achieves|outperforms|surpasses|beats|rivals|matches|tops)\b")]
_ANY_FRAME = re.compile(rf"{_MODEL}|\bcontext\b|\bin which\b|\brelease|\bintroduc|\bpresent|\bannounc|\blaunch|"
                        r"\bunveil|\bopen-sourc|\bachieves|\boutperforms|\bsurpasses|\bbeats|\brivals|\bmatches|"
                        r"\btops", re.I)
_NOT_NAME_WORDS = {"this", "the", "that", "these", "those", "our", "its", "their", "it", "we", "a", "an",
                   "model", "models", "llm", "llms"}


@dataclass(frozen=True)
class Mention:
    name: str
    start: int  # of the name, in the text given
    end: int  # of the clause it stands in
    maker: str | None = None  # the organisation the clause says made it ("... from Acme Labs")
    own_end: int = 0  # in a list of names, where the name's own words end ("Aa 2 (7B)")


def models_named(text: str, lex) -> list[Mention]:
    """Versioned model names the text introduces, each with the clause it stands in."""
    if not _ANY_FRAME.search(text):
        # most entries: none of the frames' words, no need to try them
        return sorted(models_listed(text, lex), key=lambda mention: mention.start)
    found: dict[str, Mention] = {}
    for (needs_version, frame), trigger in zip(_FRAMES, _TRIGGERS):
        if not trigger.search(text):
            continue  # a frame is tried only where its words are
        for m in frame.finditer(text):
            if frame.groups:
                start, name = m.start(1), _trim(m.group(1))
            else:
                window = max(0, m.start() - 80)
                before = _NAME_AT_END.search(text, window, m.start())
                if not before:
                    continue
                start, name = before.start(1), _trim(before.group(1))
            if not name or not N.looks_like_name(name, strict=False):
                continue
            if not E.versioned(name) and (needs_version or len(name.split()) < 2):
                continue
            if any(w.lower() in _NOT_NAME_WORDS for w in name.split()):
                continue  # "This Model is ...", "The LLM is ..."
            if not needs_version and E.head_noun(text[start + len(name):].lstrip(" ,"), lex) != "model":
                continue  # "Direct Preference Optimization, a method without a reward model"
            stop = re.search(r"[.;](?:\s|$)", text[start + len(name):])
            end = start + len(name) + (stop.start() if stop else len(text) - start - len(name))
            found.setdefault(name.lower(), Mention(name, start, end))
    for mention in models_listed(text, lex):
        found.setdefault(mention.name.lower(), mention)
    return sorted(found.values(), key=lambda mention: mention.start)


# "Aa 2 and Bb 3 from Acme Labs", "Aa-7B, Bb-2 and Cc 3 by Acme": a list of versioned names
# and the maker of them all. The maker's words are found first; the list is read right before.
_MAKER_AFTER = re.compile(r"\s+(?:(?:developed|released|built|trained|made)\s+)?(?:from|by)\s+(?:the\s+)?"
                          r"([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})")
_SIZE_AFTER = r"(?:\s*\([^()]{1,24}\))?"  # "Aa 2 (7B) and Bb-3 (3B) from ..."
_LIST_AT_END = re.compile(rf"(?<![\w.\-]){_NAME}{_SIZE_AFTER}((?:\s*,\s*(?:and\s+)?|\s+(?:and|&)\s+){_NAME}{_SIZE_AFTER})+$")
_ONE_NAME = re.compile(_NAME)
# "Zeta, fine-tuned from Aa 2", "Zeta 2, distilled from ...": a model made from a model
_LINEAGE_AFTER = re.compile(r",\s+(?:an?\s+)?(?:[\w\-]+\s+)?(?:fine-?tuned|distilled|derived|built|based)\s+"
                            rf"(?:from|on|upon)\s+(?:the\s+)?{_NAME}")
LIST_WINDOW = 160


def models_listed(text: str, lex) -> list[Mention]:
    """Models a sentence names with their maker or their lineage: 'Aa 2 and Bb 3 from Acme
    Labs' (each versioned, the maker known or named like a maker), 'Zeta, fine-tuned from Aa 2'
    (the base versioned)."""
    from llmkg.ingest import makers as M

    if " from " not in text and " by " not in text and "-tuned" not in text and " on " not in text:
        return []
    found: list[Mention] = []
    for m in _MAKER_AFTER.finditer(text):
        maker = m.group(1).rstrip(".")
        if not (lex.organization(maker) or M.org_like(maker, lex)):
            continue
        listed = _LIST_AT_END.search(text, max(0, m.start() - LIST_WINDOW), m.start())
        if not listed:
            continue
        bare = re.sub(r"\([^()]*\)", lambda p: " " * len(p.group(0)), listed.group(0))  # sizes aside
        names = [_opened(n.start(1) + listed.start(), _trim(n.group(1)), lex) for n in _ONE_NAME.finditer(bare)]
        names = [(at, name) for at, name in names if name and name.lower() not in ("and", "&")]
        if len(names) >= 2 and all(E.versioned(name) and _plain_name(name) for _, name in names):
            known = lex.organization(maker)
            ends = [at for at, _ in names[1:]] + [m.start()]
            found += [Mention(name, at, m.end(), known.name if known else maker, own_end=end)
                      for (at, name), end in zip(names, ends)]
    for m in _LINEAGE_AFTER.finditer(text):
        before = _NAME_AT_END.search(text, max(0, m.start() - 80), m.start())
        if not (before and E.versioned(_trim(m.group(1)))):
            continue
        name, at = _trim(before.group(1)), before.start(1)
        if not E.versioned(name):  # "Later Zeta, fine-tuned from ...": an unversioned name is one word
            at += len(name) - len(name.split()[-1])
            name = name.split()[-1]
        if _plain_name(name):
            found.append(Mention(name, at, m.end()))
    return found


def _opened(at: int, name: str, lex) -> tuple[int, str]:
    """'Then Kx 2' -> 'Kx 2': words that open a sentence of prose are no part of a name."""
    ws = name.split()
    dropped = 0
    while len(ws) - dropped > 1 and ws[dropped].lower() in lex.prose_openers:
        dropped += 1
    if not dropped:
        return at, name
    rest = " ".join(ws[dropped:])
    return at + name.index(ws[dropped], len(" ".join(ws[:dropped]))), rest


def _plain_name(name: str) -> bool:
    return N.looks_like_name(name, strict=True) and not any(w.lower() in _NOT_NAME_WORDS for w in name.split())


def _trim(name: str) -> str:
    """'DALL-E 3' from 'DALL-E 3 [', 'GPT-4 Turbo' from 'GPT-4 Turbo with': words of the name only."""
    kept = []
    for word in name.split():
        if word.lower() in {"with", "is", "was", "and", "or", "in"}:
            break
        kept.append(word)
    return " ".join(kept).rstrip(".,:;")
