"""A small dialog to write or change a span's note (Chinese input works: a plain Input)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.core.text import display_safe


class NoteScreen(ModalScreen[str | None]):
    """Edit a note; dismissed with the new text (Enter) or None (Esc)."""

    DEFAULT_CSS = """
    NoteScreen {
        align: center middle;
    }
    NoteScreen > Vertical {
        width: 70;
        max-width: 100%;
        height: auto;
        border: round $accent;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    NoteScreen Input {
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, span_text: str, label: str, note: str) -> None:
        super().__init__()
        self.span_text = span_text
        self.label = label
        self.note = note
        #: The note as the editor shows it: a stored note can hold control characters
        #: (a store file is anyone's to write), made visible one for one here.
        self.shown_note = display_safe(note)

    def compose(self) -> ComposeResult:
        """What the note is about, and the note itself."""
        with Vertical() as box:
            box.border_title = "Note 备注 · Enter saves · Esc cancels"
            shown = display_safe(f"{self.label}  {self.span_text.replace(chr(10), ' ')}")
            yield Static(Text(shown[: len(self.label) + 62]), markup=False)
            yield Input(value=self.shown_note, placeholder="备注…", id="note")

    def on_mount(self) -> None:
        """Type straight away."""
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        # Unedited, the note stays exactly as stored (not as the visible form shown).
        self.dismiss(self.note if event.value == self.shown_note else event.value)

    def action_cancel(self) -> None:
        """Leave the note as it was."""
        self.dismiss(None)
