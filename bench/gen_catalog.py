"""Synthetic LLM-landscape catalogs for benchmarks.

`generate(n)` writes a markdown catalog in the style of data/llm-landscape.md
with exactly `n` model entries:

- `### **Section**` headings (now and then a `#### Sub-section`),
- `- Org` group bullets holding numbered entries
  `  1. [Name](url): description [git](https://github.com/owner/repo) [DD Mon YYYY]`,
  and a few flat sections of `- [Name](url): ...` entries without a group,
- sizes ("7B, 13B, and 70B", "activated 17b / total 109b", "Name-32B",
  "ranging from 70M to 12B parameters"), context ("128K context"),
- arXiv links (`[Name](https://arxiv.org/abs/YYMM.NNNNN)` or
  `[ref](https://arxiv.org/abs/...)`), GitHub links and star badges,
- lineage phrases ("fine-tuned from X", "built on top of X",
  "reproduction of X") that name a model generated earlier and released
  earlier, MoE / SSM / diffusion words,
- one fact table per section:
  `| Model | Parameters | Attention Type | MoE | Norm | Positional Encoding |`.

Model and organisation names are made of syllables ("Zarnox-3.1") and are
unique under llmkg's identity key (lower-case, only a-z 0-9 and a '.' between
digits), so the graph has one model per entry. The output depends only on
`n_entries` and `seed`.

CLI: python bench/gen_catalog.py N --output FILE [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
FIRST_YEAR, LAST_YEAR = 2018, 2025

SYLLABLES = [
    "zar", "nox", "vel", "tri", "qua", "mor", "len", "dax", "pho", "rin",
    "sel", "kap", "tor", "vix", "lum", "bra", "cor", "fen", "gal", "hex",
    "ira", "jun", "kel", "mir", "nol", "ost", "pyr", "rax", "sol", "tam",
    "ul", "ven", "wyn", "xer", "yal", "zen", "bel", "cyr", "dro", "eth",
]
ORG_SUFFIXES = ["AI", "Labs", "Research", "", "", "Tech", "Intelligence"]
VARIANTS = ["Instruct", "Turbo", "Coder", "VL", "Mini", "Math", "Audio", "Omni"]
TOPICS = [
    "Large Language Model Collection", "Open-weight LLMs", "Code LLMs",
    "MLLM (multimodal large language model)", "Small Language Models",
    "Reasoning Models", "LLM for Domain Specific", "Speech and Audio Models",
    "Vision-Language Models", "Long-context Models",
    "Mixture-of-Experts Models", "State Space Models",
    "Diffusion Language Models", "Agentic Models",
]
PURPOSES = [
    "an open-weights LLM for multilingual chat",
    "a code language model supporting 80 programming languages",
    "Reasoning model for math and code",
    "Vision-language model for document understanding",
    "a small language model (SLM) for on-device use",
    "Multimodal LLM with text, audio and image inputs",
    "a foundation model for time series forecasting",
    "an instruction-tuned assistant with tool use",
    "a long-context model for retrieval-augmented generation",
    "a domain-specific LLM for biomedicine",
    "a speech recognition and translation model",
    "Open language model with open data and training code",
]
ARCH_PHRASES = {
    "moe": ["Mixture-of-Experts (MoE)", "sparse MoE", "fine-grained MoE"],
    "ssm": ["Mamba-based state space model (SSM)", "SSM-Transformer hybrid"],
    "diffusion": ["diffusion language model", "masked diffusion LLM"],
    "transformer": ["decoder-only Transformer", "Transformer-based"],
}
ATTENTION = ["MHA", "GQA", "MLA", "Sliding window", "GQA + sliding window"]
NORMS = ["RMSNorm", "LayerNorm", "Pre-RMSNorm", "QK-Norm + RMSNorm"]
POSITIONS = ["RoPE", "ALiBi", "NoPE", "Learned", "YaRN (RoPE)"]
CONTEXTS = [2, 4, 8, 16, 32, 64, 128, 200, 256, 1000]  # thousands of tokens
SIZES_B = [0.135, 0.27, 0.5, 0.6, 1, 1.1, 1.5, 2, 3, 3.8, 4, 7, 8, 9, 12,
           13, 14, 22, 27, 32, 34, 40, 70, 72, 90, 110, 180, 236, 314, 405]
BADGE = ("![GitHub Repo stars](https://img.shields.io/github/stars/{repo}"
         "?style=flat-square&label=%20&color=gray&cacheSeconds=36000)")
CNT = ("[[cnt](https://scholar.google.com/scholar?hl=en&as_sdt=0%2C5"
       "&q=arxiv%3A+{arxiv})]")


def identity_key(name: str) -> str:
    """llmkg's identity key of a name (docs/vocabulary.md)."""
    lowered = name.lower()
    return "".join(ch for i, ch in enumerate(lowered)
                   if "a" <= ch <= "z" or "0" <= ch <= "9"
                   or (ch == "." and 0 < i < len(lowered) - 1
                       and lowered[i - 1].isdigit() and lowered[i + 1].isdigit()))


@dataclass
class Org:
    name: str
    owner: str        # GitHub owner
    domain: str
    families: list[list] = field(default_factory=list)  # [family name, version]


@dataclass
class Entry:
    name: str
    date: tuple[int, int, int]
    sizes: list[float]            # billions; total parameters
    active: float | None = None   # billions; active parameters of an MoE
    experts: int | None = None


class _Generator:
    def __init__(self, n_entries: int, seed: int, section_entries: tuple[int, int] = (150, 600)) -> None:
        self.n = n_entries
        self.section_entries = section_entries
        self.rng = random.Random(seed)
        self.keys: set[str] = set()
        self.repos: set[str] = set()
        self.arxiv: set[str] = set()
        self.entries: list[Entry] = []
        self.orgs = [self._org() for _ in range(max(8, min(400, n_entries // 20)))]

    # -- names ---------------------------------------------------------
    def _word(self, lo: int, hi: int) -> str:
        return "".join(self.rng.choice(SYLLABLES)
                       for _ in range(self.rng.randint(lo, hi))).capitalize()

    def _claim(self, name: str) -> bool:
        key = identity_key(name)
        if not key or key in self.keys:
            return False
        self.keys.add(key)
        return True

    def _org(self) -> Org:
        while True:
            word = self._word(2, 3)
            suffix = self.rng.choice(ORG_SUFFIXES)
            name = f"{word} {suffix}".strip()
            if self._claim(name) and (not suffix or self._claim(word)):
                owner = identity_key(name) if self.rng.random() < 0.5 else word.lower()
                return Org(name, owner, f"{word.lower()}.ai")

    def _family(self) -> str:
        while True:
            name = self._word(2, 3)
            if self._claim(name):
                return name

    def _model_name(self, org: Org, sizes: list[float]) -> tuple[str, str | None]:
        """A fresh model name and, when it continues a family, the family base."""
        rng = self.rng
        for _ in range(50):
            if org.families and rng.random() < 0.6:
                fam = rng.choice(org.families)
                step = rng.choice([1, 1, 0.5, 0.1])
                fam[1] = round(fam[1] + step, 1)
                version = f"{fam[1]:g}"
                sep = rng.choice([" ", "-", " ", ""]) if "." not in version else rng.choice([" ", "-"])
                name = f"{fam[0]}{sep}{version}"
                base = fam[0]
            else:
                fam = [self._family(), 1.0]
                org.families.append(fam)
                name, base = fam[0], None
            roll = rng.random()
            if roll < 0.15:
                name += "-" + rng.choice(VARIANTS)
            elif roll < 0.22 and len(sizes) == 1:
                name += "-" + _size_text(sizes[0])
            if self._claim(name):
                return name, base
        raise RuntimeError("name space exhausted")  # pragma: no cover

    # -- facts ---------------------------------------------------------
    def _dates(self, k: int) -> list[tuple[int, int, int]]:
        out = []
        for _ in range(k):
            y = self.rng.randint(FIRST_YEAR, LAST_YEAR)
            m = self.rng.randint(1, 6 if y == LAST_YEAR else 12)
            out.append((y, m, self.rng.randint(1, MONTH_DAYS[m - 1])))
        return sorted(out)

    def _arxiv_id(self, date: tuple[int, int, int]) -> str:
        while True:
            ident = f"{date[0] % 100:02d}{date[1]:02d}.{self.rng.randint(1, 24999):05d}"
            if ident not in self.arxiv:
                self.arxiv.add(ident)
                return ident

    def _repo(self, owner: str, name: str) -> str:
        base = re.sub(r"[^A-Za-z0-9.]+", "-", name).strip("-")
        repo, i = f"{owner}/{base}", 2
        while repo in self.repos:
            repo, i = f"{owner}/{base}-{i}", i + 1
        self.repos.add(repo)
        return repo

    def _parent(self, date: tuple[int, int, int]) -> Entry | None:
        for _ in range(4):
            cand = self.entries[self.rng.randrange(len(self.entries))] if self.entries else None
            if cand is not None and cand.date < date:
                return cand
        return None

    # -- one entry -----------------------------------------------------
    def entry(self, org: Org | None, date: tuple[int, int, int], bullet: str) -> str:
        rng = self.rng
        arch = rng.choices(["moe", "ssm", "diffusion", "transformer", None],
                           weights=[15, 5, 4, 26, 50])[0]
        sizes: list[float] = []
        active = experts = None
        if arch == "moe" and rng.random() < 0.8:
            total = rng.choice([47, 57, 109, 141, 236, 314, 400, 671])
            active = rng.choice([2.7, 7, 14, 17, 22, 37])
            sizes, experts = [total], rng.choice([8, 16, 64, 128, 256])
        elif rng.random() < 0.6:
            sizes = sorted(rng.sample(SIZES_B, rng.choice([1, 1, 1, 2, 3])))
        owner = org.owner if org else identity_key(self._word(2, 2))
        name, base = self._model_name(org, sizes) if org else self._flat_name(sizes)
        entry = Entry(name, date, sizes, active, experts)

        repo = self._repo(owner, name) if rng.random() < 0.7 else None
        link_kind = rng.choices(["arxiv", "git", "web"], weights=[35, 40, 25])[0]
        if link_kind == "git" and repo is None:
            link_kind = "web"
        arxiv = self._arxiv_id(date) if link_kind == "arxiv" or rng.random() < 0.1 else None
        if link_kind == "arxiv":
            url = f"https://arxiv.org/abs/{arxiv}"
        elif link_kind == "git":
            url = f"https://github.com/{repo}"
        elif rng.random() < 0.4:
            url = f"https://huggingface.co/{owner}/{name.replace(' ', '-')}"
        else:
            url = f"https://{org.domain if org else owner + '.ai'}/blog/{identity_key(name)}"

        parts = [rng.choice(PURPOSES) + "."]
        if arch:
            parts.append(rng.choice(ARCH_PHRASES[arch]) + ".")
        if sizes:
            parts.append(_sizes_phrase(rng, sizes, active, experts, name))
        if rng.random() < 0.4:
            k = rng.choice(CONTEXTS)
            ctx = "1M" if k == 1000 else f"{k}K"
            parts.append(rng.choice([f"{ctx} context.", f"context length of {ctx} tokens.",
                                     f"{ctx}-token context window."]))
        parent = self._lineage_parent(base, date)
        if parent is not None:
            phrase = rng.choice(["Fine-tuned from {}.", "fine-tuned from {}.",
                                 "Built on top of {}.", "built using {}.",
                                 "A fully open reproduction of {}."])
            parts.append(phrase.format(parent.name))
        if rng.random() < 0.02:
            parts[0] = "\u00f0\u0178\u2019\u00a1" + parts[0]  # the catalog's mojibake for a bulb emoji
        text = f"{bullet}[{name}]({url}):"
        if link_kind == "arxiv" and rng.random() < 0.5:
            text += " " + CNT.format(arxiv=arxiv) + ":"
        text += " " + " ".join(parts)
        if repo and link_kind != "git":
            text += f" [git](https://github.com/{repo})"
        if arxiv and link_kind != "arxiv":
            text += f" [ref](https://arxiv.org/abs/{arxiv})"
        y, m, d = date
        text += f" [{d} {MONTHS[m - 1]} {y}]" if rng.random() < 0.8 else f" [{MONTHS[m - 1]} {y}]"
        if repo and rng.random() < 0.3:
            text += "\n " + BADGE.format(repo=repo)
        self.entries.append(entry)
        return text

    def _flat_name(self, sizes: list[float]) -> tuple[str, None]:
        while True:
            name = self._word(2, 3) + self.rng.choice(["GPT", "LM", "-LLM", "-X"])
            if self._claim(name):
                return name, None

    def _lineage_parent(self, base: str | None, date) -> Entry | None:
        roll = self.rng.random()
        if base is not None and roll < 0.25:
            for prior in reversed(self.entries[-20:]):
                if identity_key(prior.name) == identity_key(base) and prior.date < date:
                    return prior
        if roll < 0.3:
            return self._parent(date)
        return None

    # -- the whole catalog --------------------------------------------
    def catalog(self) -> str:
        rng = self.rng
        out = [f"## **Large Language Model: Landscape (synthetic, {self.n} entries)**", ""]
        done, section_no = 0, 0
        while done < self.n:
            section_no += 1
            size = min(self.n - done, rng.randint(*self.section_entries))
            topic = TOPICS[(section_no - 1) % len(TOPICS)]
            year = FIRST_YEAR + (section_no - 1) // len(TOPICS) % (LAST_YEAR - FIRST_YEAR + 1)
            title = f"{topic} ({year})"
            if section_no > len(TOPICS) * (LAST_YEAR - FIRST_YEAR + 1):
                title += f" vol. {section_no}"
            out += [f"### **{title}**", "",
                    f"Models of this section, grouped by organisation ({size} entries).", ""]
            done += size
            section_entries: list[Entry] = []
            flat = rng.random() < 0.1
            remaining, sub = size, 0
            if flat:
                for date in self._dates(remaining):
                    out.append(self.entry(None, date, "- "))
                    section_entries.append(self.entries[-1])
            else:
                orgs = rng.sample(self.orgs, min(len(self.orgs), max(1, size // 3)))
                for org in orgs:
                    if remaining == 0:
                        break
                    if sub == 0 and remaining < size // 2 and rng.random() < 0.25:
                        sub = 1
                        out += ["", f"#### {title}: open weights", ""]
                    k = min(remaining, rng.randint(1, 12))
                    if org is orgs[-1]:
                        k = remaining
                    out.append(f"- {org.name}")
                    for date in self._dates(k):
                        out.append(self.entry(org, date, "  1. "))
                        section_entries.append(self.entries[-1])
                    remaining -= k
                while remaining:  # more entries than groups: extra groups
                    org = rng.choice(self.orgs)
                    k = min(remaining, 12)
                    out.append(f"- {org.name}")
                    for date in self._dates(k):
                        out.append(self.entry(org, date, "  1. "))
                        section_entries.append(self.entries[-1])
                    remaining -= k
            out += ["", *self._fact_table(section_entries), ""]
        return "\n".join(out) + "\n"

    def _fact_table(self, entries: list[Entry]) -> list[str]:
        rows = [e for e in entries if e.sizes and self.rng.random() < 0.15]
        if not rows:
            return []
        lines = ["Model facts", "",
                 "| Model | Parameters | Attention Type | MoE | Norm | Positional Encoding |",
                 "| --- | --- | --- | --- | --- | --- |"]
        for e in rows:
            params = (_size_text(e.sizes[0]) if len(e.sizes) == 1
                      else f"{_num(e.sizes[0])}-{_size_text(e.sizes[-1])}")
            moe = f"Yes, {e.experts} experts ({_size_text(e.active)} active)" if e.experts else "No"
            lines.append(f"| {e.name} | {params} | {self.rng.choice(ATTENTION)} | {moe} | "
                         f"{self.rng.choice(NORMS)} | {self.rng.choice(POSITIONS)} |")
        return lines


def _num(b: float) -> str:
    return f"{b:g}"


def _size_text(b: float) -> str:
    """7 -> '7B', 0.27 -> '270M'."""
    return f"{b * 1000:g}M" if b < 1 else f"{b:g}B"


def _sizes_phrase(rng: random.Random, sizes: list[float], active, experts, name: str) -> str:
    if active is not None:
        total = sizes[0]
        return rng.choice([f"activated {_num(active)}b / total {_num(total)}b.",
                           f"{_size_text(total)} total parameters, {_size_text(active)} active,"
                           f" {experts} experts.",
                           f"MoE with {_size_text(total)} ({_size_text(active)} activated)."])
    texts = [_size_text(s) for s in sizes]
    if len(texts) == 1:
        if name.endswith(texts[0]):
            return "Single GPU."
        return rng.choice([f"{texts[0]} parameters.", f"a {texts[0]} model.",
                           f"{texts[0]} parameter model."])
    if len(texts) == 2 and rng.random() < 0.3:
        return f"ranging from {texts[0]} to {texts[1]} parameters."
    if len(texts) == 2:
        return f"{texts[0]} and {texts[1]}."
    return rng.choice([f"{', '.join(texts[:-1])}, and {texts[-1]}.",
                       f"Sizes: {', '.join(texts)}."])


def generate(n_entries: int, *, seed: int = 0, section_entries: tuple[int, int] = (150, 600)) -> str:
    """A synthetic catalog (markdown text) with exactly `n_entries` model entries, in
    `### ` sections of `section_entries` (smallest, largest) entries each."""
    if n_entries < 1:
        raise ValueError("n_entries must be at least 1")
    return _Generator(n_entries, seed, section_entries).catalog()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of model entries")
    parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    text = generate(args.n, seed=args.seed)
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
