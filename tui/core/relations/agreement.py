"""Agreement between annotators on relations and on document categories (issue 14).

The input is plain data, one :class:`DocumentLinks` per document: for every annotator who
annotated it (has a store file for it, the gold layer left out) their relations as
``(source, target, type)`` keys, each end a span's ``(start, end, label)``, and the set of
categories they gave the document. As with spans (tui.core.agreement), an annotator
missing from a document takes part in nothing there; one present with no relations or no
categories said "none" and counts.

Figures:

* **Relation F1, exact**: a relation matches when both ends' spans are equal (start, end
  and label) and the type is the same; for a type listed as *undirected* the ends are
  compared unordered. For every pair of annotators, over the documents both annotated,
  ``F1 = 2·matches / (|first| + |second|)``, pooled over documents (micro), ``None`` when
  neither has a relation. Overall and per type; the mean over pairs skips ``None``.
* **Category κ**, documents being the items: Cohen's κ with two annotators (over the
  documents both annotated), Fleiss' κ with three or more (over the documents all of them
  annotated). An exclusive group is one item whose rating is the category chosen in it
  (the set chosen, so "none" and a hand-made "two of them" are ratings of their own); a
  category of a multi group, and every category when there is no schema, is a yes/no
  item of its own. κ is ``None`` when chance agreement is 1 (everybody rated every
  document alike) or nothing was rated.

Nothing here imports Textual; only :func:`corpus_links` reads files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from tui.core.agreement import SpanKey, cohen_kappa_of_counts
from tui.core.corpus import DocumentRef
from tui.core.relations.model import Links
from tui.core.review import LayerProblems, in_processes
from tui.core.spans import GOLD, Span
from tui.core.store import Store, StoreError
from tui.core.store_read import holds_links

__all__ = [
    "CategoryAgreement",
    "CategoryGroup",
    "CategoryKappa",
    "DocumentLinks",
    "RelationAgreement",
    "RelationKey",
    "RelationPair",
    "category_agreement",
    "cohen_kappa",
    "corpus_links",
    "corpus_links_in_processes",
    "fleiss_kappa",
    "has_links",
    "normal_key",
    "relation_agreement",
    "relation_keys",
]

#: One relation as agreement sees it: ``(source span, target span, type)``.
RelationKey = tuple[SpanKey, SpanKey, str]


@dataclass(frozen=True, slots=True)
class DocumentLinks:
    """One document's relations and categories by every annotator who annotated it."""

    doc_id: str
    #: Annotator name to their relations; an annotator who did not annotate it is absent.
    relations: Mapping[str, frozenset[RelationKey]]
    #: Annotator name to the categories they gave the document (the same annotators).
    categories: Mapping[str, frozenset[str]]


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    """Categories as the schema groups them: ``exclusive`` ones are one choice among
    ``categories`` (one κ for the group), the others each a yes/no of their own."""

    name: str
    categories: frozenset[str]
    exclusive: bool


@dataclass(frozen=True, slots=True)
class RelationPair:
    """Relation agreement of two annotators over the documents both annotated."""

    first: str
    second: str
    documents: int
    relations_first: int
    relations_second: int
    matches: int

    @property
    def f1(self) -> float | None:
        """``2·matches / (|first| + |second|)``; ``None`` when neither has a relation."""
        total = self.relations_first + self.relations_second
        return 2 * self.matches / total if total else None


@dataclass(frozen=True, slots=True)
class RelationAgreement:
    """Relation agreement of every pair of annotators, in name order."""

    annotators: tuple[str, ...]
    pairs: tuple[RelationPair, ...]

    @property
    def mean_f1(self) -> float | None:
        """The mean of the pairs' F1, skipping undefined ones; ``None`` if all are."""
        defined = [pair.f1 for pair in self.pairs if pair.f1 is not None]
        return sum(defined) / len(defined) if defined else None


@dataclass(frozen=True, slots=True)
class CategoryKappa:
    """κ of one category (yes/no) or one exclusive group."""

    name: str
    #: True for an exclusive group (one of its categories), False for a yes/no category.
    exclusive: bool
    #: Documents rated: those both (Cohen) or all (Fleiss) annotators annotated.
    documents: int
    kappa: float | None


@dataclass(frozen=True, slots=True)
class CategoryAgreement:
    """κ per category or group; ``fleiss`` says which κ (three or more annotators)."""

    annotators: tuple[str, ...]
    fleiss: bool
    #: False without a schema: every category was compared as yes/no.
    schema: bool
    rows: tuple[CategoryKappa, ...]


# -- reading ------------------------------------------------------------------------------


def relation_keys(spans: Iterable[Span], links: Links) -> frozenset[RelationKey]:
    """``links``' relations as keys, each end resolved through ``spans`` (the same file's).

    The store already left out a relation to a span that is not there (and named it in
    ``links.problems``); one whose end is still unknown here is left out too, and so is
    one with a flagged end (a span not re-anchored: span agreement leaves it out too).
    """
    keys = {span.id: (span.start, span.end, span.label) for span in spans if not span.flagged}
    return frozenset(
        (keys[relation.source], keys[relation.target], relation.type)
        for relation in links.relations
        if relation.source in keys and relation.target in keys
    )


def corpus_links(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems
) -> Iterator[DocumentLinks]:
    """The relations and categories of each document under ``refs`` with a store file.

    Each annotator's file is read whole (:meth:`DocumentStore.load`); the gold layer is left
    out. A file that cannot be read, and each link the store left out of one (a relation
    to a missing span, …), is named in ``problems`` once (the span pass may have named the
    file already) and left out. :func:`corpus_links_in_processes` shares the reading out.
    """
    for ref in refs:
        relations: dict[str, frozenset[RelationKey]] = {}
        categories: dict[str, frozenset[str]] = {}
        for name in store.annotators(ref.doc_id):
            if name == GOLD:
                continue
            document = store.document(ref.doc_id, name)
            if not holds_links(document.path):  # most files: spans only, no JSON read
                relations[name], categories[name] = frozenset(), frozenset()
                continue
            try:
                state = document.load()
            except StoreError as error:
                _note(problems.messages, str(error))
                continue
            for problem in state.links.problems:
                _note(problems.messages, f"{ref.name}: {name!r}: {problem}")
            relations[name] = relation_keys(state.spans, state.links)
            categories[name] = state.links.categories
        if relations:
            yield DocumentLinks(ref.name, relations, categories)


def corpus_links_in_processes(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems, chunk: int = 500
) -> Iterator[DocumentLinks]:
    """:func:`corpus_links`, read by one process per core in chunks of ``chunk`` documents
    (batch commands only, see :func:`tui.core.review.in_processes`); a problem the span
    pass named may come twice."""
    return in_processes(corpus_links, refs, store, problems, chunk)


def _note(problems: list[str], message: str) -> None:
    if message not in problems:
        problems.append(message)


def has_links(documents: Iterable[DocumentLinks]) -> tuple[bool, bool]:
    """Whether any annotator has a relation, and whether any has a category."""
    relations = categories = False
    for document in documents:
        relations = relations or any(document.relations.values())
        categories = categories or any(document.categories.values())
    return relations, categories


# -- relations ----------------------------------------------------------------------------


def relation_agreement(
    documents: Iterable[DocumentLinks], undirected: Collection[str] = frozenset()
) -> tuple[RelationAgreement, dict[str, RelationAgreement]]:
    """Exact relation agreement overall and per type (keys in type order).

    A relation of a type in ``undirected`` matches one with its ends the other way round.
    A pair's per-type figures count the documents both annotated, like its overall ones.
    """
    counts: dict[tuple[str | None, str, str], list[int]] = {}  # docs, first, second, matches
    annotators: set[str] = set()
    types: set[str] = set()
    for document in documents:
        annotators.update(document.relations)
        by_type = {name: _by_type(keys, undirected) for name, keys in document.relations.items()}
        for typed in by_type.values():
            types.update(typed)
        for first, second in combinations(sorted(by_type), 2):
            a, b = by_type[first], by_type[second]
            for kind in {None, *a, *b}:
                one = _of_type(a, kind)
                other = _of_type(b, kind)
                tally = counts.setdefault((kind, first, second), [0, 0, 0, 0])
                tally[1] += len(one)
                tally[2] += len(other)
                tally[3] += len(one & other)
            counts.setdefault((None, first, second), [0, 0, 0, 0])[0] += 1
    names = tuple(sorted(annotators))

    def result(kind: str | None) -> RelationAgreement:
        pairs = []
        for first, second in combinations(names, 2):
            documents = counts.get((None, first, second), [0])[0]
            _, ones, others, matches = counts.get((kind, first, second), [0, 0, 0, 0])
            pairs.append(RelationPair(first, second, documents, ones, others, matches))
        return RelationAgreement(names, tuple(pairs))

    return result(None), {kind: result(kind) for kind in sorted(types)}


def _of_type(
    by_type: Mapping[str, frozenset[RelationKey]], kind: str | None
) -> frozenset[RelationKey]:
    """The relations of type ``kind``; all of them for ``None``."""
    if kind is None:
        return frozenset().union(*by_type.values())
    return by_type.get(kind, frozenset())


def _by_type(
    keys: frozenset[RelationKey], undirected: Collection[str]
) -> dict[str, frozenset[RelationKey]]:
    """``keys`` grouped by type, an undirected type's ends put in one order."""
    grouped: dict[str, set[RelationKey]] = {}
    for key in keys:
        grouped.setdefault(key[2], set()).add(normal_key(key, undirected))
    return {kind: frozenset(found) for kind, found in grouped.items()}


def normal_key(key: RelationKey, undirected: Collection[str]) -> RelationKey:
    """``key`` with an undirected type's ends in text order (one name for either way)."""
    source, target, kind = key
    if kind in undirected and target < source:
        return target, source, kind
    return key


# -- categories ---------------------------------------------------------------------------


def category_agreement(
    documents: Iterable[DocumentLinks], groups: Sequence[CategoryGroup] | None = None
) -> CategoryAgreement:
    """κ for each exclusive group and each yes/no category (see the module's docstring).

    Without ``groups`` (no schema) every category anyone gave is a yes/no item; with them,
    a category given but in no group is one too.
    """
    rated = [document.categories for document in documents]
    annotators = tuple(sorted({name for layers in rated for name in layers}))
    fleiss = len(annotators) >= 3
    if fleiss:
        shared = [layers for layers in rated if len(layers) == len(annotators)]
    else:
        shared = [layers for layers in rated if len(layers) == 2]
    rows = [
        CategoryKappa(name, exclusive, len(shared), _kappa(shared, annotators, rate, fleiss))
        for name, exclusive, rate in _items(rated, groups)
    ]
    return CategoryAgreement(annotators, fleiss, groups is not None, tuple(rows))


_Rate = Callable[[frozenset[str]], Hashable]


def _items(
    rated: Sequence[Mapping[str, frozenset[str]]], groups: Sequence[CategoryGroup] | None
) -> list[tuple[str, bool, _Rate]]:
    """Each thing rated: its name, whether it is an exclusive group, and the rating."""
    used = sorted(
        {category for layers in rated for chosen in layers.values() for category in chosen}
    )
    items: list[tuple[str, bool, _Rate]] = []
    grouped: set[str] = set()
    for group in groups or ():
        grouped |= group.categories
        if group.exclusive:
            items.append((group.name, True, _chosen_in(group.categories)))
        else:
            items += [(name, False, _says_yes(name)) for name in sorted(group.categories)]
    items += [(name, False, _says_yes(name)) for name in used if name not in grouped]
    return items


def _chosen_in(categories: frozenset[str]) -> _Rate:
    return lambda chosen: chosen & categories


def _says_yes(category: str) -> _Rate:
    return lambda chosen: category in chosen


def _kappa(
    shared: Sequence[Mapping[str, frozenset[str]]],
    annotators: tuple[str, ...],
    rate: _Rate,
    fleiss: bool,
) -> float | None:
    """Fleiss' κ over ``annotators`` or Cohen's κ over the two present in each document."""
    if fleiss:
        return fleiss_kappa([[rate(layers[name]) for name in annotators] for layers in shared])
    pairs = []
    for layers in shared:
        first, second = sorted(layers)
        pairs.append((rate(layers[first]), rate(layers[second])))
    return cohen_kappa(pairs)


def cohen_kappa(ratings: Sequence[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's κ of two raters, one ``(first, second)`` rating pair per item.

    ``κ = (p_o − p_e) / (1 − p_e)`` with ``p_o`` the share of items rated alike and
    ``p_e = Σ_k p_first(k)·p_second(k)``; ``None`` when ``p_e`` is 1 (no items, or both
    always gave the one same rating). Exact integers up to the last step.
    """
    agreeing = sum(1 for first, second in ratings if first == second)
    firsts = Counter(first for first, _ in ratings)
    seconds = Counter(second for _, second in ratings)
    return cohen_kappa_of_counts(len(ratings), agreeing, firsts, seconds)


def fleiss_kappa(items: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' κ, one list of ratings (one per rater, as many each time) per item.

    ``P_i = (Σ_j n_ij² − n) / (n(n − 1))``, ``P̄`` their mean, ``P_e = Σ_j p_j²`` with
    ``p_j`` rating j's share of all ratings; ``κ = (P̄ − P_e) / (1 − P_e)``, ``None`` when
    ``P_e`` is 1 or there are no items or fewer than two raters.
    """
    if not items or len(items[0]) < 2:
        return None
    raters = len(items[0])
    totals: Counter[Hashable] = Counter()
    observed = Fraction(0)
    for ratings in items:
        counts = Counter(ratings)
        totals.update(counts)
        squares = sum(count * count for count in counts.values())
        observed += Fraction(squares - raters, raters * (raters - 1))
    observed /= len(items)
    everything = len(items) * raters
    chance = sum((Fraction(total, everything) ** 2 for total in totals.values()), Fraction(0))
    if chance == 1:
        return None
    return float((observed - chance) / (1 - chance))
