"""Import names: every source document gets its own text file, store file and spans."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.annotations import text_sha256
from tui.core.interchange import InterchangeError, import_source
from tui.core.store import Store

TEXTS = ("张三在北京。", "李四去了上海。", "王五回家了。")
#: Ids that collide: repeats, case twins, and the renaming pattern ``<id>-<8 hex>``.
IDS = ("a", "A", "b", *(f"a-{text_sha256(text)[:8]}" for text in TEXTS))


def write_doccano(path: Path, rows: list[dict[str, object]]) -> Path:
    lines = (json.dumps(row, ensure_ascii=False) for row in rows)
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def rows_with_own_labels(ids: list[str], texts: list[str]) -> list[dict[str, object]]:
    """One doccano row per id, each with a span whose label is the row's number."""
    return [
        {"id": doc_id, "text": text, "label": [[0, 2, f"L{number}"]]}
        for number, (doc_id, text) in enumerate(zip(ids, texts, strict=True))
    ]


def check_every_document_kept(
    corpus: Path, store: Store, rows: list[dict[str, object]], count: int
) -> None:
    """Each row has its own text file and store file, holding its spans and its id."""
    files = sorted(corpus.rglob("*.txt"))
    assert count == len(rows) == len(files)
    assert len({str(path).casefold() for path in files}) == len(files)
    holders: dict[str, tuple[str, str]] = {}
    for doc_id in store.document_ids():
        state = store.document(doc_id, "doccano").load()
        for span in state.spans:
            assert span.label not in holders
            holders[span.label] = (doc_id, str((state.source or {}).get("name")))
    assert len(holders) == len(rows)
    assert len({doc_id for doc_id, _ in holders.values()}) == len(rows)
    for number, row in enumerate(rows):
        doc_id, name = holders[f"L{number}"]
        assert name == row["id"]
        assert (store.root.parent / doc_id).read_text(encoding="utf-8") == row["text"]


def test_an_id_like_a_renamed_one_keeps_all_three_documents(tmp_path: Path) -> None:
    third = TEXTS[1]
    ids = ["a", f"a-{text_sha256(third)[:8]}", "a"]
    rows = rows_with_own_labels(ids, [TEXTS[0], TEXTS[2], third])
    source = write_doccano(tmp_path / "news.jsonl", rows)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    check_every_document_kept(corpus, store, rows, report.new_documents)


def test_the_same_id_and_text_twice_are_two_documents(tmp_path: Path) -> None:
    rows = rows_with_own_labels(["a", "a"], [TEXTS[0], TEXTS[0]])
    source = write_doccano(tmp_path / "news.jsonl", rows)
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    check_every_document_kept(corpus, store, rows, report.new_documents)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(IDS), st.sampled_from(TEXTS)),
        min_size=1,
        max_size=6,
    )
)
def test_colliding_ids_never_lose_a_document(documents: list[tuple[str, str]]) -> None:
    ids, texts = [doc_id for doc_id, _ in documents], [text for _, text in documents]
    rows = rows_with_own_labels(ids, texts)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = write_doccano(root / "news.jsonl", rows)
        corpus, store = root / "corpus", Store(root / "store")
        report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
        check_every_document_kept(corpus, store, rows, report.new_documents)
        assert report.documents == len(rows)
        again = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
        assert (again.documents, again.new_documents, again.new_spans) == (len(rows), 0, 0)
        check_every_document_kept(corpus, store, rows, again.documents)


@pytest.mark.parametrize("form", ["doccano", "label-studio"])
def test_a_text_with_a_lone_surrogate_is_refused_naming_file_and_line(
    tmp_path: Path, form: str
) -> None:
    corpus, store = tmp_path / "corpus", Store(tmp_path / "store")
    if form == "doccano":
        source = tmp_path / "bad.jsonl"
        source.write_text('{"id": 1, "text": "好"}\n{"id": 2, "text": "坏\\ud800"}\n')
    else:
        source = tmp_path / "bad.json"
        source.write_text('[\n{"data": {"text": "好"}},\n{"data": {"text": "坏\\ud800"}}\n]\n')
    with pytest.raises(InterchangeError) as raised:
        import_source(source, form, corpus=corpus, store=store, annotator="doccano")
    message = str(raised.value)
    assert f"{source}:3:" in message or f"{source}:2:" in message
    assert "U+D800" in message and "\n" not in message
    assert not corpus.exists()
