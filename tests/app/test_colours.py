"""Label colours stay visible where the user looks: search hits, the cursor, highlighted rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.widgets import OptionList

from tests.conftest import AppFactory, screen_text, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.labels import DEFAULT_LABELS
from tui.core.palette import BACKGROUNDS, HIGHLIGHTS, ColourMode, reduced
from tui.core.segment import Segmenter
from tui.core.store import Store
from tui.screens.main import MainScreen
from tui.screens.skim import SkimScreen
from tui.widgets.reader_view import ReaderView
from tui.widgets.spans_panel import SpansPanel

TEXT = "张三在北京大学工作，北京很大。\n"
ORG = next(label.colour for label in DEFAULT_LABELS if label.name == "ORG")
PER = next(label.colour for label in DEFAULT_LABELS if label.name == "PER")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """One document: 张三 a PER, 北京大学 an ORG, then 北京 again outside any span."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    annotate(Store(tmp_path / "store"), folder, "a.txt", "tester", [(0, 2, "PER"), (3, 7, "ORG")])
    return folder


async def opened(pilot: object, screen: MainScreen) -> ReaderView:
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    screen.open_document(0)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen.reader


def cells(segments: list[Segment]) -> list[tuple[str, Style]]:
    """Each character drawn, with its style."""
    return [(char, segment.style or Style()) for segment in segments for char in segment.text]


def styles_of(segments: list[Segment], chars: str) -> list[Style]:
    """The styles the characters of the first run of ``chars`` are drawn in."""
    drawn = cells(segments)
    text = "".join(char for char, _ in drawn)
    start = text.index(chars)
    return [style for _, style in drawn[start : start + len(chars)]]


def hex_of(colour: object) -> str:
    assert colour is not None
    return str(colour.get_truecolor().hex)  # type: ignore[attr-defined]


async def test_a_search_hit_in_a_span_keeps_the_label_colour(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        reader = await opened(pilot, screen)
        await pilot.press("slash", "北", "京", "enter", "n")  # the cursor on the second hit
        await wait_until(pilot, lambda: len(reader.hits) == 2)
        line = list(reader.render_line(0))
        in_span = styles_of(line, "北京大学")
        for style in in_span[:2]:  # the hit: the ORG colour still shows (reversed and bold)
            assert ORG in (hex_of(style.color), hex_of(style.bgcolor)), style
            assert style.reverse and style.bold
        for style in in_span[2:]:  # the rest of the span as before
            assert hex_of(style.bgcolor) == ORG and not style.reverse
        # A hit outside any span keeps its own highlight (the first 北 is the cursor).
        [_, outside] = styles_of(line, "，北京")[1:]
        assert hex_of(outside.bgcolor) == HIGHLIGHTS["a search hit"]


async def test_the_checked_highlights_are_what_the_app_paints(
    make_app: AppFactory, corpus: Path
) -> None:
    """tui.core.palette checks label colours against these; they must be the real ones."""
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        reader = await opened(pilot, screen)

        def painted(widget: ReaderView | SpansPanel, component: str) -> str:
            return hex_of((widget.rich_style + widget.get_component_rich_style(component)).bgcolor)

        assert hex_of(reader.rich_style.bgcolor) == BACKGROUNDS["the background"][0]
        assert hex_of(reader.rich_style.color) == HIGHLIGHTS["a selection"]
        assert painted(reader, "reader--cursor") == HIGHLIGHTS["the cursor"]
        assert painted(reader, "reader--hit") == HIGHLIGHTS["a search hit"]
        assert painted(reader, "reader--word") == HIGHLIGHTS["word shading"]
        await pilot.press("p")
        panel = screen.query_one(SpansPanel)
        await wait_until(pilot, lambda: panel.has_focus)
        assert painted(panel, "row-panel--cursor") == HIGHLIGHTS["the highlighted row"]
        reader.focus()
        await pilot.pause()
        assert painted(panel, "row-panel--cursor") == HIGHLIGHTS["an unfocused highlighted row"]
        await pilot.press("S")
        skim = app.screen
        assert isinstance(skim, SkimScreen)
        await wait_until(pilot, lambda: skim.ready)
        options = skim.query_one(OptionList)
        assert hex_of(options.rich_style.bgcolor) == BACKGROUNDS["the skim list"][0]
        highlighted = options.get_visual_style(
            "option-list--option", "option-list--option-highlighted"
        )
        assert hex_of(highlighted.rich_style.bgcolor) == HIGHLIGHTS["the highlighted row"]


async def test_spans_in_a_highlighted_skim_row_stand_out_from_the_row(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await opened(pilot, screen)
        await pilot.press("S")
        skim = app.screen
        assert isinstance(skim, SkimScreen)
        await wait_until(pilot, lambda: skim.ready)
        options = skim.query_one(OptionList)
        assert options.highlighted == 1 and options.has_focus
        row = list(options.render_line(1))
        row_colour = hex_of(styles_of(row, "在")[0].bgcolor)
        for chars, colour in (("张三", PER), ("北京大学", ORG)):
            for style in styles_of(row, chars):
                assert hex_of(style.bgcolor) == colour and not style.dim  # only the offset is
                for mode in ColourMode:  # ORG was the row's very colour in 256 colours
                    assert reduced(colour, mode) != reduced(row_colour, mode), (chars, mode)


async def test_a_selection_over_a_span_keeps_the_label_colour(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        reader = await opened(pilot, screen)
        await pilot.press("v", "l", "l", "l", "l", "l")  # 张三在北京 selected, cursor on 大
        line = list(reader.render_line(0))
        for chars, colour in (("张三", PER), ("北京", ORG)):
            for style in styles_of(line, chars):
                assert hex_of(style.bgcolor) == colour and style.reverse, (chars, style)


async def test_start_up_notices_show_as_a_toast(
    segmenter: Segmenter, corpus: Path, tmp_path: Path
) -> None:
    warning = "labels.toml: label ORG: colour #0178d4 looks like the highlighted row"
    app = ReaderApp(
        [corpus],
        store=tmp_path / "store",
        annotator="tester",
        segmenter=segmenter,
        notices=[warning],
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: "label ORG: colour" in screen_text(app))
        assert [note.message for note in app._notifications] == [warning]


async def test_the_label_in_a_highlighted_spans_panel_row_stands_out_from_the_row(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await opened(pilot, screen)
        await pilot.press("p", "j")  # the panel, on its second span: ORG 北京大学
        panel = screen.query_one(SpansPanel)
        await wait_until(pilot, lambda: panel.has_focus and panel.highlighted == 1)
        row = list(panel.render_line(1))
        row_colour = hex_of(styles_of(row, "北京大学")[0].bgcolor)
        assert row_colour == HIGHLIGHTS["the highlighted row"]
        for style in styles_of(row, " ORG "):
            assert hex_of(style.bgcolor) == ORG
        for mode in ColourMode:
            assert reduced(ORG, mode) != reduced(row_colour, mode), mode
