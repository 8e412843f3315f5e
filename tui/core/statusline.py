"""Fitting the status line into the terminal's width, most important parts first.

The status line names the document on the left and, on the right, parts in order of
importance: the save mark and any mode (relabel, select), the cursor position, then search
hits, suggestions, the spans under the cursor and the word. When they do not all fit, the
document name is cut first, down to a floor that still tells documents apart; then whole
parts go from the least important end and a ``…`` says something was left out; the right
side is cut last. A part is never shown cut in the middle (no ``LOC:上`` for ``LOC:上海``).
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.linebreak import fit_cells, text_cells

__all__ = ["SEPARATOR", "fit_status"]

#: Between the parts of the right side.
SEPARATOR = " · "
#: The document name is cut down to this many cells before any part is left out.
_NAME_CELLS = 16
#: Cells between the document name and the right side.
_GAP = 2


def fit_status(name: str, parts: Sequence[str], essential: int, width: int) -> tuple[str, str]:
    """The left (document) and right texts for ``width`` cells.

    The name is cut to make room, not below :data:`_NAME_CELLS` cells; then the parts
    after the first ``essential`` go from the end, whole, marked by ``…``.
    """
    kept = list(parts)
    dropped = False

    def right_side() -> str:
        return SEPARATOR.join(kept) + (" …" if dropped else "")

    shortest_name = min(text_cells(name), _NAME_CELLS)
    while len(kept) > essential and shortest_name + _GAP + text_cells(right_side()) > width:
        kept.pop()
        dropped = True
    right = right_side()
    room = width - text_cells(right) - _GAP
    if room >= shortest_name:
        return fit_cells(name, room), right
    left = fit_cells(name, min(shortest_name, max(0, width - _GAP)))
    return left, fit_cells(right, max(0, width - text_cells(left) - _GAP))
