"""Spans to per-character tags and back (BIOES), and the outermost-layer rule.

A linear-chain CRF gives each character one tag, so a layer of nested or overlapping spans
is flattened first: :func:`outermost` keeps a span unless a longer (or, at equal length,
an earlier) kept span overlaps it. The model learns, and suggests, the outermost layer
only (杭州市人民政府 as ORG, not 杭州市 inside it as LOC).

Tags are BIOES: ``B-X`` begins a span of several characters, ``I-X`` continues it, ``E-X``
ends it, ``S-X`` is a span of one character, ``O`` is outside every span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from tui.core.suggest import keep_disjoint

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
    ranked = sorted(
        (span for span in set(spans) if span[0] < span[1]),
        key=lambda s: (s[0] - s[1], s[0], s[2]),
    )
    kept = keep_disjoint(ranked, lambda span: (span[0], span[1]))
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
