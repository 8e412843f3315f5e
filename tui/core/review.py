"""Review: every annotator's spans of a document as layers, and the reviewer's gold layer.

Each annotator's store file of a document is one layer. The reviewer's decisions are kept
like any layer, under the annotator name :data:`GOLD`, each span attributed to the
reviewer. Reading layers never writes; one annotator's corrupt file is named and left
out, and the others are still reviewed.
"""

from __future__ import annotations

import bisect
import hashlib
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from enum import Enum
from itertools import repeat
from pathlib import Path
from typing import TypeVar

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
from tui.core.store_check import DecisionBasis
from tui.core.wording import counted

__all__ = [
    "GOLD",
    "Decision",
    "Decisions",
    "LayerProblems",
    "ReviewDocument",
    "ReviewerError",
    "Version",
    "acceptance_lines",
    "check_reviewer",
    "corpus_layers",
    "corpus_layers_in_processes",
    "document_layers",
    "gold_decided",
    "in_processes",
    "layer_outlines",
    "open_gold",
    "review_document",
]


_Item = TypeVar("_Item")


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


@dataclass(frozen=True)
class Decisions:
    """The reviewer's decisions in a document: the decided extents, and for each what the
    annotators had marked there then (see :meth:`ReviewDocument.fingerprint`)."""

    extents: Collection[tuple[int, int]] = frozenset()
    basis: DecisionBasis = field(default_factory=dict)


def gold_decided(store: Store, doc_id: str) -> Decisions:
    """The disagreements of ``doc_id`` the reviewer has decided (none if gold is unreadable)."""
    try:
        outline = store.document(doc_id, GOLD).outline()
    except StoreError:
        return Decisions()
    return Decisions(frozenset(outline.decided), outline.decided_on)


def acceptance_lines(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems
) -> list[str]:
    """How often the reviewer took each annotator's version, over the gold layers of
    ``refs``: one line per annotator, most accepted first (none when nothing is decided)."""
    accepted: Counter[str] = Counter()
    decided = documents = 0
    for ref in refs:
        if not store.path_for(ref.doc_id, GOLD).exists():
            continue
        try:
            state = store.document(ref.doc_id, GOLD).load()
        except StoreError as error:
            problems.messages.append(str(error))
            continue
        decided += len(state.decided)
        documents += 1
        accepted.update(name for span in state.spans for name in span.accepted_from)
    if not decided:
        return []
    head = (
        f"accepted in review ({counted(decided, 'decision')} in {counted(documents, 'document')})"
    )
    width = max(len(name) for name in accepted) if accepted else 0
    rows = [f"  {name:<{width}}  {count:>6,} spans" for name, count in accepted.most_common()]
    return [head, *(rows or ["  no annotator's version accepted yet"])]


def corpus_layers(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems
) -> Iterator[DocumentLayers]:
    """The layers of each document under ``refs``, one document at a time.

    A document that cannot be read is reported in ``problems`` and skipped: agreement
    counts its characters, so it needs the text's length.
    """
    for ref in refs:
        outlines = layer_outlines(store, ref.doc_id, problems)
        if not outlines:
            continue
        try:
            length = len(load_document(ref).text)
        except DocumentError as error:
            problems.messages.append(f"{ref.name}: {error}")
            continue
        layers = {name: outline.keys for name, outline in outlines.items()}
        linked = any(outline.linked for outline in outlines.values())
        yield DocumentLayers(ref.name, length, _inside(ref.name, length, layers, problems), linked)


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
    return in_processes(corpus_layers, refs, store, problems, chunk)


#: Reads what a command needs of each document under some refs, naming problems.
CorpusReader = Callable[[Iterable[DocumentRef], Store, LayerProblems], Iterator[_Item]]


def in_processes(
    read: CorpusReader[_Item],
    refs: Iterable[DocumentRef],
    store: Store,
    problems: LayerProblems,
    chunk: int = _CHUNK,
) -> Iterator[_Item]:
    """``read(refs, store, problems)``, shared out among one process per core in chunks
    of ``chunk`` documents, the results in the same order (batch commands only, see
    :func:`corpus_layers_in_processes`). ``read`` must be a module-level function."""
    refs = list(refs)
    workers = min(os.cpu_count() or 1, len(refs) // chunk)
    if workers < 2:
        yield from read(refs, store, problems)
        return
    chunks = [refs[start : start + chunk] for start in range(0, len(refs), chunk)]
    context = multiprocessing.get_context("fork")  # the modules are loaded already
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for items, messages in pool.map(_read_chunk, repeat(read), chunks, repeat(store.root)):
            problems.messages.extend(messages)
            yield from items


def _read_chunk(
    read: CorpusReader[_Item], refs: list[DocumentRef], root: Path
) -> tuple[list[_Item], list[str]]:
    """One worker's job: what ``read`` makes of ``refs``, and the problems met."""
    problems = LayerProblems()
    return list(read(refs, Store(root), problems)), problems.messages


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
    _check_not_blind(reviewer, store)


def _check_not_blind(reviewer: str, store: Store) -> None:
    """Refuse an annotator of a blind assignment: review shows every annotator's layer."""
    from tui.core.assign import AssignmentError, blind_for

    try:
        blind = blind_for(store.root, reviewer)
    except AssignmentError as error:
        raise ReviewerError(str(error)) from None
    if blind is not None:
        raise ReviewerError(
            f"{reviewer!r} annotates in a blind assignment: review shows the others' layers; "
            "review under a reviewer's name (--reviewer NAME)"
        )


# ---------------------------------------------------------------------------- one document


class Decision(Enum):
    """Where a disagreement stands with the reviewer (its mark in the version bar)."""

    UNDECIDED = "≠"
    DECIDED = "✓"
    STALE = "⚠"


def _decisions(decided: Collection[tuple[int, int]] | Decisions) -> Decisions:
    return decided if isinstance(decided, Decisions) else Decisions(decided)


def _digest(spans: Iterable[SpanKey]) -> str:
    """A short hash of an annotator's spans inside a disagreement."""
    text = ";".join(f"{start},{end},{label}" for start, end, label in sorted(spans))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def _what_changed(then: Mapping[str, str], now: Mapping[str, str]) -> str:
    """``"carol new, bob changed"``: how the layers differ from when it was decided."""
    said = [f"{name} new" for name in sorted(now) if name not in then]
    said += [f"{name} changed" for name in sorted(now) if name in then and now[name] != then[name]]
    said += [f"{name} gone" for name in sorted(then) if name not in now]
    return ", ".join(said)


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

    def next_set(
        self, offset: int, decided: Collection[tuple[int, int]] | Decisions = ()
    ) -> int | None:
        """The first disagreement starting after ``offset`` still to decide (undecided
        or stale)."""
        for index in range(bisect.bisect_right(self._starts, offset), len(self.sets)):
            if not self.is_decided(index, decided):
                return index
        return None

    def previous_set(
        self, offset: int, decided: Collection[tuple[int, int]] | Decisions = ()
    ) -> int | None:
        """The last disagreement starting before ``offset`` still to decide."""
        for index in range(bisect.bisect_left(self._starts, offset) - 1, -1, -1):
            if not self.is_decided(index, decided):
                return index
        return None

    def is_decided(self, index: int, decided: Collection[tuple[int, int]] | Decisions) -> bool:
        """Whether disagreement ``index`` is decided and still as it was then."""
        return self.decision(index, decided)[0] is Decision.DECIDED

    def decision(
        self, index: int, decided: Collection[tuple[int, int]] | Decisions
    ) -> tuple[Decision, str]:
        """Where disagreement ``index`` stands, and for a stale one what changed since.

        Decided: its extent was decided and each annotator's spans there are what they
        were then (or nothing was recorded of then: decisions from before biaozhu kept
        it). Stale: decided, but an annotator changed their spans there, a new one came,
        or the disagreement grew or shrank past a decided extent. Else undecided.
        """
        decisions = _decisions(decided)
        found = self.sets[index]
        extent = (found.start, found.end)
        if extent in decisions.extents:
            then = decisions.basis.get(extent)
            if then is None or then == self.fingerprint(index):
                return Decision.DECIDED, ""
            return Decision.STALE, _what_changed(then, self.fingerprint(index))
        for start, end in decisions.extents:
            if start < found.end and found.start < end:
                return Decision.STALE, "its extent changed"
        return Decision.UNDECIDED, ""

    def fingerprint(self, index: int) -> dict[str, str]:
        """What each annotator has marked inside disagreement ``index``, hashed: kept with
        a decision, so a later change of any layer there shows (see :meth:`decision`)."""
        return {name: _digest(spans) for name, spans in self.sets[index].versions.items()}

    def undecided(self, decided: Collection[tuple[int, int]] | Decisions) -> int:
        """How many disagreements are left to decide (stale ones included)."""
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
