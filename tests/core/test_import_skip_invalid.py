"""Importing real, imperfect data (issue 14, item 6): every problem named; --skip-invalid.

A refused import names every invalid entity (file, line, why) and writes nothing; with
``--skip-invalid`` everything else is imported exactly, and each entity left out, with what
refers to it, is named on stderr with the word ``skipped``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.batch import main
from tui.core.formats.problems import MAX_LISTED
from tui.core.store import Store

A_TEXT = "张三、李四在北京。\n"
B_TEXT = "王五去上海。"

A_ANN = [
    "T1\tPER 0 2\t张三",
    "T2\tPER 3 5\t李四",
    "T3\tGROUP 0 5\t张三;李四",  # the .ann has ";" where the text has "、"
    "T4\tLOC 6 8\t北京",
    "R1\tLocated Arg1:T1 Arg2:T4",
    "R2\tMember Arg1:T3 Arg2:T4",
    "#1\tAnnotatorNotes T3\t两人",
    "#2\tAnnotatorNotes T1\t主角",
    "A1\tPlural T3",
    "*\tEquiv T1 T3",
    "E1\tMeet:T2 Place:T4",
]
B_ANN = [
    "T1\tPER 0 2\t王五",
    "T2\tLOC 3 99\t上海",  # offsets past the end of the text
    "T3\tLOC 3 4;5 4\t上 。",  # a fragment whose end comes before its start
    "R1\tGoes Arg1:T1 Arg2:T2",
    "M1\tConfidence T3 High",
    "E1\tTravel:T1 Destination:T2",
    "A1\tNegated E1",
    "#1\tAnnotatorNotes E1\t没去",
]
#: What --skip-invalid keeps of each .ann: exactly the valid lines.
A_KEPT = ["R1\tLocated Arg1:T1 Arg2:T4", "E1\tMeet:T2 Place:T4"]
B_KEPT: list[str] = []


def brat_corpus(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def source(tmp_path: Path) -> Path:
    """A brat corpus with 3 bad entities in 2 files, and things that refer to them."""
    return brat_corpus(
        tmp_path / "news",
        {
            "a.txt": A_TEXT,
            "a.ann": "\n".join(A_ANN) + "\n",
            "b.txt": B_TEXT,
            "b.ann": "\n".join(B_ANN) + "\n",
            "c.txt": "没有标注。",
        },
    )


def run_import(
    tmp_path: Path, source: Path, fmt: str, *options: str
) -> tuple[int, list[str], list[str]]:
    argv = ["import", str(source), "--format", fmt, *options]
    places = ["--corpus", str(tmp_path / "corpus"), "--store", str(tmp_path / "annotations")]
    status = main([*argv, *places], "me")
    return status, *captured_lines()


_capsys: list[pytest.CaptureFixture[str]] = []


@pytest.fixture(autouse=True)
def _capture(capsys: pytest.CaptureFixture[str]) -> None:
    _capsys[:] = [capsys]


def captured_lines() -> tuple[list[str], list[str]]:
    out, err = _capsys[0].readouterr()
    return out.splitlines(), err.splitlines()


def stored(tmp_path: Path, doc_id: str, annotator: str) -> set[tuple[int, int, str, str, str]]:
    spans = Store(tmp_path / "annotations").document(doc_id, annotator).load().spans
    return {(s.start, s.end, s.label, s.text, s.note) for s in spans}


def test_by_default_every_bad_entity_is_named_and_nothing_is_written(
    tmp_path: Path, source: Path
) -> None:
    status, out, err = run_import(tmp_path, source, "brat")
    assert status == 1 and out == []
    a, b = source / "a.ann", source / "b.ann"
    assert [line for line in err if not line.startswith("biaozhu import:")] == [
        f"{a}:3: span 'GROUP' offsets 0-5: the source says it covers '张三;李四' but the"
        " text there is '张三、李四'",
        f"{b}:2: span 'LOC' offsets 3-99 are out of range (the text has 6 characters)",
        f"{b}:3: span 'LOC' offsets 3-4;5-4 are reversed or empty (start must be before end)",
    ]
    assert err[-1] == (
        "biaozhu import: 3 invalid entities in 2 files: nothing imported"
        " (--skip-invalid imports the rest)"
    )
    assert not (tmp_path / "corpus").exists() and not (tmp_path / "annotations").exists()


def test_skip_invalid_imports_exactly_the_rest_and_names_each_item_left_out(
    tmp_path: Path, source: Path
) -> None:
    status, out, err = run_import(tmp_path, source, "brat", "--skip-invalid")
    assert status == 0
    a, b = source / "a.ann", source / "b.ann"
    assert err == [
        f"skipped: {a}:3: span 'GROUP' offsets 0-5: the source says it covers '张三;李四'"
        " but the text there is '张三、李四'",
        f"skipped: {a}:6: 'R2' refers to T3, which is left out",
        f"skipped: {a}:7: '#1' refers to T3, which is left out",
        f"skipped: {a}:9: 'A1' refers to T3, which is left out",
        f"skipped: {a}:10: '*' refers to T3, which is left out",
        f"skipped: {b}:2: span 'LOC' offsets 3-99 are out of range (the text has 6 characters)",
        f"skipped: {b}:3: span 'LOC' offsets 3-4;5-4 are reversed or empty"
        " (start must be before end)",
        f"skipped: {b}:4: 'R1' refers to T2, which is left out",
        f"skipped: {b}:5: 'M1' refers to T3, which is left out",
        f"skipped: {b}:6: 'E1' refers to T2, which is left out",
        f"skipped: {b}:7: 'A1' refers to E1, which is left out",
        f"skipped: {b}:8: '#1' refers to E1, which is left out",
    ]
    assert "3 entities skipped, 9 references skipped; 3 documents imported" in out
    assert stored(tmp_path, "corpus/news/a.txt", "brat") == {
        (0, 2, "PER", "张三", "主角"),
        (3, 5, "PER", "李四", ""),
        (6, 8, "LOC", "北京", ""),
    }
    assert stored(tmp_path, "corpus/news/b.txt", "brat") == {(0, 2, "PER", "王五", "")}
    # What goes back out is exactly the valid part of the source.
    exported = tmp_path / "out"
    argv = ["export", str(tmp_path / "corpus"), "--format", "brat", "--annotator", "brat"]
    assert (
        main([*argv, "--out", str(exported), "--store", str(tmp_path / "annotations")], "me") == 0
    )
    a_lines = (exported / "a.ann").read_text(encoding="utf-8").splitlines()
    assert [line for line in a_lines if line[0] not in "T#"] == A_KEPT
    b_lines = (exported / "b.ann").read_text(encoding="utf-8").splitlines()
    assert [line for line in b_lines if line[0] not in "T#"] == B_KEPT


def test_running_the_same_import_again_adds_nothing(tmp_path: Path, source: Path) -> None:
    run_import(tmp_path, source, "brat", "--skip-invalid")
    status, out, _ = run_import(tmp_path, source, "brat", "--skip-invalid")
    assert status == 0
    assert any("(0 new)" in line and "4 spans (0 new)" in line for line in out)


def test_the_list_of_problems_is_cut_but_all_are_counted(tmp_path: Path) -> None:
    count = MAX_LISTED + 5
    lines = [f"T{n}\tPER 0 2\t李四" for n in range(1, count + 1)]
    folder = brat_corpus(tmp_path / "many", {"a.txt": "张三", "a.ann": "\n".join(lines)})
    status, _, err = run_import(tmp_path, folder, "brat")
    assert status == 1
    assert len(err) == MAX_LISTED + 2
    assert err[-2] == "… and 5 more"
    assert err[-1].startswith(f"biaozhu import: {count} invalid entities in 1 file:")


def test_hostile_file_names_are_shown_safely(tmp_path: Path) -> None:
    stem = "x\x1b]0;pwned\x07y"
    folder = brat_corpus(
        tmp_path / "hostile", {f"{stem}.txt": "张三", f"{stem}.ann": "T1\tPER 0 2\t李\x1b[2J四\n"}
    )
    for options in ((), ("--skip-invalid",)):
        _, out, err = run_import(tmp_path, folder, "brat", *options)
        shown = "\n".join([*out, *err])
        assert "\x1b" not in shown and "\x07" not in shown
        # The name shown one character for one, the span's text quoted by repr().
        assert "x␛]0;pwned␇y.ann:1: span 'PER' offsets 0-2" in shown
        assert "'李\\x1b[2J四'" in shown


def test_a_relation_to_a_span_the_file_does_not_have_is_a_problem(tmp_path: Path) -> None:
    ann = "T1\tPER 0 2\t张三\nR1\tKnows Arg1:T1 Arg2:T9\nR1\tKnows Arg1:T1 Arg2:T1\n"
    folder = brat_corpus(tmp_path / "dangling", {"a.txt": "张三", "a.ann": ann})
    status, _, err = run_import(tmp_path, folder, "brat")
    assert status == 1
    assert err[:2] == [
        f"{folder / 'a.ann'}:2: 'R1' refers to T9, which the file does not have",
        f"{folder / 'a.ann'}:3: id 'R1' is used twice",
    ]
    status, out, err = run_import(tmp_path, folder, "brat", "--skip-invalid")
    assert status == 0 and len(err) == 2 and all(line.startswith("skipped: ") for line in err)
    assert "1 entity" not in "\n".join(out)


def test_a_brat_document_that_cannot_be_read_is_skipped_whole(tmp_path: Path) -> None:
    # An .ann without its text, and a text that links out of the folder (never followed):
    # each document is named and left out whole, never imported without its spans.
    secret = tmp_path / "secret.txt"
    secret.write_text("秘密", encoding="utf-8")
    folder = brat_corpus(
        tmp_path / "mixed",
        {"a.txt": "张三", "a.ann": "T1\tPER 0 2\t张三\n", "b.ann": "T1\tPER 0 1\t乙\n"},
    )
    (folder / "c.txt").symlink_to(secret)
    (folder / "c.ann").write_text("T1\tX 0 2\t秘密\n", encoding="utf-8")
    status, _, err = run_import(tmp_path, folder, "brat")
    assert status == 1
    assert err == [
        f"{folder / 'b.ann'}: no text file 'b.txt' next to it",
        f"{folder / 'c.txt'}: links to a file outside the folder: not read",
        "biaozhu import: 2 invalid documents in 2 files: nothing imported"
        " (--skip-invalid imports the rest)",
    ]
    status, out, err = run_import(tmp_path, folder, "brat", "--skip-invalid")
    assert status == 0 and len(err) == 2
    assert "2 documents skipped; 1 document imported" in out
    assert sorted(path.name for path in (tmp_path / "corpus" / "mixed").iterdir()) == ["a.txt"]
    assert stored(tmp_path, "corpus/mixed/a.txt", "brat") == {(0, 2, "PER", "张三", "")}


# ---------------------------------------------------------------------------- doccano


DOCCANO = [
    {"id": 1, "text": "张三、李四", "label": [[0, 2, "PER"], [3, 9, "PER"], [3, 5, "PER"]]},
    {"id": 2, "text": "王五", "label": [[0, 2, "PER"], [1, 0, "PER"]]},
    {"id": 3, "text": "赵六", "label": "PER"},
]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    lines = [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_doccano_names_every_bad_span_and_line(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "d.jsonl", [*DOCCANO, '{"text": '])
    status, _, err = run_import(tmp_path, source, "doccano")
    assert status == 1
    assert [line.split(": ", 1)[0] for line in err[:-1]] == [
        f"{source}:1",
        f"{source}:2",
        f"{source}:3",
        f"{source}:4",
    ]
    assert err[-1].startswith("biaozhu import: 2 invalid entities and 2 invalid documents")
    assert not (tmp_path / "corpus").exists()


def test_doccano_skip_invalid_imports_the_rest(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "d.jsonl", [*DOCCANO, '{"text": '])
    status, out, err = run_import(tmp_path, source, "doccano", "--skip-invalid")
    assert status == 0
    assert len(err) == 4 and all(line.startswith(f"skipped: {source}:") for line in err)
    assert "2 entities skipped, 2 documents skipped; 2 documents imported" in out
    assert stored(tmp_path, "corpus/d/1.txt", "doccano") == {
        (0, 2, "PER", "张三", ""),
        (3, 5, "PER", "李四", ""),
    }
    assert stored(tmp_path, "corpus/d/2.txt", "doccano") == {(0, 2, "PER", "王五", "")}
    assert not (tmp_path / "corpus" / "d" / "3.txt").exists()


def test_doccano_relations_to_a_skipped_entity_are_left_out(tmp_path: Path) -> None:
    entities = [
        {"id": 1, "start_offset": 0, "end_offset": 2, "label": "PER"},
        {"id": 2, "start_offset": 3, "end_offset": 99, "label": "PER"},
        {"id": 3, "start_offset": 3, "end_offset": 5, "label": "PER"},
    ]
    relations = [
        {"id": 10, "from_id": 1, "to_id": 2, "type": "knows"},
        {"id": 11, "from_id": 1, "to_id": 3, "type": "knows"},
    ]
    row = {"id": 5, "text": "张三、李四", "entities": entities, "relations": relations}
    source = write_jsonl(tmp_path / "rel.jsonl", [row])
    status, out, err = run_import(tmp_path, source, "doccano", "--skip-invalid")
    assert status == 0 and len(err) == 2
    assert err[0].startswith(f"skipped: {source}:1: span 'PER' offsets 3-99")
    assert err[1].startswith(f"skipped: {source}:1: relation {{'id': 10")
    assert "1 entity skipped, 1 reference skipped; 1 document imported" in out
    exported = tmp_path / "out.jsonl"
    argv = ["export", str(tmp_path / "corpus"), "--format", "doccano", "--annotator", "doccano"]
    places = ["--out", str(exported), "--store", str(tmp_path / "annotations")]
    assert main([*argv, *places], "me") == 0
    [written] = [json.loads(line) for line in exported.read_text(encoding="utf-8").splitlines()]
    assert written["relations"] == [relations[1]]
    assert written["entities"] == [entities[0], entities[2]]


# ---------------------------------------------------------------------------- Label Studio


def labels_result(result_id: str, start: int, end: int, text: str) -> dict[str, object]:
    value = {"start": start, "end": end, "text": text, "labels": ["PER"]}
    return {
        "id": result_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": value,
    }


def relation(from_id: str, to_id: str) -> dict[str, object]:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right"}


def test_label_studio_skips_a_bad_result_and_the_relations_to_it(tmp_path: Path) -> None:
    results = [
        labels_result("r1", 0, 2, "张三"),
        labels_result("r2", 3, 5, "李四;"),
        labels_result("r3", 3, 5, "李四"),
        relation("r1", "r2"),
        relation("r1", "r3"),
    ]
    tasks = [{"id": 7, "data": {"text": "张三、李四"}, "annotations": [{"result": results}]}]
    source = tmp_path / "ls.json"
    source.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    status, _, err = run_import(tmp_path, source, "label-studio")
    assert status == 1 and len(err) == 1
    assert err[0].startswith(f"biaozhu import: {source}:1: task 1: span 'PER' offsets 3-5")
    status, out, err = run_import(tmp_path, source, "label-studio", "--skip-invalid")
    assert status == 0
    assert err == [
        f"skipped: {source}:1: task 1: span 'PER' offsets 3-5: the source says it covers"
        " '李四;' but the text there is '李四'",
        f"skipped: {source}:1: task 1: relation r1 → r2 refers to r2, which is left out",
    ]
    assert "1 entity skipped, 1 reference skipped; 1 document imported" in out
    assert stored(tmp_path, "corpus/ls/7.txt", "label-studio") == {
        (0, 2, "PER", "张三", ""),
        (3, 5, "PER", "李四", ""),
    }
    exported = tmp_path / "out.json"
    argv = ["export", str(tmp_path / "corpus"), "--format", "label-studio"]
    places = ["--out", str(exported), "--store", str(tmp_path / "annotations")]
    assert main([*argv, "--annotator", "label-studio", *places], "me") == 0
    [task] = json.loads(exported.read_text(encoding="utf-8"))
    kinds = [
        (item["type"], item.get("id") or item["to_id"]) for item in task["annotations"][0]["result"]
    ]
    assert kinds == [("labels", "r1"), ("labels", "r3"), ("relation", "r3")]


# ---------------------------------------------------------------------------- CoNLL


def only_document(tmp_path: Path, folder: str) -> tuple[str, str]:
    """The id and text of the one document imported into ``corpus/<folder>``."""
    [path] = (tmp_path / "corpus" / folder).glob("*.txt")
    return f"corpus/{folder}/{path.name}", path.read_text(encoding="utf-8")


BIO_BAD = (
    "张\tB-PER\n三\tI-PER\n在\tO\n北\tI-LOC\n京\tI-LOC\n。\tO\n\n"
    "李\tB-PER\n四\tI-LOC\n说\tO\n上\tB-LOC\n海\tI-LOC\n"
)


def test_conll_bio_names_each_bad_span_and_skips_only_them(tmp_path: Path) -> None:
    source = tmp_path / "bio.conll"
    source.write_text(BIO_BAD, encoding="utf-8")
    status, _, err = run_import(tmp_path, source, "conll-bio")
    assert status == 1
    assert err[:2] == [
        f"{source}:4: 'I-LOC' does not continue a span (a span starts with B-)",
        f"{source}:9: 'I-LOC' follows 'B-PER'",
    ]
    status, out, err = run_import(tmp_path, source, "conll-bio", "--skip-invalid")
    assert status == 0 and len(err) == 2 and all(line.startswith("skipped: ") for line in err)
    assert "2 entities skipped; 1 document imported" in out
    doc_id, text = only_document(tmp_path, "bio")
    assert text == "张三在北京。\n李四说上海"
    assert stored(tmp_path, doc_id, "conll-bio") == {
        (0, 2, "PER", "张三", ""),
        (10, 12, "LOC", "上海", ""),
    }


def test_conll_bmes_skips_an_unclosed_span_and_a_document_without_tags(tmp_path: Path) -> None:
    source = tmp_path / "bmes.conll"
    source.write_text("张\tB-PER\n三\tM-PER\n在\tO\n李\tS-PER\n\n\n王\n五\tO\n", encoding="utf-8")
    status, out, err = run_import(tmp_path, source, "conll-bmes", "--skip-invalid")
    assert status == 0
    assert err == [
        f"skipped: {source}:3: B-PER at line 1 is not closed by E-PER",
        f"skipped: {source}:7: expected CHARACTER<TAB>TAG, not '王'",
    ]
    assert "1 entity skipped, 1 document skipped; 1 document imported" in out
    doc_id, text = only_document(tmp_path, "bmes")
    assert text == "张三在李"
    assert stored(tmp_path, doc_id, "conll-bmes") == {(3, 4, "PER", "李", "")}


def test_a_source_with_nothing_valid_imports_nothing_and_says_so(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "none.jsonl", ['{"text": ', "[1]"])
    status, out, err = run_import(tmp_path, source, "doccano", "--skip-invalid")
    assert status == 0 and len(err) == 2
    assert out == ["2 documents skipped; 0 documents imported"]
    assert not (tmp_path / "corpus").exists()
