"""Skim lines: the sentences that hold spans, each once."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.skim import SkimLine, sentence_bounds, skim_lines

TEXT = "张三在北京。“李四呢？”他问。\n王五去了上海！没有实体的句子。"


def test_sentences_end_after_closing_quotes_and_at_line_breaks() -> None:
    starts = sentence_bounds(TEXT)
    sentences = [TEXT[a:b] for a, b in zip(starts, [*starts[1:], len(TEXT)], strict=True)]
    assert sentences == [
        "张三在北京。",
        "“李四呢？”",
        "他问。\n",
        "王五去了上海！",
        "没有实体的句子。",
    ]


def test_only_sentences_with_spans_each_once_with_all_their_spans() -> None:
    spans = [(0, 2, "PER"), (3, 5, "LOC"), (7, 9, "PER"), (16, 18, "PER")]
    assert skim_lines(TEXT, spans) == [
        SkimLine(0, 6, ((0, 2, "PER"), (3, 5, "LOC"))),
        SkimLine(6, 12, ((7, 9, "PER"),)),
        SkimLine(16, 23, ((16, 18, "PER"),)),
    ]


def test_no_spans_no_lines_and_spans_past_the_end_are_ignored() -> None:
    assert skim_lines(TEXT, []) == []
    assert skim_lines("短。", [(5, 7, "PER")]) == []


@given(st.text(alphabet="张三。！\n?ab", max_size=40), st.data())
def test_every_span_start_is_inside_its_line(text: str, data: st.DataObject) -> None:
    if not text:
        return
    starts = data.draw(st.lists(st.integers(0, len(text) - 1), max_size=6))
    spans = [(s, s + 1, "X") for s in starts]
    lines = skim_lines(text, spans)
    assert sum(len(line.spans) for line in lines) == len(spans)
    for line in lines:
        assert all(line.start <= span[0] < line.end for span in line.spans)
    assert [line.start for line in lines] == sorted({line.start for line in lines})
