"""Relations, chains, categories and attributes in the store file, beside the spans (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core import store_read
from tui.core.relations.model import Attribute, Chain, LinkEdit, Links, Relation
from tui.core.spans import now_iso
from tui.core.store import DocumentStore, Store

STAMP = now_iso()


def relation(source: str, target: str, rid: str = "r1", kind: str = "位于") -> Relation:
    return Relation(rid, kind, source, target, "alice", STAMP, STAMP)


@pytest.fixture
def document(tmp_path: Path) -> DocumentStore:
    return Store(tmp_path / "store").document("doc", "alice")


@pytest.fixture
def spans(document: DocumentStore) -> list[str]:
    made = [make_span(10 * n) for n in range(4)]
    document.put_spans(made)
    return [span.id for span in made]


def test_an_old_store_file_has_no_links_and_opens_unchanged(
    document: DocumentStore, spans: list[str]
) -> None:
    before = document.path.read_bytes()
    assert document.load().links == Links()
    assert document.path.read_bytes() == before


def test_links_are_saved_with_the_spans_and_read_back(
    document: DocumentStore, spans: list[str]
) -> None:
    a, b, c, _ = spans
    chain = Chain("c1", "Coreference", (a, c), "alice", STAMP, STAMP)
    edit = LinkEdit.of(
        put=[relation(a, b), chain, Attribute(b, "否定", True), Attribute(c, "程度", "强")],
        categories={"体育", "正面"},
    )
    document.apply((), links=edit)
    links = document.load().links
    assert links.relations == (relation(a, b),)
    assert links.chains == (chain,)
    assert links.categories == {"体育", "正面"}
    assert links.attributes_of(b) == {"否定": True} and links.attributes_of(c) == {"程度": "强"}
    assert links.of_span(b) == (relation(a, b),) and links.problems == ()


def test_a_link_is_replaced_by_its_id_and_deleted_by_it(
    document: DocumentStore, spans: list[str]
) -> None:
    a, b, c, _ = spans
    document.apply((), links=LinkEdit.of(put=[relation(a, b), Attribute(a, "否定", True)]))
    document.apply((), links=LinkEdit.of(put=[relation(a, c), Attribute(a, "否定", False)]))
    links = document.load().links
    assert links.relations == (relation(a, c),) and links.attributes_of(a) == {"否定": False}
    document.apply((), links=LinkEdit.of(deleted=[relation(a, c)], categories=()))
    assert document.load().links.relations == () and document.load().links.categories == set()


def test_spans_and_links_change_in_one_write(document: DocumentStore, spans: list[str]) -> None:
    """Deleting a span and its relation is one store write: never one without the other."""
    a, b, _, _ = spans
    document.apply((), links=LinkEdit.of(put=[relation(a, b)]))
    writes: list[bytes] = []
    original = store_read.apply_edit

    def counting(*args: object, **kwargs: object) -> None:
        writes.append(b"")
        original(*args, **kwargs)  # type: ignore[arg-type]

    from tui.core import store as store_module

    store_module_apply = store_module.apply_edit
    store_module.apply_edit = counting  # type: ignore[assignment]
    try:
        document.apply((), [b], links=LinkEdit.of(deleted=[relation(a, b)]))
    finally:
        store_module.apply_edit = store_module_apply  # type: ignore[assignment]
    assert len(writes) == 1
    state = document.load()
    assert b not in {span.id for span in state.spans} and state.links.relations == ()


def test_links_go_through_the_journal_of_a_large_file_too(
    document: DocumentStore, spans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_read, "JOURNAL_FROM_BYTES", 0)
    monkeypatch.setattr(store_read, "_STREAM_FROM_BYTES", 0)
    a, b, c, _ = spans
    # a rewrite, big enough that two small edits stay in the journal beside it
    document.put_spans([make_span(100 + 10 * n) for n in range(100)])
    document.apply((), links=LinkEdit.of(put=[relation(a, b)], categories={"体育"}))
    document.apply((), links=LinkEdit.of(put=[Attribute(c, "否定", True)]))
    assert document.path.with_suffix(".journal").exists()
    links = document.load().links
    assert links.relations == (relation(a, b),) and links.categories == {"体育"}
    assert links.attributes_of(c) == {"否定": True}


def _edit_file(document: DocumentStore, change: object) -> None:
    tables = json.loads(document.path.read_text(encoding="utf-8"))
    change(tables)  # type: ignore[operator]
    document.path.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("records", "problem"),
    [
        ({"1": {"id": "r9", "type": "x", "from": "nope", "to": "nope"}}, "not a relation"),
        ({"1": {**relation("a", "b").to_record(), "id": "r9"}}, "no span"),
        ({"1": {**relation("a", "b").to_record(), "from": 5}}, "not a relation"),
    ],
)
def test_a_relation_that_does_not_hold_is_named_and_the_rest_opens(
    document: DocumentStore, spans: list[str], records: dict[str, object], problem: str
) -> None:
    _edit_file(document, lambda tables: tables.__setitem__("relations", records))
    state = document.load()
    assert len(state.spans) == 4 and state.links.relations == ()
    assert problem in state.links.problems[0]


def test_duplicate_relation_ids_and_chains_missing_members_are_named(
    document: DocumentStore, spans: list[str]
) -> None:
    a, b, c, _ = spans

    def change(tables: dict[str, dict[str, object]]) -> None:
        tables["relations"] = {
            "1": relation(a, b).to_record(),
            "2": relation(b, c).to_record(),  # the same id
        }
        tables["chains"] = {
            "1": Chain("c1", "Coreference", (a, "gone", a, c), "alice", STAMP, STAMP).to_record()
        }
        tables["document"]["1"]["categories"] = "体育"  # type: ignore[index]

    _edit_file(document, change)
    links = document.load().links
    assert links.relations == (relation(a, b),)
    assert links.chains[0].members == (a, c)
    assert links.categories == set()
    assert len(links.problems) == 3


def test_reanchoring_a_changed_document_keeps_the_links_of_the_spans_it_keeps(
    tmp_path: Path,
) -> None:
    from tui.core.annotations import text_sha256
    from tui.core.session import open_session
    from tui.core.spans import Span, new_span_id

    text = "张三在北京大学工作。"
    store = Store(tmp_path / "store")
    document = store.document("doc", "alice")
    sha = text_sha256(text)
    zhang = Span(new_span_id(), "doc", sha, 0, 2, "张三", "PER", "alice", STAMP, STAMP)
    pku = Span(new_span_id(), "doc", sha, 3, 7, "北京大学", "ORG", "alice", STAMP, STAMP)
    document.put_spans([zhang, pku])
    document.set_doc_sha256(sha)
    document.apply((), links=LinkEdit.of(put=[relation(zhang.id, pku.id)]))
    opened = open_session(store, "doc", "alice", "昨天，" + text)
    assert {s.text for s in opened.session.annotations.spans} == {"张三", "北京大学"}
    assert document.load().links.relations == (relation(zhang.id, pku.id),)


def test_whether_a_file_may_hold_links_is_told_without_reading_its_json(
    document: DocumentStore, spans: list[str]
) -> None:
    assert not store_read.holds_links(document.path)  # spans only
    a, b, _, _ = spans
    document.apply((), links=LinkEdit.of(put=[relation(a, b)]))
    assert store_read.holds_links(document.path)
    document.apply((), links=LinkEdit.of(deleted=[relation(a, b)]))
    assert not store_read.holds_links(document.path)  # an empty table holds none
    document.apply((), links=LinkEdit.of(categories={"体育"}))
    assert store_read.holds_links(document.path)
    spaced = json.dumps(json.loads(document.path.read_text(encoding="utf-8")), indent=4)
    document.path.write_text(spaced, encoding="utf-8")
    assert store_read.holds_links(document.path)  # a hand-spaced file too
    document.path.write_text("{not json", encoding="utf-8")
    assert store_read.holds_links(document.path)  # the full read names what is wrong
    assert not store_read.holds_links(document.path.with_name("nobody.json"))


def test_the_categories_are_read_without_building_spans(
    document: DocumentStore, spans: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert document.categories() == set()
    document.apply((), links=LinkEdit.of(categories={"体育"}))
    monkeypatch.setattr("tui.core.spans.Span.from_record", lambda *_: pytest.fail("built"))
    assert document.categories() == {"体育"}
