"""``O`` on a span: label every other occurrence of its text, here or in the whole corpus.

A popup names the span (``北京大学 → ORG``), how many more places hold the same text in
this document (either script) and, once counted in the background, in the other listed
documents. One key each: ``a`` labels the ones here, ``x`` rejects them (never suggested
again), ``s`` shows them as suggestions to take one by one (``y`` / ``x``), ``A`` / ``X``
do the same in every other document. Here it is one undo step; in another document one
undo step of that document. The finding is :mod:`tui.core.occurrences`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol

from rich.style import Style
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static
from textual.worker import get_current_worker

from tui.core.occurrences import (
    MIN_CHARACTERS,
    OCCURRENCES,
    CorpusOccurrences,
    OccurrenceSource,
    corpus_occurrences,
    decide_in_corpus,
    occurrences_in,
)
from tui.core.text import display_safe
from tui.core.wording import counted

if TYPE_CHECKING:
    from tui.core.corpus import DocumentRef
    from tui.core.spans import Span, Status
    from tui.core.store import Store
    from tui.core.suggest import Suggestion
    from tui.screens.suggestions import SuggestionsAid
    from tui.widgets.document_list import DocumentList
    from tui.widgets.reader_view import ReaderView

__all__ = ["Choice", "OccurrencesHost", "OccurrencesMenu", "label_occurrences"]

#: What the popup's keys ask for: here or everywhere else; accept, reject or show.
Choice = Literal["accept", "reject", "show", "accept corpus", "reject corpus"]
_KEYS: dict[str, Choice] = {
    "a": "accept",
    "x": "reject",
    "s": "show",
    "A": "accept corpus",
    "X": "reject corpus",
}


class OccurrencesHost(Protocol):
    """What labelling every occurrence needs of the screen (:class:`MainScreen`)."""

    refs: list[DocumentRef]

    @property
    def reader(self) -> ReaderView:
        """The reading pane."""
        ...

    @property
    def store(self) -> Store:
        """The annotation store."""
        ...

    @property
    def documents(self) -> DocumentList:
        """The document list."""
        ...

    @property
    def current(self) -> int | None:
        """The open document's place in the list."""
        ...

    @property
    def suggestions(self) -> SuggestionsAid:
        """The reading pane's suggestions: ``s`` shows the places there; counts go there."""
        ...


@dataclass(frozen=True, slots=True)
class _Here:
    """The span the popup is about and its other places in the open document."""

    span: Span
    places: tuple[Suggestion, ...]


def label_occurrences(host: OccurrencesHost) -> None:
    """``O``: find the other places of the span under the cursor and ask what to do."""
    reader = host.reader
    session, model = reader.session, reader.model
    spans = reader.spans_at_cursor()
    if session is None or model is None or not spans:
        reader.tell("O labels every occurrence of a span's text: put the cursor on a span")
        return
    span = spans[0]
    if span.end - span.start < MIN_CHARACTERS:
        reader.tell(f"{display_safe(span.text)}: too short to look for (one character)")
        return
    source = OccurrenceSource(span.text, span.label)
    existing = [(s.start, s.end) for s in session.annotations.spans]
    here = _Here(span, tuple(occurrences_in(model.text, source, existing, session.rejected)))
    others = [ref for index, ref in enumerate(host.refs) if index != host.current]

    def chosen(choice: tuple[Choice, CorpusOccurrences | None] | None) -> None:
        if choice is not None:
            _act(host, here, *choice)

    reader.app.push_screen(OccurrencesMenu(host, here, source, others), chosen)


def _act(
    host: OccurrencesHost, here: _Here, choice: Choice, corpus: CorpusOccurrences | None
) -> None:
    reader, session = host.reader, host.reader.session
    if session is None:
        return
    keys = [(s.start, s.end, s.label) for s in here.places]
    name = f"{display_safe(here.span.text)} {here.span.label}"
    if choice == "accept" and keys:
        if session.accept_suggestions(keys, f"label every {name}") is not None:
            host.suggestions.count(OCCURRENCES, len(keys), len(keys))
        reader.tell(f"labelled {counted(len(keys), 'more place')} {name} (u undoes)")
    elif choice == "reject" and keys:
        if session.reject(keys):
            host.suggestions.count(OCCURRENCES, len(keys), 0)
        reader.tell(f"{counted(len(keys), 'place')} of {name} rejected (u undoes)")
    elif choice == "show" and keys:
        host.suggestions.pin(list(here.places))
        reader.tell(f"{counted(len(keys), 'place')} of {name}: y takes one, x rejects one")
    elif choice in ("accept corpus", "reject corpus") and corpus is not None and corpus.places:
        _decide_elsewhere(host, corpus, accept=choice == "accept corpus", name=name)
        return
    else:
        reader.tell(f"no other place holds {name}")
        return
    reader.refresh_view()


def _decide_elsewhere(
    host: OccurrencesHost, corpus: CorpusOccurrences, *, accept: bool, name: str
) -> None:
    """Accept or reject the places in the other documents, in a worker (each document is
    opened, changed and saved); the list's counts follow."""
    reader, store = host.reader, host.store
    annotator = reader.session.annotations.annotator if reader.session else ""
    app = reader.app

    progress: dict[str, tuple[int, Status]] = {}

    def run() -> None:
        decided, problems = decide_in_corpus(
            corpus, store, annotator, accept=accept, progress=progress
        )
        app.call_from_thread(done, decided, problems)

    def done(decided: int, problems: list[str]) -> None:
        host.suggestions.count(OCCURRENCES, corpus.places, decided if accept else 0)
        verb = "labelled" if accept else "rejected"
        where = counted(len(corpus.documents), "other document")
        reader.tell(f"{verb} {counted(decided, 'place')} of {name} in {where} (u there undoes)")
        for problem in problems:
            app.notify(problem, severity="warning", timeout=8)
        for index, ref in enumerate(host.refs):
            if (work := progress.get(ref.doc_id)) is not None:
                host.documents.update_progress(index, work)

    reader.run_worker(run, thread=True, group="occurrences")


class OccurrencesMenu(ModalScreen[tuple[Choice, CorpusOccurrences | None] | None]):
    """How many places hold the span's text, here and elsewhere; a key says what to do."""

    DEFAULT_CSS = """
    OccurrencesMenu {
        align: center middle;
    }
    OccurrencesMenu > Vertical {
        width: 60;
        max-width: 100%;
        height: auto;
        border: round $accent;
        border-title-align: center;
        border-subtitle-align: center;
        background: $surface;
        padding: 0 1;
    }
    OccurrencesMenu #corpus {
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        host: OccurrencesHost,
        here: _Here,
        source: OccurrenceSource,
        others: list[DocumentRef],
    ) -> None:
        super().__init__()
        self._host, self._here, self._source, self._others = host, here, source, others
        self._corpus: CorpusOccurrences | None = None

    def compose(self) -> ComposeResult:
        """The span, then one line a choice (the corpus line filled in when counted)."""
        with Vertical() as box:
            box.border_title = "Every occurrence 同文标注"
            box.border_subtitle = "a x s A X · Esc"
            span = self._here.span
            heading = f"{display_safe(span.text)} → {display_safe(span.label)}"
            yield Static(Text(heading, style="bold", no_wrap=True, overflow="ellipsis"))
            yield Static(self._here_lines(), id="here")
            yield Static(Text(" other documents: counting…", style="dim"), id="corpus")

    def on_mount(self) -> None:
        """Count the places in the other documents in the background."""
        self._count_elsewhere()

    @work(thread=True, exclusive=True, group="occurrences-count")
    def _count_elsewhere(self) -> None:
        worker = get_current_worker()
        host = self._host
        annotator = host.reader.session.annotations.annotator if host.reader.session else ""
        found = corpus_occurrences(
            self._others, host.store, annotator, self._source, lambda: worker.is_cancelled
        )
        if not worker.is_cancelled:
            self.app.call_from_thread(self._counted, found)

    def _counted(self, found: CorpusOccurrences) -> None:
        self._corpus = found
        self.query_one("#corpus", Static).update(self._corpus_lines(found))

    def _here_lines(self) -> Text:
        count = len(self._here.places)
        if not count:
            return Text(" no other place in this document", style="dim")
        lines = Text()
        lines.append(f" {counted(count, 'more place')} in this document:\n")
        _choice(lines, "a", "label them", "\n")
        _choice(lines, "x", "reject them", "\n")
        _choice(lines, "s", "show them as suggestions (y / x one by one)", "")
        return lines

    def _corpus_lines(self, found: CorpusOccurrences) -> Text:
        if not found.places:
            return Text(" no place in the other documents", style="dim")
        lines = Text()
        where = counted(len(found.documents), "other document")
        lines.append(f" {counted(found.places, 'place')} in {where}:\n")
        _choice(lines, "A", "label them all", "\n")
        _choice(lines, "X", "reject them all", "")
        if found.problems:
            lines.append(f"\n {counted(len(found.problems), 'document')} could not be read")
        return lines

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """The menu's keys are its own (the app's ``q`` stands aside for none of them)."""
        return key in _KEYS

    def on_key(self, event: events.Key) -> None:
        """A choice's key picks it; one for the corpus waits until it is counted."""
        choice = _KEYS.get(event.key)
        if choice is None:
            return
        event.stop()
        if choice.endswith("corpus") and self._corpus is None:
            self.notify("still counting the other documents…", timeout=2)
            return
        self.dismiss((choice, self._corpus))

    def action_cancel(self) -> None:
        """Esc: nothing is done."""
        self.dismiss(None)


def _choice(lines: Text, key: str, what: str, end: str) -> None:
    lines.append(f" {key} ", Style(reverse=True, bold=True))
    lines.append(f"  {what}{end}")
