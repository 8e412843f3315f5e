"""doccano JSONL: exact round trips, CRLF texts, a clear error for every bad input, streaming."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from tui.core.formats import DocumentRecord, FormatError, SpanRecord
from tui.core.formats.doccano import read, write
from tui.core.formats.model import RelationRecord

# Astral CJK and emoji (a ZWJ family: five code points) come before every span.
TEXT = "𠀀𪚥👨‍👩‍👧🎉张三在北京大学读书。\n李四去上海！"


def at(text: str, part: str) -> tuple[int, int]:
    """The code-point offsets of ``part`` in ``text``."""
    start = text.index(part)
    return start, start + len(part)


def labelled(text: str, *spans: tuple[str, str]) -> list[list[object]]:
    """doccano ``label`` items for (covered text, label) pairs."""
    return [[*at(text, part), label] for part, label in spans]


RECORDS = [
    {
        "id": 1,
        "text": TEXT,
        "label": labelled(
            TEXT,
            ("张三", "PER"),
            ("北京大学", "ORG"),
            ("北京", "LOC"),  # nested in 北京大学
            ("三在北", "MISC"),  # overlaps both
            ("上海", "LOC"),
        ),
        "meta": {"source": "测试", "n": [1, 2]},
        "Comments": [],
    },
    {"text": "", "label": []},
    {"id": "doc-3", "text": "no spans here", "label": []},
]


def write_lines(path: Path, records: list[dict[str, object]]) -> Path:
    """A JSONL file of these records."""
    lines = [json.dumps(record, ensure_ascii=False) for record in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parsed(path: Path) -> list[object]:
    """The JSON value of each non-blank line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_export_of_an_import_gives_back_the_same_records(tmp_path: Path) -> None:
    source = write_lines(tmp_path / "in.jsonl", RECORDS)
    out = tmp_path / "out.jsonl"
    report = write(read(source), out)
    assert parsed(out) == RECORDS
    assert (report.documents, report.spans, report.dropped) == (3, 5, [])


def test_import_gives_code_point_spans_names_and_metadata(tmp_path: Path) -> None:
    first, empty, plain = read(write_lines(tmp_path / "in.jsonl", RECORDS))
    assert first.name == "1"
    assert first.text == TEXT
    assert [(span.label, span.text) for span in first.spans] == [
        ("PER", "张三"),
        ("ORG", "北京大学"),
        ("LOC", "北京"),
        ("MISC", "三在北"),
        ("LOC", "上海"),
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in first.spans)
    assert first.metadata == {"id": 1, "meta": {"source": "测试", "n": [1, 2]}, "Comments": []}
    assert (empty.name, empty.text, empty.spans, empty.line) == ("", "", (), 2)
    assert plain.name == "doc-3"


def test_the_entities_form_is_read_too(tmp_path: Path) -> None:
    record = {
        "id": 9,
        "text": TEXT,
        "entities": [
            {"id": 5, "label": "PER", "start_offset": 8, "end_offset": 10},
            {"id": 6, "label": "LOC", "start_offset": 11, "end_offset": 13},
        ],
        "relations": [{"id": 1, "from_id": 5, "to_id": 6, "type": "at"}],
    }
    [doc] = read(write_lines(tmp_path / "in.jsonl", [record]))
    assert [(s.label, s.text) for s in doc.spans] == [("PER", "张三"), ("LOC", "北京")]
    assert [s.source_id for s in doc.spans] == ["5", "6"]
    assert doc.relations == (RelationRecord("5", "6", "at", id="1"),)
    assert (doc.metadata, doc.warnings) == ({"id": 9}, ())


def test_blank_lines_are_skipped_and_an_empty_file_has_no_documents(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('\n{"text": "a", "label": []}\n\n  \n{"text": "b"}\n', encoding="utf-8")
    docs = list(read(source))
    assert [(doc.text, doc.line) for doc in docs] == [("a", 2), ("b", 5)]
    source.write_text("", encoding="utf-8")
    assert list(read(source)) == []


def test_crlf_texts_keep_each_span_text_and_label(tmp_path: Path) -> None:
    text = "第一行\r\n张三\r\n在北京\r\n"
    record = {"text": text, "label": labelled(text, ("张三", "PER"), ("北京", "LOC"))}
    record["label"].append([*at(text, "张三\r\n在"), "MISC"])
    [doc] = read(write_lines(tmp_path / "in.jsonl", [record]))
    assert doc.text == "第一行\n张三\n在北京\n"
    assert [(s.label, s.text) for s in doc.spans] == [
        ("PER", "张三"),
        ("LOC", "北京"),
        ("MISC", "张三\n在"),
    ]
    assert all(doc.text[s.start : s.end] == s.text for s in doc.spans)


def test_a_document_without_id_is_written_with_its_name(tmp_path: Path) -> None:
    doc = DocumentRecord("b/../x", "张三", (SpanRecord(0, 2, "PER", "张三", note="n"),))
    report = write([doc], tmp_path / "out.jsonl")
    assert parsed(tmp_path / "out.jsonl") == [
        {"text": "张三", "label": [[0, 2, "PER"]], "id": "b/../x"}
    ]
    assert report.warnings == ["document 'b/../x': notes of 1 span not written (doccano has none)"]


def test_a_bad_span_stops_the_export_and_leaves_no_file(tmp_path: Path) -> None:
    good = DocumentRecord("a", "张三", (SpanRecord(0, 2, "PER", "张三"),))
    bad = DocumentRecord("b", "张三", (SpanRecord(0, 2, "PER", "李四"),))
    out = tmp_path / "out.jsonl"
    with pytest.raises(FormatError, match="document 'b': span 'PER' 0-2"):
        write([good, bad], out)
    assert list(tmp_path.iterdir()) == []


def test_an_output_that_cannot_be_written(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"out\.jsonl: cannot write: No such file"):
        write([DocumentRecord("", "a", ())], tmp_path / "missing" / "out.jsonl")


def test_lone_surrogates_survive_a_round_trip(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "a\\ud800b", "label": [[0, 3, "X"]]}\n', encoding="utf-8")
    write(read(source), tmp_path / "out.jsonl")
    assert parsed(tmp_path / "out.jsonl") == [{"text": "a\ud800b", "label": [[0, 3, "X"]]}]


# ---------------------------------------------------------------------------- bad input


def error_for(tmp_path: Path, *lines: str) -> str:
    """The message reading a file of these lines gives; it names the file and a line."""
    source = tmp_path / "bad.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(read(source))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{source}:")
    return message.removeprefix(f"{source}:")


GOOD = '{"text": "张三", "label": [[0, 2, "PER"]]}'


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    assert error_for(tmp_path, GOOD, GOOD, '{"text": "a",').startswith("3: invalid JSON: ")


def test_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    assert error_for(tmp_path, GOOD, "[1, 2]") == "2: expected a JSON object, not list"


def test_a_missing_text(tmp_path: Path) -> None:
    assert error_for(tmp_path, '{"label": []}') == "1: 'text' must be a string, not missing"


def test_a_text_that_is_not_a_string(tmp_path: Path) -> None:
    assert "'text' must be a string, not int" in error_for(tmp_path, '{"text": 5}')


def test_a_label_item_that_is_not_a_triple(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "张三", "label": [[0, 2]]}')
    assert message.startswith("1: each 'label' item must be [start, end, label]")


def test_labels_that_are_not_a_list(tmp_path: Path) -> None:
    assert error_for(tmp_path, '{"text": "张三", "label": "PER"}').startswith("1: 'label' must")


def test_offsets_out_of_range(tmp_path: Path) -> None:
    message = error_for(tmp_path, GOOD, '{"text": "张三", "label": [[0, 3, "PER"]]}')
    assert message == "2: span 'PER' offsets 0-3 are out of range (the text has 2 characters)"


def test_reversed_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "张三", "label": [[2, 1, "PER"]]}')
    assert message.startswith("1: span 'PER' offsets 2-1 are reversed or empty")


def test_empty_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "张三", "label": [[1, 1, "PER"]]}')
    assert "reversed or empty" in message


def test_negative_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "张三", "label": [[-1, 1, "PER"]]}')
    assert message == "1: span 'PER' offsets -1-1 are negative"


def test_offsets_that_are_not_integers(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "张三", "label": [["0", 1, "PER"]]}')
    assert message.startswith("1: start offset must be an integer, not str")
    assert "must be an integer" in error_for(tmp_path, '{"text": "a", "label": [[true, 1, "X"]]}')


@pytest.mark.parametrize(
    ("label", "problem"),
    [("P[ER", "'['"), ("PER\\u0007", "U+0007"), ("", "non-empty"), ("L" * 21, "longer")],
)
def test_bad_labels(tmp_path: Path, label: str, problem: str) -> None:
    message = error_for(tmp_path, f'{{"text": "张三", "label": [[0, 2, "{label}"]]}}')
    assert message.startswith("1: label")
    assert problem in message


def test_whitespace_in_a_label_is_replaced_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "张三", "label": [[0, 2, "MY PER"]]}\n', encoding="utf-8")
    [doc] = read(source)
    assert doc.spans[0].label == "MY_PER"
    assert doc.warnings == (f"{source}:1: label 'MY PER' contains whitespace: read as 'MY_PER'",)


def test_an_entity_without_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "a", "entities": [{"label": "X", "end_offset": 1}]}')
    assert message == "1: entity has no 'start_offset'"


def test_both_span_keys_are_ambiguous(tmp_path: Path) -> None:
    message = error_for(tmp_path, '{"text": "a", "label": [], "entities": []}')
    assert message.startswith("1: has both 'label' and 'entities'")


def test_text_that_is_not_utf8(tmp_path: Path) -> None:
    source = tmp_path / "bad.jsonl"
    source.write_bytes(GOOD.encode() + b"\n" + '{"text": "张三"}'.encode("gb18030") + b"\n")
    with pytest.raises(FormatError, match=r"bad\.jsonl:2: not valid UTF-8"):
        list(read(source))


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match=r"nothing\.jsonl: cannot read"):
        list(read(tmp_path / "nothing.jsonl"))


# ---------------------------------------------------------------------------- streaming


def test_reading_a_large_file_keeps_memory_flat(tmp_path: Path) -> None:
    source = tmp_path / "large.jsonl"
    record = {"id": 1, "text": TEXT, "label": labelled(TEXT, ("张三", "PER"))}
    line = json.dumps(record, ensure_ascii=False) + "\n"
    source.write_text(line * 20_000, encoding="utf-8")
    size = source.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in read(source))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_000
    assert peak < size / 4
