"""Entries as candidates: what an entry calls itself, and the verdict on it.

`read_candidates` finds the names an entry segment gives (a title link, a
leading phrase, a list of names) and what the entry says about itself;
`decide` adds what surrounds it (its maker, the list it stands in, its
siblings) and emits a Model, reports an entry it is unsure of, or counts a
resource (a paper, a post, a tool), keeping the organisations it names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from llmkg.ingest import evidence as E
from llmkg.ingest import facts as F
from llmkg.ingest import makers as M
from llmkg.ingest import names as N
from llmkg.ingest.entry_facts import EntryFacts, attached_sizes, owned_links
from llmkg.ingest.mentions import models_named
from llmkg.ingest.parse import Item, Link
from llmkg.ingest.records import Problem
from llmkg.keys import key


@dataclass
class Context:
    section: str | None  # innermost heading text
    org: str | None
    topic: str | None
    products: bool  # the maker's heading lists products ("OpenAI Products")
    model_list: bool  # a heading or group label says its entries are models
    org_list: bool = False  # a heading says its entries are makers ("Model Providers")
    # (architecture, line) a heading or group around the entry names ("### Mixture of Experts")
    architectures: tuple[tuple[str, int], ...] = ()


@dataclass
class Candidate:
    """An entry segment that names something, waiting for its verdict."""

    index: int  # the item's index
    item: Item
    start: int  # the segment's span in the item's text
    end: int
    links: list[Link]
    names: list[N.Name]
    title_link: Link | None
    desc_at: int  # where the description starts (item text offset)
    org_in_title: str | None
    own: E.Evidence  # what the entry says about itself
    mentions: list  # other models its prose introduces (ingest/mentions.py)

    @property
    def seg(self) -> str:
        return self.item.text[self.start:self.end]


def read_candidates(ex, index: int, item: Item) -> list:
    out = []
    text = item.text
    if not text.strip():
        return out
    for start, end in ex._segments(item):
        seg = text[start:end]
        links = [lk for lk in item.links if start <= lk.start < end]
        named = _names(ex, seg, start, links)
        if named is None:
            _unnamed(ex, item, seg, start, links)
            continue
        names, title_link, desc_at, org_in_title = named
        desc = seg[desc_at - start:]
        for link in links:  # "[[cnt](...)]: Benchmarking ...": skip citation links
            if ex.lex.is_generic_link(link.text) and link.start >= desc_at:
                desc = desc.replace(link.text, "", 1)
        if _is_resource(ex.lex, names[0].label, desc.lstrip(" :-[]/"), title_link):
            listed = _named_in_resource(names[0].label, seg, desc_at - start)
            if not listed:
                ex.out.resources += 1
                ex._architectures_named(item, start, end)
                _makers_named(ex, item, seg, start, org_in_title)
                continue
            names, title_link, org_in_title = listed, None, None
        openings = _model_openings(ex.lex, names, desc)
        # "[New embedding models](...) text-embedding-3-small: ...": a title that calls them models
        titled_models = bool(openings) and E.head_noun(names[0].label, ex.lex) == "model"
        if openings:  # "[Mixture of experts models](...): Mixtral 8x7B: Sparse ..."
            names, title_link = openings, None
        owned = [lk.url for lk in owned_links(ex.lex, links, title_link) if not lk.url.startswith("#")]
        title_url = title_link.url if title_link and not title_link.url.startswith("#") else None
        own_names = {t for n in names for t in N.name_tokens(n.label)}
        mentions = models_named(seg, ex.lex)
        own_keys = {key(n.label) for n in names} | {key(a) for n in names for a in n.aliases}
        introduced = any(key(m.name) in own_keys for m in mentions)
        mentions = [m for m in mentions if key(m.name) not in own_keys]
        lead = seg[:title_link.start - start] if title_link else ""
        subtitle = N.strip_symbols(title_link.text).partition(":")[2] if title_link else ""
        own = E.intrinsic(names, seg, desc, title_url, owned, attached_sizes(seg, own_names),
                          bool(ex.lex.lineage_re.search(desc)), ex.lex, lead=lead, subtitle=subtitle,
                          title_text=title_link.text.replace("\ufe0f", "") if title_link else "")
        if introduced:  # "OpenAI announced their latest image model, DALL-E 3"
            own.add("introduced as a model", 2)
        if titled_models or (title_link and key(names[0].label) not in key(title_link.text)
                             and _names_a_class(N.strip_symbols(title_link.text), ex.lex)):
            own.add("opens a text titled as models", 2)
        out.append(Candidate(index, item, start, end, links, names, title_link, desc_at, org_in_title, own,
                             mentions))
    return out


def weigh(ex, candidates: list) -> list:
    """(candidate, context, verdict) for each candidate: its own evidence and its surroundings'."""
    lists: dict[tuple, list] = defaultdict(list)
    contexts = {}
    for c in candidates:
        lists[_list_of(c.item)].append(c)
        if c.item.parent is not None:  # nested entries stand in their heading's list too
            lists[_heading_list(c.item)].append(c)
        contexts[id(c)] = ex._context(c.item)

    def around(c, share, own):
        ctx = contexts[id(c)]
        return E.context(maker=bool(ctx.org), products=ctx.products, model_list=ctx.model_list,
                         siblings=share, own=own)

    sure = {id(c): c.own.score + around(c, None, 0).score >= E.MODEL for c in candidates}
    models = {list_key: sum(sure[id(o)] for o in members) for list_key, members in lists.items()}
    out = []
    for c in candidates:
        list_key = _list_of(c.item)
        siblings = len(lists[list_key]) - 1  # counted once per list: a section of thousands stays linear
        share = (models[list_key] - sure[id(c)]) / siblings if siblings >= 2 else None
        out.append((c, contexts[id(c)], c.own.plus(around(c, share, c.own.score))))
    return out


def decide(ex, candidates: list) -> None:
    """Weigh each candidate with its surroundings and emit what it is."""
    for c, ctx, verdict in weigh(ex, candidates):
        if ctx.org_list and c.own.score < E.MODEL and M.org_like(c.names[0].label, ex.lex):
            # "#### Model Providers" / "- [Acme AI](https://acme.ai): ...": the entries are makers
            ex._record("organization", c.names[0].label, c.item.line_at(c.start), aliases=list(c.names[0].aliases))
            continue
        if ctx.org and key(c.names[0].label) == key(ctx.org) and not E.versioned(c.names[0].label):
            # "#### Voxel" / "- [Voxel](https://voxel.example): the lab's models": its maker's own page
            ex._record("organization", ctx.org, c.item.line_at(c.start))
            continue
        facts = (ex, c.item, ctx, c.names, c.seg, c.start, c.links, c.title_link, c.org_in_title)
        if verdict.score >= E.MODEL:
            EntryFacts(*facts).emit()
            continue
        doubt = None
        if verdict.score >= E.UNSURE:
            doubt = Problem(ex.cat.name, c.item.line_at(c.start), f"not sure '{c.names[0].label}' is a model "
                            f"({verdict.why()}), left out", c.seg.strip())
        elif E.DESCRIBED_AS_ORGANIZATION in dict(c.own.reasons):  # "MIRI: a leading organization in ..."
            ex._record("organization", c.names[0].label, c.item.line_at(c.start), aliases=list(c.names[0].aliases))
        else:
            ex.out.resources += 1
        ex._architectures_named(c.item, c.start, c.end)  # "Drag Your GAN": named, though no model's
        _papers_named_after_models(ex, c, ctx)
        for mention in c.mentions:  # "... GPT-4 Turbo with 128K context, Assistants API ..."
            named = N.Name(mention.name, start=mention.start, end=mention.end)
            EntryFacts(ex, c.item, ctx, [named], c.seg, c.start, c.links, c.title_link, mention.maker).emit()
        if E.plausible_name(c.own):
            # a model if the catalog proves it elsewhere ("[Gemini](...) [06 Dec 2023]" in a survey)
            EntryFacts(*facts, tentative=True, doubt=doubt).emit()
        elif doubt is not None:
            ex.out.problems.append(doubt)
        _makers_named(ex, c.item, c.seg, c.start, c.org_in_title, c.title_link, c.links)


_OPENING = re.compile(r"(?:^|\s)([A-Za-z][\w.\-]*(?:\s+[\w.\-]+){0,2}?)\s*:")


def _model_openings(lex, names: list[N.Name], desc: str) -> list[N.Name]:
    """Versioned model names that open the description of an entry titled like a topic:
    'Mixture of experts models: Mixtral 8x7B: ...', 'New embedding models:
    text-embedding-3-small: ... text-embedding-3-large: ...'. The entry is about them."""
    label = names[0].label
    topic = E.reads_as_title(label, lex) or lex.resource_words.search(label) or \
        N.words(label)[-1].lower().removesuffix("s") in lex.model_nouns
    if not topic:
        return []
    out = []
    first = re.match(r"\W*", desc).end()
    for m in _OPENING.finditer(desc):
        name = m.group(1)
        if not (E.versioned(name) and N.looks_like_name(name, strict=not name[:1].islower())
                and (name[:1].isupper() or "-" in name)):
            continue
        if m.start(1) > first and label[:1] and not out:
            break  # the first one must open the description
        out.append(N.Name(name))
    return out


def _papers_named_after_models(ex, c, ctx) -> None:
    """'A key difference between [Llama 1](arxiv) [27 Feb 2023] and [Llama 2](arxiv) ...':
    a paper linked under a versioned model's name describes that model; the model is
    tentative (kept only when the catalog proves it elsewhere)."""
    for link in c.links:
        if link is c.title_link or not F.arxiv_id(link.url):
            continue
        name = N.strip_symbols(link.text)
        if not (E.versioned(name) and N.looks_like_name(name, strict=True) and len(N.words(name)) <= 3
                and not E.reads_as_title(name, ex.lex)):
            continue
        # its clause: up to the next named link
        end = min([o.start for o in c.links if o.start > link.start and not ex.lex.is_generic_link(o.text)]
                  + [c.end])
        EntryFacts(ex, c.item, ctx, [N.Name(name)], c.item.text[link.start:end], link.start,
                   [link], link, None, tentative=True).emit()


def _list_of(item: Item) -> tuple:
    """The list an entry stands in: its parent's children, or all entries under its heading
    (the top of a list of makers stands beside the makers' models)."""
    if item.parent is not None and item.depth > 1:
        return ("item", item.parent)
    return _heading_list(item)


def _heading_list(item: Item) -> tuple:
    return ("heading", item.headings[-1].line if item.headings else 0)


def _unnamed(ex, item: Item, seg: str, start: int, links: list[Link]) -> None:
    """An entry that names nothing: a paper, a post, a resource; or, in a list of
    models, an entry the ingester could not read (reported)."""
    mentions = models_named(seg, ex.lex)
    ctx = ex._context(item) if mentions else None
    for mention in mentions:  # "LLaVA-1.5 achieves SoTA on ...": a model named by its results
        named = N.Name(mention.name, start=mention.start, end=mention.start + len(mention.name))
        EntryFacts(ex, item, ctx, [named], seg, start, links, None, mention.maker).emit()
    if not (any(F.is_web_url(lk.url) for lk in links) or F.find_dates(seg)):
        return
    ex._architectures_named(item, start, start + len(seg))
    ctx = ctx or ex._context(item)
    if any(F.arxiv_id(lk.url) for lk in links) or not (ctx.org or ctx.model_list):
        ex.out.resources += 1
    elif not mentions:
        ex._problem(item.line_at(start), "no model name found", seg)
    _makers_named(ex, item, seg, start, None)


def _makers_named(ex, item: Item, seg: str, start: int, org_in_title: str | None,
                  title_link: Link | None = None, links: list[Link] = ()) -> None:
    """Organisations an entry names as makers, whatever the entry is: in its title
    ("Cohere's new Prompt Tuner", "landing.ai: Agentic Object Detection"), after
    "developed by", as partners, or acting ("DeepMind proposed ...")."""
    found = [(org_in_title, 0)] if org_in_title else []
    titled = M.titled_maker(title_link.text, [lk.url for lk in links]) if title_link else None
    if titled:
        found.append((titled, 0))
    found += [(name, at) for name, at, _ in M.stated_organizations(seg, set(), ex.lex)]
    found += M.acting_makers(seg, ex.lex)
    for name, at in found:
        known = ex.lex.organization(name)
        ex._record("organization", known.name if known else name, item.line_at(start + at))


def _names(ex, seg: str, offset: int, links: list[Link]):
    """(names, title link, offset where the description starts, org named in title) or None."""
    lex = ex.lex
    lead = seg[: links[0].start - offset] if links else seg
    first = links[0] if links else None
    # "[Qwen series](...) > [Qwen2](...)": the last crumb names the entry
    while first and len(links) > 1 and re.fullmatch(
            r"\s*>\s*", seg[first.end - offset: links[1].start - offset]):
        links = links[1:]
        first = links[0]
    if first and not lead.strip(" -*>") and not lex.is_generic_link(first.text):
        text = N.strip_symbols(first.text)
        owner = F.repository_owner(first.url)
        maker, _, rest = text.partition(":")
        if owner and rest.strip() and key(maker) == key(owner):  # "[rinna: bilingual-gpt-neox-4b](hf/rinna/...)"
            names, _ = N.clean_title(rest, lex)
            return names, first, first.end, maker.strip()
        names, org = N.clean_title(first.text, lex)
        if N.looks_like_name(names[0].label, strict=False):
            coined = _CLASS_MODEL.match(seg, first.end - offset) if _names_a_class(text, lex) else None
            if coined and not lex.organization(coined.group(1)):
                # "[Large Language Diffusion Models](arxiv): LLaDA's core is ...": the model of the class
                return [N.Name(coined.group(1))], first, offset + coined.end(1), org
            return names, first, first.end, org
        # "[A Long Paper Title](arxiv): TemporalVLM, a video LLM ...": the name opens the text
        m = re.match(r"\s*:?\s*([A-Z][\w.\-]*\d?[\w.\-]*)(?:,\s+(?:a|an|the)\s|\s+is\s+(?:a|an|the)\s)",
                     seg[first.end - offset:])
        if m and N.looks_like_name(m.group(1), strict=True) and not lex.organization(m.group(1)):
            at = first.end + m.end(1)
            return [N.Name(m.group(1), aliases=[first.text])], first, at, org
        return None
    head = re.split(r"\[|:|\s-\s", lead, maxsplit=1)[0].strip()
    listed_names = _name_list(head)
    if listed_names:  # "phi-3-mini (3.8b), phi-3-small (7b)", "SmolLM3 (3B), Ettin (17M)"
        return listed_names, None, offset, None
    document = lex.name_document_words.search(head)
    if N.looks_like_name(head, strict=True) or (  # "GPT-4V(ision) system card: [link] [date]"
            document and re.search(r"\d", head) and N.looks_like_name(head[:document.start()], strict=True)):
        names, org = N.clean_title(head, lex)
        return names, None, offset + len(head), org
    listed = re.search(r"models?\s*\(([^)]*,[^)]*)\)", seg)
    if listed:  # "open-weights models (Mistral 7B, Mixtral 8x7B, NeMo)"
        groups = re.findall(r"models?\s*\(([^)]*,[^)]*)\)", seg)
        parts = [p for g in groups for p in N.split_list(g)]
        if parts and all(N.looks_like_name(p, strict=True) for p in parts):
            return [N.Name(p) for p in parts], None, offset + listed.start(), None
    for link in links:
        if not lex.is_generic_link(link.text):
            names, org = N.clean_title(link.text, lex)
            if N.looks_like_name(names[0].label, strict=False):
                return names, link, link.end, org
            break
    return None


# a coined name (two capitals or more, no digit) opening the description as its subject
_CLASS_MODEL = re.compile(r"\s*:?\s*([A-Z][a-z]*[A-Z][A-Za-z]*)(?='s\s|,\s+(?:a|an|the)\s|\s+is\s+(?:a|an|the)\s)")


def _names_a_class(title: str, lex) -> bool:
    """'Large Language Diffusion Models', 'Small Recursive LLMs': a title that names a class of
    models (no version, its last word a model noun), not one model."""
    ws = N.words(title)
    return len(ws) >= 2 and not E.versioned(title) and E.head_noun(title, lex) == "model" and \
        ws[-1].lower().removesuffix("s") in lex.model_nouns


def _name_list(head: str) -> list[N.Name]:
    """'A (x), B, and C (y)' as names, each with the span of its own text (its size)."""
    parts = N.split_list(head) if "," in head else []
    if not (len(parts) > 1 and all(N.looks_like_name(N.strip_parens(p), strict=True)
                                   and len(N.words(N.strip_parens(p))) <= 3 for p in parts)):
        return []
    out, at = [], 0
    for part in parts:
        at = head.find(part, at)
        out.append(N.Name(N.strip_parens(part), start=at, end=at + len(part)))
        at += len(part)
    return out


def _is_resource(lex, name: str, desc: str, link: Link | None) -> bool:
    """A website, list, leaderboard, cookbook...: by its name, its description's first
    words, its page, or a name with nothing specific in it ('Foundation Models')."""
    if lex.resource_words.search(name):
        return True
    if desc.lstrip(" :-").lower().startswith(lex.resource_starts):
        return True
    if link and re.search(r"/(?:library|leaderboard|spaces)(?:/|\?|$)", link.url):
        return True
    rest = [w for w in N.name_tokens(re.sub(r"'s\b", "", name))
            if w not in lex.generic_name_words and not lex.organization(w)]
    return not rest


def _named_in_resource(title: str, seg: str, desc_at: int) -> list[N.Name]:
    """Models a resource entry names in its text: "ERNIE Bot's website: ERNIE X1 (...) and ERNIE 4.5 (...)".

    Only `Name (description)` items whose first word is the title's first word.
    """
    first = N.words(title)[:1]
    if not first:
        return []
    stem = re.sub(r"'s$", "", first[0]).lower()
    out = []
    for m in re.finditer(r"(?:^|[:,;]\s*|\band\s+)([A-Z][\w.\-]*(?:\s+[\w.\-]+){0,3}?)\s*\(", seg[desc_at:]):
        name = m.group(1).strip()
        if N.words(name)[0].lower() == stem and N.looks_like_name(name, strict=True) \
                and key(name) != key(title):
            at = desc_at + m.start(1)
            out.append(N.Name(name, start=at, end=at + len(name)))
    return out
