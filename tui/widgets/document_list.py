"""The document list: one line per document, drawn with the Line API.

Rows appear as soon as the files are discovered; titles, script tags and lengths fill in
as a background worker reads each file (:meth:`DocumentList.update_infos`). The columns
(and the :class:`ListHeader` naming them) come from :mod:`tui.core.list_columns`; a title
another document shares is drawn after the file name, re-decided as each title arrives.
Titles and file names are untrusted: they are drawn as plain segments after
:func:`~tui.core.text.display_safe`, never parsed as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tui.core.corpus import DocumentInfo, DocumentRef, filter_key, peek_title
from tui.core.linebreak import fit_cells, text_cells
from tui.core.list_columns import (
    WORK_CELLS,
    Column,
    TitleClashes,
    align,
    category_cell,
    doubt_cell,
    header_line,
    list_columns,
    told_apart,
)
from tui.core.relations.choices import ordered_categories
from tui.core.spans import Status
from tui.core.text import display_safe
from tui.core.wording import short_count

#: Cells of the list's scroll bar, always kept: its rows are this much narrower than it.
LIST_SCROLLBAR_CELLS = 1

#: An annotator's span count and status for one document.
Progress = tuple[int, Status]


class ReviewMarks(NamedTuple):
    """What a reviewer sees of a document in the list."""

    #: Annotators who marked it done, and annotators with a layer.
    done: int
    annotators: int
    #: Mean pairwise exact F1 (None: nothing to compare), and disagreements to decide.
    score: float | None
    disagreements: int


#: What the background reader learns of a document: index, info, progress, review marks.
DocumentNews = tuple[int, DocumentInfo, Progress | None, ReviewMarks | None]
#: The progress of a document whose store file cannot be read (corrupt, a FIFO...): ⚑.
UNREADABLE: Progress = (-1, Status.NEW)

#: The status filter of an annotator's own documents in the store's assignment.
MY_QUEUE = "my queue"
#: Status filters (``F`` cycles them): name, and whether a review list offers it ("my
#: queue" only an annotator with an assignment, and first).
STATUS_FILTERS: tuple[tuple[str, bool], ...] = (
    (MY_QUEUE, False),
    ("all", False),
    ("to do", False),
    ("disagreements", True),
    ("done", False),
    ("reviewed", True),
    ("not annotated", True),
)


@dataclass
class ListEntry:
    """One document of the list: where it is and, once read, what it is."""

    ref: DocumentRef
    info: DocumentInfo | None = None
    #: The annotator's span count and status (None: not known yet; UNREADABLE: ⚑).
    work: Progress | None = None
    #: In review: the annotators' progress and agreement (None: not known yet).
    marks: ReviewMarks | None = None
    #: The title read from the file's first few KB, shown until ``info`` comes.
    early_title: str | None = None
    #: The document's categories (shown when the labels file declares categories).
    categories: frozenset[str] = frozenset()
    #: How unsure the trained model is of the document (0–1; None: not worked out).
    doubt: float | None = None
    #: Whether it is in the annotator's queue (the store's assignment).
    queued: bool = False

    def passes(self, status_filter: str, reviewing: bool) -> bool:
        """Whether the entry belongs in the list under ``status_filter``."""
        if status_filter == MY_QUEUE:
            return self.queued
        status = self.work[1] if self.work is not None else Status.NEW
        marks = self.marks
        if status_filter == "to do":  # in review: something to review, nobody's empty work
            unannotated = reviewing and marks is not None and marks.annotators == 0
            return status is not Status.DONE and not unannotated
        if status_filter == "not annotated":
            return marks is not None and marks.annotators == 0
        if status_filter == "done" and reviewing:
            return marks is not None and 0 < marks.done == marks.annotators
        if status_filter in ("done", "reviewed"):
            return status is Status.DONE
        if status_filter == "disagreements":
            return marks is not None and marks.disagreements > 0
        return True

    @property
    def match_key(self) -> str:
        """What the filter matches against: title and id, both in simplified form."""
        title = self.info.title_key if self.info is not None else ""
        return f"{title}\n{self.id_key}"

    @cached_property
    def id_key(self) -> str:
        """The id in filter form, converted once: 10 000 conversions cost ~40 ms a key."""
        return filter_key(self.ref.name)


class ListHeader(Widget):
    """The names of the list's columns, each over its cells (legend: the help screen)."""

    DEFAULT_CSS = """
    ListHeader {
        height: 1;
        color: $text-muted;
        text-style: bold;
    }
    """

    def __init__(
        self, *, reviewing: bool = False, categories: bool = False, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.reviewing = reviewing
        self.categories = categories
        #: Whether the model's doubt column is shown (set with the list's).
        self.doubt = False

    def render(self) -> Text:
        """Laid out by the list's own columns, in the width its rows have."""
        width = self.content_region.width - LIST_SCROLLBAR_CELLS
        columns = list_columns(width, self.reviewing, self.categories, self.doubt)
        return Text(header_line(columns), no_wrap=True)


class DocumentList(ScrollView, can_focus=True):
    """The list of documents with a cursor, filterable as you type."""

    DEFAULT_CSS = """
    DocumentList {
        scrollbar-size-vertical: 1;  /* LIST_SCROLLBAR_CELLS */
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    DocumentList > .document-list--cursor {
        background: $block-cursor-blurred-background;
    }
    DocumentList:focus > .document-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
    }
    DocumentList > .document-list--dim {
        color: $text-muted;
    }
    DocumentList > .document-list--error {
        color: $text-error;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "document-list--cursor",
        "document-list--dim",
        "document-list--error",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor(1)", "Next document", show=False),
        Binding("up,k", "cursor(-1)", "Previous document", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("g,home", "jump(0)", "First document", show=False),
        Binding("G,end", "jump(-1)", "Last document", show=False),
        Binding("enter", "open", "Open"),
    ]

    def __init__(
        self,
        refs: list[DocumentRef],
        *,
        reviewing: bool = False,
        category_order: tuple[str, ...] = (),
        queue: frozenset[str] | None = None,
        id: str | None = None,
    ) -> None:
        """``category_order``: the labels file's categories, in its order (none: the list
        has no categories column); ``queue``: the ids of the annotator's documents in the
        store's assignment (given: the list shows those first, ``F`` offers all)."""
        super().__init__(id=id)
        self.entries = [
            ListEntry(ref, queued=queue is not None and ref.doc_id in queue) for ref in refs
        ]
        #: Whether the annotator has a queue (the "my queue" filter is offered).
        self.has_queue = queue is not None
        self.shown: list[int] = [
            i for i, e in enumerate(self.entries) if e.queued or not self.has_queue
        ]
        self.cursor = 0
        self.filter_text = ""
        #: A review list shows each document's annotators done and agreement.
        self.reviewing = reviewing
        self.status_filter = MY_QUEUE if self.has_queue else "all"
        self.category_order = category_order
        #: Whether the doubt column is shown (a model is trained), and the list is in
        #: doubt order: the documents not done the model is least sure of first.
        self.doubt_column = False
        self.doubt_order = False
        #: The largest doubt in the list: the bars are drawn in shares of it.
        self.most_doubt = 0.0
        #: Titles more than one document has: those rows show their file name first.
        self._clashes = TitleClashes()
        #: Opens the document at an index into the full list (set by the screen). Called
        #: at once, not through a message: keys typed ahead of the open (Enter 1 in one
        #: packet) must reach the opened text, not this list.
        self.on_open: Callable[[int], None] | None = None

    # -- data ------------------------------------------------------------------------------

    def update_infos(self, infos: list[DocumentNews]) -> None:
        """Fill in what the background reader found about some documents."""
        for index, info, work, marks in infos:
            entry = self.entries[index]
            if entry.info is not None:
                self._clashes.discard(entry.info.title)
            entry.info, entry.work, entry.marks = info, work, marks
            self._clashes.add(info.title)
        if self.filter_text or self.status_filter != "all":
            self._apply_filter(keep=self.current_index)
        self.refresh()

    def update_progress(self, index: int, work: Progress) -> None:
        """Show a document's new span count and status (after an edit)."""
        entry = self.entries[index]
        if entry.work != work:
            entry.work = work
            self._refresh_entry(index)

    def update_categories(self, index: int, categories: frozenset[str]) -> None:
        """Show a document's categories (read in the background, or changed with ``C``)."""
        entry = self.entries[index]
        if entry.categories != categories:
            entry.categories = categories
            self._refresh_entry(index)

    def update_marks(self, index: int, marks: ReviewMarks) -> None:
        """Show a document's new review marks (after a decision, or a reload)."""
        entry = self.entries[index]
        if entry.marks != marks:
            entry.marks = marks
            self._refresh_entry(index)

    def update_doubts(self, doubts: dict[int, float]) -> None:
        """Show the model's doubt of some documents (by index); the column appears."""
        for index, doubt in doubts.items():
            self.entries[index].doubt = doubt
        self.most_doubt = max([self.most_doubt, *doubts.values()])
        self.doubt_column = True
        if self.doubt_order:
            self._apply_filter(keep=self.current_index)
        self.refresh()

    def toggle_doubt_order(self) -> bool:
        """Least sure first (the documents not done; done ones last), or the usual order;
        whether the doubt order is on now."""
        self.doubt_order = not self.doubt_order
        # Into the order: the highlight on the least sure; out of it: where it was.
        self._apply_filter(keep=None if self.doubt_order else self.current_index)
        return self.doubt_order

    def _refresh_entry(self, index: int) -> None:
        if index in self.shown:
            self.refresh(self._row_region(self.shown.index(index)))

    def set_filter(self, query: str) -> None:
        """Show only documents whose title or id contains ``query`` (in either script)."""
        self.filter_text = query
        self._apply_filter(keep=self.current_index)

    def next_status_filter(self) -> str:
        """Show the next status filter's documents (all, to do, done...); its name."""
        names = [
            name
            for name, review in STATUS_FILTERS
            if (self.reviewing or not review) and (name != MY_QUEUE or self.has_queue)
        ]
        self.status_filter = names[(names.index(self.status_filter) + 1) % len(names)]
        self._apply_filter(keep=self.current_index)
        return self.status_filter

    def _apply_filter(self, keep: int | None) -> None:
        key = filter_key(self.filter_text.strip())
        status, reviewing = self.status_filter, self.reviewing
        self.shown = [
            i
            for i, e in enumerate(self.entries)
            if (not key or key in e.match_key) and (status == "all" or e.passes(status, reviewing))
        ]
        if self.doubt_order:
            self.shown.sort(key=lambda i: _doubt_rank(self.entries[i]))
        self.cursor = self.shown.index(keep) if keep in self.shown else 0
        self.virtual_size = Size(self.size.width, len(self.shown))
        self._scroll_to_cursor()
        self.refresh()

    @property
    def current_index(self) -> int | None:
        """Index (into all documents) of the highlighted one, if any is shown."""
        return self.shown[self.cursor] if self.shown else None

    def select_index(self, index: int) -> None:
        """Highlight document ``index`` if it is shown."""
        if index in self.shown:
            self._move_to(self.shown.index(index))

    # -- keys ------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        """Move the highlight by ``step`` rows."""
        self._move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        """Move the highlight by one screen."""
        self._move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        """To the first (0) or the last (-1) document."""
        self._move_to(0 if where == 0 else len(self.shown) - 1)

    def action_open(self) -> None:
        """Open the highlighted document."""
        if self.current_index is not None and self.on_open is not None:
            self.on_open(self.current_index)

    def on_click(self, event: events.Click) -> None:
        """A click highlights a document; a double click opens it."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + round(self.scroll_y)
        if row < len(self.shown):
            self._move_to(row)
            if event.chain >= 2:
                self.action_open()

    def _move_to(self, row: int) -> None:
        row = max(0, min(row, len(self.shown) - 1))
        if row == self.cursor:
            return
        old = self.cursor
        self.cursor = row
        self._scroll_to_cursor()
        self.refresh(self._row_region(old), self._row_region(row))

    def _row_region(self, row: int) -> Region:
        return Region(0, row - round(self.scroll_y), self.size.width, 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        height = max(1, self.size.height)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        """Keep the virtual size in step with the pane."""
        self.virtual_size = Size(self.size.width, len(self.shown))
        self._scroll_to_cursor()

    def on_mount(self) -> None:
        """Size the scrollable area once the widget knows its size; the rows that can be
        on screen get their titles now, so the first frame shows them (see
        :func:`~tui.core.corpus.peek_title`: a few KB of each file, not the whole)."""
        self.virtual_size = Size(self.size.width, len(self.shown))
        for entry in self.entries[: self.app.size.height]:
            if entry.info is None:
                entry.early_title = peek_title(entry.ref)

    # -- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        """Draw one row: title, script tag, then the figures of the list's columns."""
        width = self.scrollable_content_region.width
        row = y + round(self.scroll_y)
        if row >= len(self.shown):
            return Strip.blank(width, self.rich_style)
        entry = self.entries[self.shown[row]]
        style = self.rich_style
        if row == self.cursor:
            style = style + self.get_component_rich_style("document-list--cursor")
        columns = list_columns(width, self.reviewing, bool(self.category_order), self.doubt_column)
        segments = self._row_segments(entry, columns, style)
        return Strip(segments).crop_extend(0, width, style)

    def _row_segments(
        self, entry: ListEntry, columns: tuple[Column, ...], style: Style
    ) -> list[Segment]:
        muted = self.get_component_rich_style("document-list--dim")
        dim = style + Style(color=muted.color)  # only the colour: keep the row background
        title_column = columns[0]
        title_segments = self._title_segments(entry, title_column.cells, style, dim)
        used = sum(text_cells(segment.text) for segment in title_segments)
        segments = [Segment(" ", style), *title_segments]
        segments.append(Segment(" " * (title_column.cells - used), style))
        for column in columns[1:]:
            cell = _cell(entry, column, self.category_order, self.most_doubt)
            segments += [Segment(" ", style), Segment(cell, style if column.key == "work" else dim)]
        return segments

    def _title_segments(
        self, entry: ListEntry, cells: int, style: Style, dim: Style
    ) -> list[Segment]:
        """The title fitted to its column's ``cells``.

        A title another listed document shares comes after the file name, which tells the
        two apart; a document not read yet, or unreadable, shows its file name alone.
        """
        info, name = entry.info, display_safe(entry.ref.name)
        if info is None:
            if entry.early_title:  # peeked before the first paint; the full read follows
                return [Segment(fit_cells(display_safe(entry.early_title), cells), style)]
            return [Segment(fit_cells(name, cells), dim)]
        if info.error is not None:
            error = style + Style(color=self.get_component_rich_style("document-list--error").color)
            return [Segment(fit_cells(name, cells), error)]
        title = display_safe(info.title)
        if not title:
            return [Segment(fit_cells(name, cells), style)]
        if self._clashes.shared(info.title):
            shown_name, rest = told_apart(name, title, cells)
            return [Segment(shown_name, dim), Segment(rest, style)]
        return [Segment(fit_cells(title, cells), style)]


def _cell(
    entry: ListEntry, column: Column, category_order: tuple[str, ...] = (), most_doubt: float = 1.0
) -> str:
    """What ``entry`` shows in ``column`` (not the title), aligned in its cells."""
    info, marks = entry.info, entry.marks
    text = ""
    if column.key == "script":
        text = "…" if info is None else "⚠" if info.error is not None else info.script.value
    elif column.key == "work":
        text = _work_cell(entry.work)
    elif column.key == "length" and info is not None:
        text = "error" if info.error is not None else short_count(info.length, column.cells)
    elif column.key == "done" and marks is not None and marks.annotators:
        text = f"{marks.done}/{marks.annotators}"
    elif column.key == "score" and marks is not None and marks.annotators:
        text = "—" if marks.score is None else f"{marks.score:.2f}"
    elif column.key == "doubt" and entry.doubt is not None:
        text = doubt_cell(entry.doubt, most_doubt, column.cells)
    elif column.key == "cats" and entry.categories:
        names = ordered_categories(category_order, entry.categories)
        text = category_cell([display_safe(name) for name in names], column.cells)
    return align(text, column)


def _doubt_rank(entry: ListEntry) -> tuple[bool, float]:
    """Sorting key of the doubt order: not done before done, then the least sure first
    (a document not worked out yet after those that are)."""
    done = entry.work is not None and entry.work[1] is Status.DONE
    return done, -(entry.doubt if entry.doubt is not None else -1.0)


_STATUS_MARKS = {Status.NEW: " ", Status.IN_PROGRESS: "◐", Status.DONE: "✓"}


def _work_cell(work: Progress | None) -> str:
    """`` 12◐``: span count and status mark, WORK_CELLS wide."""
    if work is None:
        return " " * WORK_CELLS
    if work == UNREADABLE:
        return "⚑".rjust(WORK_CELLS)
    count, status = work
    shown = short_count(count, WORK_CELLS - 1) if count else ""
    return f"{shown:>{WORK_CELLS - 1}}{_STATUS_MARKS[status]}"
