"""``O`` on a span labels every other occurrence of its text: here, or in every document.

a.txt: 北京大学在北京。/ 北京大學很大，北京大学生多。 (北京大学 ORG marked at 0);
b.txt: 他去了北京大學。北京大学很好。
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_reading_aids import opened
from tests.app.test_snapshots import SnapCompare, settle
from tests.conftest import AppFactory, screen_text, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.acceptance import SourceCounts, read_acceptance
from tui.core.store import Store
from tui.screens.occurrences import OccurrencesMenu

SIZE = (80, 24)
A = "北京大学在北京。\n北京大學很大，北京大学生多。\n"
B = "他去了北京大學。北京大学很好。\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "b.txt").write_text(B, encoding="utf-8")
    annotate(Store(tmp_path / "store"), folder, "a.txt", "tester", [(0, 4, "ORG")])
    return folder


def spans(tmp_path: Path, doc: str) -> set[tuple[int, int, str]]:
    return set(Store(tmp_path / "store").document(f"corpus/{doc}", "tester").span_keys())


def told(app: ReaderApp) -> str:
    return " ".join(note.message for note in app._notifications)


async def menu(pilot: object, app: ReaderApp) -> OccurrencesMenu:
    await pilot.press("O")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: isinstance(app.screen, OccurrencesMenu))
    screen = app.screen
    assert isinstance(screen, OccurrencesMenu)
    await wait_until(pilot, lambda: screen._corpus is not None)  # counted elsewhere
    return screen


async def test_a_labels_every_place_here_in_one_undo_step(
    make_app: AppFactory, corpus: Path, tmp_path: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await opened(pilot, app)
        await menu(pilot, app)
        text = screen_text(app)
        assert "北京大学 → ORG" in text and "2 more places in this document" in text
        assert "2 places in 1 other document" in text
        await pilot.press("a")
        assert spans(tmp_path, "a.txt") == {(0, 4, "ORG"), (9, 13, "ORG"), (16, 20, "ORG")}
        assert "labelled 2 more places 北京大学 ORG (u undoes)" in told(app)
        await pilot.press("u")
        assert spans(tmp_path, "a.txt") == {(0, 4, "ORG")}


async def test_x_rejects_them_and_s_shows_them_to_take_one_by_one(
    make_app: AppFactory, corpus: Path, tmp_path: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await opened(pilot, app)
        await menu(pilot, app)
        await pilot.press("s")
        assert screen.reader.suggestions == [(9, 13, "ORG"), (16, 20, "ORG")]
        assert screen.reader.model is not None
        screen.reader.model.move_to(9)
        screen.reader.refresh_view()
        await pilot.pause()
        assert "ORG? same text 100% (y/x)" in screen_text(app)
        await pilot.press("y")
        assert spans(tmp_path, "a.txt") == {(0, 4, "ORG"), (9, 13, "ORG")}
        screen.reader.model.move_to(0)
        await menu(pilot, app)
        await pilot.press("x")  # the one left, rejected: never suggested again
        document = Store(tmp_path / "store").document("corpus/a.txt", "tester")
        assert document.load().rejected == ((16, 20, "ORG"),)
        assert screen.reader.suggestions == []


async def test_capital_a_labels_the_other_documents_and_their_rows_follow(
    make_app: AppFactory, corpus: Path, tmp_path: Path
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await opened(pilot, app)
        await menu(pilot, app)
        await pilot.press("A")
        await wait_until(pilot, lambda: bool(spans(tmp_path, "b.txt")))
        assert spans(tmp_path, "b.txt") == {(3, 7, "ORG"), (8, 12, "ORG")}
        assert spans(tmp_path, "a.txt") == {(0, 4, "ORG")}  # here: a, x or s
        await wait_until(pilot, lambda: "in 1 other document" in told(app))
        entry = screen.documents.entries[1]
        assert entry.work is not None and entry.work[0] == 2  # the list's span count
        screen.open_document(1)
        await pilot.pause()
        await pilot.press("u")  # b's own undo takes it back
        assert spans(tmp_path, "b.txt") == set()


async def test_o_off_a_span_says_what_it_needs(make_app: AppFactory, corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await opened(pilot, app)
        assert screen.reader.model is not None
        screen.reader.model.move_to(5)
        await pilot.press("O")
        assert "put the cursor on a span" in told(app)
        assert not isinstance(app.screen, OccurrencesMenu)


async def test_every_occurrence_labelled_counts_as_shown_and_accepted(
    make_app: AppFactory,
    corpus: Path,
    tmp_path: Path,
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot, app)
        await menu(pilot, app)
        await pilot.press("a")
        screen.leave_document()
    assert read_acceptance(tmp_path / "store")["tester"] == {"same text": SourceCounts(2, 2)}


def test_snapshot_every_occurrence_popup(
    snap_compare: SnapCompare, make_app: AppFactory, corpus: Path
) -> None:
    """80×24: the span, the places here and in the other documents, a key each."""

    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await menu(pilot, pilot.app)  # type: ignore[arg-type]

    assert snap_compare(make_app(corpus), terminal_size=SIZE, run_before=before)
