"""Import and export on a full or read-only disk: messages name what the user can act on."""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.core.interchange import InterchangeError, export_documents, import_source
from tui.core.store import Store

ROWS = [
    {"id": str(number), "text": f"第{number}句。", "label": [[0, 2, "X"]]}
    for number in (1, 2, 3, 4)
]


def write_source(folder: Path) -> Path:
    source = folder / "news.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in ROWS), encoding="utf-8")
    return source


def disk_full_after(monkeypatch: pytest.MonkeyPatch, writes: int, code: int = errno.ENOSPC) -> None:
    """Every file move (the last step of each atomic write) fails after ``writes`` of them."""
    real_replace: Callable[..., None] = os.replace
    done = 0

    def replace(source: str, target: str) -> None:
        nonlocal done
        if done >= writes:
            raise OSError(code, os.strerror(code), source)
        done += 1
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS])
def test_an_import_stopped_by_the_disk_says_what_is_in_and_that_running_again_completes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    source = write_source(tmp_path)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    disk_full_after(monkeypatch, 5, code)  # two documents (text and spans), one more text
    with pytest.raises(InterchangeError) as raised:
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    message = str(raised.value)
    assert "\n" not in message and ".tmp" not in message
    assert os.strerror(code) in message or "disk full" in message or "read-only" in message
    assert "2 of 4 documents" in message
    assert f"{corpus}/news/1.txt" in message and f"{corpus}/news/2.txt" in message
    assert "run the same import again to complete it" in message
    monkeypatch.undo()
    again = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (again.documents, again.new_spans) == (4, 2)
    assert sorted(path.name for path in (corpus / "news").iterdir()) == [
        "1.txt",
        "2.txt",
        "3.txt",
        "4.txt",
    ]


def test_an_import_that_writes_nothing_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_source(tmp_path)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    disk_full_after(monkeypatch, 0)
    with pytest.raises(InterchangeError, match="none of the 4 documents was written"):
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")


@pytest.mark.parametrize("form", ["doccano", "brat"])
def test_an_export_stopped_by_the_disk_names_out_not_a_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, form: str
) -> None:
    source = write_source(tmp_path)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    out = tmp_path / ("brat-out" if form == "brat" else "out.jsonl")
    real_write_bytes = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    disk_full_after(monkeypatch, 0)
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(InterchangeError) as raised:
        export_documents([corpus], form, out, store=store, annotator="doccano")
    monkeypatch.setattr(Path, "write_bytes", real_write_bytes)
    message = str(raised.value)
    assert str(out) in message and "No space left on device" in message
    assert ".tmp" not in message and f".{out.name}." not in message
    assert not out.exists()
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_an_import_stopped_after_one_document_names_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_source(tmp_path)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    disk_full_after(monkeypatch, 2)
    with pytest.raises(InterchangeError) as raised:
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    message = str(raised.value)
    assert f"1 of 4 documents written ({corpus}/news/1.txt):" in message
    assert message.startswith(f"import stopped: {corpus}/news/2.txt: No space left on device;")
