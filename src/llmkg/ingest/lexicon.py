"""The curated lexicons and rules under data/, loaded once.

Knowledge that varies between catalogs (organisation aliases, architecture
names, resource words, lineage phrases) lives in TOML files a curator can
edit; this module only reads them and offers look-ups.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from llmkg.errors import CatalogError
from llmkg.ingest.text import strip_symbols
from llmkg.keys import key
from llmkg.paths import shipped


def data_dir() -> Path:
    return shipped("data")


@dataclass(frozen=True)
class Organization:
    name: str
    aliases: tuple[str, ...]
    owners: tuple[str, ...]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Architecture:
    name: str
    aliases: tuple[str, ...]
    pattern: re.Pattern
    broader: str | None
    in_text: bool = True  # False: too common a phrase in prose, read only where structure names it


@dataclass
class Lexicon:
    organizations: list[Organization]
    architectures: list[Architecture]
    rules: dict
    _org_by_key: dict[str, Organization] = field(default_factory=dict)
    _org_by_owner: dict[str, Organization] = field(default_factory=dict)
    _arch_by_key: dict[str, Architecture] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for org in self.organizations:
            for name in (org.name, *org.aliases):
                self._org_by_key[key(name)] = org
            for owner in org.owners:
                self._org_by_owner[owner.lower()] = org
        for arch in self.architectures:
            for name in (arch.name, *arch.aliases):
                self._arch_by_key[key(name)] = arch
        self._architectures_seen: dict[str, list] = {}
        self._architectures_of_label: dict[str, list] = {}
        self._any_architecture = _any_of(self.architectures, lambda a: a.in_text)
        self._any_named_architecture = _any_of(self.architectures, lambda a: True)
        r = self.rules
        self.generic_links = frozenset(t.lower() for t in r["generic_link_texts"])
        self.resource_words = _words_re(r["resource_name_words"])
        self.resource_starts = tuple(s.lower() for s in r["resource_description_starts"])
        self.generic_name_words = {w.lower() for w in r["generic_name_words"]}
        divisions = "|".join(re.escape(w) for w in sorted(r["division_words"], key=len, reverse=True))
        self._division_tail = re.compile(rf"(?:\s+(?:{divisions}))+$", re.I)
        ev = r["evidence"]
        self.model_nouns = {w.lower() for w in ev["model_nouns"]}
        self.other_nouns = {w.lower() for w in ev["other_nouns"]}
        self.method_name_words = {w.lower() for w in ev["method_name_words"]}
        self.product_name_words = {w.lower() for w in ev["product_name_words"]}
        self.organization_nouns = {w.lower() for w in ev["organization_nouns"]}
        self.not_organizations = {key(w) for w in ev["not_organizations"]}
        self.organization_suffixes = {w.lower() for w in ev["organization_suffixes"]}
        self.prose_openers = {w.lower() for w in ev["prose_openers"]}
        self.announcement_openings = re.compile(
            r"(?:" + "|".join(re.escape(w) for w in sorted(ev["announcement_openings"], key=len, reverse=True))
            + r")\s+", re.I)
        self.name_document_words = re.compile(
            r"(?<!\s)\s+(?:" + "|".join(re.escape(w) for w in sorted(ev["name_document_words"], key=len, reverse=True))
            + r")$", re.I)
        self.function_words = {w.lower() for w in ev["function_words"]}
        self.prepositions = {w.lower() for w in ev["prepositions"]}
        self.post_hosts = {h.lower() for h in ev["post_hosts"]}
        self.post_marks = tuple(m.replace("\ufe0f", "") for m in ev["post_marks"])
        self.model_list_words = _words_re(ev["model_list_words"])
        self.product_words = _words_re(ev["product_words"])
        self.topic_words = _words_re(r["topic_group_words"])
        self.lineage = dict(sorted(r["lineage"].items(), key=lambda kv: -len(kv[0])))
        self.lineage_re = re.compile("|".join(re.escape(p) for p in self.lineage), re.I)

    def organization(self, name: str) -> Organization | None:
        """The organisation a name spells, or the one whose division it names: 'NVIDIA
        Research', 'Alibaba Cloud', 'Tencent AI Lab' are their lab's (rules.toml division_words)."""
        org = self._org_by_key.get(key(name))
        if org is None and " " in name.strip():
            head = self._division_tail.sub("", name.strip())
            if head != name.strip() and head:
                org = self._org_by_key.get(key(head))
        return org

    def organization_of_owner(self, owner: str) -> Organization | None:
        return self._org_by_owner.get(owner.lower())

    def organization_of_host(self, host: str) -> Organization | None:
        host = host.lower().removeprefix("www.")
        for org in self.organizations:
            for domain in org.domains:
                if host == domain or host.endswith("." + domain):
                    return org
        return None

    def architecture(self, name: str) -> Architecture | None:
        return self._arch_by_key.get(key(name))

    def architectures_in(self, text: str) -> list[tuple[Architecture, int]]:
        """(architecture, offset of its first mention) for each architecture the text names, in lexicon order."""
        found = self._architectures_seen.get(text)
        if found is None:
            found = self._first_mentions(self._any_architecture, text)
            if len(self._architectures_seen) > 4096:
                self._architectures_seen.clear()
            self._architectures_seen[text] = found  # an entry's text is read for them twice
        return found

    def architectures_named(self, label: str) -> list[tuple[Architecture, int]]:
        """Architectures a heading, a group label or a description's head phrase names,
        also those too common in prose to be read there ('World Models', 'a world model')."""
        found = self._architectures_of_label.get(label)
        if found is None:  # labels recur: a heading's is read for every entry under it
            found = self._first_mentions(self._any_named_architecture, label)
            if len(self._architectures_of_label) > 4096:
                self._architectures_of_label.clear()
            self._architectures_of_label[label] = found
        return found

    def _first_mentions(self, pattern: re.Pattern, text: str) -> list[tuple[Architecture, int]]:
        first: dict[int, int] = {}
        for m in pattern.finditer(text):
            first.setdefault(int(m.lastgroup[1:]), m.start())
        return [(self.architectures[i], at) for i, at in sorted(first.items())]

    def is_generic_link(self, text: str) -> bool:
        return _generic(text, self.generic_links)


@lru_cache(maxsize=1 << 14)  # link texts recur: git, ref, emoji
def _generic(text: str, generic_links: frozenset[str]) -> bool:
    text = strip_symbols(text).strip().lower()  # "ref📑" is "ref"
    return text in generic_links or not re.search(r"[a-z0-9]", text)



def _any_of(architectures: list[Architecture], chosen) -> re.Pattern:
    """The chosen architectures' patterns in one, a named group each: one pass finds them all."""
    return re.compile("|".join(f"(?P<a{i}>{a.pattern.pattern})" for i, a in enumerate(architectures)
                               if chosen(a)) or "$^", re.I)


def _words_re(words: list[str]) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})s?(?![\w-])", re.I)


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"bad lexicon file: {exc}", file=str(path),
                           hint="fix the TOML syntax") from None


@lru_cache(maxsize=4)
def load_lexicon(directory: Path | None = None) -> Lexicon:
    directory = directory or data_dir()
    orgs = [Organization(o["name"], tuple(o.get("aliases", ())), tuple(o.get("owners", ())),
                         tuple(o.get("domains", ())))
            for o in _read_toml(directory / "organizations.toml")["organization"]]
    archs = []
    for a in _read_toml(directory / "architectures.toml")["architecture"]:
        pattern = "|".join(f"(?:{p})" for p in a["patterns"])
        archs.append(Architecture(a["name"], tuple(a.get("aliases", ())),
                                  re.compile(rf"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])", re.I),
                                  a.get("broader"), a.get("in_text", True)))
    return Lexicon(orgs, archs, _read_toml(directory / "rules.toml"))
