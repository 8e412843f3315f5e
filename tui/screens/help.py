"""The help screen: every key of the screen it was opened from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.keys import key_to_character
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.labels import Label
from tui.core.text import display_safe

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
    "at": "@",
}

HelpSection = tuple[str, list[tuple[str, str]]]


def label_section(labels: Sequence[Label]) -> HelpSection:
    """The labels on keys 1–9: each key, the label's name and its description (from the
    labels file: plain text, control characters made visible)."""
    return (
        "Labels 标签",
        [
            (label.key, display_safe(f"{label.name}  {label.description}".rstrip()))
            for label in labels
        ],
    )


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
    """Every key, grouped by where it works, laid out for the terminal's width.

    As wide and as tall as the terminal; descriptions wrap under themselves instead of
    being cut, and the sections stand in two columns when both fit whole (PgDn, End and
    the arrows scroll).
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-align: center;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Static {
        width: 100%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark", "dismiss", "Close help"),
    ]

    #: Cells the border, padding and scroll bar take from the terminal's width.
    FRAME_CELLS = 6

    def __init__(self, sections: list[HelpSection]) -> None:
        super().__init__()
        self.sections = sections
        self._laid_out_for = -1

    def compose(self) -> ComposeResult:
        """One block of text, laid out again whenever the terminal's width changes."""
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys 按键 · Esc closes · q quits"
            yield Static(markup=False)

    def on_mount(self) -> None:
        """Lay the keys out for the width the screen has."""
        self._lay_out(self.app.size.width)

    def on_resize(self, event: events.Resize) -> None:
        """A new width: the columns and wrapping follow."""
        self._lay_out(event.size.width)

    def _lay_out(self, width: int) -> None:
        if width == self._laid_out_for:
            return
        self._laid_out_for = width
        self.query_one(Static).update(help_text(self.sections, width - self.FRAME_CELLS))


#: Cells of a key column: two spaces, the keys, one space.
_KEY_CELLS = 15
#: Cells between the two columns.
_GUTTER = 2
#: Two columns only when each leaves descriptions at least this many cells.
_MIN_DESCRIPTION_CELLS = 20


def help_text(sections: list[HelpSection], width: int) -> Text:
    """The sections laid out in ``width`` cells: two columns when half the width leaves
    descriptions room enough, else one; a description too long for its column wraps
    under itself."""
    width = max(width, _KEY_CELLS + 8)
    half = (width - _GUTTER) // 2
    columns = split_columns(sections)
    if half - _KEY_CELLS >= _MIN_DESCRIPTION_CELLS:
        left, right = (section_lines(column, half) for column in columns)
        lines = [_beside(a, b, half) for a, b in _side_by_side(left, right)]
    else:
        lines = section_lines(sections, width)
    text = Text("\n").join(lines)
    text.no_wrap = True  # laid out here, to the cell: the widget must not wrap it again
    return text


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


def section_lines(sections: list[HelpSection], width: int) -> list[Text]:
    """Each section's bold title, then a line per key (plain text, never markup), the
    description wrapped to ``width`` cells under itself; a blank line between sections."""
    lines: list[Text] = []
    room = max(1, width - _KEY_CELLS)
    for title, keys in sections:
        if lines:
            lines.append(Text(""))
        lines.append(Text(title, style="bold"))
        for key, description in keys:
            pieces = _wrapped(description, room)
            padding = " " * max(0, _KEY_CELLS - 3 - cell_len(key))  # by cells: 体 takes two
            first = Text(f"  {key}{padding} ", style="bold")
            if cell_len(first.plain) > _KEY_CELLS:  # a long key gets a line of its own
                lines.append(first)
                first = Text(" " * _KEY_CELLS)
            lines.append(first + Text(pieces[0]))
            lines += [Text(" " * _KEY_CELLS + piece) for piece in pieces[1:]]
    return lines


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at spaces where there are any."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while cell_len(word) > width:  # a word longer than the line: cut it by cells
            cut = _fitting(word, width)
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    lines.append(line)
    return lines


def _fitting(word: str, width: int) -> int:
    """How many leading characters of ``word`` fit in ``width`` cells (at least one)."""
    used = 0
    for index, char in enumerate(word):
        used += cell_len(char)
        if used > width:
            return max(1, index)
    return len(word)


def _side_by_side(left: list[Text], right: list[Text]) -> list[tuple[Text, Text]]:
    """The two columns' lines side by side, the shorter one padded with blank lines."""
    height = max(len(left), len(right))
    blank = Text("")
    return [
        (left[i] if i < len(left) else blank, right[i] if i < len(right) else blank)
        for i in range(height)
    ]


def _beside(left: Text, right: Text, half: int) -> Text:
    line = left.copy()
    line.pad_right(half - cell_len(left.plain) + _GUTTER)
    return line + right
