"""The learning recommender in the app: the model's suggestions beside jieba's, retraining
in the background while keys keep answering, and the list's doubt column and order."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.app.test_snapshots import SnapCompare, settle
from tests.conftest import screen_text, wait_until
from tests.core.recommender_fixture import document_lines, make_corpus
from tui.app import ReaderApp
from tui.core.recommender.model import card_path, load_model
from tui.core.recommender.train import train_model
from tui.core.relations.schema import parse_schema
from tui.core.segment import Segmenter
from tui.core.spans import Origin, Status
from tui.core.store import Store
from tui.screens.main import MainScreen

SIZE = (80, 24)
LABELS = """
[[label]]
name = "PER"
key = 1
[[label]]
name = "LOC"
key = 2

[recommender]
retrain_every = 3
min_spans = 10
"""


def app_over(tmp_path: Path, segmenter: Segmenter) -> ReaderApp:
    schema = parse_schema(LABELS)
    return ReaderApp(
        [tmp_path / "corpus"],
        store=tmp_path / "store",
        annotator="tester",
        segmenter=segmenter,
        labels=schema.labels,
        schema=schema,
    )


@pytest.fixture
def trained(tmp_path: Path, segmenter: Segmenter) -> Path:
    """Four documents tester marked done, a model trained on them (its card dated long
    ago, so the status line reads the same every day), and two new documents."""
    store, refs = make_corpus(tmp_path, documents=4, who="tester")
    train_model(store, refs, "tester", iterations=30)
    path = card_path(store.root, "ner")
    card = load_model(store.root, "ner").card
    path.write_bytes(dataclasses.replace(card, trained_at="2026-01-02T03:04:05+00:00").to_json())
    text, _ = document_lines(4)
    (tmp_path / "corpus" / "d4.txt").write_text(text, encoding="utf-8")
    unlike = "欧阳娜娜与司马光在西安和拉萨之间往来。\n新华社记者从乌鲁木齐发回报道。\n"
    (tmp_path / "corpus" / "d5.txt").write_text(unlike, encoding="utf-8")
    return tmp_path


def told(app: ReaderApp) -> str:
    """The toasts shown so far."""
    return " ".join(note.message for note in app._notifications)


def screen_of(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def open_new_document(pilot: Pilot[Any], app: ReaderApp) -> MainScreen:
    """Wait for the model and the list's doubt; open d4 (not annotated)."""
    screen = screen_of(app)
    await wait_until(pilot, lambda: bool(screen.query("DocumentList")))
    await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
    await wait_until(pilot, lambda: screen.recommender.model is not None, timeout=30)
    await wait_until(pilot, lambda: all(e.doubt is not None for e in screen.documents.entries))
    screen.open_document(4)
    await pilot.pause()
    return screen


async def test_z_shows_the_models_suggestions_and_y_keeps_their_confidence(
    trained: Path, segmenter: Segmenter
) -> None:
    app = app_over(trained, segmenter)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_new_document(pilot, app)
        await pilot.press("z")
        await wait_until(pilot, lambda: len(screen.reader.suggestions) >= 8, timeout=30)
        first = screen.reader.suggestions[0]
        assert screen.reader.model is not None
        screen.reader.model.move_to(first[0])
        screen.reader.refresh_view()
        await pilot.pause()
        assert f"{first[2]}? model" in screen_text(app)
        await pilot.press("y")
        store = Store(trained / "store")
        (span,) = store.document("corpus/d4.txt", "tester").load().spans
        assert (span.start, span.end, span.label) == first
        assert span.origin is Origin.MODEL and span.confidence is not None
        assert 0 < span.confidence <= 1


async def test_the_list_shows_the_models_doubt_and_u_puts_the_least_sure_first(
    trained: Path, segmenter: Segmenter
) -> None:
    app = app_over(trained, segmenter)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_new_document(pilot, app)
        await pilot.press("escape")  # to the list
        assert "疑" in screen_text(app)  # the doubt column's heading
        documents = screen.documents
        before = list(documents.shown)
        await pilot.press("U")
        done = [i for i, e in enumerate(documents.entries) if e.work and e.work[1] is Status.DONE]
        not_done = [i for i in documents.shown if i not in done]
        assert documents.shown[: len(not_done)] == sorted(
            not_done, key=lambda i: -(documents.entries[i].doubt or 0)
        )
        assert set(documents.shown[len(not_done) :]) == set(done)  # done ones last
        assert documents.cursor == 0 and documents.current_index == 5  # d5, the unlike one
        assert "疑↓" in screen_text(app)
        await pilot.press("U")
        assert documents.shown == before and "疑↓" not in screen_text(app)


async def test_the_model_trains_again_in_the_background_while_keys_answer(
    tmp_path: Path, segmenter: Segmenter
) -> None:
    """No model yet; three spans removed (retrain_every = 3) start a training."""
    make_corpus(tmp_path, documents=4, who="tester")
    app = app_over(tmp_path, segmenter)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: bool(screen.query("DocumentList")))
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        screen.open_document(0)
        await pilot.pause()
        assert screen.recommender.model is None
        await pilot.press("x", "greater_than_sign", "x", "greater_than_sign", "x")
        await pilot.pause()
        assert screen.recommender.policy.training
        assert "training…" in screen_text(app)
        model = screen.reader.model
        assert model is not None
        before = model.cursor
        await pilot.press("l", "l", "l")  # keys answer while it trains
        assert model.cursor == before + 3
        await wait_until(pilot, lambda: screen.recommender.model is not None, timeout=60)
        await wait_until(pilot, lambda: "model trained: ner" in told(app))  # a message away
        assert "F1" in told(app)
        assert (tmp_path / "store" / ".models" / "ner.crfsuite").is_file()


async def test_too_few_spans_trains_nothing_and_says_how_many_are_needed(
    tmp_path: Path, segmenter: Segmenter
) -> None:
    make_corpus(tmp_path, documents=1, who="tester", status=Status.IN_PROGRESS)
    store = Store(tmp_path / "store")
    document = store.document("corpus/d0.txt", "tester")
    spans = document.load().spans
    document.apply((), [span.id for span in spans[:9]])  # 7 of 16 left: 10 are needed
    app = app_over(tmp_path, segmenter)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: bool(screen.query("DocumentList")))
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        screen.open_document(0)
        await pilot.pause()
        deletions = ("greater_than_sign", "x") * 3  # 7 spans left: 4 after this
        await pilot.press(*deletions)
        assert len(document.load().spans) == 4
        await wait_until(pilot, lambda: not screen.recommender.policy.training, timeout=60)
        await pilot.pause()
        assert "model: 10 spans needed" in screen_text(app)
        assert not (tmp_path / "store" / ".models" / "ner.crfsuite").exists()
        await pilot.press("U")
        await wait_until(pilot, lambda: "model: 10 spans needed" in told(app))


def test_snapshot_model_suggestions_and_the_doubt_column(
    snap_compare: SnapCompare, trained: Path, segmenter: Segmenter
) -> None:
    """80×24: the model's suggestions in d4, the list's doubt column beside it (the
    unlike document, d5, the least sure)."""

    async def before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        screen = await open_new_document(pilot, pilot.app)  # type: ignore[arg-type]
        await pilot.press("z")
        await wait_until(pilot, lambda: len(screen.reader.suggestions) >= 8, timeout=30)
        await pilot.press("l", "l", "f")  # on a suggestion; the list beside the text
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app_over(trained, segmenter), terminal_size=SIZE, run_before=before)


async def test_a_damaged_model_is_named_ignored_and_jieba_still_suggests(
    trained: Path, segmenter: Segmenter
) -> None:
    crf = trained / "store" / ".models" / "ner.crfsuite"
    crf.write_bytes(crf.read_bytes()[:100])  # truncated
    app = app_over(trained, segmenter)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: "ner.crfsuite" in told(app), timeout=30)
        assert "a new one is trained as you label" in told(app)
        assert screen.recommender.model is None
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        screen.open_document(4)
        await pilot.pause()
        await pilot.press("z")
        await wait_until(pilot, lambda: bool(screen.reader.suggestions), timeout=30)


async def model_used(root: Path, segmenter: Segmenter, who: str) -> bool:
    """Whether ``who``'s reader takes the store's model, once it has looked at it."""
    schema = parse_schema(LABELS)
    app = ReaderApp(
        [root / "corpus"], store=root / "store", annotator=who, segmenter=segmenter,
        labels=schema.labels, schema=schema,
    )  # fmt: skip
    async with app.run_test(size=SIZE) as pilot:
        screen = screen_of(app)
        await wait_until(pilot, lambda: "recommender" in screen.__dict__)  # started loading
        loading = [worker for worker in app.workers if worker.group == "model"]
        await wait_until(pilot, lambda: all(w.is_finished for w in loading), timeout=30)
        await pilot.pause()
        return screen.recommender.model is not None


async def test_blind_a_model_learnt_from_another_s_layer_is_not_used(
    trained: Path, segmenter: Segmenter
) -> None:
    """The store's model learnt tester's layer: on a blind team bob never gets it (its
    suggestions would be tester's spans); tester does."""
    from tui.core.assign import assign
    from tui.core.corpus import discover, id_root

    store = Store(trained / "store")
    refs = discover([trained / "corpus"], id_root(store.root))
    assign(store, [ref.doc_id for ref in refs], ["tester", "bob"], 2, blind=True)
    assert not await model_used(trained, segmenter, "bob")
    assert await model_used(trained, segmenter, "tester")
