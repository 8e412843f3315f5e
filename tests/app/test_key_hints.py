"""The bottom line shows the focused panel's keys, whole, at 80×24; ``q`` quits from every
place where it is not typed text, and in a text box it is typed until Esc leaves it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from textual.binding import Binding, BindingType
from textual.pilot import Pilot

from tests.app.conftest import ReviewFactory
from tests.conftest import AppFactory, screen_lines, wait_until
from tui.app import ReaderApp
from tui.core import keyhints
from tui.screens.agreement import AgreementScreen
from tui.screens.corpus_search import CorpusSearchScreen
from tui.screens.help import HelpScreen, key_label
from tui.screens.main import MainScreen
from tui.screens.note import NoteScreen
from tui.screens.reading_aids import SearchBox
from tui.screens.review import ReviewScreen
from tui.screens.skim import SkimScreen
from tui.widgets.document_list import DocumentList
from tui.widgets.document_panel import DocumentPanel
from tui.widgets.reader_view import ReaderView
from tui.widgets.spans_panel import SpansPanel
from tui.widgets.word_panel import WordPanel

SIZE = (80, 24)


def footer_entries(app: ReaderApp) -> list[str]:
    """The bottom row's entries (``key what``), as drawn: two spaces between them."""
    return [entry for entry in screen_lines(app)[-1].strip().split("  ") if entry]


def assert_footer_shows(app: ReaderApp, panel: keyhints.Panel, *expected: str) -> None:
    """Every entry drawn is one of ``panel``'s, whole and in order; ``expected`` are drawn."""
    entries = footer_entries(app)
    offered = [f"{key} {what}" for key, what in (*panel.hints, *panel.closing)]
    assert entries, "the hint line is empty"
    assert all(entry in offered for entry in entries), (entries, offered)  # none cut
    assert entries == sorted(entries, key=offered.index)
    for entry in expected:
        assert entry in entries, (entry, entries)


async def open_first(pilot: Pilot[Any], app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.press("enter")
    await pilot.pause()
    assert screen.reader.model is not None
    return screen


# -- the hint line, panel by panel ----------------------------------------------------------


async def test_the_list_shows_its_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert_footer_shows(app, keyhints.LIST, "⏎ open", "/ filter", "? help", "q quit")


async def test_the_reader_shows_its_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        assert_footer_shows(app, keyhints.READER, "t 简⇄繁", "w b word", "1–9 label", "q quit")


async def test_the_spans_panel_shows_its_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.focused, SpansPanel)
        assert_footer_shows(app, keyhints.SPANS, "⏎ jump", "m re-place", "Esc text", "p hide")
        await pilot.press("escape")  # back to the text: the reader's keys again
        await pilot.pause()
        assert_footer_shows(app, keyhints.READER, "t 简⇄繁")


async def test_the_word_panel_shows_its_keys_while_open(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("i")
        await pilot.pause()
        assert_footer_shows(app, keyhints.WORD_PANEL, "w b word", "i hide", "q quit")
        await pilot.press("i")
        await pilot.pause()
        assert_footer_shows(app, keyhints.READER, "t 简⇄繁")


async def test_the_filter_offers_no_quit_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert_footer_shows(app, keyhints.FILTER, "⏎ keep filter", "Esc clear filter")
        assert "q quit" not in footer_entries(app)


async def test_the_search_box_offers_no_quit_key(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("slash")
        await pilot.pause()
        assert_footer_shows(app, keyhints.SEARCH, "Esc drop search")
        assert "q quit" not in footer_entries(app)


async def test_review_shows_its_keys(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        assert_footer_shows(app, keyhints.REVIEW, "J K disagreement", "a accept", "q quit")


async def test_skim_shows_its_keys(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        await wait_until(pilot, lambda: getattr(app.screen, "ready", False))
        await pilot.pause()
        assert_footer_shows(app, keyhints.SKIM_LAYERS, "⏎ open there", "L layers", "q quit")


async def test_corpus_search_shows_the_box_then_the_hits_keys(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", "县")
        screen = app.screen
        assert isinstance(screen, CorpusSearchScreen)
        await wait_until(pilot, lambda: bool(screen.hits))
        assert_footer_shows(app, keyhints.CORPUS_QUERY, "Esc back")
        await pilot.press("down")
        await pilot.pause()
        assert_footer_shows(app, keyhints.CORPUS_HITS, "⏎ open there", "q quit")


@pytest.mark.parametrize("width", [30, 47, 60, 80, 100, 200])
def test_hints_fit_whole_entries_at_any_width(width: int) -> None:
    for name in keyhints.__all__:
        panel = getattr(keyhints, name)
        if not isinstance(panel, keyhints.Panel):
            continue
        shown = keyhints.fit_hints(panel, width)
        assert keyhints.line_cells(shown) <= width
        assert all(hint in (*panel.hints, *panel.closing) for hint in shown)
        if keyhints.line_cells([*panel.hints, *panel.closing]) <= width:
            assert shown == [*panel.hints, *panel.closing]


def _bound_labels(bindings: Sequence[BindingType]) -> set[str]:
    labels = set()
    for binding in bindings:
        if isinstance(binding, Binding):
            labels |= {key_label(key) for key in binding.key.split(",")}
    return labels


def _key_tokens(key: str) -> list[str]:
    """``"w b"`` → ``w``, ``b``; ``"1–9"`` → ``1``, ``9``; ``⏎`` is Enter."""
    tokens = [part for token in key.split(" ") for part in token.split("–")]
    return ["Enter" if token == "⏎" else token for token in tokens]


@pytest.mark.parametrize(
    ("panel", "bindings"),
    [
        (keyhints.LIST, [*DocumentList.BINDINGS, *DocumentPanel.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.READER, [*ReaderView.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.WORD_PANEL, [*ReaderView.BINDINGS, *MainScreen.BINDINGS]),
        (
            keyhints.with_links(keyhints.READER, categories=True, attributes=True),
            [*ReaderView.BINDINGS, *MainScreen.BINDINGS],
        ),
        (keyhints.SPANS, [*SpansPanel.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.WORD_SCROLL, [*WordPanel.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.REVIEW, [*ReviewScreen.BINDINGS, *ReaderView.BINDINGS, *MainScreen.BINDINGS]),
        (keyhints.FILTER, [*DocumentPanel.BINDINGS, Binding("enter", "submit")]),
        (keyhints.SEARCH, [*SearchBox.BINDINGS, Binding("enter", "submit")]),
        (keyhints.SKIM, [*SkimScreen.BINDINGS, Binding("enter", "select")]),
        (keyhints.SKIM_LAYERS, [*SkimScreen.BINDINGS, Binding("enter", "select")]),
        (keyhints.CORPUS_QUERY, [*CorpusSearchScreen.BINDINGS, Binding("enter", "submit")]),
        (keyhints.CORPUS_HITS, [*CorpusSearchScreen.BINDINGS, Binding("up,down,enter", "x")]),
    ],
)
def test_every_hinted_key_is_bound_there(
    panel: keyhints.Panel, bindings: list[BindingType]
) -> None:
    """The hints cannot drift from the keys: each one names keys bound where it shows."""
    bound = _bound_labels([*bindings, *ReaderApp.BINDINGS])
    for key, _ in (*panel.hints, *panel.closing):
        for token in _key_tokens(key):
            assert token in bound, (panel.title, key)


# -- q --------------------------------------------------------------------------------------


async def _quits(app: ReaderApp, pilot: Pilot[Any]) -> None:
    await pilot.press("q")
    await pilot.pause()
    assert app.return_code == 0, f"q did not quit from {type(app.screen).__name__}"


async def test_q_quits_from_the_reader_and_saves_the_position(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("j", "j")
        cursor = screen.reader.model.cursor if screen.reader.model else -1
        session = screen.reader.session
        assert session is not None
        await _quits(app, pilot)
    saved = screen.store.document(session.annotations.doc_id, "tester").load()
    assert saved.cursor == cursor > 0


@pytest.mark.parametrize("keys", [(), ("p",), ("i",), ("question_mark",), ("S",)])
async def test_q_quits_from(make_app: AppFactory, keys: tuple[str, ...]) -> None:
    """From the list, the spans panel, the word panel, help and skim."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        if keys:
            await open_first(pilot, app)
            await pilot.press(*keys)
            await pilot.pause()
        if keys == ("question_mark",):
            assert isinstance(app.screen, HelpScreen)
        if keys == ("S",):
            assert isinstance(app.screen, SkimScreen)
        await _quits(app, pilot)


async def test_q_quits_from_review_and_its_agreement_panel(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("A")
        await pilot.pause()
        assert isinstance(app.screen, AgreementScreen)
        await _quits(app, pilot)


async def test_q_quits_from_the_corpus_search_hits(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", "县")
        screen = app.screen
        assert isinstance(screen, CorpusSearchScreen)
        await wait_until(pilot, lambda: bool(screen.hits))
        await pilot.press("q")  # typed into the box
        await pilot.pause()
        assert app.return_code is None
        assert screen.query_one("#corpus-query").value == "县q"  # type: ignore[attr-defined]
        await pilot.press("backspace", "down")
        await pilot.pause()
        await _quits(app, pilot)


async def test_q_is_typed_in_the_search_box_then_esc_and_q_quit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.return_code is None
        assert isinstance(app.focused, SearchBox) and app.focused.value == "q"
        await pilot.press("escape")
        await _quits(app, pilot)


async def test_q_is_typed_in_the_filter_then_esc_and_q_quit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "q")
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("escape")
        await _quits(app, pilot)


async def test_q_is_typed_in_the_note_editor_then_esc_and_q_quit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await wait_until(pilot, lambda: app.segmenter.ready)
        await pilot.press("1", "e")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await _quits(app, pilot)


async def test_help_says_where_q_is_typed(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "Quit from anywhere" in text
        assert "Esc first" in text
