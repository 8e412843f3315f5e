"""The relations panel (``P``): the open document's relations and chains, one row each.

``张三 → 任职 → 北京大学`` for a relation (``↔`` for an undirected one), ``#1 张三 · 他 ·
张先生`` for a chain. Enter jumps to the relation's source (a chain's first span), ``x``
deletes the highlighted relation or chain (one undo step), ``r`` retypes a relation from
the types that fit its two spans.

Like the spans panel it draws only the rows on screen (the Line API), and span text is
untrusted: rows are plain :class:`rich.text.Text`, never markup, controls made visible.
What a key does is the link controller's (:class:`tui.screens.linking.LinkController`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.relations.linking import LinkRow
from tui.core.relations.model import Relation
from tui.core.text import display_safe

if TYPE_CHECKING:
    from tui.core.relations.model import Chain
    from tui.widgets.reader_view import ReaderView


class PanelActions(Protocol):
    """What the panel's keys call (:class:`tui.screens.linking.LinkController` does them;
    the panel depends on this protocol, not on that module)."""

    @property
    def reader(self) -> ReaderView:
        """The reading pane (undo and redo are its)."""
        ...

    def jump_to(self, offset: int) -> None:
        """Put the cursor on ``offset`` and go back to the text."""
        ...

    def delete(self, link: Relation | Chain) -> None:
        """Delete a relation or a chain (one undo step)."""
        ...

    def retype(self, relation: Relation) -> None:
        """Offer the other types that fit the relation's spans."""
        ...

    def links_changed(self) -> None:
        """The links changed: redraw what shows them."""
        ...


class RelationsPanel(ScrollView, can_focus=True):
    """A list of relations and chains; keys act on the highlighted one."""

    DEFAULT_CSS = """
    RelationsPanel, RelationsPanel:focus {
        width: 34;
        max-width: 45%;
        border: none;
        border-left: vkey $panel-lighten-2;
        padding: 0;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    RelationsPanel.-hidden {
        display: none;
    }
    RelationsPanel > .relations-panel--cursor {
        background: $block-cursor-blurred-background;
    }
    RelationsPanel:focus > .relations-panel--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"relations-panel--cursor"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Next relation", show=False),
        Binding("up,k", "cursor(-1)", "Previous relation", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First relation", show=False),
        Binding("end,G", "jump(-1)", "Last relation", show=False),
        Binding("enter", "select", "Jump to its (first) span"),
        Binding("x", "delete", "Delete the relation or chain"),
        Binding("r", "retype", "Retype the relation"),
        Binding("u", "history('undo')", "Undo"),
        Binding("ctrl+r", "history('redo')", "Redo"),
        Binding("escape", "leave", "Back to the text"),
    ]

    def __init__(self, controller: PanelActions, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.controller = controller
        self.rows: tuple[LinkRow, ...] = ()
        #: The highlighted row (None: nothing listed).
        self.highlighted: int | None = None
        self.add_class("-hidden")

    def show_rows(self, rows: Sequence[LinkRow]) -> None:
        """List ``rows``; the highlight stays on its row."""
        self.rows = tuple(rows)
        self.highlighted = min(self.highlighted or 0, len(self.rows) - 1) if self.rows else None
        self.virtual_size = Size(self.size.width, max(1, len(self.rows)))
        self._scroll_to_highlight()
        self.refresh()

    @property
    def current(self) -> LinkRow | None:
        """The highlighted row."""
        return self.rows[self.highlighted] if self.highlighted is not None else None

    # -- keys ------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight by ``step`` rows."""
        self._move_to((self.highlighted or 0) + step)

    def action_page(self, direction: int) -> None:
        """Move the highlight by one screen."""
        self._move_to((self.highlighted or 0) + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        """To the first (0) or the last (-1) row."""
        self._move_to(0 if where == 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        """Go to the highlighted relation's source (a chain's first span)."""
        if self.current is not None:
            self.controller.jump_to(self.current.offset)

    def action_delete(self) -> None:
        """Delete the highlighted relation or chain (one undo step)."""
        if self.current is not None:
            self.controller.delete(self.current.link)

    def action_retype(self) -> None:
        """Give the highlighted relation another type that fits its spans."""
        current = self.current
        if current is None:
            return
        if isinstance(current.link, Relation):
            self.controller.retype(current.link)
        else:
            self.app.notify("a chain keeps its type: x deletes it, L chains again", timeout=3)

    def action_history(self, which: str) -> None:
        """Undo or redo the last edit, as in the text (the list follows)."""
        reader = self.controller.reader
        if which == "undo":
            reader.action_undo()
        else:
            reader.action_redo()
        self.controller.links_changed()

    def action_leave(self) -> None:
        """Back to the reading pane, the panel still open."""
        self.screen.query_one("#reader").focus()

    def on_click(self, event: events.Click) -> None:
        """A click highlights a row and jumps there."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if row < len(self.rows):
            self._move_to(row)
            self.action_select()

    def _move_to(self, row: int) -> None:
        if not self.rows:
            return
        row = max(0, min(row, len(self.rows) - 1))
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
        self.virtual_size = Size(self.size.width, max(1, len(self.rows)))
        self._scroll_to_highlight()

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one row: a colour mark and the relation or chain."""
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        style = self.rich_style
        if not self.rows and y == 0:
            empty = Text(" no relations yet: L on a span", Style(dim=True), no_wrap=True)
            return Strip(empty.render(self.app.console)).crop_extend(0, width, style)
        if row >= len(self.rows):
            return Strip.blank(width, style)
        if row == self.highlighted:
            style = style + self.get_component_rich_style("relations-panel--cursor")
        segments = self._prompt(self.rows[row], width).render(self.app.console)
        return Strip(Segment.apply_style(segments, style)).crop_extend(0, width, style)

    def _prompt(self, row: LinkRow, width: int) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(" ▌ ", Style(color=row.colour or "#888888"))
        prompt.append(display_safe(row.text))
        prompt.truncate(max(8, width - 1))  # one line a row, never wrapped
        return prompt
