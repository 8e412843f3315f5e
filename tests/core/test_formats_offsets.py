"""Offset maps and span checks shared by every interchange codec."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.formats import (
    DocumentRecord,
    ExportMismatch,
    FormatError,
    SpanRecord,
    check_document,
    normalise_with_map,
)
from tui.core.formats.checks import WarningLog, Where, checked_label, resolve_fragments
from tui.core.formats.offsets import SourceText, Utf16Offsets
from tui.core.text import normalise_newlines

# ---------------------------------------------------------------------------- newlines


def test_text_without_carriage_returns_maps_to_itself() -> None:
    canonical, to_canonical = normalise_with_map("张三\n李四")
    assert canonical == "张三\n李四"
    assert [to_canonical(i) for i in range(6)] == [0, 1, 2, 3, 4, 5]


def test_crlf_offsets_map_onto_the_canonical_text() -> None:
    source = "ab\r\ncd\r\nef"
    canonical, to_canonical = normalise_with_map(source)
    assert canonical == "ab\ncd\nef"
    assert canonical[to_canonical(4) : to_canonical(6)] == "cd"
    assert canonical[to_canonical(8) : to_canonical(10)] == "ef"


def test_an_offset_between_cr_and_lf_maps_to_the_newline() -> None:
    canonical, to_canonical = normalise_with_map("ab\r\ncd")
    assert to_canonical(3) == canonical.index("\n")
    assert to_canonical(2) == canonical.index("\n")


def test_lone_carriage_returns_keep_every_offset() -> None:
    canonical, to_canonical = normalise_with_map("a\rb\r\rc")
    assert canonical == "a\nb\n\nc"
    assert [to_canonical(i) for i in range(7)] == list(range(7))


@given(st.text(alphabet="ab\r\n张𠀀", max_size=40))
def test_every_character_keeps_its_place(source: str) -> None:
    canonical, to_canonical = normalise_with_map(source)
    assert canonical == normalise_newlines(source)
    for index, char in enumerate(source):
        if char != "\r" or source[index + 1 : index + 2] != "\n":
            mapped = to_canonical(index)
            assert canonical[mapped] == ("\n" if char == "\r" else char)
    assert to_canonical(len(source)) == len(canonical)


# ---------------------------------------------------------------------------- UTF-16


def test_utf16_offsets_skip_the_second_half_of_astral_characters() -> None:
    units = Utf16Offsets("𠀀a🎉b")
    assert [units.to_code_point(u) for u in range(7)] == [0, None, 1, 2, None, 3, 4]
    assert [units.to_utf16(i) for i in range(5)] == [0, 2, 3, 5, 6]
    assert units.to_code_point(7) is None
    assert units.to_code_point(-1) is None


@given(st.text(alphabet="a张𠀀𪚥🎉\u200d", max_size=30))
def test_utf16_conversion_round_trips(text: str) -> None:
    units = Utf16Offsets(text)
    for index in range(len(text) + 1):
        unit = units.to_utf16(index)
        assert unit == len(text[:index].encode("utf-16-le")) // 2
        assert units.to_code_point(unit) == index


def test_utf16_offsets_are_a_fallback_when_code_points_do_not_fit() -> None:
    text = SourceText("🎉张三")
    # Code points 1..3 are "张三"; UTF-16 units 2..4 are "张三" as well.
    assert resolve_fragments(text, [(1, 3)], "张三", "PER", Where("x"), utf16=True) == (
        [(1, 3)],
        "",
    )
    spans, reading = resolve_fragments(text, [(2, 4)], "张三", "PER", Where("x"), utf16=True)
    assert spans == [(1, 3)]
    assert reading == "UTF-16 code units"


# ---------------------------------------------------------------------------- messages


def test_format_error_is_one_line_with_file_and_line() -> None:
    error = FormatError("in.jsonl", 3, "bad")
    assert str(error) == "in.jsonl:3: bad"
    assert (error.path, error.line, error.message) == ("in.jsonl", 3, "bad")
    assert str(FormatError("in.jsonl", None, "bad")) == "in.jsonl: bad"
    assert "\n" not in str(FormatError("a\nb", 1, "c\nd"))


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("", "label must be a non-empty string"),
        (3, "label must be a non-empty string"),
        ("P[ER", "contains '['"),
        ("PER]", "contains ']'"),
        ("PE\x1bR", "control character U+001B"),
        ("X" * 21, "longer than 20 characters"),
    ],
)
def test_bad_labels_are_errors(label: object, problem: str) -> None:
    with pytest.raises(FormatError) as caught:
        checked_label(label, Where("in.ann", 4), WarningLog())
    assert str(caught.value).startswith("in.ann:4: label")
    assert problem in str(caught.value)


def test_whitespace_in_a_label_becomes_underscore_with_one_warning() -> None:
    warnings = WarningLog()
    assert checked_label("New York", Where("f", 2), warnings) == "New_York"
    assert checked_label("New York", Where("f", 9), warnings) == "New_York"
    assert warnings.as_tuple() == ("f:2: label 'New York' contains whitespace: read as 'New_York'",)


# ---------------------------------------------------------------------------- export checks


def doc_with(*spans: SpanRecord) -> DocumentRecord:
    """A small document named d1 with these spans."""
    return DocumentRecord("d1", "张三在北京", spans)


def test_a_consistent_document_passes() -> None:
    check_document(doc_with(SpanRecord(0, 2, "PER", "张三"), SpanRecord(3, 5, "LOC", "北京")))


@pytest.mark.parametrize(
    ("span", "problem"),
    [
        (SpanRecord(0, 2, "PER", "李四"), "the document has '张三' there"),
        (SpanRecord(3, 9, "LOC", "北京"), "out of range"),
        (SpanRecord(2, 2, "LOC", ""), "out of range"),
        (SpanRecord(0, 2, "P ER", "张三"), "whitespace"),
        (SpanRecord(0, 2, "P[", "张三"), "markup"),
    ],
)
def test_an_inconsistent_span_stops_the_export(span: SpanRecord, problem: str) -> None:
    with pytest.raises(ExportMismatch) as caught:
        check_document(doc_with(span), path="out.jsonl")
    message = str(caught.value)
    assert message.startswith("out.jsonl: document 'd1': span ")
    assert problem in message
