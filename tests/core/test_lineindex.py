"""The line index: estimates from characters, exact chunks from layouts, consistent lookups."""

from __future__ import annotations

from itertools import accumulate

from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.lineindex import CHUNK, LineIndex


def starts_of(lengths: list[int]) -> list[int]:
    return list(accumulate((n + 1 for n in lengths[:-1]), initial=0))


def test_estimate_is_one_line_per_block_plus_wide_characters() -> None:
    lengths = [100, 0, 10]
    index = LineIndex(starts_of(lengths), sum(lengths) + 2, width=40)
    assert index.total == 3 + (110 * 2) // 40
    assert not index.complete


@given(st.lists(st.integers(0, 300), min_size=1, max_size=3 * CHUNK + 5), st.integers(1, 120))
@example([1, 0], 1)  # the last block has no newline after it
@example([0, 0, 0], 3)
def test_prefix_and_find_agree_everywhere(lengths: list[int], width: int) -> None:
    index = LineIndex(starts_of(lengths), sum(lengths) + len(lengths) - 1, width)
    previous = 0
    for block in range(len(lengths)):
        line = index.prefix(block)
        assert line >= previous
        previous = line
        found_block, within = index.find(line)
        assert index.prefix(found_block) + within == line
    assert index.find(index.total + 10)[0] == len(lengths) - 1


@given(st.lists(st.integers(1, 9), min_size=1, max_size=2 * CHUNK + 3))
def test_exact_chunks_give_exact_positions(counts: list[int]) -> None:
    index = LineIndex(starts_of([5] * len(counts)), 6 * len(counts), width=10)
    for chunk in range(0, len(counts), CHUNK):
        index.set_chunk(chunk // CHUNK, counts[chunk : chunk + CHUNK])
    assert index.complete
    assert index.total == sum(counts)
    line = 0
    for block, count in enumerate(counts):
        assert index.prefix(block) == line
        for within in range(count):
            assert index.find(line) == (block, within)
            line += 1


def test_a_chunk_needs_every_count() -> None:
    index = LineIndex([0, 2], 3, width=10)
    try:
        index.set_chunk(0, [1])
    except ValueError:
        return
    raise AssertionError("a short chunk was accepted")
