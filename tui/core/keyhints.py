"""The key-hint line at the bottom: each panel's keys, most useful first, fitted to the width.

Every panel's hints live here, as data, in one place: the hint line shows the focused
panel's; the help screen names its sections with the same panel titles; and a test checks
that every key a hint names is bound where the hint is shown, so the two cannot drift.

A line never shows an entry cut: when the terminal is too narrow, whole entries go from the
least useful end of the panel's own keys; the panel's closing keys (``?`` help, ``q`` quit)
go last. In a text box ``q`` and ``?`` are typed, so those panels do not offer them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.linebreak import text_cells

__all__ = [
    "CORPUS_HITS",
    "CORPUS_QUERY",
    "FILTER",
    "LINKING",
    "LINK_KEYS",
    "LIST",
    "READER",
    "RELATIONS",
    "REVIEW",
    "SEARCH",
    "SKIM",
    "SKIM_LAYERS",
    "SPANS",
    "WORD_PANEL",
    "WORD_SCROLL",
    "Hint",
    "Panel",
    "fit_hints",
    "line_cells",
    "with_links",
]

#: A key as the user reads it (``"w b"``: either key) and, in a word or two, what it does.
Hint = tuple[str, str]

#: Closing keys of a panel where no text is typed.
_HELP_AND_QUIT: tuple[Hint, ...] = (("?", "help"), ("q", "quit"))
#: A screen without a help of its own still quits on ``q``.
_QUIT: tuple[Hint, ...] = (("q", "quit"),)
#: Cells before the first entry and between two entries.
_LEAD = 1
_BETWEEN = 2


@dataclass(frozen=True, slots=True)
class Panel:
    """A place keys work in: its title (help's section), its hints most useful first, and
    the hints it always ends with when they fit (none where ``q`` is typed text)."""

    title: str
    hints: tuple[Hint, ...]
    closing: tuple[Hint, ...] = _HELP_AND_QUIT


LIST = Panel(
    "Document list 文档列表",
    (
        ("⏎", "open"),
        ("/", "filter"),
        ("Tab", "text"),
        ("F", "to do/done"),
        ("S", "skim"),
        ("f", "hide list"),
        ("Ctrl+f", "search all"),
    ),
)
READER = Panel(
    "Reader 阅读",
    (
        ("t", "简⇄繁"),
        ("w b", "word"),
        ("1–9", "label"),
        ("v", "select"),
        ("/", "search"),
        ("Esc", "list"),
        ("[ ]", "document"),
        ("p", "spans"),
        ("i", "dictionary"),
    ),
)
WORD_PANEL = Panel(
    "Word panel 词典 (i)",
    (
        ("w b", "word"),
        ("i", "hide"),
        ("t", "简⇄繁"),
        ("1–9", "label"),
        ("v", "select"),
        ("/", "search"),
        ("Esc", "list"),
    ),
)
WORD_SCROLL = Panel(
    "Word panel 词典 (i; I to scroll it)",
    (("j k", "scroll"), ("PgDn PgUp", "page"), ("g G", "top end"), ("Esc I", "back to the text")),
)
SPANS = Panel(
    "Spans panel 标注列表 (p)",
    (
        ("j k", "span"),
        ("⏎", "jump"),
        ("m", "re-place"),
        ("Esc", "text"),
        ("p", "hide"),
    ),
)
REVIEW = Panel(
    "Review 审核",
    (
        ("J K", "disagreement"),
        ("c", "version"),
        ("a", "accept"),
        ("X", "reject"),
        ("A", "agreement"),
        ("1–9", "label"),
        ("Esc", "list"),
    ),
)
FILTER = Panel(
    "Filter 筛选",
    (("⏎", "keep filter"), ("Esc", "clear filter")),
    closing=(),
)
SEARCH = Panel(
    "Search 搜索",
    (("⏎", "keep hits (n N: next)"), ("Esc", "drop search")),
    closing=(),
)
SKIM = Panel(
    "Skim 略读",
    (("⏎", "open there"), ("j k", "sentence"), ("Esc", "back"), ("g G", "first/last")),
    closing=_QUIT,
)
SKIM_LAYERS = Panel(
    SKIM.title,
    (*SKIM.hints[:2], ("L", "layers"), *SKIM.hints[2:]),
    closing=_QUIT,
)
LINKING = Panel(
    "Linking 关系 (L)",
    (("h j k l", "move"), ("'", "letters"), ("⏎", "menu"), ("Esc", "cancel")),
    closing=(),
)
RELATIONS = Panel(
    "Relations panel 关系列表 (P)",
    (
        ("j k", "relation"),
        ("⏎", "jump"),
        ("x", "delete"),
        ("r", "retype"),
        ("Esc", "text"),
        ("P", "hide"),
    ),
)
#: The reader's link keys, offered when the labels file declares relations or chains.
LINK_KEYS: tuple[Hint, ...] = (("L", "link"), ("P", "relations"))
CORPUS_QUERY = Panel(
    "Search all documents 全文搜索",
    (("⏎", "open the first hit"), ("↓", "to the hits"), ("Esc", "back")),
    closing=(),
)
CORPUS_HITS = Panel(
    CORPUS_QUERY.title,
    (("↑ ↓", "hit"), ("⏎", "open there"), ("Esc", "back")),
    closing=_QUIT,
)


#: The hints of the keys a labels file's schema gives meaning to (shown only then).
CATEGORIES_HINT: Hint = ("C", "categories")
ATTRIBUTES_HINT: Hint = ("@", "attributes")
#: Where they stand in a reading panel's hints: after the label keys and the selection.
_LINK_HINTS_AT = 4


def with_links(panel: Panel, categories: bool, attributes: bool) -> Panel:
    """``panel`` with the categories and attributes keys when the schema has either kind
    (without a labels file that declares them, the hint line stays as it was)."""
    extra = [CATEGORIES_HINT] if categories else []
    extra += [ATTRIBUTES_HINT] if attributes else []
    if not extra:
        return panel
    hints = (*panel.hints[:_LINK_HINTS_AT], *extra, *panel.hints[_LINK_HINTS_AT:])
    return Panel(panel.title, hints, panel.closing)


def line_cells(hints: Sequence[Hint]) -> int:
    """Cells the hint line takes: a leading space, ``key what`` per entry, two between."""
    if not hints:
        return 0
    entries = sum(text_cells(key) + 1 + text_cells(what) for key, what in hints)
    return _LEAD + entries + _BETWEEN * (len(hints) - 1)


def fit_hints(panel: Panel, width: int) -> list[Hint]:
    """The entries of ``panel`` shown in ``width`` cells, each whole.

    The panel's own hints go from the end first; its closing hints (help, quit) are kept
    while anything of theirs fits, and go last, also from the end.
    """
    kept = list(panel.hints)
    while kept and line_cells([*kept, *panel.closing]) > width:
        kept.pop()
    shown = [*kept, *panel.closing]
    while shown and line_cells(shown) > width:
        shown.pop()
    return shown
