"""The guidelines screen: the project's Markdown guidelines over whatever screen is open.

``H`` (an app binding, so it works from every screen) opens it and closes it again; ``Esc``
closes it too. The file is read on each opening, so a lead's edits show at once; while it
is unchanged the screen laid out before is shown again, where it was scrolled to. Reading
and checking the file is :mod:`tui.core.guidelines`; here it is only shown. Links are shown
and never followed: one to a heading of the file scrolls there, any other is only named.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown

from tui.core.guidelines import (
    MAX_SHOWN_BLOCKS,
    NO_GUIDELINES,
    GuidelinesError,
    read_guidelines,
    shown_part,
    unfollowed_link,
)
from tui.core.text import display_safe
from tui.core.wording import counted

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["GuidelinesScreen", "toggle_guidelines"]

#: The name the guidelines screen is kept under between openings (laying out a long file
#: takes seconds: a second ``H`` on an unchanged file shows it at once).
_SCREEN_NAME = "guidelines"
#: What an empty guidelines file shows (an empty screen would look broken).
_EMPTY = "*The guidelines file is empty.*"
#: The end of guidelines too long to lay out at once (see :func:`shown_part`).
_LEFT_OUT = (
    "\n\n---\n\n*{lines} not shown here (the first {blocks} paragraphs, items and rows "
    "are): read the rest of the file in an editor.*\n"
)


def toggle_guidelines(app: App[None], path: Path | None) -> None:
    """Close the guidelines if they are the top screen, else open them over it.

    Without a file, or with one that cannot be shown, a toast says so in one line.
    """
    if isinstance(app.screen, GuidelinesScreen):
        app.screen.dismiss()
        return
    if path is None:
        app.notify(NO_GUIDELINES, timeout=8)
        return
    try:
        text = read_guidelines(path)
    except GuidelinesError as error:
        app.notify(str(error), severity="error", timeout=8)
        return
    shown, left_out = shown_part(text, MAX_SHOWN_BLOCKS)
    if left_out:
        shown += _LEFT_OUT.format(lines=counted(left_out, "more line"), blocks=MAX_SHOWN_BLOCKS)
    app.push_screen(_screen_for(app, shown, path.name))


def _screen_for(app: App[None], text: str, name: str) -> GuidelinesScreen:
    """The screen showing ``text``: the one kept from the last opening while the file is
    unchanged (laid out already, and scrolled where the reader left it), else a new one."""
    if app.is_screen_installed(_SCREEN_NAME):
        kept = app.get_screen(_SCREEN_NAME)
        if isinstance(kept, GuidelinesScreen) and (kept.text, kept.file_name) == (text, name):
            return kept
        app.uninstall_screen(_SCREEN_NAME)
        kept.remove()
    screen = GuidelinesScreen(text, name)
    app.install_screen(screen, _SCREEN_NAME)
    return screen


class GuidelinesScreen(ModalScreen[None]):
    """The guidelines rendered as Markdown, as large as the terminal, scrolled by keys."""

    DEFAULT_CSS = """
    GuidelinesScreen {
        align: center middle;
    }
    GuidelinesScreen > VerticalScroll {
        width: 100%;
        height: 100%;
        border: round $accent;
        border-title-align: center;
        border-subtitle-align: right;
        background: $surface;
    }
    GuidelinesScreen Markdown {
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close the guidelines"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False),
        Binding("up,k", "scroll('up')", "Scroll up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("home,g", "scroll('home')", "Top", show=False),
        Binding("end,G", "scroll('end')", "Bottom", show=False),
    ]

    def __init__(self, text: str, name: str) -> None:
        """``text`` is safe Markdown (:func:`~tui.core.guidelines.read_guidelines`);
        ``name`` the file's name, shown in the frame."""
        super().__init__()
        self.text = text
        self.file_name = name

    def compose(self) -> ComposeResult:
        """A scrolling frame around the rendered Markdown."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Guidelines 标注规范 · Esc or H closes"
            # A Content is taken as it is; a str title would be parsed as markup.
            scroll.border_subtitle = Content(display_safe(self.file_name))
            yield Markdown(self.text or _EMPTY, open_links=False)

    def on_mount(self) -> None:
        """The keys scroll the guidelines at once."""
        self.query_one(VerticalScroll).focus()

    def action_scroll(self, where: str) -> None:
        """Scroll the frame: a line, a page, to the top or the bottom."""
        scroll = self.query_one(VerticalScroll)
        moves = {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }
        moves[where](animate=False)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        """A link to a heading here scrolls to it; any other is named, never opened."""
        event.stop()
        href = event.href
        if href.startswith("#") and event.markdown.goto_anchor(href[1:]):
            return
        self.app.notify(unfollowed_link(href), timeout=6)
