"""Inter-annotator agreement between annotators' span layers.

The input is plain data: for each document its length and, per annotator, the set of
``(start, end, label)`` spans they saved (code points, end exclusive). An annotator missing
from a document's layers did not annotate it and takes part in nothing there; one present
with an empty set annotated "no entities" and counts.

Figures, for every pair of annotators ``(first, second)`` with ``first < second`` by name:

* **Exact span F1**: ``matches`` spans equal on start, end and label;
  ``F1 = 2·matches / (|first| + |second|)``, precision ``matches / |second|`` and recall
  ``matches / |first|`` (``first`` is the reference).
* **Overlap F1**: a span is matched when the other layer has a span of the same label that
  shares at least one character with it (or the very same span, so overlap F1 is never
  below exact F1); recall is the matched share of ``first``'s spans, precision that of
  ``second``'s, ``F1 = 2PR / (P + R)``.
* **Cohen's κ** on per-character BIO tags (:func:`bio_tags`), every character of every
  document both annotated being one item.
* **Fleiss' κ**, with three or more annotators, on the same tags over the characters of the
  documents *all* of them annotated.

Corpus figures are micro: counts (matches, span counts, characters, tag pairs) are pooled
over documents before any ratio is taken. A figure whose denominator is zero is ``None``
(shown "n/a"): two empty layers have no F1, two all-O tag sequences no κ — neither agrees
perfectly nor disagrees.

Speed: tags are small ints (O is 0); tag counts come from the spans themselves when they
do not overlap, agreeing characters from one C-level ``map`` over two tag lists, and a
layer is painted only when it differs from another. Ten thousand sentence-length
documents by three annotators take a fraction of a second. Nothing here imports Textual
or touches a file.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import accumulate, combinations
from typing import NamedTuple, TypeVar

__all__ = [
    "Agreement",
    "DisagreementSet",
    "DocumentLayers",
    "DocumentScore",
    "Layers",
    "PairScore",
    "SpanKey",
    "agreed_spans",
    "agreement",
    "bio_tags",
    "by_document",
    "by_label",
    "cohen_kappa_of_counts",
    "disagreements",
]

#: One span as agreement sees it: ``(start, end, label)``, code points, end exclusive.
SpanKey = tuple[int, int, str]
#: One document's spans per annotator.
Layers = Mapping[str, frozenset[SpanKey]]

_Tag = TypeVar("_Tag")
_OUTSIDE = 0  # the code of the O tag; a label's B and I tags get codes from _TagCodes


@dataclass(frozen=True, slots=True)
class DocumentLayers:
    """One document's annotations by every annotator who annotated it."""

    doc_id: str
    #: ``len(text)``: every character is one item for κ.
    length: int
    #: Annotator name to their spans; an annotator who did not annotate it is absent.
    layers: Layers
    #: Whether some annotator's file of it holds relations, chains, attributes or categories.
    linked: bool = False


@dataclass(frozen=True, slots=True)
class PairScore:
    """Agreement between two annotators, over the documents both annotated.

    ``first`` is the reference: exact and overlap recall are shares of its spans, precision
    shares of ``second``'s. Span counts are those of the shared documents only. Every ratio
    whose denominator is zero is ``None``.
    """

    first: str
    second: str
    #: Documents both annotated.
    documents: int
    spans_first: int
    spans_second: int
    #: Spans the two layers share exactly (start, end and label).
    matches: int
    exact_f1: float | None
    exact_precision: float | None
    exact_recall: float | None
    overlap_f1: float | None
    overlap_precision: float | None
    overlap_recall: float | None
    #: Characters compared for κ (the length of every shared document).
    characters: int
    kappa: float | None


@dataclass(frozen=True, slots=True)
class Agreement:
    """Agreement over a corpus, a label or one document.

    ``pairs`` holds every pair of ``annotators`` in name order, including pairs who shared
    no document (all their figures ``None``).
    """

    annotators: tuple[str, ...]
    pairs: tuple[PairScore, ...]
    #: ``None`` with fewer than three annotators or no document all of them annotated.
    fleiss_kappa: float | None
    #: Documents read.
    documents: int
    #: Documents every one of ``annotators`` annotated (the items of Fleiss' κ).
    fleiss_documents: int

    def pair(self, first: str, second: str) -> PairScore:
        """The score of two annotators, named in either order; KeyError if there is none."""
        low, high = sorted((first, second))
        for score in self.pairs:
            if score.first == low and score.second == high:
                return score
        raise KeyError((first, second))

    @property
    def mean_exact_f1(self) -> float | None:
        """The mean of the pairs' exact F1, skipping undefined ones; ``None`` if all are."""
        defined = [score.exact_f1 for score in self.pairs if score.exact_f1 is not None]
        return sum(defined) / len(defined) if defined else None


class DocumentScore(NamedTuple):
    """One document's agreement and its sort score (:func:`by_document`)."""

    doc_id: str
    agreement: Agreement
    #: Mean pairwise exact F1; ``None`` when no pair had a span to compare.
    score: float | None


@dataclass(frozen=True, slots=True)
class DisagreementSet:
    """Mutually overlapping spans on which the annotators do not all agree.

    ``versions`` gives each annotator present in the document their spans inside the set
    (an empty set for one who marked nothing there); ``start``/``end`` is the union extent.
    """

    start: int
    end: int
    versions: Mapping[str, frozenset[SpanKey]]


def bio_tags(length: int, spans: Iterable[SpanKey]) -> list[str]:
    """One ``O`` / ``B-X`` / ``I-X`` tag per character of a ``length``-character document.

    Overlapping spans are resolved per character: a character takes the tag of the
    highest-priority span covering it, longest first, then earliest start, then label. So a
    nested span is invisible at character level, and where two spans cross the longer one
    wins the shared characters. A character's tag is ``B`` only at its span's own start: a
    span whose start is hidden shows as ``I`` only. Parts of spans past ``length`` and
    empty spans tag nothing.
    """
    return _paint(length, spans, "O", lambda label: (f"B-{label}", f"I-{label}"))


def agreement(documents: Iterable[DocumentLayers], *, label: str | None = None) -> Agreement:
    """Micro agreement over a stream of documents, in one pass and constant memory.

    With ``label``, only spans of that label are seen: other labels' characters are O for
    κ, and a span of ``label`` nested inside another label's span is visible.
    """
    counts = _Counts()
    for document in documents:
        layers = document.layers if label is None else _restrict(document.layers, label)
        counts.add(document.length, layers)
    return counts.result()


def by_label(documents: Iterable[DocumentLayers]) -> dict[str, Agreement]:
    """``agreement(documents, label=X)`` for every label X anyone used, in one pass.

    Keys are in label order. A document without label X still counts for X: its
    characters are O for everyone.
    """
    overall = _Counts()
    per_label: dict[str, _Counts] = {}
    for document in documents:
        overall.add(document.length, document.layers)
        for label in _labels(document.layers):
            counts = per_label.setdefault(label, _Counts())
            counts.add(document.length, _restrict(document.layers, label))
    # Each label's counts saw only the documents using it; the rest are all-O for everyone.
    return {label: per_label[label].padded_to(overall).result() for label in sorted(per_label)}


def by_document(documents: Iterable[DocumentLayers]) -> list[DocumentScore]:
    """Every document's own agreement, worst first.

    The score is :attr:`Agreement.mean_exact_f1`. Lowest score first so disagreements come
    up for review; documents with nothing to compare (``None``: one annotator, or nobody
    marked anything) last; ties by ``doc_id``.
    """
    scores = []
    for document in documents:
        counts = _Counts()
        counts.add(document.length, document.layers)
        result = counts.result()
        scores.append(DocumentScore(document.doc_id, result, result.mean_exact_f1))
    scores.sort(key=lambda item: (item.score is None, item.score or 0.0, item.doc_id))
    return scores


def disagreements(layers: Layers) -> list[DisagreementSet]:
    """The sets of overlapping spans in one document that the annotators disagree on.

    Spans of all annotators are grouped into connected components of "shares a character"
    (whatever their labels); an empty span shares no character and stands alone. A set is a
    disagreement unless every annotator present has exactly the same spans in it. Sorted by
    start, then end.
    """
    names = sorted(layers)
    found = []
    everyone: frozenset[SpanKey] = frozenset().union(*layers.values())
    for group in _overlap_groups(everyone):
        versions = {name: layers[name] & group for name in names}
        if len(set(versions.values())) > 1:
            start = min(span[0] for span in group)
            end = max(span[1] for span in group)
            found.append(DisagreementSet(start, end, versions))
    return found


def agreed_spans(layers: Layers) -> frozenset[SpanKey]:
    """The spans every annotator present in the document has (empty with no annotator)."""
    if not layers:
        return frozenset()
    first, *others = layers.values()
    return first.intersection(*others)


# -- tags ---------------------------------------------------------------------------------


def _paint(
    length: int,
    spans: Iterable[SpanKey],
    outside: _Tag,
    tags_of: Callable[[str], tuple[_Tag, _Tag]],
) -> list[_Tag]:
    """Per-character tags: spans painted lowest priority first, so the highest one shows."""
    tags = [outside] * length
    for start, end, label in sorted(spans, key=_priority, reverse=True):
        end = min(end, length)  # a slice past the end would grow the list
        if start >= end:
            continue
        begin, inside = tags_of(label)
        tags[start] = begin
        tags[start + 1 : end] = [inside] * (end - start - 1)
    return tags


def _disjoint_tag_counts(
    spans: frozenset[SpanKey], length: int, codes: _TagCodes
) -> dict[int, int] | None:
    """Tag counts worked out from the spans alone, or ``None`` if some of them overlap.

    Spans that do not overlap (the usual case) each show whole: one B and ``len − 1`` I.
    """
    counts = {_OUTSIDE: length}
    previous_end = 0
    for start, end, label in sorted(spans):
        end = min(end, length)
        if start >= end:  # tags nothing
            continue
        if start < previous_end:
            return None
        begin, inside = codes(label)
        counts[begin] = counts.get(begin, 0) + 1
        counts[inside] = counts.get(inside, 0) + end - start - 1
        counts[_OUTSIDE] -= end - start
        previous_end = end
    return counts


def _priority(span: SpanKey) -> tuple[int, int, str]:
    """Sorts spans highest tag priority first: longest, then earliest, then by label."""
    start, end, label = span
    return (start - end, start, label)


class _TagCodes:
    """Small-int tag codes: O is 0, the k-th label seen gets 2k+1 for B and 2k+2 for I."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[int, int]] = {}

    def __call__(self, label: str) -> tuple[int, int]:
        codes = self._codes.get(label)
        if codes is None:
            begin = 2 * len(self._codes) + 1
            codes = self._codes[label] = (begin, begin + 1)
        return codes


# -- one annotator's layer in one document ------------------------------------------------

#: Above this many spans a layer answers overlap queries from a sorted index, not a scan.
_SCAN_LIMIT = 8


class _Layer:
    """One annotator's spans in one document, with their tags."""

    __slots__ = ("_codes", "_ends", "_starts", "_tags", "length", "spans", "tag_counts")

    def __init__(self, spans: frozenset[SpanKey], length: int, codes: _TagCodes) -> None:
        self.spans = spans
        self.length = length
        self._codes = codes
        self._tags: list[int] | None = None
        #: How many characters get each tag, O included.
        counts = _disjoint_tag_counts(spans, length, codes)
        self.tag_counts = self._scan_tag_counts() if counts is None else counts
        self._starts: dict[str, list[int]] | None = None
        self._ends: dict[str, list[int]] = {}

    @property
    def tags(self) -> list[int]:
        """One tag per character, painted on first use: only layers that differ need them."""
        if self._tags is None:
            self._tags = _paint(self.length, self.spans, _OUTSIDE, self._codes)
        return self._tags

    def count_tags(self, counts: Counter[int]) -> None:
        """Add this layer's tag counts to ``counts``."""
        for code, count in self.tag_counts.items():
            counts[code] = counts.get(code, 0) + count

    def agreeing(self, other: _Layer) -> int:
        """How many characters the two layers tag alike."""
        if self is other or self.spans == other.spans:  # the same spans paint alike
            return self.length
        if not self.spans:
            return other.tag_counts[_OUTSIDE]
        if not other.spans:
            return self.tag_counts[_OUTSIDE]
        return sum(map(operator.eq, self.tags, other.tags))

    def _scan_tag_counts(self) -> dict[int, int]:
        """Tag counts read off the painted tags: a few C-level scans, one per tag."""
        tags = self.tags
        codes = [_OUTSIDE]
        for label in {label for _, _, label in self.spans}:
            codes.extend(self._codes(label))
        return {code: tags.count(code) for code in codes}

    def overlapped_by(self, other: _Layer, shared: frozenset[SpanKey]) -> int:
        """How many of these spans ``other`` matches by overlap (``shared``: exact matches).

        A span is matched by an identical span (even an empty one, so overlap F1 is never
        below exact F1) or by a same-label span sharing at least one character.
        """
        if len(shared) == len(self.spans) or not other.spans:
            return len(shared)
        unshared = self.spans - shared  # usually none or one: only these need a search
        return len(shared) + sum(1 for span in unshared if other.touches(span))

    def touches(self, span: SpanKey) -> bool:
        """Whether a span here with ``span``'s label shares a character with it."""
        start, end, label = span
        if start >= end:
            return False
        if len(self.spans) <= _SCAN_LIMIT:
            return any(
                other_label == label and max(start, other_start) < min(end, other_end)
                for other_start, other_end, other_label in self.spans
            )
        if self._starts is None:
            self._starts = self._index()
        starts = self._starts.get(label)
        if starts is None:
            return False
        # Of the spans starting before ``end``, one overlaps iff the furthest end passes start.
        before_end = bisect_left(starts, end)
        return before_end > 0 and self._ends[label][before_end - 1] > start

    def _index(self) -> dict[str, list[int]]:
        """Per label, non-empty spans' starts in order; ``_ends``: the running max of ends."""
        extents: dict[str, list[tuple[int, int]]] = {}
        for start, end, label in self.spans:
            if start < end:
                extents.setdefault(label, []).append((start, end))
        starts = {}
        for label, pairs in extents.items():
            pairs.sort()
            starts[label] = [start for start, _ in pairs]
            self._ends[label] = list(accumulate((end for _, end in pairs), max))
        return starts


# -- pooled counts ------------------------------------------------------------------------


@dataclass(slots=True)
class _PairCounts:
    """Span and tag-agreement counts of two annotators, pooled over documents."""

    spans_first: int = 0
    spans_second: int = 0
    matches: int = 0
    overlapped_first: int = 0
    overlapped_second: int = 0
    #: Characters both tag alike.
    agreeing: int = 0

    def add(self, first: _Layer, second: _Layer) -> int:
        """Count one shared document; return its agreeing characters."""
        shared = first.spans & second.spans
        agreeing = first.agreeing(second)
        self.spans_first += len(first.spans)
        self.spans_second += len(second.spans)
        self.matches += len(shared)
        self.overlapped_first += first.overlapped_by(second, shared)
        self.overlapped_second += second.overlapped_by(first, shared)
        self.agreeing += agreeing
        return agreeing

    def merge(self, other: _PairCounts) -> None:
        """Add ``other``'s counts to these."""
        self.spans_first += other.spans_first
        self.spans_second += other.spans_second
        self.matches += other.matches
        self.overlapped_first += other.overlapped_first
        self.overlapped_second += other.overlapped_second
        self.agreeing += other.agreeing


class _GroupCounts:
    """Counts over the documents annotated by exactly one set of annotators.

    Keeping counts per set of annotators present (rather than per pair) means one tag count
    per annotator per document serves every pair, and Fleiss' κ can be taken for the full
    set, which is only known at the end of the stream.
    """

    __slots__ = ("agreeing_pairs", "characters", "documents", "names", "pairs", "tags")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.documents = 0
        self.characters = 0
        #: Each annotator's tag counts.
        self.tags: dict[str, Counter[int]] = {name: Counter() for name in names}
        #: Each pair's counts, keyed by the two names in order.
        self.pairs = {pair: _PairCounts() for pair in combinations(names, 2)}
        #: Over characters and pairs of annotators: pairs tagging a character alike.
        self.agreeing_pairs = 0

    def add(self, length: int, layers: Layers, codes: _TagCodes) -> None:
        """Count one document annotated by exactly ``names``."""
        self.documents += 1
        self.characters += length
        # Annotators who agree entirely share one layer: painted once.
        painted: dict[frozenset[SpanKey], _Layer] = {}
        views = []
        for name in self.names:
            spans = layers[name]
            if spans not in painted:
                painted[spans] = _Layer(spans, length, codes)
            views.append(painted[spans])
        for name, view in zip(self.names, views, strict=True):
            view.count_tags(self.tags[name])
        for (one, first), (other, second) in combinations(zip(self.names, views, strict=True), 2):
            self.agreeing_pairs += self.pairs[one, other].add(first, second)

    def pad(self, documents: int, characters: int) -> None:
        """Count documents of ``characters`` in all where nobody has a span."""
        self.documents += documents
        self.characters += characters
        for tags in self.tags.values():
            tags[_OUTSIDE] += characters
        for pair in self.pairs.values():
            pair.agreeing += characters
        self.agreeing_pairs += characters * len(self.pairs)

    def absorb(self, other: _GroupCounts) -> None:
        """Add the counts ``other`` has of these annotators (a subset of its own)."""
        self.documents += other.documents
        self.characters += other.characters
        for name, tags in self.tags.items():
            tags.update(other.tags[name])
        for key, pair in self.pairs.items():
            pair.merge(other.pairs[key])
            self.agreeing_pairs += other.pairs[key].agreeing

    def pair_score(self, first: str, second: str) -> PairScore:
        """The figures of two of these annotators."""
        counts = self.pairs[first, second]
        sizes = counts.spans_first + counts.spans_second
        overlap_recall = _ratio(counts.overlapped_first, counts.spans_first)
        overlap_precision = _ratio(counts.overlapped_second, counts.spans_second)
        return PairScore(
            first=first,
            second=second,
            documents=self.documents,
            spans_first=counts.spans_first,
            spans_second=counts.spans_second,
            matches=counts.matches,
            exact_f1=_ratio(2 * counts.matches, sizes),
            exact_precision=_ratio(counts.matches, counts.spans_second),
            exact_recall=_ratio(counts.matches, counts.spans_first),
            overlap_f1=_f1(overlap_precision, overlap_recall) if sizes else None,
            overlap_precision=overlap_precision,
            overlap_recall=overlap_recall,
            characters=self.characters,
            kappa=cohen_kappa_of_counts(
                self.characters, counts.agreeing, self.tags[first], self.tags[second]
            ),
        )

    def fleiss_kappa(self) -> float | None:
        """Fleiss' κ of these annotators over these characters.

        Per item, ``Σ_j n_ij² = n + 2·(pairs agreeing)``, so the mean observed agreement P̄
        is the agreeing pairs over ``N·n(n−1)/2`` and needs no per-item category counts;
        ``P_e = Σ_j (T_j / Nn)²`` with ``T_j`` the tag totals. Integers until the last step,
        so "P_e is 1" (one category only, or no characters) is tested exactly.
        """
        totals = _total(list(self.tags.values()))
        ratings = self.characters * len(self.names)
        square = ratings * ratings
        chance = sum(total * total for total in totals.values())
        if chance == square:
            return None
        observed = self.agreeing_pairs / (self.characters * len(self.pairs))
        return (observed * square - chance) / (square - chance)


class _Counts:
    """Everything agreement needs, pooled document by document in constant memory.

    Memory grows with the annotators, labels and sets of annotators seen together, never
    with the documents.
    """

    def __init__(self) -> None:
        self.codes = _TagCodes()
        self.documents = 0
        self.annotators: set[str] = set()
        self.groups: dict[tuple[str, ...], _GroupCounts] = {}

    def add(self, length: int, layers: Layers) -> None:
        """Count one document."""
        self.documents += 1
        names = tuple(sorted(layers))
        self.annotators.update(names)
        if len(names) < 2:  # nothing to compare with
            return
        group = self.groups.get(names)
        if group is None:
            group = self.groups[names] = _GroupCounts(names)
        group.add(length, layers, self.codes)

    def padded_to(self, overall: _Counts) -> _Counts:
        """These counts plus, as all-O, the documents ``overall`` saw and these did not."""
        self.annotators |= overall.annotators
        self.documents = overall.documents
        for names, base in overall.groups.items():
            group = self.groups.setdefault(names, _GroupCounts(names))
            group.pad(base.documents - group.documents, base.characters - group.characters)
        return self

    def result(self) -> Agreement:
        """The agreement these counts give."""
        annotators = tuple(sorted(self.annotators))
        pairs = tuple(
            self._pair_score(first, second) for first, second in combinations(annotators, 2)
        )
        everyone = self.groups.get(annotators) if len(annotators) >= 3 else None
        return Agreement(
            annotators=annotators,
            pairs=pairs,
            fleiss_kappa=everyone.fleiss_kappa() if everyone else None,
            documents=self.documents,
            fleiss_documents=everyone.documents if everyone else 0,
        )

    def _pair_score(self, first: str, second: str) -> PairScore:
        """Two annotators' figures, pooled over every set of annotators including both."""
        shared = [group for group in self.groups.values() if (first, second) in group.pairs]
        if len(shared) == 1:  # one document, or both annotated the same documents as the rest
            return shared[0].pair_score(first, second)
        pooled = _GroupCounts((first, second))
        for group in shared:
            pooled.absorb(group)
        return pooled.pair_score(first, second)


# -- formulas -----------------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float | None:
    """``part / whole``, or ``None`` when ``whole`` is zero."""
    return part / whole if whole else None


def _f1(precision: float | None, recall: float | None) -> float:
    """Harmonic mean; an undefined side (its layer empty, the other not) counts as 0."""
    precision, recall = precision or 0.0, recall or 0.0
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


_Rating = TypeVar("_Rating", bound=Hashable)


def cohen_kappa_of_counts(
    items: int, agreeing: int, first: Mapping[_Rating, int], second: Mapping[_Rating, int]
) -> float | None:
    """Cohen's κ from the item count, agreements and each rater's tag counts.

    With ``p_o = agreeing / N`` and ``p_e = chance / N²``, κ = (p_o − p_e) / (1 − p_e) is
    ``(agreeing·N − chance) / (N² − chance)``: integers up to the last step, so "p_e is 1"
    is tested exactly.
    """
    chance = sum(count * second.get(tag, 0) for tag, count in first.items())
    square = items * items
    if chance == square:  # also covers no items at all
        return None
    return (agreeing * items - chance) / (square - chance)


def _total(counters: list[Counter[int]]) -> Counter[int]:
    """The sum of some counters; a lone counter itself, uncopied (most documents' case)."""
    if len(counters) == 1:
        return counters[0]
    total: Counter[int] = Counter()
    for counter in counters:
        total.update(counter)
    return total


def _restrict(layers: Layers, label: str) -> dict[str, frozenset[SpanKey]]:
    """Each annotator's spans of one label (an annotator with none keeps an empty set)."""
    return {
        name: frozenset(span for span in spans if span[2] == label)
        for name, spans in layers.items()
    }


def _labels(layers: Layers) -> set[str]:
    """Every label used in a document's layers."""
    return {span[2] for spans in layers.values() for span in spans}


def _overlap_groups(spans: frozenset[SpanKey]) -> list[frozenset[SpanKey]]:
    """Connected components of "shares a character", sorted by start then end."""
    groups: list[frozenset[SpanKey]] = []
    current: list[SpanKey] = []
    reach = 0  # the furthest end in ``current``
    for span in sorted(spans):
        start, end, _ = span
        if start >= end:
            groups.append(frozenset([span]))  # shares no character with anything
        elif current and start < reach:
            # Sorted by start: overlapping the group's furthest-reaching span is enough.
            current.append(span)
            reach = max(reach, end)
        else:
            if current:
                groups.append(frozenset(current))
            current, reach = [span], end
    if current:
        groups.append(frozenset(current))
    groups.sort(key=lambda group: (min(group)[0], max(span[1] for span in group)))
    return groups
