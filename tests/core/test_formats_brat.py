"""brat standoff: round trips with notes, discontinuous spans and relations, safe file names."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.core.formats import DocumentRecord, FormatError, SpanRecord
from tui.core.formats.brat import read, write
from tui.core.formats.model import AttributeRecord, ChainRecord, RelationRecord

TEXT = "𠀀𪚥👨‍👩‍👧🎉张三在北京的大学读书。\n李四去上海！\n"
ACROSS = "书。\n李"


def at(part: str, text: str = TEXT) -> str:
    """brat ``START END`` of ``part`` in ``text`` (code points)."""
    start = text.index(part)
    return f"{start} {start + len(part)}"


ANN_LINES = [
    f"T1\tPER {at('张三')}\t张三",
    f"T2\tLOC {at('北京')}\t北京",
    f"T3\tORG {at('北京')};{at('大学')}\t北京 大学",  # discontinuous, overlaps T2
    f"T4\tMISC {at('三在北')}\t三在北",  # overlaps T1 and T2
    f"T5\tPER {at('李四')}\t李四",
    f"T6\tLOC {at(ACROSS)}\t书。 李",  # crosses a line: TEXT has a space there
    "#1\tAnnotatorNotes T1\t主角 (main)",
    "#2\tAnnotatorNotes T3\t不连续",
    "R1\tLocated Arg1:T1 Arg2:T2",
    "E1\tTravel:T5 Destination:T2",
    "A1\tNegated E1",
    "M1\tConfidence T1 High",
    "*\tEquiv T2 T6",
    "N1\tReference T1 Wikipedia:534366\t张三",
    "#3\tAnnotatorNotes R1\t关系的注释",
]


def brat_folder(tmp_path: Path, **files: str) -> Path:
    """A folder with these files (names ``a_txt`` become ``a.txt``)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, content in files.items():
        (folder / name.replace("_", ".")).write_bytes(content.encode("utf-8"))
    return folder


def fixture(tmp_path: Path) -> Path:
    """The main fixture: one annotated document and one without an .ann file."""
    return brat_folder(tmp_path, doc1_txt=TEXT, doc1_ann="\n".join(ANN_LINES) + "\n", doc2_txt="无")


def test_export_of_an_import_gives_back_the_same_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    report = write(read(fixture(tmp_path)), out)
    assert (out / "doc1.txt").read_text(encoding="utf-8") == TEXT
    assert set((out / "doc1.ann").read_text(encoding="utf-8").splitlines()) == set(ANN_LINES)
    assert (out / "doc2.txt").read_text(encoding="utf-8") == "无"
    assert (out / "doc2.ann").read_text(encoding="utf-8") == ""
    assert (report.documents, report.spans, report.dropped) == (2, 7, [])


def test_import_gives_spans_notes_groups_links_and_extra_lines(tmp_path: Path) -> None:
    doc1, doc2 = read(fixture(tmp_path))
    assert (doc1.name, doc1.text, doc2.name, doc2.spans) == ("doc1", TEXT, "doc2", ())
    assert [(s.label, s.text, s.group, s.source_id, s.note) for s in doc1.spans] == [
        ("PER", "张三", "", "T1", "主角 (main)"),
        ("LOC", "北京", "", "T2", ""),
        ("ORG", "北京", "T3", "T3", "不连续"),
        ("ORG", "大学", "T3", "T3", "不连续"),
        ("MISC", "三在北", "", "T4", ""),
        ("PER", "李四", "", "T5", ""),
        ("LOC", "书。\n李", "", "T6", ""),
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in doc1.spans)
    # Relations, equivalences and attributes between spans are records; the event, the
    # attribute on it, the normalisation and the note on a relation stay verbatim.
    assert doc1.relations == (RelationRecord("T1", "T2", "Located", id="R1"),)
    assert doc1.chains == (ChainRecord(("T2", "T6"), "Equiv"),)
    assert doc1.attributes == (AttributeRecord("T1", "Confidence", "High", id="M1"),)
    assert doc1.extra_lines == tuple(ANN_LINES[i] for i in (9, 10, 13, 14))
    ann = tmp_path / "in" / "doc1.ann"
    assert doc1.warnings == (
        f"{ann}:3: discontinuous span T3 'ORG' read as 2 fragments of group T3",
    )


def test_one_ann_or_txt_path_reads_one_document(tmp_path: Path) -> None:
    folder = fixture(tmp_path)
    [from_ann] = read(folder / "doc1.ann")
    [from_txt] = read(folder / "doc1.txt")
    assert from_ann == from_txt
    assert len(from_ann.spans) == 7
    [alone] = read(folder / "doc2.txt")
    assert (alone.name, alone.text, alone.spans) == ("doc2", "无", ())


def test_crlf_texts_keep_each_span_text_and_label(tmp_path: Path) -> None:
    text = "第一行\r\n张三\r\n在北京\r\n"
    ann = f"T1\tPER {at('张三', text)}\t张三\nT2\tLOC {at('北京', text)}\t北京\n"
    [doc] = read(brat_folder(tmp_path, crlf_txt=text, crlf_ann=ann))
    assert doc.text == "第一行\n张三\n在北京\n"
    assert [(s.label, s.text) for s in doc.spans] == [("PER", "张三"), ("LOC", "北京")]
    assert all(doc.text[s.start : s.end] == s.text for s in doc.spans)


def test_offsets_counted_without_carriage_returns_are_read_with_a_warning(tmp_path: Path) -> None:
    text = "第一行\r\n张三\r\n"
    ann = f"T1\tPER {at('张三', text.replace(chr(13), ''))}\t张三\n"
    [doc] = read(brat_folder(tmp_path, crlf_txt=text, crlf_ann=ann))
    assert [(s.label, s.text) for s in doc.spans] == [("PER", "张三")]
    path = tmp_path / "in" / "crlf.ann"
    assert doc.warnings == (
        f"{path}:1: offsets read as code points of the text with \\r\\n as \\n",
    )


def test_a_byte_order_mark_is_not_part_of_the_text(tmp_path: Path) -> None:
    [doc] = read(brat_folder(tmp_path, a_txt="\ufeff张三", a_ann="T1\tPER 0 2\t张三\n"))
    assert doc.text == "张三"
    assert doc.spans[0].text == "张三"


def test_hidden_files_and_other_files_are_skipped(tmp_path: Path) -> None:
    folder = brat_folder(tmp_path, a_txt="甲", annotation_conf="[entities]")
    (folder / "._a.txt").write_bytes(b"\x00\x05binary")
    (folder / "sub").mkdir()
    (folder / "sub" / "b.txt").write_text("乙", encoding="utf-8")
    assert [doc.name for doc in read(folder)] == ["a"]


def test_new_spans_get_fresh_ids_and_kept_ids_keep_relations_valid(tmp_path: Path) -> None:
    spans = (
        SpanRecord(0, 2, "PER", "张三"),
        SpanRecord(3, 5, "LOC", "北京", source_id="T1"),
        SpanRecord(0, 2, "PER", "张三", source_id="bz7"),
    )
    doc = DocumentRecord("d", "张三在北京", spans, extra_lines=("R1\tAt Arg1:T1 Arg2:T1",))
    write([doc], tmp_path)
    assert (tmp_path / "d.ann").read_text(encoding="utf-8").splitlines() == [
        "T2\tPER 0 2\t张三",
        "T1\tLOC 3 5\t北京",
        "T3\tPER 0 2\t张三",
        "R1\tAt Arg1:T1 Arg2:T1",
    ]


def test_lines_pointing_at_spans_not_exported_are_left_out_and_named(tmp_path: Path) -> None:
    # A reviewer's layer kept T1 (张三), dropped T2 (北京) and added 大学: R1 and the event
    # on T2 would dangle, and the new span must not take the id T2 they point at.
    doc = DocumentRecord(
        "d",
        "张三在北京的大学",
        (
            SpanRecord(0, 2, "PER", "张三", source_id="T1"),
            SpanRecord(6, 8, "ORG", "大学"),
        ),
        extra_lines=(
            "R1\tAt Arg1:T1 Arg2:T2",
            "E1\tVisit:T1 Place:T2",
            "A1\tNegated E1",
            "M1\tConfidence T1 High",
            "#1\tAnnotatorNotes R1\t注",
            "N1\tReference T1 Wikipedia:534366\t张三",
        ),
    )
    report = write([doc], tmp_path)
    assert (tmp_path / "d.ann").read_text(encoding="utf-8").splitlines() == [
        "T1\tPER 0 2\t张三",
        "T3\tORG 6 8\t大学",
        "M1\tConfidence T1 High",
        "N1\tReference T1 Wikipedia:534366\t张三",
    ]
    left_out = [warning for warning in report.warnings if "left out" in warning]
    assert len(left_out) == 4
    assert any(
        "R1" in warning and "T2 not among the spans exported" in warning for warning in left_out
    )
    assert any("A1" in warning and "E1" in warning for warning in left_out)


def test_grouped_fragments_are_written_as_one_discontinuous_line(tmp_path: Path) -> None:
    spans = (
        SpanRecord(0, 1, "X", "张", group="g", note="第一\n第二"),
        SpanRecord(3, 5, "X", "北京", group="g"),
    )
    report = write([DocumentRecord("d", "张三在北京", spans)], tmp_path)
    assert (tmp_path / "d.ann").read_text(encoding="utf-8").splitlines() == [
        "T1\tX 0 1;3 5\t张 北京",
        "#1\tAnnotatorNotes T1\t第一 第二",
    ]
    assert report.warnings == ["document 'd': line breaks in the note of T1 written as spaces"]


def test_hostile_names_become_safe_file_names_inside_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    docs = [
        DocumentRecord(name, "文", ())
        for name in ("../../evil", "/etc/passwd", "", "a", "a", "CON", ".hidden", "x\ny")
    ]
    report = write(docs, out)
    names = sorted(path.name for path in out.iterdir())
    assert len(names) == 2 * len(docs)
    assert all(path.parent == out for path in out.iterdir())
    assert not any(name.startswith(".") for name in names)
    assert "document-3.txt" in names
    assert {"a.txt", "a-2.txt"} <= set(names)
    assert report.warnings == ["document 'a': written as a-2.txt (name repeated)"]
    assert sorted(os.listdir(tmp_path)) == ["out"]


def test_text_that_utf8_cannot_store_is_an_error(tmp_path: Path) -> None:
    doc = DocumentRecord("d", "a\ud800", ())
    with pytest.raises(FormatError, match="document 'd': contains U\\+D800"):
        write([doc], tmp_path)


# ---------------------------------------------------------------------------- bad input


def error_for(tmp_path: Path, ann: str, text: str = TEXT) -> str:
    """The message reading one document with this .ann gives, after ``in/bad.ann:``."""
    folder = brat_folder(tmp_path, bad_txt=text, bad_ann=ann)
    with pytest.raises(FormatError) as caught:
        list(read(folder))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{folder / 'bad.ann'}:")
    return message.removeprefix(f"{folder / 'bad.ann'}:")


def test_an_ann_without_its_txt(tmp_path: Path) -> None:
    folder = brat_folder(tmp_path, a_txt="甲", a_ann="", b_ann="T1\tX 0 1\t乙\n")
    with pytest.raises(FormatError) as caught:
        list(read(folder))
    assert str(caught.value) == f"{folder / 'b.ann'}: no text file 'b.txt' next to it"
    with pytest.raises(FormatError, match=r"no text file 'b\.txt'"):
        list(read(folder / "b.ann"))


def test_a_t_line_without_text(tmp_path: Path) -> None:
    ann = f"T1\tPER {at('张三')}\t张三\nT2\tLOC {at('北京')}\n"
    assert error_for(tmp_path, ann) == "2: expected ID<TAB>LABEL START END<TAB>TEXT"


def test_offsets_that_are_not_numbers(tmp_path: Path) -> None:
    message = error_for(tmp_path, "T1\tPER 0 x\t张三\n")
    assert message.startswith("1: bad offsets '0 x'")


def test_negative_offsets(tmp_path: Path) -> None:
    assert error_for(tmp_path, "T1\tPER -1 2\t张三\n").startswith("1: bad offsets '-1 2'")


def test_offsets_out_of_range(tmp_path: Path) -> None:
    message = error_for(tmp_path, "T1\tPER 1 99\t张三\n", text="张三")
    assert message == "1: span 'PER' offsets 1-99 are out of range (the text has 2 characters)"


def test_reversed_offsets(tmp_path: Path) -> None:
    assert "reversed or empty" in error_for(tmp_path, "T1\tPER 2 0\t张三\n", text="张三")


def test_a_text_that_disagrees_with_the_offsets(tmp_path: Path) -> None:
    message = error_for(tmp_path, "T1\tPER 0 2\t李四\n", text="张三")
    assert message == (
        "1: span 'PER' offsets 0-2: the source says it covers '李四' but the text there is '张三'"
    )


def test_a_bad_label(tmp_path: Path) -> None:
    message = error_for(tmp_path, "T1\tP[ER] 0 2\t张三\n", text="张三")
    assert message == "1: label 'P[ER]' contains '[' (markup is not allowed)"


def test_an_id_used_twice(tmp_path: Path) -> None:
    message = error_for(tmp_path, "T1\tPER 0 1\t张\nT1\tPER 1 2\t三\n", text="张三")
    assert message == "2: id 'T1' is used twice"


def test_a_txt_that_is_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes("张三".encode("gb18030"))
    with pytest.raises(FormatError, match=r"a\.txt:1: not valid UTF-8"):
        list(read(folder))


def test_a_link_out_of_the_folder_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    folder = brat_folder(tmp_path, a_txt="甲")
    (folder / "b.txt").symlink_to(secret)
    with pytest.raises(FormatError, match="links to a file outside the folder"):
        list(read(folder))


def test_a_missing_source(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="no such file or folder"):
        list(read(tmp_path / "nothing"))


@pytest.mark.parametrize(
    "note", ["\x1b]52;c;UFdORUQ=\x07", "标题\x1b]0;t\x07", "左\u202e右", "\x9b2J"]
)
def test_a_note_with_control_characters_is_refused_naming_file_and_line(
    tmp_path: Path, note: str
) -> None:
    ann = f"T1\tPER {at('张三')}\t张三\n#1\tAnnotatorNotes T1\t{note}\n"
    folder = brat_folder(tmp_path, doc1_txt=TEXT, doc1_ann=ann)
    with pytest.raises(FormatError) as caught:
        list(read(folder))
    message = str(caught.value)
    assert message.startswith(f"{folder / 'doc1.ann'}:2: ")
    assert "note" in message and "control character" in message
    assert "\n" not in message and "\x1b" not in message and "\u202e" not in message
