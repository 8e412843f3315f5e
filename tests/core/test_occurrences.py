"""Label every occurrence (tui.core.occurrences): the same text found in either script."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_review import annotate
from tui.core.corpus import DocumentRef, discover, id_root
from tui.core.occurrences import (
    OCCURRENCES,
    OccurrenceSource,
    corpus_occurrences,
    decide_in_corpus,
    occurrences_in,
)
from tui.core.session import open_session
from tui.core.spans import Origin
from tui.core.store import Store

TEXT = "北京大学在北京。\n北京大學很大，北京大学生多。\n"


def test_the_text_is_found_in_either_script_as_suggestions_with_the_label() -> None:
    found = occurrences_in(TEXT, OccurrenceSource("北京大学", "ORG"), existing=[(0, 4)])
    assert [(s.start, s.end, s.label, s.source) for s in found] == [
        (9, 13, "ORG", OCCURRENCES),  # 北京大學
        (16, 20, "ORG", OCCURRENCES),  # 北京大学 in 北京大学生: the text, whole
    ]


def test_places_taken_by_a_span_or_rejected_before_are_left_out() -> None:
    source = OccurrenceSource("北京", "LOC")
    found = occurrences_in(TEXT, source, existing=[(0, 4)], rejected=[(9, 11, "LOC")])
    assert [s.start for s in found] == [5, 16]


def corpus_with(tmp_path: Path) -> tuple[Store, list[DocumentRef]]:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "b.txt").write_text("他去了北京大學。北京大学很好。\n", encoding="utf-8")
    (folder / "c.txt").write_text("没有。\n", encoding="utf-8")
    store = Store(tmp_path / "store")
    annotate(store, folder, "b.txt", "ann", [(3, 7, "ORG")])
    return store, discover([folder], id_root(store.root))


def test_the_corpus_is_searched_with_each_documents_spans_respected(tmp_path: Path) -> None:
    store, refs = corpus_with(tmp_path)
    found = corpus_occurrences(refs[1:], store, "ann", OccurrenceSource("北京大学", "ORG"))
    assert [(ref.name, [s.start for s in places]) for ref, places in found.documents] == [
        ("b.txt", [8])  # 3–7 is annotated already; c.txt has none
    ]
    assert found.places == 1 and found.problems == ()


def test_accepting_in_the_corpus_is_one_undo_step_in_each_document(tmp_path: Path) -> None:
    store, refs = corpus_with(tmp_path)
    found = corpus_occurrences(refs, store, "ann", OccurrenceSource("北京大学", "ORG"))
    decided, problems = decide_in_corpus(found, store, "ann", accept=True)
    assert (decided, problems) == (4, [])  # a: 0, 9, 16; b: 8
    b = refs[1]
    spans = store.document(b.doc_id, "ann").load().spans
    assert {(s.start, s.label, s.origin) for s in spans} == {
        (3, "ORG", Origin.MANUAL),
        (8, "ORG", Origin.SUGGESTION),
    }
    text = (tmp_path / "corpus" / "b.txt").read_text(encoding="utf-8")
    session = open_session(store, b.doc_id, "ann", text).session
    assert session.undo() is not None  # the step is in b's own history
    assert [s.start for s in store.document(b.doc_id, "ann").load().spans] == [3]


def test_rejecting_in_the_corpus_remembers_each_place(tmp_path: Path) -> None:
    store, refs = corpus_with(tmp_path)
    found = corpus_occurrences(refs[1:], store, "ann", OccurrenceSource("北京大学", "ORG"))
    assert decide_in_corpus(found, store, "ann", accept=False) == (1, [])
    assert store.document(refs[1].doc_id, "ann").load().rejected == ((8, 12, "ORG"),)
    again = corpus_occurrences(refs[1:], store, "ann", OccurrenceSource("北京大学", "ORG"))
    assert again.places == 0
