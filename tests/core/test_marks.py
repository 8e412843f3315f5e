"""What the reading pane draws over the text, per block."""

from __future__ import annotations

from dataclasses import replace

from tui.core.annotations import Annotations
from tui.core.blocks import split_blocks
from tui.core.marks import SUGGESTION, MarkIndex, collect_marks

TEXT = "张三在北京。\n李四去上海。"


def test_flagged_spans_are_never_marks() -> None:
    annotations = Annotations(TEXT, "doc", "sha", "tester")
    placed = annotations.add(0, 2, "PER").put[0]  # type: ignore[union-attr]
    lost = replace(annotations.add(3, 5, "LOC").put[0], flagged=True)  # type: ignore[union-attr]
    marks = collect_marks([placed, lost], [(7, 9, "PER")])
    assert marks == [(0, 2, "PER", placed.id), (7, 9, SUGGESTION + "PER", SUGGESTION)]


def test_each_block_gets_the_marks_reaching_into_it() -> None:
    blocks = split_blocks(TEXT)
    index = MarkIndex([(7, 9, "PER", "b"), (0, 2, "PER", "a"), (3, 9, "ORG", "c")])
    assert [mark[3] for mark in index.in_block(blocks, 0)] == ["a", "c"]
    assert [mark[3] for mark in index.in_block(blocks, 1)] == ["c", "b"]
    assert MarkIndex([(6, 7, "X", "on the line break")]).in_block(blocks, 1) == []
