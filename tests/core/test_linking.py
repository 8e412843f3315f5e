"""Making relations and chains (tui.core.relations.linking): what is made, what is refused
and why, and that each change goes through the session as one undo step."""

from __future__ import annotations

from itertools import count
from pathlib import Path

from tui.core.relations.linking import (
    Author,
    LinkChange,
    Linking,
    Refusal,
    chain_change,
    delete_chain,
    delete_relation,
    link_rows,
    names_of,
    relation_change,
    retype_relation,
)
from tui.core.relations.model import Links
from tui.core.relations.schema import Schema, parse_schema
from tui.core.session import Session, open_session
from tui.core.spans import Span
from tui.core.store import Store

SCHEMA = """
[[label]]
name = "PER"
key = 1
[[label]]
name = "ORG"
key = 2
[[label]]
name = "LOC"
key = 3

[[relation]]
name = "任职"
key = "r"
from = ["PER"]
to = ["ORG"]

[[relation]]
name = "创办"
key = "f"
from = ["PER"]
to = ["ORG"]

[[relation]]
name = "同事"
key = "s"
from = ["PER"]
to = ["PER"]
directed = false

[[relation]]
name = "位于"
key = "j"
from = ["ORG"]
to = ["LOC"]

[[chain]]
name = "同指"
key = "c"
"""
TEXT = "张三在北京大学工作。李四是他的同事。北京在北方。"
SPANS = ((0, 2, "PER"), (3, 7, "ORG"), (10, 12, "PER"), (13, 14, "PER"), (18, 20, "LOC"))


def schema() -> Schema:
    return parse_schema(SCHEMA)


_IDS = count(1)


def author() -> Author:
    """Alice, at a fixed time, with ids never given twice."""
    return Author("alice", lambda: "2026-12-04T00:00:00+00:00", lambda: f"id{next(_IDS)}")


def opened(tmp_path: Path) -> tuple[Session, Store, list[Span]]:
    store = Store(tmp_path / "store")
    session = open_session(store, "doc", "alice", TEXT).session
    for start, end, label in SPANS:
        session.add(start, end, label)
    spans = [session.annotations.at(start)[0] for start, _, _ in SPANS]
    return session, store, spans


def current(session: Session) -> Links:
    return session.links.links(span.id for span in session.annotations.spans)


def apply(session: Session, made: LinkChange | Refusal) -> None:
    assert isinstance(made, LinkChange), made
    assert session.change_links(made.before, made.after, made.description)


def test_a_relation_is_made_saved_and_undone(tmp_path: Path) -> None:
    session, store, (zhang, pku, *_rest) = opened(tmp_path)
    rtype = schema().relation("任职")
    assert rtype is not None
    made = relation_change(schema(), rtype, zhang, pku, current(session), author())
    assert isinstance(made, LinkChange) and made.description == "link 张三 → 任职 → 北京大学"
    apply(session, made)
    [relation] = store.document("doc", "alice").load().links.relations
    assert (relation.type, relation.source, relation.target) == ("任职", zhang.id, pku.id)
    assert relation.annotator == "alice"
    session.undo()
    assert store.document("doc", "alice").load().links.relations == ()


def test_refusals_say_why(tmp_path: Path) -> None:
    session, _, (zhang, pku, li, _he, beijing) = opened(tmp_path)
    rules = schema()
    works, colleague = rules.relation("任职"), rules.relation("同事")
    assert works is not None and colleague is not None
    wrong_way = relation_change(rules, works, pku, zhang, current(session), author())
    assert wrong_way == Refusal("任职 goes from PER, not from ORG")
    to_place = relation_change(rules, works, zhang, beijing, current(session), author())
    assert to_place == Refusal("任职 goes to ORG, not to LOC")
    itself = relation_change(rules, works, zhang, zhang, current(session), author())
    assert isinstance(itself, Refusal) and "itself" in itself.reason
    apply(session, relation_change(rules, colleague, zhang, li, current(session), author()))
    # The same undirected relation, either way round, is already there.
    again = relation_change(rules, colleague, li, zhang, current(session), author())
    assert again == Refusal("already linked: 李四 ↔ 同事 ↔ 张三")


def test_the_machine_lists_the_types_that_fit_and_stops_when_made(tmp_path: Path) -> None:
    session, _, (zhang, pku, li, _he, beijing) = opened(tmp_path)
    linking = Linking(schema(), reserved=frozenset("hjklwbg0"))
    assert isinstance(linking.start(None), Refusal)
    assert linking.start(zhang) == ("link from 张三: move to the target, then the relation key")
    assert [t.name for t in linking.choices(pku)] == ["任职", "创办", "同指"]
    assert [t.name for t in linking.choices(li)] == ["同事", "同指"]
    assert "任职 goes to ORG, not to LOC" in linking.why_none(beijing)
    assert linking.direct("j") is None  # j moves the cursor: 位于 is chosen from the menu
    assert linking.direct("r") is not None and linking.direct("x") is None
    refused = linking.make(linking.schema.relations[0], beijing, current(session), author())
    assert isinstance(refused, Refusal) and linking.active  # still linking: try another
    made = linking.make(linking.schema.relations[0], pku, current(session), author())
    assert isinstance(made, LinkChange) and not linking.active


def test_no_schema_no_linking() -> None:
    refused = Linking(Schema()).start(None)
    assert isinstance(refused, Refusal) and "labels file" in refused.reason


def test_chains_start_join_and_move(tmp_path: Path) -> None:
    session, store, (zhang, _pku, li, he, _beijing) = opened(tmp_path)
    coref = schema().chain("同指")
    assert coref is not None
    apply(session, chain_change(coref, he, zhang, current(session), author()))
    [chain] = current(session).chains
    assert chain.members == (zhang.id, he.id)
    # 李四 links to 他: joins the chain 他 is in.
    apply(session, chain_change(coref, li, he, current(session), author()))
    [chain] = current(session).chains
    assert chain.members == (zhang.id, he.id, li.id)
    again = chain_change(coref, li, zhang, current(session), author())
    assert isinstance(again, Refusal) and "already in one" in again.reason
    session.undo()
    [chain] = store.document("doc", "alice").load().links.chains
    assert chain.members == (zhang.id, he.id)


def test_a_span_in_a_chain_moves_to_the_targets_chain(tmp_path: Path) -> None:
    session, _, (zhang, pku, li, he, beijing) = opened(tmp_path)
    coref = schema().chain("同指")
    assert coref is not None
    apply(session, chain_change(coref, he, zhang, current(session), author()))
    apply(session, chain_change(coref, beijing, pku, current(session), author()))
    # 他 moves to 北京大学's chain; the chain it leaves keeps one member and goes.
    apply(session, chain_change(coref, he, pku, current(session), author()))
    [chain] = current(session).chains
    assert chain.members == (pku.id, beijing.id, he.id)
    # A target without a chain joins the source's.
    apply(session, chain_change(coref, pku, li, current(session), author()))
    [chain] = current(session).chains
    assert chain.members == (pku.id, beijing.id, he.id, li.id)


def test_delete_and_retype(tmp_path: Path) -> None:
    session, store, (zhang, pku, li, *_rest) = opened(tmp_path)
    rules = schema()
    works, colleague = rules.relation("任职"), rules.relation("同事")
    assert works is not None and colleague is not None
    apply(session, relation_change(rules, works, zhang, pku, current(session), author()))
    [relation] = current(session).relations
    refused = retype_relation(
        rules, session.links, current(session), relation, colleague, (zhang, pku)
    )
    assert refused == Refusal("同事 links PER with PER, not PER with ORG")
    founded = rules.relation("创办")
    assert founded is not None
    apply(
        session,
        retype_relation(rules, session.links, current(session), relation, founded, (zhang, pku)),
    )
    [relation] = current(session).relations
    assert relation.type == "创办"
    apply(session, relation_change(rules, colleague, zhang, li, current(session), author()))
    names = names_of(session.annotations.spans)
    gone = delete_relation(session.links, relation, names)
    assert gone.description == "unlink 张三 → 创办 → 北京大学"
    apply(session, gone)
    [left] = store.document("doc", "alice").load().links.relations
    assert left.type == "同事"
    session.undo()
    assert len(store.document("doc", "alice").load().links.relations) == 2
    coref = rules.chain("同指")
    assert coref is not None
    apply(session, chain_change(coref, li, zhang, current(session), author()))
    [chain] = current(session).chains
    apply(session, delete_chain(session.links, chain))
    assert store.document("doc", "alice").load().links.chains == ()


def test_rows_list_relations_by_place_then_numbered_chains(tmp_path: Path) -> None:
    session, _, (zhang, pku, li, he, _beijing) = opened(tmp_path)
    rules = schema()
    works, colleague, coref = rules.relation("任职"), rules.relation("同事"), rules.chain("同指")
    assert works is not None and colleague is not None and coref is not None
    apply(session, relation_change(rules, colleague, li, zhang, current(session), author()))
    apply(session, relation_change(rules, works, zhang, pku, current(session), author()))
    apply(session, chain_change(coref, li, he, current(session), author()))
    spans = {span.id: span for span in session.annotations.spans}
    rows = link_rows(rules, current(session), spans)
    assert [row.text for row in rows] == [
        "张三 → 任职 → 北京大学",
        "李四 ↔ 同事 ↔ 张三",
        "#1 李四 · 他",
    ]
    assert [row.offset for row in rows] == [0, 10, 10]
    assert rows[0].colour.startswith("#")
