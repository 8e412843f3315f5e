"""Reading aids as a reader uses them: search, corpus search, word view, suggestions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.conftest import AppFactory, screen_text, wait_until
from tui.app import ReaderApp
from tui.core.acceptance import SourceCounts, read_acceptance
from tui.core.segment import Segmenter
from tui.core.spans import Origin
from tui.core.store import Store
from tui.screens.corpus_search import CorpusSearchScreen
from tui.screens.main import MainScreen

TEXTS = {
    "a.txt": "察布查爾縣的幹部來到北京。\n李明在北京大学工作。\n",
    "b.txt": "县里的群众说，县长很好。\n",
}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


async def opened(pilot: object, app: ReaderApp, index: int = 0) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    screen.open_document(index)
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


def cursor(screen: MainScreen) -> int:
    assert screen.reader.model is not None
    return screen.reader.model.cursor


def stored(tmp_path: Path, doc: str) -> set[tuple[int, int, str, str]]:
    state = Store(tmp_path / "store").document(f"corpus/{doc}", "tester").load()
    return {(s.start, s.end, s.label, s.origin.value) for s in state.spans}


# -- search in the document -------------------------------------------------------------------


async def test_search_finds_either_script_counts_and_moves_with_n(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("slash", "县")  # simplified query, traditional text
        await wait_until(pilot, lambda: bool(screen.reader.hits))
        assert screen.reader.hits == [(4, 5)] and cursor(screen) == 4
        assert "/县 1/1" in screen_text(app)
        await pilot.press("backspace", "北", "京")
        await wait_until(pilot, lambda: len(screen.reader.hits) == 2)
        assert "/北京 1/2" in screen_text(app)
        assert cursor(screen) == 10
        await pilot.press("enter")  # keep the hits, back in the text
        assert screen.reader.has_focus
        await pilot.press("n")
        assert cursor(screen) == 17 and "/北京 2/2" in screen_text(app)
        await pilot.press("n")  # round the end
        assert cursor(screen) == 10
        await pilot.press("N")
        assert cursor(screen) == 17


async def test_esc_drops_the_search_and_goes_back(make_app: AppFactory, corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("slash", "北")
        await wait_until(pilot, lambda: cursor(screen) == 10)
        await pilot.press("escape")
        assert cursor(screen) == 0 and screen.reader.hits == []
        assert "/北" not in screen_text(app)


async def test_a_query_with_no_hit_says_so(make_app: AppFactory, corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("slash", "[", "b", "]")  # markup-like: plain text here
        await wait_until(pilot, lambda: "no match" in screen_text(app))
        assert "/[b] no match" in screen_text(app) and cursor(screen) == 0


# -- search across documents --------------------------------------------------------------------


async def test_corpus_search_lists_hits_in_both_scripts_and_enter_opens_one(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.documents.focus()
        await pilot.press("ctrl+f")
        search = app.screen
        assert isinstance(search, CorpusSearchScreen)
        await pilot.press("縣")  # traditional query: finds 县 in b.txt too
        await wait_until(pilot, lambda: search.result is not None and search.result.total == 3)
        assert search.result is not None and search.result.documents == 2
        assert "3 hits in 2" in screen_text(app)
        await pilot.press("down", "down", "down", "enter")  # to the hits; the third
        await pilot.pause()
        assert app.screen is screen
        assert screen.refs[screen.current or 0].name == "b.txt"
        await wait_until(pilot, lambda: len(screen.reader.hits) == 2)
        assert cursor(screen) == 7  # 县长
        assert "/縣 2/2" in screen_text(app)


async def test_ctrl_f_searches_every_document_from_either_pane_as_help_says(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = screen_text(app)
        assert help_text.count("Ctrl+f") == 1  # one meaning on this screen...
        rows = help_text.split("\n")
        assert any("Ctrl+f" in row and "Search all documents" in row for row in rows)
        await pilot.press("escape")
        for pane in (screen.reader, screen.documents):  # ...and the key does it everywhere
            pane.focus()
            await pilot.press("ctrl+f")
            assert isinstance(app.screen, CorpusSearchScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is screen


# -- word view ------------------------------------------------------------------------------------


async def test_word_view_shades_every_other_word(make_app: AppFactory, corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        before = screen.reader.render_line(0)
        await pilot.press("s")
        assert screen.reader.word_view
        shaded = screen.reader.render_line(0)
        word_style = screen.reader.get_component_rich_style("reader--word")
        backgrounds = [seg.style.bgcolor for seg in shaded if seg.style and seg.text.strip()]
        assert word_style.bgcolor in backgrounds  # some words shaded...
        assert len(set(backgrounds)) > 1  # ...and some not
        await pilot.press("s")
        assert screen.reader.render_line(0).text == before.text


# -- suggestions ----------------------------------------------------------------------------------


async def suggested(
    pilot: object, screen: MainScreen, count: int = 3
) -> list[tuple[int, int, str]]:
    await pilot.press("z")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: len(screen.reader.suggestions) == count, timeout=30)
    return screen.reader.suggestions


async def test_suggestions_accept_reject_paragraph_and_undo(
    make_app: AppFactory, corpus: Path, tmp_path: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await opened(pilot, app)
        found = await suggested(pilot, screen)
        assert (10, 12, "LOC") in found and (14, 16, "PER") in found  # 北京, 李明
        assert (17, 21, "ORG") in found  # 北京大学
        screen.reader.model.move_to(10)  # type: ignore[union-attr]
        screen.reader.refresh_view()
        await pilot.pause()
        assert "LOC? jieba 75% (y/x)" in screen_text(app)  # suggested: source, confidence
        await pilot.press("y")
        assert (10, 12, "LOC", Origin.SUGGESTION.value) in stored(tmp_path, "a.txt")
        assert (10, 12, "LOC") not in screen.reader.suggestions
        await pilot.press("u")  # the span goes, the suggestion comes back
        assert stored(tmp_path, "a.txt") == set()
        assert (10, 12, "LOC") in screen.reader.suggestions
        await pilot.press("x")  # reject it: remembered
        assert (10, 12, "LOC") not in screen.reader.suggestions
        assert Store(tmp_path / "store").document("corpus/a.txt", "tester").load().rejected == (
            (10, 12, "LOC"),
        )
        await pilot.press("j")  # the second paragraph: accept all of its suggestions
        await pilot.press("Y")
        assert {(14, 16, "PER"), (17, 21, "ORG")} <= {k[:3] for k in stored(tmp_path, "a.txt")}
        await pilot.press("u", "u")  # both at once, then the rejection
        assert stored(tmp_path, "a.txt") == set()
        assert (10, 12, "LOC") in screen.reader.suggestions
        await pilot.press("ctrl+r")  # the rejection again
        assert (10, 12, "LOC") not in screen.reader.suggestions


async def test_a_rejected_suggestion_is_not_suggested_again_on_reopening(
    make_app: AppFactory, corpus: Path
) -> None:
    first = make_app(corpus)
    async with first.run_test(size=(100, 24)) as pilot:
        screen = await opened(pilot, first)
        await suggested(pilot, screen)
        screen.reader.model.move_to(10)  # type: ignore[union-attr]
        await pilot.press("x")
    again = make_app(corpus)
    async with again.run_test(size=(100, 24)) as pilot:
        screen = await opened(pilot, again)
        found = await suggested(pilot, screen, count=2)
        assert (10, 12, "LOC") not in found and (14, 16, "PER") in found
        await pilot.press("z")  # put away
        assert screen.reader.suggestions == []


def notes(app: ReaderApp) -> list[str]:
    return [note.message for note in app._notifications]


def long_document(tmp_path: Path, lines: int) -> Path:
    """A folder with one document of ``lines`` different paragraphs, two suggestions each."""
    folder = tmp_path / "long"
    folder.mkdir()
    text = "".join(f"第{n}条：李明在北京大学工作。\n" for n in range(lines))
    (folder / "long.txt").write_text(text, encoding="utf-8")
    return folder


def count_tagging(
    monkeypatch: pytest.MonkeyPatch, segmenter: Segmenter, gate: threading.Event | None = None
) -> list[str]:
    """Every paragraph the (shared) segmenter is asked to tag, from now on.

    With a ``gate``, the 40th paragraph waits for it to be set before it is tagged, so a
    test can act while the work is surely unfinished.
    """
    tagged: list[str] = []
    tag = segmenter.pos_tokens

    def counting(shadow: str) -> list[tuple[int, int, str]]:
        tagged.append(shadow)
        if gate is not None and len(tagged) == 40:
            gate.wait(timeout=30)
        return tag(shadow)

    monkeypatch.setattr(segmenter, "pos_tokens", counting)
    return tagged


def suggest_workers(app: ReaderApp) -> list[object]:
    return [worker for worker in app.workers if worker.group == "suggest"]


async def test_keys_answer_while_suggestions_are_worked_out(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(long_document(tmp_path, 400))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("z", "j", "j", "j")
        assert screen.reader.model is not None and screen.reader.model.cursor_row()[0] >= 3
        done = "800 suggestions in the document: y accepts one, Y the paragraph's, x rejects one"
        await wait_until(pilot, lambda: done in notes(app), timeout=60)
        # The reader holds the suggestions near the view, not the whole document's.
        assert {(4, 6, "PER"), (7, 11, "ORG")} <= set(screen.reader.suggestions)
        assert len(screen.reader.suggestions) < 800
        await pilot.press("G")
        last = screen.reader.model.text.rindex("李明")
        await wait_until(pilot, lambda: (last, last + 2, "PER") in screen.reader.suggestions)


async def test_z_again_stops_the_work_and_z_resumes_it_without_tagging_twice(
    make_app: AppFactory, tmp_path: Path, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    tagged = count_tagging(monkeypatch, segmenter, gate)
    app = make_app(long_document(tmp_path, 1500))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("z")
        await wait_until(pilot, lambda: len(tagged) == 40 and bool(screen.reader.suggestions))
        await pilot.press("z")  # put away while the 40th paragraph is being tagged
        assert screen.reader.suggestions == []
        gate.set()
        await wait_until(pilot, lambda: all(w.is_finished for w in suggest_workers(app)))
        assert len(tagged) == 40  # the work stopped after the paragraph it was on
        await pilot.pause(0.3)
        assert len(tagged) == 40
        await pilot.press("z")  # again: what was found shows at once, the rest follows
        assert screen.reader.suggestions
        await wait_until(pilot, lambda: len(tagged) >= 1500, timeout=60)
        await wait_until(pilot, lambda: all(w.is_finished for w in suggest_workers(app)))
        assert len(tagged) == 1500 == len(set(tagged))  # no paragraph tagged twice


async def test_suggestions_near_a_cursor_at_the_end_of_a_large_document_come_first(
    make_app: AppFactory, tmp_path: Path, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    tagged = count_tagging(monkeypatch, segmenter)
    lines = 20_000
    app = make_app(long_document(tmp_path, lines))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("G", "z")
        model = screen.reader.model
        assert model is not None
        last = model.text.rindex("李明")
        await wait_until(pilot, lambda: (last, last + 2, "PER") in screen.reader.suggestions)
        # The paragraphs on screen were tagged first (the view holds at most 24 of them),
        # not the document from its top.
        numbers = [int(shadow[1 : shadow.index("条")]) for shadow in tagged[:24]]
        assert lines - 1 in numbers and min(numbers) > lines - 30
        await pilot.press("z")
        await wait_until(pilot, lambda: all(w.is_finished for w in suggest_workers(app)))


# -- user dictionary ------------------------------------------------------------------------------


async def test_a_user_dictionary_makes_a_term_one_word(corpus: Path, tmp_path: Path) -> None:
    userdict = tmp_path / "terms.txt"
    userdict.write_text("查爾縣的幹部 10 n\n", encoding="utf-8")  # traditional, as written
    segmenter = Segmenter(tmp_path / "cache", userdict=userdict)
    segmenter.warm_up()
    app = ReaderApp([corpus], store=tmp_path / "store", annotator="t", segmenter=segmenter)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await pilot.press("l", "l", "w")  # from 查 to the next word: after the whole term
        assert cursor(screen) == 8
        await pilot.press("b", "1")  # the one-key label takes the whole term
        session = screen.reader.session
        assert session is not None
        assert [(s.start, s.end) for s in session.annotations.spans] == [(2, 8)]


async def test_enter_in_the_corpus_search_box_opens_the_first_hit(
    make_app: AppFactory, corpus: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        screen.documents.focus()
        await pilot.press("ctrl+f")
        search = app.screen
        assert isinstance(search, CorpusSearchScreen)
        await pilot.press("县", "长")
        await wait_until(pilot, lambda: search.result is not None and search.result.total == 1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.refs[screen.current or 0].name == "b.txt"


async def test_suggestions_shown_and_accepted_are_counted_when_leaving_a_document(
    make_app: AppFactory,
    corpus: Path,
    tmp_path: Path,
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = await opened(pilot, app)
        found = await suggested(pilot, screen)
        assert screen.reader.model is not None
        screen.reader.model.move_to(found[0][0])
        screen.reader.refresh_view()
        await pilot.press("y")
        assert read_acceptance(tmp_path / "store") == {}  # counted on leaving
        screen.open_document(1)
        await pilot.pause()
    counts = read_acceptance(tmp_path / "store")
    assert counts == {"tester": {"jieba": SourceCounts(len(found), 1)}}
