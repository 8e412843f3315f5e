"""The word panel (``i``): the reading and CC-CEDICT entries of the word under the cursor.

It only shows lines it is given (made, wrapped to :attr:`WordPanel.text_width`, in
:mod:`tui.core.dictionary`); the screen decides what they are. Every line is kept: the
panel scrolls. The mouse wheel scrolls it at any time; the keys (``j`` ``k`` ``↑`` ``↓``
``PgUp`` ``PgDn`` ``g`` ``G`` ``Home`` ``End``) only when it has the focus (``I``, or a
click), so the reader keeps all its keys otherwise. ``Esc`` (or ``I``, ``Tab``) goes back
to the text. Dictionary text is data: it is shown as plain text, never parsed as markup,
with control characters made visible.

Drawn with the Line API, like the spans panel: only the rows on screen are built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.text import display_safe

__all__ = ["PANEL_LINES", "WordPanel"]

#: Lines of text the panel shows at once (its height less the rule above it).
PANEL_LINES = 6

_BOLD = Style(bold=True)


class WordPanel(ScrollView, can_focus=True):
    """Lines under the text: word and pinyin, then every dictionary entry; it scrolls."""

    DEFAULT_CSS = f"""
    WordPanel, WordPanel:focus {{
        height: {PANEL_LINES + 1};
        max-height: 40%;
        border: none;
        border-top: hkey $panel-lighten-2;
        padding: 0 0 0 1;
        scrollbar-size-vertical: 1;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        overflow-y: auto;
        background: $surface;
    }}
    WordPanel:focus {{
        border-top: hkey $accent;
    }}
    WordPanel > .word-panel--title {{
        color: $text-muted;
    }}
    WordPanel.-hidden {{
        display: none;
    }}
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down a line", show=False),
        Binding("up,k", "scroll_up", "Scroll up a line", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,g", "scroll_home", "Top", show=False),
        Binding("end,G", "scroll_end", "Bottom", show=False),
        Binding("escape,I", "leave", "Back to the text"),
    ]

    class Resized(Message):
        """The panel's size changed: its lines are to be wrapped to :attr:`text_width` anew."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The lines shown (sanitised), the first in bold.
        self.lines: tuple[str, ...] = ()

    @property
    def text_width(self) -> int:
        """Cells a line may take (the panel less its padding and scroll bar); 40 at first."""
        width = self.scrollable_content_region.width
        return width if width > 0 else 40

    def show_lines(self, lines: Sequence[str]) -> None:
        """Show ``lines`` (plain strings, at most :attr:`text_width` cells), from the top."""
        shown = tuple(display_safe(line) for line in lines)
        if shown == self.lines:
            return
        self.lines = shown
        self._set_virtual_size(Size(self.text_width, len(shown)))
        self.scroll_to(y=0, animate=False, immediate=True)
        self._show_title()
        self.refresh()

    def _set_virtual_size(self, size: Size) -> None:
        """Set the scrolled size without a new layout of the screen (a frame on every word).

        Setting :attr:`virtual_size` lays the whole screen out again; the panel's height is
        fixed and its scroll bar's gutter always kept, so nothing around it can move: only
        its own scroll bar is brought up to date (what a layout would do for it).
        """
        if size == self.virtual_size:
            return
        self.set_reactive(WordPanel.virtual_size, size)
        self._scroll_update(size)

    def _show_title(self, *, focused: bool | None = None) -> None:
        """Say in the rule above the text when there is more than shows, and how to see it."""
        if self.has_focus if focused is None else focused:
            title = "j k PgDn PgUp g G: scroll · Esc: back to the text"
        elif len(self.lines) > self.scrollable_content_region.height:
            title = f"{len(self.lines)} lines · I: scroll (or the wheel)"
        else:
            title = ""
        if title != self.border_title:
            self.border_title = title

    def on_focus(self) -> None:
        """Show the keys that scroll."""
        self._show_title(focused=True)

    def on_blur(self) -> None:
        """Show how to come back."""
        self._show_title(focused=False)

    def on_resize(self) -> None:
        """Keep the virtual size in step, and ask for the lines at the new width."""
        self._set_virtual_size(Size(self.text_width, len(self.lines)))
        self._show_title()
        self.post_message(self.Resized())

    def render_line(self, y: int) -> Strip:
        """Draw one row of text (the first line of all in bold)."""
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        style = self.rich_style
        if row >= len(self.lines):
            return Strip.blank(width, style)
        text = Text(self.lines[row], style=_BOLD if row == 0 else "", no_wrap=True)
        segments = text.render(self.app.console)
        return Strip(Segment.apply_style(segments, style)).crop_extend(0, width, style)

    def action_leave(self) -> None:
        """Back to the reading pane, the panel still open."""
        self.screen.query_one("#reader").focus()
