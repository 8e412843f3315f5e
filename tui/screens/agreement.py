"""The agreement panel of review mode: ``biaozhu agree`` for the listed documents, in place.

The figures are computed in a thread (reading every annotator's file of every document
takes a while in a big corpus); the panel says so until they are ready.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker

__all__ = ["AgreementScreen"]


class AgreementScreen(ModalScreen[None]):
    """Pairwise F1 and κ, Fleiss' κ, per label, and the worst documents."""

    DEFAULT_CSS = """
    AgreementScreen {
        align: center middle;
    }
    AgreementScreen > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    AgreementScreen Static {
        width: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,A", "dismiss", "Close"),
    ]

    def __init__(self, figures: Callable[[], list[str]]) -> None:
        """``figures`` computes the panel's lines (called in a thread)."""
        super().__init__()
        self.figures = figures

    def compose(self) -> ComposeResult:
        """A scrollable block of plain text."""
        with VerticalScroll() as scroll:
            scroll.border_title = "一致性 Agreement · Esc closes"
            yield Static(Text("computing…"), id="agreement-text")

    def on_mount(self) -> None:
        """Start computing."""
        self.run_worker(self._compute, thread=True, exclusive=True)

    def _compute(self) -> None:
        lines = self.figures()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[str]) -> None:
        self.query_one("#agreement-text", Static).update(Text("\n".join(lines), no_wrap=True))
