"""Cutting a visual line into runs by spans (nested, overlapping) and the selection."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from tui.core.highlight import Piece, Run, line_runs


def test_plain_line_is_one_run() -> None:
    assert line_runs(0, 10, []) == [Run(0, 10, None, 0, False)]


def test_nested_span_shows_the_inner_label_and_depth() -> None:
    outer = Piece(2, 8, "ORG", "a")
    inner = Piece(4, 6, "LOC", "b")
    assert line_runs(0, 10, [outer, inner]) == [
        Run(0, 2, None, 0, False),
        Run(2, 4, "ORG", 1, False),
        Run(4, 6, "LOC", 2, False),
        Run(6, 8, "ORG", 1, False),
        Run(8, 10, None, 0, False),
    ]


def test_spans_crossing_the_line_edges_are_clipped() -> None:
    assert line_runs(5, 10, [Piece(0, 7, "PER", "a")]) == [
        Run(5, 7, "PER", 1, False),
        Run(7, 10, None, 0, False),
    ]


def test_selection_is_its_own_run() -> None:
    runs = line_runs(0, 6, [Piece(0, 6, "PER", "a")], selection=(2, 4))
    assert [(r.start, r.end, r.selected) for r in runs] == [
        (0, 2, False),
        (2, 4, True),
        (4, 6, False),
    ]


def test_empty_line_has_no_runs() -> None:
    assert line_runs(3, 3, [Piece(0, 5, "PER", "a")]) == []


pieces = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 10), st.sampled_from(["A", "B", "C"])).map(
        lambda t: Piece(t[0], t[0] + t[1], t[2], f"{t}")
    ),
    max_size=8,
)


@given(pieces, st.integers(0, 20), st.integers(1, 20))
def test_runs_tile_the_line_and_count_covering_spans(
    spans: list[Piece], start: int, length: int
) -> None:
    end = start + length
    runs = line_runs(start, end, spans)
    assert runs[0].start == start and runs[-1].end == end
    for a, b in pairwise(runs):
        assert a.end == b.start
    for run in runs:
        for offset in range(run.start, run.end):
            covering = [p for p in spans if p.start <= offset < p.end]
            assert run.depth == len(covering)
            if covering:
                shortest = min(p.end - p.start for p in covering)
                assert run.label in {p.label for p in covering if p.end - p.start == shortest}
