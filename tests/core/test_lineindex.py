"""The line index answers "which block holds visual line N" correctly as counts change."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.lineindex import LineIndex


@given(
    st.lists(st.integers(1, 9), min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 59), st.integers(1, 9)), max_size=30),
)
def test_find_and_prefix_match_a_plain_list(
    counts: list[int], updates: list[tuple[int, int]]
) -> None:
    index = LineIndex(counts)
    plain = list(counts)
    for block, value in updates:
        if block < len(plain):
            assert index.set_exact(block, value) == value - plain[block]
            plain[block] = value
            assert index.is_exact(block)
    assert index.total == sum(plain)
    line = 0
    for block, count in enumerate(plain):
        assert index.prefix(block) == line
        for within in range(count):
            assert index.find(line) == (block, within)
            line += 1


def test_find_clamps_past_the_end() -> None:
    index = LineIndex([2, 3])
    assert index.find(99) == (1, 2)
    assert index.find(-5) == (0, 0)
