"""Import into the corpus and store, export back out: exact, checked, never half-done."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.corpus import DocumentRef, discover, id_root
from tui.core.formats.names import file_stem
from tui.core.interchange import (
    InterchangeError,
    collect_stats,
    export_documents,
    import_source,
)
from tui.core.spans import Origin, Status
from tui.core.store import Store

# Astral characters and emoji before the spans, nested spans, Chinese text.
DOCCANO = [
    {
        "id": 1,
        "text": "𠀀𪚥👨‍👩‍👧 张三在北京大学工作。",
        "label": [[8, 10, "PER"], [11, 15, "ORG"], [11, 13, "LOC"]],
        "meta": {"source": "新闻"},
    },
    {"id": 2, "text": "🎉李四去了上海。", "label": [[1, 3, "PER"], [5, 7, "LOC"]]},
    {"id": 3, "text": "没有实体的句子。", "label": []},
]


def write_jsonl(path: Path, rows: list[dict[str, object]], newline: str = "\n") -> Path:
    path.write_text(
        newline.join(json.dumps(row, ensure_ascii=False) for row in rows) + newline,
        encoding="utf-8",
    )
    return path


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def normalised(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows with their span lists sorted: span order is not part of the data."""
    return [{**row, "label": sorted(row["label"])} for row in rows]  # type: ignore[arg-type]


@pytest.fixture
def places(tmp_path: Path) -> tuple[Path, Store]:
    return tmp_path / "corpus", Store(tmp_path / "store")


def corpus_refs(corpus: Path, store: Store) -> list[DocumentRef]:
    """The corpus's documents with the ids the store knows them by."""
    return discover([corpus], id_root(store.root))


def test_doccano_round_trip_is_exact(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (report.documents, report.new_documents, report.new_spans) == (3, 3, 5)
    out = tmp_path / "out.jsonl"
    export_documents([corpus], "doccano", out, store=store, annotator="doccano")
    assert normalised(read_jsonl(out)) == normalised(DOCCANO)


def test_imported_texts_and_spans_land_in_the_corpus_and_store(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    refs = corpus_refs(corpus, store)
    assert [ref.doc_id for ref in refs] == ["corpus/1.txt", "corpus/2.txt", "corpus/3.txt"]
    assert refs[0].path.read_text(encoding="utf-8") == DOCCANO[0]["text"]
    spans = store.document("corpus/1.txt", "doccano").load().spans
    assert {(s.start, s.end, s.label, s.text) for s in spans} == {
        (8, 10, "PER", "张三"),
        (11, 13, "LOC", "北京"),
        (11, 15, "ORG", "北京大学"),
    }
    assert all(span.origin is Origin.IMPORT for span in spans)


def test_importing_the_same_source_twice_adds_nothing(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    again = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (again.new_documents, again.new_spans) == (0, 0)
    assert len(corpus_refs(corpus, store)) == 3
    assert len(store.document("corpus/1.txt", "doccano").load().spans) == 3


def test_bad_input_is_refused_whole(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    source = tmp_path / "bad.jsonl"
    good = json.dumps(DOCCANO[0], ensure_ascii=False)
    source.write_text(f"{good}\n{{not json\n", encoding="utf-8")
    with pytest.raises(InterchangeError, match=r"bad\.jsonl:2:"):
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert not corpus.exists()
    assert store.document_ids() == []


def test_a_different_text_already_in_the_corpus_is_never_replaced(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    corpus.mkdir()
    (corpus / "2.txt").write_text("别人的文本", encoding="utf-8")
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    with pytest.raises(InterchangeError, match=r"2\.txt already holds a different text"):
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (corpus / "2.txt").read_text(encoding="utf-8") == "别人的文本"
    assert not (corpus / "1.txt").exists()


def test_hostile_names_stay_inside_the_corpus(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    rows = [{"id": "../../x", "text": "文本一", "label": []}, {"id": "/etc/y", "text": "二"}]
    source = write_jsonl(tmp_path / "evil.jsonl", rows)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    written = sorted(path for path in tmp_path.rglob("*.txt"))
    assert len(written) == 2
    assert all(path.is_relative_to(corpus) for path in written)


def test_file_stems_are_safe_readable_and_distinct() -> None:
    assert file_stem("第1回") == "第1回"
    assert file_stem("doc-2.v1") == "doc-2.v1"
    assert "/" not in file_stem("../../x") and not file_stem("../../x").startswith(".")
    assert file_stem("a/b") != file_stem("a_b")
    assert len(file_stem("长" * 500)) <= 80


def test_crlf_text_keeps_exact_span_text(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    text = "第一行\r\n张三在北京。\r\n"
    start = text.index("张三")
    rows = [{"text": text, "label": [[start, start + 2, "PER"], [start + 3, start + 5, "LOC"]]}]
    source = write_jsonl(tmp_path / "crlf.jsonl", rows)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    [ref] = corpus_refs(corpus, store)
    canonical = ref.path.read_text(encoding="utf-8")
    assert "\r" not in canonical
    spans = store.document(ref.doc_id, "doccano").load().spans
    assert {(canonical[s.start : s.end], s.label) for s in spans} == {
        ("张三", "PER"),
        ("北京", "LOC"),
    }


def test_export_stops_naming_a_span_whose_text_moved(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO[:1])
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    path = store.path_for("corpus/1.txt", "doccano")
    data = json.loads(path.read_text(encoding="utf-8"))
    record = next(iter(data["spans"].values()))
    record["text"] = "王五"  # the stored text no longer matches the offsets
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InterchangeError, match=rf"1\.txt: span {record['id']}"):
        export_documents([corpus], "doccano", out, store=store, annotator="doccano")
    assert not out.exists()


def test_export_in_the_other_script_moves_spans_with_the_text(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    text = "我的内存条在台湾买的。张三说。"
    start = text.index("张三")
    rows = [{"text": text, "label": [[start, start + 2, "PER"], [2, 5, "MISC"]]}]
    source = write_jsonl(tmp_path / "tw.jsonl", rows)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    out = tmp_path / "out.jsonl"
    export_documents(
        [corpus], "doccano", out, store=store, annotator="doccano",
        script="traditional", variant="s2twp",
    )  # fmt: skip
    [row] = read_jsonl(out)
    shown = str(row["text"])
    assert "記憶體" in shown and len(shown) != len(text)  # a length-changing phrase
    pieces = {(shown[s:e], label) for s, e, label in row["label"]}  # type: ignore[misc]
    assert pieces == {("張三", "PER"), ("記憶體模組", "MISC")}  # 内存条: a phrase of its own


def test_stats_count_documents_spans_labels_annotators_and_statuses(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    import_source(source, "doccano", corpus=corpus, store=store, annotator="alice")
    store.document("corpus/1.txt", "bob").set_status(Status.DONE)
    stats = collect_stats([corpus], store)
    assert (stats.documents, stats.spans) == (3, 5)
    assert stats.by_label == {"PER": 2, "LOC": 2, "ORG": 1}
    assert stats.by_annotator == {"alice": 5, "bob": 0}
    assert stats.statuses["bob", "done"] == 1
