"""Store and corpus names survive a copy to Windows or macOS: no device names, no case twins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.formats.names import file_stem
from tui.core.interchange import export_documents, import_source
from tui.core.portable import is_device_name
from tui.core.store import Store, original_name, safe_name

DEVICES = ["con", "nul", "aux", "prn", "lpt1", "com1", "COM9", "con.txt", "NUL.json"]


@pytest.mark.parametrize("name", DEVICES)
def test_store_names_are_never_windows_devices(name: str) -> None:
    component = safe_name(name)
    assert not is_device_name(component)
    assert not is_device_name(f"{component}.json")
    assert original_name(component) == name


def test_ordinary_store_names_are_unchanged() -> None:
    assert safe_name("console") == "console"
    assert safe_name("com10") == "com10"
    assert safe_name("张三") == "张三"


def test_an_annotator_named_like_a_device_gets_a_portable_file(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    path = store.document("nul", "aux").path
    assert not any(is_device_name(part) for part in path.relative_to(store.root).parts)


@pytest.mark.parametrize("name", DEVICES)
def test_corpus_file_stems_are_never_windows_devices(name: str) -> None:
    stem = file_stem(name)
    assert not is_device_name(f"{stem}.txt")
    assert file_stem(name) != file_stem(name.upper()) or name == name.upper()


def test_imported_device_names_and_case_twins_keep_every_text(tmp_path: Path) -> None:
    rows = [
        {"id": "con", "text": "一"},
        {"id": "Con", "text": "二"},
        {"id": "lpt1", "text": "三"},
        {"id": "LPT1.x", "text": "四"},
    ]
    source = tmp_path / "aux.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="nul")
    assert report.new_documents == 4
    written = [path.relative_to(corpus) for path in corpus.rglob("*.txt")]
    assert len({str(path).casefold() for path in written}) == 4
    assert not any(is_device_name(part) for path in written for part in path.parts)


def test_a_source_named_like_another_in_another_case_gets_its_own_folder(
    tmp_path: Path,
) -> None:
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    for name, text in (("news", "一"), ("News", "二")):
        source = tmp_path / name / f"{name}.jsonl"
        source.parent.mkdir()
        source.write_text(json.dumps({"id": 1, "text": text}) + "\n", encoding="utf-8")
        for _ in range(2):  # again: idempotent
            import_source(source, "doccano", corpus=corpus, store=store, annotator="x")
    folders = sorted(path.name for path in corpus.iterdir())
    assert len(folders) == 2
    assert len({folder.casefold() for folder in folders}) == 2


def test_brat_export_keeps_case_twins_apart(tmp_path: Path) -> None:
    rows = [{"id": "Doc", "text": "一", "label": [[0, 1, "X"]]}, {"id": "doc", "text": "二"}]
    source = tmp_path / "s.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    import_source(source, "doccano", corpus=corpus, store=store, annotator="x")
    out = tmp_path / "brat"
    export_documents([corpus], "brat", out, store=store, annotator="x")
    texts = [path.name.casefold() for path in out.glob("*.txt")]
    assert len(texts) == len(set(texts)) == 2
