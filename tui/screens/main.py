"""The main screen: the document list beside the reading pane, and the status line."""

from __future__ import annotations

import gc
import importlib
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import get_current_worker

from tui.core import keyhints
from tui.core.assign import AnnotatorQueue
from tui.core.convert import converter
from tui.core.corpus import (
    DocumentError,
    DocumentInfo,
    DocumentRef,
    detect_script,
    load_document,
    read_info,
)
from tui.core.labels import DEFAULT_LABELS, DEFAULT_SUGGESTIONS, Label
from tui.core.list_columns import column_legend
from tui.core.script import variant_pair
from tui.core.segment import Segmenter
from tui.core.spans import Status
from tui.core.text import display_safe
from tui.screens.help import HelpScreen, HelpSection, key_label, label_section
from tui.screens.reading_aids import ReadingAids, SearchBox
from tui.screens.store_news import StoreNews
from tui.screens.word_aid import WordAid
from tui.widgets.document_list import (
    UNREADABLE,
    DocumentList,
    DocumentNews,
    ListHeader,
    Progress,
    ReviewMarks,
)
from tui.widgets.document_panel import DocumentPanel
from tui.widgets.reader_view import ReaderView
from tui.widgets.status_bar import KeyHints, LabelBar, StatusBar

if TYPE_CHECKING:  # imported when first used: the first paint does not need them
    from tui.core.reader import ReaderModel
    from tui.core.search import CorpusIndex
    from tui.core.session import Opened, Session
    from tui.core.store import Store
    from tui.core.suggest import SuggestionSource
    from tui.screens.corpus_search import CorpusHit
    from tui.screens.linking import LinkController
    from tui.screens.recommender import Recommender
    from tui.screens.saving import SaveAfterFrame
    from tui.screens.skim import SkimTarget
    from tui.screens.suggestions import SuggestionsAid
    from tui.widgets.spans_panel import SpansPanel

#: Skimming reads at most this many documents of the list (each text is read whole).
_SKIM_DOCUMENTS = 200
#: A document's spans to skim, as (start, end, label), from its id.
SkimSpans = Callable[[str], frozenset[tuple[int, int, str]]]

#: Modules that opening a document needs and the first paint does not: the warm-up
#: imports them in the background (start-up imports only what draws the first frame).
_OPENING_MODULES = (
    "tui.core.reader",
    "tui.core.session",
    "tui.screens.note",
    "tui.widgets.spans_panel",
)

#: Below this many columns, opening a document hides the list to give the text room.
NARROW_SCREEN = 100
_INFO_BATCH_SECONDS = 0.1


def _annotates(binding: BindingType) -> bool:
    return isinstance(binding, Binding) and binding.action.split("(")[0] in ReaderView.ANNOTATING


def end_startup_pause() -> None:
    """Freeze the start-up heap, then turn the cyclic collector back on.

    ``biaozhu`` turns collection off while it starts (see :mod:`tui.cli`); every object
    made so far lives as long as the app, so none of it needs walking again.
    """
    gc.freeze()
    gc.enable()


def freeze_heap() -> None:
    """Put everything alive now out of the cyclic collector's sight.

    jieba's dictionary and an open document's block lists are long-lived; a full
    collection walking them takes ~30 ms, a dropped frame in the middle of reading.
    """
    gc.freeze()


@dataclass
class InfosRead(Message):
    """The background reader learned about some documents: ``(index, info)`` pairs."""

    infos: list[DocumentNews]


class MainScreen(Screen[None]):
    """Document list, reading pane and status line."""

    DEFAULT_CSS = """
    MainScreen > Horizontal {
        height: 1fr;
    }
    MainScreen #reading {
        width: 1fr;
    }
    MainScreen #text-and-spans {
        height: 1fr;
    }
    MainScreen ReaderView {
        width: 1fr;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "toggle_list", "Hide / show the list"),
        Binding("D", "toggle_done", "Done / not done"),
        Binding("R", "refresh_document", "Reload (others' new work)"),
        Binding("F", "status_filter", "List: my queue / all / to do / done…"),
        Binding("S", "skim", "Skim: sentences with spans"),
        Binding("p", "toggle_spans", "Spans panel"),
        Binding("P", "link('panel')", "Relations panel (labels file)"),
        Binding("i", "toggle_word_panel", "Word panel: pinyin, dictionary"),
        Binding("I", "enter_word_panel", "Into the word panel (to scroll it)"),
        Binding("s", "toggle_word_view", "Word view: segmentation shaded"),
        Binding("slash", "search", "Search the text (简/繁 alike)"),
        Binding("ctrl+f", "corpus_search", "Search all documents"),
        Binding("n", "next_hit(1)", "Next search hit"),
        Binding("N", "next_hit(-1)", "Previous search hit"),
        Binding("z", "suggest", "Suggestions: the model, jieba (again: hide)"),
        Binding("y", "accept_suggestion(False)", "Accept the suggestion"),
        Binding("Y", "accept_suggestion(True)", "Accept the paragraph's suggestions"),
        Binding("C", "categories", "Categories of the document (labels file)"),
        Binding("O", "occurrences", "Label every occurrence of the span's text"),
        Binding("U", "doubt_order", "List: the model's least sure first (again: back)"),
        Binding("left_square_bracket", "step_document(-1)", "Previous document", show=False),
        Binding("right_square_bracket", "step_document(1)", "Next document", show=False),
        Binding("escape", "back_to_list", "Back to list", show=False),
        Binding("tab", "switch_focus", "Switch pane", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    #: A review screen's list shows the annotators' progress and agreement.
    reviewing = False

    def __init__(
        self,
        refs: list[DocumentRef],
        *,
        variant: str,
        segmenter: Segmenter,
        store: Path,
        annotator: str,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        read_only: bool = False,
        suggesting: Mapping[str, str] | None = None,
        queue: AnnotatorQueue | None = None,
    ) -> None:
        """``queue``: the annotator's documents in the store's assignment, if any."""
        super().__init__()
        #: With ``--read-only`` nothing is ever written: no span, status or cursor.
        self.read_only = read_only
        self.queue = queue or AnnotatorQueue()
        #: jieba part-of-speech tag → the label suggested for it.
        self.suggesting = dict(DEFAULT_SUGGESTIONS if suggesting is None else suggesting)
        self.refs = refs
        self.variant = variant
        self.segmenter = segmenter
        self.store_folder = store
        self._store: Store | None = None
        self.annotator = annotator
        self.labels = labels
        self.current: int | None = None
        self._shown_error: str | None = None
        #: Search, word view and suggestions of the reading pane.
        self.aids = ReadingAids(self)
        #: Annotations the store holds under other ids, found and told.
        self.store_news = StoreNews(self)
        #: Every document's search key, for ``ctrl+f`` (built on first use).
        self._index: CorpusIndex | None = None
        self._index_lock = threading.Lock()
        #: The word panel (``i``, ``I``) and the dictionary behind it.
        self.words = WordAid(self, after_load=freeze_heap)

    def compose(self) -> ComposeResult:
        """List on the left; reader and status on the right; keys at the bottom."""
        with Horizontal():
            yield DocumentPanel(
                self.refs,
                reviewing=self.reviewing,
                category_order=self.category_order(),
                queue=self.queue.queue,
            )
            with Vertical(id="reading"):
                with Horizontal(id="text-and-spans"):
                    yield ReaderView(id="reader")
                yield from self.bars_above_labels()
                yield LabelBar(self.labels)
                yield StatusBar()
        yield KeyHints(keyhints.LIST)

    def category_order(self) -> tuple[str, ...]:
        """The labels file's categories, which the list shows (none in review)."""
        from tui.screens.categories import schema_of

        categories = schema_of(self.app).categories
        return () if self.reviewing else tuple(category.name for category in categories)

    def bars_above_labels(self) -> Iterator[Widget]:
        """Lines between the reading pane and the label bar (review's version bar)."""
        return iter(())

    @property
    def store(self) -> Store:
        """The annotation store, opened on first use (after the first paint)."""
        if self._store is None:
            from tui.core.store import Store

            self._store = Store(self.store_folder)
        return self._store

    @property
    def reader(self) -> ReaderView:
        """The reading pane."""
        return self.query_one(ReaderView)

    @property
    def documents(self) -> DocumentList:
        """The document list."""
        return self.query_one(DocumentList)

    @cached_property
    def saver(self) -> SaveAfterFrame:
        """Saves the open document's edits just after the frame that shows them."""
        from tui.screens.saving import SaveAfterFrame

        return SaveAfterFrame(self, self._update_status)

    @cached_property
    def linking(self) -> LinkController:
        """Relations and chains: link mode, hint letters, the relations panel."""
        from tui.screens.linking import LinkController

        return LinkController(self)

    def action_link(self, what: str) -> None:
        """``L`` link, ``'`` hint letters, ``P`` the relations panel."""
        self.linking.act(what)

    def on_unmount(self) -> None:
        """Save what is pending before the program ends, however it ends."""
        self.saver.flush()

    def on_mount(self) -> None:
        """Start reading titles in the background and load jieba after the first paint."""
        if self.refs:
            self.reader.show_message("Enter 打开文档 · ? 帮助 · q 退出")
        else:
            self.reader.show_message("没有文档 · No documents found")
        self.reader.on_change = self._update_status
        self.reader.labels = self.labels
        self.documents.on_open = self.open_document
        self.documents.focus()
        self.call_after_refresh(self._start_background_work)

    def _start_background_work(self) -> None:
        """After the first paint: read titles, then load OpenCC and jieba."""
        end_startup_pause()
        self.store  # noqa: B018 -- opened here, in this thread, before the workers use it
        self.store_news.check()
        self.run_worker(self._read_infos, thread=True, group="infos")
        self.run_worker(self._warm_up, thread=True, group="warm-up")
        if not self.reviewing:
            self.recommender.start()
        if self.category_order():
            from tui.screens.list_categories import read_categories

            self.run_worker(partial(read_categories, self), thread=True, group="categories")

    def _warm_up(self) -> None:
        """Build what the first toggle and word move need, off the first paint's path."""
        for module in _OPENING_MODULES:
            importlib.import_module(module)
        for config in (*variant_pair(self.variant), "t2s"):
            converter(config)
        self.segmenter.warm_up()
        self.app.call_from_thread(self._words_ready)
        self.segmenter.warm_up_tagger()  # the first suggestions (z) then come in time
        self.app.call_from_thread(freeze_heap)

    def _words_ready(self) -> None:
        """jieba is loaded: show the word under the cursor, and shade words if asked for
        before the boundaries were known (on the UI thread: the DOM is not the worker's)."""
        self._update_status()
        if self.reader.word_view:
            self.reader.set_overlays()

    def _read_infos(self) -> None:
        worker = get_current_worker()
        batch: list[DocumentNews] = []
        sent = time.monotonic()
        for index, ref in enumerate(self.refs):
            if worker.is_cancelled:
                return
            info = read_info(ref)
            batch.append((index, info, self._progress(ref), self._review_marks(ref, info)))
            if time.monotonic() - sent > _INFO_BATCH_SECONDS:
                self.post_message(InfosRead(batch))
                batch, sent = [], time.monotonic()
        if batch:
            self.post_message(InfosRead(batch))

    def _review_marks(self, ref: DocumentRef, info: DocumentInfo) -> ReviewMarks | None:
        """What a review list shows of a document (the review screen fills it in)."""
        return None

    def _progress(self, ref: DocumentRef) -> Progress | None:
        """The annotator's span count and status; None when the store file is unreadable."""
        from tui.core.store import StoreError

        try:
            return self.store.summary(ref.doc_id, self.annotator)
        except StoreError:
            return UNREADABLE  # listed with ⚑; opening it says why

    def on_infos_read(self, message: InfosRead) -> None:
        """Show what the background reader found."""
        self.documents.update_infos(message.infos)
        self.query_one(DocumentPanel).update_header()

    # -- opening ---------------------------------------------------------------------------

    def open_document(self, index: int) -> None:
        """Load document ``index`` into the reader; a bad file shows why, in the pane."""
        ref = self.refs[index]
        self.leave_document()
        self.current = index
        self.documents.select_index(index)
        reader = self.reader
        if self.size.width < NARROW_SCREEN:
            self.query_one(DocumentPanel).add_class("-hidden")
        self.set_focus(reader)  # now, not after a refresh: the next key is the text's
        try:
            decoded = load_document(ref)
        except DocumentError as error:
            reader.show_message(f"⚠ {error}")
            self.notify(str(error), severity="error", markup=False)
            return
        ref = self.store_news.before_open(index, decoded.text)
        info = self.documents.entries[index].info
        script = info.script if info is not None else detect_script(decoded.text[:4000])
        from tui.core.reader import ReaderModel

        model = ReaderModel(
            decoded.text, script=script, variant=self.variant, segmenter=self.segmenter
        )
        session = self._open_session(ref, model)
        self.aids.document_changed()
        self.saver.attach(session)
        reader.show_document(model, session)
        self.call_after_refresh(freeze_heap)

    def _open_session(self, ref: DocumentRef, model: ReaderModel) -> Session | None:
        """The annotator's spans of ``ref``; the cursor goes back where they left it."""
        from tui.core.store import StoreError

        try:
            opened = self._open_annotations(ref, model.text)
        except StoreError as error:
            self.notify(str(error), severity="error", markup=False)
            return None
        model.cursor = opened.cursor
        if opened.problem is not None:
            self.notify(opened.problem, severity="warning", markup=False, timeout=8)
        return opened.session

    def _open_annotations(self, ref: DocumentRef, text: str) -> Opened:
        """Open the session a document is annotated in (the review screen opens gold)."""
        from tui.core.session import open_session

        return open_session(
            self.store, ref.doc_id, self.annotator, text, read_only=self.read_only_reason
        )

    @property
    def read_only_reason(self) -> str | None:
        """Why edits are refused in every document, or None."""
        return (self.queue.read_only or "opened with --read-only") if self.read_only else None

    def leave_document(self) -> None:
        """Remember where the annotator was in the document being left."""
        reader = self.reader
        self.saver.flush()
        self.aids.suggestions.save_counts()
        if reader.session is not None and reader.model is not None:
            reader.session.save_cursor(reader.model.cursor)

    def action_skim(self) -> None:
        """Every sentence holding spans in the listed documents, in one scroll."""
        from tui.core.skim import skim_lines
        from tui.screens.skim import SkimDocument, SkimScreen, SkimView

        shown = self.documents.shown
        wanted = [(index, self.refs[index]) for index in shown[:_SKIM_DOCUMENTS]]

        def reader(spans_of: SkimSpans) -> Callable[[Callable[[], bool]], list[SkimDocument]]:
            def collect(cancelled: Callable[[], bool]) -> list[SkimDocument]:
                documents = []
                for index, ref in wanted:
                    if cancelled():
                        break
                    try:
                        text = load_document(ref).text
                    except DocumentError:
                        continue
                    lines = skim_lines(text, spans_of(ref.doc_id))
                    if lines:
                        documents.append(SkimDocument(index, ref.name, text, lines))
                return documents

            return collect

        views = [SkimView(name, reader(spans_of)) for name, spans_of in self.skim_views()]
        note = f"the first {_SKIM_DOCUMENTS:,} listed" if len(shown) > _SKIM_DOCUMENTS else ""
        self.app.push_screen(SkimScreen(views, self.labels, note), self._skimmed)

    def skim_views(self) -> list[tuple[str, SkimSpans]]:
        """The ways skimming can show a document's spans: the annotator's own."""
        return [("your spans", self.skim_spans)]

    def skim_spans(self, doc_id: str) -> frozenset[tuple[int, int, str]]:
        """The annotator's own spans of a document (what skimming shows)."""
        from tui.core.store import StoreError

        try:
            return self.store.document(doc_id, self.annotator).span_keys()
        except StoreError:
            return frozenset()

    def _skimmed(self, target: SkimTarget | None) -> None:
        """Open the document skimming chose, at the chosen sentence."""
        if target is None:
            return
        self.open_document(target.index)
        model = self.reader.model
        if model is not None:
            model.move_to(target.offset)
            self.reader.refresh_view()

    def action_status_filter(self) -> None:
        """Show the next status filter's documents: all, to do, done (and review's)."""
        name = self.documents.next_status_filter()
        self.query_one(DocumentPanel).update_header()
        self.notify(f"list: {name}", timeout=2)

    def action_refresh_document(self) -> None:
        """Read the open document's annotations again: others may have saved since.

        The undo history stays when the spans on disk are the ones shown; otherwise its
        steps could not be followed, and it is reset, saying why.
        """
        model, session = self.reader.model, self.reader.session
        if self.current is None or model is None:
            return
        cursor = model.cursor
        self.saver.flush()
        changed = session.changed_on_disk() if session is not None else None
        self._index = None  # texts may have changed too: the next corpus search rereads
        self.open_document(self.current)
        if self.reader.model is not None:
            self.reader.model.move_to(cursor)
            self.reader.refresh_view()
        reopened = self.reader.session
        if changed is not None and reopened is not None and reopened.forget_history():
            message = f"reloaded; undo history reset: {display_safe(changed)}"
            self.notify(message, severity="warning", markup=False, timeout=8)
        else:
            self.notify("reloaded", timeout=2)

    def action_step_document(self, step: int) -> None:
        """Open the previous (-1) or next (+1) document of the list as filtered."""
        shown = self.documents.shown
        if not shown:
            return
        position = shown.index(self.current) + step if self.current in shown else 0
        if 0 <= position < len(shown):
            self.open_document(shown[position])
        else:
            which = "first" if step < 0 else "last"
            self.notify(f"this is the {which} document of the list", timeout=3, markup=False)

    def action_toggle_done(self) -> None:
        """Mark the open document done, or back to in progress, and say which it was
        (the list's highlight may be on another one)."""
        session = self.reader.session
        if session is None or self.current is None:
            self.notify("open a document first: D marks the open one", timeout=3)
            return
        done = session.status is Status.DONE
        session.set_status(Status.IN_PROGRESS if done else Status.DONE)
        self._update_status()
        self.query_one(DocumentPanel).update_header()
        status = "in progress" if done else "done"
        self.notify(f"{self.refs[self.current].name}: {status}", timeout=3, markup=False)

    async def action_toggle_spans(self) -> None:
        """Show the document's spans beside the text (and go there), or hide them."""
        from tui.widgets.spans_panel import SpansPanel

        panels = self.query(SpansPanel)
        if panels:
            panel = panels.first()
            panel.toggle_class("-hidden")
        else:  # built on first use: an option list costs start-up time
            panel = SpansPanel(self.labels, id="spans")
            panel.remove_class("-hidden")
            await self.query_one("#text-and-spans").mount(panel)
        if panel.has_class("-hidden"):
            self.reader.focus()
        else:
            self._refresh_spans()
            panel.focus()

    def _refresh_spans(self) -> None:
        from tui.widgets.spans_panel import SpansPanel

        session = self.reader.session
        for panel in self.query(SpansPanel):
            if not panel.has_class("-hidden"):
                panel.show_spans(session.annotations.spans if session is not None else ())

    async def action_search(self) -> None:
        """Search the open document, as you type."""
        await self.aids.open_search()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.aids.search(event.value)

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.aids.close_search(keep=True)

    @on(SearchBox.Cancelled)
    def _search_cancelled(self) -> None:
        self.aids.close_search(keep=False)

    def action_corpus_search(self) -> None:
        """Search every listed document; Enter opens one at the hit."""
        from tui.screens.corpus_search import CorpusSearchScreen

        names = [
            entry.info.title if entry.info is not None else entry.ref.name
            for entry in self.documents.entries
        ]
        search = CorpusSearchScreen(self._corpus_index, names, self.aids.query)
        self.app.push_screen(search, self._to_hit)

    def _corpus_index(self) -> CorpusIndex:
        """The index of every document's search key, built on first use (in a worker)."""
        from tui.core.search import CorpusIndex

        with self._index_lock:
            if self._index is None or not self._index.complete:
                self._index = CorpusIndex.build(self.refs)
            return self._index

    def _to_hit(self, hit: CorpusHit | None) -> None:
        """Open the document of a corpus search's hit there, its hits highlighted."""
        if hit is None:
            return
        self.open_document(hit.index)
        if self.reader.model is not None:
            self.reader.model.move_to(hit.offset)
            self.aids.show_hits(hit.query, hit.offset)
            self.reader.refresh_view()

    def action_next_hit(self, step: int) -> None:
        """To the next (1) or previous (-1) search hit."""
        self.aids.next_hit(step)

    def action_toggle_word_view(self) -> None:
        """Shade every other word: the segmentation word moves and one-key labels use."""
        self.aids.toggle_word_view()

    def action_suggest(self) -> None:
        """Suggest names, places and organisations in the open document (or hide them)."""
        self.aids.toggle_suggestions()

    def action_accept_suggestion(self, paragraph: bool) -> None:
        """The suggestion under the cursor (or all in its paragraph) becomes a span."""
        self.aids.accept_suggestion(paragraph=paragraph)

    def action_categories(self) -> None:
        """Choose the open document's categories in a popup (see tui.screens.categories)."""
        from tui.screens.categories import open_categories

        open_categories(self)

    def action_occurrences(self) -> None:
        """Label (or reject) every other place of the span's text (tui.screens.occurrences)."""
        from tui.screens.occurrences import label_occurrences

        label_occurrences(self)

    @cached_property
    def recommender(self) -> Recommender:
        """The learning recommender: its model, retraining, the list's doubt."""
        from tui.screens.categories import schema_of
        from tui.screens.recommender import Recommender

        return Recommender(self, schema_of(self.app).recommender)

    def action_doubt_order(self) -> None:
        """``U``: the documents the model is least sure of first, or the usual order."""
        self.recommender.toggle_order()
        self.query_one(DocumentPanel).update_header()

    def suggestion_sources(self) -> list[SuggestionSource]:
        """Sources of ``z`` beside jieba's tags: the trained model, once there is one."""
        return self.recommender.sources() if "recommender" in self.__dict__ else []

    def suggestion_sources_changed(self) -> None:
        """A model came: ``z``'s work starts again with it."""
        self.aids.suggestions.sources_changed()

    @property
    def list_header(self) -> ListHeader:
        """The list's column header."""
        return self.query_one(ListHeader)

    @property
    def suggestions(self) -> SuggestionsAid:
        """The suggestions of the reading pane (``z``, ``y``, and ``O``'s places)."""
        return self.aids.suggestions

    def update_status_line(self) -> None:
        """Show the position, spans and search state anew."""
        self._update_status()

    async def action_toggle_word_panel(self) -> None:
        """Show (or hide) the reading and dictionary entries of the word under the cursor."""
        await self.words.toggle()
        self.show_key_hints()  # the focus stays in the reader: its hints change with the panel

    async def action_enter_word_panel(self) -> None:
        """Move into the word panel to scroll it with keys (opening it if needed)."""
        await self.words.enter()

    def on_word_panel_resized(self) -> None:
        """The word panel changed width: its lines are wrapped anew."""
        self.words.rewrap()

    def on_spans_panel_jump(self, message: SpansPanel.Jump) -> None:
        """Go to the span chosen in the panel."""
        reader = self.reader
        if reader.model is not None:
            reader.model.move_to(message.offset)
            reader.focus()
            reader.refresh_view()

    def action_toggle_list(self) -> None:
        """Hide or show the document list (the text takes the full width)."""
        panel = self.query_one(DocumentPanel)
        panel.toggle_class("-hidden")
        if panel.has_class("-hidden") and not self.reader.has_focus:
            self.reader.focus()

    def action_back_to_list(self) -> None:
        """Show the list and move to it."""
        self.query_one(DocumentPanel).remove_class("-hidden")
        self.documents.focus()

    def action_switch_focus(self) -> None:
        """Between the list and the reading pane."""
        if self.reader.has_focus:
            self.action_back_to_list()
        else:
            self.reader.focus()

    def action_help(self) -> None:
        """Every key of this screen."""
        self.app.push_screen(HelpScreen(self.help_sections()))

    def extra_help(self) -> list[tuple[str, list[BindingType]]]:
        """Further groups of keys a screen built on this one adds to the help."""
        return []

    def help_sections(self) -> list[HelpSection]:
        """Keys grouped by where they work, read from the bindings themselves."""
        from tui.screens.linking import link_help
        from tui.widgets.spans_panel import SpansPanel
        from tui.widgets.word_panel import WordPanel

        reading = [b for b in ReaderView.BINDINGS if not _annotates(b)]
        annotating = [b for b in (*ReaderView.BINDINGS, *MainScreen.BINDINGS) if _annotates(b)]
        everywhere = [b for b in MainScreen.BINDINGS if not _annotates(b)]
        groups: list[tuple[str, list[BindingType]]] = [
            (keyhints.READER.title, reading),
            ("Annotate 标注", annotating),
            (keyhints.LIST.title, [*DocumentList.BINDINGS, *DocumentPanel.BINDINGS]),
            (keyhints.SPANS.title, SpansPanel.BINDINGS),
            (keyhints.WORD_SCROLL.title, WordPanel.BINDINGS),
            ("Everywhere 全局", [*everywhere, *self.app.BINDINGS]),
            *self.extra_help(),
            *link_help(self),
        ]
        sections: list[HelpSection] = []
        for title, bindings in groups:
            keys = [
                (key_label(b.key), b.description)
                for b in bindings
                if isinstance(b, Binding) and b.description
            ]
            sections.append((title, keys))
        legend = column_legend(self.reviewing, bool(self.category_order()))
        # The labels last: their descriptions are long, and the keys come first.
        return [*sections, label_section(self.labels), ("List columns 列表栏", legend)]

    # -- status ----------------------------------------------------------------------------

    def on_descendant_focus(self) -> None:
        """The key hints follow the focused pane."""
        self.show_key_hints()

    def show_key_hints(self) -> None:
        """Show the keys of the focused pane on the bottom line."""
        focused = self.focused
        if isinstance(focused, SearchBox):
            panel = keyhints.SEARCH
        elif isinstance(focused, Input):
            panel = keyhints.FILTER
        elif isinstance(focused, ReaderView):
            panel = self.reader_panel()
            if "linking" in self.__dict__:  # made once the labels file's relations are used
                panel = self.linking.hints(panel)
        elif focused is not None and focused.id == "spans":
            panel = keyhints.SPANS
        elif focused is not None and focused.id == "relations":
            panel = keyhints.RELATIONS
        elif focused is not None and focused is self.words.panel:
            panel = keyhints.WORD_SCROLL
        else:
            panel = keyhints.LIST
        self.query_one(KeyHints).show(panel)

    def reader_panel(self) -> keyhints.Panel:
        """The keys the hint line offers while the reading pane has focus."""
        from tui.screens.categories import schema_of

        schema = schema_of(self.app)
        panel = keyhints.WORD_PANEL if self.words.is_open else keyhints.READER
        return keyhints.with_links(panel, bool(schema.categories), bool(schema.attributes))

    def _update_status(self) -> None:
        status = self.query_one(StatusBar)
        model = self.reader.model
        if model is None or self.current is None:
            status.show_document("", "")
            status.show_position(())
            return
        status.show_document(self.refs[self.current].name, self._script_label(model))
        status.show_position(*self._position_parts(model))
        self.words.update()
        if "recommender" in self.__dict__:
            self.recommender.after_change(self.reader.session)
        schema = getattr(self.app, "schema", None)
        if schema is not None and (schema.relations or schema.chains):
            self.linking.after_change()  # the other ends of the span here; the panel

    def _script_label(self, model: ReaderModel) -> str:
        from tui.core.reader import DisplayMode

        if model.mode is DisplayMode.ORIGINAL:
            return f"{model.shown_script.value} 原文"
        return f"{model.shown_script.value} ← {model.config}"

    def _position_parts(self, model: ReaderModel) -> tuple[list[str], int]:
        """The status line's right side, most important first, and how many of its
        leading parts must stay (save mark, mode, position)."""
        from tui.core.annotations import excerpt  # loaded once a document is open
        from tui.core.relations.describe import link_parts
        from tui.screens.categories import schema_of

        length = model.length
        percent = 100 if length == 0 else (model.cursor + 1) * 100 // length
        parts = [f"{model.cursor:,}/{length:,} {percent}%"]
        essential = 1
        if (hits := self.aids.hit_label()) is not None:
            parts.append(hits)
        self.aids.refresh_suggestions()
        if (suggested := self.aids.suggestion_label()) is not None:
            parts.append(suggested)
        if mode := self.reader.mode_label():  # relabel, re-place, select: never cut off
            parts.insert(0, mode)
            essential += 1
        spans = self.reader.spans_at_cursor()
        parts += [
            f"{span.label}:{excerpt(span.text)}" + (f" ({excerpt(span.note)})" if span.note else "")
            for span in spans
        ]
        parts += link_parts(self.reader.session, spans, schema_of(self.app))
        if "recommender" in self.__dict__ and (trained := self.recommender.status_part()):
            parts.append(trained)
        if self.segmenter.ready and (word := model.word_at_cursor()) is not None:
            parts.append(word.shown)  # last: the first to go when the line is full
        session = self.reader.session
        if session is not None and self.current is not None:
            work = (len(session.annotations.spans), session.status)
            self.documents.update_progress(self.current, work)
            self.documents.update_categories(self.current, session.links.categories)
        self._refresh_spans()
        if session is not None:
            essential += 1
            if session.read_only is not None:
                parts.insert(0, "read-only")
            else:
                parts.insert(0, session.save_mark())
                self._report_error(session.error)
            if (notice := session.take_notice()) is not None:  # relabelled, nothing to undo…
                self.notify(notice, markup=False, timeout=4)  # made safe by ReaderApp.notify
        return parts, essential

    def _report_error(self, error: str | None) -> None:
        """Say once, loudly, why a change was not saved (the status keeps ✗ and why)."""
        if error is not None and error != self._shown_error:
            self.notify(f"not saved: {error}", severity="error", markup=False, timeout=10)
        self._shown_error = error
