"""Chain index marks in the text (issue 14): 李四¹ … 他¹ while reading, display only."""

from __future__ import annotations

from pathlib import Path

from tests.app import test_relations
from tests.app.test_relations import SIZE, on_disk, open_text
from tests.app.test_snapshots import SnapCompare, keys_then_settle
from tests.conftest import screen_lines
from tui.app import ReaderApp
from tui.core.corpus import document_id, id_root
from tui.core.interchange import export_documents
from tui.core.linebreak import text_cells
from tui.core.relations.chain_marks import SEPARATOR
from tui.core.spans import Span
from tui.core.store import Store
from tui.widgets.reader_view import ReaderView

#: The app of the relations tests: their labels file declares the chain 同指 (key c).
app = test_relations.app

#: What the reader shows of the text's first line, with and without the marks.
PLAIN = "张三在北京大学工作。李四是他的同事。北京在北方。"
MARKED = "张三在北京大学工作。李四¹是他¹的同事。北京在北方。"
SUPERSCRIPTS = set("⁰¹²³⁴⁵⁶⁷⁸⁹" + SEPARATOR)


def text_row(app: ReaderApp) -> str:
    """The reader's first line (under the tab bar) as shown."""
    return next(line for line in screen_lines(app) if "北方" in line)


async def chain_li_si_and_he(pilot: object) -> None:
    """李四 and 他 in one 同指 chain (hint letters d and f)."""
    await pilot.press("apostrophe", "d", "L", "apostrophe", "f", "c")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def walk(pilot: object, reader: ReaderView, steps: int) -> list[int]:
    """The cursor's offsets from the start, moving right ``steps`` times."""
    assert reader.model is not None
    await pilot.press("g")  # type: ignore[attr-defined]
    seen = [reader.model.cursor]
    for _ in range(steps):
        await pilot.press("l")  # type: ignore[attr-defined]
        seen.append(reader.model.cursor)
    return seen


async def test_chained_spans_show_their_number_and_undo_takes_it_away(
    app: ReaderApp, tmp_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        assert PLAIN in text_row(app)
        await chain_li_si_and_he(pilot)
        assert MARKED in text_row(app)
        await pilot.press("u")
        await pilot.pause()
        assert PLAIN in text_row(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert MARKED in text_row(app)
        await pilot.press("apostrophe", "a", "L", "apostrophe", "s", "c")  # 北京大学 with 张三
        await pilot.pause()
        assert "张三¹在北京大学¹工作。李四²是他²的同事。" in text_row(app)


async def test_deleting_spans_keeps_the_marks_right(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        await chain_li_si_and_he(pilot)
        await pilot.press("apostrophe", "s", "x")  # 北京大学 (no chain) deleted
        await pilot.pause()
        assert MARKED in text_row(app)
        await pilot.press("apostrophe", "d", "x")  # 李四 deleted: its chain (two) goes
        await pilot.pause()
        assert PLAIN in text_row(app)


async def test_the_chain_mates_of_the_span_here_are_underlined_where_they_are_now(
    app: ReaderApp,
) -> None:
    """The other ends' marks are placed after the chain marks moved the text."""
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await pilot.press("apostrophe", "f", "L", "apostrophe", "a", "c")  # 他 with 张三
        await pilot.pause()
        assert reader.model is not None and reader.model.cursor == 0  # on 张三: 他 underlined
        assert "张三¹在北京大学工作。李四是他¹的同事。" in text_row(app)
        underlined = [s.text for s in reader.render_line(0) if s.style and s.style.underline]
        assert "".join(underlined) == "他¹"


async def test_the_cursor_steps_over_the_marks_as_before(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        before = await walk(pilot, reader, 20)
        await chain_li_si_and_he(pilot)
        assert await walk(pilot, reader, 20) == before
        # h back over 他¹ and 李四¹ too.
        await pilot.press("h", "h", "h", "h", "h", "h", "h")
        assert reader.model is not None and reader.model.cursor == 13


def colour_of(reader: ReaderView, character: str) -> object:
    """The background the reader's first line draws ``character`` on."""
    for segment in reader.render_line(0):
        if character in segment.text and segment.style is not None:
            return segment.style.bgcolor
    raise AssertionError(f"{character} is not on the first line")


async def test_a_click_on_a_mark_lands_on_its_character(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await chain_li_si_and_he(pilot)
        column = text_cells("张三在北京大学工作。李四")  # where 李四's mark is drawn
        await pilot.click(ReaderView, offset=(reader.styles.padding.left + column, 0))
        assert reader.model is not None and reader.model.cursor == 11  # 四 of 李四¹


async def test_the_script_toggle_keeps_the_marks_in_the_spans_colour(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_text(pilot, app)
        await chain_li_si_and_he(pilot)
        await pilot.press("g", "t")  # the cursor away from 李四 and 他
        await pilot.pause()
        assert "張三在北京大學工作。李四¹是他¹的同事。" in text_row(app)
        assert colour_of(reader, "¹") == colour_of(reader, "李") is not None
        await pilot.press("t")
        await pilot.pause()
        assert MARKED in text_row(app)


def spans_on_disk(tmp_path: Path) -> list[Span]:
    store = Store(tmp_path / "store")
    doc_id = document_id(tmp_path / "corpus" / "a.txt", id_root(store.root))
    return list(store.document(doc_id, "tester").load().spans)


async def test_marks_never_reach_the_spans_or_an_export(app: ReaderApp, tmp_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_text(pilot, app)
        await chain_li_si_and_he(pilot)
        await pilot.press("apostrophe", "d", "v", "l", "l", "2")  # select 李四¹是: ORG
        await pilot.pause()
    [made] = [span for span in spans_on_disk(tmp_path) if span.label == "ORG" and span.start == 10]
    assert (made.start, made.end, made.text) == (10, 13, "李四是")
    assert len(on_disk(tmp_path).chains) == 1
    out = tmp_path / "out"
    store = Store(tmp_path / "store")
    export_documents([tmp_path / "corpus"], "brat", out, store=store, annotator="tester")
    written = "".join(path.read_text("utf-8") for path in out.rglob("*") if path.is_file())
    assert "李四是" in written and "*" in written  # the span, and the chain as brat writes it
    assert not SUPERSCRIPTS & set(written)


def test_snapshot_chain_marks(snap_compare: SnapCompare, app: ReaderApp) -> None:
    """At 80×24: 张三 and 北京大学 in chain 1, 李四 and 他 in chain 2, each with its mark."""
    keys = ("enter", "apostrophe", "d", "L", "apostrophe", "f", "c")
    more = ("apostrophe", "a", "L", "apostrophe", "s", "c", "G")
    assert snap_compare(app, terminal_size=SIZE, run_before=keys_then_settle(*keys, *more))
