"""Organisations from the catalog's structure: who made the entries under a group or heading.

A maker is named by a bullet that heads a group of entries ("- Meta" with
numbered models below), by a heading of any level ("#### **OpenAI**"), by a
products or roadmap heading ("OpenAI Products", "OpenAI's roadmap"), or in
prose ("... model by Acme AI", "Acme's latest model"). A name the curated
lexicon knows is a maker at once; another name is one when the structure
says so: its entries are models (decided by the caller, from their evidence).
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass

from llmkg.ingest import names as N
from llmkg.keys import key

_ORG_NAME = r"[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3}"
# Stated developers beside the group's: "LLM from Google DeepMind", "developed by X".
STATED_ORG = re.compile(rf"\b(?:developed|created|built|trained)\s+by\s+(?:the\s+)?({_ORG_NAME})"
                        rf"|\b(?:LLMs?|models?)\s+(?:from|by)\s+({_ORG_NAME})")
# Organisations named in prose: "In collaboration with NASA", "Upstage's 70B Language Model".
_PROSE_ORG = re.compile(rf"\b(?i:in collaboration with|in partnership with|jointly with)\s+(?:the\s+)?({_ORG_NAME})"
                        r"|(?<![\w.&\-])([A-Z][A-Za-z&\-]+(?:\s+[A-Z][A-Za-z&\-]+)?)'s\s+"
                        r"(?:[\w.\-]+\s+){0,3}?(?i:language\s+|foundation\s+)?(?i:model|LLM)s?\b")
_ORG_VERBS = re.compile(r"\b(?:developed|created|released|built|trained|made|published|from)\s+by\s+"
                        r"([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"
                        r"|\b(?:LLM|model|models)\s+(?:from|by)\s+([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})"
                        r"|(?<![\w&.\-])([A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,2})\s+(?:is releasing|released|releases|proposed|"
                        r"proposes|introduced|introduces|announced|announces|unveiled|launched)\b")


def prose_organizations(text: str) -> list[tuple[str, int]]:
    """(name, offset) of organisations the prose names as makers or partners."""
    out = []
    for m in _PROSE_ORG.finditer(text):
        name = (m.group(1) or m.group(2)).strip()
        name = re.split(r"\s+(?:and|is|are|has|to)\b", name)[0].strip(" ,.")
        if name[:1].isupper() and not re.search(r"\d", name):
            out.append((name, m.start(1) if m.group(1) else m.start(2)))
    return out


def known_in(candidates: list[str], lex) -> str | None:
    """The first candidate phrase (or its longest leading words) the lexicon knows."""
    for candidate in candidates:
        ws = N.words(candidate)
        for n in range(len(ws), 0, -1):
            org = lex.organization(" ".join(ws[:n]))
            if org:
                return org.name
        for n in range(1, len(ws)):  # "Then Google released ...": a capitalised word before it
            org = lex.organization(" ".join(ws[n:]))
            if org:
                return org.name
    return None


def org_from_text(desc: str, lex) -> str | None:
    """A known maker the description names first: "AI21's ...", "dolly: Databricks", "Microsoft TaskMatrix"."""
    desc = desc.lstrip(" :-")
    m = re.match(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)'s\b", desc)
    candidates = [m.group(1)] if m else []
    first = re.match(r"([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*){0,2})\s*(?:[,.]|$)", desc)
    if first:
        candidates.append(first.group(1))
    lead = N.words(desc)[:1]
    if lead:
        candidates.append(lead[0])
    for m in _ORG_VERBS.finditer(desc):
        candidates.append(next(g for g in m.groups() if g))
    return known_in(candidates, lex)


def acting_makers(text: str, lex, *, suffixed: bool = False) -> list[tuple[str, int]]:
    """Known organisations the text has make something: "DeepMind proposed ...", "IBM is releasing";
    with `suffixed`, also a name that ends like a maker's ("Then Quill Labs released ...")."""
    out = []
    for m in _ORG_VERBS.finditer(text):
        named = next(g for g in m.groups() if g)
        known = known_in([named], lex)
        if known:
            out.append((known, m.start()))
        elif suffixed:
            ws = N.words(named)
            # "Then Quill Labs": the fewest words that read as a maker's name ("Zorbo Research Labs" whole)
            for n in range(len(ws) - 2, -1, -1):
                if ws[n].lower() not in lex.organization_suffixes and suffixed_organization(" ".join(ws[n:]), lex):
                    out.append((" ".join(ws[n:]), m.start()))
                    break
    return out


def suffixed_organization(name: str, lex) -> bool:
    """'Zorbo Labs', 'Kestrel AI': an organisation-like name that ends in an organisation word."""
    return len(N.words(name)) > 1 and org_like(name, lex) and N.words(name)[-1].lower() in lex.organization_suffixes \
        and key(name) not in lex.not_organizations


def stated_organizations(desc: str, own_names: set[str], lex) -> list[tuple[str, int, bool]]:
    """(name, offset, known) of developers the text states: names after "developed by",
    "LLM from", "models by" (known ones, or one that reads as a maker's name), partners."""
    out = []
    for m in STATED_ORG.finditer(desc):
        candidate = next(g for g in m.groups() if g).rstrip(".")
        at = m.start(next(i for i, g in enumerate(m.groups(), 1) if g))
        after = desc[at:at + 300]  # the name and the few after it: bounded, so many phrases stay linear
        known = known_in([candidate, *re.split(r",\s*", after.split(")")[0])[1:3]], lex)
        if known:
            out.append((known, m.start(), True))
        elif org_like(candidate, lex) and key(candidate) not in lex.not_organizations \
                and key(candidate) not in own_names and re.match(rf"{re.escape(candidate)}\s*(?:[,.;)]|$)", after):
            out.append((candidate, m.start(), False))  # "(developed by Kakao)"
    out += [f for f in from_organizations(desc, own_names, lex) if f[0] not in {o[0] for o in out}]
    for name, at in prose_organizations(desc):
        known = lex.organization(name)
        if key(name) not in own_names:
            out.append((known.name if known else name, at, bool(known)))
    return out


# "Zorbo-8x7B ... from Zorbo Labs.", "Aa 2 and Bb 3 from Google": a maker after a bare "from",
# when nothing but punctuation follows it and the word before says no lineage
_FROM_ORG = re.compile(rf"(?<![\w-])([\w-]+),?\s+from\s+(?:the\s+)?({_ORG_NAME})(?=\s*(?:[,.;)\]]|\s(?:and|in|on)\s|$))")
_FROM_LINEAGE = {"distilled", "fine-tuned", "finetuned", "derived", "converted", "adapted", "trained",
                 "merged", "learned", "data", "tokens", "text", "apart", "away", "inspired", "ported",
                 "upgraded", "scratch", "evolved", "moved", "migrated", "switched", "different"}


def from_organizations(desc: str, own_names: set[str], lex) -> list[tuple[str, int, bool]]:
    """(name, offset, known) of makers named after a bare 'from': a known organisation, or
    an organisation-like name that ends in a word such as Labs, AI, Research."""
    out = []
    for m in _FROM_ORG.finditer(desc):
        if m.group(1).lower() in _FROM_LINEAGE:
            continue
        name = m.group(2).rstrip(".")
        known = lex.organization(name)
        if known:
            out.append((known.name, m.start(2), True))
        elif key(name) not in own_names and suffixed_organization(name, lex):
            out.append((name, m.start(2), False))
    return out


# "Qwen3, the large language model series developed by Qwen team, Alibaba Cloud": a name,
# then an apposition that says who made it
_APPOSITION_MAKER = re.compile(r"^\s*[^,.;]{1,60},\s+(?:the|a|an)\s+[^.;]{0,80}?\b(?:developed|created|built|"
                               r"released|trained|made)\s+by\s+(?:the\s+)?([^.;\[]{1,60})")


def maker_in_apposition(text: str, lex) -> str | None:
    """The known maker an apposition after a model's name states, or None."""
    m = _APPOSITION_MAKER.match(text)
    return known_in([m.group(1), *re.split(r",\s*", m.group(1))[1:3]], lex) if m else None


@dataclass(frozen=True)
class Maker:
    """What a group bullet or a heading says about the entries under it."""

    name: str
    known: bool  # in the lexicon: a maker whatever its entries are
    products: bool  # "OpenAI Products": a maker, but its entries are products unless they say otherwise


def titled_maker(title: str, urls: list[str]) -> str | None:
    """'landing.ai: Agentic Object Detection' on landing.ai, 'Sakana.ai: ...' beside a
    SakanaAI repository: a title that opens with its maker's name, as its links spell it."""
    from llmkg.ingest import facts as F

    maker, sep, rest = N.strip_symbols(title).partition(":")
    if not sep or not rest.strip() or len(N.words(maker)) > 3 or not key(maker):
        return None
    spellings = set()
    for url in urls:
        host = F.host(url)
        spellings |= {key(host), key(host.rsplit(".", 1)[0])}
        owner = F.repository_owner(url)
        if owner:
            spellings.add(key(owner))
    return maker.strip() if key(maker) in spellings else None


@lru_cache(maxsize=1 << 14)  # a chunk's heading labels are read again for each entry under them
def plain_label(text: str) -> str:
    """A heading's or group's words without emphasis, emoji, trailing colon or parentheses."""
    text = N.strip_symbols(re.sub(r"[*_`]+", "", text))
    return re.sub(r"\s+", " ", text).strip().rstrip(".:").strip()


def org_like(label: str, lex) -> bool:
    """A short proper name: capitalised words, no topic, method or generic words."""
    ws = N.words(label)
    if not ws or len(ws) > 3 or not label[:1].isupper():
        return False
    lowered = {w.lower() for w in ws}
    if lowered & (lex.function_words | lex.method_name_words | lex.other_nouns | lex.product_name_words):
        return False
    if lex.topic_words.search(label) or lex.model_list_words.search(label) or lex.resource_words.search(label):
        return False
    # every part of every word capitalised: "Moonshot AI", "Z-Lab", not "Domain-specific"
    return all(p[:1].isupper() or re.search(r"\d", p) for w in ws for p in w.split("-") if p)


def maker_of(label: str, lex) -> Maker | None:
    """The maker a group label or heading names, if it can name one.

    'Meta (aka. Facebook)' -> Meta (known); 'OpenAI Products' -> OpenAI
    (products); 'Moonshot AI' -> a possible maker (unknown until its entries
    are seen). None when the label cannot be a maker's name.
    """
    label = plain_label(label)
    bare = N.strip_parens(label)
    org = lex.organization(bare)
    if org:
        return Maker(org.name, True, False)
    # "OpenAI Products", "OpenAI's Roadmap and Products": a maker, then only product words
    m = re.match(r"^(.+?)(?:'s)?\s+((?:\w+\s+(?:and|&)\s+)?\w+)$", bare)
    if m and all(lex.product_words.fullmatch(w) for w in re.split(r"\s+(?:and|&)\s+", m.group(2))):
        owner = lex.organization(m.group(1))
        if owner or org_like(m.group(1), lex):
            return Maker(owner.name if owner else m.group(1), bool(owner), True)
    if org_like(bare, lex):
        return Maker(bare, False, False)
    return None


def aliases_of(label: str, name: str) -> list[str]:
    """Other spellings a group label gives its maker: 'Meta (aka. Facebook)' -> Facebook."""
    label = plain_label(label)
    out = []
    for alias in [N.strip_parens(label), *parenthesised_aliases(label)]:
        if alias != name and alias.strip():
            out.append(alias.strip())
    return out


def parenthesised_aliases(label: str) -> list[str]:
    """'**KII** (Kestrel Intelligence Institute)' -> ['Kestrel Intelligence Institute']."""
    return [a.strip() for a in re.findall(r"\((?:aka\.?\s*)?([^)]+)\)", plain_label(label)) if a.strip()]
