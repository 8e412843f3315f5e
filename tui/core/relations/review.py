"""Reviewing relations: what each annotator related in a document, what gold holds, and
the reviewer's verdicts on the relations they disagreed on (issue 14, item 7).

A relation is named as agreement names it (:data:`RelationKey`: both ends' ``(start, end,
label)`` and the type; an undirected type's ends in text order), so the same relation in
two annotators' files is one candidate. A *candidate* is a relation some annotator made
that gold lacks and the reviewer has not rejected: accepting it puts it in gold (both ends
must be gold spans already: a span disagreement is decided first), rejecting it records a
:class:`~tui.core.relations.model.Verdict` so it is not offered again. Relations every
annotator made start accepted, as agreed spans do.

Nothing here reads files but :func:`relation_layers`; nothing imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from tui.core.corpus import DocumentRef
from tui.core.relations.agreement import RelationKey, corpus_links, normal_key, relation_keys
from tui.core.relations.links import LinkState, LinkStates
from tui.core.relations.model import (
    RELATIONS,
    VERDICTS,
    EndKey,
    Links,
    Relation,
    Verdict,
)
from tui.core.relations.schema import Schema
from tui.core.review import LayerProblems
from tui.core.spans import GOLD, Span, new_span_id, now_iso
from tui.core.store import Store, StoreError

__all__ = [
    "RelationCandidate",
    "RelationReview",
    "accepting",
    "agreed_records",
    "rejecting",
    "relation_layers",
    "undecided_relations",
    "undirected_types",
]

#: The state a link record is in now, by table and id (``LinkSet.state``).
CurrentState = Callable[[str, str], LinkState]


@dataclass(frozen=True, slots=True)
class RelationCandidate:
    """A relation some annotators made that gold lacks: who made it, and its ends."""

    key: RelationKey
    annotators: tuple[str, ...]

    @property
    def source(self) -> EndKey:
        """The span it goes from."""
        return self.key[0]

    @property
    def target(self) -> EndKey:
        """The span it goes to."""
        return self.key[1]

    @property
    def type(self) -> str:
        """The relation type's name."""
        return self.key[2]

    @property
    def position(self) -> int:
        """Where review stops for it: its first end in the text."""
        return min(self.source[0], self.target[0])

    @property
    def extents(self) -> tuple[tuple[int, int], tuple[int, int]]:
        """Where its two ends are: ``(start, end)`` of the source, then of the target."""
        return self.source[:2], self.target[:2]

    def touches(self, offset: int) -> bool:
        """Whether either end covers ``offset``."""
        return any(start <= offset < end for start, end in self.extents)


class RelationReview:
    """The annotators' relations of one document, and what is left to decide of them."""

    def __init__(
        self, layers: Mapping[str, Iterable[RelationKey]], undirected: Collection[str] = ()
    ) -> None:
        self.undirected = frozenset(undirected)
        self.layers = {
            name: frozenset(normal_key(key, self.undirected) for key in keys)
            for name, keys in layers.items()
        }

    @property
    def agreed(self) -> frozenset[RelationKey]:
        """The relations every annotator made (none without annotators)."""
        if not self.layers:
            return frozenset()
        return frozenset.intersection(*self.layers.values())

    def pending(
        self, gold: Iterable[RelationKey], verdicts: Iterable[Verdict] = ()
    ) -> tuple[RelationCandidate, ...]:
        """The candidates still to decide, in text order: every annotator relation not in
        ``gold`` and without a verdict."""
        done = {normal_key(key, self.undirected) for key in gold}
        done.update(normal_key(verdict.key, self.undirected) for verdict in verdicts)
        marked: dict[RelationKey, list[str]] = {}
        for name in sorted(self.layers):
            for key in self.layers[name]:
                if key not in done:
                    marked.setdefault(key, []).append(name)
        found = [RelationCandidate(key, tuple(names)) for key, names in marked.items()]
        found.sort(key=lambda candidate: (candidate.position, candidate.key))
        return tuple(found)

    def gold_keys(self, spans: Iterable[Span], links: Links) -> frozenset[RelationKey]:
        """Gold's relations as keys (undirected ones in text order)."""
        keys = relation_keys(spans, links)
        return frozenset(normal_key(key, self.undirected) for key in keys)


def relation_layers(
    store: Store, ref: DocumentRef, problems: LayerProblems
) -> dict[str, frozenset[RelationKey]]:
    """Every annotator's relations of ``ref`` (gold left out); unreadable files named."""
    found = next(corpus_links([ref], store, problems), None)
    return dict(found.relations) if found is not None else {}


def undirected_types(schema: Schema) -> frozenset[str]:
    """The relation types whose two ends are alike (兄弟): compared unordered."""
    return frozenset(kind.name for kind in schema.relations if not kind.directed)


def undecided_relations(
    store: Store, ref: DocumentRef, undirected: Collection[str], problems: LayerProblems
) -> int:
    """How many relation candidates of ``ref`` are left to decide, against the gold layer
    as saved (the review list's count); an unreadable gold file counts none."""
    review = RelationReview(relation_layers(store, ref, problems), undirected)
    if not any(review.layers.values()):
        return 0
    try:
        state = store.document(ref.doc_id, GOLD).load()
    except StoreError:
        return 0
    return len(review.pending(review.gold_keys(state.spans, state.links), state.links.verdicts))


# ------------------------------------------------------------------------ the decisions


def accepting(
    candidate: RelationCandidate,
    spans: Iterable[Span],
    reviewer: str,
    current: CurrentState,
) -> tuple[LinkStates, LinkStates] | str:
    """The link states before and after accepting ``candidate`` into gold: the reviewer's
    relation between the gold spans at its ends, and an "accepted" verdict. When an end
    is not a gold span the reason is returned instead, naming it."""
    by_key = _ids_by_extent(spans)
    missing = [end for end in (candidate.source, candidate.target) if end not in by_key]
    if missing:
        return f"{missing[0][2]} at {missing[0][0]} is not in gold: accept that span first"
    stamp = now_iso()
    relation = Relation(
        new_span_id(),
        candidate.type,
        by_key[candidate.source],
        by_key[candidate.target],
        reviewer,
        stamp,
        stamp,
    )
    verdict = Verdict(
        candidate.source, candidate.target, candidate.type, True, candidate.annotators
    )
    after = ((RELATIONS, relation.id, relation.to_record()), _verdict_state(verdict))
    return _before(after, current), after


def rejecting(candidate: RelationCandidate, current: CurrentState) -> tuple[LinkStates, LinkStates]:
    """The link states before and after rejecting ``candidate``: a "rejected" verdict."""
    verdict = Verdict(
        candidate.source, candidate.target, candidate.type, False, candidate.annotators
    )
    after = (_verdict_state(verdict),)
    return _before(after, current), after


def _ids_by_extent(spans: Iterable[Span]) -> dict[EndKey, str]:
    """The id of each placed span, by (start, end, label): what a relation's ends name."""
    return {(span.start, span.end, span.label): span.id for span in spans if not span.flagged}


def _verdict_state(verdict: Verdict) -> LinkState:
    return VERDICTS, verdict.id, verdict.to_record()


def _before(after: LinkStates, current: CurrentState) -> LinkStates:
    """The states of the records ``after`` sets, as they are now."""
    return tuple(current(table, record_id) for table, record_id, _ in after)


def agreed_records(review: RelationReview, spans: Iterable[Span], reviewer: str) -> LinkStates:
    """The gold relation records of the relations every annotator made, between the gold
    spans at their ends (a first review's gold layer starts with them, as with spans)."""
    by_key = _ids_by_extent(spans)
    stamp = now_iso()
    states: list[LinkState] = []
    for source, target, kind in sorted(review.agreed):
        if source in by_key and target in by_key:
            relation = Relation(
                new_span_id(), kind, by_key[source], by_key[target], reviewer, stamp, stamp
            )
            states.append((RELATIONS, relation.id, relation.to_record()))
    return tuple(states)
