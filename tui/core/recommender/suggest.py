"""Pre-annotating a layer with a model's spans (``biaozhu suggest``).

Each document is tagged a paragraph at a time (:func:`tui.core.suggest.paragraphs`, at
most 2 000 characters each, so a document of megabytes never builds one giant sequence).
A span the model finds is added to the annotator's layer with origin ``model`` and its
confidence, unless it overlaps a span already there (whoever made it) or the annotator
rejected that very (start, end, label) before. So running it again adds nothing new.
Documents the annotator marked done are left alone. Each document's new spans are one
atomic store write (:meth:`tui.core.store.DocumentStore.apply`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui.core.annotations import reanchor, text_sha256
from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.recommender.model import Model
from tui.core.spans import Origin, Span, Status, check_annotator, new_span_id, now_iso
from tui.core.store import Store, StoreError
from tui.core.suggest import Suggestion, filter_suggestions, paragraphs

__all__ = ["SuggestCounts", "model_spans", "suggest_into_layer"]


@dataclass
class SuggestCounts:
    """What :func:`suggest_into_layer` did."""

    documents: int = 0
    #: Documents that got at least one new span.
    changed: int = 0
    added: int = 0
    #: Spans the model found that were already there or overlap a span there.
    overlapping: int = 0
    #: Spans the model found that the annotator had rejected.
    rejected: int = 0
    #: Documents marked done, left alone.
    done: int = 0
    #: Documents that could not be read or written, one line each.
    problems: list[str] = field(default_factory=list)


def model_spans(model: Model, text: str) -> list[tuple[int, int, str, float]]:
    """The model's spans of a whole document ``text``, a paragraph at a time."""
    found: list[tuple[int, int, str, float]] = []
    for start, end in paragraphs(text):
        found += [(start + s, start + e, label, p) for s, e, label, p in model.tag(text[start:end])]
    return found


def suggest_into_layer(
    store: Store,
    refs: Sequence[DocumentRef],
    model: Model,
    annotator: str,
    progress: Callable[[int, int], None] | None = None,
) -> SuggestCounts:
    """Add ``model``'s spans to ``annotator``'s layer over ``refs`` (the module's notes).

    ``progress`` is called with (documents done, documents in all) after each document.
    Raises :class:`~tui.core.spans.AnnotatorError` for the gold layer's name.
    """
    check_annotator(annotator)
    counts = SuggestCounts()
    for number, ref in enumerate(refs, 1):
        try:
            _suggest_document(store, ref, model, annotator, counts)
        except (StoreError, DocumentError) as error:
            counts.problems.append(str(error))
        if progress is not None:
            progress(number, len(refs))
    return counts


def _suggest_document(
    store: Store, ref: DocumentRef, model: Model, annotator: str, counts: SuggestCounts
) -> None:
    document = store.document(ref.doc_id, annotator)
    state = document.load()
    if state.status is Status.DONE:
        counts.done += 1
        return
    counts.documents += 1
    text = load_document(ref).text
    sha256 = text_sha256(text)
    existing, _ = reanchor(state.spans, text, sha256)
    found = model_spans(model, text)
    confidence = {(start, end, label): p for start, end, label, p in found}
    candidates = [Suggestion(start, end, label) for start, end, label, _ in found]
    rejected = set(state.rejected)
    kept = filter_suggestions(candidates, [(s.start, s.end) for s in existing], rejected)
    turned_down = sum((c.start, c.end, c.label) in rejected for c in candidates)
    counts.rejected += turned_down
    counts.overlapping += len(candidates) - len(kept) - turned_down
    if not kept:
        return
    stamp = now_iso()
    spans = [
        Span(
            id=new_span_id(),
            doc_id=ref.doc_id,
            doc_sha256=sha256,
            start=s.start,
            end=s.end,
            text=text[s.start : s.end],
            label=s.label,
            annotator=annotator,
            created=stamp,
            modified=stamp,
            origin=Origin.MODEL,
            confidence=round(confidence[s.start, s.end, s.label], 4),
        )
        for s in kept
    ]
    document.apply(spans)
    counts.changed += 1
    counts.added += len(spans)
