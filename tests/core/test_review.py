"""Layers for review and agreement: read from the store, never written, faults named."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.agreement import agreement
from tui.core.annotations import text_sha256
from tui.core.corpus import discover, document_id, id_root
from tui.core.review import (
    GOLD,
    LayerProblems,
    ReviewDocument,
    ReviewerError,
    Version,
    check_reviewer,
    corpus_layers,
    corpus_layers_in_processes,
    document_layers,
    review_document,
)
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store

TEXTS = {"a.txt": "张三在北京大学工作。\n", "b.txt": "李四去了上海。\n"}


def annotate(store: Store, corpus: Path, doc: str, who: str, spans: list[tuple]) -> None:
    """Save ``who``'s ``spans`` of the file ``doc`` in ``corpus``, under its id."""
    text = (corpus / doc).read_text(encoding="utf-8")
    sha, stamp = text_sha256(text), now_iso()
    doc_id = document_id(corpus / doc, id_root(store.root))
    records = [
        Span(new_span_id(), doc_id, sha, s, e, text[s:e], label, who, stamp, stamp)
        for s, e, label in spans
    ]
    store.document(doc_id, who).put_spans(records)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_layers_hold_each_annotator_and_leave_gold_out(corpus: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    annotate(store, corpus, "a.txt", "alice", [(0, 2, "PER")])
    annotate(store, corpus, "a.txt", "bob", [(0, 2, "PER"), (3, 5, "LOC")])
    annotate(store, corpus, "a.txt", GOLD, [(0, 2, "PER")])
    problems = LayerProblems()
    layers = document_layers(store, "corpus/a.txt", problems)
    assert layers == {"alice": {(0, 2, "PER")}, "bob": {(0, 2, "PER"), (3, 5, "LOC")}}
    assert problems.messages == []


def test_a_corrupt_file_is_named_and_the_others_still_count(corpus: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    annotate(store, corpus, "a.txt", "alice", [(0, 2, "PER")])
    annotate(store, corpus, "a.txt", "bob", [(0, 2, "PER")])
    annotate(store, corpus, "a.txt", "carol", [(0, 2, "PER")])
    broken = store.path_for("corpus/a.txt", "carol")
    broken.write_text("{not json", encoding="utf-8")
    problems = LayerProblems()
    [document] = corpus_layers(discover([corpus], id_root(store.root)), store, problems)
    assert set(document.layers) == {"alice", "bob"}
    assert len(problems.messages) == 1 and str(broken) in problems.messages[0]
    assert broken.read_text(encoding="utf-8") == "{not json"  # left untouched
    assert agreement([document]).pair("alice", "bob").exact_f1 == 1.0


def test_documents_without_layers_are_skipped_and_lengths_are_the_texts(
    corpus: Path, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    annotate(store, corpus, "b.txt", "alice", [])
    [document] = corpus_layers(discover([corpus], id_root(store.root)), store, LayerProblems())
    assert (document.doc_id, document.length) == ("b.txt", len(TEXTS["b.txt"]))
    assert document.layers == {"alice": frozenset()}


def test_reading_in_processes_gives_the_same_documents_in_order_and_problems(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    store = Store(tmp_path / "store")
    for number in range(7):
        (folder / f"{number}.txt").write_text("张三在北京", encoding="utf-8")
        annotate(store, folder, f"{number}.txt", "alice", [(0, 2, "PER")])
        annotate(store, folder, f"{number}.txt", "bob", [(number % 3, 2, "PER")])
    store.path_for("many/5.txt", "bob").write_text("{not json", encoding="utf-8")
    serial, parallel = LayerProblems(), LayerProblems()
    expected = list(corpus_layers(discover([folder], id_root(store.root)), store, serial))
    shared_out = list(
        corpus_layers_in_processes(
            discover([folder], id_root(store.root)), store, parallel, chunk=2
        )
    )
    assert shared_out == expected and len(expected) == 7
    assert parallel.messages == serial.messages and "bob.json" in parallel.messages[0]


def test_a_reviewer_may_not_share_an_annotators_name(corpus: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    annotate(store, corpus, "a.txt", "alice", [(0, 2, "PER")])
    refs = discover([corpus], id_root(store.root))
    with pytest.raises(ReviewerError, match=r"'alice' annotated a\.txt"):
        check_reviewer("alice", store, refs)
    with pytest.raises(ReviewerError, match="gold layer"):
        check_reviewer(GOLD, store, refs)
    check_reviewer("rita", store, refs)


# -- one document under review -----------------------------------------------------------

ALICE = frozenset({(0, 2, "PER"), (3, 7, "ORG")})
BOB = frozenset({(0, 2, "PER"), (3, 5, "LOC")})
CAROL = frozenset({(0, 2, "PER"), (3, 7, "ORG"), (8, 10, "TIME")})


def test_a_review_document_finds_disagreements_and_moves_between_them() -> None:
    review = ReviewDocument({"alice": ALICE, "bob": BOB, "carol": CAROL})
    assert review.agreed == {(0, 2, "PER")}
    assert [(s.start, s.end) for s in review.sets] == [(3, 7), (8, 10)]
    assert review.next_set(0) == 0 and review.next_set(3) == 1 and review.next_set(8) is None
    assert review.previous_set(9) == 1 and review.previous_set(3) is None
    assert review.set_at(4) == 0 and review.set_at(7) is None and review.set_at(1) is None


def test_versions_group_annotators_most_first() -> None:
    review = ReviewDocument({"alice": ALICE, "bob": BOB, "carol": CAROL})
    first, second = review.versions(0)
    assert first == Version(("alice", "carol"), frozenset({(3, 7, "ORG")}))
    assert second == Version(("bob",), frozenset({(3, 5, "LOC")}))
    empty, marked = sorted(review.versions(1), key=lambda v: len(v.spans))
    assert empty.annotators == ("alice", "bob") and marked.annotators == ("carol",)


def test_who_marked_what_under_the_cursor_and_what_gold_lacks() -> None:
    review = ReviewDocument({"alice": ALICE, "bob": BOB, "carol": CAROL})
    assert review.marked_at(4) == [((3, 5, "LOC"), ("bob",)), ((3, 7, "ORG"), ("alice", "carol"))]
    candidates = review.candidates(gold={(0, 2, "PER"), (3, 7, "ORG")})
    assert candidates == {(3, 5, "LOC"): ("bob",), (8, 10, "TIME"): ("carol",)}


def test_a_review_document_is_shared_only_while_its_layers_are_the_same_objects() -> None:
    alice, bob = frozenset({(0, 2, "PER")}), frozenset({(0, 3, "PER")})
    first = review_document({"alice": alice, "bob": bob})
    assert review_document({"bob": bob, "alice": alice}) is first
    assert len(first.sets) == 1
    changed = review_document({"alice": alice, "bob": frozenset({(0, 2, "PER")})})
    assert changed is not first and changed.sets == []


def test_a_decision_is_stale_once_any_layer_changes_inside_it() -> None:
    from tui.core.review import Decision, Decisions, ReviewDocument

    layers = {"alice": frozenset({(3, 7, "ORG")}), "bob": frozenset({(3, 5, "LOC")})}
    review = ReviewDocument(layers)
    basis = {(3, 7): review.fingerprint(0)}
    assert review.decision(0, Decisions({(3, 7)}, basis)) == (Decision.DECIDED, "")
    assert review.decision(0, {(3, 7)}) == (Decision.DECIDED, "")  # decided before bases
    assert review.decision(0, set()) == (Decision.UNDECIDED, "")
    later = ReviewDocument({**layers, "carol": frozenset({(3, 5, "PER")})})
    assert later.decision(0, Decisions({(3, 7)}, basis)) == (Decision.STALE, "carol new")
    assert later.next_set(-1, Decisions({(3, 7)}, basis)) == 0  # J stops there
    changed = ReviewDocument({**layers, "bob": frozenset({(3, 6, "LOC")})})
    assert changed.decision(0, Decisions({(3, 7)}, basis)) == (Decision.STALE, "bob changed")
    grown = ReviewDocument({**layers, "bob": frozenset({(2, 5, "LOC")})})
    assert grown.decision(0, Decisions({(3, 7)}, basis)) == (
        Decision.STALE,
        "its extent changed",
    )


def test_what_a_decision_was_made_on_is_saved_and_checked(tmp_path: Path) -> None:
    from tui.core.store import CorruptStoreError

    document = Store(tmp_path / "store").document("doc", GOLD)
    document.apply((), decided=[(3, 7)], decided_on={(3, 7): {"alice": "ab12", "bob": "cd34"}})
    assert document.load().decided_on == {(3, 7): {"alice": "ab12", "bob": "cd34"}}
    assert document.outline().decided_on == {(3, 7): {"alice": "ab12", "bob": "cd34"}}
    raw = document.path.read_text(encoding="utf-8")
    document.path.write_text(raw.replace('"3:7"', '"3:x"'), encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="bad decided_on"):
        document.load()
