"""The reader as a user drives it: list, open, move, toggle, filter, switch documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from tests.conftest import SEEDS, AppFactory, screen_text, wait_until
from tui.core.reader import DisplayMode
from tui.core.segment import Segmenter
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.document_panel import DocumentPanel
from tui.widgets.reader_view import ReaderView

SIZE = (80, 24)


def main_screen(app: object) -> MainScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, MainScreen)
    return screen


async def open_seed(pilot: object, app: object, index: int = 0) -> ReaderView:
    screen = main_screen(app)
    documents = screen.documents
    await wait_until(pilot, lambda: all(e.info for e in documents.entries))
    for _ in range(index):
        await pilot.press("down")  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    reader = screen.reader
    assert reader.model is not None
    return reader


async def test_list_shows_titles_script_tags_and_lengths(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        documents = main_screen(app).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        await pilot.pause()
        text = screen_text(app)
        assert "察布查尔县干部" in text
        assert "基層幹部" in text
        assert "文档 5 · done 0 ▱▱▱▱▱▱▱▱" in text
        tags = [e.info.script.value for e in documents.entries if e.info]
        assert tags == ["简", "繁", "简", "繁", "繁"]
        assert "2,998" in text  # length of the first seed, in characters


async def test_titles_on_screen_come_before_the_files_are_read_whole(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first frame shows the titles of the rows on screen (read from each file's first
    few KB); script tags and lengths follow from the background reading, held off here."""
    monkeypatch.setattr(MainScreen, "_start_background_work", lambda self: None)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        documents = main_screen(app).documents
        assert all(entry.info is None for entry in documents.entries)
        text = screen_text(app)
        assert "察布查尔县干部" in text
        assert "03.25 基層幹部" in text
        assert "000_8ad7f56698cb7e79" not in text


async def test_enter_opens_the_document_and_the_status_line_follows(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        await pilot.pause()
        text = screen_text(app)
        assert "察布查尔县干部为各族群众" in text
        assert "000_8ad7f56698cb7e79.txt" in text
        assert "0/2,998" in text
        assert reader.has_focus
        await pilot.press("l", "l")
        assert reader.model is not None and reader.model.cursor == 2
        assert "2/2,998" in screen_text(app)


async def test_character_line_word_sentence_paragraph_moves(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("w")
        assert model.text[: model.cursor] == "察布查尔"  # jieba: 察布查尔 | 县
        await pilot.press("b")
        assert model.cursor == 0
        await pilot.press("j")
        assert model.cursor_row() == (1, 0)  # the title fits one line; then a blank line
        await pilot.press("right_curly_bracket")
        assert model.text[model.cursor - 1] == "\n"
        paragraph_start = model.cursor
        await pilot.press("right_parenthesis")
        assert model.cursor > paragraph_start
        assert model.text[model.cursor - 1] in "。！？”\n" or model.text[model.cursor - 1].isspace()
        await pilot.press("left_parenthesis")
        assert model.cursor == paragraph_start
        await pilot.press("G")
        assert model.cursor == model.length - 1
        assert "100%" in screen_text(app)
        await pilot.press("g")
        assert model.cursor == 0


async def test_vertical_moves_keep_the_column(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app, index=2)
        model = reader.model
        assert model is not None
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        for _ in range(6):
            await pilot.press("l")
        column = model.cursor_cell()
        await pilot.press("j")
        if model.cursor_cell() != column:  # a short line can't hold the column
            await pilot.press("j")
        await pilot.press("j", "k")
        assert model.cursor_cell() in (column, column - 1)


async def test_page_keys_scroll_the_view(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app, index=2)
        model = reader.model
        assert model is not None
        first_screen = screen_text(app)
        await pilot.press("pagedown")
        assert model.top != (0, 0)
        assert screen_text(app) != first_screen
        await pilot.press("pageup")
        assert model.top == (0, 0)


async def test_toggle_shows_traditional_and_keeps_the_cursor(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        await pilot.press("right_curly_bracket", "w", "w")
        cursor = model.cursor
        await pilot.press("t")
        await pilot.pause()
        text = screen_text(app)
        assert "察布查爾縣幹部" in text
        assert "繁 ← s2t" in text
        assert model.cursor == cursor
        assert model.mode is DisplayMode.TRADITIONAL
        await pilot.press("t")
        await pilot.pause()
        assert "察布查尔县干部" in screen_text(app)
        assert model.cursor == cursor


async def test_toggle_on_a_traditional_document_shows_simplified(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app, index=3)
        assert "基層幹部" in screen_text(app)
        await pilot.press("t")
        await pilot.pause()
        assert "基层干部" in screen_text(app)


async def test_length_changing_variant_keeps_the_cursor_character(
    make_app: AppFactory, tmp_path: Path
) -> None:
    source = tmp_path / "phrases.txt"
    source.write_text("电脑的内存和U盘都满了，软件装不下。\n第二段。\n", encoding="utf-8")
    app = make_app(source, variant="s2twp")
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        target = model.text.index("和")
        for _ in range(target):
            await pilot.press("l")
        assert model.cursor == target
        await pilot.press("t")
        await pilot.pause()
        assert "記憶體和隨身碟" in screen_text(app)
        assert model.cursor == target
        block, start, end = model.cursor_display_range()
        assert model.view(block).text[start:end] == "和"
        await pilot.press("l")
        assert model.text[model.cursor] == "U"


async def test_filter_matches_titles_in_either_script(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        documents = main_screen(app).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        await pilot.press("slash", "縣")
        assert [documents.entries[i].ref.name[:3] for i in documents.shown] == ["000"]
        await pilot.press("backspace", "基", "层")
        assert "003" in [documents.entries[i].ref.name[:3] for i in documents.shown]
        await pilot.press("enter")
        assert documents.has_focus
        await pilot.press("escape")
        assert len(documents.shown) == 5


async def test_brackets_step_through_documents(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        screen = main_screen(app)
        await pilot.press("right_square_bracket")
        assert screen.current == 1
        assert "半月談" in screen_text(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.current == 0


async def test_list_can_be_hidden_for_full_width(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        reader = await open_seed(pilot, app)
        panel = app.screen.query_one(DocumentPanel)
        assert panel.display and panel.styles.display != "none"
        width_with_list = reader.size.width
        await pilot.press("f")
        await pilot.pause()
        assert reader.size.width > width_with_list
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one(DocumentList).has_focus


async def test_help_lists_every_key_and_closes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for _ in range(4):  # the rest scrolls into view at 80×24
            await pilot.press("pagedown")
            await pilot.pause()
            text += screen_text(app)
        for key in ("Next word", "简⇄繁", "Filter", "Previous document", "End of line"):
            assert key in text
        assert "Reload" in text and "Quit" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_names_keys_as_they_are_typed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert any(">" in row and "Next span" in row for row in rows)
        assert any("<" in row and "Previous span" in row for row in rows)
        assert any("Ctrl+r" in row and "Redo" in row for row in rows)
        assert "_sign" not in screen_text(app)


async def test_q_quits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_every_row_is_drawn_whole_at_any_size(make_app: AppFactory) -> None:
    """A full-width line must not lose its last wide character to the scrollbar."""
    app = make_app()
    async with app.run_test(size=(110, 30)) as pilot:
        reader = await open_seed(pilot, app)
        for size in [(110, 30), (80, 24), (81, 24), (160, 48), (47, 20)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            model = reader.model
            assert model is not None
            for y, row in enumerate(model.rows()):
                shown = model.view(row.block).text[row.start : row.end]
                assert reader.render_line(y).text.startswith(shown), (size, y)


async def test_mouse_click_highlights_double_click_opens_and_click_moves_cursor(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        screen = main_screen(app)
        documents = screen.documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        await pilot.click(DocumentList, offset=(5, 2))
        assert documents.current_index == 2
        assert screen.reader.model is None
        await pilot.double_click(DocumentList, offset=(5, 2))
        await pilot.pause()
        model = screen.reader.model
        assert model is not None and screen.current == 2
        await pilot.click(ReaderView, offset=(1 + 2 * 3, 0))  # padding, then 3 wide chars
        assert model.cursor == 3
        await pilot.click(ReaderView, offset=(1, 3))
        row = model.rows()[3]
        assert model.cursor == model.blocks.starts[row.block] + row.start


async def test_end_key_before_line_counts_are_known_keeps_the_cursor(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """Estimated line counts must never drag the view (and the cursor) back from the end."""
    source = tmp_path / "long.txt"
    source.write_text("长句子没有换行，" * 50_000 + "终点", encoding="utf-8")
    app = make_app(source)
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app)
        model = reader.model
        assert model is not None
        reader._count_steps = None  # stop the idle-time line counting
        model.layout_generation += 1  # whatever the worker already sent is now stale
        # An index that believes the text is far shorter than it is on screen.
        model.lines = type(model.lines)(model.blocks.starts, model.length, 100_000)
        await pilot.press("G")
        await pilot.pause()
        assert model.cursor == model.length - 1
        assert "终点" in screen_text(app)


async def test_mouse_wheel_scrolls_and_the_indicator_jumps(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app, index=2)
        model = reader.model
        assert model is not None
        reader.post_message(events.MouseScrollDown(reader, 5, 5, 0, 1, 0, False, False, False))
        await pilot.pause()
        assert model.top != (0, 0)
        top_after_wheel = model.top
        reader.post_message(events.MouseScrollUp(reader, 5, 5, 0, -1, 0, False, False, False))
        await pilot.pause()
        assert model.top < top_after_wheel
        last_column = reader.size.width  # region offsets include the one-cell left padding
        await pilot.click(ReaderView, offset=(last_column, reader.size.height - 1))
        await pilot.pause()
        assert model.scroll_y > model.lines.total // 2
        assert model.top <= model.cursor_row()


async def test_scroll_indicator_shows_where_the_view_is(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        reader = await open_seed(pilot, app, index=2)
        column = [reader.render_line(y).text[-1] for y in range(reader.size.height)]
        assert column[0] == "┃" and column[-1] == "│"
        await pilot.press("G")
        column = [reader.render_line(y).text[-1] for y in range(reader.size.height)]
        assert column[-1] == "┃" and column[0] == "│"


async def test_typing_q_into_the_filter_filters_and_does_not_quit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        documents = main_screen(app).documents
        await pilot.press("slash", "q", "f", "question_mark")
        await pilot.pause()
        assert app.is_running
        assert documents.filter_text == "qf?"
        assert documents.shown == []
        assert "文档 0/5" in screen_text(app)


async def test_garbage_collection_resumes_after_the_first_paint(make_app: AppFactory) -> None:
    """``biaozhu`` pauses the cyclic collector to start faster; it must come back on."""
    import gc

    gc.disable()
    try:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, gc.isenabled)
            assert gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("width", [60, 80, 120, 200])
def test_help_is_laid_out_to_the_width_and_cuts_no_description(width: int) -> None:
    from rich.cells import cell_len

    from tui.screens.help import help_text, section_lines

    sections = [
        ("Reader 阅读", [("w", "Next word"), ("z", "Suggestions: PER LOC ORG (again: hide)")]),
        ("Everywhere 全局", [("Ctrl+f", "Search all documents (简/繁 alike) " * 3)]),
    ]
    lines = help_text(sections, width).plain.splitlines()
    assert all(cell_len(line) <= width for line in lines)
    column = " ".join(" ".join(line.plain.split()) for line in section_lines(sections, width))
    for _, keys in sections:
        for _, description in keys:
            assert " ".join(description.split()) in column  # whole, in order


async def test_help_at_80_columns_cuts_nothing(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        own = sum(description.count("…") for _, keys in screen.sections for _, description in keys)
        pages = [screen_text(app)]
        for _ in range(8):  # every page of it, down to the end
            await pilot.press("pagedown")
            await pilot.pause()
            pages.append(screen_text(app))
        lines = {line for page in pages for line in page.splitlines()}
        assert sum(line.count("…") for line in lines) <= own  # only the descriptions' own
        whole = "\n".join(pages)
        assert "Re-place on a" in whole and "selection" in whole  # wrapped, whole


NINE_LABELS = "".join(
    f'[[label]]\nname = "{name}"\nkey = "{n}"\ndescription = "{word} description"\n'
    for n, (name, word) in enumerate(
        [("PERSON", "人名"), ("LOCATION", "地名"), ("ORGANIZATION", "机构"), ("TIME", "时间"),
         ("NUMBER", "数量"), ("PRODUCT", "产品"), ("EVENT", "事件"), ("WORK", "作品"),
         ("LAW", "法律")],
        start=1,
    )
)  # fmt: skip


@pytest.mark.parametrize("size", [(80, 24), (240, 48)])
async def test_the_label_bar_shows_every_label(
    segmenter: Segmenter, tmp_path: Path, size: tuple[int, int]
) -> None:
    from tui.app import ReaderApp
    from tui.core.labels import parse_labels

    labels = parse_labels(NINE_LABELS)
    app = ReaderApp(
        [SEEDS], store=tmp_path / "store", annotator="tester", labels=labels,
        segmenter=segmenter,
    )  # fmt: skip
    async with app.run_test(size=size) as pilot:
        await open_seed(pilot, app)
        await pilot.pause()
        text = screen_text(app)
        for label in labels:
            assert f"{label.key} {label.name}" in text, label.name
        if size[0] >= 240:
            assert "法律" in text  # room for the descriptions' first words
        assert "000_8ad7f56698cb7e79" in text  # the status line is still there


async def test_long_documents_show_a_short_length_in_the_list(
    make_app: AppFactory, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "long.txt").write_text("长篇\n" + "字" * 1_234_564, encoding="utf-8")
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = main_screen(app)
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if "长篇" in line)
        assert "1.2M" in row and "1,234" not in row
