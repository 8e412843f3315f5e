"""The word panel (``i``): pinyin and CC-CEDICT entries of the word under the cursor."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events

from tests.conftest import AppFactory, screen_lines, screen_text, wait_until
from tui.app import ReaderApp
from tui.core.dictionary import DictionaryError
from tui.screens.main import MainScreen
from tui.widgets.word_panel import WordPanel

TEXT = "我去銀行取錢。\n"
#: 和 has eight CC-CEDICT entries (27 lines at 80 columns); 组织部 has none, but 组织 and
#: 部 do.
MANY = "我和你在组织部。\n"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bank.txt").write_text(TEXT, encoding="utf-8")
    return folder


@pytest.fixture
def many(tmp_path: Path) -> Path:
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "many.txt").write_text(MANY, encoding="utf-8")
    return folder


async def open_panel(pilot: object, app: ReaderApp) -> tuple[MainScreen, WordPanel]:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.press("enter", "i")  # type: ignore[attr-defined]
    panel = screen.query_one(WordPanel)
    loading = ("reading the dictionary (CC-CEDICT)…",)
    await wait_until(pilot, lambda: panel.lines not in ((), loading), timeout=30)
    return screen, panel


async def test_the_panel_reads_the_word_as_a_word_in_either_script(
    make_app: AppFactory, bank: Path
) -> None:
    app = make_app(bank)
    async with app.run_test(size=(80, 24)) as pilot:
        _, panel = await open_panel(pilot, app)
        assert panel.lines[0] == "我  wǒ"
        await pilot.press("w")  # 去
        await pilot.press("w")  # 銀行: yínháng, not yín xíng
        assert panel.lines[0] == "銀行  yínháng"
        assert any(line.startswith("银行 [yín háng] bank") for line in panel.lines[1:])
        assert "[yín háng] bank" in screen_text(app)
        await pilot.press("t")  # the simplified text: the same word, shown in its script
        await wait_until(pilot, lambda: panel.lines[0] == "银行  yínháng")
        assert any(line.startswith("銀行 [yín háng] bank") for line in panel.lines[1:])
        await pilot.press("i")  # hidden again; the text has the room back
        assert panel.has_class("-hidden") and "yín háng" not in screen_text(app)
        await pilot.press("w", "i")  # shown again at the word now under the cursor
        assert panel.lines[0].startswith("取")


async def test_punctuation_has_no_word(make_app: AppFactory, bank: Path) -> None:
    app = make_app(bank)
    async with app.run_test(size=(80, 24)) as pilot:
        _, panel = await open_panel(pilot, app)
        await pilot.press("dollar_sign")  # the 。 at the end of the line
        assert panel.lines == ("no word here",)


async def test_an_unreadable_dictionary_is_said_and_the_reader_goes_on(
    make_app: AppFactory, bank: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise DictionaryError("cedict.txt.gz: not a gzip file")

    monkeypatch.setattr("tui.core.dictionary.shared_dictionary", broken)
    app = make_app(bank)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, panel = await open_panel(pilot, app)
        assert panel.lines == ("no dictionary: cedict.txt.gz: not a gzip file",)
        await pilot.press("w")
        assert screen.reader.model is not None and screen.reader.model.cursor == 1


def panel_rows(app: ReaderApp, panel: WordPanel) -> list[str]:
    """The rows of the screen the panel's text takes, as the user sees them."""
    region = panel.scrollable_content_region  # less the scroll bar
    rows = screen_lines(app)[region.y : region.bottom]
    return [row[region.x : region.right].rstrip() for row in rows]


async def read_the_whole_panel(pilot: object, app: ReaderApp, panel: WordPanel) -> list[str]:
    """Scroll the focused panel from top to bottom with ``j``; every row seen, in order."""
    await pilot.press("g")  # type: ignore[attr-defined]
    seen = panel_rows(app, panel)
    for _ in range(len(panel.lines)):
        await pilot.press("j")  # type: ignore[attr-defined]
        seen.append(panel_rows(app, panel)[-1])
    return seen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_entry_can_be_scrolled_to_and_nothing_is_cut(
    make_app: AppFactory, many: Path, size: tuple[int, int]
) -> None:
    app = make_app(many)
    async with app.run_test(size=size) as pilot:
        screen, panel = await open_panel(pilot, app)
        await pilot.press("w")  # 和: eight entries
        assert panel.lines[0] == "和  hé"
        assert len(panel.lines) > panel.content_region.height  # more than it shows at once
        assert "龢 [hé]" not in screen_text(app)  # the last entry is below
        assert not any("more" in line for line in panel.lines)
        await pilot.press("I")  # into the panel
        assert panel.has_focus
        await pilot.press("G")  # the last entry, all of it
        rows = panel_rows(app, panel)
        assert rows[-1] == "龢 [hé] old variant of 和[hé]; harmonious"
        seen = await read_the_whole_panel(pilot, app, panel)
        # Every line of every entry was on screen whole, in order, none cut.
        shown = [row for row in seen if row]
        assert shown[: len(panel.lines)] == [line.rstrip() for line in panel.lines]
        assert not any(row.endswith("…") for row in shown)
        assert screen.reader.model is not None and screen.reader.model.cursor == 1


async def test_the_panel_scrolls_by_keys_and_wheel(make_app: AppFactory, many: Path) -> None:
    app = make_app(many)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, panel = await open_panel(pilot, app)
        await pilot.press("w")  # 和
        model = screen.reader.model
        assert model is not None and model.cursor == 1
        # Without focus the wheel scrolls the panel, and the reader keeps its keys.
        panel.post_message(events.MouseScrollDown(panel, 5, 1, 0, 1, 0, False, False, False))
        await wait_until(pilot, lambda: panel.scroll_offset.y > 0)
        panel.post_message(events.MouseScrollUp(panel, 5, 1, 0, -1, 0, False, False, False))
        await wait_until(pilot, lambda: panel.scroll_offset.y == 0)
        await pilot.press("j", "G", "pagedown")
        assert screen.reader.has_focus and panel.scroll_offset.y == 0
        await pilot.press("g", "w")
        assert model.cursor == 1  # g went to the start, w to 和 again
        await pilot.press("I")
        await pilot.press("pagedown")
        page = panel.scroll_offset.y
        assert page >= panel.content_region.height - 1
        await pilot.press("j", "down")
        assert panel.scroll_offset.y == page + 2
        await pilot.press("k", "up", "pageup")
        assert panel.scroll_offset.y == 0
        await pilot.press("end")
        assert panel.scroll_offset.y == panel.max_scroll_y > 0
        await pilot.press("home")
        assert panel.scroll_offset.y == 0
        assert model.cursor == 1  # none of these keys reached the reader
        await pilot.press("escape")  # back to the text, the panel stays
        assert screen.reader.has_focus and not panel.has_class("-hidden")
        await pilot.press("w")
        assert panel.lines[0].startswith("你")
        await pilot.press("I", "i")  # i in the panel hides it and goes back to the text
        assert panel.has_class("-hidden") and screen.reader.has_focus


async def test_a_new_word_shows_from_its_top(make_app: AppFactory, many: Path) -> None:
    app = make_app(many)
    async with app.run_test(size=(80, 24)) as pilot:
        _, panel = await open_panel(pilot, app)
        await pilot.press("w", "I", "G", "escape", "b")
        assert panel.lines[0] == "我  wǒ" and panel.scroll_offset.y == 0
        assert panel_rows(app, panel)[0] == "我  wǒ"


async def test_a_word_without_entries_shows_its_sub_words(make_app: AppFactory, many: Path) -> None:
    app = make_app(many)
    async with app.run_test(size=(80, 24)) as pilot:
        _, panel = await open_panel(pilot, app)
        await pilot.press("w", "w", "w", "w")  # 组织部: no entry of its own
        assert panel.lines[0] == "组织部  zǔzhībù"
        heads = [line.split(" ")[0] for line in panel.lines[1:] if not line.startswith(" ")]
        assert heads == ["组织:"] * heads.count("组织:") + ["部:"] * heads.count("部:")
        assert heads.count("组织:") and heads.count("部:")
        await pilot.press("t")  # 組織部 in traditional: the same sub-words
        await wait_until(pilot, lambda: panel.lines[0].startswith("組織部"))
        assert panel.lines[1].startswith("組織: 组织 [zǔ zhī]")
        assert "部: [bù]" in "\n".join(panel.lines)


async def test_a_narrower_terminal_wraps_the_entries_anew(make_app: AppFactory, many: Path) -> None:
    app = make_app(many)
    async with app.run_test(size=(120, 40)) as pilot:
        _, panel = await open_panel(pilot, app)
        await pilot.press("w")  # 和
        wide = panel.lines
        assert max(len(line) for line in wide) > 60
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: panel.lines != wide)
        assert all(len(line) <= panel.text_width for line in panel.lines)  # Latin: 1 cell
        assert panel.text_width < 78
        assert panel_rows(app, panel)[0] == "和  hé"
