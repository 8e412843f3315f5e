"""A document is the same document however its folder is typed (issue: trust, item 1),
and the gold layer is the reviewer's alone (item 3)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.app.test_cli import run_cli
from tests.conftest import SEEDS, wait_until
from tests.core.test_identity import old_annotate
from tui.app import ReaderApp
from tui.core.identity import MIGRATION_LOG
from tui.core.segment import Segmenter
from tui.core.spans import AnnotatorError
from tui.core.store import Store
from tui.screens.main import MainScreen

FIRST = "000_8ad7f56698cb7e79.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder holding a copy of the seeds (the store goes in annotations/)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    return tmp_path


def reader(paths: list[Path], store: Path, segmenter: Segmenter, who: str = "tester") -> ReaderApp:
    return ReaderApp(paths, store=store, annotator=who, segmenter=segmenter)


async def first_entry_spans(app: ReaderApp, pilot: object) -> int:
    """The span count the list shows for the first seed, once it is known."""
    screen = app.screen
    assert isinstance(screen, MainScreen)
    entries = screen.documents.entries
    index = next(i for i, entry in enumerate(entries) if entry.ref.name.endswith(FIRST))
    await wait_until(pilot, lambda: entries[index].work is not None)
    work = entries[index].work
    assert work is not None
    return work[0]


async def test_spans_labelled_under_one_spelling_show_under_every_other(
    project: Path, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    app = reader([Path("seeds")], Path("annotations"), segmenter)
    async with app.run_test(size=(80, 24)) as pilot:
        await first_entry_spans(app, pilot)
        await pilot.press("enter", "1", "q")
    assert Store(project / "annotations").document_ids() == [f"seeds/{FIRST}"]
    spellings = [
        ([Path(".")], Path("annotations"), project),
        ([project / "seeds"], project / "annotations", project),
        ([Path(".")], Path("../annotations"), project / "seeds"),
        ([Path(FIRST)], Path("../annotations"), project / "seeds"),
    ]
    for paths, store, cwd in spellings:
        monkeypatch.chdir(cwd)
        again = reader(paths, store, segmenter)
        async with again.run_test(size=(80, 24)) as pilot:
            assert await first_entry_spans(again, pilot) == 1, (paths, store, cwd)


def test_stats_give_the_same_count_however_the_corpus_is_named(project: Path) -> None:
    store = Store(project / "annotations")
    text_file = project / "seeds" / FIRST
    old_annotate(store, text_file, FIRST, [(0, 2, "PER")])  # a store from before stable ids
    for args, cwd in (
        (["seeds"], project),
        (["."], project),
        ([str(project / "seeds")], project),
        ([".", "--store", "../annotations"], project / "seeds"),
    ):
        result = run_cli("stats", *args, cwd=cwd)
        assert result.returncode == 0, result.stderr
        assert "spans: 1" in result.stdout, (args, result.stdout, result.stderr)
        assert "under its old id" in result.stderr
    assert store.document_ids() == [FIRST]  # stats write nothing: the lookup is read-only


def test_stats_name_annotations_outside_the_paths_given(project: Path) -> None:
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / FIRST, f"seeds/{FIRST}", [(0, 2, "PER")])
    result = run_cli("stats", f"seeds/{'001_1ea231b12cc7f585.txt'}", cwd=project)
    assert result.returncode == 0 and "spans: 0" in result.stdout
    assert "1 annotated document in annotations is not under the paths given" in result.stderr
    assert "(in seeds/)" in result.stderr


async def test_the_reader_moves_an_old_store_once_and_says_so(
    project: Path, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / FIRST, FIRST, [(0, 2, "PER")])
    app = reader([Path("seeds")], Path("annotations"), segmenter, who="alice")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        assert await first_entry_spans(app, pilot) == 1
        told = [note.message for note in app._notifications]
        assert any("moved the annotations of 1 document" in message for message in told)
    assert store.document_ids() == [f"seeds/{FIRST}"]
    assert f"{FIRST}\tseeds/{FIRST}" in (store.root / MIGRATION_LOG).read_text("utf-8")


async def test_opening_a_moved_file_takes_its_annotations_and_says_so(
    project: Path, segmenter: Segmenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / FIRST, f"seeds/{FIRST}", [(0, 2, "PER")])
    (project / "seeds" / FIRST).rename(project / "seeds" / "zz-renamed.txt")
    app = reader([Path("seeds")], Path("annotations"), segmenter, who="alice")
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_until(pilot, lambda: all(e.info for e in screen.documents.entries))
        screen.open_document(len(screen.refs) - 1)  # zz-renamed.txt sorts last
        await pilot.pause()
        told = [note.message for note in app._notifications]
        assert any("found this text's annotations under seeds/" in m for m in told)
        session = screen.reader.session
        assert session is not None
        assert [(s.start, s.end, s.label) for s in session.annotations.spans] == [(0, 2, "PER")]
    assert store.document_ids() == ["seeds/zz-renamed.txt"]


@pytest.mark.parametrize("name", ["gold", "Gold", " gold "])
def test_annotating_as_gold_is_refused(project: Path, name: str) -> None:
    result = run_cli("seeds", "--annotator", name, cwd=project)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "gold layer" in line and "biaozhu review" in line
    assert not (project / "annotations").exists()


def test_the_app_refuses_gold_too(segmenter: Segmenter, project: Path) -> None:
    with pytest.raises(AnnotatorError):
        reader([project / "seeds"], project / "annotations", segmenter, who="gold")
