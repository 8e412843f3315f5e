"""The document list's columns: what each row shows where, the header naming them, and
the file name that tells apart documents sharing a title.

A row is a one-cell margin, then the columns one cell apart; the title column takes
whatever the others leave, so it grows with the list. The header is laid out by the same
columns, so every heading stands over its cells. Nothing here is cut that is a number:
figures are made to fit their column beforehand (:func:`~tui.core.wording.short_count`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.linebreak import fit_cells, fit_cells_from_end, text_cells

__all__ = [
    "NARROW_LIST",
    "SEPARATOR",
    "WORK_CELLS",
    "Column",
    "TitleClashes",
    "align",
    "category_cell",
    "column_legend",
    "doubt_cell",
    "header_line",
    "list_columns",
    "told_apart",
]

#: Below this many cells the list drops the figures (length, done, F1): the title matters more.
NARROW_LIST = 28
#: Between the file name and the title of a row whose title another document shares.
SEPARATOR = " · "
#: Cells of a span count (``1.2K`` at most) and its status mark (◐ ✓).
WORK_CELLS = 5


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the list: what it shows (``key``), its heading, cells and alignment."""

    key: str
    heading: str
    cells: int
    right: bool = False


_SCRIPT = Column("script", "体", 2)
_LENGTH = Column("length", "length", 6, right=True)
_SPANS = Column("work", "spans", WORK_CELLS, right=True)
_GOLD = Column("work", "gold", WORK_CELLS, right=True)
#: Annotators done of annotators (``2/3``, ``10/12``) and their agreement (``0.67``).
_DONE = Column("done", "done", 5, right=True)
_SCORE = Column("score", "F1", 4, right=True)
#: The document's categories, by the first character of each (``体正``: 体育, 正面).
_CATEGORIES = Column("cats", "cats", 4)
#: How unsure the trained model is of the document, as a small bar (``▇▃``).
_DOUBT = Column("doubt", "疑", 2)
#: Eighths of a cell, for the doubt bar.
_EIGHTHS = " ▁▂▃▄▅▆▇█"


def list_columns(
    width: int, reviewing: bool, categories: bool = False, doubt: bool = False
) -> tuple[Column, ...]:
    """The columns of a list ``width`` cells wide: the title first, taking the rest.

    The reader's list shows title, script, the annotator's spans and the length; a review
    list shows the gold layer's spans, the annotators done and their agreement instead.
    With ``categories`` (the labels file declares some) the reader's list shows the
    document's categories too; with ``doubt`` (a model is trained) the model's doubt.
    """
    others: tuple[Column, ...] = (_SCRIPT, _GOLD if reviewing else _SPANS)
    if doubt and not reviewing:
        others += (_DOUBT,)  # before the figures: what the doubt order sorts by
    if width >= NARROW_LIST:
        others += (_DONE, _SCORE) if reviewing else (_LENGTH,)
        if categories and not reviewing:
            others += (_CATEGORIES,)
    used = 1 + sum(column.cells + 1 for column in others)  # the margin, a gap before each
    return (Column("title", "title", max(1, width - used)), *others)


def align(text: str, column: Column) -> str:
    """``text`` padded to the column's cells on the side its alignment says; never cut."""
    padding = " " * max(0, column.cells - text_cells(text))
    return padding + text if column.right else text + padding


def header_line(columns: tuple[Column, ...]) -> str:
    """The header: each column's heading over its cells, in the list's width."""
    return " " + " ".join(align(column.heading, column) for column in columns)


def doubt_cell(doubt: float, most: float, cells: int) -> str:
    """``doubt`` as a bar rising left to right over ``cells`` cells, in eighths of the
    ``most`` doubt in the list (a model sure of every document still ranks them): a
    glance down the column finds the documents the model is least sure of. Any doubt at
    all shows at least an eighth."""
    share = min(max(doubt / most, 0.0), 1.0) if most > 0 else 0.0
    eighths = max(round(share * cells * 8), 1 if doubt > 0 else 0)
    return "".join(_EIGHTHS[min(8, max(0, eighths - 8 * cell))] for cell in range(cells))


def category_cell(names: Sequence[str], cells: int) -> str:
    """The first character of each category name, in order, in ``cells`` cells (``…``
    when they do not all fit)."""
    return fit_cells("".join(name[:1] for name in names), cells)


def column_legend(
    reviewing: bool, categories: bool = False, doubt: bool = False
) -> list[tuple[str, str]]:
    """What each heading (and a row's file name) means, for the help screen."""
    work = (
        ("gold", "gold spans; ✓ reviewed (D), ⚑ gold file unreadable")
        if reviewing
        else ("spans", "your spans; ◐ in progress, ✓ done (D), ⚑ store file unreadable")
    )
    figures = (
        [
            ("done", "annotators who marked it done / annotators with spans"),
            ("F1", "agreement: mean pairwise exact F1 (— nothing to compare)"),
        ]
        if reviewing
        else [("length", "characters (7.7M once the number does not fit)")]
    )
    return [
        ("title", "the first non-empty line (the file name while it is read)"),
        (f"name{SEPARATOR}title", "the file name first: another has the same title"),
        ("体", "script: 简 simplified, 繁 traditional, 混 mixed, ⚠ unreadable"),
        work,
        *figures,
        *([("cats", "your categories (C): the first character of each")] if categories else []),
        *([("疑", "how unsure the model is of it (U: least sure first)")] if doubt else []),
    ]


class TitleClashes:
    """Which titles more than one listed document has, kept up as titles are read.

    Titles arrive from a background reader in batches; counting them as they come keeps
    each batch's cost to its own size, not the list's.
    """

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()

    def add(self, title: str) -> None:
        """A document's title is known."""
        self._counts[title] += 1

    def discard(self, title: str) -> None:
        """A document's title is no longer this one (it was read again)."""
        count = self._counts.get(title, 0)
        if count > 1:
            self._counts[title] = count - 1
        else:
            self._counts.pop(title, None)

    def shared(self, title: str) -> bool:
        """Whether another document has this exact title too."""
        return self._counts.get(title, 0) > 1


def told_apart(name: str, title: str, cells: int) -> tuple[str, str]:
    """The file name and what of ``SEPARATOR + title`` fits after it, in ``cells`` cells.

    The name comes first, as it is what tells the row from its namesake; a name too long
    keeps its end, where names of a series differ (``…ews-0001.txt``). The title follows
    only when at least two of its cells fit.
    """
    shown_name = fit_cells_from_end(name, cells)
    room = cells - text_cells(shown_name) - text_cells(SEPARATOR)
    if room < 2:
        return shown_name, ""
    return shown_name, SEPARATOR + fit_cells(title, room)
