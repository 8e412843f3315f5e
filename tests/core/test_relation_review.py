"""Reviewing relations (tui.core.relations.review): candidates, verdicts, accepting."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_review import annotate
from tui.core.corpus import discover, id_root
from tui.core.relations.links import LinkSet
from tui.core.relations.model import RELATIONS, VERDICTS, LinkEdit, Relation, Verdict, read_links
from tui.core.relations.review import (
    RelationCandidate,
    RelationReview,
    accepting,
    agreed_records,
    rejecting,
    undecided_relations,
)
from tui.core.review import LayerProblems
from tui.core.spans import GOLD, Span, new_span_id, now_iso
from tui.core.store import Store

A, B, C = (0, 2, "PER"), (3, 7, "ORG"), (10, 12, "PER")


def test_candidates_are_the_relations_gold_lacks_with_who_made_them() -> None:
    review = RelationReview(
        {"alice": {(A, B, "任职"), (C, B, "任职")}, "bob": {(A, B, "任职"), (B, A, "x")}}
    )
    assert review.agreed == {(A, B, "任职")}
    pending = review.pending(gold={(A, B, "任职")})
    # in text order of their first end: x at 0 (张三), 任职 from 李四 at 3 (北京大学)
    assert pending == (
        RelationCandidate((B, A, "x"), ("bob",)),
        RelationCandidate((C, B, "任职"), ("alice",)),
    )
    assert [candidate.position for candidate in pending] == [0, 3]


def test_an_undirected_relation_either_way_round_is_one_relation() -> None:
    review = RelationReview({"alice": {(A, C, "同事")}, "bob": {(C, A, "同事")}}, {"同事"})
    assert review.agreed == {(A, C, "同事")}
    assert review.pending(gold={(C, A, "同事")}) == ()


def test_a_verdict_takes_the_relation_out_of_the_candidates() -> None:
    review = RelationReview({"alice": {(C, B, "任职")}, "bob": set()})
    rejected = Verdict(C, B, "任职", False, ("alice",))
    assert review.pending(gold=(), verdicts=[rejected]) == ()
    assert len(review.pending(gold=())) == 1


def gold_spans(*keys: tuple[int, int, str]) -> list[Span]:
    stamp = now_iso()
    return [
        Span(new_span_id(), "d", "s", s, e, "x" * (e - s), lab, "rita", stamp, stamp)
        for s, e, lab in keys
    ]


def test_accepting_puts_the_reviewers_relation_between_gold_spans_and_a_verdict() -> None:
    spans = gold_spans(A, B, C)
    links = LinkSet()
    candidate = RelationCandidate((C, B, "任职"), ("alice",))
    decided = accepting(candidate, spans, "rita", links.state)
    assert not isinstance(decided, str)
    before, after = decided
    assert all(record is None for _, _, record in before)
    links.apply(after)
    read = links.links(span.id for span in spans)
    (relation,) = read.relations
    ids = {span.id: (span.start, span.end, span.label) for span in spans}
    assert (ids[relation.source], ids[relation.target], relation.type) == (C, B, "任职")
    assert relation.annotator == "rita"
    assert read.verdicts == (Verdict(C, B, "任职", True, ("alice",)),)


def test_accepting_a_relation_whose_end_is_not_in_gold_says_which() -> None:
    candidate = RelationCandidate((C, B, "任职"), ("alice",))
    said = accepting(candidate, gold_spans(B), "rita", LinkSet().state)
    assert said == "PER at 10 is not in gold: accept that span first"


def test_rejecting_twice_replaces_the_one_verdict() -> None:
    links = LinkSet()
    candidate = RelationCandidate((C, B, "任职"), ("alice",))
    links.apply(rejecting(candidate, links.state)[1])
    before, after = rejecting(candidate, links.state)
    assert before[0][2] is not None and before[0][1] == after[0][1]
    links.apply(after)
    assert len(links.links(()).verdicts) == 1


def test_agreed_records_link_the_gold_spans_at_both_ends() -> None:
    review = RelationReview({"alice": {(A, B, "任职")}, "bob": {(A, B, "任职")}})
    spans = gold_spans(A, B)
    ((table, _, record),) = agreed_records(review, spans, "rita")
    assert table == RELATIONS and record is not None
    assert {record["from"], record["to"]} == {span.id for span in spans}


def test_a_verdict_that_does_not_hold_together_is_named_and_left_out() -> None:
    good = Verdict(A, B, "任职", True, ("alice",)).to_record()
    tables = {
        VERDICTS: {
            "1": good,
            "2": {**good, "from": [5, 2, "PER"]},
            "3": {**good, "verdict": "maybe"},
            "4": "junk",
        }
    }
    links = read_links(tables, {"categories": []}, ())
    assert links.verdicts == (Verdict(A, B, "任职", True, ("alice",)),)
    assert len(links.problems) == 3 and all("not a relation verdict" in p for p in links.problems)


def test_the_count_left_to_decide_reads_the_layers_and_gold(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("张三在北京大学工作。李四是他的同事。", encoding="utf-8")
    store = Store(tmp_path / "store")
    for who in ("alice", "bob", GOLD):
        annotate(store, corpus, "a.txt", who, [A, B, C])
    (ref,) = discover([corpus], id_root(store.root))
    relate(store, ref.doc_id, "alice", (A, B, "任职"), (C, B, "任职"))
    relate(store, ref.doc_id, "bob", (A, B, "任职"))
    problems = LayerProblems()
    assert undecided_relations(store, ref, (), problems) == 2
    relate(store, ref.doc_id, GOLD, (A, B, "任职"))
    assert undecided_relations(store, ref, (), problems) == 1
    assert problems.messages == []


RelationKey = tuple[tuple[int, int, str], tuple[int, int, str], str]


def relate(store: Store, doc_id: str, who: str, *keys: RelationKey) -> None:
    """Save relations (source key, target key, type) between ``who``'s spans."""
    document = store.document(doc_id, who)
    spans = {(s.start, s.end, s.label): s.id for s in document.load().spans}
    stamp = now_iso()
    relations = [
        Relation(new_span_id(), kind, spans[source], spans[target], who, stamp, stamp)
        for source, target, kind in keys
    ]
    document.apply((), links=LinkEdit.of(put=relations))
