"""The word panel (``i``): the reading and CC-CEDICT entries of the word under the cursor.

It only shows lines it is given (made in :mod:`tui.core.dictionary`); the screen decides
what they are. Dictionary text is data: it is shown as plain text, never parsed as
markup, with control characters made visible.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tui.core.text import display_safe

__all__ = ["WordPanel"]

#: Lines of text the panel has room for (its height less the rule above it).
PANEL_LINES = 4


class WordPanel(Static):
    """A few lines under the text: word, pinyin, and one line per dictionary entry."""

    DEFAULT_CSS = f"""
    WordPanel {{
        height: {PANEL_LINES + 1};
        border-top: hkey $panel-lighten-2;
        padding: 0 1;
    }}
    WordPanel.-hidden {{
        display: none;
    }}
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self.lines: tuple[str, ...] = ()

    @property
    def text_width(self) -> int:
        """Cells a line may take (the panel less its padding); 40 before the first layout."""
        width = self.content_region.width
        return width if width > 0 else 40

    def show_lines(self, lines: Sequence[str]) -> None:
        """Show ``lines`` (plain strings), the first in bold."""
        shown = tuple(display_safe(line) for line in lines[:PANEL_LINES])
        if shown == self.lines:
            return
        self.lines = shown
        text = Text(no_wrap=True, overflow="ellipsis")
        for number, line in enumerate(shown):
            if number:
                text.append("\n")
            text.append(line, style="bold" if number == 0 else "")
        self.update(text, layout=False)  # a fixed height: no new layout of the screen
