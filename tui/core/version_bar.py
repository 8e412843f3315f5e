"""The review's version bar: who marked what at the cursor, in one line that fits.

In a disagreement the bar lists its versions (``v1 alice,carol ORG 民政局``), the one the
reader draws in full marked and shown first among equals; elsewhere it names who marked
the candidates under the cursor; with nothing there it lists the review keys. Fitting a
narrow terminal shortens the span texts first, then leaves whole versions out from the end
(``+2``), never the one shown or the decision state.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

from tui.core.linebreak import text_cells
from tui.core.text import display_safe

__all__ = [
    "BarPiece",
    "Piece",
    "VersionEntry",
    "cut_to",
    "fit_bar",
    "marker_entries",
    "palette_index",
    "version_entries",
]

SpanKey = tuple[int, int, str]


class Version(Protocol):
    """A version of a disagreement (:class:`tui.core.review.Version`)."""

    @property
    def annotators(self) -> tuple[str, ...]: ...

    @property
    def spans(self) -> frozenset[SpanKey]: ...


class Piece(Enum):
    """What a piece of the bar is, so the widget can style it."""

    STATE = "state"
    SHOWN = "shown"  # the version the reader draws in full
    VERSION = "version"
    ANNOTATOR = "annotator"
    HINT = "hint"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class BarPiece:
    """A stretch of the bar: its text, what it is and, for a name, whose it is."""

    text: str
    kind: Piece
    annotator: str = ""


@dataclass(frozen=True, slots=True)
class VersionEntry:
    """One version: its number (0: not a version, a candidate's markers), who marked it,
    and its spans as (label, text) in text order. With ``link`` (a relation candidate,
    ``Located →``) the two spans are its ends and ``link`` stands between them."""

    number: int
    annotators: tuple[str, ...]
    spans: tuple[tuple[str, str], ...]
    shown: bool = False
    link: str = ""


#: Span text lengths tried, longest first, when the bar is too wide.
_EXCERPTS = (12, 8, 6, 4, 3, 2, 1)
_GAP = BarPiece("  ", Piece.GAP)


def fit_bar(state: str, entries: Sequence[VersionEntry], width: int) -> list[BarPiece]:
    """The bar for ``entries`` after ``state`` (e.g. ``"≠ 2/5"``), at most ``width`` cells."""
    for limit in _EXCERPTS:
        pieces = _bar(state, entries, limit, len(entries))
        if _cells(pieces) <= width:
            return pieces
    for kept in range(len(entries) - 1, 0, -1):
        pieces = _bar(state, _kept(entries, kept), 1, len(entries))
        if _cells(pieces) <= width:
            return pieces
    return _cut(_bar(state, _kept(entries, 1), 1, len(entries)), width)


def _kept(entries: Sequence[VersionEntry], count: int) -> list[VersionEntry]:
    """The first ``count`` entries, the shown one always among them (in its place)."""
    kept = list(entries[:count])
    shown = next((entry for entry in entries if entry.shown), None)
    if shown is not None and shown not in kept:
        kept[-1] = shown
    return kept


def _bar(state: str, entries: Sequence[VersionEntry], limit: int, total: int) -> list[BarPiece]:
    pieces = [BarPiece(state, Piece.STATE)] if state else []
    for entry in entries:
        if pieces:
            pieces.append(_GAP)
        pieces += _entry(entry, limit)
    if len(entries) < total:
        pieces += [_GAP, BarPiece(f"+{total - len(entries)}", Piece.VERSION)]
    return pieces


def _entry(entry: VersionEntry, limit: int) -> list[BarPiece]:
    kind = Piece.SHOWN if entry.shown else Piece.VERSION
    mark = "▶" if entry.shown else ""
    pieces = [BarPiece(f"{mark}v{entry.number} ", kind)] if entry.number else []
    for index, name in enumerate(entry.annotators):
        if index:
            pieces.append(BarPiece(",", kind))
        pieces.append(BarPiece(display_safe(name), Piece.ANNOTATOR, name))
    spans = [f"{label} {_shorten(text, limit)}" for label, text in entry.spans] or ["(nothing)"]
    if entry.link:
        spans.insert(1, entry.link)
    pieces.append(BarPiece(" " + " ".join(display_safe(span) for span in spans), kind))
    return pieces


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 1)] + "…"


def _cells(pieces: Sequence[BarPiece]) -> int:
    return sum(text_cells(piece.text) for piece in pieces)


def _cut(pieces: Sequence[BarPiece], width: int) -> list[BarPiece]:
    """``pieces`` cut to ``width`` cells, a ``…`` at the cut (a terminal narrower than
    the state and one version)."""
    kept: list[BarPiece] = []
    used = 0
    for piece in pieces:
        cells = text_cells(piece.text)
        if used + cells <= width - 1:
            kept.append(piece)
            used += cells
            continue
        text = ""
        for char in piece.text:
            if used + text_cells(text + char) > width - 1:
                break
            text += char
        kept.append(BarPiece(text + "…", piece.kind, piece.annotator))
        break
    return kept


def cut_to(piece: BarPiece, width: int) -> list[BarPiece]:
    """``piece`` alone, cut to ``width`` cells (with ``…`` when cut)."""
    return [piece] if text_cells(piece.text) <= width else _cut([piece], width)


def palette_index(annotator: str, annotators: Sequence[str]) -> int:
    """The index of ``annotator``'s colour: its place among ``annotators`` sorted, so the
    same team gets the same colours in every document."""
    ordered = sorted(set(annotators))
    return ordered.index(annotator) if annotator in ordered else len(ordered)


def version_entries(versions: Sequence[Version], shown: int, text: str) -> list[VersionEntry]:
    """The entries of a disagreement's ``versions``, version ``shown`` (0-based) marked."""
    return [
        VersionEntry(
            number,
            version.annotators,
            tuple((label, text[start:end]) for start, end, label in sorted(version.spans)),
            number - 1 == shown,
        )
        for number, version in enumerate(versions, 1)
    ]


def marker_entries(
    marked: Sequence[tuple[SpanKey, tuple[str, ...]]], text: str
) -> list[VersionEntry]:
    """Who marked each span under the cursor (outside a disagreement), innermost first."""
    return [
        VersionEntry(0, names, ((label, text[start:end]),)) for (start, end, label), names in marked
    ]
