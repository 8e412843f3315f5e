"""The document list with its header line, its column header and the filter box."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui.core.corpus import DocumentRef
from tui.core.spans import Status
from tui.core.text import display_safe
from tui.widgets.document_list import MY_QUEUE, DocumentList, ListHeader

__all__ = ["DocumentPanel", "progress_bar"]


def progress_bar(done: int, total: int, cells: int) -> str:
    """``▰▰▰▱▱▱``: ``done`` of ``total`` in ``cells`` cells (full only when all are done)."""
    if total <= 0:
        return "▱" * cells
    filled = done * cells // total
    return "▰" * filled + "▱" * (cells - filled)


class DocumentPanel(Vertical):
    """The list with its header and the filter box."""

    DEFAULT_CSS = """
    DocumentPanel {
        width: 40%;  /* the titles grow with the terminal: 36 cells at 80 columns, 48 at 120 */
        min-width: 36;
        max-width: 50%;
        border-right: vkey $panel-lighten-2;
    }
    DocumentPanel.-hidden {
        display: none;
    }
    DocumentPanel > #list-header {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    DocumentPanel > Input {
        display: none;
    }
    DocumentPanel > Input.-active, DocumentPanel > Input.-active:focus {
        display: block;
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(
        self,
        refs: list[DocumentRef],
        *,
        reviewing: bool = False,
        category_order: tuple[str, ...] = (),
        queue: frozenset[str] | None = None,
    ) -> None:
        """``queue``: the annotator's documents in the store's assignment, if any."""
        super().__init__(id="documents")
        self.refs = refs
        self.reviewing = reviewing
        self.queue = queue
        #: The labels file's categories: the list shows a document's (none: no column).
        self.category_order = category_order

    def compose(self) -> ComposeResult:
        """Header and list; the filter box is mounted on first use (it costs start-up)."""
        yield Static(id="list-header", markup=False)
        categories = bool(self.category_order)
        yield ListHeader(reviewing=self.reviewing, categories=categories, id="list-columns")
        yield DocumentList(
            self.refs,
            reviewing=self.reviewing,
            category_order=self.category_order,
            queue=self.queue,
            id="document-list",
        )

    def on_mount(self) -> None:
        """Show the document count."""
        self.update_header()

    @property
    def documents(self) -> DocumentList:
        """The list widget."""
        return self.query_one(DocumentList)

    def update_header(self) -> None:
        """Progress (done, or reviewed, of all, or of the annotator's queue) as a bar;
        matches while filtering."""
        documents = self.documents
        queue = documents.status_filter == MY_QUEUE
        entries = [e for e in documents.entries if e.queued] if queue else documents.entries
        total = len(entries)
        done = sum(1 for e in entries if e.work is not None and e.work[1] is Status.DONE)
        what = "reviewed" if documents.reviewing else "done"
        which = "队列" if queue else "文档"  # the queue: the annotator's assigned documents
        label = f"{which} {total:,} · {what} {done:,} {progress_bar(done, total, 8)}"
        filters = [
            f for f in (documents.filter_text, documents.status_filter) if f not in ("", "all")
        ]
        if queue:
            filters.remove(MY_QUEUE)  # the header's 队列 says it
        if filters:
            label = f"{which} {len(documents.shown):,}/{total:,} · " + " · ".join(filters)
        if documents.doubt_order:
            label += " · 疑↓"  # sorted by the doubt column, least sure first
        self.query_one("#list-header", Static).update(Text(display_safe(label), no_wrap=True))

    async def action_filter(self) -> None:
        """Open the filter box and type into it."""
        boxes = self.query(Input)
        if boxes:
            box = boxes.first()
        else:
            box = Input(placeholder="filter titles (简/繁)", id="filter")
            await self.mount(box, before=self.query_one(ListHeader))
        box.add_class("-active")
        box.focus()

    def action_clear_filter(self) -> None:
        """Drop the filter and go back to the whole list."""
        for box in self.query(Input):
            box.value = ""
            box.remove_class("-active")
        self.documents.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.documents.set_filter(event.value)
        self.update_header()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.documents.focus()
