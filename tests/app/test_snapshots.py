"""Snapshot tests of every screen, at 80×24 (small SSH terminals) and 160×48.

Each snapshot waits for the background workers (titles, line counts) so that the picture
does not depend on timing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import SEEDS, AppFactory, wait_until
from tui.core.segment import Segmenter
from tui.screens.main import MainScreen
from tui.widgets.document_list import DocumentList

SMALL = (80, 24)
LARGE = (160, 48)
SIZES = pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "160x48"])

SnapCompare = Callable[..., bool]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for titles, jieba, and the open document's lines to be counted."""
    screen = pilot.app.screen
    if not isinstance(screen, MainScreen):
        return
    await wait_until(pilot, lambda: bool(screen.query(DocumentList)))
    entries = screen.documents.entries
    await wait_until(pilot, lambda: all(e.info is not None for e in entries))

    # jieba loads in the background; once it is in, the status line names the word at
    # the cursor, so a picture taken before or after would differ.
    await wait_until(pilot, lambda: screen.segmenter.ready, timeout=30)
    # Twice, a refresh apart: a width change (the list hiding at 80 columns) lands
    # on the next layout and starts a new count after the first one has finished.
    for _ in range(2):
        await wait_until(pilot, lambda: screen.reader.layout_settled)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
    for box in screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


def keys_then_settle(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        for key in keys:
            # One at a time, each followed by what it set off: ``press(*keys)`` sends the
            # next key once the process looks idle, which on a loaded machine can be
            # before ``enter`` has opened the document (the next key then hits the list).
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
        await settle(pilot)

    return run_before


@SIZES
def test_document_list(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_settle())


def test_document_list_long_numbers_and_shared_titles(
    snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path
) -> None:
    """At 80×24: the column header; two notices with one title told apart by file name;
    a 1.2-million-character text with 1 200 spans shown as 1.2M and 1.2K, never cut."""
    from tests.app.test_document_list import clashing_corpus
    from tests.core.test_review import annotate
    from tui.core.store import Store

    corpus = clashing_corpus(tmp_path / "corpus")
    spans = [(i, i + 1, "PER") for i in range(5, 1205)]
    annotate(Store(tmp_path / "store"), corpus, "report.txt", "tester", spans)
    assert snap_compare(make_app(corpus), terminal_size=SMALL, run_before=keys_then_settle())


def test_review_list_header(snap_compare: SnapCompare, make_review: Callable[..., Any]) -> None:
    """The review list at 80×24 under its header: title 体 gold done F1."""
    assert snap_compare(make_review(), terminal_size=SMALL, run_before=keys_then_settle())


@SIZES
def test_reader_simplified(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    before = keys_then_settle("enter", "right_curly_bracket", "right_curly_bracket", "w")
    assert snap_compare(make_app(), terminal_size=size, run_before=before)


def test_reader_with_a_selection(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """``v`` then ``)``: exactly the sentence highlighted, 选择 VISUAL in the status line."""
    keys = ("enter", "right_curly_bracket", "right_curly_bracket", "right_curly_bracket")
    before = keys_then_settle(*keys, "v", "right_parenthesis")
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=before)


@SIZES
def test_reader_toggled_to_traditional(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    before = keys_then_settle("enter", "right_curly_bracket", "t")
    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@SIZES
def test_reader_traditional_seed_toggled_to_simplified(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    before = keys_then_settle("down", "down", "down", "enter", "pagedown", "t")
    assert snap_compare(make_app(), terminal_size=size, run_before=before)


@SIZES
def test_filter_across_scripts(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=keys_then_settle("slash", "基", "层")
    )


@SIZES
def test_help(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=keys_then_settle("question_mark")
    )


@SIZES
def test_full_width_reader(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    before = keys_then_settle("enter", "f", "G")
    assert snap_compare(make_app(), terminal_size=size, run_before=before)


def test_hostile_markup_and_controls(
    snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path
) -> None:
    source = tmp_path / "[@click=app.quit]坏[bold].txt"
    source.write_text(
        "[/]数据[/]错误 [@click=app.quit]点我[/]\n前\x1b[2J后\x00尾\u202e反\n", "utf-8"
    )
    assert snap_compare(make_app(source), terminal_size=SMALL, run_before=keys_then_settle("enter"))


def test_unreadable_document_message(
    snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path
) -> None:
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 16)
    (tmp_path / "ok.txt").write_text("正常的文档", "utf-8")
    assert snap_compare(
        make_app(tmp_path), terminal_size=SMALL, run_before=keys_then_settle("enter")
    )


def test_labelled_and_nested_spans(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """A sentence labelled ORG with a nested LOC and a PER word; the cursor on the nesting."""
    before = keys_then_settle(
        "enter", "v", "right_parenthesis", "3", "g", "w", "2", "right_curly_bracket", "1"
    )
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=before)


def test_word_panel(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """The word panel at 80×24 on the first seed's 干部: reading and CC-CEDICT entries."""
    from tui.widgets.word_panel import WordPanel

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "i", "w", "w")
        panel = pilot.app.screen.query_one(WordPanel)
        await wait_until(pilot, lambda: "[" in " ".join(panel.lines), timeout=30)
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_word_panel_with_many_entries(
    snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path
) -> None:
    """The word panel at 80×24 on 和 (eight entries), focused and scrolled to the last."""
    from tui.widgets.word_panel import WordPanel

    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "he.txt").write_text("我和你在组织部。\n", encoding="utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "i", "w")
        panel = pilot.app.screen.query_one(WordPanel)
        await wait_until(pilot, lambda: panel.lines[:1] == ("和  hé",), timeout=30)
        await pilot.press("I", "G")
        await settle(pilot)

    assert snap_compare(make_app(folder), terminal_size=SMALL, run_before=run_before)


def test_word_view(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """Word view at 80×24: every other jieba word shaded."""
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=keys_then_settle("enter", "s"))


def test_search_in_the_text(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """Searching 縣 in a simplified seed at 80×24: hits highlighted, counted, cursor on one."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "slash", "縣")
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: bool(screen.reader.hits))
        await pilot.press("enter", "n")
        await settle(pilot)

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_corpus_search(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """Searching every seed for 縣 at 80×24: hits in either script, with context, counted."""
    from tui.screens.corpus_search import CorpusSearchScreen

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("ctrl+f", "縣")
        screen = pilot.app.screen
        assert isinstance(screen, CorpusSearchScreen)
        await wait_until(pilot, lambda: screen.result is not None)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SMALL, run_before=run_before)


def test_suggestions(snap_compare: SnapCompare, make_app: AppFactory, tmp_path: Path) -> None:
    """Suggestions at 80×24: italic and underlined in their label's colour."""
    (tmp_path / "news.txt").write_text("李明在北京大学工作。\n王芳去了上海。\n", "utf-8")

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter", "z")
        screen = pilot.app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: len(screen.reader.suggestions) >= 4, timeout=30)
        await pilot.press("j")
        await settle(pilot)
        pilot.app.clear_notifications()  # the count's toast: not part of the screen
        await pilot.pause()

    assert snap_compare(make_app(tmp_path), terminal_size=SMALL, run_before=run_before)


def test_review_shows_candidates_and_versions(
    snap_compare: SnapCompare, make_review: Callable[..., Any]
) -> None:
    """Review at 80×24: gold spans in colour, bob's candidate underlined, his version shown."""
    before = keys_then_settle("enter", "J", "c")
    assert snap_compare(make_review(), terminal_size=SMALL, run_before=before)


def test_skim(snap_compare: SnapCompare, make_review: Callable[..., Any]) -> None:
    """Skimming in review at 80×24, every layer (L): the sentences holding spans."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "ready", False))
        await pilot.press("L")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "ready", False))
        await pilot.pause()

    assert snap_compare(make_review(), terminal_size=SMALL, run_before=run_before)


def test_agreement_panel(snap_compare: SnapCompare, make_review: Callable[..., Any]) -> None:
    """The review's agreement panel at 80×24, once the figures are in."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("A")
        await wait_until(
            pilot, lambda: "Fleiss" in str(pilot.app.screen.query_one("#agreement-text").render())
        )

    assert snap_compare(make_review(), terminal_size=SMALL, run_before=run_before)


def test_review_version_bar_wide(
    snap_compare: SnapCompare, make_review: Callable[..., Any]
) -> None:
    """Review at 160×48 with the list beside it: the version bar, bob's version shown."""
    before = keys_then_settle("enter", "J", "c")
    assert snap_compare(make_review(), terminal_size=LARGE, run_before=before)


def test_review_decided_keeps_gold_colour(
    snap_compare: SnapCompare, make_review: Callable[..., Any]
) -> None:
    """Review at 80×24 after accepting alice and carol's ORG: gold drawn over bob's LOC."""
    before = keys_then_settle("enter", "J", "a")
    assert snap_compare(make_review(), terminal_size=SMALL, run_before=before)


def test_skim_in_review_shows_gold(
    snap_compare: SnapCompare, make_review: Callable[..., Any]
) -> None:
    """Skimming in review at 80×24 in its first view: the gold layer only."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("S")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "ready", False))
        await pilot.pause()

    assert snap_compare(make_review(), terminal_size=SMALL, run_before=run_before)


def test_label_bar_with_nine_labels(
    snap_compare: SnapCompare, segmenter: Segmenter, tmp_path: Path
) -> None:
    """Nine labels at 80×24: every one shown (on two lines), none cut."""
    from tui.app import ReaderApp
    from tui.core.labels import parse_labels

    names = ["人物", "地点", "机构", "时间", "数量", "事件", "作品", "职位", "其他"]
    labels = parse_labels(
        "".join(f'[[label]]\nname = "{name}"\nkey = "{n}"\n' for n, name in enumerate(names, 1))
    )
    app = ReaderApp(
        [SEEDS], store=tmp_path / "store", annotator="tester", labels=labels, segmenter=segmenter
    )
    assert snap_compare(app, terminal_size=SMALL, run_before=keys_then_settle("enter"))


def test_categories_popup(snap_compare: SnapCompare, segmenter: Segmenter, tmp_path: Path) -> None:
    """``C`` at 80×24: the labels file's categories by group, two chosen (one exclusive)."""
    from tests.app.test_categories_attributes import links_app

    app = links_app(segmenter, tmp_path)
    before = keys_then_settle("enter", "C", "f", "s")
    assert snap_compare(app, terminal_size=SMALL, run_before=before)


def test_attributes_popup(snap_compare: SnapCompare, segmenter: Segmenter, tmp_path: Path) -> None:
    """``@`` at 80×24 on a PER span: a bool attribute set, a values one on its first value."""
    from tests.app.test_categories_attributes import links_app

    app = links_app(segmenter, tmp_path)
    before = keys_then_settle("enter", "v", "l", "1", "at", "n", "d")
    assert snap_compare(app, terminal_size=SMALL, run_before=before)
