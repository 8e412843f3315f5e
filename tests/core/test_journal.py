"""Edits of a large store file go to a journal beside it, folded in atomically later.

The journal is used from 1 MiB on; these tests lower that to nothing, so small files
behave as large ones would (a 100 000-span file would make them slow).
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core import journal, store_read
from tui.core.spans import Status
from tui.core.store import DocumentStore, Store, StoreError


@pytest.fixture
def document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DocumentStore:
    """A store file of 100 spans that takes its edits in a journal."""
    monkeypatch.setattr(store_read, "JOURNAL_FROM_BYTES", 0)
    document = Store(tmp_path / "store").document("doc", "alice")
    document.put_spans([make_span(10 * n) for n in range(100)])  # a new file: written whole
    return document


def journal_of(document: DocumentStore) -> Path:
    return document.path.with_suffix(".journal")


def fold(document: DocumentStore) -> None:
    """Any change other than an edit rewrites the file with the journal folded in."""
    document.merge_spans([], "ab" * 32)


def test_an_edit_is_appended_beside_the_file_and_read_back_with_it(
    document: DocumentStore,
) -> None:
    before = document.path.read_bytes()
    added, gone = make_span(5000, "LOC"), document.load().spans[0]
    document.put_span(added)
    document.delete_span(gone.id)
    document.set_decided([(0, 2)])
    document.set_status(Status.DONE)
    assert document.path.read_bytes() == before  # the 100 spans were not written again
    assert len(journal_of(document).read_bytes().splitlines()) == 4
    state = document.load()
    assert added in state.spans and gone not in state.spans and len(state.spans) == 100
    assert state.decided == ((0, 2),) and state.status is Status.DONE
    assert (5000, 5002, "LOC") in document.outline().keys
    assert Store(document.path.parent.parent).summary("doc", "alice") == (100, Status.DONE)
    fold(document)
    assert not journal_of(document).exists()
    folded = document.load()
    assert folded.spans == state.spans
    assert (folded.decided, folded.status) == (state.decided, state.status)


def test_the_journal_is_folded_in_once_it_is_a_share_of_the_file(
    document: DocumentStore,
) -> None:
    size = document.path.stat().st_size
    added = []
    while not added or journal_of(document).exists():
        added.append(make_span(5000 + 10 * len(added)))
        document.put_span(added[-1])
    # Folded when the journal reached an eighth of the file: a few edits, not one each.
    assert 1 < len(added) <= size // 8 // 300 + 2
    assert set(added) <= set(document.load().spans)
    assert all(span.id in document.path.read_text(encoding="utf-8") for span in added)


def test_a_journal_already_folded_in_is_ignored_and_replaced(document: DocumentStore) -> None:
    first = make_span(5000)
    document.put_span(first)
    stale = journal_of(document).read_bytes()
    fold(document)
    document.delete_span(first.id)
    fold(document)
    journal_of(document).write_bytes(stale)  # left by a writer killed before removing it
    assert first not in document.load().spans  # never brought back
    second = make_span(6000)
    document.put_span(second)
    spans = document.load().spans
    assert second in spans and first not in spans
    assert len(journal_of(document).read_bytes().splitlines()) == 1


def test_a_torn_last_line_is_ignored_and_cut_off_by_the_next_edit(
    document: DocumentStore,
) -> None:
    first, second = make_span(5000), make_span(6000)
    document.put_span(first)
    with journal_of(document).open("ab") as file:
        file.write(b'{"base":"')  # a writer killed mid-append
    assert first in document.load().spans
    document.put_span(second)
    assert {first, second} <= set(document.load().spans)
    assert journal_of(document).read_bytes().count(b"\n") == 2
    assert journal_of(document).read_bytes().endswith(b"}\n")


def test_a_full_disk_while_appending_changes_nothing_and_the_next_edit_works(
    document: DocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    document.put_span(make_span(5000))
    before = document.load()
    real_pwrite = os.pwrite

    def half_then_full(fd: int, data: bytes, offset: int) -> int:
        real_pwrite(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patch:
        patch.setattr(os, "pwrite", half_then_full)
        with pytest.raises(StoreError, match="cannot save: disk full"):
            document.put_span(make_span(6000))
    assert document.load() == before
    late = make_span(7000)
    document.put_span(late)
    assert set(document.load().spans) == {*before.spans, late}


def test_another_process_appending_is_read_before_this_one_appends(
    document: DocumentStore,
) -> None:
    ours, theirs = make_span(5000), make_span(6000)
    document.put_span(ours)
    other = DocumentStore(document.path)
    other.put_span(theirs)
    journal._known.clear()  # as in another process: nothing known of this journal
    store_read._bases.clear()
    last = make_span(7000)
    document.put_span(last)
    assert {ours, theirs, last} <= set(document.load().spans)


def test_a_bad_edit_in_the_journal_is_reported_and_never_folded_in(
    document: DocumentStore,
) -> None:
    from tui.core.store import CorruptStoreError

    document.put_span(make_span(5000))
    line = journal_of(document).read_bytes().splitlines()[0]
    base = line[line.index(b'"base":') :].rstrip(b"}")
    with journal_of(document).open("ab") as file:
        file.write(b'{"state":{"cursor":-4},' + base + b"}\n")  # hand-edited
    before = document.path.read_bytes()
    with pytest.raises(CorruptStoreError, match="bad cursor -4"):
        document.load()
    with pytest.raises(CorruptStoreError):
        fold(document)
    assert document.path.read_bytes() == before
