"""Changing relations, chains, categories and attributes in a session: one undo step and one
store write each; deleting a span takes its links with it, and undo brings them back."""

from __future__ import annotations

from pathlib import Path

from tui.core.relations.model import ATTRIBUTES, CHAINS, RELATIONS, Attribute, Chain, Relation
from tui.core.session import Session, open_session
from tui.core.spans import now_iso
from tui.core.store import Store

TEXT = "张三在北京大学工作。李四是他的同事。"
STAMP = now_iso()


def session(tmp_path: Path) -> tuple[Session, Store, list[str]]:
    store = Store(tmp_path / "store")
    opened = open_session(store, "doc", "alice", TEXT)
    made = [
        opened.session.add(start, end, label)
        for start, end, label in ((0, 2, "PER"), (3, 7, "ORG"), (10, 12, "PER"))
    ]
    ids = [change.put[0].id for change in made if change is not None]
    return opened.session, store, ids


def on_disk(store: Store) -> tuple[set[tuple[str, str, str]], frozenset[str], int]:
    state = store.document("doc", "alice").load()
    relations = {(r.type, r.source, r.target) for r in state.links.relations}
    return relations, state.links.categories, len(state.links.attributes)


def add_relation(session: Session, source: str, target: str, kind: str = "任职") -> str:
    relation = Relation(f"r-{source[:6]}-{target[:6]}", kind, source, target, "alice", STAMP, STAMP)
    assert session.change_links(
        ((RELATIONS, relation.id, None),),
        ((RELATIONS, relation.id, relation.to_record()),),
        f"relate {kind}",
    )
    return relation.id


def test_a_relation_is_saved_undone_and_redone(tmp_path: Path) -> None:
    s, store, (zhang, pku, _li) = session(tmp_path)
    add_relation(s, zhang, pku)
    assert on_disk(store)[0] == {("任职", zhang, pku)}
    assert s.undo() is not None and on_disk(store)[0] == set()
    assert s.redo() is not None and on_disk(store)[0] == {("任职", zhang, pku)}
    assert s.undo() is not None  # and the span edits before it are still undoable
    assert s.undo() is not None and len(store.document("doc", "alice").load().spans) == 2


def test_deleting_a_span_takes_its_links_and_undo_brings_them_back(tmp_path: Path) -> None:
    s, store, (zhang, pku, li) = session(tmp_path)
    add_relation(s, zhang, pku)
    chain = Chain("c1", "Coreference", (zhang, li), "alice", STAMP, STAMP)
    attribute = Attribute(zhang, "否定", True)
    s.change_links(
        ((CHAINS, "c1", None), (ATTRIBUTES, attribute.id, None)),
        ((CHAINS, "c1", chain.to_record()), (ATTRIBUTES, attribute.id, attribute.to_record())),
        "chain and attribute",
    )
    s.delete_at(0)  # 张三: its relation, its attribute and the two-member chain go with it
    state = store.document("doc", "alice").load()
    assert zhang not in {span.id for span in state.spans}
    assert state.links.relations == () and state.links.chains == ()
    assert state.links.attributes == () and state.links.problems == ()
    s.undo()  # one step: the span and every link are back
    state = store.document("doc", "alice").load()
    assert zhang in {span.id for span in state.spans}
    assert on_disk(store)[0] == {("任职", zhang, pku)}
    assert state.links.chains == (chain,) and state.links.attributes == (attribute,)


def test_categories_toggle_and_undo(tmp_path: Path) -> None:
    s, store, _ = session(tmp_path)
    s.change_links((), (), "category 体育", categories=(frozenset(), frozenset({"体育"})))
    assert on_disk(store)[1] == {"体育"}
    s.undo()
    assert on_disk(store)[1] == set()
    s.redo()
    assert on_disk(store)[1] == {"体育"}


def test_link_steps_survive_closing_and_reopening(tmp_path: Path) -> None:
    s, store, (zhang, pku, _) = session(tmp_path)
    add_relation(s, zhang, pku)
    s.delete_at(3)  # 北京大学 and its relation
    reopened = open_session(store, "doc", "alice", TEXT).session
    assert reopened.undo() is not None  # the span and the relation, from the history file
    assert on_disk(store)[0] == {("任职", zhang, pku)}
    assert reopened.undo() is not None  # the relation itself
    assert on_disk(store)[0] == set()


def test_read_only_refuses_link_changes(tmp_path: Path) -> None:
    _, store, (_zhang, _pku, _) = session(tmp_path)
    read_only = open_session(store, "doc", "alice", TEXT, read_only="reviewing").session
    assert not read_only.change_links((), ((RELATIONS, "r", {"id": "r"}),), "x")
    assert on_disk(store)[0] == set()


def test_a_document_given_only_a_category_is_in_progress_and_exported(tmp_path: Path) -> None:
    from tui.core.export_selection import Selector
    from tui.core.spans import Status

    store = Store(tmp_path / "store")
    s = open_session(store, "doc", "alice", TEXT).session
    s.change_links((), (), "category 体育", categories=(frozenset(), frozenset({"体育"})))
    state = store.document("doc", "alice").load()
    assert state.status is Status.IN_PROGRESS and state.links.categories == {"体育"}
    assert Selector([], store, "alice", None).keep(state)
