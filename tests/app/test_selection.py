"""Selecting as a user does it: what is highlighted is exactly what a label key stores.

Also spans that could not be re-anchored after their document changed: listed and
flagged in the spans panel, never drawn over the text, and re-placed by a selection.
"""

from __future__ import annotations

from pathlib import Path

from rich.style import Style

from tests.app.test_annotate import FIRST_SEED, stored
from tests.app.test_reader_app import open_seed
from tests.conftest import SEEDS, AppFactory, screen_lines, screen_text
from tui.core.labels import DEFAULT_LABELS
from tui.widgets.reader_view import ReaderView
from tui.widgets.spans_panel import SpansPanel
from tui.widgets.status_bar import StatusBar

SIZE = (80, 24)
TEXT = (SEEDS / FIRST_SEED).read_text("utf-8")
PARAGRAPHS = [line for line in TEXT.split("\n") if line]
#: The fourth paragraph: "1月28日,…计算器计算着。这是…一幕。"
DATED = PARAGRAPHS[3]
#: The fifth: "社区一间20多平方米的办公室,…"
OFFICE = PARAGRAPHS[4]


async def test_v_then_next_sentence_stores_exactly_the_sentence(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press(*["right_curly_bracket"] * 3, "v", "right_parenthesis", "1")
        [span] = stored(tmp_path)
        assert span.text == DATED[: DATED.index("。") + 1]  # …计算着。, not …计算着。这


async def test_v_then_next_word_stores_exactly_the_words(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press(*["right_curly_bracket"] * 4, "v", "w", "2")
        await pilot.press("right_curly_bracket", "left_curly_bracket", "v", "w", "w", "3")
        assert sorted((s.label, s.text) for s in stored(tmp_path)) == [
            ("LOC", "社区"),
            ("ORG", "社区一间"),  # not 社区一间2
        ]


async def test_v_then_next_paragraph_stores_exactly_the_paragraph(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press(*["right_curly_bracket"] * 4, "v", "right_curly_bracket", "6")
        [span] = stored(tmp_path)
        assert span.text == OFFICE  # not a character of the next paragraph


async def test_moving_back_while_selecting_gives_back_whole_units(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press(*["right_curly_bracket"] * 3, "v")
        await pilot.press("right_parenthesis", "right_parenthesis", "left_parenthesis", "1")
        [span] = stored(tmp_path)
        assert span.text == DATED[: DATED.index("。") + 1]


async def test_end_of_word_and_end_of_sentence_keys(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press(*["right_curly_bracket"] * 4, "E")
        assert TEXT[model.cursor] == "区"  # the last character of 社区
        await pilot.press("full_stop")
        assert TEXT[model.cursor] == "。"
        await pilot.press("left_curly_bracket", "v", "full_stop", "5")
        [span] = stored(tmp_path)
        assert span.text == OFFICE[: OFFICE.index("。") + 1]


async def test_the_selection_shows_in_the_status_line_as_soon_as_v_is_pressed(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        status = app.screen.query_one(StatusBar)
        await pilot.press("v")
        assert "选择 VISUAL 1字" in status.position
        assert "选择 VISUAL 1字" in screen_text(app).splitlines()[-2]  # shown, not cut off
        await pilot.press("l", "l")
        assert "选择 VISUAL 3字" in screen_text(app)
        await pilot.press("escape")
        assert "VISUAL" not in screen_text(app)


def _selected_on_screen(app: object) -> list[str]:
    """Per screen row, the characters drawn as selected (reversed), as the user sees them."""
    strips = app.screen._compositor.render_strips()  # type: ignore[attr-defined]
    return ["".join(s.text for s in strip if s.style and s.style.reverse) for strip in strips]


async def test_the_selection_is_drawn_on_every_row_it_covers(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press(*["right_curly_bracket"] * 3, "v", "right_curly_bracket")
        await pilot.pause()
        selected = "".join(_selected_on_screen(app))
        # All of the paragraph but the cursor's character (drawn as the cursor) at its end.
        assert selected == DATED[:-1]
        assert sum(1 for row in _selected_on_screen(app) if row) == 3


def _painted_labels(reader: ReaderView, row: int) -> set[str]:
    """The labels whose colour is the background of some cell of row ``row``."""
    colours = {Style(bgcolor=label.colour).bgcolor: label.name for label in DEFAULT_LABELS}
    strip = reader.render_line(row)
    return {colours[s.style.bgcolor] for s in strip if s.style and s.style.bgcolor in colours}


async def _flag_a_span(make_app: AppFactory, tmp_path: Path) -> Path:
    """Label 张三 PER and note it, then change the text so it can no longer be placed."""
    source = tmp_path / "doc.txt"
    source.write_text("张三在北京工作。\n", encoding="utf-8")
    app = make_app(source)
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.press("v", "l", "1", "e")
        await pilot.pause()
        await pilot.press(*"老同事", "enter")
        await pilot.pause()
        await pilot.press("q")
    source.write_text("新来的李四在上海工作。\n", encoding="utf-8")
    return source


async def test_a_flagged_span_is_neither_drawn_nor_named_over_unrelated_text(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = await _flag_a_span(make_app, tmp_path)
    app = make_app(source)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.pause()
        assert "could not be placed" in screen_text(app)  # said in a notification…
        status_line = screen_lines(app)[-2]
        assert "doc.txt" in status_line and "✓ · 1/12" in status_line  # …that covers nothing
        model = reader.model
        assert model is not None and model.cursor == 1  # inside the old offsets 0..2
        assert _painted_labels(reader, 0) == set()  # 新来 is not 张三
        assert "PER" not in app.screen.query_one(StatusBar).position
        await pilot.press("x", "greater_than_sign")  # nothing here to delete or jump to
        [kept] = stored(tmp_path, "doc.txt")
        assert kept.flagged and kept.text == "张三"
        assert model.cursor == 1
        await pilot.press("p")
        assert "⚑" in screen_text(app)  # listed in the panel, flagged


async def test_a_flagged_span_is_re_placed_by_a_selection(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = await _flag_a_span(make_app, tmp_path)
    app = make_app(source)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        [before] = stored(tmp_path, "doc.txt")
        await pilot.press("p")
        panel = app.screen.query_one(SpansPanel)
        await pilot.press("m")  # re-place the highlighted (flagged) span
        assert reader.has_focus
        assert "re-place" in app.screen.query_one(StatusBar).position
        await pilot.press("g", "l", "l", "l", "v", "l", "m")
        [after] = stored(tmp_path, "doc.txt")
        assert (after.id, after.label, after.note) == (before.id, "PER", "老同事")
        assert (after.start, after.end, after.text, after.flagged) == (3, 5, "李四", False)
        assert _painted_labels(reader, 0) == {"PER"}
        assert "⚑" not in screen_text(app)
        assert "re-place" not in app.screen.query_one(StatusBar).position
        await pilot.press("u")  # one undo step puts it back as it was
        [undone] = stored(tmp_path, "doc.txt")
        assert undone == before
        assert [s.flagged for s in panel.spans] == [True]


async def test_m_in_the_panel_re_places_over_a_selection_made_first(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.press("1", "right_curly_bracket", "v", "E", "p", "m")
        [span] = stored(tmp_path)
        assert span.text == "工作" and span.label == "PER" and reader.has_focus
        await pilot.press("p", "p", "m")  # chosen again, then the span goes: m does nothing
        assert "re-place 工作 PER" in app.screen.query_one(StatusBar).position
        await pilot.press("u", "u")
        assert stored(tmp_path) == []
        await pilot.press("v", "l", "m")
        assert stored(tmp_path) == []
        assert "re-place" not in app.screen.query_one(StatusBar).position
