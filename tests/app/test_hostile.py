"""Hostile input is normal input: each file opens with a clear message or a correct display.

Every case drives the real app: list, open, look at the screen. Nothing may be parsed as
markup, no control character may reach the terminal, and the app keeps running.
"""

from __future__ import annotations

import os
import random
import re
from pathlib import Path

import pytest

from tests.conftest import SEEDS, AppFactory, screen_text, wait_until
from tui.app import ReaderApp
from tui.screens.main import MainScreen

SIZE = (80, 24)
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_TEXT: dict[str, str] = {
    "markup.txt": "[/]数据[/]错误\n[@click=app.quit]点我[/]\n[bold red]红[/]",
    "escapes.txt": "前\x1b[2J后\n标题\x1b]0;t\x07尾",
    "nul.txt": "甲\x00乙丙",
    "bidi.txt": "左\u202e右\u2066中",
    "astral.txt": "𠀀𪚥是扩展字\n",
    "combining.txt": "e\u0301cole 和中文",
}

HOSTILE_BYTES: dict[str, bytes] = {
    "crlf.txt": "第一行\r\n第二行\r\n".encode(),
    "lone_cr.txt": "第一行\r第二行".encode(),
    "bom.txt": "\ufeff有BOM的文件".encode(),
    "empty.txt": b"",
    "gb18030.txt": (SEEDS / "000_8ad7f56698cb7e79.txt").read_text("utf-8").encode("gb18030"),
    "big5.txt": "基層幹部：微信群清理整合後，感覺手機拿著都變輕了。\n".encode("big5"),
    "binary.txt": random.Random(7).randbytes(4096),
}


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, text in HOSTILE_TEXT.items():
        (folder / name).write_text(text, encoding="utf-8")
    for name, data in HOSTILE_BYTES.items():
        (folder / name).write_bytes(data)
    (folder / "[@click=app.quit]名字[bold].txt").write_text("文件名像标记", encoding="utf-8")
    (folder / "esc\x1b[31mname.txt").write_text("文件名带控制符", encoding="utf-8")
    return folder


def assert_clean(app: ReaderApp) -> str:
    """The screen holds no control characters and the app is still running."""
    text = screen_text(app)
    assert not _CONTROL.search(text), repr(_CONTROL.search(text))
    assert app.is_running
    return text


async def open_named(pilot: object, app: ReaderApp, name: str) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    documents = screen.documents
    await wait_until(pilot, lambda: all(e.info for e in documents.entries))
    index = next(i for i, ref in enumerate(screen.refs) if ref.name == name)
    screen.open_document(index)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("markup.txt", "[/]数据[/]错误"),
        ("markup.txt", "[@click=app.quit]点我[/]"),
        ("escapes.txt", "前␛[2J后"),
        ("escapes.txt", "标题␛]0;t␇尾"),
        ("nul.txt", "甲␀乙丙"),
        ("bidi.txt", "左\ufffd右\ufffd中"),
        ("astral.txt", "𠀀𪚥是扩展字"),
        ("combining.txt", "e\u0301cole 和中文"),
        ("crlf.txt", "第二行"),
        ("lone_cr.txt", "第二行"),
        ("bom.txt", "有BOM的文件"),
        ("gb18030.txt", "察布查尔县干部为各族群众"),
        ("big5.txt", "基層幹部：微信群清理"),
        ("[@click=app.quit]名字[bold].txt", "文件名像标记"),
    ],
)
async def test_hostile_text_is_shown_literally(
    make_app: AppFactory, hostile_dir: Path, name: str, shown: str
) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        await open_named(pilot, app, name)
        text = assert_clean(app)
        assert shown in text
        await pilot.press("l", "w", "j", "G", "t", "t")
        assert_clean(app)


async def test_newlines_are_normalised_in_the_canonical_text(
    make_app: AppFactory, hostile_dir: Path
) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        for name in ("crlf.txt", "lone_cr.txt"):
            screen = await open_named(pilot, app, name)
            model = screen.reader.model
            assert model is not None
            assert model.text.rstrip("\n") == "第一行\n第二行"
            await pilot.press("j")
            assert model.text[model.cursor :].startswith("第二行")


async def test_astral_characters_are_one_cursor_step_each(
    make_app: AppFactory, hostile_dir: Path
) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, app, "astral.txt")
        model = screen.reader.model
        assert model is not None
        await pilot.press("l")
        assert model.text[model.cursor] == "𪚥"
        assert model.cursor_cell() == 2


async def test_binary_file_is_listed_marked_and_opening_says_why(
    make_app: AppFactory, hostile_dir: Path
) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_named(pilot, app, "binary.txt")
        text = assert_clean(app)
        assert "binary.txt: binary file" in text
        assert screen.reader.model is None
        await pilot.press("escape")
        assert "⚠" in screen_text(app)


async def test_file_names_with_markup_and_escapes_are_shown_safely(
    make_app: AppFactory, hostile_dir: Path
) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_named(pilot, app, "esc\x1b[31mname.txt")
        text = assert_clean(app)
        assert "esc␛[31mname.txt" in text
        assert "文件名带控制符" in text


async def test_empty_file_opens_empty(make_app: AppFactory, hostile_dir: Path) -> None:
    app = make_app(hostile_dir)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, app, "empty.txt")
        assert screen.reader.model is not None
        await pilot.press("l", "j", "w", "b", "G", "g", "right_curly_bracket", "t", "pagedown")
        text = assert_clean(app)
        assert "0/0" in text


async def test_file_that_vanishes_after_listing(make_app: AppFactory, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text("还在", encoding="utf-8")
    doomed = folder / "b.txt"
    doomed.write_text("马上消失", encoding="utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        doomed.unlink()
        screen.open_document(1)
        await pilot.pause()
        text = assert_clean(app)
        assert "b.txt" in text and "vanished" in text
        screen.open_document(0)
        await pilot.pause()
        assert "还在" in screen_text(app)


async def test_five_megabyte_single_line(make_app: AppFactory, tmp_path: Path) -> None:
    line = "长句子没有换行，" * 220_000 + "终点"
    source = tmp_path / "huge.txt"
    source.write_text(line, encoding="utf-8")
    assert source.stat().st_size > 5_000_000
    app = make_app(source)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_named(pilot, app, "huge.txt")
        model = screen.reader.model
        assert model is not None
        await pilot.press("G")
        await pilot.pause()
        assert model.cursor == len(line) - 1
        assert "终点" in assert_clean(app)
        await pilot.press("b", "g", "w", "right_parenthesis")
        assert model.cursor > 0
        assert "长句子没有换行" in assert_clean(app)


async def test_directory_of_ten_thousand_files(make_app: AppFactory, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    original = folder / "00000.txt"
    original.write_text("一篇很短的文档", encoding="utf-8")
    for number in range(1, 10_000):
        os.link(original, folder / f"{number:05d}.txt")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert "文档 10,000 · done 0" in screen_text(app)
        await pilot.press("G")
        assert screen.documents.current_index == 9_999
        await pilot.press("enter")
        await pilot.pause()
        assert "一篇很短的文档" in assert_clean(app)
