"""An annotator's editing session on one document: every change saved before it counts.

:class:`~tui.core.annotations.Annotations` decides what an edit does; this class makes it
durable through the store. A change that fails to save (disk full, read-only folder)
stays pending and is shown as unsaved; the next change retries it first, so nothing is
silently lost and nothing is reported saved before it is. A document whose store file is
corrupt is opened read-only: edits are refused and the file is never touched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from tui.core.annotations import Annotations, Change, reanchor, text_sha256
from tui.core.spans import Origin, Span, Status
from tui.core.store import Store, StoreError


class StoreLike(Protocol):
    """What a session needs of :class:`tui.core.store.DocumentStore` (which raises
    :class:`~tui.core.store.StoreError` when it cannot write)."""

    def put_spans(self, spans: tuple[Span, ...]) -> None: ...

    def delete_span(self, span_id: str) -> None: ...

    def set_status(self, status: Status) -> None: ...

    def set_cursor(self, cursor: int) -> None: ...

    def set_decided(self, extents: Iterable[tuple[int, int]]) -> None: ...

    def set_rejected(self, keys: Iterable[SpanKey]) -> None: ...


#: A span as (start, end, label).
SpanKey = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class _Rejection:
    """An undoable step that is not a span edit: suggestions rejected."""

    keys: frozenset[SpanKey]


@dataclass(frozen=True, slots=True)
class _SpanEdit:
    """An undoable span edit (the annotations keep what it did), and the disagreement it
    decided, if any: undoing it undecides that, redoing decides it again."""

    decides: tuple[int, int] | None = None


class Session:
    """Edits of one (document, annotator), each persisted before it is reported saved."""

    def __init__(
        self,
        annotations: Annotations,
        store: StoreLike | None,
        *,
        status: Status = Status.NEW,
        read_only: str | None = None,
        cursor: int = 0,
        decided: Iterable[tuple[int, int]] = (),
        rejected: Iterable[SpanKey] = (),
    ) -> None:
        """``read_only`` is the reason edits are refused (None: editable); ``cursor`` is
        the reading position already in the store."""
        self.annotations = annotations
        self.status = status
        #: In review: the disagreements decided, by extent (kept in the gold file).
        self.decided: set[tuple[int, int]] = set(decided)
        #: Suggestions rejected in this document: never suggested again.
        self.rejected: set[SpanKey] = set(rejected)
        #: Undoable steps, oldest first, and the undone ones: span edits (done by the
        #: annotations' own history) and rejections, in the order they were made.
        self._history: list[_Rejection | _SpanEdit] = []
        self._future: list[_Rejection | _SpanEdit] = []
        self._saved_cursor = cursor
        self.read_only = read_only if store is not None else read_only or "no store"
        #: The last save error, None when everything is saved.
        self.error: str | None = None
        #: Bumped on every change of the spans, for views to drop cached drawings.
        self.version = 0
        self._store = store
        self._pending: list[Change] = []

    @property
    def saved(self) -> bool:
        """Whether every change so far is durable."""
        return not self._pending

    # -- edits -----------------------------------------------------------------------------

    def add(
        self, start: int, end: int, label: str, origin: Origin = Origin.MANUAL
    ) -> Change | None:
        """Label ``[start, end)``; None when refused (duplicate, empty, read-only)."""
        if self._refused():
            return None
        return self._started(self._commit(self.annotations.add(start, end, label, origin=origin)))

    def delete_at(self, offset: int) -> Change | None:
        """Delete the innermost span covering ``offset``."""
        span = self.annotations.innermost_at(offset)
        if span is None or self._refused():
            return None
        return self._commit(self.annotations.delete(span.id))

    def relabel_at(self, offset: int, label: str) -> Change | None:
        """Give the innermost span covering ``offset`` another label."""
        span = self.annotations.innermost_at(offset)
        if span is None or self._refused():
            return None
        return self._commit(self.annotations.relabel(span.id, label))

    def set_note(self, span_id: str, note: str) -> Change | None:
        """Attach a free-text note to a span."""
        if self._refused():
            return None
        return self._commit(self.annotations.set_note(span_id, note))

    def move(self, span_id: str, start: int, end: int) -> Change | None:
        """Put a span (a flagged one, typically) on ``[start, end)``: one edit, one undo."""
        if self._refused():
            return None
        return self._commit(self.annotations.move(span_id, start, end))

    def replace_within(
        self, start: int, end: int, keys: Iterable[tuple[int, int, str]], description: str
    ) -> Change | None:
        """Make the spans inside ``[start, end)`` exactly ``keys``: one edit, one undo."""
        if self._refused():
            return None
        return self._started(
            self._commit(self.annotations.replace_within(start, end, keys, description))
        )

    def decide(
        self, start: int, end: int, keys: Iterable[tuple[int, int, str]], description: str
    ) -> Change | None:
        """Settle the disagreement ``[start, end)`` as ``keys`` and mark it decided.

        One undo step takes back both the spans and the mark (review's ``a`` and ``X``).
        """
        already = (start, end) in self.decided
        change = self.replace_within(start, end, keys, description)
        if change is not None and not already:
            self._history[-1] = _SpanEdit(decides=(start, end))
        self.mark_decided(start, end)
        return change

    def accept_suggestions(self, keys: Iterable[SpanKey], description: str) -> Change | None:
        """Make suggested spans real (origin ``suggestion``): one edit, one undo."""
        if self._refused():
            return None
        change = self.annotations.add_all(keys, description, origin=Origin.SUGGESTION)
        return self._started(self._commit(change))

    def reject(self, keys: Iterable[SpanKey]) -> bool:
        """Never suggest ``keys`` again in this document (undoable); False if unsaved."""
        new = frozenset(keys) - self.rejected
        if self._refused() or not new:
            return False
        saved = self._write_rejected(self.rejected | new)
        if saved:
            self._history.append(_Rejection(new))
            self._future.clear()
        return saved

    def _write_rejected(self, rejected: set[SpanKey]) -> bool:
        saved = self._write(lambda store: store.set_rejected(rejected))
        if saved:
            self.rejected = rejected
        return saved

    def _started(self, change: Change | None) -> Change | None:
        """A first span moves a new document to "in progress"."""
        if change is not None and self.status is Status.NEW:
            self.set_status(Status.IN_PROGRESS)
        return change

    def undo(self) -> Change | None:
        """Undo the last edit (saved like any edit); a decision undone is undecided, a
        rejection undone lets the suggestion come back."""
        if self._refused() or not self._history:
            return None
        step = self._history[-1]
        if isinstance(step, _Rejection):
            if not self._write_rejected(self.rejected - step.keys):
                return None
            self._future.append(self._history.pop())
            return Change((), (), f"undo rejecting {len(step.keys)} suggestions")
        change = self._commit(self.annotations.undo(), new=False)
        if change is not None:
            self._future.append(self._history.pop())
            if step.decides is not None:
                self._write_decided(self.decided - {step.decides})
        return change

    def redo(self) -> Change | None:
        """Redo the last undone edit; a decision redone is decided again."""
        if self._refused() or not self._future:
            return None
        step = self._future[-1]
        if isinstance(step, _Rejection):
            if not self._write_rejected(self.rejected | step.keys):
                return None
            self._history.append(self._future.pop())
            return Change((), (), f"redo rejecting {len(step.keys)} suggestions")
        change = self._commit(self.annotations.redo(), new=False)
        if change is not None:
            self._history.append(self._future.pop())
            if step.decides is not None:
                self._write_decided(self.decided | {step.decides})
        return change

    def _refused(self) -> bool:
        if self.read_only is not None:
            self.error = f"read-only: {self.read_only}"
            return True
        return False

    # -- saving ----------------------------------------------------------------------------

    def _commit(self, change: Change | None, *, new: bool = True) -> Change | None:
        if change is None:
            return None
        if new:  # the edits undone before this one can no longer be redone
            self._history.append(_SpanEdit())
            self._future.clear()
        self.version += 1
        self._pending.append(change)
        self.retry()
        return change

    def queue(self, change: Change) -> None:
        """Count ``change`` (already in the annotations) as made but not saved yet.

        The next write (:meth:`retry`, or any edit) saves it first, so edits made
        meanwhile are saved after it, in order.
        """
        self.version += 1
        self._pending.append(change)

    def retry(self) -> bool:
        """Write every pending change, oldest first; stop at the first failure."""
        store = self._store
        while self._pending and store is not None:
            change = self._pending[0]
            try:
                if change.put:
                    store.put_spans(change.put)
                for span_id in change.deleted:
                    store.delete_span(span_id)
            except StoreError as failure:
                self.error = str(failure)
                return False
            self._pending.pop(0)
        self.error = None
        return True

    def set_status(self, status: Status) -> bool:
        """Record the annotator's status for the document (new, in progress, done)."""
        saved = self._write(lambda store: store.set_status(status))
        if saved:
            self.status = status
        return saved

    def save_cursor(self, cursor: int) -> bool:
        """Remember where the annotator was, so reopening returns there.

        Nothing is written when the cursor has not moved: looking through documents
        must not leave a store file behind for each.
        """
        if cursor == self._saved_cursor:
            return True
        saved = self._write(lambda store: store.set_cursor(cursor))
        if saved:
            self._saved_cursor = cursor
        return saved

    def mark_decided(self, start: int, end: int) -> bool:
        """Note that the reviewer decided the disagreement ``[start, end)``; False if unsaved."""
        if (start, end) in self.decided:
            return True
        return self._write_decided(self.decided | {(start, end)})

    def _write_decided(self, decided: set[tuple[int, int]]) -> bool:
        saved = self._write(lambda store: store.set_decided(decided))
        if saved:
            self.decided = decided
        return saved

    def _write(self, write: Callable[[StoreLike], None]) -> bool:
        """One store write outside the span history; False (and the reason) on failure."""
        if self._store is None or self.read_only is not None:
            return False
        try:
            write(self._store)
        except StoreError as failure:
            self.error = str(failure)
            return False
        return True


@dataclass(frozen=True, slots=True)
class Opened:
    """A document opened for annotation: the session, where to put the cursor, and news.

    ``flagged`` lists spans that could not be re-anchored after the document changed (kept,
    never dropped); ``problem`` is a one-line message to show (corrupt file, failed save).
    """

    session: Session
    cursor: int
    flagged: tuple[Span, ...]
    problem: str | None


def open_session(
    store: Store,
    doc_id: str,
    annotator: str,
    text: str,
    *,
    layer: str | None = None,
    read_only: str | None = None,
) -> Opened:
    """Load an annotator's spans of ``doc_id``, re-anchored to ``text`` if it changed.

    ``layer`` names the store file when it is not the annotator's own (a reviewer edits
    the gold layer; new spans are still attributed to them). Opening writes nothing
    unless spans had to move, and never with ``read_only`` (the reason edits are refused).
    A corrupt store file gives a read-only session over no spans, and the file is left
    untouched.
    """
    document = store.document(doc_id, layer or annotator)
    try:
        state = document.load()
    except StoreError as error:
        annotations = Annotations(text, doc_id, None, annotator)
        session = Session(annotations, document, read_only=str(error))
        return Opened(session, 0, (), f"{error}; this document is read-only for now")
    # Hash only when there are spans to check against the text: a new document's hash
    # waits for its first span.
    sha = text_sha256(text) if state.spans else None
    spans, flagged = reanchor(state.spans, text, sha) if sha is not None else ([], [])
    problem = None
    if any(span.doc_sha256 != sha for span in state.spans):
        if read_only is None:
            try:
                document.put_spans(spans)
            except StoreError as error:
                problem = str(error)
        if flagged:
            problem = problem or f"{len(flagged)} spans could not be placed in the changed text"
    annotations = Annotations(text, doc_id, sha, annotator, spans)
    session = Session(
        annotations,
        document,
        status=state.status,
        cursor=state.cursor,
        read_only=read_only,
        decided=state.decided,
        rejected=state.rejected,
    )
    cursor = min(state.cursor, max(0, len(text) - 1))
    return Opened(session, cursor, tuple(flagged), problem)
