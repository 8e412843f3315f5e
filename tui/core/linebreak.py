"""Wrapping one paragraph to terminal cells with Chinese line-breaking rules (DESIGN §7).

Rich breaks CJK text between any two characters, so lines may start with ``，`` or end
with ``「``. :func:`wrap` returns the start offsets of the visual lines of a paragraph
instead, following the usual rules: no line starts with closing punctuation, none ends
with opening punctuation, Latin words and numbers stay whole when they fit, and combining
marks stay with the character before them.

Widths agree with :func:`rich.cells.get_character_cell_size` (ambiguous-width characters
such as “”‘’…—· take one cell), except that a tab counts as one cell because the reader
shows it as one space. Offsets are code-point indices into the paragraph.

Speed matters: a background thread wraps whole documents. Each paragraph is translated
once (in C) into a string holding each character's width, cells over a range are counted
with ``str.count``, and a line costs a few such counts plus a look at the characters
around its candidate break, so mostly-CJK text wraps at several million characters per
second.
"""

from __future__ import annotations

from collections.abc import Iterable

import rich.cells

__all__ = [
    "CLOSING",
    "OPENING",
    "cell_of",
    "char_width",
    "fit_cells",
    "fit_cells_from_end",
    "offset_at_cell",
    "text_cells",
    "wrap",
]

#: Characters that must not start a line (closing brackets and quotes, stops, ellipses).
CLOSING = frozenset(
    "，。、；：？！）」』”’》〉】〕〗〙〛｝］…‥·・〜～〞〟"
    ",.;:?!)]}%"
    "．，；：？！）］｝％｠｣､｡･"  # fullwidth and halfwidth forms
    "﹐﹑﹒﹔﹕﹖﹗﹚﹜﹞"  # small form variants
    "‼⁇⁈⁉"
    "⁰¹²³⁴⁵⁶⁷⁸⁹˒"  # superscripts: a chain's mark stays on its span's line (李四¹)
)

#: Characters that must not end a line (opening brackets and quotes).
OPENING = frozenset("（「『“‘《〈【〔〖〘〚｛［〝([{（［｛｟｢﹙﹛﹝")

#: Characters of a Latin word or number that is kept whole ("2020-03-25", "U.S.", URLs).
WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_'/")

_TABLE_SIZE = 0x110000


def _rich_ranges() -> Iterable[tuple[int, int, int]]:
    """Return Rich's (start, end, width) ranges of non-default cell widths."""
    loader = getattr(rich.cells, "load_cell_table", None)
    if loader is not None:  # rich >= 14.1
        ranges: Iterable[tuple[int, int, int]] = loader("auto").widths
        return ranges
    # Older Rich kept the same ranges in a module-level list.
    legacy: Iterable[tuple[int, int, int]] = rich.cells.CELL_WIDTHS  # type: ignore[attr-defined]
    return legacy


def _build_table() -> bytearray:
    """Build the cell width of every code point, indexed by ``ord``."""
    table = bytearray(b"\x01") * _TABLE_SIZE
    for start, end, width in _rich_ranges():
        table[start : end + 1] = bytes((width,)) * (end + 1 - start)
    # Rich hard-codes C0 and C1 controls as zero width, before it looks at its table.
    table[1:32] = bytes(31)
    table[0x7F:0xA0] = bytes(0xA0 - 0x7F)
    table[ord("\t")] = 1  # the reader shows a tab as one space
    return table


_WIDTHS = _build_table()
# The same table as a one-byte-per-char string, for ``str.translate``: translating a text
# gives its "width string" (one of "\0", "\1", "\2" per character) at C speed, and
# ``str.count`` on that string sums cells over any range without a Python loop.
_WIDTH_CHARS = _WIDTHS.decode("latin-1")


def char_width(ch: str) -> int:
    """Return the cells (0, 1 or 2) that the single character ``ch`` takes."""
    return _WIDTHS[ord(ch)]


def text_cells(text: str) -> int:
    """Return the cells that ``text`` takes on one line."""
    return _cells(text.translate(_WIDTH_CHARS), 0, len(text))


def cell_of(text: str, line_start: int, offset: int) -> int:
    """Return the cells from ``line_start`` up to (not including) ``offset``."""
    return text_cells(text[line_start:offset])


def offset_at_cell(text: str, line_start: int, line_end: int, cell: int) -> int:
    """Return the offset of the character on the line covering column ``cell``.

    Used for up/down moves that keep the column. Past the end of the line this is the last
    character with a width (a trailing combining mark is not a place for the cursor);
    an empty line gives ``line_start``.
    """
    col = 0
    last = line_start
    for i in range(line_start, line_end):
        w = _WIDTHS[ord(text[i])]
        if w == 0:
            continue
        if cell < col + w:
            return i
        col += w
        last = i
    return last


def wrap(text: str, width: int) -> list[int]:
    """Return the start offsets of the visual lines of ``text`` wrapped to ``width`` cells.

    ``text`` is one paragraph (no ``"\\n"``). The result starts with 0, is strictly
    increasing and every line is non-empty (``""`` gives ``[0]``). A line is at most
    ``width`` cells unless it holds a single character wider than ``width``.
    """
    if width < 1:
        raise ValueError(f"width must be at least 1, got {width}")
    n = len(text)
    if 2 * n <= width:  # no character takes more than two cells
        return [0]
    widths = text.translate(_WIDTH_CHARS)
    starts = [0]
    s = 0
    while True:
        e = _fit_end(widths, s, width)
        if e >= n:
            return starts
        # e == s: the next character alone is wider than the line, so it overflows.
        e = _skip_marks(widths, s + 1) if e == s else _break_before(text, widths, s, e, width)
        if e >= n:
            return starts
        starts.append(e)
        s = e


def _cells(widths: str, start: int, end: int) -> int:
    """Return the cells of ``[start, end)`` given the width string of the text."""
    return 2 * (end - start) - widths.count("\1", start, end) - 2 * widths.count("\0", start, end)


def _fit_end(widths: str, s: int, width: int) -> int:
    """Return the largest offset ``e >= s`` such that ``[s, e)`` fits in ``width`` cells.

    Zero-width characters right after the last fitting one are included, so a combining
    mark is never separated from its base character here.
    """
    n = len(widths)
    e = s
    room = width
    # Jump ahead room//2 characters at a time: they fit whatever they are, and in CJK text
    # the first jump usually fills the line.
    while room >= 2 and e < n:
        stop = min(n, e + room // 2)
        room -= _cells(widths, e, stop)
        e = stop
    # What is left fits no wide character, but marks and maybe one narrow character.
    e = _skip_marks(widths, e)
    if room == 1 and e < n and widths[e] == "\1":
        e = _skip_marks(widths, e + 1)
    return e


def _skip_marks(widths: str, e: int) -> int:
    """Return the first offset at or after ``e`` that is not a zero-width character."""
    n = len(widths)
    while e < n and widths[e] == "\0":
        e += 1
    return e


def _break_before(text: str, widths: str, s: int, e: int, width: int) -> int:
    """Return where the line starting at ``s`` ends, given that ``text[s:e]`` fits.

    Steps back from ``e`` to the last offset the rules allow; when none is left on the
    line, breaks at ``e`` anyway rather than leave an empty line.
    """
    b = e
    # Offsets above this one are inside a word already found too long to move, so that a
    # long run of word characters is scanned once, not once per step back.
    broken_word_start = len(text) + 1
    while b > s:
        c = text[b]
        p = text[b - 1]
        if c in WORD and p in WORD and b <= broken_word_start:
            ws, cells = _word_bounds(text, widths, s, b, width)
            if ws > s and cells <= width:
                b = ws  # move the whole word to the next line
                continue
            broken_word_start = ws
        if widths[b] != "\0" and c not in CLOSING and p not in OPENING:
            return b
        b -= 1
    return e


def _word_bounds(text: str, widths: str, s: int, b: int, width: int) -> tuple[int, int]:
    """Return the word around offset ``b``: its start (not before ``s``) and its cells.

    The cells include the closing punctuation right after the word, which has to go down
    with it: "14:21:03。" is kept whole only if all of it fits on a line. The end is only
    searched as far as needed to know whether that fits in ``width``. Word characters are
    ASCII, one cell each.
    """
    ws = b - 1
    while ws > s and text[ws - 1] in WORD:
        ws -= 1
    n = len(text)
    we = b + 1
    limit = min(n, ws + width + 1)
    while we < limit and text[we] in WORD:
        we += 1
    cells = we - ws
    while we < n and cells <= width and text[we] in CLOSING:
        cells += ord(widths[we])
        we += 1
    return ws, cells


def fit_cells(text: str, cells: int) -> str:
    """Cut ``text`` to at most ``cells`` terminal cells, ending in … when it was cut."""
    if text_cells(text) <= cells:
        return text
    if cells <= 0:
        return ""
    used = 0
    for index, char in enumerate(text):
        used += char_width(char)
        if used > cells - 1:  # keep one cell for the ellipsis
            return text[:index] + "…"
    return text


def fit_cells_from_end(text: str, cells: int) -> str:
    """Cut ``text`` to at most ``cells`` terminal cells from the start, keeping its end
    behind a …: file names differ at their end (``…news-0001.txt``)."""
    if text_cells(text) <= cells:
        return text
    if cells <= 0:
        return ""
    used = 0
    for index in range(len(text) - 1, -1, -1):
        used += char_width(text[index])
        if used > cells - 1:  # keep one cell for the ellipsis
            return "…" + text[index + 1 :]
    return text
