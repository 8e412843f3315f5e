"""What the store holds beyond the corpus, told to the user of the reader and review.

A small controller of :class:`~tui.screens.main.MainScreen`: after the first paint it
checks the store against the listed documents (:func:`tui.core.identity.check_store`),
moving annotations stored under old ids and saying what it found; when a document without
annotations is opened, it looks for annotations of the same text under an id whose file is
gone (a moved or renamed file) and takes them, saying so once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Literal, Protocol

from tui.core.corpus import DocumentRef

if TYPE_CHECKING:
    from tui.core.store import Store
    from tui.widgets.document_list import DocumentList

#: How long the store's news stays on screen: it may name several documents.
_NEWS_SECONDS = 12


class StoreHost(Protocol):
    """What the controller needs of its screen."""

    refs: list[DocumentRef]
    read_only: bool

    @property
    def store(self) -> Store:
        """The annotation store."""
        ...

    @property
    def documents(self) -> DocumentList:
        """The document list."""
        ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Literal["information", "warning", "error"] = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast."""
        ...


class StoreNews:
    """Matches the store's documents with the screen's refs and tells the user."""

    def __init__(self, host: StoreHost) -> None:
        self.host = host
        #: Annotated documents whose files are gone: id → sha256 of their text.
        self.gone: dict[str, str | None] = {}

    def check(self) -> None:
        """Check the store against the listed documents (on the UI thread, before any
        document is opened, so nothing is saved under an id while it moves)."""
        from tui.core.identity import check_store

        host = self.host
        found = check_store(host.store, host.refs, write=not host.read_only, every_text=False)
        for index, ref in enumerate(found.refs):
            if ref is not host.refs[index]:
                self._replace(index, ref)
        self.gone = found.gone
        for line in found.lines(host.store):
            host.notify(line, severity="warning", timeout=_NEWS_SECONDS, markup=False)

    def before_open(self, index: int, text: str) -> DocumentRef:
        """The ref to open document ``index`` under: annotations of its text stored under
        a gone id are taken first (moved, or looked up when read-only)."""
        host = self.host
        ref = host.refs[index]
        if not any(self.gone.values()):
            return ref
        from tui.core.annotations import text_sha256
        from tui.core.identity import MIGRATION_LOG, adopt_by_text

        found = adopt_by_text(
            host.store, ref, text_sha256(text), self.gone, write=not host.read_only
        )
        if found is None:
            return ref
        if isinstance(found, str):
            host.notify(found, severity="warning", timeout=_NEWS_SECONDS, markup=False)
            return ref
        from tui.core.text import display_safe

        if found.moved:
            message = (
                f"found this text's annotations under {display_safe(found.old)} (a moved "
                f"file?) and moved them here; logged in {MIGRATION_LOG}"
            )
        else:
            message = (
                f"showing this text's annotations stored under {display_safe(found.old)} "
                "(read-only: left there)"
            )
            self._replace(index, replace(ref, doc_id=found.old))
        host.notify(message, severity="information", timeout=_NEWS_SECONDS, markup=False)
        return host.refs[index]

    def _replace(self, index: int, ref: DocumentRef) -> None:
        self.host.refs[index] = ref
        self.host.documents.entries[index].ref = ref
