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


def test_marks_follow_edits_as_a_new_index_would_find_them() -> None:
    from tui.core.session import Session

    blocks = split_blocks(TEXT)
    session = Session(Annotations(TEXT, "doc", "sha", "tester"), None)
    annotations = session.annotations
    first = annotations.add(0, 2, "PER")
    assert first is not None
    session.queue(first)
    index = MarkIndex(collect_marks(annotations.spans, []))
    seen = session.version
    edits = [
        lambda: annotations.add(7, 13, "LOC"),  # reaches over the line break into block 1
        lambda: annotations.relabel(first.put[0].id, "ORG"),
        lambda: annotations.move(first.put[0].id, 3, 5),
        annotations.undo,
        lambda: annotations.delete(first.put[0].id),
    ]
    for edit in edits:
        change = edit()
        assert change is not None
        session.queue(change)
        changes = session.changes_since(seen)
        assert changes is not None and len(changes) == 1
        index.follow(changes)
        seen = session.version
        fresh = MarkIndex(collect_marks(annotations.spans, []))
        for block in range(len(blocks)):
            assert index.in_block(blocks, block) == fresh.in_block(blocks, block)
    assert session.changes_since(-100) is None  # older than what is kept: start again
