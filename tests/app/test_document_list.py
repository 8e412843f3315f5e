"""The document list at 80×24: column headers, documents sharing a title, whole numbers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tests.app.conftest import ReviewFactory
from tests.conftest import SEEDS, AppFactory, screen_lines, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.linebreak import text_cells
from tui.core.store import Store
from tui.screens.main import MainScreen

SMALL = (80, 24)
NOTICE = "关于召开年度工作会议的通知"


def clashing_corpus(folder: Path) -> Path:
    """Two notices with one first line (a third document with its own), and numbers too
    long for their columns: a 1.2-million-character text with 1 200 spans."""
    folder.mkdir()
    (folder / "notice-2023.txt").write_text(f"{NOTICE}\n各部门：今年的会议在三楼。\n", "utf-8")
    (folder / "notice-2024.txt").write_text(f"{NOTICE}\n各部门：今年的会议在五楼。\n", "utf-8")
    (folder / "report.txt").write_text("年度报告\n" + "字" * 1_234_567 + "\n", "utf-8")
    return folder


async def loaded(pilot: object, app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


def row_of(app: ReaderApp, needle: str) -> str:
    [row] = [line for line in screen_lines(app) if needle in line]
    return row


def cell_end(line: str, needle: str) -> int:
    """The screen column just after ``needle`` in ``line``."""
    return text_cells(line[: line.index(needle) + len(needle)])


def cell_start(line: str, needle: str) -> int:
    return text_cells(line[: line.index(needle)])


async def test_documents_sharing_a_first_line_show_their_file_names(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(clashing_corpus(tmp_path / "corpus"))
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        first, second = row_of(app, "notice-2023"), row_of(app, "notice-2024")
        assert first != second
        assert "notice-2023.txt" in first and "notice-2024.txt" in second
        assert "年度报告" in row_of(app, "年度报告")  # a title of its own: no file name
        assert "report" not in "\n".join(screen_lines(app))


async def test_a_clash_follows_the_titles_as_they_arrive(
    make_app: AppFactory, tmp_path: Path
) -> None:
    """A title read later (or read again) makes or ends a clash at once."""
    app = make_app(clashing_corpus(tmp_path / "corpus"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await loaded(pilot, app)
        documents = screen.documents
        entry = documents.entries[1]
        assert entry.info is not None and entry.ref.name == "notice-2024.txt"
        news = (1, dataclasses.replace(entry.info, title="关于放假的通知"), entry.work, None)
        documents.update_infos([news])
        await pilot.pause()
        assert "notice-2023" not in "\n".join(screen_lines(app))
        assert "关于放假的通知" in row_of(app, "关于放假")
        documents.update_infos([(1, dataclasses.replace(entry.info, title=NOTICE), None, None)])
        await pilot.pause()
        assert "notice-2023.txt" in row_of(app, "notice-2023")


async def test_reader_list_header_stands_over_its_columns(make_app: AppFactory) -> None:
    app = make_app(SEEDS)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        header, row = row_of(app, "length"), row_of(app, "2,998")
        assert header.split()[:4] == ["title", "体", "spans", "length"]
        assert cell_end(header, "length") == cell_end(row, "2,998")
        assert cell_start(header, "体") == cell_start(row, "简")
        assert cell_start(header, "title") == cell_start(row, "察")


async def test_review_list_header_stands_over_its_columns(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        header, row = row_of(app, "F1"), row_of(app, "张三")
        assert header.split()[:5] == ["title", "体", "gold", "done", "F1"]
        assert cell_end(header, "F1") == cell_end(row, "0.67")
        assert cell_end(header, "done") == cell_end(row, "0/3")
        assert cell_start(header, "体") == cell_start(row, "简")


async def test_long_numbers_are_shortened_never_cut(make_app: AppFactory, tmp_path: Path) -> None:
    corpus = clashing_corpus(tmp_path / "corpus")
    spans = [(i, i + 1, "PER") for i in range(5, 1205)]
    annotate(Store(tmp_path / "store"), corpus, "report.txt", "tester", spans)
    app = make_app(corpus)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        assert row_of(app, "年度报告").split()[-3:] == ["1.2K", "1.2M", "▕"]


async def test_the_title_column_grows_with_the_terminal(make_app: AppFactory) -> None:
    app = make_app(SEEDS)
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        small = row_of(app, "察布查尔").split()[0]
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        large = row_of(app, "察布查尔").split()[0]
        assert len(large) >= len(small) + 4
        row = row_of(app, "2,998")
        assert row.split()[-2:] == ["2,998", "▕"]
        assert cell_end(row_of(app, "length"), "length") == cell_end(row, "2,998")


async def test_help_explains_the_review_list_columns(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        seen: list[str] = []
        for _ in range(6):  # the legend may be below the first screen
            seen += screen_lines(app)
            await pilot.press("pagedown")
            await pilot.pause()
        assert any("F1" in line and "agreement" in line for line in seen)
        assert any("name · title" in line and "file name" in line for line in seen)


def test_a_wide_heading_in_the_help_keeps_its_description_beside_it() -> None:
    """体 takes two cells: its description starts in the same column as the others'."""
    from tui.screens.help import section_lines

    lines = [line.plain for line in section_lines([("列", [("体", "script"), ("F1", "x")])], 60)]
    assert text_cells(lines[1][: lines[1].index("script")]) == text_cells(lines[2][:-1])
