"""Reading aids of the reading pane: search (``/``, ``n``, ``N``), word view (``s``) and
suggestions (``z``; ``y`` accepts one, ``Y`` a paragraph's, ``x`` rejects one).

The screen owns one :class:`ReadingAids` and forwards its keys here. The work itself lives
in the core (:mod:`tui.core.search`, :mod:`tui.core.suggest`); this turns it into what the
reader draws, and runs what takes long (a document's search key, part-of-speech tagging)
in worker threads so that keys keep answering. Suggestions have a module of their own
(:mod:`tui.screens.suggestions`).
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input
from textual.worker import get_current_worker

from tui.screens.suggestions import SuggestionsAid

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.reader import ReaderModel
    from tui.screens.aids_host import AidsHost

__all__ = ["ReadingAids", "SearchBox"]


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

    def __init__(self, host: AidsHost) -> None:
        self.host = host
        #: The open document's search key (see :func:`tui.core.search.search_key`), by
        #: the model it was made for; None while it is being made.
        self._key: tuple[int, str] | None = None
        self.query = ""
        self._origin = 0
        #: Suggestions (``z``, ``y``, ``Y``).
        self.suggestions = SuggestionsAid(host)

    # -- search ------------------------------------------------------------------------------

    async def open_search(self) -> None:
        """Show the search box under the text and type into it."""
        model = self.host.reader.model
        if model is None:
            return
        boxes = self.host.reader.screen.query(SearchBox)
        if boxes:
            box = boxes.first()
            box.remove_class("-hidden")
        else:
            box = SearchBox(placeholder="search 搜索 (简/繁 alike)", id="search")
            await self.host.reader.screen.query_one("#reading").mount(box, after="#text-and-spans")
        self._origin = model.cursor
        box.value = ""
        box.focus()
        self._prepare_key(model)

    def _prepare_key(self, model: ReaderModel) -> None:
        if self._key is not None and self._key[0] == id(model):
            return
        self._key = None
        reader = self.host.reader
        app = reader.app  # taken here: the worker thread must not query the DOM
        reader.run_worker(
            lambda: self._make_key(app, model), thread=True, group="search-key", exclusive=True
        )

    def _make_key(self, app: App[object], model: ReaderModel) -> None:
        from tui.core.search import search_key

        key = search_key(model.text)  # a second or so for 20 MB: never on the UI thread
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self._key_ready, model, key)

    def _key_ready(self, model: ReaderModel, key: str) -> None:
        if self.host.reader.model is model:
            self._key = (id(model), key)
            if self.query:
                self.search(self.query)

    def search(self, query: str, *, jump: bool = True) -> None:
        """Highlight every hit of ``query``; with ``jump``, go to the first from the origin."""
        from tui.core.search import find_all

        reader, model = self.host.reader, self.host.reader.model
        self.query = query
        if model is None:
            return
        if self._key is None or self._key[0] != id(model):
            self._prepare_key(model)
            self.host.update_status_line()
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
        reader = self.host.reader
        for box in self.host.reader.screen.query(SearchBox):
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
        reader, model = self.host.reader, self.host.reader.model
        hits = reader.hits
        if model is None or not hits:
            if self.query:
                reader.notify(f"no match for {self.query!r}", timeout=2, markup=False)
            return
        if step > 0:
            index = bisect.bisect_right(hits, (model.cursor, 1 << 62))
            wrapped = index >= len(hits)
        else:
            index = bisect.bisect_left(hits, (model.cursor, -1)) - 1
            wrapped = index < 0
        if wrapped:
            reader.notify("search went round the document", timeout=2)
        model.move_to(hits[index % len(hits)][0])
        reader.refresh_view()

    def hit_label(self) -> str | None:
        """``/县 3/17`` for the status line while there is a query; None without one."""
        reader, model = self.host.reader, self.host.reader.model
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
        self.suggestions.document_changed()
        for box in self.host.reader.screen.query(SearchBox):
            box.add_class("-hidden")

    # -- word view ---------------------------------------------------------------------------

    def toggle_word_view(self) -> None:
        """Shade every other word, so the segmentation that word moves use shows."""
        reader = self.host.reader
        if not self.host.segmenter.ready:
            reader.notify("word boundaries are still loading (jieba)", timeout=3)
        reader.set_overlays(word_view=not reader.word_view)

    # -- suggestions ---------------------------------------------------------------------------

    def toggle_suggestions(self) -> None:
        """Show suggestions on the open document, worked out from the view outward in a
        worker and shown as they come, or put them away (the work stops, and resumes)."""
        self.suggestions.toggle()

    def refresh_suggestions(self) -> None:
        """Show the suggestions near the view that are not taken, rejected or overlapping
        a span (called on every status update: cheap when nothing changed)."""
        self.suggestions.refresh()

    def accept_suggestion(self, *, paragraph: bool) -> None:
        """Make the suggestion under the cursor a span (or every one in its paragraph)."""
        self.suggestions.accept(paragraph=paragraph)

    def suggestion_label(self) -> str | None:
        """``suggested PER`` for the status line when the cursor is on a suggestion."""
        return self.suggestions.label()
