"""Which parts of a visual line are covered by spans, and how deeply.

The reading pane draws each span in its label's colour. Spans may nest and overlap, so a
line is cut into runs, each with the innermost covering span's label and the number of
spans covering it (a second style shows nesting). Suggestions and, in review, candidates
(labels with a :data:`tui.core.marks.OVERLAY_PREFIXES` prefix) are drawn over spans, not
instead of them: a run keeps the innermost span's label and takes the innermost of those
as ``over``, so a gold span keeps its colour where a candidate overlaps it. Offsets here
are display offsets within one block's display text; mapping canonical spans there is the
caller's job (through the block's :class:`~tui.core.script.OffsetMap`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from tui.core.marks import DIMMED, OVERLAY_PREFIXES


@dataclass(frozen=True, slots=True)
class Piece:
    """One span's extent within a block's display text."""

    start: int
    end: int
    label: str
    span_id: str


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of a visual line drawn one way.

    ``label`` is the innermost covering span's label (None: no span), ``depth`` how many
    spans cover it, ``selected`` whether it lies in the selection being made, ``over``
    the innermost suggestion or candidate drawn over the span ``label`` names.
    """

    start: int
    end: int
    label: str | None
    depth: int
    selected: bool
    over: str | None = None


def line_runs(
    start: int,
    end: int,
    pieces: Sequence[Piece],
    selection: tuple[int, int] | None = None,
) -> list[Run]:
    """Cut the display range ``[start, end)`` into runs by spans and the selection."""
    if start >= end:
        return []
    touching = [piece for piece in pieces if piece.start < end and piece.end > start]
    cuts = {start, end}
    for piece in touching:
        cuts.update(cut for cut in (piece.start, piece.end) if start < cut < end)
    if selection is not None:
        cuts.update(cut for cut in selection if start < cut < end)
    runs: list[Run] = []
    for left, right in pairwise(sorted(cuts)):
        run = _run(left, right, touching, selection)
        if runs and _same_look(runs[-1], run):
            runs[-1] = Run(runs[-1].start, right, run.label, run.depth, run.selected, run.over)
        else:
            runs.append(run)
    return runs


def _run(left: int, right: int, pieces: Sequence[Piece], selection: tuple[int, int] | None) -> Run:
    covering = [piece for piece in pieces if piece.start <= left and piece.end >= right]
    spans = [piece for piece in covering if not piece.label.startswith(OVERLAY_PREFIXES)]
    selected = selection is not None and selection[0] <= left and right <= selection[1]
    others = [piece for piece in covering if piece.label.startswith(OVERLAY_PREFIXES)]
    if not spans:  # only suggestions or candidates: the innermost is drawn
        return Run(left, right, _innermost_label(others), len(covering), selected)
    return Run(left, right, _innermost_label(spans), len(spans), selected, _innermost_label(others))


def _innermost_label(pieces: Sequence[Piece]) -> str | None:
    """The innermost piece's label, a faint one only where nothing else covers."""
    lively = [piece for piece in pieces if not piece.label.startswith(DIMMED)]
    innermost = min(lively or pieces, key=_length, default=None)
    return innermost.label if innermost is not None else None


def _length(piece: Piece) -> tuple[int, int]:
    return piece.end - piece.start, piece.start


def _same_look(a: Run, b: Run) -> bool:
    return (a.label, a.depth, a.selected, a.over) == (b.label, b.depth, b.selected, b.over)


#: Overlay flags: a search hit, and a word shaded in word view (every other word).
HIT = 1
SHADED_WORD = 2


def overlay_runs(
    runs: Sequence[Run], overlays: Sequence[tuple[int, int, int]]
) -> list[tuple[Run, int]]:
    """``runs`` cut where ``overlays`` ``(start, end, flag)`` begin and end.

    Each piece comes with the flags of the overlays covering it, OR-ed together. Overlays
    are drawn over spans without changing their label or depth: a search hit inside a
    span is still that span.
    """
    pieces: list[tuple[Run, int]] = []
    for run in runs:
        touching = [o for o in overlays if o[0] < run.end and o[1] > run.start]
        if not touching:
            pieces.append((run, 0))
            continue
        cuts = {run.start, run.end}
        for start, end, _ in touching:
            cuts.update(cut for cut in (start, end) if run.start < cut < run.end)
        for left, right in pairwise(sorted(cuts)):
            flags = 0
            for start, end, flag in touching:
                if start <= left and right <= end:
                    flags |= flag
            pieces.append((Run(left, right, run.label, run.depth, run.selected, run.over), flags))
    return pieces
