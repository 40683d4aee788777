"""Fuzz the ingester with long, pathological lines and flag super-linear time.

A line repeats a short unit (a few catalog fragments: links, sizes, dates,
brackets, emphasis...) to N characters and to 4N, in one of several places
(a model entry, an organisation bullet, a table row, a paragraph). Each runs
through parse, extract, resolve and map; so does a plain line of the same
lengths (an ordinary entry repeated). The figure is the *growth of the ratio to the plain line*:

    growth = (T(unit, 4N) / T(plain, 4N)) / (T(unit, N) / T(plain, N))

about 1 when the unit costs time linear in its length (however heavy each
character is), about 4 when it is quadratic. tests/test_linear.py runs a few
dozen units in CI with the same functions; this script runs as many as you
like and prints what it flags:

    python bench/fuzz_lines.py --cases 2000 --length 8000 --seed 1
    python bench/fuzz_lines.py --issue-lines   # the three lines of issue 12, full length

It asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

# What a unit is made of: pieces of catalog syntax and single characters that
# open or close markdown constructs.
FRAGMENTS = (
    "[Llama 2](https://x.org/a)", "[git](https://github.com/a/b)", "[ref](https://arxiv.org/abs/2307.09288)",
    "[x](http://e/)", "![img](x.png)", "[18 Jul 2023]", "[Auf 2024]", "[2099]", "[2023-13-45]",
    "7B, 13B, and 70B", "1B 2023 ", "activated 17b / total 109b", "128K context", "0.6-32B", "A14B",
    "fine-tuned from LLaMA", "(aka. Facebook)", "Microsoft", "Google's", "developed by Meta",
    " / ", " > ", ": ", ", ", " and ", "<br/>", "`code`", "**", "__", "~~", "&amp;", "\\",
    "(", ")", "[", "]", "](", "*", "_", "`", "<", ">", "!", "&", "#", "|", "-", " ", ".", ":", "/",
    "1", "9.", "B", "b", "a", "K", "v2", "aka", "Jan", "2023", "x", "é", "ðŸ’¡",
)

# Where the line sits: the text before it.
_OPEN_TABLE = "### **Open LLMs**\n| Language Model | Release Date | Params (B) | Context Length | Licence |\n| --- | --- | --- | --- | --- |\n"
PLACES = {
    "entry": "### **Models**\n- Meta\n  1. Foo ",
    "org": "### **Models**\n- ",
    "table": "### **Models**\n| Model | Parameters |\n| --- | --- |\n| X ",
    "size-cell": "### **Models**\n| Model | Parameters |\n| --- | --- |\n| X | ",
    "paragraph": "",
    # a table read by its headers (ingest/columns.py): the unit repeats in a size, context or licence cell
    "open-size": _OPEN_TABLE + "| X | 2023/06 | ",
    "open-context": _OPEN_TABLE + "| X | 2023/06 | 7 | ",
    "open-licence": _OPEN_TABLE + "| X | 2023/06 | 7 | 4096 | ",
}

# The baseline: an ordinary entry (a link, sizes, a date, a lineage phrase) repeated to the same length.
PLAIN_UNIT = "[Llama 2](https://x.org/a): 7B, 13B [18 Jul 2023] fine-tuned from LLaMA. "


def line(unit: str, length: int, place: str) -> str:
    """`unit` repeated to exactly `length` characters, as one line at `place`."""
    body = (unit * (length // max(1, len(unit)) + 1))[:length]
    return PLACES[place] + body + "\n"


def pipeline(text: str) -> int:
    """Parse, extract, resolve and map `text`; the number of quads."""
    from llmkg.ingest.extract import extract
    from llmkg.ingest.mapping import to_quads
    from llmkg.ingest.parse import parse_text
    from llmkg.ingest.resolve import resolve

    extraction = extract(parse_text(text, path="fuzz.md"))
    return sum(1 for _ in to_quads(resolve(extraction.records), []))


def _cold() -> None:
    """Empty the ingester's caches (of finders per text, keys per name...), then load the
    lexicon again: each run pays for its text in full, as a build's one run does."""
    for name, module in list(sys.modules.items()):
        if name.startswith("llmkg."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
    pipeline("- warm up\n")


def seconds(text: str, repeat: int = 2) -> float:
    """The best of `repeat` cold runs of the pipeline over `text`, in CPU seconds of this
    process (other processes on a busy machine do not count) with the cyclic GC paused (as
    a build runs it; its pauses would be most of the noise)."""
    best = float("inf")
    for _ in range(repeat):
        _cold()
        gc.collect()
        gc.disable()
        try:
            started = time.process_time()
            pipeline(text)
            best = min(best, time.process_time() - started)
        finally:
            gc.enable()
    return best


_cache: dict[tuple[str, int, str], float] = {}


def _cached(unit: str, length: int, place: str) -> float:
    key = (unit, length, place)
    if key not in _cache:
        _cache[key] = seconds(line(unit, length, place), repeat=5)
    return _cache[key]


def line_seconds(unit: str, length: int, place: str) -> float:
    """Seconds the line takes beyond the fixed cost of its place (an empty line there),
    so that short lines compare as long ones do."""
    return max(1e-4, seconds(line(unit, length, place), repeat=3) - _cached("", 0, place))


def plain_seconds(length: int, place: str) -> float:
    return max(1e-4, _cached(PLAIN_UNIT, length, place) - _cached("", 0, place))


def growth(unit: str, place: str, length: int) -> tuple[float, float, float]:
    """(growth of the ratio to a plain line from `length` to 4x, seconds at length, at 4x)."""
    small = line_seconds(unit, length, place)
    large = line_seconds(unit, 4 * length, place)
    ratio_small = small / plain_seconds(length, place)
    ratio_large = large / plain_seconds(4 * length, place)
    return ratio_large / ratio_small, small, large


def random_unit(rng: random.Random) -> str:
    return "".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 4)))


# The three lines of issue 12 at the lengths it measured them (48 s, 13 s and 3.5 s then)
ISSUE_LINES = (("'1B 2023 ' x 256 KB", "### **Models**\n- Meta\n  1. [Foo](https://foo.org): ", "1B 2023 ", 256 * 1024),
               ("'[x](http://e/) ' x 480 KB", "### **Models**\n- Meta\n  1. Foo ", "[x](http://e/) ", 480 * 1024),
               ("'- Microsoft' + 32,000 '('", "### **Models**\n- Microsoft", "(", 32_000))


def issue_lines() -> None:
    """CPU seconds of the issue's three lines, and of a plain line of the same length."""
    for name, prefix, unit, length in ISSUE_LINES:
        body = (unit * (length // len(unit) + 1))[:length]
        plain = (PLAIN_UNIT * (length // len(PLAIN_UNIT) + 1))[:length]
        took, baseline = seconds(prefix + body + "\n", 1), seconds(prefix + plain + "\n", 1)
        print(f"{name:28} {took:7.2f} s   plain line {baseline:6.2f} s   ratio {took / baseline:5.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument("--length", type=int, default=8000, help="characters of the shorter line")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flag", type=float, default=2.0, help="growth above which a unit is flagged")
    parser.add_argument("--issue-lines", action="store_true", help="time the three lines of issue 12 instead")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    pipeline("- warm up\n")
    if args.issue_lines:
        return issue_lines()
    flagged, started = 0, time.perf_counter()
    for case in range(args.cases):
        unit, place = random_unit(rng), rng.choice(sorted(PLACES))
        g, small, large = growth(unit, place, args.length)
        if g > args.flag:
            g, small, large = growth(unit, place, args.length)  # measured again: noise or real?
        if g > args.flag:
            flagged += 1
            print(f"FLAG growth {g:4.1f}  {small:6.3f} s -> {large:6.3f} s  {place:9} {unit!r}", flush=True)
    print(f"{args.cases} cases at {args.length} and {4 * args.length} characters, seed {args.seed}: "
          f"{flagged} flagged (growth > {args.flag}), {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
