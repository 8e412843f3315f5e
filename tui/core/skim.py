"""Skimming: only the sentences of a document that hold spans, to read many documents fast.

A sentence ends after ``。！？!?`` (and any closing quotes or brackets right after) or at a
line break. Each span belongs to the sentence holding its start; a sentence is shown once
with every span starting in it, even one that runs on past its end.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["SkimLine", "sentence_bounds", "skim_lines"]

SpanKey = tuple[int, int, str]

_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)\]】》〉\"']*\n?|\n")


@dataclass(frozen=True, slots=True)
class SkimLine:
    """One sentence holding spans: its extent in the text and the spans starting in it."""

    start: int
    end: int
    spans: tuple[SpanKey, ...]


def sentence_bounds(text: str) -> list[int]:
    """The offsets where sentences start (0 first), for :func:`skim_lines`."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.end() < len(text):
            starts.append(match.end())
    return starts


def skim_lines(text: str, spans: Iterable[SpanKey]) -> list[SkimLine]:
    """The sentences of ``text`` holding ``spans``, in order (see the module docstring)."""
    starts = sentence_bounds(text)
    by_sentence: dict[int, list[SpanKey]] = {}
    for span in spans:
        if 0 <= span[0] < len(text):
            sentence = bisect.bisect_right(starts, span[0]) - 1
            by_sentence.setdefault(sentence, []).append(span)
    lines = []
    for sentence in sorted(by_sentence):
        start = starts[sentence]
        end = starts[sentence + 1] if sentence + 1 < len(starts) else len(text)
        lines.append(SkimLine(start, end, tuple(sorted(by_sentence[sentence]))))
    return lines
