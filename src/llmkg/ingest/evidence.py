"""Is a catalog entry a Model? Positive evidence, weighed.

An entry is a Model when its own evidence says so: a model-like name, sizes,
a model's repository, a maker, a description that calls it a model, a list
or group of models around it. Evidence against it: a name that reads as a
paper's title, a description that calls it a method, a tool, a guide.

Each piece of evidence is a (reason, weight) pair, so that an entry the
ingester abstains on can be reported with why. The words live in
data/rules.toml ([evidence]); this module only weighs them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llmkg.ingest import facts as F
from llmkg.ingest import names as N
from llmkg.keys import key

# A Model needs this much; an entry between UNSURE and MODEL is reported, not emitted.
MODEL = 2
UNSURE = 1

_WORD = re.compile(r"[A-Za-z][\w\-+.']*")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_DIGIT = re.compile(r"\d")
_SENTENCE = re.compile(r"(?<![\d.])[.;!?](?:\s|$)|\s[-|]\s")
_PHRASE_END = re.compile(r"[,;:(]|\s-\s")
_TRAINED = re.compile(r"\W*(?:fine-?tuned|trained|pre-?trained|instruction-tuned|distilled)\b", re.I)
_OWN_NAME_OPENING = re.compile(r"\W*([\w.\-]+(?:\s+[\w.\-]+){0,2}?)\s*(?:[,:]|\bis\b)\s*")
# 'BioGPT', 'SaulLM', 'StreamingLLM': a coined word ending in GPT or LM (not the bare word)
_MODEL_LIKE_TOKEN = re.compile(r"^[a-z][\w.]*(?:gpt|lm)$")
# Words that end a clause's first noun phrase: its verb, a relative pronoun, a conjunction.
_STOPS = {"is", "are", "was", "were", "be", "can", "could", "will", "that", "which", "who", "where",
          "and", "or", "but", "to", "has", "have", "uses", "using", "used", "designed", "built",
          "trained", "achieves", "allows", "enables", "provides", "supports", "outperforms"}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]{2,}")
_OPEN_WEIGHTS = re.compile(r"\bopen[- ]weights?\b", re.I)
_QUESTIONS = {"how", "what", "why", "when", "where", "which", "who"}
_ADJECTIVAL = {"based", "powered", "driven", "like", "style", "specific", "native", "generated", "agnostic"}
_GROUPS = {"collection", "family", "suite", "series", "set", "range", "line", "lineup"}


@dataclass
class Evidence:
    reasons: list[tuple[str, int]] = field(default_factory=list)

    def add(self, reason: str, weight: int) -> None:
        if weight:
            self.reasons.append((reason, weight))

    @property
    def score(self) -> int:
        return sum(w for _, w in self.reasons)

    def plus(self, other: Evidence) -> Evidence:
        return Evidence(self.reasons + other.reasons)

    def why(self) -> str:
        return ", ".join(f"{r} ({w:+d})" for r, w in self.reasons) or "no evidence either way"


def versioned(name: str) -> bool:
    """'Llama 3', 'GPT-4o', 'Phi-1.5', 'o3-mini': a token with a digit that is no year."""
    return any(_DIGIT.search(t) and not _YEAR.match(t) for t in N.name_tokens(name))


def reads_as_title(name: str, lex) -> bool:
    """'Chain of Draft', 'Large Language Models as Optimizers', 'Simplifying Transformer
    Blocks', 'LLMs Represent Space': a phrase, not a name. A name does not open with a
    gerund or with the bare word for a model, nor hold function words."""
    ws = [w.lower() for w in N.words(name)]
    if len(ws) >= 2 and _CJK.search(name) and re.search(r"[A-Za-z]", name):
        return True  # "GPT-4 登場以降に出てきた ChatGPT": an article's title around a model's name
    if len(ws) >= 2 and (ws[0].endswith("ing") and ws[0] not in N.NAME_MODIFIERS
                         or ws[0].removesuffix("s") in lex.model_nouns):
        return True
    return len(ws) >= 3 and any(w in lex.function_words for w in ws[1:])


def first_clause(desc: str) -> str:
    """The description up to its first sentence end, without link-only punctuation."""
    text = desc.lstrip(" :-|>[]/")
    return _SENTENCE.split(text, maxsplit=1)[0]


def head_noun(clause: str, lex, limit: int = 10) -> str | None:
    """'model' or 'other': what the clause's first noun phrase calls its subject.

    The phrase ends at the first preposition, verb-like stop word or comma
    ('a benchmark for LLMs' -> other, 'an open source reasoning model' ->
    model, 'a video LLM excelling in ...' -> model); its last model or other
    noun wins. A clause that opens with a gerund ('Pushing Frontiers in ...',
    'Benchmarking LLMs') is an action, not a name for the entry: no verdict.
    """
    phrase = _PHRASE_END.split(clause, maxsplit=1)[0]
    phrase = _OPEN_WEIGHTS.sub(" open-weights ", phrase)  # "Open Weights and Open Data for ...": released weights
    words = [w.lower().strip(".'") for w in _WORD.findall(phrase)][:limit]
    if words and words[0] in ("is", "are", "was"):
        words = words[1:]  # "[ref] is a model trained by OpenAI": the subject is the entry
    if words and (words[0].endswith("ing") and _noun(words[0], lex) != "model" or words[0] in _QUESTIONS):
        return None  # "Training LLMs to ...", "How Increasing Input Tokens Impacts LLM ...": no name for it
    if any(_noun(w, lex) == "model" for w in words) and any(a.pattern.search(phrase) for a in lex.architectures):
        return "model"  # "Sparse mixture of experts models", "SSM-Transformer Model"
    verdict = None
    for i, word in enumerate(words):
        # "a collection of models", "a family of LLMs": the models are the subject
        if word in _GROUPS and i + 1 < len(words) and words[i + 1] == "of" and \
                any(_noun(w, lex) == "model" for w in words[i + 2:i + 5]):
            return "model"
        # "a version of GPT-4 fine-tuned to ...": a model made from a model
        if word in ("version", "variant") and i + 2 < len(words) and words[i + 1] == "of" and \
                versioned(words[i + 2]):
            return "model"
        if i and (word in lex.prepositions or word in _STOPS):
            break
        if i + 1 < len(words) and words[i + 1] in _ADJECTIVAL:
            continue  # "LLM based reasoning", "LLM-powered": the noun qualifies another
        verdict = _noun(word, lex) or verdict
    return verdict


_ARTICLE_OPENING = re.compile(r"\W*(?:(?:is|are|was)\s+)?(?:an?|the)\s+", re.I)


def head_phrase(clause: str, lex) -> str:
    """'a tiny recursive model that ...' -> 'tiny recursive model': the noun phrase a
    description opens with, up to its first preposition or verb-like stop word; '' when
    the clause opens with no article (it then says something else of the entry)."""
    m = _ARTICLE_OPENING.match(clause)
    if not m:
        return ""
    phrase = _PHRASE_END.split(clause[m.end():], maxsplit=1)[0]
    kept = []
    for word in phrase.split():
        if word.lower() in lex.prepositions or word.lower() in _STOPS:
            break
        kept.append(word)
    return " ".join(kept)


def lists_models(label: str, lex) -> bool | None:
    """Does a heading or a group label say its entries are models? None when it says nothing.

    Its head word decides: 'Large Language Model Collection', 'MLLM (...)',
    'LLM for Domain Specific', 'GPT series release date' list models; 'Large
    Language Model Comparison', 'Survey on Large Language Models' and 'Large
    Language Model: Challenges and Solutions' do not.
    """
    label = label.split(":", 1)[1] if ":" in label.strip(":") else label
    phrase = _PHRASE_END.split(label, maxsplit=1)[0]
    verdict = None
    for i, word in enumerate(w.lower() for w in _WORD.findall(phrase)):
        if i and (word in lex.prepositions or word in _STOPS):
            break
        if lex.model_list_words.fullmatch(word):
            verdict = True
        elif _noun(word, lex) in ("other", "organization"):
            verdict = False
    return verdict


def lists_organizations(label: str, lex) -> bool:
    """'Model Providers', 'AI Companies', 'Labs': a heading whose head word names makers."""
    phrase = _PHRASE_END.split(label, maxsplit=1)[0]
    words = [w.lower() for w in _WORD.findall(phrase)]
    return bool(words) and _noun(words[-1], lex) == "organization"


def _noun(word: str, lex) -> str | None:
    for form in (word, word.removesuffix("s"), word.removesuffix("es")):
        if form in lex.model_nouns:
            return "model"
        if form in lex.organization_nouns:
            return "organization"
        if form in lex.other_nouns:
            return "other"
    return None


def intrinsic(names: list[N.Name], seg: str, desc: str, title_url: str | None, owned_urls: list[str],
              sizes: bool, lineage: bool, lex, *, lead: str = "", subtitle: str = "",
              title_text: str = "") -> Evidence:
    """What the entry says about itself, whatever surrounds it. `lead` is text before
    the entry's name ("Math solving optimized LLM [WizardMath]"), `subtitle` what its
    title link says after the name ("Tina: Tiny Reasoning Models via LoRA"), `title_text`
    the title link's own text, marks and all ("Talk📺")."""
    ev = Evidence()
    label = names[0].label
    if versioned(label):
        ev.add("versioned name", 1)
    if reads_as_title(label, lex):
        ev.add("name reads as a title", -2)
    name_words = {w.lower() for w in N.name_tokens(label)}
    if name_words & lex.method_name_words:
        ev.add("name says method", -2)
    if name_words & lex.product_name_words:
        ev.add("name says product", -2)
    if lex.resource_words.search(label):
        ev.add("name says resource", -2)
    if not versioned(label) and any(_names_architecture(n, lex) for n in [label, *names[0].aliases]):
        ev.add("name says architecture", -4)  # "Querying Transformer", "Diffusion Language Models"
    if any(_MODEL_LIKE_TOKEN.search(t) and t not in lex.model_nouns for t in name_words) \
            and not reads_as_title(label, lex):
        ev.add("named like a model", 1)
    # the description, the words before the name and the title's subtitle each may say
    # what the entry is; when they disagree ("a 4-bit quantized language model" for a
    # paper subtitled "Efficient Finetuning of Quantized LLMs") they say nothing
    said = {head_noun(_after_maker(_after_own_name(first_clause(desc), names), lex), lex),
            head_noun(lead, lex)} - {None}
    titled = head_noun(subtitle, lex)  # a paper's title speaks of models in general as often as of its own
    if not said and titled in ("model", "other"):
        ev.add(f"subtitled as {'a' if titled == 'model' else 'no'} model", 1 if titled == "model" else -1)
    elif titled:
        said.add(titled)
    noun = said.pop() if len(said) == 1 else None
    if _TRAINED.match(desc):
        ev.add("trained", 2)  # "fine-tuned with ... on 1,000 prompts": what is trained is a model
    if noun == "model":
        ev.add("described as a model", 2)
    elif noun == "organization":
        ev.add(DESCRIBED_AS_ORGANIZATION, -3)
    elif noun == "other":
        ev.add("described as no model", -2)
    if sizes:
        ev.add("sizes", 2)
    if any(_model_repo(u) for u in owned_urls):
        ev.add("model repository", 2)
    if lineage:
        ev.add("built on a model", 1)
    if title_url and F.host(title_url) in lex.post_hosts or any(m in title_text for m in lex.post_marks):
        ev.add("a post about it", -1)
    return ev


def _after_own_name(clause: str, names: list[N.Name]) -> str:
    """'ScreenAI, a model designed for ...' -> 'a model designed for ...': the entry's own
    name opening its description says nothing about what it is."""
    m = _OWN_NAME_OPENING.match(clause)
    if m and any(key(m.group(1)) == key(n.label) for n in names):
        return clause[m.end():]
    return clause


# "Microsoft's researchers trained an additional language model ...": a known maker (or its
# people) made what the clause names next; what that is, the entry is
_MAKER_MADE = re.compile(r"\W*([A-Z][\w.\-]*(?:\s+[A-Z][\w.\-]*)?)(?:'s?\s+(?:[a-z]+\s+)?(?:researchers|team|"
                         r"scientists|engineers|lab))?\s+(?:has\s+|have\s+)?(?:trained|released|built|developed|"
                         r"introduced|open-sourced|unveiled)\s+(?=(?:an?|the|its|their)\s)")


def _after_maker(clause: str, lex) -> str:
    """'Microsoft's researchers trained an LM that ...' -> 'an LM that ...'."""
    m = _MAKER_MADE.match(clause)
    return clause[m.end():] if m and lex.organization(m.group(1)) else clause


DESCRIBED_AS_ORGANIZATION = "described as an organisation"
_NAME_AGAINST = ("name reads as a title", "name says method", "name says product", "name says resource",
                 "name says architecture")


def _names_architecture(label: str, lex) -> bool:
    """The label is an architecture's name, or ends in one ('Querying Transformer (Q-Former)')."""
    bare = re.sub(r"\s*\([^)]*\)$", "", label).strip()
    ws = bare.split()
    return bool(ws) and (lex.architecture(bare) is not None or lex.architecture(ws[-1]) is not None
                         or bool(lex.architectures_named(bare)) and all(
                             w.lower() in lex.generic_name_words or lex.architectures_named(w) for w in ws))


def plausible_name(own: Evidence) -> bool:
    """Could the entry's name be a model's? Nothing in the name itself speaks against it."""
    return not any(reason in _NAME_AGAINST for reason, _ in own.reasons)


def _model_repo(url: str) -> bool:
    """A Hugging Face model repository (not a Space, dataset, blog or paper page)."""
    return F.host(url) == "huggingface.co" and F.repository(url) is not None


def context(*, maker: bool, products: bool, model_list: bool, siblings: float | None,
            own: int = 0) -> Evidence:
    """What surrounds the entry: its maker, a heading or group that lists models, its siblings.

    Siblings that are no models weigh only against an entry whose own evidence is
    short of a Model's: a research list may name one model among many papers."""
    ev = Evidence()
    if maker:  # a products section still names the maker of what it lists
        ev.add("in a maker's list", 1 if products else 2)
    if model_list:
        ev.add("in a list of models", 1)
    if siblings is not None:
        if siblings >= 0.5:
            ev.add("beside models", 1)
        elif siblings <= 0.25 and own < MODEL:
            ev.add("beside non-models", -1)
    return ev
