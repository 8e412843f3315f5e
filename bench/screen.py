"""Just enough of a terminal screen to tell what a Textual frame changed.

Textual paints with absolute cursor moves (``CSI row ; col H``), ``CR LF``, SGR styles and
text, with auto-wrap off. This grid follows those; other control sequences are ignored.
A cell holds its character and the SGR parameters in force when it was written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

_TOKEN = re.compile(
    r"(?P<csi>\x1b\[(?P<params>[0-9;:?<=>]*)[ -/]*(?P<final>[@-~]))"
    r"|(?P<osc>\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?)"
    r"|(?P<esc>\x1b.?)"
    r"|(?P<cr>\r)|(?P<lf>\n)"
    r"|(?P<text>[^\x1b\r\n]+)",
    re.DOTALL,
)
_Cell = tuple[str, str]
_BLANK: _Cell = (" ", "")
_WIDE = frozenset(("W", "F"))


@cache
def char_cells(char: str) -> int:
    """Cells a character takes: 2 for wide (CJK), 0 for combining marks, else 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in _WIDE else 1


@dataclass(frozen=True, slots=True)
class Change:
    """What applying some output did: cells changed, and those holding wide (CJK) text."""

    cells: int
    text_cells: int


class Screen:
    """A ``columns`` × ``rows`` grid of (character, style) cells."""

    def __init__(self, columns: int, rows: int) -> None:
        self.columns = columns
        self.rows = rows
        self.cells: list[list[_Cell]] = [[_BLANK] * columns for _ in range(rows)]
        self.row = 0
        self.column = 0
        self.style = ""

    def feed(self, data: bytes) -> Change:
        """Apply terminal output; report how many cells it changed."""
        before: dict[int, list[_Cell]] = {}
        for match in _TOKEN.finditer(data.decode("utf-8", errors="replace")):
            kind = match.lastgroup
            if kind == "csi":
                self._control(match["params"], match["final"])
            elif kind == "cr":
                self.column = 0
            elif kind == "lf":
                self.row = min(self.rows - 1, self.row + 1)
            elif kind == "text":
                if self.row not in before:
                    before[self.row] = self.cells[self.row].copy()
                self._text(match["text"])
        cells = text_cells = 0
        for row, old_line in before.items():
            new_line = self.cells[row]
            if new_line == old_line:
                continue
            for old, new in zip(old_line, new_line, strict=True):
                if new != old:
                    cells += 1
                    if _is_wide(old[0]) or _is_wide(new[0]):
                        text_cells += 1
        return Change(cells, text_cells)

    def _control(self, params: str, final: str) -> None:
        if final in "Hf" and not params.startswith("?"):
            parts = [int(part) if part.isdigit() else 1 for part in params.split(";")]
            row, column = [*parts, 1, 1][:2]
            self.row = min(max(row, 1), self.rows) - 1
            self.column = min(max(column, 1), self.columns) - 1
        elif final == "m":
            self.style = "" if params in ("", "0") else f"{self.style};{params}"

    def _text(self, text: str) -> None:
        line = self.cells[self.row]
        column = self.column
        for char in text:
            width = char_cells(char)
            if width == 0 or column + width > self.columns:
                continue
            line[column] = (char, self.style)
            if width == 2:
                line[column + 1] = ("", self.style)
            column += width
        self.column = column

    def line(self, row: int) -> str:
        """The characters of ``row`` (wide characters once, styles dropped)."""
        return "".join(char for char, _ in self.cells[row])

    def contains(self, text: str) -> bool:
        """Whether ``text`` appears within one row."""
        return any(text in self.line(row) for row in range(self.rows))


@cache
def sgr_attributes(style: str) -> frozenset[int]:
    """The attributes (1 bold, 3 italic, 4 underline, …) a cell's SGR parameters leave on.

    Colours (``38;5;n``, ``38;2;r;g;b`` and the like for 48 and 58) are skipped whole, so
    their numbers are never taken for attributes.
    """
    params = [part.split(":")[0] for part in style.split(";") if part]
    on: set[int] = set()
    index = 0
    while index < len(params):
        code = int(params[index]) if params[index].isdigit() else -1
        if code in (38, 48, 58):
            mode = params[index + 1] if index + 1 < len(params) else ""
            index += {"5": 3, "2": 5}.get(mode, 2)
            continue
        if code == 0:
            on.clear()
        elif code == 22:
            on -= {1, 2}
        elif 23 <= code <= 29:
            on.discard(code - 20)
        elif 1 <= code <= 9:
            on.add(code)
        index += 1
    return frozenset(on)


def _is_wide(char: str) -> bool:
    return char == "" or char_cells(char) == 2
