"""Every corrupt store file, fed to every reader and batch command (issue 12, items 2 and 3).

Each command runs in this process (``tui.batch.main``), so a crash is a failed test, not
an exit status: nothing may raise, each problem is one line naming the file, the file is
left untouched, and the other annotator's good file still counts.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from tests.core.test_review import annotate
from tests.corrupt_variants import DEEP, HUGE, STORE_VARIANTS, Variant, no_hang, plant, snapshot
from tui.batch import main
from tui.core.corpus import document_id, id_root
from tui.core.session import open_session
from tui.core.store import Store, StoreError

TEXT = "张三在北京。"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A corpus of one document that bob annotated well."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    annotate(Store(tmp_path / "annotations"), corpus, "a.txt", "bob", [(0, 2, "PER")])
    return tmp_path


def alice_path(project: Path) -> Path:
    store = Store(project / "annotations")
    return store.path_for(document_id(project / "corpus" / "a.txt", id_root(store.root)), "alice")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with no_hang():
        status = main(argv, "me")
    out, err = capsys.readouterr()
    return status, out, err


def command(name: str, project: Path) -> list[str]:
    corpus, store = str(project / "corpus"), str(project / "annotations")
    if name == "export":
        out = str(project / "out.jsonl")
        fixed = ["--format", "doccano", "--out", out, "--annotator", "alice", "--store", store]
        return ["export", corpus, *fixed]
    return [name, corpus, "--store", store]


@pytest.mark.parametrize("variant", STORE_VARIANTS, ids=str)
def test_every_reader_reports_a_corrupt_file_and_leaves_it(project: Path, variant: Variant) -> None:
    path = alice_path(project)
    plant(variant, path)
    before = snapshot(path)
    store = Store(project / "annotations")
    document = store.document("corpus/a.txt", "alice")
    assert document.path == path
    for read in (document.load, document.outline, document.summary):
        with no_hang(), pytest.raises(StoreError) as raised:
            read()
        assert str(raised.value).startswith(str(path)) and variant.problem in str(raised.value)
        assert "\n" not in str(raised.value)
    with no_hang(), pytest.raises(StoreError):  # a save never writes over it
        document.set_cursor(1)
    assert snapshot(path) == before


@pytest.mark.parametrize("name", ["stats", "agree", "export"])
@pytest.mark.parametrize("variant", STORE_VARIANTS, ids=str)
def test_every_command_reports_a_corrupt_file_in_one_line(
    project: Path, variant: Variant, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = alice_path(project)
    plant(variant, path)
    before = snapshot(path)
    status, out, err = run(command(name, project), capsys)
    [line] = err.strip().splitlines()
    assert str(path) in line and variant.problem in line
    if name == "export":
        assert status == 1 and line.startswith("biaozhu export: export stopped:")
        assert not (project / "out.jsonl").exists()
    else:
        assert status == 0 and line.startswith("warning:")
    if name == "stats":  # bob's good file still counts
        assert "documents: 1" in out and "spans: 1" in out
    assert snapshot(path) == before


def test_agree_leaves_out_the_file_the_others_call_corrupt(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reversed offsets: load refused them, agree used to count them."""
    [reversed_offsets] = [v for v in STORE_VARIANTS if v.name == "reversed"]
    plant(reversed_offsets, alice_path(project))
    status, out, err = run(command("agree", project), capsys)
    assert status == 0 and "left out" in err
    assert "fewer than two annotators" in out


def test_a_fifo_in_place_of_a_store_file_is_read_by_no_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = alice_path(project)
    os.mkfifo(path)
    store = Store(project / "annotations")
    assert store.annotators("corpus/a.txt") == ["alice", "bob"]  # listed, so reported
    problems: list[str] = []
    with no_hang():
        outlines = store.outlines("corpus/a.txt", problems)
    assert list(outlines) == ["bob"] and problems == [
        f"{path}: cannot read: not a regular file (a FIFO)"
    ]


def plant_past_end(project: Path) -> Path:
    """alice's well-formed file with a span past the end of the text (a hand edit)."""
    store = Store(project / "annotations")
    annotate(store, project / "corpus", "a.txt", "alice", [(0, 2, "PER")])
    path = alice_path(project)
    [span] = store.document("corpus/a.txt", "alice").load().spans
    store.document("corpus/a.txt", "alice").put_span(replace(span, start=40, end=42))
    return path


def test_a_span_past_the_end_is_kept_and_flagged_by_every_command(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 12 item 6: stats counts it (it is kept), agree leaves it out saying so, export
    stops naming it, and opening the document flags it ⚑."""
    path = plant_past_end(project)
    before = path.read_bytes()
    status, out, err = run(command("stats", project), capsys)
    assert status == 0 and "spans: 2" in out and err == ""
    status, out, err = run(command("agree", project), capsys)
    assert status == 0
    assert "1 span of 'alice' past the end of the text (left out)" in err
    assert "alice" in out and "0.00" in out  # alice has no span of this text
    status, out, err = run(command("export", project), capsys)
    assert status == 1 and "40-42" in err and "nothing exported" in err
    opened = open_session(Store(project / "annotations"), "corpus/a.txt", "alice", TEXT)
    [flagged] = [s for s in opened.session.annotations.spans if s.flagged]
    assert (flagged.start, flagged.end) == (len(TEXT), len(TEXT))
    assert opened.problem is not None and "flagged ⚑ 1 span" in opened.problem
    assert path.read_bytes() == before  # nothing rewritten on opening


@pytest.mark.parametrize("variant", STORE_VARIANTS, ids=str)
def test_a_corrupt_undo_history_is_ignored_and_the_document_opens(
    project: Path, variant: Variant
) -> None:
    store = Store(project / "annotations")
    history = store.document("corpus/a.txt", "bob").history_path
    plant(variant, history)
    with no_hang():
        opened = open_session(store, "corpus/a.txt", "bob", TEXT)
    assert opened.problem is not None and "undo history ignored" in opened.problem
    assert len(opened.session.annotations.spans) == 1


@pytest.mark.parametrize("step", [HUGE, DEEP, "NaN"], ids=["huge", "deep", "nan"])
def test_an_unreadable_undo_step_is_refused_not_raised(project: Path, step: str) -> None:
    store = Store(project / "annotations")
    history = store.document("corpus/a.txt", "bob").history_path
    header = '{"format": "biaozhu-undo-history", "version": 1, "doc_id": "corpus/a.txt", "done": 1}'
    history.write_text(f'{header}\n{{"kind": "spans", "before": {step}}}\n', encoding="ascii")
    opened = open_session(store, "corpus/a.txt", "bob", TEXT)
    assert opened.problem is None
    assert opened.session.undo() is None
    assert "cannot be read" in (opened.session.notice or "")
    assert len(opened.session.annotations.spans) == 1
