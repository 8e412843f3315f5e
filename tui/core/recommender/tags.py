"""Spans to per-character tags and back (BIOES), and the outermost-layer rule.

A linear-chain CRF gives each character one tag, so a layer of nested or overlapping spans
is flattened first: :func:`outermost` keeps a span unless a longer (or, at equal length,
an earlier) kept span overlaps it. The model learns, and suggests, the outermost layer
only (杭州市人民政府 as ORG, not 杭州市 inside it as LOC).

Tags are BIOES: ``B-X`` begins a span of several characters, ``I-X`` continues it, ``E-X``
ends it, ``S-X`` is a span of one character, ``O`` is outside every span.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence

__all__ = ["OUTSIDE", "Extent", "bioes_tags", "outermost", "spans_from_tags"]

#: The tag of a character outside every span.
OUTSIDE = "O"

#: A labelled extent: (start, end, label), end exclusive.
Extent = tuple[int, int, str]


def outermost(spans: Iterable[Extent]) -> list[Extent]:
    """The spans that no longer (or equally long and earlier) span overlaps, in text order.

    Longest first, then earliest, then by label, so the choice never depends on the order
    the spans come in.
    """
    kept: list[Extent] = []
    # The kept extents never overlap, so sorted by start their ends are sorted too: the
    # one kept extent that may overlap a candidate is the last starting before its end.
    starts: list[int] = []
    ends: list[int] = []
    for start, end, label in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], s[2])):
        if start >= end:
            continue
        before = bisect_left(starts, end)
        if before and ends[before - 1] > start:
            continue
        kept.append((start, end, label))
        starts.insert(before, start)
        ends.insert(before, end)
    return sorted(kept)


def bioes_tags(length: int, spans: Iterable[Extent]) -> list[str]:
    """The BIOES tags of ``length`` characters holding ``spans`` (which must not overlap:
    pass them through :func:`outermost` first); parts past ``length`` are cut off."""
    tags = [OUTSIDE] * length
    for start, end, label in spans:
        end = min(end, length)
        if start >= end:
            continue
        if end - start == 1:
            tags[start] = f"S-{label}"
            continue
        tags[start] = f"B-{label}"
        for i in range(start + 1, end - 1):
            tags[i] = f"I-{label}"
        tags[end - 1] = f"E-{label}"
    return tags


def spans_from_tags(tags: Sequence[str]) -> list[Extent]:
    """The spans a tag sequence marks, read strictly: ``S-X``, or ``B-X`` then any ``I-X``
    then ``E-X``. A run broken off (``B-X O``, ``B-X I-Y``) is no span: the model was not
    sure where it ends, and a wrong extent is worse than none."""
    found: list[Extent] = []
    start: int | None = None
    label = ""
    for i, tag in enumerate(tags):
        prefix, current = tag[:1], tag[2:]
        if prefix == "S":
            found.append((i, i + 1, current))
            start = None
        elif prefix == "B":
            start, label = i, current
        elif start is not None and prefix == "I" and current == label:
            continue
        elif start is not None and prefix == "E" and current == label:
            found.append((start, i + 1, label))
            start = None
        else:
            start = None
    return found
