"""Training and test examples from one annotator's layer of the store.

A document counts when the annotator's status for it is among the statuses asked for
(by default in progress or done: a new document's unmarked text says nothing). Its spans
are re-anchored onto the text as it is now (in memory; flagged spans, whose text is gone,
are left out) and flattened to the outermost layer (:func:`~tui.core.recommender.tags.
outermost`). Every character no kept span covers is a negative example (``O``), the
characters of rejected suggestions included: a rejected suggestion with no real span over
it is trained as ``O``, which is what the annotator said of it.

Each document is cut into the paragraphs the app tags one at a time
(:func:`tui.core.suggest.paragraphs`); a paragraph that a span runs out of (across a line
break) is left out, since half a span would teach the wrong tags.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field

from tui.core.annotations import reanchor, text_sha256
from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.recommender.tags import Extent, outermost
from tui.core.spans import Status
from tui.core.store import Store, StoreError
from tui.core.suggest import paragraphs

__all__ = ["DEFAULT_STATUSES", "Example", "LayerExamples", "held_out", "layer_examples"]

#: The statuses of documents learnt from by default.
DEFAULT_STATUSES: tuple[Status, ...] = (Status.IN_PROGRESS, Status.DONE)


@dataclass(frozen=True, slots=True)
class Example:
    """One paragraph of a document and its outermost spans, in offsets within it."""

    doc_id: str
    index: int
    text: str
    spans: tuple[Extent, ...]


@dataclass
class LayerExamples:
    """The examples of a layer, and what they came from."""

    examples: list[Example] = field(default_factory=list)
    documents: int = 0
    #: Outermost spans in the examples.
    spans: int = 0
    labels: set[str] = field(default_factory=set)
    #: Documents that could not be read (their store file or text), one line each.
    problems: list[str] = field(default_factory=list)


def layer_examples(
    store: Store,
    refs: Sequence[DocumentRef],
    annotator: str,
    statuses: Collection[Status] | None = DEFAULT_STATUSES,
    progress: Callable[[int, int], None] | None = None,
) -> LayerExamples:
    """The examples of ``annotator``'s layer over ``refs`` (see the module's notes);
    ``statuses`` None takes every document the annotator has a file for.

    ``progress`` is called with (documents read, documents in all) now and then.
    """
    found = LayerExamples()
    for number, ref in enumerate(refs, 1):
        if progress is not None and (number % 50 == 0 or number == len(refs)):
            progress(number, len(refs))
        try:
            examples = list(_document_examples(store, ref, annotator, statuses))
        except (StoreError, DocumentError) as error:
            found.problems.append(str(error))
            continue
        if not examples:
            continue
        found.documents += 1
        found.examples += examples
        for example in examples:
            found.spans += len(example.spans)
            found.labels.update(label for _, _, label in example.spans)
    return found


def _document_examples(
    store: Store, ref: DocumentRef, annotator: str, statuses: Collection[Status] | None
) -> Iterator[Example]:
    document = store.document(ref.doc_id, annotator)
    if not document.path.exists():
        return
    state = document.load()
    if statuses is not None and state.status not in statuses:
        return
    text = load_document(ref).text
    spans, _ = reanchor(state.spans, text, text_sha256(text))
    kept = outermost((s.start, s.end, s.label) for s in spans if not s.flagged)
    yield from document_examples(ref.doc_id, text, kept)


def document_examples(doc_id: str, text: str, spans: Sequence[Extent]) -> Iterator[Example]:
    """The paragraphs of ``text`` with the ``spans`` (outermost, sorted) inside each; a
    paragraph a span runs out of is left out."""
    next_span = 0  # the spans do not overlap and are sorted: one walk over them
    for index, (start, end) in enumerate(paragraphs(text)):
        while next_span < len(spans) and spans[next_span][1] <= start:
            next_span += 1  # ends before this paragraph (between two, or in a left-out one)
        inside: list[Extent] = []
        crossed = False
        position = next_span
        while position < len(spans) and spans[position][0] < end:
            span_start, span_end, label = spans[position]
            if span_start < start or span_end > end:
                crossed = True
            inside.append((span_start - start, span_end - start, label))
            position += 1
        if not crossed:
            yield Example(doc_id, index, text[start:end], tuple(inside))


def held_out(example: Example, share: float) -> bool:
    """Whether ``example`` is held out for testing: a hash of its document id and place,
    so the split is the same on every run and machine, and about ``share`` of them."""
    if share <= 0:
        return False
    digest = hashlib.sha256(f"{example.doc_id}\0{example.index}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share
