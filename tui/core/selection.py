"""The selection made in the reader with ``v``: where it is, and how moves extend it.

A selection runs from where ``v`` was pressed (the anchor) to the cursor, both characters
included, as in vim's visual mode. What is drawn and what a label key stores are the same
range: the selected characters without white space at either end.

While a selection is being extended, word, sentence and paragraph moves take whole units:
the cursor stops on the selection's outer edge. To the right of the anchor that is the
last character of a unit (``w`` ``)`` ``}`` act like vim's ``e``, and ``b`` ``(`` ``{`` go
back to the end of the previous unit); to the left of it, the first character of one (the
moves' usual stops). So ``v`` then ``)`` selects exactly the sentence, its 。 included, and
never a character of the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.core.annotations import trimmed

if TYPE_CHECKING:
    from tui.core.reader import ReaderModel

#: Forward unit moves, and the move to the end of a unit that replaces each while the
#: cursor is right of the anchor.
_FORWARD = {
    "next_word": "end_of_word",
    "next_sentence": "end_of_sentence",
    "next_paragraph": "end_of_paragraph",
}
#: Backward unit moves, and the move to the end of the previous unit that replaces each
#: while the cursor is right of the anchor.
_BACKWARD = {
    "previous_word": "end_of_previous_word",
    "previous_sentence": "end_of_previous_sentence",
    "previous_paragraph": "end_of_previous_paragraph",
}


class Selection:
    """The anchor of a selection and, once ``v`` is pressed again, its fixed other end."""

    def __init__(self) -> None:
        self.anchor: int | None = None
        #: Where the selection was ended (None: it follows the cursor).
        self.end: int | None = None

    @property
    def active(self) -> bool:
        """Whether there is a selection (being extended or ended)."""
        return self.anchor is not None

    @property
    def extending(self) -> bool:
        """Whether the selection follows the cursor."""
        return self.anchor is not None and self.end is None

    def toggle(self, cursor: int) -> None:
        """``v``: start a selection at ``cursor``; again: end it there; then start anew."""
        if self.extending:
            self.end = cursor
        else:
            self.anchor, self.end = cursor, None

    def clear(self) -> None:
        """No selection any more."""
        self.anchor = self.end = None

    def extent(self, cursor: int, text: str) -> tuple[int, int] | None:
        """The canonical ``[start, end)`` selected, without white space at either end.

        None without a selection, or when only white space is selected.
        """
        if self.anchor is None or not text:
            return None
        head = self.end if self.end is not None else cursor
        low, high = sorted((self.anchor, head))
        return trimmed(text, low, min(high + 1, len(text)))

    def describe(self, cursor: int, text: str) -> str:
        """The status line's marker: ``选择 VISUAL 12字`` (how many characters a label takes)."""
        extent = self.extent(cursor, text)
        return f"选择 VISUAL {extent[1] - extent[0] if extent else 0}字"

    def move(self, model: ReaderModel, method: str) -> None:
        """Run ``model``'s move ``method``; while extending, unit moves take whole units."""
        anchor = self.anchor if self.extending else None
        if anchor is None or (method not in _FORWARD and method not in _BACKWARD):
            getattr(model, method)()
            return
        start = model.cursor
        if method in _FORWARD:
            # Left of the anchor the usual stop is the outer edge, unless it passes the anchor.
            if start >= anchor or not _moved(model, method, lambda cursor: cursor <= anchor):
                getattr(model, _FORWARD[method])()
        elif start <= anchor or not _moved(
            model, _BACKWARD[method], lambda cursor: cursor >= anchor
        ):
            getattr(model, method)()


def _moved(model: ReaderModel, method: str, keep: Callable[[int], bool]) -> bool:
    """Run ``method``; if the cursor ends where ``keep`` refuses, put it back and say so."""
    start = model.cursor
    getattr(model, method)()
    if keep(model.cursor):
        return True
    model.move_to(start)
    return False
