"""The spans panel: every span of the open document in order; Enter jumps to one.

Span text is untrusted: each row is a :class:`rich.text.Text` built from plain strings,
never parsed as markup, with control characters made visible. Spans that could not be
re-anchored after the document changed are marked ⚑ and listed like the others; only
here, since they are not in the text. ``m`` puts the highlighted span on a selection in
the reader (at once if there is one, else after selecting with ``v``… and ``m``).

Drawn with the Line API, one row a span and only the rows on screen: a document with
100 000 spans lists them as fast as one with ten (an option list built every row first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message

from tui.core.labels import Label
from tui.core.linebreak import fit_cells, text_cells
from tui.core.palette import readable_on
from tui.core.spans import Span
from tui.core.text import display_safe
from tui.widgets.reader_view import ReaderView
from tui.widgets.row_panel import RowPanel, moving_bindings

_WIDTH = 33  # the panel's width in cells, less its border


class SpansPanel(RowPanel):
    """A list of spans: label, text, note; Enter asks to jump there."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *moving_bindings("span"),
        Binding("enter", "select", "Jump to the span"),
        Binding("escape", "leave", "Back to the text"),
        Binding("m", "place", "Re-place on a selection"),
    ]

    @dataclass
    class Jump(Message):
        """The user picked the span starting at canonical ``offset``."""

        offset: int

    def __init__(self, labels: Sequence[Label], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = {label.name: label for label in labels}
        self.spans: tuple[Span, ...] = ()

    def show_spans(self, spans: Sequence[Span]) -> None:
        """List ``spans`` (already in document order); the highlight stays on its row."""
        spans = tuple(spans)
        if spans is self.spans:
            return
        self.spans = spans
        self.rows_changed()

    @property
    def row_count(self) -> int:
        """One row a span."""
        return len(self.spans)

    def row_text(self, row: int, width: int) -> Text:
        """The span's label, text and note."""
        return self._prompt(self.spans[row])

    def action_select(self) -> None:
        """Ask to jump to the highlighted span."""
        if self.highlighted is not None:
            self.post_message(self.Jump(self.spans[self.highlighted].start))

    def _prompt(self, span: Span) -> Text:
        label = self.labels.get(span.label)
        colour = label.colour if label is not None else "#888888"
        width = self.size.width or _WIDTH  # hidden until the first refresh: no size yet
        # A store file can hold any label (only the labels file and imports check them).
        name = display_safe(span.label)
        room = max(4, width - text_cells(name) - 6)
        text = fit_cells(display_safe(span.text.replace("\n", " ")), room)
        prompt = Text(no_wrap=True, overflow="ellipsis")
        if span.flagged:
            prompt.append("⚑ ")
        prompt.append(f" {name} ", Style(bgcolor=colour, color=readable_on(colour)))
        prompt.append(f" {text}")
        if span.note:
            note = display_safe(span.note.replace("\n", " "))
            prompt.append(f"  {note}", Style(italic=True, dim=True))
        prompt.truncate(max(8, width - 1))  # one line a span, never wrapped
        return prompt

    def action_place(self) -> None:
        """Put the highlighted span on the reader's selection (made now or already)."""
        if self.highlighted is not None and self.spans:
            self.screen.query_one("#reader", ReaderView).start_placing(
                self.spans[self.highlighted].id
            )
