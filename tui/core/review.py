"""Review: every annotator's spans of a document as layers, and the reviewer's gold layer.

Each annotator's store file of a document is one layer. The reviewer's decisions are kept
like any layer, under the annotator name :data:`GOLD`, each span attributed to the
reviewer. Reading layers never writes; one annotator's corrupt file is named and left
out, and the others are still reviewed.
"""

from __future__ import annotations

import bisect
import multiprocessing
import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from tui.core.agreement import (
    DisagreementSet,
    DocumentLayers,
    SpanKey,
    agreed_spans,
    disagreements,
)
from tui.core.annotations import Annotations, Change, text_sha256
from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.session import Opened, Session, open_session
from tui.core.spans import GOLD, Span, is_gold, new_span_id, now_iso
from tui.core.store import Outline, Store, StoreError
from tui.core.wording import counted

__all__ = [
    "GOLD",
    "LayerProblems",
    "ReviewDocument",
    "ReviewerError",
    "Version",
    "check_reviewer",
    "corpus_layers",
    "corpus_layers_in_processes",
    "document_layers",
    "gold_decided",
    "layer_outlines",
    "open_gold",
    "review_document",
]


class ReviewerError(Exception):
    """The reviewer cannot review under that name; ``str(error)`` says why, in one line."""


@dataclass
class LayerProblems:
    """Files that could not be read while collecting layers, one message each."""

    messages: list[str] = field(default_factory=list)


def document_layers(
    store: Store, doc_id: str, problems: LayerProblems
) -> dict[str, frozenset[SpanKey]]:
    """Every annotator's spans of ``doc_id`` (the gold layer left out).

    A file that cannot be read is reported in ``problems`` and left out.
    """
    return {name: outline.keys for name, outline in layer_outlines(store, doc_id, problems).items()}


def layer_outlines(store: Store, doc_id: str, problems: LayerProblems) -> dict[str, Outline]:
    """Every annotator's spans and status of ``doc_id`` in one read each (gold left out).

    A file that cannot be read is reported in ``problems`` and left out.
    """
    return store.outlines(doc_id, problems.messages, skip=GOLD)


def gold_decided(store: Store, doc_id: str) -> set[tuple[int, int]]:
    """The disagreements of ``doc_id`` the reviewer has decided (none if gold is unreadable)."""
    try:
        return set(store.document(doc_id, GOLD).outline().decided)
    except StoreError:
        return set()


def corpus_layers(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems
) -> Iterator[DocumentLayers]:
    """The layers of each document under ``refs``, one document at a time.

    A document that cannot be read is reported in ``problems`` and skipped: agreement
    counts its characters, so it needs the text's length.
    """
    for ref in refs:
        layers = document_layers(store, ref.doc_id, problems)
        if not layers:
            continue
        try:
            length = len(load_document(ref).text)
        except DocumentError as error:
            problems.messages.append(f"{ref.name}: {error}")
            continue
        yield DocumentLayers(ref.name, length, _inside(ref.name, length, layers, problems))


def _inside(
    name: str, length: int, layers: dict[str, frozenset[SpanKey]], problems: LayerProblems
) -> dict[str, frozenset[SpanKey]]:
    """``layers`` without the spans reaching past the end of the text, each file's named.

    Such a span (a hand-edited file) is flagged ⚑ when the document is opened; agreement
    must not count it as a span of this text either.
    """
    for who, keys in layers.items():
        outside = [key for key in keys if key[1] > length]
        if outside:
            problems.messages.append(
                f"{name}: {counted(len(outside), 'span')} of {who!r} past the end of the text"
            )
            layers[who] = keys.difference(outside)
    return layers


#: Documents per job in :func:`corpus_layers_in_processes`: large enough that pickling
#: the results back is cheap next to the reading, small enough to keep every worker busy.
_CHUNK = 500


def corpus_layers_in_processes(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems, chunk: int = _CHUNK
) -> Iterator[DocumentLayers]:
    """:func:`corpus_layers`, the reading shared out among one process per core.

    Opening and parsing 30 000 store files was most of ``biaozhu agree``; the caller
    counts agreement while the workers read on. Documents come in the same order. For
    batch commands only: forking a program that runs threads (the app) is unsafe.
    """
    refs = list(refs)
    workers = min(os.cpu_count() or 1, len(refs) // chunk)
    if workers < 2:
        yield from corpus_layers(refs, store, problems)
        return
    chunks = [refs[start : start + chunk] for start in range(0, len(refs), chunk)]
    context = multiprocessing.get_context("fork")  # the modules are loaded already
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for layers, messages in pool.map(_read_layers, chunks, repeat(store.root)):
            problems.messages.extend(messages)
            yield from layers


def _read_layers(refs: list[DocumentRef], root: Path) -> tuple[list[DocumentLayers], list[str]]:
    """One worker's job: the layers of ``refs``, and the problems met."""
    problems = LayerProblems()
    return list(corpus_layers(refs, Store(root), problems)), problems.messages


def check_reviewer(reviewer: str, store: Store, refs: Iterable[DocumentRef]) -> None:
    """Refuse a reviewer name that is an annotator's (their layer and decisions would mix)."""
    if is_gold(reviewer):
        raise ReviewerError(f"{GOLD!r} names the gold layer itself; choose your own name")
    for ref in refs:
        if reviewer in store.annotators(ref.doc_id):
            raise ReviewerError(
                f"{reviewer!r} annotated {ref.name}; review under another name "
                "(--reviewer NAME), so your decisions stay apart from your annotations"
            )


# ---------------------------------------------------------------------------- one document


@dataclass(frozen=True, slots=True)
class Version:
    """One way the annotators marked a disagreement: the spans, and who marked it so."""

    annotators: tuple[str, ...]
    spans: frozenset[SpanKey]


class ReviewDocument:
    """The annotators' layers of one document, their disagreements, and moves among them."""

    def __init__(self, layers: Mapping[str, frozenset[SpanKey]]) -> None:
        self.layers = dict(layers)
        self.sets: list[DisagreementSet] = disagreements(self.layers)
        self._starts = [found.start for found in self.sets]

    @property
    def agreed(self) -> frozenset[SpanKey]:
        """Spans every annotator has: the gold layer starts with them accepted."""
        return agreed_spans(self.layers)

    def candidates(self, gold: Iterable[SpanKey]) -> dict[SpanKey, tuple[str, ...]]:
        """Every annotator span not in ``gold``, with who marked it (names sorted)."""
        accepted = set(gold)
        marked: dict[SpanKey, list[str]] = {}
        for annotator in sorted(self.layers):
            for key in self.layers[annotator]:
                if key not in accepted:
                    marked.setdefault(key, []).append(annotator)
        return {key: tuple(names) for key, names in marked.items()}

    def marked_at(self, offset: int) -> list[tuple[SpanKey, tuple[str, ...]]]:
        """The annotator spans covering ``offset``, innermost first, with who marked each."""
        found: dict[SpanKey, list[str]] = {}
        for annotator in sorted(self.layers):
            for key in self.layers[annotator]:
                if key[0] <= offset < key[1]:
                    found.setdefault(key, []).append(annotator)
        ordered = sorted(found, key=lambda key: (key[1] - key[0], key[0], key[2]))
        return [(key, tuple(found[key])) for key in ordered]

    def set_at(self, offset: int) -> int | None:
        """The index of the disagreement covering ``offset``, if any."""
        index = bisect.bisect_right(self._starts, offset) - 1
        while index >= 0:
            if self.sets[index].start <= offset < self.sets[index].end:
                return index
            if self.sets[index].end <= offset:
                return None
            index -= 1
        return None

    def next_set(self, offset: int, decided: Collection[tuple[int, int]] = ()) -> int | None:
        """The first disagreement starting after ``offset`` whose extent is not ``decided``."""
        for index in range(bisect.bisect_right(self._starts, offset), len(self.sets)):
            if not self.is_decided(index, decided):
                return index
        return None

    def previous_set(self, offset: int, decided: Collection[tuple[int, int]] = ()) -> int | None:
        """The last disagreement starting before ``offset`` whose extent is not ``decided``."""
        for index in range(bisect.bisect_left(self._starts, offset) - 1, -1, -1):
            if not self.is_decided(index, decided):
                return index
        return None

    def is_decided(self, index: int, decided: Collection[tuple[int, int]]) -> bool:
        """Whether disagreement ``index`` is among the ``decided`` extents."""
        found = self.sets[index]
        return (found.start, found.end) in decided

    def undecided(self, decided: Collection[tuple[int, int]]) -> int:
        """How many disagreements are left to decide."""
        return sum(1 for index in range(len(self.sets)) if not self.is_decided(index, decided))

    def versions(self, index: int) -> list[Version]:
        """The distinct versions of disagreement ``index``, most annotators first."""
        grouped: dict[frozenset[SpanKey], list[str]] = {}
        for annotator, spans in sorted(self.sets[index].versions.items()):
            grouped.setdefault(spans, []).append(annotator)
        versions = [Version(tuple(names), spans) for spans, names in grouped.items()]
        versions.sort(key=lambda version: (-len(version.annotators), version.annotators))
        return versions


#: Review documents by their layers' identities (see :func:`review_document`).
_reviews: dict[tuple[tuple[str, int], ...], ReviewDocument] = {}
_KEPT_REVIEWS = 16


def review_document(layers: Mapping[str, frozenset[SpanKey]]) -> ReviewDocument:
    """``ReviewDocument(layers)``, shared while the layers are the very same objects.

    The store keeps the outlines of large files, so the review list's worker and the
    opening of the document hand in the same sets; finding the disagreements of three
    layers of 2 000 spans costs 20 ms of the first frame. A kept document holds its
    layers, so their ids cannot be reused while it is kept.
    """
    key = tuple(sorted((name, id(keys)) for name, keys in layers.items()))
    found = _reviews.get(key)
    if found is not None and all(found.layers.get(n) is keys for n, keys in layers.items()):
        return found
    review = ReviewDocument(layers)
    with suppress(KeyError, RuntimeError, StopIteration):  # another thread got there
        while len(_reviews) >= _KEPT_REVIEWS:
            del _reviews[next(iter(_reviews))]
    _reviews[key] = review
    return review


def open_gold(
    store: Store,
    doc_id: str,
    reviewer: str,
    text: str,
    review: ReviewDocument,
    read_only: str | None = None,
) -> Opened:
    """The reviewer's session over the gold layer of ``doc_id``.

    Reviewed for the first time (no gold file yet, not ``read_only``), the gold layer
    starts as the spans every annotator agrees on, attributed to the reviewer. They are
    queued in the session, not written yet: the caller saves them (``session.retry()``)
    once the document is on screen, and any decision made before is saved after them.
    """
    if read_only is not None or store.path_for(doc_id, GOLD).exists():
        return open_session(store, doc_id, reviewer, text, layer=GOLD, read_only=read_only)
    sha, stamp = text_sha256(text), now_iso()
    spans = [
        Span(new_span_id(), doc_id, sha, start, end, text[start:end], label, reviewer, stamp, stamp)
        for start, end, label in sorted(review.agreed)
    ]
    annotations = Annotations(text, doc_id, sha, reviewer, spans)
    session = Session(annotations, store.document(doc_id, GOLD))
    session.queue(Change(tuple(spans), (), "accept the agreed spans"))
    return Opened(session, 0, (), None)
