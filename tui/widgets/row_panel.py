"""A side panel listing one row per item beside the text, with a highlight keys move.

The spans panel and the relations panel are both this: a narrow column drawn with the
Line API (only the rows on screen are drawn, so 100 000 rows cost nothing up front), a
highlight that ``j`` ``k`` ``g`` ``G`` PgUp PgDn move and keep in view, a click that
highlights and selects, and Esc back to the text. Each subclass says how many rows there
are, draws one, and what selecting does.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

__all__ = ["RowPanel", "moving_bindings"]


def moving_bindings(item: str) -> list[BindingType]:
    """The keys that move the highlight, described for ``item`` (``"span"``)."""
    return [
        Binding("down,j", "cursor(1)", f"Next {item}", show=False),
        Binding("up,k", "cursor(-1)", f"Previous {item}", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", f"First {item}", show=False),
        Binding("end,G", "jump(-1)", f"Last {item}", show=False),
    ]


class RowPanel(ScrollView, can_focus=True):
    """One row per item; the highlighted row is drawn with ``row-panel--cursor``."""

    DEFAULT_CSS = """
    RowPanel, RowPanel:focus {
        width: 34;
        max-width: 45%;
        border: none;
        border-left: vkey $panel-lighten-2;
        padding: 0;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    RowPanel.-hidden {
        display: none;
    }
    RowPanel > .row-panel--cursor {
        background: $block-cursor-blurred-background;
    }
    RowPanel:focus > .row-panel--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"row-panel--cursor"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The highlighted row (None: nothing listed).
        self.highlighted: int | None = None
        self.add_class("-hidden")

    # -- what a subclass says ----------------------------------------------------------------

    @property
    def row_count(self) -> int:
        """How many rows there are."""
        raise NotImplementedError

    def row_text(self, row: int, width: int) -> Text:
        """Row ``row`` (one line, at most ``width`` cells)."""
        raise NotImplementedError

    def empty_text(self) -> Text | None:
        """What the first line says when there are no rows (None: nothing)."""
        return None

    def action_select(self) -> None:
        """Act on the highlighted row (Enter, a click)."""

    # -- rows --------------------------------------------------------------------------------

    def rows_changed(self) -> None:
        """The rows changed: the highlight stays on its row (within the rows left)."""
        count = self.row_count
        self.highlighted = min(self.highlighted or 0, count - 1) if count else None
        self.virtual_size = Size(self.size.width, max(1, count))
        self._scroll_to_highlight()
        self.refresh()

    # -- keys --------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight by ``step`` rows."""
        self._move_to((self.highlighted or 0) + step)

    def action_page(self, direction: int) -> None:
        """Move the highlight by one screen."""
        self._move_to((self.highlighted or 0) + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        """To the first (0) or the last (-1) row."""
        self._move_to(0 if where == 0 else self.row_count - 1)

    def action_leave(self) -> None:
        """Back to the reading pane, the panel still open."""
        self.screen.query_one("#reader").focus()

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row and selects it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if row < self.row_count:
            self._move_to(row)
            self.action_select()

    def _move_to(self, row: int) -> None:
        count = self.row_count
        if not count:
            return
        row = max(0, min(row, count - 1))
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
        self.virtual_size = Size(self.size.width, max(1, self.row_count))
        self._scroll_to_highlight()

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw line ``y``: its row, highlighted or not."""
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        style = self.rich_style
        if not self.row_count and y == 0 and (empty := self.empty_text()) is not None:
            return Strip(empty.render(self.app.console)).crop_extend(0, width, style)
        if row >= self.row_count:
            return Strip.blank(width, style)
        if row == self.highlighted:
            style = style + self.get_component_rich_style("row-panel--cursor")
        segments = self.row_text(row, width).render(self.app.console)
        return Strip(Segment.apply_style(segments, style)).crop_extend(0, width, style)
