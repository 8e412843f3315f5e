"""The word panel (``i``): pinyin and CC-CEDICT entries of the word under the cursor."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AppFactory, screen_text, wait_until
from tui.app import ReaderApp
from tui.core.dictionary import DictionaryError
from tui.screens.main import MainScreen
from tui.widgets.word_panel import WordPanel

TEXT = "我去銀行取錢。\n"


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "bank.txt").write_text(TEXT, encoding="utf-8")
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
