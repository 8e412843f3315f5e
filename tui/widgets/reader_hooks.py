"""What the reading pane asks of whatever takes its keys first and draws over its lines
(link mode and hint letters: :class:`tui.screens.linking.LinkController`). The pane depends
on this protocol, not on the controller's module, so neither imports the other's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.strip import Strip

    from tui.core.reader import Row

__all__ = ["ReaderHooks"]


class ReaderHooks(Protocol):
    """Keys before the bindings, marks over the drawn lines, a word for the status line."""

    def wants(self, key: str) -> bool:
        """Whether :meth:`take` would take ``key`` now (the screen's bindings stand aside)."""
        ...

    def take(self, key: str) -> bool:
        """Handle ``key``; False: not taken, the bindings have it."""
        ...

    def decorate(self, row: Row, strip: Strip) -> Strip:
        """The drawn line ``row`` with whatever is shown over it."""
        ...

    def mode_label(self) -> str:
        """What the next keys do, for the status line ("" when nothing special)."""
        ...
