"""Fixtures of the app tests: a corpus with three annotators' layers, and review apps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.core.segment import Segmenter
from tui.core.store import Store

TEXTS = {"a.txt": "张三在北京大学工作。\n", "b.txt": "李四去了上海。\n"}
LAYERS = {
    "a.txt": {
        "alice": [(0, 2, "PER"), (3, 7, "ORG")],
        "bob": [(0, 2, "PER"), (3, 5, "LOC")],
        "carol": [(0, 2, "PER"), (3, 7, "ORG")],
    },
    "b.txt": {
        "alice": [(0, 2, "PER"), (4, 6, "LOC")],
        "bob": [(0, 2, "PER"), (4, 6, "LOC")],
        "carol": [(0, 2, "PER")],
    },
}
ReviewFactory = Callable[..., ReaderApp]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Two documents, three annotators who disagree once in each."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    store = Store(tmp_path / "store")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
        for annotator, spans in LAYERS[name].items():
            annotate(store, folder, name, annotator, spans)
    return folder


@pytest.fixture
def make_review(segmenter: Segmenter, tmp_path: Path, corpus: Path) -> ReviewFactory:
    def factory(reviewer: str = "rita", read_only: bool = False) -> ReaderApp:
        return ReaderApp(
            [corpus],
            store=tmp_path / "store",
            annotator=reviewer,
            segmenter=segmenter,
            review=True,
            read_only=read_only,
        )

    return factory
