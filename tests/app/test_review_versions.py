"""Review at 80×24: every version of a disagreement drawn apart, and named in the version bar.

In a.txt (张三在北京大学工作。) alice and carol marked ORG 北京大学 (3–7), bob LOC 北京 (3–5).
"""

from __future__ import annotations

import re
from pathlib import Path

from rich.color import Color
from rich.style import Style

from tests.app.conftest import ReviewFactory
from tests.app.test_review import gold, open_first
from tests.conftest import screen_text
from tests.core.test_review import annotate
from tui.core.labels import DEFAULT_LABELS
from tui.core.review import GOLD
from tui.core.store import Store
from tui.widgets.reader_view import ReaderView
from tui.widgets.version_bar import VersionBar

SIZE = (80, 24)
COLOURS = {label.name: Color.parse(label.colour) for label in DEFAULT_LABELS}


def looks(app: object, text: str) -> list[Style]:
    """The styles the reader draws the first line's ``text`` with, a character at a time."""
    reader = app.screen.query_one(ReaderView)  # type: ignore[attr-defined]
    styles: list[Style] = []
    for segment in reader.render_line(0):
        styles += [segment.style or Style()] * len(segment.text)
    line = "".join(segment.text for segment in reader.render_line(0))
    start = line.index(text)
    return styles[start : start + len(text)]


def full(style: Style, label: str) -> bool:
    """Drawn as the version shown: underlined and bold in the label's colour."""
    return style.color == COLOURS[label] and bool(style.underline) and not style.dim


def faint(style: Style, label: str) -> bool:
    return style.color == COLOURS[label] and bool(style.dim)


async def test_c_draws_the_version_shown_in_full_and_the_others_faintly(
    make_review: ReviewFactory,
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("J")
        # v1 (alice, carol: ORG 北京大学) in full, v2 (bob: LOC 北京) faint under it (the
        # cursor sits on 北)
        assert all(full(style, "ORG") for style in looks(app, "京大学"))
        await pilot.press("c")
        assert all(full(style, "LOC") for style in looks(app, "京"))
        assert all(faint(style, "ORG") for style in looks(app, "大学"))


async def test_the_version_bar_names_every_version_and_who_marked_it(
    make_review: ReviewFactory,
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        bar = screen.query_one(VersionBar)
        assert bar.text == "alice,bob,carol PER 张三"  # who marked the span at the cursor
        await pilot.press("right", "right")
        assert "J K" in bar.text  # nothing at the cursor: the keys
        await pilot.press("J")
        assert bar.text == "≠ 1/1  ▶v1 alice,carol ORG 北京大学  v2 bob LOC 北京"
        await pilot.press("c")
        assert bar.text == "≠ 1/1  v1 alice,carol ORG 北京大学  ▶v2 bob LOC 北京"
        # the status line keeps the version (short), the bar the rest; nothing cut
        assert "≠1/1 v2/2" in screen_text(app)
        assert "▶v2 bob LOC 北京" in screen_text(app)


async def test_each_annotator_has_a_colour_of_their_own_in_the_bar(
    make_review: ReviewFactory,
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("J")
        strip = screen.query_one(VersionBar).render_line(0)
        colours = {
            segment.text: segment.style.color
            for segment in strip
            if segment.style and segment.text in ("alice", "bob", "carol")
        }
        assert len(set(colours.values())) == 3


async def test_gold_keeps_its_colour_where_a_candidate_overlaps_it(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("J", "a")  # accept alice and carol's ORG 北京大学
        assert gold(tmp_path, "corpus/a.txt") == {(0, 2, "PER"), (3, 7, "ORG")}
        await pilot.press("right", "right", "right", "right", "right", "right")
        # bob's LOC 北京 is still a candidate inside it: 北京 stays drawn as gold ORG
        assert all(style.bgcolor == COLOURS["ORG"] for style in looks(app, "北京大学"))


async def test_off_a_disagreement_the_bar_says_who_marked_the_candidate_under_the_cursor(
    make_review: ReviewFactory,
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("J", "a", "left")  # decided; the cursor still on 北京
        await pilot.press("right")
        assert "bob LOC 北京" in screen.query_one(VersionBar).text


async def test_an_accepted_version_says_whose_it_was_in_gold(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot, app)
        await pilot.press("J", "a")
    spans = Store(tmp_path / "store").document("corpus/a.txt", GOLD).load().spans
    assert {(s.start, s.end, s.label): s.accepted_from for s in spans} == {
        (0, 2, "PER"): (),  # agreed by all: nobody's version was chosen
        (3, 7, "ORG"): ("alice", "carol"),
    }


async def test_a_decision_goes_stale_when_a_layer_changes_and_j_stops_there(
    make_review: ReviewFactory, tmp_path: Path, corpus: Path
) -> None:
    app = make_review()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("J", "a")  # decided: ORG 北京大学
        assert screen.query_one(VersionBar).text.startswith("✓ 1/1")
        # bob adds ORG 北京大学 to his LOC 北京 meanwhile
        annotate(Store(tmp_path / "store"), corpus, "a.txt", "bob", [(3, 7, "ORG")])
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("home", "J")  # J stops at the stale decision again
        assert screen.reader.model is not None and screen.reader.model.cursor == 3
        assert screen.query_one(VersionBar).text.startswith("⚠ 1/1 (since decided: bob changed)")
        assert "⚠1/1" in screen_text(app)
        await pilot.press("a")  # decided again, on what the layers hold now
        assert screen.query_one(VersionBar).text.startswith("✓ 1/1")
    decided = Store(tmp_path / "store").document("corpus/a.txt", GOLD).load()
    assert decided.decided == ((3, 7),) and set(decided.decided_on[(3, 7)]) == {
        "alice",
        "bob",
        "carol",
    }


async def test_the_agreement_panel_shows_whose_versions_were_accepted(
    make_review: ReviewFactory,
) -> None:
    from tests.conftest import wait_until
    from tui.screens.agreement import AgreementScreen

    app = make_review()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_first(pilot, app)
        await pilot.press("J", "a")  # alice and carol's ORG 北京大学
        await pilot.press("A")
        assert isinstance(app.screen, AgreementScreen)
        await wait_until(pilot, lambda: "accepted in review" in screen_text(app))
        text = screen_text(app)
        assert "accepted in review (1 decision in 1 document)" in text
        rows = dict(re.findall(r"(alice|bob|carol) +(\d+) spans", text))
        assert rows.get("alice") == "1" and rows.get("carol") == "1" and "bob" not in rows


async def test_a_message_stands_above_the_version_bar(make_review: ReviewFactory) -> None:
    from textual.widgets._toast import Toast

    from tests.conftest import wait_until

    app = make_review()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("K")  # none before the first document: said in a toast
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)))
        [toast] = app.screen.query(Toast)
        assert toast.region.bottom <= screen.query_one(VersionBar).region.y
