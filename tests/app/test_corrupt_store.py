"""The reader and the review app over a store full of corrupt files (issue 12, items 2, 3, 6).

One run each over one corpus: a document per corrupt variant, its store files (the
annotator's, another annotator's, the gold layer's) replaced by that variant. The list
fills in, the corrupt document opens read-only naming its file, ``q`` quits, and every
file is left as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_reader_app import main_screen
from tests.conftest import AppFactory, screen_text, wait_until
from tests.core.test_review import annotate
from tests.corrupt_variants import STORE_VARIANTS, no_hang, plant, snapshot
from tui.app import ReaderApp
from tui.core.segment import Segmenter
from tui.core.spans import GOLD
from tui.core.store import Store
from tui.screens.review import ReviewScreen
from tui.widgets.document_list import UNREADABLE

TEXT = "张三在北京。"
SIZE = (80, 24)


@pytest.fixture
def corrupt_corpus(tmp_path: Path) -> dict[Path, object]:
    """Documents v00.txt... each with corrupt files of tester, alice and gold, and a good
    layer of bob; returns every planted path with what it was."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = Store(tmp_path / "store")
    planted: dict[Path, object] = {}
    for number, variant in enumerate(STORE_VARIANTS):
        name = f"v{number:02}.txt"
        (corpus / name).write_text(TEXT, encoding="utf-8")
        annotate(store, corpus, name, "bob", [(0, 2, "PER")])
        for who in ("tester", "alice", GOLD):
            path = store.path_for(f"corpus/{name}", who)
            plant(variant, path)
            planted[path] = snapshot(path)
    return planted


async def test_the_reader_lists_and_opens_documents_whose_files_are_corrupt(
    make_app: AppFactory, tmp_path: Path, corrupt_corpus: dict[Path, object]
) -> None:
    app = make_app(tmp_path / "corpus")
    with no_hang():
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            documents = main_screen(app).documents
            await wait_until(pilot, lambda: all(e.info for e in documents.entries), 30)
            assert len(documents.entries) == len(STORE_VARIANTS)
            assert all(entry.work == UNREADABLE for entry in documents.entries)
            # every row read (one title: the file names tell them apart), each marked ⚑
            assert "v01.txt · " in screen_text(app) and "⚑" in screen_text(app)
            await pilot.press("enter")  # v00: truncated JSON
            await pilot.pause()
            assert "read-only" in screen_text(app)
            await pilot.press("1")  # an edit is refused, the file stays
            await pilot.press("q")
        assert not app.is_running
    assert {path: snapshot(path) for path in corrupt_corpus} == corrupt_corpus


async def test_review_lists_documents_whose_layers_are_corrupt(
    segmenter: Segmenter, tmp_path: Path, corrupt_corpus: dict[Path, object]
) -> None:
    app = ReaderApp(
        [tmp_path / "corpus"],
        store=tmp_path / "store",
        annotator="rita",
        segmenter=segmenter,
        review=True,
    )
    with no_hang():
        async with app.run_test(size=(100, 24), notifications=True) as pilot:
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            entries = screen.documents.entries
            await wait_until(pilot, lambda: all(e.info and e.marks for e in entries), 30)
            assert all(entry.work == UNREADABLE for entry in entries)  # gold: ⚑
            await pilot.press("enter")
            await pilot.pause()
            assert "read-only" in screen_text(app)  # the gold layer is corrupt
            await pilot.press("q")
        assert not app.is_running
    assert {path: snapshot(path) for path in corrupt_corpus} == corrupt_corpus
