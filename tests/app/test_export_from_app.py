"""A span labelled in the reader leaves in every format and script at the right place."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_reader_app import open_seed
from tests.conftest import AppFactory
from tui.core.formats import FORMATS
from tui.core.interchange import SCRIPTS, export_documents
from tui.core.store import Store

# Astral characters and an emoji before the entity shift UTF-16 offsets, not ours.
TEXT = "𠀀🎉张三在北京大学工作。\n第二段：李四。\n"
EXPECTED = {"original": "张三", "simplified": "张三", "traditional": "張三"}


@pytest.fixture
async def labelled(make_app: AppFactory, tmp_path: Path) -> Path:
    """The corpus folder after labelling 张三 PER in the app, shown in traditional script."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "doc.txt").write_text(TEXT, encoding="utf-8")
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_seed(pilot, app)
        await pilot.press("t", "l", "l", "v", "l", "1", "q")
    [span] = Store(tmp_path / "store").document("corpus/doc.txt", "tester").load().spans
    assert (span.start, span.end, span.text, span.label) == (2, 4, "张三", "PER")
    return corpus


@pytest.mark.parametrize("script", SCRIPTS)
@pytest.mark.parametrize("format_name", list(FORMATS))
async def test_a_span_labelled_in_the_app_exports_exactly(
    labelled: Path, tmp_path: Path, format_name: str, script: str
) -> None:
    out = tmp_path / f"out-{format_name}-{script}"
    report = export_documents(
        [labelled], format_name, out, store=Store(tmp_path / "store"), annotator="tester",
        script=script,
    )  # fmt: skip
    assert (report.documents, report.spans, report.dropped) == (1, 1, [])
    [document] = FORMATS[format_name].read(out)
    [span] = document.spans
    assert (span.label, span.text) == ("PER", EXPECTED[script])
    assert document.text[span.start : span.end] == EXPECTED[script]
