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

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType

from tui.core.relations.linking import LinkRow
from tui.core.relations.model import Relation
from tui.core.text import display_safe
from tui.widgets.row_panel import RowPanel, moving_bindings

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


class RelationsPanel(RowPanel):
    """A list of relations and chains; keys act on the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *moving_bindings("relation"),
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

    def show_rows(self, rows: Sequence[LinkRow]) -> None:
        """List ``rows``; the highlight stays on its row."""
        self.rows = tuple(rows)
        self.rows_changed()

    @property
    def row_count(self) -> int:
        """One row a relation or chain."""
        return len(self.rows)

    def row_text(self, row: int, width: int) -> Text:
        """A colour mark and the relation or chain."""
        return self._prompt(self.rows[row], width)

    def empty_text(self) -> Text:
        """Where relations come from."""
        return Text(" no relations yet: L on a span", Style(dim=True), no_wrap=True)

    @property
    def current(self) -> LinkRow | None:
        """The highlighted row."""
        return self.rows[self.highlighted] if self.highlighted is not None else None

    # -- keys ------------------------------------------------------------------------------

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

    def _prompt(self, row: LinkRow, width: int) -> Text:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(" ▌ ", Style(color=row.colour or "#888888"))
        prompt.append(display_safe(row.text))
        prompt.truncate(max(8, width - 1))  # one line a row, never wrapped
        return prompt
