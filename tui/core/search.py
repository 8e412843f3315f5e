"""Script- and case-insensitive search in one document or a whole corpus (DESIGN §4, §5).

Text and query are both turned into a *search key*: :func:`display_safe` (one code point
for one, and OpenCC truncates at NUL), then the simplified shadow (``t2s``, same length),
then case folding where it keeps the length. Every step keeps the length, so an offset in
the key is an offset in the canonical text, and 县 finds 縣 as 縣 finds 县.

One consequence: a query holding a control character matches its control picture as well
as the character itself (NUL and ␀ share a key). Nobody types either into a search box.

:class:`CorpusIndex` keeps the key of every document in memory, so a query converts only
itself: the keys are joined into one string with NUL separators (a key never contains
NUL, so no hit spans two documents) and a hit's document is found by bisecting a table of
document starts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.script import simplified_shadow
from tui.core.text import display_safe

__all__ = [
    "CONTEXT_CHARS",
    "CorpusIndex",
    "Hit",
    "SearchResult",
    "find_all",
    "fold_case",
    "search_key",
]

#: Characters of original text shown on either side of a hit.
CONTEXT_CHARS = 20

# Never produced by a search key (display_safe turns NUL into ␀), so it cannot be matched.
_SEPARATOR = "\x00"

# Line breaks of any kind would break the one-line context; tabs would widen it unevenly.
# (A regex, not str.translate: translate takes ~9 µs on a short CJK string, most of a hit.)
_CONTEXT_BREAKS = re.compile("[\n\t\u2028\u2029]")


@cache
def _expanding_pattern() -> re.Pattern[str]:
    """The characters whose case folding is longer than one character (ß → ss, ﬁ → fi).

    Unicode has about a hundred, all in the BMP; the scan costs ~10 ms, once.
    """
    chars = [chr(cp) for cp in range(0x10000) if len(chr(cp).casefold()) != 1]
    return re.compile("([" + "".join(re.escape(ch) for ch in chars) + "])")


def fold_case(text: str) -> str:
    """Case-fold ``text`` code point by code point, keeping its length.

    Characters whose folding would change the length (ß → ss, ﬁ → fi) are lower-cased
    instead when that keeps one character (ẞ → ß) and kept as they are otherwise (ﬁ, İ),
    so offsets stay valid: ``fold_case("STRAẞE")`` is ``"straße"``.
    """
    folded = text.casefold()
    # No character folds to nothing, so an equal length means every one folded to one.
    if len(folded) == len(text):
        return folded
    parts = _expanding_pattern().split(text)
    # split() with a group puts the separators (one expanding character each) at odd indices.
    return "".join((_lower_one(part) if i % 2 else part.casefold()) for i, part in enumerate(parts))


def _lower_one(char: str) -> str:
    """``char`` lower-cased if that keeps it one character, else ``char`` itself."""
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char


def search_key(text: str) -> str:
    """The text search compares: safe, simplified, case-folded; the same length as ``text``."""
    return fold_case(simplified_shadow(display_safe(text)))


def find_all(shadow: str, query: str, *, folded: bool = False) -> list[tuple[int, int]]:
    """Every non-overlapping hit of ``query`` in a document, as canonical ``(start, end)``.

    ``shadow`` is the document's simplified shadow (``simplified_shadow(display_safe(
    text))``, as the reader makes it); it is case-folded here, ~10 ms per MB. Pass
    ``folded=True`` with a :func:`search_key` kept for the document, to skip that on every
    query. The query is turned into its search key, so the hits ignore script and case.
    Hits are taken left to right: ``"aa"`` in ``"aaaa"`` hits twice. An empty query hits
    nothing.
    """
    key = search_key(query)
    if not key:
        return []
    haystack = shadow if folded else fold_case(shadow)
    width = len(key)
    hits: list[tuple[int, int]] = []
    position = haystack.find(key)
    while position >= 0:
        hits.append((position, position + width))
        position = haystack.find(key, position + width)
    return hits


@dataclass(frozen=True, slots=True)
class Hit:
    """One hit of a corpus search.

    ``index`` is the document's position in the list the index was built from. ``context``
    is one line of original text around the hit (display-safe, not markup-safe), and the
    hit itself is ``context[context_start : context_start + end - start]``.
    """

    index: int
    doc_id: str
    start: int
    end: int
    context: str
    context_start: int


@dataclass(frozen=True, slots=True)
class SearchResult:
    """The hits of a corpus search, up to a limit, and how many there were in all."""

    hits: list[Hit]
    total: int
    documents: int

    @property
    def truncated(self) -> bool:
        """Whether hits were left out because of the limit."""
        return self.total > len(self.hits)


_EMPTY = SearchResult([], 0, 0)


class CorpusIndex:
    """The search keys of every document of a corpus, in memory, for instant searching.

    Build it in a background worker with :meth:`build` (or :meth:`from_texts`); after
    that it is never changed, so any thread may search it. It holds each document's
    original text (for the contexts) and its key: about twice the corpus in memory.
    """

    def __init__(
        self,
        entries: Iterable[tuple[int, str, str]],
        problems: Sequence[str] = (),
        *,
        complete: bool = True,
    ) -> None:
        """Index ``(position, doc_id, text)`` entries; prefer :meth:`build`."""
        self._positions: list[int] = []
        self._ids: list[str] = []
        self._texts: list[str] = []
        self._starts: list[int] = []
        keys: list[str] = []
        offset = 0
        for position, doc_id, text in entries:
            key = search_key(text)
            self._positions.append(position)
            self._ids.append(doc_id)
            self._texts.append(text)
            self._starts.append(offset)
            keys.append(key)
            offset += len(key) + len(_SEPARATOR)
        self._joined = _SEPARATOR.join(keys)
        #: One line per document that could not be read: ``"doc_id: reason"``.
        self.problems: list[str] = list(problems)
        #: False when the build was cancelled: only the documents before that are indexed.
        self.complete = complete

    @classmethod
    def build(
        cls,
        refs: Sequence[DocumentRef],
        cancelled: Callable[[], bool] | None = None,
    ) -> CorpusIndex:
        """Read and index the documents of ``refs``; a hit's ``index`` is its place there.

        A document that cannot be read is skipped and named in :attr:`problems`.
        ``cancelled`` is asked before each document; once it answers true the build stops
        and returns what it has, with :attr:`complete` false.
        """
        problems: list[str] = []
        stopped: list[bool] = []

        def readable() -> Iterator[tuple[int, str, str]]:
            for position, ref in enumerate(refs):
                if cancelled is not None and cancelled():
                    stopped.append(True)
                    return
                try:
                    text = load_document(ref).text
                except DocumentError as exc:
                    problems.append(str(exc))
                    continue
                yield position, ref.name, text

        index = cls(readable())
        index.problems = problems
        index.complete = not stopped
        return index

    @classmethod
    def from_texts(
        cls,
        documents: Iterable[tuple[str, str]],
        cancelled: Callable[[], bool] | None = None,
    ) -> CorpusIndex:
        """Index ``(doc_id, text)`` pairs already in memory (imports, tests, benchmarks)."""
        stopped: list[bool] = []

        def entries() -> Iterator[tuple[int, str, str]]:
            for position, (doc_id, text) in enumerate(documents):
                if cancelled is not None and cancelled():
                    stopped.append(True)
                    return
                yield position, doc_id, text

        index = cls(entries())
        index.complete = not stopped
        return index

    def __len__(self) -> int:
        """How many documents are indexed (unreadable ones are not)."""
        return len(self._ids)

    def search(self, query: str, limit: int = 1000) -> SearchResult:
        """The first ``limit`` hits of ``query``, in list order, and how many in all.

        Script- and case-insensitive as :func:`find_all`, and non-overlapping within each
        document. Past the limit the search only counts: hits with ``str.count`` and
        documents by jumping to the next document after each one that hits.
        """
        key = search_key(query)
        if not key:
            return _EMPTY
        joined = self._joined
        total = joined.count(key)
        if total == 0:
            return _EMPTY
        starts, width = self._starts, len(key)
        hits: list[Hit] = []
        documents = 0
        last = -1
        position = joined.find(key)
        while position >= 0:
            document = bisect_right(starts, position) - 1
            if document != last:
                documents += 1
                last = document
            if len(hits) < limit:
                hits.append(self._hit(document, position - starts[document], width))
                resume = position + width
            elif document + 1 < len(starts):
                resume = starts[document + 1]
            else:
                break
            position = joined.find(key, resume)
        return SearchResult(hits, total, documents)

    def _hit(self, document: int, start: int, width: int) -> Hit:
        """The hit at document-local ``start``, with its one-line context."""
        text = self._texts[document]
        end = start + width
        before = max(0, start - CONTEXT_CHARS)
        context = _CONTEXT_BREAKS.sub(" ", display_safe(text[before : end + CONTEXT_CHARS]))
        return Hit(
            self._positions[document], self._ids[document], start, end, context, start - before
        )
