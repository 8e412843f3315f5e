"""The assignment in the reader and the batch commands: an annotator's queue first with its
progress, someone not in the assignment reading only, blind teams, ``assign`` and ``stats``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.test_reader_app import main_screen, open_seed
from tests.app.test_snapshots import SMALL, SnapCompare, keys_then_settle
from tests.conftest import SEEDS, screen_text, wait_until
from tests.core.test_review import annotate
from tui.app import ReaderApp
from tui.batch import main as batch_main
from tui.core.assign import assign, read_assignment
from tui.core.corpus import discover, id_root
from tui.core.review import ReviewerError
from tui.core.segment import Segmenter
from tui.core.spans import Status
from tui.core.store import Store

SEED_NAMES = sorted(path.name for path in SEEDS.glob("*.txt"))


def assign_seeds(store: Store, blind: bool = False) -> list[str]:
    """The seeds to alice (the 1st, 3rd and 5th) and bob (the 2nd and 4th); their ids."""
    ids = sorted(ref.doc_id for ref in discover([SEEDS], id_root(store.root)))
    assign(store, ids, ["alice", "bob"], 1, blind=blind)
    return ids


def reader(segmenter: Segmenter, tmp_path: Path, annotator: str) -> ReaderApp:
    return ReaderApp([SEEDS], store=tmp_path / "store", annotator=annotator, segmenter=segmenter)


def listed(app: ReaderApp) -> list[str]:
    documents = main_screen(app).documents
    return [documents.entries[index].ref.name for index in documents.shown]


async def test_an_annotator_sees_their_queue_and_its_progress_then_f_shows_all(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    ids = assign_seeds(store)
    store.document(ids[2], "alice").set_status(Status.DONE)
    app = reader(segmenter, tmp_path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        documents = main_screen(app).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        assert listed(app) == [SEED_NAMES[0], SEED_NAMES[2], SEED_NAMES[4]]
        assert "队列 3 · done 1 ▰▰▱" in screen_text(app)
        await pilot.press("F")
        assert documents.status_filter == "all" and listed(app) == SEED_NAMES
        assert "文档 5 · done 1" in screen_text(app)
        for _ in range(4):  # to do, done, back to my queue
            await pilot.press("F")
            if documents.status_filter == "my queue":
                break
        assert documents.status_filter == "my queue" and len(listed(app)) == 3
        await pilot.press("home", "enter", "D", "escape")  # the first of the queue: done
        assert "队列 3 · done 2 ▰▰▰▰▰" in screen_text(app)


async def test_without_an_assignment_the_list_is_as_before(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    app = reader(segmenter, tmp_path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        documents = main_screen(app).documents
        await wait_until(pilot, lambda: all(e.info for e in documents.entries))
        assert documents.status_filter == "all" and listed(app) == SEED_NAMES
        assert "文档 5 · done 0" in screen_text(app)
        await pilot.press("F")
        assert documents.status_filter == "to do"  # "my queue" is not offered


async def test_an_annotator_not_in_the_assignment_is_told_once_and_reads_only(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    ids = assign_seeds(store)
    app = reader(segmenter, tmp_path, "zoe")
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await open_seed(pilot, app)
        told = [note.message for note in app._notifications]
        assert len(told) == 1 and "zoe is not in this store's assignment" in told[0]
        assert "team: alice, bob" in told[0] and "reading only" in told[0]
        assert listed(app) == SEED_NAMES  # every document, to read
        await pilot.press("1", "w", "w", "D")
        assert "read-only" in screen_text(app)
        await pilot.press("q")
    assert all(store.annotators(doc_id) == [] for doc_id in ids)  # nothing written


def test_snapshot_queue_view(
    snap_compare: SnapCompare, segmenter: Segmenter, tmp_path: Path
) -> None:
    """At 80×24: alice's queue, three of the five seeds, one done, under 队列 3 · done 1."""
    store = Store(tmp_path / "store")
    ids = assign_seeds(store)
    store.document(ids[2], "alice").set_status(Status.DONE)
    app = reader(segmenter, tmp_path, "alice")
    assert snap_compare(app, terminal_size=SMALL, run_before=keys_then_settle())


# -- blind ---------------------------------------------------------------------------------


def test_blind_an_annotator_cannot_review(segmenter: Segmenter, tmp_path: Path) -> None:
    assign_seeds(Store(tmp_path / "store"), blind=True)
    with pytest.raises(ReviewerError, match="blind assignment"):
        ReaderApp([SEEDS], store=tmp_path / "store", annotator="bob", review=True)
    ReaderApp([SEEDS], store=tmp_path / "store", annotator="rita", review=True)  # a reviewer


@pytest.fixture
def blind_team(tmp_path: Path) -> Path:
    """Two documents both alice and bob annotated, blind; the store's folder."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = Store(tmp_path / "annotations")
    for name, text in {"a.txt": "张三在北京。\n", "b.txt": "李四去了上海。\n"}.items():
        (corpus / name).write_text(text, "utf-8")
        annotate(store, corpus, name, "alice", [(0, 2, "PER")])
        annotate(store, corpus, name, "bob", [(0, 2, "PER"), (3, 5, "LOC")])
    refs = discover([corpus], id_root(store.root))
    assign(store, [ref.doc_id for ref in refs], ["alice", "bob"], 2, blind=True)
    return tmp_path


def run(
    capsys: pytest.CaptureFixture[str], who: str, *argv: str, cwd: Path
) -> tuple[int, str, str]:
    """``biaozhu ARGV`` run by ``who`` in ``cwd``: status, stdout, stderr."""
    import os

    before = Path.cwd()
    os.chdir(cwd)
    try:
        status = batch_main(list(argv), who)
    finally:
        os.chdir(before)
    out, err = capsys.readouterr()
    return status, out, err


def test_blind_agreement_and_others_layers_are_for_reviewers(
    blind_team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "alice", "agree", "corpus", cwd=blind_team)
    assert status == 1 and out == ""
    assert "blind and alice annotates in it" in err
    exported = ("export", "corpus", "--format", "doccano", "--out", "x.jsonl")
    status, _, err = run(capsys, "alice", *exported, "--annotator", "bob", cwd=blind_team)
    assert status == 1 and "--annotator alice" in err and not (blind_team / "x.jsonl").exists()
    status, _, _ = run(capsys, "alice", *exported, "--annotator", "alice", cwd=blind_team)
    assert status == 0  # her own layer
    status, out, _ = run(capsys, "rita", "agree", "corpus", cwd=blind_team)
    assert status == 0 and "alice" in out and "bob" in out  # a reviewer sees everything


# -- the commands --------------------------------------------------------------------------


def test_assign_prints_the_counts_and_what_moved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("assign", str(SEEDS), "--store", "annotations", "--per-document", "1")
    status, out, err = run(capsys, "lead", *argv, "--annotators", "alice,bob", cwd=tmp_path)
    assert status == 0, err
    lines = out.splitlines()
    assert lines[0] == "assigned 5 new documents, 1 annotator per document"
    assert lines[1].split() == ["alice", "3"] and lines[2].split() == ["bob", "2"]
    assert lines[-1] == "nothing moved"
    status, out, _ = run(capsys, "lead", *argv, "--annotators", "alice,bob,carol", cwd=tmp_path)
    assert status == 0 and "assigned 0 new documents" in out
    assert "moved 1 place (work not begun):" in out and "alice → carol: 1 document" in out
    assert read_assignment(tmp_path / "annotations") is not None
    status, _, err = run(capsys, "lead", *argv, "--annotators", "alice,alice", cwd=tmp_path)
    assert status == 1 and err.strip() == "biaozhu assign: annotators named twice: alice"


def test_stats_shows_each_annotator_s_progress_over_the_queue(
    blind_team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(blind_team / "annotations")
    [first, _] = sorted(read_assignment(store.root).documents)  # type: ignore[union-attr]
    store.document(first, "bob").set_status(Status.DONE)
    status, out, _ = run(capsys, "lead", "stats", "corpus", cwd=blind_team)
    assert status == 0
    table = out[out.index("assignment (") :].splitlines()
    assert table[1].split()[:8] == ["alice", "2", "/", "0", "/", "2", "/", "0"]
    assert table[2].split()[:8] == ["bob", "2", "/", "1", "/", "1", "/", "0"]
    assert table[1].endswith("— /h")  # every span made at once: no active time


def test_assign_without_annotators_says_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "lead", "assign", str(SEEDS), cwd=tmp_path)
    assert status == 1 and out == ""
    assert err.strip() == "biaozhu assign: name the annotators: --annotators a,b,c"
    assert not (tmp_path / "annotations").exists()


def test_assign_run_again_without_flags_adds_only_new_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一", "utf-8")
    flags = ("--annotators", "alice,bob", "--per-document", "2", "--blind")
    assert run(capsys, "lead", "assign", "corpus", *flags, cwd=tmp_path)[0] == 0
    (corpus / "b.txt").write_text("二", "utf-8")
    status, out, _ = run(capsys, "lead", "assign", "corpus", cwd=tmp_path)
    assert status == 0
    assert out.splitlines()[0] == "assigned 1 new document, 2 annotators per document (blind)"
    assert read_assignment(tmp_path / "annotations").documents == {  # type: ignore[union-attr]
        "corpus/a.txt": ("alice", "bob"),
        "corpus/b.txt": ("alice", "bob"),
    }
