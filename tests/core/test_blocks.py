"""Blocks: paragraphs as units, over-long lines cut without losing a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.blocks import MAX_BLOCK, split_blocks


def test_each_line_is_a_block_without_its_newline() -> None:
    blocks = split_blocks("第一段\n\n第三段")
    assert blocks.starts == [0, 4, 5]
    assert [blocks.end(k) for k in range(3)] == [3, 4, 8]
    assert blocks.continued == [False, False, False]


def test_a_final_newline_opens_no_empty_block() -> None:
    assert len(split_blocks("甲\n乙\n")) == 2
    assert len(split_blocks("")) == 1


def test_long_line_is_cut_after_a_sentence_end() -> None:
    text = ("这是一个句子。" * 2000) + "\n尾"
    blocks = split_blocks(text)
    assert len(blocks) > 3
    for k in range(len(blocks) - 1):
        assert blocks.end(k) - blocks.starts[k] <= MAX_BLOCK
        if blocks.continued[k + 1]:
            assert text[blocks.end(k) - 1] == "。"
    assert blocks.continued[-1] is False
    assert text[blocks.starts[-1] : blocks.end(len(blocks) - 1)] == "尾"


def test_cut_without_punctuation_is_hard_and_keeps_combining_marks() -> None:
    text = "e\u0301" * (MAX_BLOCK)  # base + combining mark, no soft cut point
    blocks = split_blocks(text)
    for k in range(1, len(blocks)):
        assert text[blocks.starts[k]] == "e"


@given(st.text(alphabet="中文。 \n\u0301ab", max_size=300))
def test_blocks_cover_the_text_exactly(text: str) -> None:
    blocks = split_blocks(text)
    rebuilt = []
    for k in range(len(blocks)):
        if k and not blocks.continued[k]:
            rebuilt.append("\n")
        rebuilt.append(text[blocks.starts[k] : blocks.end(k)])
    expected = text[:-1] if text.endswith("\n") and len(text.split("\n")) > 1 else text
    assert "".join(rebuilt) == expected


def test_block_at_finds_the_block_of_an_offset() -> None:
    blocks = split_blocks("ab\ncd")
    assert [blocks.block_at(i) for i in range(5)] == [0, 0, 0, 1, 1]
