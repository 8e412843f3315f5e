"""The help screen: every key of the screen it was opened from."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

#: How key names read to a person.
_KEY_NAMES = {
    "right": "→",
    "left": "←",
    "up": "↑",
    "down": "↓",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "ctrl+home": "Ctrl+Home",
    "ctrl+end": "Ctrl+End",
    "enter": "Enter",
    "escape": "Esc",
    "space": "Space",
    "tab": "Tab",
    "left_parenthesis": "(",
    "right_parenthesis": ")",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "dollar_sign": "$",
    "question_mark": "?",
    "slash": "/",
    "backslash": "\\",
}

HelpSection = tuple[str, list[tuple[str, str]]]


def key_label(keys: str) -> str:
    """``"right,l"`` → ``"→ l"``; ``"greater_than_sign"`` → ``">"``; ``"ctrl+r"`` → ``"Ctrl+r"``."""
    return " ".join(_one_key_label(key) for key in keys.split(","))


def _one_key_label(key: str) -> str:
    named = _KEY_NAMES.get(key)
    if named is not None:
        return named
    character = key_to_character(key)
    if character is not None and character.isprintable() and not character.isspace():
        return character
    return key.replace("ctrl+", "Ctrl+")


class HelpScreen(ModalScreen[None]):
    """A scrollable list of keys, grouped by where they work."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 80;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Horizontal {
        height: auto;
    }
    HelpScreen Static {
        width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help"),
    ]

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        """Sections in two columns (at 80×24 the last few rows scroll into view)."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys 按键 · Esc closes"
            with Horizontal():
                for column in split_columns(self.sections):
                    yield Static(section_text(column), markup=False)


def split_columns(sections: list[HelpSection]) -> list[list[HelpSection]]:
    """Two columns of about equal height, sections kept in order and whole."""
    heights = [len(keys) + 2 for _, keys in sections]
    half = sum(heights) / 2
    left: list[HelpSection] = []
    used = 0
    for section, height in zip(sections, heights, strict=True):
        if left and used + height / 2 > half:
            break
        left.append(section)
        used += height
    return [left, sections[len(left) :]]


def section_text(sections: list[HelpSection]) -> Text:
    """Key lines under a bold title per section (plain text, never markup)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for title, keys in sections:
        if text:
            text.append("\n")
        text.append(title + "\n", style="bold")
        for key, description in keys:
            text.append(f"  {key:<12} ", style="bold")
            text.append(description + "\n")
    text.rstrip()
    return text
