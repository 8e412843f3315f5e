"""The status line under the reading pane.

Two parts: the document and its displayed script (changes rarely), and the cursor
position with the word under it (changes on every key). Keeping them apart means a
cursor move repaints only the right-hand part, which matters over a slow SSH link.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from tui.core.text import display_safe


class StatusBar(Horizontal):
    """Document name and script on the left; position and word on the right."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
    }
    StatusBar > #status-document {
        width: 1fr;
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    StatusBar > #status-position {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        """The two halves."""
        yield Static(id="status-document", markup=False)
        yield Static(id="status-position", markup=False)

    def show_document(self, name: str, script: str) -> None:
        """Name the document (untrusted text: shown verbatim, controls made visible)."""
        self.query_one("#status-document", Static).update(Text(f"{display_safe(name)}  [{script}]"))

    def show_position(self, position: str) -> None:
        """Show the cursor position and the word under it."""
        self.query_one("#status-position", Static).update(Text(display_safe(position)))
