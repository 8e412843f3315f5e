"""What the reading aids need of the screen that owns them.

:class:`~tui.screens.main.MainScreen` provides it; the aids depend on this protocol, not on
the screen's module, so the screen can import them without an import cycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tui.core.segment import Segmenter
    from tui.core.store import Store
    from tui.core.suggest import SuggestionSource
    from tui.widgets.reader_view import ReaderView

__all__ = ["AidsHost"]


class AidsHost(Protocol):
    """The reading pane, the segmenter and the suggestion labels of a screen.

    Textual's own services (mounting, workers, notifications, the app) are reached through
    the reading pane widget.
    """

    @property
    def reader(self) -> ReaderView:
        """The reading pane."""
        ...

    @property
    def segmenter(self) -> Segmenter:
        """jieba, shared by the app (it may still be loading)."""
        ...

    @property
    def suggesting(self) -> Mapping[str, str]:
        """jieba part-of-speech tag → the label suggested for it."""
        ...

    def suggestion_sources(self) -> list[SuggestionSource]:
        """Sources of ``z`` besides jieba's tags (the trained model), surest first."""
        ...

    @property
    def store(self) -> Store:
        """The annotation store (suggestion counts are kept beside the annotations)."""
        ...

    def update_status_line(self) -> None:
        """Show the position, spans and search state anew."""
        ...
