"""Reviewing as a reviewer does it: disagreements, accept, reject, add, and the gold export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.app.conftest import ReviewFactory
from tests.app.test_cli import run_cli
from tests.conftest import screen_text, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.interchange import export_documents
from tui.core.review import GOLD, ReviewerError
from tui.core.store import Store
from tui.screens.review import ReviewScreen


def gold(tmp_path: Path, doc: str) -> set[tuple[int, int, str]]:
    return set(Store(tmp_path / "store").document(doc, GOLD).span_keys())


async def open_first(pilot: object, app: ReaderApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await pilot.press("enter")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    return screen


async def test_agreed_spans_start_accepted_and_attributed_to_the_reviewer(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    app = make_review()
    async with app.run_test(size=(100, 24)) as pilot:
        await open_first(pilot, app)
        assert gold(tmp_path, "corpus/a.txt") == {(0, 2, "PER")}
        [span] = Store(tmp_path / "store").document("corpus/a.txt", GOLD).load().spans
        assert span.annotator == "rita"


async def test_jump_show_versions_accept_and_go_on_to_the_next_document(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    app = make_review()
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("J")
        assert screen.reader.model is not None and screen.reader.model.cursor == 3
        assert "▶v1 alice,carol ORG 北京大学" in screen_text(app)
        await pilot.press("c")
        assert "▶v2 bob LOC 北京" in screen_text(app)
        await pilot.press("a")
        assert gold(tmp_path, "corpus/a.txt") == {(0, 2, "PER"), (3, 5, "LOC")}
        await pilot.press("J")  # none left here: on to b.txt's disagreement
        await pilot.pause()
        assert screen.refs[screen.current or 0].name == "b.txt"
        assert screen.reader.model is not None and screen.reader.model.cursor == 4
        await pilot.press("X")  # reject it: 上海 stays out of gold
        assert gold(tmp_path, "corpus/b.txt") == {(0, 2, "PER")}
        assert "✓1/1" in screen_text(app)  # decided
        await pilot.press("K")  # a.txt's one disagreement is decided too: nowhere to go
        await pilot.pause()
        assert screen.refs[screen.current or 0].name == "b.txt"
    store = Store(tmp_path / "store")
    assert store.document("corpus/a.txt", GOLD).load().decided == ((3, 7),)
    assert store.document("corpus/b.txt", GOLD).load().decided == ((4, 6),)


async def test_decided_disagreements_are_skipped_after_reopening(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    first = make_review()
    async with first.run_test(size=(120, 24)) as pilot:
        await open_first(pilot, first)
        await pilot.press("J", "a", "q")
    again = make_review()
    async with again.run_test(size=(120, 24)) as pilot:
        screen = await open_first(pilot, again)
        assert screen.documents.entries[0].marks is not None
        assert screen.documents.entries[0].marks.disagreements == 0  # none left to decide
        await pilot.press("g", "J")  # a.txt's is decided: straight on to b.txt's
        await pilot.pause()
        assert screen.refs[screen.current or 0].name == "b.txt"


async def test_the_list_follows_decisions_and_undo_takes_a_decision_back(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    app = make_review()
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await open_first(pilot, app)

        def to_decide() -> int | None:
            marks = screen.documents.entries[0].marks
            return None if marks is None else marks.disagreements

        assert to_decide() == 1
        await pilot.press("J", "a")
        await wait_until(pilot, lambda: to_decide() == 0)
        assert "✓1/1" in screen_text(app)
        await pilot.press("u")  # the accept and its decision go together
        await wait_until(pilot, lambda: to_decide() == 1)
        assert "≠1/1" in screen_text(app)
        assert Store(tmp_path / "store").document("corpus/a.txt", GOLD).load().decided == ()
        await pilot.press("ctrl+r")  # redo: decided again
        await wait_until(pilot, lambda: to_decide() == 0)
        assert gold(tmp_path, "corpus/a.txt") == {(0, 2, "PER"), (3, 7, "ORG")}


async def test_own_spans_undo_and_the_gold_export_holds_exactly_the_decisions(
    make_review: ReviewFactory, tmp_path: Path, corpus: Path
) -> None:
    app = make_review()
    async with app.run_test(size=(120, 24)) as pilot:
        await open_first(pilot, app)
        await pilot.press("J", "a")  # accept alice and carol's ORG 北京大学
        await pilot.press("u", "a")  # undo, and accept again
        await pilot.press("dollar_sign", "h", "h", "v", "l", "4")  # 工作 as TIME, the reviewer's
    out = tmp_path / "gold.jsonl"
    report = export_documents(
        [corpus], "doccano", out, store=Store(tmp_path / "store"), annotator=GOLD
    )
    rows = {row["id"]: row for row in map(json.loads, out.read_text("utf-8").splitlines())}
    assert sorted(map(tuple, rows["a"]["label"])) == [(0, 2, "PER"), (3, 7, "ORG"), (7, 9, "TIME")]
    # b was never opened for review: no gold yet, so it is left out, not exported empty.
    assert "b" not in rows
    assert report.notes[0].startswith("left out 1 of 2 documents never reviewed")


async def test_read_only_review_writes_nothing(make_review: ReviewFactory, tmp_path: Path) -> None:
    before = sorted(p.name for p in (tmp_path / "store").rglob("*"))
    app = make_review(read_only=True)
    async with app.run_test(size=(120, 24)) as pilot:
        await open_first(pilot, app)
        await pilot.press("J", "a", "1", "q")
    assert sorted(p.name for p in (tmp_path / "store").rglob("*")) == before


def test_a_reviewer_named_like_an_annotator_is_refused(make_review: ReviewFactory) -> None:
    with pytest.raises(ReviewerError, match="'bob' annotated"):
        make_review("bob")


def test_the_review_command_refuses_an_annotators_name(corpus: Path, tmp_path: Path) -> None:
    result = run_cli("review", "corpus", "--store", "store", "--reviewer", "alice", cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "'alice' annotated" in line


async def test_help_lists_the_review_keys(make_review: ReviewFactory) -> None:
    app = make_review()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        await pilot.press("end")  # help is taller than 48 rows: its end too
        await pilot.pause()
        text += screen_text(app)
        for words in ("Review 审核", "Next disagreement", "Accept version / span", "Reject"):
            assert words in text


async def test_r_reloads_what_others_saved_meanwhile(
    make_review: ReviewFactory, tmp_path: Path, corpus: Path
) -> None:
    app = make_review()
    async with app.run_test(size=(120, 24)) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("l", "l")
        annotate(Store(tmp_path / "store"), corpus, "a.txt", "dave", [(7, 9, "TIME")])
        assert screen.reader.review is not None and "dave" not in screen.reader.review.layers
        await pilot.press("R")
        await pilot.pause()
        assert screen.reader.review is not None and "dave" in screen.reader.review.layers
        assert screen.reader.model is not None and screen.reader.model.cursor == 2

        def annotators() -> int | None:
            marks = screen.documents.entries[0].marks
            return None if marks is None else marks.annotators

        await wait_until(pilot, lambda: annotators() == 4)  # the list counts dave too


async def test_the_review_list_shows_annotators_done_agreement_and_filters(
    make_review: ReviewFactory, tmp_path: Path
) -> None:
    from tui.core.spans import Status

    Store(tmp_path / "store").document("corpus/b.txt", "alice").set_status(Status.DONE)
    (tmp_path / "corpus" / "c.txt").write_text("没有人标注。\n", encoding="utf-8")
    app = make_review()
    async with app.run_test(size=(120, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: all(e.marks for e in screen.documents.entries))
        await pilot.pause()
        text = screen_text(app)
        # a.txt: exact F1 alice/bob 1/2, alice/carol 1, bob/carol 1/2 → mean 2/3
        assert "0/3 0.67" in text and "1/3 0.78" in text
        assert "文档 3 · reviewed 0" in text
        filters = (("to do", 2), ("disagreements", 2), ("done", 0), ("reviewed", 0))
        for name, shown in (*filters, ("not annotated", 1)):  # c.txt: nobody's, not to do
            await pilot.press("F")
            assert screen.documents.status_filter == name
            assert len(screen.documents.shown) == shown
        await pilot.press("F")
        assert screen.documents.status_filter == "all"


async def test_skim_lists_sentences_with_spans_and_enter_opens_one(
    make_review: ReviewFactory,
) -> None:
    from tui.screens.skim import SkimScreen

    app = make_review()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        await pilot.press("S")
        skim = app.screen
        assert isinstance(skim, SkimScreen)
        await wait_until(pilot, lambda: skim.ready)
        assert "0 sentences" in screen_text(app)  # gold first: nothing decided yet
        await pilot.press("L")  # every layer
        await wait_until(pilot, lambda: skim.ready)
        text = screen_text(app)
        assert "2 sentences in 2 documents" in text and "gold and every layer" in text
        assert "张三在北京大学工作。" in text and "李四去了上海。" in text
        assert skim.targets[3] is not None and skim.targets[3].index == 1
        skim.query_one("OptionList").highlighted = 3  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen and screen.refs[screen.current or 0].name == "b.txt"


async def test_skim_in_review_shows_gold_not_what_was_rejected(
    make_review: ReviewFactory,
) -> None:
    from tui.screens.skim import SkimScreen

    app = make_review()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_first(pilot, app)
        await pilot.press("J", "X")  # alice and carol's ORG against bob's LOC: neither
        await pilot.press("escape", "S")
        skim = app.screen
        assert isinstance(skim, SkimScreen)
        await wait_until(pilot, lambda: skim.ready)
        [document] = skim.documents
        assert [line.spans for line in document.lines] == [((0, 2, "PER"),)]
        await pilot.press("L")
        await wait_until(pilot, lambda: skim.ready)
        labels = {label for d in skim.documents for line in d.lines for *_, label in line.spans}
        assert labels == {"PER", "ORG", "LOC"}
        await pilot.press("escape")
        assert app.screen is screen


async def test_skim_reads_in_the_background_and_esc_answers_meanwhile(
    make_review: ReviewFactory,
) -> None:
    import threading

    from tui.core.labels import DEFAULT_LABELS
    from tui.screens.skim import SkimDocument, SkimScreen, SkimView

    release = threading.Event()
    stopped: list[bool] = []

    def slow(cancelled: Callable[[], bool]) -> list[SkimDocument]:
        release.wait(10)
        stopped.append(cancelled())
        return []

    app = make_review()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await app.push_screen(SkimScreen([SkimView("gold", slow)], DEFAULT_LABELS))
        assert "reading the documents" in screen_text(app)
        await pilot.press("escape")  # answered while the reading is still going on
        await pilot.pause()
        assert app.screen is screen
        release.set()
        await wait_until(pilot, lambda: bool(stopped))
    assert stopped == [True]  # told to stop: nothing is shown


async def test_the_agreement_panel_shows_pairs_fleiss_labels_and_worst_documents(
    make_review: ReviewFactory,
) -> None:
    from tui.screens.agreement import AgreementScreen

    app = make_review()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("A")
        assert isinstance(app.screen, AgreementScreen)
        await wait_until(pilot, lambda: "Fleiss" in screen_text(app))
        text = screen_text(app)
        # alice 4 spans, bob 4, 3 shared: exact F1 = 6/8
        assert "alice / bob" in text and "0.750" in text
        assert "per label" in text and "LOC:" in text
        panel = str(app.screen.query_one("#agreement-text").render())  # not the list behind
        rows = [line for line in panel.splitlines() if "a.txt" in line or "b.txt" in line]
        assert "a.txt" in rows[0] and "b.txt" in rows[1]  # worst first
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)


async def test_the_agreement_panel_shows_relations_and_categories_when_there_are_some(
    make_review: ReviewFactory, tmp_path: Path, corpus: Path
) -> None:
    """alice and carol agree on a.txt's PER→ORG 属于 (F1 1.000 for them); bob has no ORG."""
    from tui.core.corpus import document_id, id_root
    from tui.core.relations.model import LinkEdit, Relation
    from tui.core.spans import now_iso

    store = Store(tmp_path / "store")
    doc_id = document_id(corpus / "a.txt", id_root(store.root))
    for who in ("alice", "carol"):
        document = store.document(doc_id, who)
        ids = {span.label: span.id for span in document.load().spans}
        made = Relation("r1", "属于", ids["PER"], ids["ORG"], who, now_iso(), now_iso())
        document.apply((), links=LinkEdit.of(put=[made], categories={"教育"}))
    app = make_review()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("A")
        await wait_until(pilot, lambda: "Fleiss" in screen_text(app))
        panel = str(app.screen.query_one("#agreement-text").render())
        assert "relations (exact: both ends' spans and the type)" in panel
        assert "alice / carol    1.000  1/1" in panel
        assert "categories (Fleiss' kappa, documents as items)" in panel


async def test_orphaned_annotations_are_reported_and_kept(
    make_review: ReviewFactory, tmp_path: Path, corpus: Path
) -> None:
    (corpus / "b.txt").rename(tmp_path / "gone.txt")
    app = make_review()
    async with app.run_test(size=(120, 24), notifications=True) as pilot:

        def told() -> list[str]:
            return [note.message for note in app._notifications]  # the toasts wrap lines

        await wait_until(pilot, lambda: any("not found" in m for m in told()))
        assert any("(corpus/b.txt)" in message for message in told())
    assert Store(tmp_path / "store").path_for("corpus/b.txt", "alice").exists()


async def test_skim_moves_with_j_k_g_and_g(make_review: ReviewFactory) -> None:
    from textual.widgets import OptionList

    from tui.screens.skim import SkimScreen

    app = make_review()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        await pilot.press("S")
        skim = app.screen
        assert isinstance(skim, SkimScreen)
        await wait_until(pilot, lambda: skim.ready)
        await pilot.press("L")
        await wait_until(pilot, lambda: skim.ready)
        options = skim.query_one(OptionList)
        assert options.highlighted == 1  # the first sentence (0 is the document's title)
        await pilot.press("j")
        assert options.highlighted == 3  # the title of the next document is passed over
        await pilot.press("k")
        assert options.highlighted == 1
        await pilot.press("G")
        assert options.highlighted == 3
        await pilot.press("g")
        assert options.highlighted == 1
