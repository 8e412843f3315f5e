"""Suggestions in the reading pane: ``z`` shows them (again: puts them away), ``y`` accepts
the one under the cursor, ``Y`` every one in its paragraph (``x`` in the reader rejects one).

The work is the core's (:class:`~tui.core.suggest_scheduler.LayeredScheduler`): this
runs it in a worker thread, tells it what is on screen so it works there first, stops it
when the suggestions are put away, and hands the reader the suggestions near the view
(never the whole document's: drawing and cursor tests stay proportional to the screen).
"""

from __future__ import annotations

import time
from collections import Counter
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.reader import ReaderModel
    from tui.core.spans import Origin
    from tui.core.suggest import Suggestion, TagSource
    from tui.core.suggest_scheduler import LayeredScheduler
    from tui.screens.aids_host import AidsHost

__all__ = ["SuggestionsAid"]

#: Suggestions off screen reach the reader in batches at most this far apart (s).
_BATCH_SECONDS = 0.1
#: The reader holds the suggestions of the blocks on screen and this many either side,
#: so that small scrolls need no new list.
_WINDOW_MARGIN = 32
_WORKER_GROUP = "suggest"


class SuggestionsAid:
    """Suggestions of the open document: worked out in the background, shown near the view."""

    def __init__(self, host: AidsHost) -> None:
        self.host = host
        #: Whether suggestions are shown (``z``).
        self.showing = False
        #: The open document's scheduler: kept while the document stays open, so that
        #: ``z`` after ``z`` goes on where the work stopped.
        self._work: tuple[ReaderModel, LayeredScheduler] | None = None
        #: The work before the sources changed (a model came), until the next is made.
        self._outdated: tuple[ReaderModel, LayeredScheduler] | None = None
        #: jieba's source, made on first use and kept for the screen.
        self._tags: TagSource | None = None
        #: The blocks ``[first, stop)`` whose suggestions the reader holds.
        self._window: tuple[int, int] | None = None
        #: Bumped when blocks inside the window are done (the reader's list is stale).
        self._arrivals = 0
        self._shown_for: tuple[object, ...] | None = None
        #: The suggestions the reader holds, by (start, end, label): their source and
        #: confidence for the status line.
        self._held: dict[tuple[int, int, str], Suggestion] = {}
        #: Suggestions given from outside the sources (``O``: the same text elsewhere),
        #: shown with the others until the document changes or ``z`` puts them away.
        self._pinned: list[Suggestion] = []

        #: Per source: the suggestions that were on screen, and how many were accepted,
        #: since the counts were last saved (:mod:`tui.core.acceptance`).
        self._seen: dict[str, set[tuple[int, int, str]]] = {}
        self._taken: Counter[str] = Counter()
        self._shown_elsewhere: Counter[str] = Counter()
        self._counted_view: tuple[object, ...] | None = None

    def pin(self, suggestions: list[Suggestion]) -> None:
        """Show ``suggestions`` too (taken and rejected like the others)."""
        self._pinned = sorted(suggestions)
        self._shown_for = None
        self.refresh()
        self.host.update_status_line()

    def count(self, source: str, shown: int, accepted: int) -> None:
        """Count suggestions decided elsewhere (``O``'s popup): shown, and accepted."""
        self._shown_elsewhere[source] += shown
        self._taken[source] += accepted

    def save_counts(self) -> None:
        """Add what was shown and accepted to the annotator's counts (leaving a document)."""
        from tui.core.acceptance import AcceptanceError, record_acceptance

        session = self.host.reader.session
        if session is None or not (self._seen or self._taken or self._shown_elsewhere):
            return
        shown = Counter({source: len(keys) for source, keys in self._seen.items()})
        shown.update(self._shown_elsewhere)
        taken = dict(self._taken)
        self._seen, self._taken, self._shown_elsewhere = {}, Counter(), Counter()
        try:
            record_acceptance(self.host.store.root, session.annotations.annotator, shown, taken)
        except AcceptanceError as error:
            self.host.reader.notify(str(error), severity="warning", timeout=8, markup=False)

    def _count_on_screen(self, model: ReaderModel, first: int, stop: int) -> None:
        """Note the suggestions held that are on screen now as shown."""
        view = (id(model), first, stop, id(self._held))
        if view == self._counted_view or not self._held or stop <= first:
            return
        self._counted_view = view
        low, high = model.blocks.starts[first], model.blocks.end(stop - 1)
        for key, found in self._held.items():
            if low <= key[0] < high:
                self._seen.setdefault(found.source, set()).add(key)

    def toggle(self) -> None:
        """Show suggestions (working them out from the view outward), or put them away."""
        reader = self.host.reader
        model = reader.model
        if model is None:
            return
        if self.showing or self._pinned:
            self.showing = False
            self._pinned = []
            self._stop()
            reader.set_overlays(suggestions=[])
            return
        self.showing = True
        scheduler = self._scheduler(model)
        self._shown_for = None
        self.refresh()  # what was found before shows at once, and the work starts here
        if scheduler.complete:
            self._announce(scheduler)
            return
        reader.notify("suggesting names, places, organisations…", timeout=2)
        app = reader.app  # taken here: the worker thread must not query the DOM
        reader.run_worker(
            lambda: self._work_through(app, model, scheduler),
            thread=True,
            group=_WORKER_GROUP,
            exclusive=True,
        )

    def sources_changed(self) -> None:
        """A source came or went (a model was trained): the work starts anew with every
        source, on screen first, if suggestions are shown."""
        model = self.host.reader.model
        showing = self.showing
        self._stop()
        self._outdated = self._work or self._outdated  # its work for sources that stay is kept
        self._work = None
        self._window = self._shown_for = None
        if showing and model is not None:
            self.showing = False
            self.toggle()

    def document_changed(self) -> None:
        """Another document (or the same one reloaded) is open: its work starts afresh."""
        self.showing = False
        self._pinned = []
        self._stop()
        self._work = self._outdated = None
        self._window = self._shown_for = None

    def _stop(self) -> None:
        reader = self.host.reader
        reader.workers.cancel_group(reader, _WORKER_GROUP)

    def _scheduler(self, model: ReaderModel) -> LayeredScheduler:
        if self._work is not None and self._work[0] is model:
            return self._work[1]
        from tui.core.suggest import TagSource
        from tui.core.suggest_scheduler import LayeredScheduler

        if self._tags is None:  # one for the screen: its layer can be kept (keeping=)
            self._tags = TagSource(self.host.segmenter, self.host.suggesting)
        sources = [*self.host.suggestion_sources(), self._tags]
        outdated = self._outdated
        keeping = outdated[1] if outdated is not None and outdated[0] is model else None
        scheduler = LayeredScheduler(model.text, model.blocks, sources, keeping=keeping)
        self._work, self._outdated = (model, scheduler), None
        self._window = None
        return scheduler

    def _work_through(
        self, app: App[object], model: ReaderModel, scheduler: LayeredScheduler
    ) -> None:
        """In a worker: block after block until all are done or the worker is cancelled.

        A block on screen with suggestions is shown at once; others go in batches.
        """
        worker = get_current_worker()
        finished: list[int] = []
        sent = time.monotonic()
        while not worker.is_cancelled:
            block = scheduler.step()
            if block is None:
                app.call_from_thread(self._arrived, model, finished, True)
                return
            finished.append(block)
            on_screen = scheduler.in_view(block) and scheduler.count(block) > 0
            if on_screen or time.monotonic() - sent > _BATCH_SECONDS:
                app.call_from_thread(self._arrived, model, finished, False)
                finished, sent = [], time.monotonic()

    def _arrived(self, model: ReaderModel, blocks: list[int], complete: bool) -> None:
        """Blocks were done: show them if they are near the view."""
        if not self.showing or self._work is None or self._work[0] is not model:
            return
        window = self._window
        if window is None or any(window[0] <= block < window[1] for block in blocks):
            self._arrivals += 1
            self.host.update_status_line()  # which refreshes the suggestions shown
        if complete:
            self._announce(self._work[1])

    def _announce(self, scheduler: LayeredScheduler) -> None:
        self.host.reader.notify(
            f"{scheduler.found:,} suggestions in the document: "
            "y accepts one, Y the paragraph's, x rejects one",
            timeout=4,
        )

    def refresh(self) -> None:
        """Tell the work what is on screen, and give the reader the suggestions near it that
        are not taken, rejected or overlapping a span (after any edit or undo too, so an
        undone accept or rejection brings its suggestion back)."""
        reader = self.host.reader
        model, session = reader.model, reader.session
        if model is None or session is None or not (self.showing or self._pinned):
            return
        scheduler = self._work[1] if self.showing and self._work is not None else None
        first = model.top[0]
        stop = min(len(model.blocks), first + model.height)  # each block takes a row or more
        if scheduler is not None:
            scheduler.look_at(first, stop)
        window = self._window
        if window is None or not window[0] <= first <= stop <= window[1]:
            window = (max(0, first - _WINDOW_MARGIN), min(len(model.blocks), stop + _WINDOW_MARGIN))
            self._window = window
        key = (id(session), session.version, len(session.rejected), window, self._arrivals)
        if key == self._shown_for:
            self._count_on_screen(model, first, stop)
            return
        self._shown_for = key
        from tui.core.suggest import filter_suggestions, merge_sources

        found = scheduler.suggestions(*window) if scheduler is not None else []
        if self._pinned and window[1] > window[0]:
            low, high = model.blocks.starts[window[0]], model.blocks.end(window[1] - 1)
            found = merge_sources([*found, *(s for s in self._pinned if low <= s.start < high)])
        existing = [(span.start, span.end) for span in session.annotations.spans]
        kept = filter_suggestions(found, existing, session.rejected)
        self._held = {(s.start, s.end, s.label): s for s in kept}
        reader.set_overlays(suggestions=list(self._held))
        self._count_on_screen(model, first, stop)

    def accept(self, *, paragraph: bool) -> None:
        """Make the suggestion under the cursor a span (or every one in its paragraph)."""
        reader = self.host.reader
        model, session = reader.model, reader.session
        if model is None or session is None:
            return
        if paragraph:
            start = model.text.rfind("\n", 0, model.cursor) + 1
            end = model.text.find("\n", model.cursor)
            end = len(model.text) if end < 0 else end
            chosen = [s for s in reader.suggestions if start <= s[0] and s[1] <= end]
        else:
            under = reader.suggestion_at_cursor()
            chosen = [under] if under is not None else []
        if not chosen:
            reader.notify("no suggestion here (z asks for them)", timeout=2)
            return
        noun = "suggestion" if len(chosen) == 1 else "suggestions"
        description = f"accept {len(chosen)} {noun}"
        if session.accept_suggestions(chosen, description, self._origins(chosen)) is not None:
            for key in chosen:
                found = self._held.get(key)
                if found is not None:
                    self._seen.setdefault(found.source, set()).add(key)
                    self._taken[found.source] += 1
        self.refresh()
        reader.refresh_view()

    def _origins(
        self, keys: list[tuple[int, int, str]]
    ) -> dict[tuple[int, int, str], tuple[Origin, float | None]]:
        """The model's suggestions among ``keys``: origin ``model``, with its confidence."""
        from tui.core.recommender.source import MODEL
        from tui.core.spans import Origin

        return {
            key: (Origin.MODEL, found.confidence)
            for key in keys
            if (found := self._held.get(key)) is not None and found.source == MODEL
        }

    def label(self) -> str | None:
        """``PER? model 87% (y/x)`` for the status line when the cursor is on a
        suggestion: its label, which source made it and how sure it is (short: the
        status line beside the list is narrow)."""
        under = self.host.reader.suggestion_at_cursor()
        if under is None:
            return None
        found = self._held.get(under)
        if found is None:
            return f"{under[2]}? (y/x)"
        return f"{under[2]}? {found.source} {found.confidence:.0%} (y/x)"
