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

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.labels import Label
from tui.core.linebreak import fit_cells, text_cells
from tui.core.palette import readable_on
from tui.core.spans import Span
from tui.core.text import display_safe
from tui.widgets.reader_view import ReaderView

_WIDTH = 33  # the panel's width in cells, less its border


class SpansPanel(ScrollView, can_focus=True):
    """A list of spans: label, text, note; Enter asks to jump there."""

    DEFAULT_CSS = """
    SpansPanel, SpansPanel:focus {
        width: 34;
        max-width: 45%;
        border: none;
        border-left: vkey $panel-lighten-2;
        padding: 0;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    SpansPanel.-hidden {
        display: none;
    }
    SpansPanel > .spans-panel--cursor {
        background: $block-cursor-blurred-background;
    }
    SpansPanel:focus > .spans-panel--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"spans-panel--cursor"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Next span", show=False),
        Binding("up,k", "cursor(-1)", "Previous span", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First span", show=False),
        Binding("end,G", "jump(-1)", "Last span", show=False),
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
        #: The row of the highlighted span (None: no spans).
        self.highlighted: int | None = None
        self.add_class("-hidden")

    def show_spans(self, spans: Sequence[Span]) -> None:
        """List ``spans`` (already in document order); the highlight stays on its row."""
        spans = tuple(spans)
        if spans is self.spans:
            return
        self.spans = spans
        self.highlighted = min(self.highlighted or 0, len(spans) - 1) if spans else None
        self.virtual_size = Size(self.size.width, len(spans))
        self._scroll_to_highlight()
        self.refresh()

    # -- keys ------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight by ``step`` rows."""
        self._move_to((self.highlighted or 0) + step)

    def action_page(self, direction: int) -> None:
        """Move the highlight by one screen."""
        self._move_to((self.highlighted or 0) + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        """To the first (0) or the last (-1) span."""
        self._move_to(0 if where == 0 else len(self.spans) - 1)

    def action_select(self) -> None:
        """Ask to jump to the highlighted span."""
        if self.highlighted is not None:
            self.post_message(self.Jump(self.spans[self.highlighted].start))

    def on_click(self, event: events.Click) -> None:
        """A click highlights a span and jumps there."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if row < len(self.spans):
            self._move_to(row)
            self.action_select()

    def _move_to(self, row: int) -> None:
        if not self.spans:
            return
        row = max(0, min(row, len(self.spans) - 1))
        old, self.highlighted = self.highlighted, row
        self._scroll_to_highlight()
        self.refresh(self._row_region(old if old is not None else row), self._row_region(row))

    def _row_region(self, row: int) -> Region:
        return Region(0, row - round(self.scroll_y), self.size.width, 1)

    def _scroll_to_highlight(self) -> None:
        if self.highlighted is None:
            return
        top, height = round(self.scroll_y), max(1, self.size.height)
        if self.highlighted < top:
            self.scroll_to(y=self.highlighted, animate=False, immediate=True)
        elif self.highlighted >= top + height:
            self.scroll_to(y=self.highlighted - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        """Keep the virtual size in step with the pane."""
        self.virtual_size = Size(self.size.width, len(self.spans))
        self._scroll_to_highlight()

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one row: the span's label, text and note."""
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        style = self.rich_style
        if row >= len(self.spans):
            return Strip.blank(width, style)
        if row == self.highlighted:
            style = style + self.get_component_rich_style("spans-panel--cursor")
        segments = self._prompt(self.spans[row]).render(self.app.console)
        return Strip(Segment.apply_style(segments, style)).crop_extend(0, width, style)

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

    def action_leave(self) -> None:
        """Back to the reading pane, panel still open."""
        self.screen.query_one("#reader").focus()

    def action_place(self) -> None:
        """Put the highlighted span on the reader's selection (made now or already)."""
        if self.highlighted is not None and self.spans:
            self.screen.query_one("#reader", ReaderView).start_placing(
                self.spans[self.highlighted].id
            )
