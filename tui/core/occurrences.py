"""Label every occurrence: the text of one span, found again in the document or the corpus.

A span's text is looked for in the simplified shadow of the text (so 北京大學 finds 北京大学
and the other way round), whole, in every paragraph. Each place found becomes a suggestion
with the span's label (source :data:`OCCURRENCES`), unless a span is already there (or
overlaps it) or the annotator rejected that suggestion before. :class:`OccurrenceSource`
is a :class:`~tui.core.suggest.SuggestionSource` like jieba's tags and the trained model.

For the corpus, each other document is opened in a session of its own, so what is accepted
or rejected there is one undo step of that document, saved as any edit is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.script import simplified_shadow
from tui.core.session import open_session
from tui.core.spans import Status
from tui.core.store import Store
from tui.core.suggest import Suggestion, filter_suggestions, paragraphs
from tui.core.text import display_safe

__all__ = [
    "OCCURRENCES",
    "CorpusOccurrences",
    "OccurrenceSource",
    "corpus_occurrences",
    "decide_in_corpus",
    "occurrences_in",
]

#: The source name of these suggestions (the status line shows it).
OCCURRENCES = "same text"
#: The shortest text looked for: one character would be found everywhere.
MIN_CHARACTERS = 2


class OccurrenceSource:
    """Suggests every place ``phrase`` occurs (either script) as ``label``."""

    def __init__(self, phrase: str, label: str) -> None:
        self.phrase = simplified_shadow(display_safe(phrase))
        self.label = label

    def suggest(self, paragraph: str) -> list[Suggestion]:
        """The places of the phrase in ``paragraph``, as suggestions (confidence 1)."""
        found: list[Suggestion] = []
        if not self.phrase:
            return found
        shadow = simplified_shadow(display_safe(paragraph))
        at = shadow.find(self.phrase)
        while at >= 0:
            end = at + len(self.phrase)
            found.append(Suggestion(at, end, self.label, OCCURRENCES, 1.0))
            at = shadow.find(self.phrase, end)
        return found


def occurrences_in(
    text: str,
    source: OccurrenceSource,
    existing: Iterable[tuple[int, int] | tuple[int, int, str]],
    rejected: Iterable[tuple[int, int, str]] = (),
) -> list[Suggestion]:
    """Every place of ``source``'s phrase in ``text`` with no span over it and not
    rejected before, in document offsets."""
    found: list[Suggestion] = []
    for start, end in paragraphs(text):
        found += (
            Suggestion(s.start + start, s.end + start, s.label, s.source, s.confidence)
            for s in source.suggest(text[start:end])
        )
    return filter_suggestions(found, existing, frozenset(rejected))


@dataclass(frozen=True, slots=True)
class CorpusOccurrences:
    """The places of a phrase in other documents: each document with its places."""

    documents: tuple[tuple[DocumentRef, tuple[Suggestion, ...]], ...]
    #: Documents that could not be read or whose annotations could not be (named).
    problems: tuple[str, ...] = ()

    @property
    def places(self) -> int:
        """How many places in all."""
        return sum(len(found) for _, found in self.documents)


def corpus_occurrences(
    refs: Iterable[DocumentRef],
    store: Store,
    annotator: str,
    source: OccurrenceSource,
    cancelled: Callable[[], bool] = lambda: False,
) -> CorpusOccurrences:
    """The places of ``source``'s phrase in each of ``refs`` (the annotator's spans and
    rejections there respected), stopping early when ``cancelled()`` says so."""
    from tui.core.store import StoreError

    documents: list[tuple[DocumentRef, tuple[Suggestion, ...]]] = []
    problems: list[str] = []
    for ref in refs:
        if cancelled():
            break
        try:
            text = load_document(ref).text
            state = store.document(ref.doc_id, annotator).load()
        except (DocumentError, StoreError) as error:
            problems.append(f"{ref.name}: {error}")
            continue
        existing = [(span.start, span.end) for span in state.spans]
        found = occurrences_in(text, source, existing, state.rejected)
        if found:
            documents.append((ref, tuple(found)))
    return CorpusOccurrences(tuple(documents), tuple(problems))


def decide_in_corpus(
    found: CorpusOccurrences,
    store: Store,
    annotator: str,
    *,
    accept: bool,
    progress: dict[str, tuple[int, Status]] | None = None,
) -> tuple[int, list[str]]:
    """Accept (or reject) every place found, each document in its own session: one undo
    step and one save there. Returns how many places were decided, and the problems (a
    document changed or unreadable since, a store that refused the write), one line each.
    ``progress`` gets each changed document's span count and status, by id (the list
    shows them without reading the store again)."""
    decided = 0
    problems: list[str] = []
    for ref, places in found.documents:
        try:
            text = load_document(ref).text
        except DocumentError as error:
            problems.append(f"{ref.name}: {error}")
            continue
        session = open_session(store, ref.doc_id, annotator, text).session
        if session.read_only is not None:
            problems.append(f"{ref.name}: {session.read_only}")
            continue
        existing = [(span.start, span.end) for span in session.annotations.spans]
        kept = filter_suggestions(places, existing, session.rejected)  # as it is now
        keys = [(s.start, s.end, s.label) for s in kept]
        if not keys:
            continue
        phrase = text[keys[0][0] : keys[0][1]]
        if accept:
            done = session.accept_suggestions(keys, f"label every {phrase} {keys[0][2]}")
            ok = done is not None and session.saved
        else:
            ok = session.reject(keys)
        if ok:
            decided += len(keys)
            if progress is not None:
                progress[ref.doc_id] = (len(session.annotations.spans), session.status)
        else:
            problems.append(f"{ref.name}: {session.error or 'not saved'}")
    return decided, problems
