"""Offsets inside spans, found by bisection rather than by a scan of every span."""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Spans:
    """Whether an offset lies in any of some [start, end) spans, by bisection: a
    segment with many sizes and many spans stays linear."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def __contains__(self, at: int) -> bool:
        i = bisect.bisect_right(self.starts, at) - 1
        return i >= 0 and at < self.ends[i]


def occurrences(text: str, phrase: str) -> Spans:
    """The spans where `phrase` stands in `text`, ignoring case (one pass of str.find)."""
    spans, lowered, needle = [], text.lower(), phrase.lower()
    if needle:
        at = lowered.find(needle)
        while at >= 0:
            spans.append((at, at + len(needle)))
            at = lowered.find(needle, at + len(needle))
    return Spans(spans)
