"""CoNLL BIO and BMES: round trips, what the format loses, dropped spans, strict tag checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.formats import FORMATS, DocumentRecord, FormatError, SpanRecord, conll_bio, conll_bmes

BIO_FILE = """\
张\tB-PER
三\tI-PER
在\tO
北\tB-LOC
京\tI-LOC
。\tO

李\tB-PER
四\tI-PER
说\tO
：\tO
“\tO
好\tO
！\tO
”\tO


𠀀\tB-PER
𪚥\tI-PER
👨\tO
\u200d\tO
👩\tO
🎉\tO
上\tB-LOC
海\tI-LOC
"""

BMES_FILE = """\
张\tB-PER
三\tE-PER
在\tO
北\tB-LOC
京\tE-LOC
。\tO

李\tS-PER
说\tO
！\tO


𠀀\tB-PER
𪚥\tM-PER
🎉\tE-PER
"""


def write_file(tmp_path: Path, content: str, name: str = "in.conll") -> Path:
    """A file with this content."""
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "content"), [("conll-bio", BIO_FILE), ("conll-bmes", BMES_FILE)])
def test_export_of_an_import_gives_back_the_same_file(
    tmp_path: Path, name: str, content: str
) -> None:
    fmt = FORMATS[name]
    out = tmp_path / "out.conll"
    report = fmt.write(fmt.read(write_file(tmp_path, content)), out)
    assert out.read_text(encoding="utf-8") == content
    assert report.dropped == []
    assert report.documents == 2


def test_import_joins_tokens_and_puts_line_breaks_between_sentences(tmp_path: Path) -> None:
    first, second = conll_bio.read(write_file(tmp_path, BIO_FILE))
    assert first.text == "张三在北京。\n李四说：“好！”"
    assert [(s.label, s.text) for s in first.spans] == [
        ("PER", "张三"),
        ("LOC", "北京"),
        ("PER", "李四"),
    ]
    assert second.text == "𠀀𪚥👨\u200d👩🎉上海"
    assert [(s.label, s.text, s.start) for s in second.spans] == [
        ("PER", "𠀀𪚥", 0),
        ("LOC", "上海", 6),
    ]
    assert (first.name, first.line, second.line) == ("", 1, 18)


def test_bmes_single_and_long_spans(tmp_path: Path) -> None:
    first, second = conll_bmes.read(write_file(tmp_path, BMES_FILE))
    assert [(s.label, s.text) for s in first.spans] == [
        ("PER", "张三"),
        ("LOC", "北京"),
        ("PER", "李"),
    ]
    assert [(s.label, s.text) for s in second.spans] == [("PER", "𠀀𪚥🎉")]


def test_whitespace_is_not_written_and_line_breaks_become_sentence_breaks(tmp_path: Path) -> None:
    text = "张三 在北京。李四\n\n  去上海\t了"
    spans = (SpanRecord(0, 2, "PER", "张三"), SpanRecord(4, 6, "LOC", "北京"))
    out = tmp_path / "out.conll"
    conll_bio.write([DocumentRecord("", text, spans)], out)
    assert out.read_text(encoding="utf-8").split("\n\n") == [
        "张\tB-PER\n三\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n。\tO",
        "李\tO\n四\tO",
        "去\tO\n上\tO\n海\tO\n了\tO\n",
    ]
    [doc] = conll_bio.read(out)
    assert doc.text == "张三在北京。\n李四\n去上海了"
    assert [(s.label, s.text) for s in doc.spans] == [("PER", "张三"), ("LOC", "北京")]


def test_closing_quotes_stay_with_their_sentence(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    conll_bmes.write([DocumentRecord("", "他说：“走！”她笑了。）好", ())], out)
    [doc] = conll_bmes.read(out)
    assert doc.text == "他说：“走！”\n她笑了。）\n好"


def test_spans_lose_surrounding_whitespace(tmp_path: Path) -> None:
    out = tmp_path / "out.conll"
    spans = (SpanRecord(0, 5, "ORG", " 北 京 "),)
    conll_bmes.write([DocumentRecord("", " 北 京 大学", spans)], out)
    [doc] = conll_bmes.read(out)
    assert (doc.text, doc.spans) == ("北京大学", (SpanRecord(0, 2, "ORG", "北京"),))


def test_overlapping_spans_are_dropped_and_each_one_reported(tmp_path: Path) -> None:
    text = "张三在北京大学读书。"
    spans = (
        SpanRecord(0, 2, "PER", "张三"),
        SpanRecord(3, 5, "LOC", "北京"),  # inside the longer ORG
        SpanRecord(3, 7, "ORG", "北京大学"),
        SpanRecord(1, 4, "MISC", "三在北"),  # overlaps PER and ORG
        SpanRecord(3, 7, "ORG", "北京大学"),  # a duplicate
        SpanRecord(7, 9, "X", "读书"),
    )
    out = tmp_path / "out.conll"
    report = conll_bio.write([DocumentRecord("d", text, spans)], out)
    assert report.dropped == [
        "document 'd': span 'LOC' 3-5 '北京': overlaps 'ORG' 3-7 '北京大学'",
        "document 'd': span 'MISC' 1-4 '三在北': overlaps 'ORG' 3-7 '北京大学'",
        "document 'd': span 'ORG' 3-7 '北京大学': overlaps 'ORG' 3-7 '北京大学'",
    ]
    assert report.warnings == ["document 'd': 3 of 6 spans not written (listed as dropped)"]
    assert report.spans == 3
    [doc] = conll_bio.read(out)
    assert [(s.label, s.text) for s in doc.spans] == [
        ("PER", "张三"),
        ("ORG", "北京大学"),
        ("X", "读书"),
    ]


def test_spans_the_format_cannot_hold_are_reported(tmp_path: Path) -> None:
    text = "北京。上海\n广州  深圳"
    spans = (
        SpanRecord(6, 10, "LOC", "广州  "),
        SpanRecord(8, 10, "LOC", "  "),  # only whitespace
    )
    report = conll_bmes.write([DocumentRecord("", text, spans)], tmp_path / "out.conll")
    assert report.dropped == ["document #1: span 'LOC' 8-10 '  ': covers only whitespace"]


def test_notes_and_groups_are_not_written_with_a_warning(tmp_path: Path) -> None:
    spans = (
        SpanRecord(0, 1, "X", "张", note="n", group="T1"),
        SpanRecord(1, 2, "X", "三", group="T1"),
    )
    report = conll_bio.write([DocumentRecord("d", "张三", spans)], tmp_path / "out.conll")
    assert report.warnings == [
        "document 'd': notes of 1 span not written (conll-bio has none)",
        "document 'd': discontinuous span fragments written as separate spans",
    ]


def test_documents_without_characters_are_left_out(tmp_path: Path) -> None:
    docs = [
        DocumentRecord("", "甲", ()),
        DocumentRecord("e", " \n ", ()),
        DocumentRecord("", "乙", ()),
    ]
    out = tmp_path / "out.conll"
    report = conll_bio.write(docs, out)
    assert out.read_text(encoding="utf-8") == "甲\tO\n\n\n乙\tO\n"
    assert report.documents == 2
    assert report.warnings == ["document 'e': no characters to write (whitespace only): left out"]


def test_docstart_lines_spaces_and_extra_columns_are_accepted(tmp_path: Path) -> None:
    content = (
        "-DOCSTART- -X- O O\n\n张 NR B-PER\r\n三 NR I-PER\r\n-DOCSTART-\n北\tB-LOC\n京\tI-LOC\n"
    )
    first, second = conll_bio.read(write_file(tmp_path, content))
    assert (first.text, [s.text for s in first.spans]) == ("张三", ["张三"])
    assert (second.text, [s.text for s in second.spans]) == ("北京", ["北京"])


def test_multi_character_tokens_are_read(tmp_path: Path) -> None:
    [doc] = conll_bio.read(write_file(tmp_path, "北京\tB-LOC\n大学\tI-LOC\n在\tO\n"))
    assert (doc.text, doc.spans) == ("北京大学在", (SpanRecord(0, 4, "LOC", "北京大学"),))


def test_an_empty_file_has_no_documents(tmp_path: Path) -> None:
    assert list(conll_bio.read(write_file(tmp_path, "\n\n"))) == []


# ---------------------------------------------------------------------------- bad input


def error_for(tmp_path: Path, content: str, scheme: str = "conll-bio") -> str:
    """The message reading this file gives, after ``path:``; it names the file and line."""
    path = write_file(tmp_path, content, "bad.conll")
    with pytest.raises(FormatError) as caught:
        list(FORMATS[scheme].read(path))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:")
    return message.removeprefix(f"{path}:")


def test_a_sentence_starting_with_i(tmp_path: Path) -> None:
    message = error_for(tmp_path, "张\tO\n\n三\tI-PER\n")
    assert message == "3: 'I-PER' does not continue a span (a span starts with B-)"


def test_i_after_o(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tB-PER\n三\tO\n在\tI-PER\n").startswith("3: 'I-PER' does not")


def test_i_after_b_of_another_label(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tB-PER\n三\tI-LOC\n") == "2: 'I-LOC' follows 'B-PER'"


def test_bmes_middle_without_begin(tmp_path: Path) -> None:
    message = error_for(tmp_path, "张\tO\n三\tM-PER\n", "conll-bmes")
    assert message == "2: 'M-PER' without B-PER before it"


def test_bmes_end_without_begin(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tE-PER\n", "conll-bmes") == "1: 'E-PER' without B-PER before it"


def test_bmes_end_of_another_label(tmp_path: Path) -> None:
    message = error_for(tmp_path, "张\tB-PER\n三\tE-LOC\n", "conll-bmes")
    assert message == "2: 'E-LOC' inside a span begun by B-PER"


def test_bmes_begin_not_closed_before_o(tmp_path: Path) -> None:
    message = error_for(tmp_path, "张\tB-PER\n三\tM-PER\n在\tO\n", "conll-bmes")
    assert message == "3: B-PER at line 1 is not closed by E-PER"


def test_bmes_begin_not_closed_at_the_sentence_end(tmp_path: Path) -> None:
    message = error_for(tmp_path, "在\tO\n张\tB-PER\n\n三\tE-PER\n", "conll-bmes")
    assert message == "2: B-PER at line 2 is not closed by E-PER"


def test_bmes_begin_not_closed_at_the_end_of_the_file(tmp_path: Path) -> None:
    assert (
        error_for(tmp_path, "张\tB-PER\n", "conll-bmes")
        == "1: B-PER at line 1 is not closed by E-PER"
    )


def test_a_tag_of_the_other_scheme(tmp_path: Path) -> None:
    message = error_for(tmp_path, "张\tS-PER\n")
    assert message == "1: unknown tag 'S-PER' (conll-bio uses B-X, I-X, O)"
    assert "unknown tag 'I-PER'" in error_for(tmp_path, "张\tB-PER\n三\tI-PER\n", "conll-bmes")


def test_a_line_without_a_tag(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tO\n三\n") == "2: expected CHARACTER<TAB>TAG, not '三'"


def test_an_empty_token(tmp_path: Path) -> None:
    assert error_for(tmp_path, "\tO\n") == "1: empty token before the tag"


def test_a_bad_label(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tB-P[ER]\n").startswith("1: label 'P[ER]' contains '['")


def test_a_tag_without_a_label(tmp_path: Path) -> None:
    assert error_for(tmp_path, "张\tB-\n").startswith("1: label must be a non-empty")


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "bad.conll"
    path.write_bytes("张\tO\n三\tO\n".encode("gb18030"))
    with pytest.raises(FormatError, match=r"bad\.conll:1: not valid UTF-8"):
        list(conll_bio.read(path))


def test_a_sentence_never_ends_inside_a_span_or_a_title(tmp_path: Path) -> None:
    text = "我看了《南京！南京！》。她说「好！走吧。」然后走了。"
    spans = (SpanRecord(4, 10, "WORK", "南京！南京！"),)
    out = tmp_path / "out.conll"
    report = conll_bio.write([DocumentRecord("", text, spans)], out)
    assert (report.dropped, report.spans) == ([], 1)
    [doc] = conll_bio.read(out)
    assert doc.text == "我看了《南京！南京！》。\n她说「好！走吧。」\n然后走了。"
    assert [(s.label, s.text) for s in doc.spans] == [("WORK", "南京！南京！")]


def test_a_span_across_a_sentence_end_keeps_its_sentence_whole(tmp_path: Path) -> None:
    text = "他喊：南京！南京！"  # no brackets: only the span holds the sentence together
    spans = (SpanRecord(3, 9, "WORK", "南京！南京！"),)
    report = conll_bmes.write([DocumentRecord("", text, spans)], tmp_path / "out.conll")
    assert (report.dropped, report.spans) == ([], 1)
    [doc] = conll_bmes.read(tmp_path / "out.conll")
    assert (doc.text, [s.text for s in doc.spans]) == (text, ["南京！南京！"])


def test_a_span_across_a_line_break_is_written_in_one_sentence(tmp_path: Path) -> None:
    spans = (SpanRecord(3, 7, "LOC", "上海\n广"),)
    report = conll_bio.write([DocumentRecord("", "北京。上海\n广州", spans)], tmp_path / "o")
    assert (report.dropped, report.spans) == ([], 1)
    [doc] = conll_bio.read(tmp_path / "o")
    assert doc.text == "北京。\n上海广州"  # the line break inside the span is not written
    assert [s.text for s in doc.spans] == ["上海广"]
