"""Reading aids of the reading pane: search (``/``, ``n``, ``N``), word view (``s``) and
suggestions (``z``; ``y`` accepts one, ``Y`` a paragraph's, ``x`` rejects one).

The screen owns one :class:`ReadingAids` and forwards its keys here. The work itself lives
in the core (:mod:`tui.core.search`, :mod:`tui.core.suggest`); this turns it into what the
reader draws, and runs what takes long (a document's search key, part-of-speech tagging)
in worker threads so that keys keep answering.
"""

from __future__ import annotations

import bisect
import time
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from tui.core.reader import ReaderModel
    from tui.screens.main import MainScreen

__all__ = ["ReadingAids", "SearchBox"]

#: Suggestions reach the screen in batches at most this far apart.
_SUGGEST_BATCH_SECONDS = 0.1

#: A span as (start, end, label).
SpanKey = tuple[int, int, str]


class SearchBox(Input):
    """The search line under the text: typing searches, Enter keeps, Esc drops."""

    DEFAULT_CSS = """
    SearchBox, SearchBox:focus {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    SearchBox.-hidden {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel the search")]

    class Cancelled(Message):
        """Esc in the search box."""

    def action_cancel(self) -> None:
        """Drop the search and go back where it started."""
        self.post_message(self.Cancelled())


class ReadingAids:
    """Search, word view and suggestions for one screen's reading pane."""

    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        #: The open document's search key (see :func:`tui.core.search.search_key`), by
        #: the model it was made for; None while it is being made.
        self._key: tuple[int, str] | None = None
        self.query = ""
        self._origin = 0
        #: Whether suggestions were asked for in the open document (``z``).
        self.suggesting = False
        #: Every suggestion the worker found, and what the shown ones were filtered for.
        self._found: list[SpanKey] = []
        self._shown_for: tuple[int, ...] | None = None

    # -- search ------------------------------------------------------------------------------

    async def open_search(self) -> None:
        """Show the search box under the text and type into it."""
        model = self.screen.reader.model
        if model is None:
            return
        boxes = self.screen.query(SearchBox)
        if boxes:
            box = boxes.first()
            box.remove_class("-hidden")
        else:
            box = SearchBox(placeholder="search 搜索 (简/繁 alike)", id="search")
            await self.screen.query_one("#reading").mount(box, after="#text-and-spans")
        self._origin = model.cursor
        box.value = ""
        box.focus()
        self._prepare_key(model)

    def _prepare_key(self, model: ReaderModel) -> None:
        if self._key is not None and self._key[0] == id(model):
            return
        self._key = None
        self.screen.run_worker(
            lambda: self._make_key(model), thread=True, group="search-key", exclusive=True
        )

    def _make_key(self, model: ReaderModel) -> None:
        from tui.core.search import search_key

        key = search_key(model.text)  # a second or so for 20 MB: never on the UI thread
        if not get_current_worker().is_cancelled:
            self.screen.app.call_from_thread(self._key_ready, model, key)

    def _key_ready(self, model: ReaderModel, key: str) -> None:
        if self.screen.reader.model is model:
            self._key = (id(model), key)
            if self.query:
                self.search(self.query)

    def search(self, query: str, *, jump: bool = True) -> None:
        """Highlight every hit of ``query``; with ``jump``, go to the first from the origin."""
        from tui.core.search import find_all

        reader, model = self.screen.reader, self.screen.reader.model
        self.query = query
        if model is None:
            return
        if self._key is None or self._key[0] != id(model):
            self._prepare_key(model)
            self.screen.update_status_line()
            return
        hits = find_all(self._key[1], query, folded=True) if query else []
        reader.set_overlays(hits=hits)
        if jump:
            found = bisect.bisect_left(hits, (self._origin, -1))
            target = hits[found % len(hits)][0] if hits else self._origin
            model.move_to(target)
            reader.refresh_view()

    def show_hits(self, query: str, at: int) -> None:
        """Highlight ``query`` in the open document with the cursor on the hit at ``at``
        (a corpus search's hit, once the document's search key is made)."""
        self._origin = at
        self.search(query)

    def close_search(self, *, keep: bool) -> None:
        """Hide the box; keep the hits (Enter) or drop them and go back (Esc)."""
        reader = self.screen.reader
        for box in self.screen.query(SearchBox):
            box.add_class("-hidden")
        if not keep:
            self.query = ""
            reader.set_overlays(hits=[])
            if reader.model is not None:
                reader.model.move_to(self._origin)
                reader.refresh_view()
        reader.focus()

    def next_hit(self, step: int) -> None:
        """To the next (1) or previous (-1) hit, round the end of the document."""
        reader, model = self.screen.reader, self.screen.reader.model
        hits = reader.hits
        if model is None or not hits:
            if self.query:
                self.screen.notify(f"no match for {self.query!r}", timeout=2, markup=False)
            return
        if step > 0:
            index = bisect.bisect_right(hits, (model.cursor, 1 << 62))
            wrapped = index >= len(hits)
        else:
            index = bisect.bisect_left(hits, (model.cursor, -1)) - 1
            wrapped = index < 0
        if wrapped:
            self.screen.notify("search went round the document", timeout=2)
        model.move_to(hits[index % len(hits)][0])
        reader.refresh_view()

    def hit_label(self) -> str | None:
        """``/县 3/17`` for the status line while there is a query; None without one."""
        reader, model = self.screen.reader, self.screen.reader.model
        if not self.query or model is None:
            return None
        from tui.core.text import display_safe

        shown = display_safe(self.query)[:12]
        if self._key is None:
            return f"/{shown} …"
        hits = reader.hits
        if not hits:
            return f"/{shown} no match"
        at = bisect.bisect_right(hits, (model.cursor, 1 << 62))
        return f"/{shown} {max(at, 1)}/{len(hits)}"

    def document_changed(self) -> None:
        """A new document is open: its search starts afresh, its suggestions are not asked."""
        self.query = ""
        self._key = None
        self.suggesting = False
        self._found, self._shown_for = [], None
        for box in self.screen.query(SearchBox):
            box.add_class("-hidden")

    # -- word view ---------------------------------------------------------------------------

    def toggle_word_view(self) -> None:
        """Shade every other word, so the segmentation that word moves use shows."""
        reader = self.screen.reader
        if not self.screen.segmenter.ready:
            self.screen.notify("word boundaries are still loading (jieba)", timeout=3)
        reader.set_overlays(word_view=not reader.word_view)

    # -- suggestions -------------------------------------------------------------------------

    def toggle_suggestions(self) -> None:
        """Ask for suggestions on the open document (worked out paragraph by paragraph in
        a worker, shown as they come), or put them away."""
        reader, model = self.screen.reader, self.screen.reader.model
        if model is None:
            return
        self._found = []
        self._shown_for = None
        if self.suggesting:
            self.suggesting = False
            reader.set_overlays(suggestions=[])
            return
        self.suggesting = True
        self.screen.notify("suggesting names, places, organisations…", timeout=2)
        self.screen.run_worker(
            lambda: self._suggest(model), thread=True, group="suggest", exclusive=True
        )

    def _suggest(self, model: ReaderModel) -> None:
        from tui.core.script import simplified_shadow
        from tui.core.suggest import paragraphs, suggest_paragraph
        from tui.core.text import display_safe

        worker, mapping = get_current_worker(), self.screen.suggesting
        text, batch, sent = model.text, [], time.monotonic()
        for start, end in paragraphs(text):
            if worker.is_cancelled:
                return
            shadow = simplified_shadow(display_safe(text[start:end]))
            found = suggest_paragraph(self.screen.segmenter, shadow, 0, end - start, mapping)
            batch += [(s.start + start, s.end + start, s.label) for s in found]
            if time.monotonic() - sent > _SUGGEST_BATCH_SECONDS:
                self.screen.app.call_from_thread(self._suggested, model, batch, False)
                batch, sent = [], time.monotonic()
        self.screen.app.call_from_thread(self._suggested, model, batch, True)

    def _suggested(self, model: ReaderModel, found: list[SpanKey], done: bool) -> None:
        if self.screen.reader.model is not model or not self.suggesting:
            return
        self._found += found
        self._shown_for = None
        self.refresh_suggestions()
        if done:
            count = len(self.screen.reader.suggestions)
            self.screen.notify(
                f"{count:,} suggestions: y accepts one, Y the paragraph's, x rejects one",
                timeout=4,
            )

    def refresh_suggestions(self) -> None:
        """Show the suggestions not yet taken, rejected or overlapping a span (after any
        edit or undo, so an undone accept or rejection brings its suggestion back)."""
        reader, session = self.screen.reader, self.screen.reader.session
        if not self.suggesting or session is None:
            return
        key = (id(session), session.version, len(session.rejected), len(self._found))
        if key == self._shown_for:
            return
        self._shown_for = key
        from tui.core.suggest import Suggestion, filter_suggestions

        existing = [(span.start, span.end) for span in session.annotations.spans]
        kept = filter_suggestions(
            (Suggestion(*found) for found in self._found), existing, session.rejected
        )
        reader.set_overlays(suggestions=[(s.start, s.end, s.label) for s in kept])

    def accept_suggestion(self, *, paragraph: bool) -> None:
        """Make the suggestion under the cursor a span (or every one in its paragraph)."""
        reader = self.screen.reader
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
            self.screen.notify("no suggestion here (z asks for them)", timeout=2)
            return
        noun = "suggestion" if len(chosen) == 1 else "suggestions"
        session.accept_suggestions(chosen, f"accept {len(chosen)} {noun}")
        self.refresh_suggestions()
        reader.refresh_view()

    def suggestion_label(self) -> str | None:
        """``suggested PER`` for the status line when the cursor is on a suggestion."""
        under = self.screen.reader.suggestion_at_cursor()
        return None if under is None else f"suggested {under[2]} (y / x)"
