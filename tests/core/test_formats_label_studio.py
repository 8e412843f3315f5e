"""Label Studio JSON: exact round trips, UTF-16 offsets, streaming parse, every bad input."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from tui.core.formats import DocumentRecord, FormatError, SpanRecord
from tui.core.formats.jsonarray import iter_array
from tui.core.formats.label_studio import read, write

TEXT = "𠀀𪚥👨‍👩‍👧🎉张三在北京大学读书。\n李四去上海！"


def value(part: str, *labels: str, text: str = TEXT) -> dict[str, object]:
    """A result value covering ``part`` (code points)."""
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part, "labels": list(labels)}


def result(result_id: str, part: str, *labels: str, **extra: object) -> dict[str, object]:
    """A labels result, as Label Studio exports it."""
    return {
        "value": value(part, *labels),
        "id": result_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        **extra,
    }


TASKS: list[dict[str, object]] = [
    {
        "id": 1,
        "data": {"text": TEXT, "title": "第一篇"},
        "annotations": [
            {
                "id": 10,
                "completed_by": 1,
                "result": [
                    result("a1", "张三", "PER", "MISC"),  # two labels on one result
                    result("a2", "北京大学", "ORG", meta={"text": ["名校"]}),
                    result("a3", "北京", "LOC"),  # nested in a2
                    result("a4", "三在北", "MISC", score=0.5),  # overlaps a1 and a3
                    result("a5", "上海", "LOC", to_name="doc", from_name="ner"),
                    {
                        "from_id": "a1",
                        "to_id": "a3",
                        "type": "relation",
                        "direction": "right",
                        "labels": [],
                    },
                    {"id": "c1", "type": "choices", "value": {"choices": ["ok"]}},
                ],
                "was_cancelled": False,
                "lead_time": 12.5,
            },
            {"id": 11, "completed_by": 2, "result": [result("b1", "李四", "PER")]},
        ],
        "predictions": [{"id": 3, "result": [result("p1", "李四", "PER")]}],
        "meta": {"batch": 2},
        "created_at": "2024-01-01T00:00:00Z",
    },
    {"id": 2, "data": {"text": "无标注"}, "annotations": []},
    {"id": 3, "data": {"text": ""}},
    {
        "id": "4",
        "data": {"text": TEXT},
        "annotations": [{"result": [result("x", "张三", "PER")]}],
    },
]


def write_tasks(path: Path, tasks: list[dict[str, object]], indent: int | None = 2) -> Path:
    """A Label Studio export of these tasks."""
    path.write_text(json.dumps(tasks, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


def test_export_of_an_import_gives_back_the_same_tasks(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    report = write(read(write_tasks(tmp_path / "in.json", TASKS)), out)
    assert json.loads(out.read_text(encoding="utf-8")) == TASKS
    assert (report.documents, report.dropped, report.warnings) == (4, [], [])


def test_import_gives_spans_notes_ids_and_warnings(tmp_path: Path) -> None:
    source = write_tasks(tmp_path / "in.json", TASKS)
    first, second, third, fourth = read(source)
    assert (first.name, first.text, first.line) == ("1", TEXT, 2)
    assert [(s.label, s.text, s.source_id, s.note) for s in first.spans] == [
        ("PER", "张三", "a1", ""),
        ("MISC", "张三", "a1", ""),
        ("ORG", "北京大学", "a2", "名校"),
        ("LOC", "北京", "a3", ""),
        ("MISC", "三在北", "a4", ""),
        ("LOC", "上海", "a5", ""),
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in first.spans)
    assert first.spans[4].extra == {
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "score": 0.5,
    }
    assert first.warnings == (
        f"{source}:2: task 1: only the first of 2 annotations is imported"
        " (the others are kept for export)",
        f"{source}:2: task 1: predictions are not imported (kept for export)",
    )
    assert first.metadata["data"] == {"title": "第一篇"}
    assert (second.name, second.spans, third.text) == ("2", (), "")
    assert "annotations" not in fourth.metadata  # nothing in it but the spans


def test_utf16_offsets_of_older_front_ends_are_converted(tmp_path: Path) -> None:
    text = "🎉张三𠀀李四"
    old = [
        {"value": {"start": 2, "end": 4, "text": "张三", "labels": ["PER"]}, "type": "labels"},
        {"value": {"start": 6, "end": 8, "text": "李四", "labels": ["PER"]}, "type": "labels"},
    ]
    source = write_tasks(
        tmp_path / "in.json", [{"data": {"text": text}, "annotations": [{"result": old}]}]
    )
    [doc] = read(source)
    assert [(s.start, s.end, s.text) for s in doc.spans] == [(1, 3, "张三"), (4, 6, "李四")]
    assert doc.warnings == (f"{source}:2: task 1: offsets read as UTF-16 code units (converted)",)
    out = tmp_path / "out.json"
    write([doc], out)
    [task] = json.loads(out.read_text(encoding="utf-8"))
    values = [item["value"] for item in task["annotations"][0]["result"]]
    assert [(v["start"], v["end"], v["text"]) for v in values] == [(1, 3, "张三"), (4, 6, "李四")]
    assert [item["id"] for item in task["annotations"][0]["result"]] == ["bz1", "bz2"]


def test_crlf_texts_keep_each_span_text_and_label(tmp_path: Path) -> None:
    text = "第一行\r\n张三\r\n在北京\r\n"
    results = [
        {"value": value("张三", "PER", text=text), "type": "labels"},
        {"value": value("北京", "LOC", text=text), "type": "labels"},
        {"value": value("张三\r\n在", "MISC", text=text), "type": "labels"},
    ]
    source = write_tasks(
        tmp_path / "in.json", [{"data": {"text": text}, "annotations": [{"result": results}]}]
    )
    [doc] = read(source)
    assert doc.text == "第一行\n张三\n在北京\n"
    assert [(s.label, s.text) for s in doc.spans] == [
        ("PER", "张三"),
        ("LOC", "北京"),
        ("MISC", "张三\n在"),
    ]


def test_documents_from_other_formats_get_ids_and_default_results(tmp_path: Path) -> None:
    docs = [
        DocumentRecord("doc1", "张三", (SpanRecord(0, 2, "PER", "张三", note="一\n二"),)),
        DocumentRecord("", "空", ()),
    ]
    out = tmp_path / "out.json"
    write(docs, out)
    assert json.loads(out.read_text(encoding="utf-8")) == [
        {
            "id": "doc1",
            "data": {"text": "张三"},
            "annotations": [
                {
                    "result": [
                        {
                            "id": "bz1",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "labels",
                            "value": {"start": 0, "end": 2, "text": "张三", "labels": ["PER"]},
                            "meta": {"text": ["一", "二"]},
                        }
                    ]
                }
            ],
        },
        {"data": {"text": "空"}},
    ]


def test_no_documents_make_an_empty_array(tmp_path: Path) -> None:
    write([], tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == []


def test_an_empty_file_or_array_has_no_documents(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("", encoding="utf-8")
    (tmp_path / "b.json").write_text(" [ ] \n", encoding="utf-8")
    assert list(read(tmp_path / "a.json")) == list(read(tmp_path / "b.json")) == []


# ---------------------------------------------------------------------------- streaming


def test_elements_cut_by_chunk_boundaries_are_read_whole(tmp_path: Path) -> None:
    numbers = [12345678901234567890 + n for n in range(20_000)] + [1.5e300, True, None, "x"]
    path = tmp_path / "numbers.json"
    path.write_text(json.dumps(numbers), encoding="utf-8")
    assert [element for _, element in iter_array(path)] == numbers


def test_a_task_longer_than_a_chunk_is_read_whole(tmp_path: Path) -> None:
    text = "长" * 300_000 + "张三"
    task = {"data": {"text": text}, "annotations": [{"result": [labels_result(text)]}]}
    [doc] = read(write_tasks(tmp_path / "in.json", [task], indent=None))
    assert (doc.text, doc.spans[0].text) == (text, "张三")


def labels_result(text: str) -> dict[str, object]:
    """A labels result for the 张三 in ``text``."""
    return {"type": "labels", "value": value("张三", "PER", text=text)}


def test_reading_a_large_file_keeps_memory_flat(tmp_path: Path) -> None:
    source = write_tasks(tmp_path / "large.json", TASKS[1:] * 6_667, indent=None)
    size = source.stat().st_size
    tracemalloc.start()
    try:
        count = sum(1 for _ in read(source))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 20_001
    assert peak < size / 4


def test_a_bad_task_early_in_a_large_file_is_reported_without_reading_on(tmp_path: Path) -> None:
    source = tmp_path / "large.json"
    rest = json.dumps(TASKS * 5_000, ensure_ascii=False)[1:]
    source.write_text('[{"data": {"text": "a"}} {"x": 1},' + rest, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(FormatError, match=r"large\.json:1: invalid JSON: expected ',' or ']'"):
            list(read(source))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < source.stat().st_size / 4


# ---------------------------------------------------------------------------- bad input


def error_for(tmp_path: Path, content: str) -> str:
    """The message reading this file gives, after ``path:``; it names the file and line."""
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        list(read(path))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    return message.removeprefix(f"{path}:")


def task_with(*results: object, text: str = "张三") -> str:
    """A one-task export, one line per task key."""
    task = {"data": {"text": text}, "annotations": [{"result": list(results)}]}
    return json.dumps([task], ensure_ascii=False, indent=1)


def span_result(start: object, end: object, text: object, labels: object) -> dict[str, object]:
    """A labels result with these value fields."""
    return {"type": "labels", "value": {"start": start, "end": end, "text": text, "labels": labels}}


def test_not_an_array(tmp_path: Path) -> None:
    assert error_for(tmp_path, '\n{"data": {}}') == "2: expected a JSON array of tasks, not '{'"


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    good = json.dumps({"data": {"text": "a"}})
    message = error_for(tmp_path, f'[\n{good},\n{good},\n{{"data": {{"text": "a",}}}}\n]')
    assert message.startswith("4: invalid JSON: Expecting property name")


def test_a_trailing_comma(tmp_path: Path) -> None:
    assert error_for(tmp_path, '[{"data": {"text": "a"}},\n]').startswith("2: invalid JSON")


def test_a_truncated_file(tmp_path: Path) -> None:
    assert error_for(tmp_path, '[{"data": {"text": "a"}},\n').startswith("2: invalid JSON")
    assert error_for(tmp_path, '[\n{"data": {"text": "a').startswith(
        "2: invalid JSON: Unterminated"
    )


def test_data_after_the_array(tmp_path: Path) -> None:
    assert error_for(tmp_path, "[]\n[]") == "2: invalid JSON: extra data after the array"


def test_a_task_that_is_not_an_object(tmp_path: Path) -> None:
    assert (
        error_for(tmp_path, '[{"data": {"text": "a"}},\n 5]')
        == "2: task 2: a task must be a JSON object, not int"
    )


def test_a_task_without_data(tmp_path: Path) -> None:
    assert error_for(tmp_path, '[{"text": "a"}]') == "1: task 1: the task has no 'data' object"


def test_data_without_text(tmp_path: Path) -> None:
    assert (
        error_for(tmp_path, '[{"data": {"content": "a"}}]')
        == "1: task 1: data 'text' must be a string, not missing"
    )


def test_annotations_that_are_not_a_list(tmp_path: Path) -> None:
    assert (
        error_for(tmp_path, '[{"data": {"text": "a"}, "annotations": {}}]')
        == "1: task 1: 'annotations' must be a list"
    )


def test_a_result_without_text(tmp_path: Path) -> None:
    result = {"type": "labels", "value": {"start": 0, "end": 2, "labels": ["PER"]}}
    assert (
        error_for(tmp_path, task_with(result)) == "2: task 1: a labels result has no value 'text'"
    )


def test_a_result_without_labels(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(0, 2, "张三", [])))
    assert message == "2: task 1: value 'labels' must be a non-empty list"


def test_offsets_that_are_not_integers(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(0, 2.0, "张三", ["PER"])))
    assert message == "2: task 1: value 'end' must be an integer, not float '2.0'"


def test_offsets_out_of_range(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(0, 5, "张三", ["PER"])))
    assert (
        message == "2: task 1: span 'PER' offsets 0-5 are out of range (the text has 2 characters)"
    )


def test_reversed_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(2, 0, "张三", ["PER"])))
    assert "offsets 2-0 are reversed or empty" in message


def test_a_text_that_no_reading_matches(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(1, 3, "李四", ["PER"]), text="🎉张三"))
    assert message == (
        "2: task 1: span 'PER' offsets 1-3: the source says it covers '李四'"
        " but the text there is '张三'"
    )


def test_a_bad_label(tmp_path: Path) -> None:
    message = error_for(tmp_path, task_with(span_result(0, 2, "张三", ["PER", "[b]"])))
    assert message == "2: task 1: label '[b]' contains '[' (markup is not allowed)"


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes('[{"data": {"text": "张三"}}]'.encode("gb18030"))
    with pytest.raises(FormatError, match=r"bad\.json: not valid UTF-8 \(near byte 20\)"):
        list(read(path))


@pytest.mark.parametrize("note", ["\x1b]52;c;UFdORUQ=\x07", "标题\x1b]0;t\x07", "左\u202e右"])
def test_a_note_with_control_characters_is_refused_naming_file_and_line(
    tmp_path: Path, note: str
) -> None:
    tasks: list[dict[str, object]] = [
        {"id": 1, "data": {"text": TEXT}, "annotations": [{"result": [
            result("a1", "张三", "PER", meta={"text": ["好的", note]}),
        ]}]},
    ]  # fmt: skip
    path = write_tasks(tmp_path / "ls.json", tasks, indent=None)
    with pytest.raises(FormatError) as caught:
        list(read(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:1: ")
    assert "note" in message and "control character" in message
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message
