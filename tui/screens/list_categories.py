"""Reading every listed document's categories in the background, for the list's column.

Only when the labels file declares categories (else the list has no such column). The
categories live in each store file's state record; a file holding no links is not parsed,
and no file's spans are built. A file that cannot be read shows no categories (the spans
column marks it ⚑).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Protocol

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.corpus import DocumentRef
    from tui.core.store import Store
    from tui.widgets.document_list import DocumentList

__all__ = ["ListHost", "read_categories"]


class ListHost(Protocol):
    """What the reader needs of its screen (the main screen)."""

    refs: list[DocumentRef]
    annotator: str

    @property
    def app(self) -> App[Any]:
        """The app (to reach the UI thread)."""
        ...

    @property
    def store(self) -> Store:
        """The annotation store."""
        ...

    @property
    def documents(self) -> DocumentList:
        """The document list."""
        ...


#: Categories found are shown in batches at most this far apart.
_BATCH_SECONDS = 0.1


def read_categories(screen: ListHost) -> None:
    """In a worker thread: read each listed document's categories and show them."""
    from tui.core.store import StoreError

    worker = get_current_worker()
    batch: list[tuple[int, frozenset[str]]] = []
    sent = time.monotonic()
    for index, ref in enumerate(screen.refs):
        if worker.is_cancelled:
            return
        try:
            categories = screen.store.document(ref.doc_id, screen.annotator).categories()
        except StoreError:
            continue
        if categories:
            batch.append((index, categories))
        if batch and time.monotonic() - sent > _BATCH_SECONDS:
            screen.app.call_from_thread(_show, screen, batch)
            batch, sent = [], time.monotonic()
    if batch:
        screen.app.call_from_thread(_show, screen, batch)


def _show(screen: ListHost, batch: list[tuple[int, frozenset[str]]]) -> None:
    """On the UI thread: put the categories in the list."""
    for index, categories in batch:
        screen.documents.update_categories(index, categories)
