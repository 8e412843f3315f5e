"""Stable ids meet old stores: moved annotations, lookups, and annotations left outside."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_review import annotate
from tui.core.annotations import text_sha256
from tui.core.corpus import DocumentRef, discover, id_root
from tui.core.identity import MIGRATION_LOG, adopt_by_text, check_store, open_corpus
from tui.core.interchange import collect_stats, export_documents
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store

TEXTS = {"a.txt": "张三在北京大学工作。\n", "卷一/b.txt": "李四去了上海。\n"}


def old_annotate(store: Store, path: Path, old_id: str, spans: list[tuple[int, int, str]]) -> None:
    """Spans saved the way stores were written before ids were stable: under ``old_id``."""
    text = path.read_text(encoding="utf-8")
    sha, stamp = text_sha256(text), now_iso()
    records = [
        Span(new_span_id(), old_id, sha, s, e, text[s:e], label, "alice", stamp, stamp)
        for s, e, label in spans
    ]
    store.document(old_id, "alice").put_spans(records)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder: seeds/ with two texts; the store will be annotations/."""
    for name, text in TEXTS.items():
        path = tmp_path / "seeds" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def spans_seen(store: Store, refs: list[DocumentRef]) -> dict[str, set[tuple[int, int, str]]]:
    return {ref.name: set(store.document(ref.doc_id, "alice").span_keys()) for ref in refs}


def test_an_old_store_is_moved_to_stable_ids_once_and_logged(project: Path) -> None:
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / "a.txt", "a.txt", [(0, 2, "PER")])
    old_annotate(store, project / "seeds" / "卷一" / "b.txt", "卷一/b.txt", [(4, 6, "LOC")])
    check = open_corpus([project / "seeds"], store, write=True)
    assert [(found.old, found.new, found.moved) for found in check.adopted] == [
        ("a.txt", "seeds/a.txt", True),
        ("卷一/b.txt", "seeds/卷一/b.txt", True),
    ]
    assert store.document_ids() == ["seeds/a.txt", "seeds/卷一/b.txt"]
    [span] = store.document("seeds/a.txt", "alice").load().spans
    assert (span.doc_id, span.text) == ("a.txt", "张三")  # the id it was made under
    log = (store.root / MIGRATION_LOG).read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[1:] for line in log] == [
        ["moved", "a.txt", "seeds/a.txt"],
        ["moved", "卷一/b.txt", "seeds/卷一/b.txt"],
    ]
    assert "moved the annotations of 2 documents" in check.lines(store)[0]
    again = open_corpus([project / "seeds"], store, write=True)
    assert (again.adopted, again.lines(store)) == ([], [])


def test_read_only_commands_look_old_ids_up_and_write_nothing(project: Path) -> None:
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / "a.txt", "a.txt", [(0, 2, "PER")])
    check = open_corpus([project / "seeds"], store, write=False)
    assert spans_seen(store, check.refs)["a.txt"] == {(0, 2, "PER")}
    assert store.document_ids() == ["a.txt"]
    assert not (store.root / MIGRATION_LOG).exists()
    assert "found the annotations of 1 document under its old id" in check.lines(store)[0]


def test_annotations_outside_the_paths_given_are_counted_with_a_hint(project: Path) -> None:
    store = Store(project / "annotations")
    annotate(store, project / "seeds", "a.txt", "alice", [(0, 2, "PER")])
    annotate(store, project / "seeds", "卷一/b.txt", "alice", [(0, 2, "PER")])
    check = open_corpus([project / "seeds" / "卷一"], store, write=True)
    assert check.outside == ["seeds/a.txt"] and not check.adopted
    [line] = check.lines(store)
    assert "1 annotated document in" in line and "is not under the paths given (in seeds/)" in line


def test_annotations_whose_file_is_gone_are_named_and_kept(project: Path) -> None:
    store = Store(project / "annotations")
    annotate(store, project / "seeds", "a.txt", "alice", [(0, 2, "PER")])
    (project / "seeds" / "a.txt").unlink()
    check = open_corpus([project / "seeds"], store, write=True)
    assert list(check.gone) == ["seeds/a.txt"]
    assert "1 annotated document in" in check.lines(store)[0]
    assert "not found (seeds/a.txt)" in check.lines(store)[0]
    assert store.document_ids() == ["seeds/a.txt"]


def test_a_moved_file_finds_its_annotations_by_text(project: Path) -> None:
    store = Store(project / "annotations")
    annotate(store, project / "seeds", "a.txt", "alice", [(0, 2, "PER")])
    (project / "seeds" / "a.txt").rename(project / "seeds" / "renamed.txt")
    check = open_corpus([project / "seeds"], store, write=True)
    assert [(f.old, f.new) for f in check.adopted] == [("seeds/a.txt", "seeds/renamed.txt")]
    assert spans_seen(store, check.refs)["renamed.txt"] == {(0, 2, "PER")}


def test_the_reader_matches_a_moved_file_when_it_is_opened(project: Path) -> None:
    store = Store(project / "annotations")
    annotate(store, project / "seeds", "a.txt", "alice", [(0, 2, "PER")])
    (project / "seeds" / "a.txt").rename(project / "seeds" / "renamed.txt")
    check = open_corpus([project / "seeds"], store, write=True, every_text=False)
    assert not check.adopted and list(check.gone) == ["seeds/a.txt"]
    ref = next(ref for ref in check.refs if ref.name == "renamed.txt")
    found = adopt_by_text(store, ref, text_sha256(TEXTS["a.txt"]), check.gone, write=True)
    assert found is not None and not isinstance(found, str) and found.moved
    assert store.document("seeds/renamed.txt", "alice").span_keys() == {(0, 2, "PER")}
    assert check.gone == {}


def test_two_documents_with_the_same_text_are_not_guessed_between(project: Path) -> None:
    store = Store(project / "annotations")
    annotate(store, project / "seeds", "a.txt", "alice", [(0, 2, "PER")])
    shutil.copy(project / "seeds" / "a.txt", project / "seeds" / "copy1.txt")
    (project / "seeds" / "a.txt").rename(project / "seeds" / "copy2.txt")
    check = open_corpus([project / "seeds"], store, write=True)
    assert not check.adopted and "fit copy1.txt, copy2.txt alike" in check.problems[0]
    assert store.document_ids() == ["seeds/a.txt"]


def test_a_move_never_lands_on_a_folder_already_there(project: Path) -> None:
    store = Store(project / "annotations")
    old_annotate(store, project / "seeds" / "a.txt", "a.txt", [(0, 2, "PER")])
    refs = discover([project / "seeds"], id_root(store.root))
    ref = next(ref for ref in refs if ref.name == "a.txt")
    (store.root / "seeds%2Fa%2Etxt").mkdir()  # appears between the listing and the move
    check = check_store(store, refs, write=True)
    assert not check.adopted
    assert store.document("a.txt", "alice").span_keys() == {(0, 2, "PER")}
    assert ref.doc_id == "seeds/a.txt"


SPELLINGS = ["seeds", "seeds/", "./seeds", "{abs}/seeds", ".", "{abs}", "link"]


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        st.text(alphabet="张三李四北京上海。，的在了", min_size=3, max_size=12),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    spellings=st.lists(st.sampled_from(SPELLINGS), min_size=2, max_size=4),
)
def test_every_spelling_of_the_corpus_sees_the_same_texts_and_spans(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], spellings: list[str]
) -> None:
    project = tmp_path_factory.mktemp("project")
    for n, text in enumerate(texts):
        (project / "seeds" / f"d{n % 2}").mkdir(parents=True, exist_ok=True)
        (project / "seeds" / f"d{n % 2}" / f"{n}.txt").write_text(text, encoding="utf-8")
    (project / "link").symlink_to(project / "seeds", target_is_directory=True)
    store = Store(project / "annotations")
    for n in range(len(texts)):
        annotate(store, project / "seeds", f"d{n % 2}/{n}.txt", "alice", [(0, 2, "PER")])
    seen = []
    cwd = os.getcwd()
    try:
        os.chdir(project)
        for spelling in spellings:
            path = Path(spelling.format(abs=project))
            stats = collect_stats([path], Store(Path("annotations")))
            out = project / "out.jsonl"
            export_documents([path], "doccano", out, store=store, annotator="alice")
            rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            texts_and_spans = sorted((row["text"], repr(row["label"])) for row in rows)
            seen.append((stats.spans, stats.by_annotator["alice"], texts_and_spans))
    finally:
        os.chdir(cwd)
    assert all(found == seen[0] for found in seen)
    assert seen[0][0] == len(texts)


def test_a_moved_document_keeps_its_undo_history(project: Path) -> None:
    from tui.core.session import open_session

    store = Store(project / "annotations")
    text = TEXTS["a.txt"]
    before = open_session(store, "a.txt", "alice", text).session  # under the old id
    before.add(0, 2, "PER")
    before.add(3, 5, "LOC")
    open_corpus([project / "seeds"], store, write=True)
    opened = open_session(store, "seeds/a.txt", "alice", text)
    assert opened.problem is None
    session = opened.session
    assert session.undo() is not None
    assert [s.label for s in store.document("seeds/a.txt", "alice").load().spans] == ["PER"]
    assert session.redo() is not None and len(session.annotations.spans) == 2
