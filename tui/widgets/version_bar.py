"""The review's version bar above the label bar: who marked what at the cursor.

One line drawn with the Line API (no layout on update), fitted to its width when drawn
(:func:`tui.core.version_bar.fit_bar`): the version the reader draws in full is reversed,
each annotator's name has its own colour, the same in every document of the team.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.core.version_bar import BarPiece, Piece, VersionEntry, cut_to, fit_bar, palette_index

__all__ = ["ANNOTATOR_COLOURS", "VersionBar"]

#: Annotators' name colours, light enough for the bar's panel background and apart from
#: the default label colours (labels fill span backgrounds; names are only text).
ANNOTATOR_COLOURS = (
    "#ffd43b",
    "#63e6be",
    "#e599f7",
    "#ffa8a8",
    "#74c0fc",
    "#c0eb75",
    "#ffc078",
    "#b197fc",
)


class VersionBar(Widget):
    """One line: the disagreement's state and versions, or who marked the candidates."""

    DEFAULT_CSS = """
    VersionBar {
        height: 1;
        background: $panel;
        color: $text-muted;
    }
    VersionBar > .version-bar--shown {
        color: $text;
        text-style: reverse bold;
    }
    VersionBar > .version-bar--state {
        color: $text;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"version-bar--shown", "version-bar--state"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = ""
        self.entries: tuple[VersionEntry, ...] = ()
        self.team: tuple[str, ...] = ()
        #: Shown instead when there is nothing to tell (the review keys).
        self.hint = ""

    def show(self, state: str, entries: Sequence[VersionEntry], team: Sequence[str]) -> None:
        """Show ``state`` and ``entries``; ``team`` (every annotator of the document) sets
        each name's colour."""
        key = (state, tuple(entries), tuple(sorted(team)))
        if key != (self.state, self.entries, self.team) or self.hint:
            self.state, self.entries, self.team = key
            self.hint = ""
            self.refresh()

    def show_hint(self, hint: str) -> None:
        """Nothing to tell at the cursor: show ``hint`` (muted)."""
        if hint != self.hint:
            self.hint = hint
            self.refresh()

    @property
    def text(self) -> str:
        """What the bar shows at its width (for tests and the status of a screen reader)."""
        return "".join(piece.text for piece in self._pieces())

    def _pieces(self) -> list[BarPiece]:
        width = max(0, self.size.width - 2)
        if self.hint:
            return cut_to(BarPiece(self.hint, Piece.HINT), width)
        return fit_bar(self.state, self.entries, width)

    def render_line(self, y: int) -> Strip:
        """The bar on line 0; nothing below."""
        style = self.rich_style
        width = self.size.width
        if y != 0:
            return Strip.blank(width, style)
        segments = [Segment(" ", style)]
        segments += [Segment(piece.text, self._style(piece, style)) for piece in self._pieces()]
        return Strip(segments).crop_extend(0, width, style)

    def _style(self, piece: BarPiece, base: Style) -> Style:
        if piece.kind is Piece.ANNOTATOR:
            colour = ANNOTATOR_COLOURS[
                palette_index(piece.annotator, self.team) % len(ANNOTATOR_COLOURS)
            ]
            return base + Style(color=colour, bold=True)
        if piece.kind is Piece.SHOWN:
            return base + self.get_component_rich_style("version-bar--shown")
        if piece.kind is Piece.STATE:
            return base + self.get_component_rich_style("version-bar--state")
        return base
