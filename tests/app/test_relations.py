"""Relations and chains as a user makes them: ``L`` on a span, the cursor or hint letters to
the target, the relation's key (or Enter's menu); what the screen says and what is on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_reader_app import main_screen
from tests.app.test_snapshots import SnapCompare, keys_then_settle
from tests.conftest import screen_lines, screen_text, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.corpus import document_id, id_root
from tui.core.relations.model import Links
from tui.core.relations.schema import parse_schema
from tui.core.segment import Segmenter
from tui.core.store import Store
from tui.screens.linking import LinkMenu
from tui.widgets.reader_view import ReaderView
from tui.widgets.relations_panel import RelationsPanel

SIZE = (80, 24)
LABELS = """
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

[[relation]]
name = "合作"
key = "q"
from = ["ORG"]
to = ["ORG"]

[[chain]]
name = "同指"
key = "c"
"""
TEXT = "张三在北京大学工作。李四是他的同事。北京在北方。\n"
#: 张三 0, 北京大学 3, 李四 10, 他 13, 北京 18: their hint letters are a s d f g.
SPANS = [(0, 2, "PER"), (3, 7, "ORG"), (10, 12, "PER"), (13, 14, "PER"), (18, 20, "LOC")]


@pytest.fixture
def app(segmenter: Segmenter, tmp_path: Path) -> ReaderApp:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    annotate(Store(tmp_path / "store"), folder, "a.txt", "tester", SPANS)
    schema = parse_schema(LABELS)
    return ReaderApp(
        [folder],
        store=tmp_path / "store",
        annotator="tester",
        segmenter=segmenter,
        labels=schema.labels,
        schema=schema,
    )


def on_disk(tmp_path: Path) -> Links:
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    return store.document(doc_id, "tester").load().links


def relations(tmp_path: Path) -> set[tuple[str, str, str]]:
    """(type, source text, target text) of each relation on disk."""
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    state = store.document(doc_id, "tester").load()
    text = {span.id: span.text for span in state.spans}
    return {(r.type, text[r.source], text[r.target]) for r in state.links.relations}


async def open_text(pilot: object, app: ReaderApp) -> ReaderView:
    screen = main_screen(app)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.press("enter")  # type: ignore[attr-defined]
    assert screen.reader.model is not None and screen.reader.model.cursor == 0
    return screen.reader


async def test_link_by_moving_the_cursor_then_the_relation_key(
    app: ReaderApp, tmp_path: Path
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_text(pilot, app)
        await pilot.press("L")
        assert "link from 张三" in screen_lines(app)[-2]
        await pilot.press("l", "l", "l", "r")  # onto 北京大学, then 任职
        assert relations(tmp_path) == {("任职", "张三", "北京大学")}
        await pilot.pause()
        assert "link 张三 → 任职 → 北京大学" in screen_text(app)
        await pilot.press("l", "l")  # out of link mode: l moves, r is relabel again
        assert main_screen(app).reader.model.cursor == 5  # type: ignore[union-attr]


async def test_link_by_hint_letters_and_undo_redo(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        reader = await open_text(pilot, app)
        await pilot.press("L", "apostrophe")
        await pilot.pause()
        assert "a三在s京大学工作。d四是f的同事。g京在北方。" in screen_text(app).replace(" ", "")
        await pilot.press("d")  # 李四
        assert reader.model is not None and reader.model.cursor == 10
        await pilot.press("s")  # 同事
        assert relations(tmp_path) == {("同事", "张三", "李四")}
        await pilot.press("u")
        assert relations(tmp_path) == set()
        await pilot.press("ctrl+r")
        assert relations(tmp_path) == {("同事", "张三", "李四")}


async def test_a_type_that_does_not_fit_is_refused_with_the_reason(
    app: ReaderApp, tmp_path: Path
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_text(pilot, app)
        await pilot.press("L", "apostrophe", "g", "r")  # 张三 to 北京 (LOC) as 任职
        await pilot.pause()
        assert "任职 goes to ORG, not to LOC" in screen_text(app)
        assert relations(tmp_path) == set()
        await pilot.press("apostrophe", "a", "s")  # to itself
        await pilot.pause()
        assert "cannot be linked to itself" in screen_text(app)
        await pilot.press("apostrophe", "s", "q")  # q is 合作's key here, not quit
        await pilot.pause()
        assert app.is_running and "合作 goes from ORG, not from PER" in screen_text(app)
        await pilot.press("escape")  # cancelled: nothing made, Esc again goes to the list
        assert "link from" not in screen_lines(app)[-2]  # the status line
        assert relations(tmp_path) == set()


async def test_enter_lists_the_types_that_fit_and_picks_one_that_moves(
    app: ReaderApp, tmp_path: Path
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        reader = await open_text(pilot, app)
        await pilot.press("apostrophe", "s")  # to 北京大学 (no link mode: just the jump)
        assert reader.model is not None and reader.model.cursor == 3
        await pilot.press("L", "apostrophe", "g", "j")  # j moves the cursor here
        assert relations(tmp_path) == set()
        await pilot.press("k", "apostrophe", "g", "enter")  # back on 北京: the menu
        await pilot.pause()
        assert isinstance(app.screen, LinkMenu)
        assert [t.name for t in app.screen.choices] == ["位于", "同指"]
        await pilot.press("j")
        assert relations(tmp_path) == {("位于", "北京大学", "北京")}


async def test_a_chain_and_deleting_a_span_takes_its_links(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_text(pilot, app)
        await pilot.press("apostrophe", "f", "L", "apostrophe", "a", "c")  # 他 with 张三
        [chain] = on_disk(tmp_path).chains
        assert len(chain.members) == 2
        await pilot.press("L", "apostrophe", "d", "s")  # 张三 同事 李四
        assert relations(tmp_path) == {("同事", "张三", "李四")}
        await pilot.press("apostrophe", "a", "x")  # delete 张三: its relation and chain go
        assert on_disk(tmp_path).chains == () and relations(tmp_path) == set()
        await pilot.press("u")  # one step brings all back
        assert len(on_disk(tmp_path).chains) == 1
        assert relations(tmp_path) == {("同事", "张三", "李四")}


async def test_without_relations_the_link_key_says_so(segmenter: Segmenter, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    annotate(Store(tmp_path / "store"), folder, "a.txt", "tester", SPANS)
    app = ReaderApp([folder], store=tmp_path / "store", annotator="tester", segmenter=segmenter)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_text(pilot, app)
        await pilot.press("L")
        await pilot.pause()
        assert "no relations or chains" in screen_text(app)


async def test_the_hint_line_offers_the_link_keys(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        await pilot.pause()
        assert "L link" in screen_lines(app)[-1] and "P relations" in screen_lines(app)[-1]
        await pilot.press("L")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "⏎ menu" in footer and "Esc cancel" in footer  # these first: types may be cut
        assert "r 任职" in footer and "s 同事" in footer
        assert "j 位于" not in footer  # j moves the cursor: 位于 is in the menu
        await pilot.press("escape")
        await pilot.pause()
        assert "L link" in screen_lines(app)[-1]


def test_snapshot_hint_letters(snap_compare: SnapCompare, app: ReaderApp) -> None:
    """At 80×24: linking from 张三, a letter over each span in view."""
    before = keys_then_settle("enter", "L", "apostrophe")
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


async def make_two_links(pilot: object) -> None:
    """张三 任职 北京大学, 张三 同事 李四, and 他 chained with 张三."""
    press = pilot.press  # type: ignore[attr-defined]
    await press("L", "apostrophe", "s", "r")
    await press("apostrophe", "a", "L", "apostrophe", "d", "s")
    await press("apostrophe", "f", "L", "apostrophe", "a", "c")


async def test_the_panel_lists_deletes_and_retypes(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        await make_two_links(pilot)
        assert len(relations(tmp_path)) == 2
        await pilot.press("P")
        await pilot.pause()
        panel = app.screen.query_one(RelationsPanel)
        assert app.focused is panel
        assert [row.text for row in panel.rows] == [
            "张三 → 任职 → 北京大学",
            "张三 ↔ 同事 ↔ 李四",
            "#1 张三 · 他",
        ]
        text = screen_text(app)
        assert "张三 → 任职 → 北京大学" in text and "#1 张三 · 他" in text
        assert "x delete" in screen_lines(app)[-1]
        await pilot.press("j", "x")  # the undirected one goes: one undo step
        assert relations(tmp_path) == {("任职", "张三", "北京大学")}
        assert [row.text for row in panel.rows][:1] == ["张三 → 任职 → 北京大学"]
        assert len(panel.rows) == 2
        await pilot.press("escape", "u")  # undo, from the text
        assert len(relations(tmp_path)) == 2
        await pilot.pause()
        assert len(panel.rows) == 3
        await pilot.press("P", "P", "k", "k", "r")  # hidden, shown; retype 任职: what fits
        await pilot.pause()
        assert isinstance(app.screen, LinkMenu)
        assert [t.name for t in app.screen.choices] == ["创办"]
        await pilot.press("f")
        assert relations(tmp_path) == {("创办", "张三", "北京大学"), ("同事", "张三", "李四")}
        await pilot.press("u")  # from the panel too
        assert ("任职", "张三", "北京大学") in relations(tmp_path)
        await pilot.press("j", "r")  # 同事: nothing else fits two PER
        await pilot.pause()
        assert not isinstance(app.screen, LinkMenu)


async def test_the_panel_enter_jumps_to_the_source(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await pilot.press("apostrophe", "d", "L", "apostrophe", "f", "c")  # 李四 with 他
        await pilot.press("g", "P", "enter")
        assert reader.has_focus
        assert reader.model is not None and reader.model.cursor == 10


def test_snapshot_relations_panel(snap_compare: SnapCompare, app: ReaderApp) -> None:
    """At 80×24: two relations and a chain listed beside the text."""
    keys = ("enter", "L", "apostrophe", "s", "r", "apostrophe", "a", "L", "apostrophe", "d")
    more = ("s", "apostrophe", "f", "L", "apostrophe", "a", "c", "P", "j")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle(*keys, *more))


async def test_the_other_ends_of_the_span_here_are_marked(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await make_two_links(pilot)
        await pilot.press("apostrophe", "a")  # on 张三: 北京大学, 李四 and 他 marked
        await pilot.pause()
        marked = main_screen(app).linking._marks
        [(_, cells)] = marked.items()
        # One cell further than the text alone: 张三's chain mark (张三¹) comes before them.
        assert sorted(first for first, _, _ in cells) == [7, 21, 27]
        strip = reader.render_line(0)
        assert any(segment.style and segment.style.underline for segment in strip)
        await pilot.press("apostrophe", "g")  # 北京: no links, nothing marked
        await pilot.pause()
        assert main_screen(app).linking._marks == {}


def test_every_hinted_link_key_is_bound() -> None:
    """The relations panel's hints and the reader's link keys name keys bound there."""
    from tests.app.test_key_hints import _bound_labels, _key_tokens
    from tui.core import keyhints
    from tui.screens.main import MainScreen

    for hints, bindings in (
        (keyhints.RELATIONS.hints, [*RelationsPanel.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.LINK_KEYS, [*ReaderView.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.LINKING.hints[:2], ReaderView.BINDINGS),  # ⏎ and Esc are the controller's
    ):
        bound = _bound_labels(bindings)
        for key, _ in hints:
            assert all(token in bound for token in _key_tokens(key)), key


async def test_opening_another_document_cancels_the_link(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("a.txt", "b.txt"):
        (folder / name).write_text(TEXT, encoding="utf-8")
        annotate(Store(tmp_path / "store"), folder, name, "tester", SPANS)
    schema = parse_schema(LABELS)
    app = ReaderApp(
        [folder],
        store=tmp_path / "store",
        annotator="tester",
        segmenter=segmenter,
        labels=schema.labels,
        schema=schema,
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        await pilot.press("L", "right_square_bracket")  # the next document
        await pilot.pause()
        assert "link from" not in screen_lines(app)[-2]
        await pilot.press("l", "l", "l", "r")  # r relabels again: no link made
        assert relations(tmp_path) == set()


async def test_help_lists_the_link_keys_and_the_panel(app: ReaderApp) -> None:
    async with app.run_test(size=(160, 48)) as pilot:
        await open_text(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        await pilot.press("end")  # help is taller than 48 rows: its end too
        await pilot.pause()
        text += screen_text(app)
        assert "Relations panel 关系列表 (P)" in text
        assert "Link the span" in text and "Retype the relation" in text


async def test_two_letter_hints_when_many_spans_are_in_view(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    text = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星\n"
    (folder / "a.txt").write_text(text, encoding="utf-8")
    annotate(
        Store(tmp_path / "store"), folder, "a.txt", "tester", [(i, i + 1, "PER") for i in range(30)]
    )
    schema = parse_schema(LABELS)
    app = ReaderApp(
        [folder],
        store=tmp_path / "store",
        annotator="tester",
        segmenter=segmenter,
        labels=schema.labels,
        schema=schema,
    )
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await pilot.press("apostrophe")
        await pilot.pause()
        assert screen_lines(app)[0].startswith(" aaasadafag")  # two letters a span
        await pilot.press("a")  # the second letters stay shown
        await pilot.pause()
        assert screen_lines(app)[0].startswith(" a s d f g")
        await pilot.press("f")
        assert reader.model is not None and reader.model.cursor == 3
        await pilot.press("apostrophe", "z")  # no code starts so: the letters go
        await pilot.pause()
        assert screen_lines(app)[0].startswith(" 甲乙丙")


async def test_review_keeps_its_keys_beside_the_link_keys(
    segmenter: Segmenter, tmp_path: Path, corpus: Path
) -> None:
    schema = parse_schema(LABELS)
    app = ReaderApp(
        [corpus],
        store=tmp_path / "store",
        annotator="rita",
        segmenter=segmenter,
        review=True,
        labels=schema.labels,
        schema=schema,
    )
    async with app.run_test(size=(120, 30)) as pilot:
        await open_text(pilot, app)
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "J K disagreement" in footer and "L link" in footer


def test_snapshot_link_menu(snap_compare: SnapCompare, app: ReaderApp) -> None:
    """At 80×24: Enter while linking 张三 to 北京大学 lists the types that fit."""
    before = keys_then_settle("enter", "L", "apostrophe", "s", "enter")
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_snapshot_a_span_with_relations_under_the_cursor(
    snap_compare: SnapCompare, app: ReaderApp
) -> None:
    """At 80×24: on 张三, its relations named in the status line and their other ends (北京大学,
    李四) and its chain mate (他) marked in the text."""
    keys = ("enter", "L", "apostrophe", "s", "r", "apostrophe", "a", "L", "apostrophe", "d")
    more = ("s", "apostrophe", "f", "L", "apostrophe", "a", "c", "apostrophe", "a")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle(*keys, *more))
