"""An annotator's editing session on one document: every change saved before it counts.

:class:`~tui.core.annotations.Annotations` decides what an edit does; this class makes it
durable through the store. A change that fails to save (disk full, read-only folder)
stays pending and is shown as unsaved; the next change retries it first, so nothing is
silently lost and nothing is reported saved before it is. Each change (an edit, undo or
redo with the decision and status it carries) is one store write, so a kill leaves it whole
on disk or absent, never half done. A document whose store file is
corrupt is opened read-only: edits are refused and the file is never touched.

The undo history (:mod:`tui.core.history`) lasts: it is saved beside the store file after
every edit, undo and redo, and read back when the document is opened again, in this
session or a later one. A history that cannot be read is ignored (with a message, never
in the way of the spans), and a step the spans no longer match is refused.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from tui.core.annotations import Annotations, Change, excerpt, reanchor, text_sha256
from tui.core.history import (
    History,
    HistoryError,
    LinkStates,
    LinkStep,
    RejectStep,
    SpanKey,
    SpanStep,
)
from tui.core.linebreak import fit_cells
from tui.core.relations.links import LinkSet
from tui.core.relations.model import LinkEdit, Links
from tui.core.spans import Origin, Span, Status
from tui.core.store import DocumentState, DocumentStore, Store, StoreError
from tui.core.store_check import DecisionBasis
from tui.core.wording import counted

#: The most cells a failed save's reason takes in the status line: at 80 columns the
#: position and the word under the cursor still fit beside it.
_REASON_CELLS = 24

#: Changes kept for :meth:`Session.changes_since`.
_CHANGES_KEPT = 64


class StoreLike(Protocol):
    """What a session needs of :class:`tui.core.store.DocumentStore` (which raises
    :class:`~tui.core.store.StoreError` when it cannot write)."""

    def apply(
        self,
        put: Sequence[Span],
        deleted: Iterable[str] = (),
        *,
        starts: bool = False,
        decided: Iterable[tuple[int, int]] | None = None,
        rejected: Iterable[SpanKey] | None = None,
        decided_on: DecisionBasis | None = None,
        links: LinkEdit | None = None,
    ) -> None: ...

    def set_status(self, status: Status) -> None: ...

    def set_cursor(self, cursor: int) -> None: ...

    def save_history(self, data: bytes) -> None: ...

    def load(self) -> DocumentState: ...


@dataclass(frozen=True, slots=True)
class _Write:
    """One user-visible change as the store receives it: applied whole, in one store write,
    so a kill leaves all of it on disk or none of it (spans, decision and status together)."""

    put: tuple[Span, ...] = ()
    deleted: tuple[str, ...] = ()
    #: A first span moves a new document to "in progress".
    starts: bool = False
    #: The decided extents after the change; None when the change decides nothing.
    decided: frozenset[tuple[int, int]] | None = None
    #: What each decided extent was decided on, when ``decided`` is given.
    decided_on: DecisionBasis | None = None
    #: Relations, chains, attributes and categories the change makes.
    links: LinkEdit | None = None


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
        decided_on: DecisionBasis | None = None,
        links: Links | None = None,
    ) -> None:
        """``read_only`` is the reason edits are refused (None: editable); ``cursor`` is
        the reading position already in the store; ``links`` the relations, chains,
        categories and attributes saved with the spans."""
        self.annotations = annotations
        self.status = status
        #: In review: the disagreements decided, by extent (kept in the gold file).
        self.decided: set[tuple[int, int]] = set(decided)
        #: What each decided disagreement was decided on (decisions made before biaozhu
        #: kept this have none: they are never called stale).
        self.decided_on: dict[tuple[int, int], Mapping[str, str]] = dict(decided_on or {})
        #: Suggestions rejected in this document: never suggested again.
        self.rejected: set[SpanKey] = set(rejected)
        #: Relations, chains, categories and attributes (changed with :meth:`change_links`).
        self.links = LinkSet(links)
        self._saved_cursor = cursor
        self.read_only = read_only if store is not None else read_only or "no store"
        #: The last save error, None when everything is saved.
        self.error: str | None = None
        self._reason = ""  # the last save error in a few words, for the status line
        #: A one-line message for the user about the last edit (see :meth:`take_notice`).
        self.notice: str | None = None
        self._history_error: str | None = None
        #: Bumped on every change of the spans, for views to drop cached drawings.
        self.version = 0
        self._store = store
        self._pending: list[_Write] = []
        #: Set by a view that saves edits itself, after showing them (it then calls
        #: :meth:`retry`); None: each edit is written before the call that made it returns.
        self.save_later: Callable[[], None] | None = None
        #: The latest changes of the spans, with the version each made (changes_since).
        self._changes: deque[tuple[int, Change]] = deque(maxlen=_CHANGES_KEPT)

    @property
    def saved(self) -> bool:
        """Whether every change so far is durable."""
        return not self._pending

    @property
    def history(self) -> History:
        """The undo history: span edits (kept by the annotations) and rejections."""
        return self.annotations.history

    def take_notice(self) -> str | None:
        """The message about the last edit, once (None when there is nothing to say)."""
        notice, self.notice = self.notice, None
        return notice

    # -- edits -----------------------------------------------------------------------------

    def add(
        self, start: int, end: int, label: str, origin: Origin = Origin.MANUAL
    ) -> Change | None:
        """Label ``[start, end)``; None when refused (duplicate, empty, read-only)."""
        if self._refused():
            return None
        return self._commit(self.annotations.add(start, end, label, origin=origin), starts=True)

    def label(
        self, start: int, end: int, label: str, stacking: Collection[str] = ()
    ) -> Change | None:
        """A label key on ``[start, end)``: a new span, or the span already there relabelled.

        A span of exactly this extent with another label is relabelled (one undo step),
        unless either label may stack (``stacking``, from the labels file): then a second
        span is added. :attr:`notice` says which, or that the label is already there.
        """
        if self._refused():
            return None
        here = self.annotations.with_extent(start, end)
        text = excerpt(self.annotations.text[start:end])
        if any(span.label == label for span in here):
            self.notice = f"already labelled {text} {label}"
            return None
        clashing = [] if label in stacking else [s for s in here if s.label not in stacking]
        if not clashing:
            change = self.add(start, end, label)
            if change is not None and here:
                beside = ", ".join(span.label for span in here)
                self.notice = f"added {text} {label} beside {beside} (stacking allowed)"
            return change
        first, *rest = clashing
        change = self._commit(self.annotations.relabel(first.id, label))
        if change is not None:
            also = f"; {', '.join(span.label for span in rest)} still label it" if rest else ""
            self.notice = f"relabelled {text} {first.label} → {label}{also}"
        return change

    def delete_at(self, offset: int) -> Change | None:
        """Delete the innermost span covering ``offset``, and in the same step (one undo,
        one store write) its relations and attributes and its places in chains."""
        span = self.annotations.innermost_at(offset)
        if span is None or self._refused():
            return None
        change = self.annotations.delete(span.id)
        before, after = self.links.touching(span.id)
        if not before:
            return self._commit(change)
        step = self.history.last_done()
        assert isinstance(step, SpanStep)
        self.history.amend_last(replace(step, links_before=before, links_after=after))
        return self._commit(change, links=self.links.apply(after))

    def change_links(
        self,
        before: LinkStates,
        after: LinkStates,
        description: str,
        categories: tuple[frozenset[str], frozenset[str]] | None = None,
    ) -> bool:
        """Set relations, chains or attributes from their states ``before`` to ``after``
        (and the categories from the first to the second of ``categories``): one undo
        step, one store write. False when refused (read-only)."""
        if self._refused():
            return False
        self.history.record(LinkStep(before, after, description, categories))
        edit = self.links.apply(after, None if categories is None else categories[1])
        self._commit(None, starts=True, links=edit)  # a document categorised is begun
        self._save_history()
        self.notice = description
        return True

    def relabel_at(self, offset: int, label: str) -> Change | None:
        """Give the innermost span covering ``offset`` another label."""
        span = self.annotations.innermost_at(offset)
        if span is None or self._refused():
            return None
        change = self._commit(self.annotations.relabel(span.id, label))
        if change is None and label:
            self.notice = f"already labelled {excerpt(span.text)} {label}"
        return change

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
        change = self.annotations.replace_within(start, end, keys, description)
        return self._commit(change, starts=True)

    def decide(
        self,
        start: int,
        end: int,
        keys: Iterable[tuple[int, int, str]],
        description: str,
        *,
        accepted_from: tuple[str, ...] = (),
        basis: Mapping[str, str] | None = None,
    ) -> Change | None:
        """Settle the disagreement ``[start, end)`` as ``keys`` and mark it decided.

        New gold spans record ``accepted_from`` (whose version they are); ``basis`` is
        what each annotator had marked there (see :meth:`ReviewDocument.fingerprint`), so
        a later change of the layers shows the decision as stale. Deciding a stale
        disagreement again records the new basis. One undo step takes back both the spans
        and the mark (review's ``a`` and ``X``), and one store write saves both.
        """
        if self._refused():
            return None
        extent = (start, end)
        already = extent in self.decided and self.decided_on.get(extent) == basis
        change = self.annotations.replace_within(start, end, keys, description, accepted_from)
        if change is not None and not already:  # the step just recorded: always readable
            step = self.history.last_done()
            assert isinstance(step, SpanStep)
            self.history.amend_last(replace(step, decides=(start, end)))
        decided = None
        if not already:
            decided = self.decided | {extent}
            if basis is not None:
                self.decided_on[extent] = basis
        self._commit(change, starts=change is not None, decided=decided)
        return change

    def accept_suggestions(
        self,
        keys: Iterable[SpanKey],
        description: str,
        sources: Mapping[SpanKey, tuple[Origin, float | None]] | None = None,
    ) -> Change | None:
        """Make suggested spans real (origin ``suggestion``, or as ``sources`` says for a
        model's: ``model`` with its confidence): one edit, one undo."""
        if self._refused():
            return None
        change = self.annotations.add_all(
            keys, description, origin=Origin.SUGGESTION, sources=sources
        )
        return self._commit(change, starts=True)

    def reject(self, keys: Iterable[SpanKey]) -> bool:
        """Never suggest ``keys`` again in this document (undoable); False if unsaved."""
        new = frozenset(keys) - self.rejected
        if self._refused() or not new:
            return False
        saved = self._write_rejected(self.rejected | new)
        if saved:
            self.history.record(RejectStep(new))
            self._save_history()
        return saved

    def _write_rejected(self, rejected: set[SpanKey]) -> bool:
        saved = self._write(lambda store: store.apply((), rejected=rejected))
        if saved:
            self.rejected = rejected
        return saved

    def undo(self) -> Change | None:
        """Undo the last edit (saved like any edit); a decision undone is undecided, a
        rejection undone lets the suggestion come back. :attr:`notice` says what was
        undone, that nothing was, or why the step was refused."""
        return self._travel(back=True)

    def redo(self) -> Change | None:
        """Redo the last undone edit; a decision redone is decided again."""
        return self._travel(back=False)

    def _travel(self, *, back: bool) -> Change | None:
        """Undo (``back``) or redo one step.

        A step the spans no longer match (it was recorded in an earlier session and another
        program or a re-anchoring changed them since), or one that cannot be read, is
        refused: nothing changes, and the history, which can no longer be followed, is
        cleared.
        """
        if self._refused():
            return None
        try:
            step = self.history.last_done() if back else self.history.last_undone()
            if step is None:
                self.notice = "nothing to undo" if back else "nothing to redo"
                return None
            if isinstance(step, RejectStep):
                change = self._travel_rejection(step, back=back)
            elif isinstance(step, LinkStep):
                change = self._travel_links(step, back=back)
            else:
                change = self._travel_spans(step, back=back)
        except HistoryError as error:
            self.history.clear()
            self._save_history()
            self.notice = f"{error}; undo history cleared"
            return None
        if change is not None:
            self.notice = change.description
        return change

    def _travel_rejection(self, step: RejectStep, *, back: bool) -> Change | None:
        rejected = self.rejected - step.keys if back else self.rejected | step.keys
        if not self._write_rejected(rejected):
            return None
        return self._moved_through(step, back=back)

    def _travel_spans(self, step: SpanStep, *, back: bool) -> Change | None:
        """The step's spans, its links and, for a decision, its mark: one store write."""
        change = self.annotations.undo() if back else self.annotations.redo()
        decided = None
        if change is not None and step.decides is not None:
            extent = {step.decides}
            decided = self.decided - extent if back else self.decided | extent
        links = None
        if change is not None and (step.links_before or step.links_after):
            links = self.links.apply(step.links_before if back else step.links_after)
        return self._commit(change, decided=decided, links=links)

    def _travel_links(self, step: LinkStep, *, back: bool) -> Change:
        """Undo or redo a change of links: one store write."""
        states = step.before if back else step.after
        categories = None
        if step.categories is not None:
            categories = step.categories[0] if back else step.categories[1]
        self._commit(None, links=self.links.apply(states, categories))
        return self._moved_through(step, back=back)

    def _moved_through(self, step: RejectStep | LinkStep, *, back: bool) -> Change:
        """Mark a step the annotations do not keep undone (or redone), save the history,
        and say what was done (no span changed)."""
        if back:
            self.history.mark_undone()
        else:
            self.history.mark_redone()
        self._save_history()
        return Change((), (), f"{'undo' if back else 'redo'} {step.description}")

    def forget_history(self) -> bool:
        """Drop every undo step (the spans stay as they are); False when there was none."""
        if not len(self.history):
            return False
        self.history.clear()
        self._save_history()
        return True

    def changed_on_disk(self) -> str | None:
        """Why the store no longer holds the spans shown (None: it holds exactly them)."""
        if self._store is None:
            return None
        if not self.saved:
            return "some changes were not saved"
        try:
            state = self._store.load()
        except StoreError as error:
            return str(error)
        if set(state.spans) != set(self.annotations.spans):
            return "the spans on disk changed (another program saved them)"
        return None

    def save_mark(self) -> str:
        """``✓`` when everything is saved, ``…`` while an edit is being saved; else ``✗``
        and why the last save failed, in a few words (``✗ disk full``), kept until a save
        succeeds."""
        if self.saved and self.error is None:
            return "✓"
        if self.error is None:
            return "…"  # an edit being saved, just after the frame that shows it
        if not self._reason:
            return "✗"
        return f"✗ {fit_cells(self._reason, _REASON_CELLS)}"

    def _failed(self, failure: StoreError) -> None:
        """Remember why a save failed: the whole message, and its reason for the status."""
        self.error = str(failure)
        self._reason = failure.problem.removeprefix("cannot save: ")

    def _refused(self) -> bool:
        if self.read_only is not None:
            self.error = f"read-only: {self.read_only}"
            self._reason = "read-only"
            return True
        return False

    # -- saving ----------------------------------------------------------------------------

    def _commit(
        self,
        change: Change | None,
        *,
        starts: bool = False,
        decided: set[tuple[int, int]] | None = None,
        links: LinkEdit | None = None,
    ) -> Change | None:
        """Save ``change`` (already made in the annotations and their history) with the
        decided extents it leaves (None: unchanged) in one store write; ``starts`` moves a
        new document to "in progress" in the same write. Until it is written it is pending
        (:attr:`saved` is False), already counted in the spans and :attr:`decided`."""
        if change is None and decided is None and links is None:
            return None
        put, deleted = (change.put, change.deleted) if change is not None else ((), ())
        starts = starts and (change is not None or links is not None)
        basis = None
        if decided is not None:
            self.decided_on = {k: v for k, v in self.decided_on.items() if k in decided}
            basis = dict(self.decided_on)
        self._pending.append(_Write(put, deleted, starts, _frozen(decided), basis, links))
        if starts and self.status is Status.NEW:
            self.status = Status.IN_PROGRESS
        if decided is not None:
            self.decided = decided
        if change is not None:
            self._count(change)
        if self.save_later is not None:
            self.save_later()
        else:
            self.retry()
        if change is not None:
            self._save_history()
        return change

    def _save_history(self) -> None:
        """Write the undo history beside the store file. A failure costs only the history
        (said once in :attr:`notice`): the spans are saved, or pending, on their own."""
        if self._store is None or self.read_only is not None:
            return
        try:
            self._store.save_history(self.history.encode(self.annotations.doc_id))
        except StoreError as error:
            if str(error) != self._history_error:
                self.notice = f"undo history not saved: {error}"
            self._history_error = str(error)
        else:
            self._history_error = None

    def queue(self, change: Change | None, links: LinkStates = ()) -> None:
        """Count ``change`` (already in the annotations) and set ``links`` as made but not
        saved yet, with no undo step (review's agreed spans and relations).

        The next write (:meth:`retry`, or any edit) saves them first, so edits made
        meanwhile are saved after them, in order.
        """
        edit = self.links.apply(links) if links else None
        if change is not None:
            self._count(change)
        put, deleted = (change.put, change.deleted) if change is not None else ((), ())
        self._pending.append(_Write(put, deleted, links=edit))

    def _count(self, change: Change) -> None:
        """A new version of the spans: ``change`` made it."""
        self.version += 1
        self._changes.append((self.version, change))

    def changes_since(self, version: int) -> list[Change] | None:
        """The changes of the spans after ``version``, oldest first; None when they are no
        longer all kept (a view then starts again from :attr:`Annotations.spans`)."""
        changes = [change for made, change in self._changes if made > version]
        return changes if version + len(changes) == self.version else None

    def retry(self) -> bool:
        """Write every pending change, oldest first; stop at the first failure."""
        store = self._store
        while self._pending and store is not None:
            write = self._pending[0]
            try:
                store.apply(
                    write.put,
                    write.deleted,
                    starts=write.starts,
                    decided=write.decided,
                    decided_on=write.decided_on,
                    links=write.links,
                )
            except StoreError as failure:
                self._failed(failure)
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
        if self._refused():
            return False
        self._commit(None, decided=self.decided | {(start, end)})
        return self.saved

    def _write(self, write: Callable[[StoreLike], None]) -> bool:
        """One store write outside the span history; False (and the reason) on failure."""
        if self._store is None or self.read_only is not None:
            return False
        try:
            write(self._store)
        except StoreError as failure:
            self._failed(failure)
            return False
        return True


def _frozen(extents: set[tuple[int, int]] | None) -> frozenset[tuple[int, int]] | None:
    return None if extents is None else frozenset(extents)


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
    untouched. The undo history saved beside the file comes back with the spans; one that
    cannot be read is ignored, and a changed text resets it (each said in ``problem``).
    """
    document = store.document(doc_id, layer or annotator)
    if read_only is None:
        document.remove_stale_temps()  # a killed save's leftovers go now, not at the next
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
    problems: list[str] = []
    moved = any(span.doc_sha256 != sha for span in state.spans)
    if moved:
        if read_only is None:
            try:
                document.put_spans(spans)
            except StoreError as error:
                problems.append(str(error))
        if flagged and not problems:
            problems.append(f"{len(flagged)} spans could not be placed in the changed text")
    elif misfits := sum(s.flagged > was.flagged for was, s in zip(state.spans, spans, strict=True)):
        # Kept (never dropped, never rewritten on opening) and shown with ⚑ in the list.
        problems.append(
            f"flagged ⚑ {counted(misfits, 'span')} the text does not hold "
            "(past its end, or over other characters)"
        )
    history = _read_history(document, doc_id, problems)
    ordered = not moved  # the store's order, unless spans had to move
    annotations = Annotations(text, doc_id, sha, annotator, spans, history=history, ordered=ordered)
    session = Session(
        annotations,
        document,
        status=state.status,
        cursor=state.cursor,
        read_only=read_only,
        decided=state.decided,
        rejected=state.rejected,
        decided_on=state.decided_on,
        links=state.links,
    )
    # The history's spans lie where the old text had them: no step could be followed.
    if moved and session.forget_history():
        problems.append("the document's text changed: undo history reset")
    cursor = min(state.cursor, max(0, len(text) - 1))
    return Opened(session, cursor, tuple(flagged), "; ".join(problems) or None)


def _read_history(document: DocumentStore, doc_id: str, problems: list[str]) -> History:
    """The undo history saved beside ``document``: empty (and why, in ``problems``) when
    there is none that can be used. It is never in the way of the spans."""
    try:
        raw = document.load_history()
        return History.decode(raw, doc_id) if raw else History()
    except StoreError as error:
        problems.append(f"undo history ignored: {error}")
    except HistoryError as error:
        problems.append(f"undo history ignored: {document.history_path}: {error}")
    return History()
