"""Reviewing relations as a reviewer does: ``J`` stops at each relation the annotators
disagree on, the version bar names it, ``c`` shows the next there, ``a`` accepts it into
gold, ``X`` rejects it, ``u`` undoes; agreed relations start in gold (issue 14, item 7).

In a.txt (张三在北京大学工作。李四是他的同事。北京在北方。) alice and bob marked the same
spans. Both related 张三 任职 北京大学 and 张三 同事 李四 (undirected: bob the other way
round). Only alice: 李四 任职 北京大学. Only bob: 北京大学 位于 北京.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_relations import LABELS, SPANS, TEXT
from tests.app.test_review import open_first
from tests.app.test_snapshots import SnapCompare, keys_then_settle
from tests.conftest import screen_text
from tests.core.test_relation_review import relate
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.corpus import document_id, id_root
from tui.core.relations.model import Links
from tui.core.relations.schema import parse_schema
from tui.core.segment import Segmenter
from tui.core.spans import GOLD
from tui.core.store import Store
from tui.widgets.version_bar import VersionBar

SIZE = (80, 24)
ZHANG, PKU, LI, BEIJING = SPANS[0], SPANS[1], SPANS[2], SPANS[4]


@pytest.fixture
def app(segmenter: Segmenter, tmp_path: Path) -> ReaderApp:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    store = Store(tmp_path / "store")
    doc_id = document_id(folder / "a.txt", id_root(store.root))
    for who in ("alice", "bob"):
        annotate(store, folder, "a.txt", who, SPANS)
    relate(store, doc_id, "alice", (ZHANG, PKU, "任职"), (ZHANG, LI, "同事"), (LI, PKU, "任职"))
    relate(store, doc_id, "bob", (ZHANG, PKU, "任职"), (LI, ZHANG, "同事"), (PKU, BEIJING, "位于"))
    schema = parse_schema(LABELS)
    return ReaderApp(
        [folder],
        store=tmp_path / "store",
        annotator="rita",
        segmenter=segmenter,
        labels=schema.labels,
        schema=schema,
        review=True,
    )


def gold_links(tmp_path: Path) -> tuple[set[tuple[str, str, str]], Links]:
    """Gold's relations as (type, source text, target text), and its links as read."""
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    state = store.document(doc_id, GOLD).load()
    text = {span.id: span.text for span in state.spans}
    relations = {(r.type, text[r.source], text[r.target]) for r in state.links.relations}
    return relations, state.links


def told(app: ReaderApp) -> list[str]:
    """The toasts shown."""
    return [note.message for note in app._notifications]


AGREED = {("任职", "张三", "北京大学"), ("同事", "张三", "李四")}


async def test_relations_every_annotator_made_start_in_gold(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.pause()
        relations, links = gold_links(tmp_path)
        assert relations == AGREED
        assert {r.annotator for r in links.relations} == {"rita"}
        assert links.verdicts == ()


async def test_j_stops_at_each_candidate_and_the_bar_names_it(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot, app)
        bar = screen.query_one(VersionBar)
        await pilot.press("J")
        assert screen.reader.model is not None and screen.reader.model.cursor == 3
        assert bar.text == "⇄ 1/2  bob ORG 北京大学 位于 → LOC 北京"
        assert "⇄1/2" in screen_text(app)  # the status line keeps its place too
        await pilot.press("c")
        assert bar.text == "⇄ 2/2  alice PER 李四 任职 → ORG 北京大学"
        await pilot.press("J")  # both start at 北京大学: nothing after it
        assert "no more disagreements to decide after this" in told(app)


async def test_a_accepts_x_rejects_and_u_undoes(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot, app)
        bar = screen.query_one(VersionBar)
        await pilot.press("J", "c", "a")  # accept alice's 李四 任职 北京大学
        relations, links = gold_links(tmp_path)
        assert relations == AGREED | {("任职", "李四", "北京大学")}
        assert [(v.type, v.accepted, v.annotators) for v in links.verdicts] == [
            ("任职", True, ("alice",))
        ]
        assert bar.text == "⇄ 1/1  bob ORG 北京大学 位于 → LOC 北京"
        await pilot.press("X")  # reject bob's 位于
        relations, links = gold_links(tmp_path)
        assert ("位于", "北京大学", "北京") not in relations
        assert {(v.type, v.accepted) for v in links.verdicts} == {("任职", True), ("位于", False)}
        assert bar.text == "alice,bob ORG 北京大学"  # nothing left here: who marked the span
        await pilot.press("u")  # the rejection is taken back
        _, links = gold_links(tmp_path)
        assert [v.type for v in links.verdicts] == ["任职"]
        assert bar.text == "⇄ 1/1  bob ORG 北京大学 位于 → LOC 北京"
        await pilot.press("u")  # and the acceptance: the relation and its verdict
        relations, links = gold_links(tmp_path)
        assert relations == AGREED and links.verdicts == ()


async def test_the_list_counts_the_relations_left_to_decide(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        await pilot.pause()
        marks = screen.documents.entries[0].marks
        assert marks is not None and marks.disagreements == 2
        await pilot.press("J", "X", "X")
        await pilot.pause()
        marks = screen.documents.entries[0].marks
        assert marks is not None and marks.disagreements == 0


async def test_a_relation_between_spans_not_in_gold_waits_for_them(
    app: ReaderApp, tmp_path: Path
) -> None:
    """bob also marked 北方 LOC and related 北京大学 位于 北方: the span comes first."""
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    north = (21, 23, "LOC")
    annotate(store, tmp_path / "corpus", "a.txt", "bob", [*SPANS, north])
    relate(store, doc_id, "bob", (PKU, north, "位于"))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot, app)
        bar = screen.query_one(VersionBar)
        await pilot.press("J", "c")
        assert bar.text == "⇄ 2/3  bob ORG 北京大学 位于 → LOC 北方"
        await pilot.press("a")
        assert "LOC at 21 is not in gold: accept that span first" in told(app)
        await pilot.press("J")  # the span disagreement at 北方
        assert bar.text == "≠ 1/1  ▶v1 alice (nothing)  v2 bob LOC 北方"
        await pilot.press("c", "a", "K")  # bob's 北方 accepted; back to the relations
        assert bar.text == "⇄ 1/3  bob ORG 北京大学 位于 → LOC 北京"
        await pilot.press("c", "a")
        relations, _ = gold_links(tmp_path)
        assert ("位于", "北京大学", "北方") in relations


def test_snapshot_a_relation_candidate_in_review(snap_compare: SnapCompare, app: ReaderApp) -> None:
    """80×24: the version bar names the candidate, its ends are marked in the text."""
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle("enter", "J"))
