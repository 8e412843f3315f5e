"""Import into the corpus and store, export back out: exact, checked, never half-done."""

from __future__ import annotations

import json
from dataclasses import replace
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
from tui.core.review import GOLD
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
    assert [ref.doc_id for ref in refs] == [
        "corpus/news/1.txt",
        "corpus/news/2.txt",
        "corpus/news/3.txt",
    ]
    assert refs[0].path.read_text(encoding="utf-8") == DOCCANO[0]["text"]
    spans = store.document("corpus/news/1.txt", "doccano").load().spans
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
    assert len(store.document("corpus/news/1.txt", "doccano").load().spans) == 3


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
    (corpus / "news").mkdir(parents=True)
    (corpus / "news" / "2.txt").write_text("别人的文本", encoding="utf-8")
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    with pytest.raises(InterchangeError, match=r"news/2\.txt already holds a different text"):
        import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (corpus / "news" / "2.txt").read_text(encoding="utf-8") == "别人的文本"
    assert not (corpus / "news" / "1.txt").exists()


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
    path = store.path_for("corpus/news/1.txt", "doccano")
    data = json.loads(path.read_text(encoding="utf-8"))
    record = next(iter(data["spans"].values()))
    record["text"] = "王五"  # the stored text no longer matches the offsets
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(InterchangeError, match=rf"news/1\.txt: span {record['id']}"):
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
    store.document("corpus/news/1.txt", "bob").set_status(Status.DONE)
    stats = collect_stats([corpus], store)
    assert (stats.documents, stats.spans) == (3, 5)
    assert stats.by_label == {"PER": 2, "LOC": 2, "ORG": 1}
    assert stats.by_annotator == {"alice": 5, "bob": 0}
    assert stats.statuses["bob", "done"] == 1


# -- issue 11: an export holds only what was annotated ------------------------------------


def imported(tmp_path: Path, places: tuple[Path, Store], annotator: str = "alice") -> Path:
    """The DOCCANO rows imported as ``annotator``; the corpus folder."""
    corpus, store = places
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    import_source(source, "doccano", corpus=corpus, store=store, annotator=annotator)
    return corpus


def exported_ids(out: Path) -> list[object]:
    return [row["id"] for row in read_jsonl(out)]


def test_an_annotator_with_no_annotations_is_refused_naming_who_has_some(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places, "alice")
    store.document(corpus_refs(corpus, store)[0].doc_id, "bob").set_status(Status.DONE)
    out = tmp_path / "out.jsonl"
    with pytest.raises(InterchangeError, match=r"'alcie'.*'alice', 'bob'"):
        export_documents([corpus], "doccano", out, store=store, annotator="alcie")
    assert not out.exists()


def test_only_done_exports_what_the_annotator_marked_done_even_without_spans(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places)
    first, _, empty = corpus_refs(corpus, store)
    store.document(first.doc_id, "alice").set_status(Status.DONE)
    store.document(empty.doc_id, "alice").set_status(Status.DONE)  # no entities, and done
    out = tmp_path / "out.jsonl"
    report = export_documents([corpus], "doccano", out, store=store, annotator="alice", only="done")
    assert exported_ids(out) == [1, 3]
    assert "1 of 3 documents" in " ".join(report.notes)


def test_only_done_with_nothing_done_is_refused(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    imported(tmp_path, places)
    out = tmp_path / "out.jsonl"
    with pytest.raises(InterchangeError, match=r"'alice' marked none of the 3 documents done"):
        export_documents([corpus], "doccano", out, store=store, annotator="alice", only="done")
    assert not out.exists()


def test_gold_leaves_out_documents_never_reviewed_and_only_reviewed_keeps_finished_ones(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places)
    first, second, _ = corpus_refs(corpus, store)
    reviewed, started = store.document(first.doc_id, GOLD), store.document(second.doc_id, GOLD)
    reviewed.set_status(Status.DONE)
    started.set_status(Status.IN_PROGRESS)
    out = tmp_path / "out.jsonl"
    report = export_documents([corpus], "doccano", out, store=store, annotator=GOLD)
    assert exported_ids(out) == [1, 2]
    assert "1 of 3 documents never reviewed" in " ".join(report.notes)
    report = export_documents(
        [corpus], "doccano", out, store=store, annotator=GOLD, only="reviewed"
    )
    assert exported_ids(out) == [1]
    assert "2 of 3 documents not marked reviewed" in " ".join(report.notes)


def test_only_reviewed_is_for_the_gold_layer(tmp_path: Path, places: tuple[Path, Store]) -> None:
    corpus, store = places
    imported(tmp_path, places)
    with pytest.raises(InterchangeError, match="--only reviewed"):
        export_documents(
            [corpus], "doccano", tmp_path / "o.jsonl", store=store, annotator="alice",
            only="reviewed",
        )  # fmt: skip


def test_export_into_a_folder_for_a_one_file_format_says_so(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places)
    out = tmp_path / "exports"
    out.mkdir()
    with pytest.raises(InterchangeError) as error:
        export_documents([corpus], "doccano", out, store=store, annotator="alice")
    assert str(error.value) == (
        f"{out} is a folder, and doccano writes one file: give a file name, "
        f"such as {out / 'export.jsonl'}"
    )
    assert list(out.iterdir()) == [] and [p.name for p in tmp_path.glob(".*")] == []


# -- issue 11: import names that cannot collide across sources ----------------------------


def test_a_second_source_whose_ids_start_at_1_again_goes_beside_the_first(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    first = write_jsonl(tmp_path / "week1.jsonl", DOCCANO[:2])
    second = write_jsonl(tmp_path / "week2.jsonl", [{"id": 1, "text": "王五在广州。", "label": []}])
    import_source(first, "doccano", corpus=corpus, store=store, annotator="doccano")
    report = import_source(second, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (report.documents, report.new_documents) == (1, 1)
    assert [ref.name for ref in corpus_refs(corpus, store)] == [
        "week1/1.txt", "week1/2.txt", "week2/1.txt",
    ]  # fmt: skip
    again = import_source(second, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert (again.new_documents, again.new_spans) == (0, 0)


def test_a_corpus_imported_with_the_old_names_imports_again_adding_nothing(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    corpus.mkdir()
    for row in DOCCANO:  # as imports named texts before: corpus/<id>.txt
        (corpus / f"{row['id']}.txt").write_text(str(row["text"]), encoding="utf-8")
    source = write_jsonl(tmp_path / "news.jsonl", DOCCANO)
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert report.new_documents == 0
    assert [ref.name for ref in corpus_refs(corpus, store)] == ["1.txt", "2.txt", "3.txt"]
    assert len(store.document("corpus/1.txt", "doccano").load().spans) == 3


def test_an_empty_source_imports_nothing_and_creates_nothing(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    source = tmp_path / "empty.jsonl"
    source.write_text("", encoding="utf-8")
    report = import_source(source, "doccano", corpus=corpus, store=store, annotator="doccano")
    assert report.documents == 0
    assert not corpus.exists() and not store.root.exists()


def test_imported_documents_with_spans_are_in_progress(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places)
    statuses = [
        store.document(ref.doc_id, "alice").load().status for ref in corpus_refs(corpus, store)
    ]
    assert statuses == [Status.IN_PROGRESS, Status.IN_PROGRESS, Status.NEW]


def test_another_annotators_export_of_the_same_documents_joins_them(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places, "alice")
    bob = write_jsonl(tmp_path / "bob.jsonl", [{**DOCCANO[1], "label": [[1, 3, "PER"]]}])
    report = import_source(bob, "doccano", corpus=corpus, store=store, annotator="bob")
    assert (report.new_documents, report.new_spans) == (0, 1)
    assert len(corpus_refs(corpus, store)) == 3
    assert store.annotators("corpus/news/2.txt") == ["alice", "bob"]


def test_an_annotator_who_only_opened_documents_is_refused_and_nothing_is_written(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places, "alice")
    store.document(corpus_refs(corpus, store)[1].doc_id, "carol").set_cursor(
        3
    )  # read, no annotation
    out = tmp_path / "brat-out"
    with pytest.raises(InterchangeError, match=r"no annotations by 'carol'.*'alice'"):
        export_documents([corpus], "brat", out, store=store, annotator="carol")
    assert not out.exists() and [p.name for p in tmp_path.glob(".*")] == []


def test_a_span_the_format_refuses_is_named_with_out_not_a_temporary_file(
    tmp_path: Path, places: tuple[Path, Store]
) -> None:
    corpus, store = places
    imported(tmp_path, places, "alice")
    doc_id = corpus_refs(corpus, store)[1].doc_id
    [span, _] = store.document(doc_id, "alice").load().spans
    store.document(doc_id, "alice").put_span(replace(span, label="A B"))  # a hand-edited store
    out = tmp_path / "out.conll"
    with pytest.raises(InterchangeError) as error:
        export_documents([corpus], "conll-bio", out, store=store, annotator="alice")
    assert str(error.value).startswith(f"{out}: document '2': span 'A B' 1-3 '李四'")
    assert not out.exists() and [p.name for p in tmp_path.glob(".*")] == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("format_name", ["doccano", "brat"])
def test_an_out_nobody_can_write_is_named_not_a_temporary_file(
    tmp_path: Path, places: tuple[Path, Store], format_name: str
) -> None:
    corpus, store = places
    imported(tmp_path, places, "alice")
    out = Path("/proc/biaozhu-export")  # nothing can be created in /proc
    with pytest.raises(InterchangeError) as error:
        export_documents([corpus], format_name, out, store=store, annotator="alice")
    assert str(error.value).startswith(f"cannot write {out}: ")
