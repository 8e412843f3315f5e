"""Wrapping paragraphs with Chinese line-breaking rules (tui.core.linebreak, DESIGN §7)."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import get_character_cell_size

from tui.core.linebreak import cell_of, char_width, offset_at_cell, text_cells, wrap

# The sets as the design states them, written out here so that a character missing from
# the module's own sets makes these tests fail.
CLOSING = "，。、；：？！）」』”’》〉】〕〗〙〛｝］…‥·・〜～,.;:?!)]}%．，；：？！）］｝"
OPENING = "（「『“‘《〈【〔〖〘〚｛［([{"
WORD_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,:-_'/")
WIDTHS = [7, 9, 79]


def ref_width(ch: str) -> int:
    """Cell width as Rich measures it, with the reader's one-cell tab."""
    return 1 if ch == "\t" else get_character_cell_size(ch)


def ref_cells(text: str) -> int:
    """Cells of ``text`` measured independently of the module under test."""
    return sum(map(ref_width, text))


def lines_of(text: str, width: int) -> list[str]:
    """The visual lines of ``text`` as strings."""
    starts = wrap(text, width)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]


def fill(cells: int) -> str:
    """CJK filler taking exactly ``cells`` cells (a space makes up an odd cell)."""
    return "中" * (cells // 2) + " " * (cells % 2)


def check_shape(text: str, width: int, starts: list[int]) -> None:
    """Starts begin at 0, strictly increase, and every line is non-empty and fits."""
    assert starts[0] == 0
    assert all(a < b for a, b in pairwise(starts))
    assert starts[-1] < len(text) or text == ""
    ends = [*starts[1:], len(text)]
    for a, b in zip(starts, ends, strict=True):
        line = text[a:b]
        nonzero = [ch for ch in line if ref_width(ch)]
        assert ref_cells(line) <= width or len(nonzero) == 1, (width, line)


# Reference line breaker: brute force over every candidate position, straight from the
# rules, to compare wrap() against.


def max_fit(text: str, s: int, width: int) -> int:
    """Largest e with text[s:e] within width (trailing zero-width characters included)."""
    e, cells = s, 0
    while e < len(text) and cells + ref_width(text[e]) <= width:
        cells += ref_width(text[e])
        e += 1
    return e


def word_unit_cells(text: str, b: int) -> tuple[int, int]:
    """(start, cells) of the word around b plus the closing punctuation right after it."""
    ws = b
    while ws > 0 and text[ws - 1] in WORD_CHARS:
        ws -= 1
    we = b
    while we < len(text) and text[we] in WORD_CHARS:
        we += 1
    cells = we - ws
    while we < len(text) and text[we] in CLOSING:
        cells += ref_width(text[we])
        we += 1
    return ws, cells


def allowed(text: str, s: int, b: int, width: int) -> bool:
    """Whether the rules allow the line starting at s to end at b."""
    c, p = text[b], text[b - 1]
    if ref_width(c) == 0 or c in CLOSING or p in OPENING:
        return False
    if c in WORD_CHARS and p in WORD_CHARS:
        ws, cells = word_unit_cells(text, b)
        if ws > s and cells <= width:
            return False  # the whole word fits on the next line
    return True


def reference_wrap(text: str, width: int) -> list[int]:
    """Each line ends at the last allowed break that fits, else as far as fits."""
    starts = [0]
    s = 0
    while True:
        e = max_fit(text, s, width)
        if e == s:
            e = s + 1
            while e < len(text) and ref_width(text[e]) == 0:
                e += 1
        elif e < len(text):
            ok = [b for b in range(s + 1, e + 1) if allowed(text, s, b, width)]
            e = ok[-1] if ok else e
        if e >= len(text):
            return starts
        starts.append(e)
        s = e


class TestWidths:
    """Cell widths agree with what Rich draws."""

    def test_agrees_with_rich_on_the_whole_bmp_and_astral_samples(self) -> None:
        sample = [*range(0x10000), *range(0x10000, 0x110000, 97), 0x20000, 0x2A6A5, 0x1F600]
        wrong = [
            hex(cp)
            for cp in sample
            if chr(cp) != "\t" and char_width(chr(cp)) != get_character_cell_size(chr(cp))
        ]
        assert wrong == []

    @pytest.mark.parametrize("ch", list("“”‘’…—·"))
    def test_ambiguous_width_punctuation_is_one_cell(self, ch: str) -> None:
        assert char_width(ch) == 1

    def test_tab_is_one_cell(self) -> None:
        assert char_width("\t") == 1
        assert text_cells("a\tb") == 3

    def test_astral_cjk_takes_two_cells(self) -> None:
        assert char_width("𠀀") == 2
        assert text_cells("𠀀𪚥") == 4
        assert wrap("𠀀𪚥中", 4) == [0, 2]

    def test_text_cells_mixed(self) -> None:
        assert text_cells("中文abc，e\u0301") == 4 + 3 + 2 + 1
        assert text_cells("") == 0


class TestPunctuation:
    """Closing punctuation never starts a line; opening punctuation never ends one."""

    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("ch", list(CLOSING))
    def test_closing_never_starts_a_line(self, ch: str, width: int) -> None:
        # The filler ends exactly at the width, so a naive wrap starts a line with ch.
        text = fill(width) + ch + "文字" * width
        starts = wrap(text, width)
        check_shape(text, width, starts)
        assert all(text[s] != ch for s in starts[1:])

    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("run", ["。」", "！”", "…」", "）。", "?)", "”。」"])
    def test_closing_runs_stay_with_the_text_before(self, run: str, width: int) -> None:
        text = fill(width - 1) + "好" + run + "文字" * width
        starts = wrap(text, width)
        check_shape(text, width, starts)
        assert all(text[s] not in CLOSING for s in starts[1:])

    @pytest.mark.parametrize("width", WIDTHS)
    @pytest.mark.parametrize("ch", list(OPENING))
    def test_opening_never_ends_a_line(self, ch: str, width: int) -> None:
        # ch is the last character that fits, so a naive wrap leaves it at the line end.
        text = fill(width - char_width(ch)) + ch + "文字" * width
        starts = wrap(text, width)
        check_shape(text, width, starts)
        assert all(text[s - 1] != ch for s in starts[1:])

    def test_pushes_the_last_character_down_with_the_punctuation(self) -> None:
        assert lines_of("中文中文，好", 8) == ["中文中", "文，好"]

    def test_breaks_anyway_when_the_line_would_be_empty(self) -> None:
        text = "。" * 10
        assert lines_of(text, 4) == ["。。"] * 5


class TestWords:
    """Latin words and numbers stay whole when they fit on a line."""

    @pytest.mark.parametrize(
        "word", ["2020-03-25", "14:21:03", "U.S.", "COVID-19", "https://example.com/a", "hello"]
    )
    @pytest.mark.parametrize("width", [23, 24, 30, 41])
    def test_word_moves_to_the_next_line_whole(self, word: str, width: int) -> None:
        text = fill(width - 2) + word + "之后的文字" * 4
        assert len(word) <= width
        assert any(word in line for line in lines_of(text, width))

    def test_words_between_spaces(self) -> None:
        assert lines_of("hello world foo", 8) == ["hello ", "world ", "foo"]

    def test_over_long_word_is_broken_by_cells(self) -> None:
        text = "中文" + "a" * 25
        assert lines_of(text, 10) == ["中文aaaaaa", "aaaaaaaaaa", "aaaaaaaaa"]

    def test_word_with_trailing_stop_that_cannot_fit_is_broken_not_left_alone(self) -> None:
        # "14:21:03。" takes 10 cells: it cannot be whole on a 9-cell line anyway.
        assert lines_of("时间14:21:03。", 9) == ["时间14:2", "1:03。"]


class TestMarksAndNarrowLines:
    """Combining marks stay with their base; too-narrow lines still make progress."""

    @pytest.mark.parametrize("width", [1, 2, 3, 4, 5, 7])
    def test_combining_mark_never_starts_a_line(self, width: int) -> None:
        text = "cafe\u0301 e\u0301te\u0301 中\u0301文\u0301"
        starts = wrap(text, width)
        check_shape(text, width, starts)
        assert all(char_width(text[s]) > 0 for s in starts[1:])

    def test_a_mark_does_not_push_the_last_narrow_character_away(self) -> None:
        assert wrap("a\u0301b", 2) == [0]
        assert wrap("中\u0301b", 3) == [0]
        assert wrap("\u0301“", 1) == [0]

    def test_width_one_puts_each_wide_character_alone(self) -> None:
        assert wrap("中文字", 1) == [0, 1, 2]
        assert lines_of("中\u0301a文", 1) == ["中\u0301", "a", "文"]

    def test_empty_paragraph_is_one_empty_line(self) -> None:
        assert wrap("", 1) == [0]
        assert wrap("", 80) == [0]

    def test_width_must_be_positive(self) -> None:
        with pytest.raises(ValueError):
            wrap("中文", 0)

    def test_long_single_paragraph(self) -> None:
        text = ("很长的段落，有标点。" + "abc 123 ") * 3000
        starts = wrap(text, 79)
        check_shape(text, 79, starts)
        assert starts == reference_wrap(text, 79)


class TestColumns:
    """cell_of and offset_at_cell keep the column for up/down moves."""

    def test_round_trip_on_every_character(self) -> None:
        text = "中文abc，e\u0301𠀀“引号”end"
        for width in (5, 8, 13):
            starts = wrap(text, width)
            for a, b in zip(starts, [*starts[1:], len(text)], strict=True):
                for i in range(a, b):
                    if char_width(text[i]) == 0:
                        continue
                    col = cell_of(text, a, i)
                    assert offset_at_cell(text, a, b, col) == i
                    # The second cell of a wide character is that character too.
                    assert offset_at_cell(text, a, b, col + char_width(text[i]) - 1) == i

    def test_past_the_end_gives_the_last_character(self) -> None:
        assert offset_at_cell("中文ab", 0, 4, 50) == 3
        assert offset_at_cell("中文ab", 1, 3, 50) == 2

    def test_empty_line_gives_its_start(self) -> None:
        assert offset_at_cell("", 0, 0, 5) == 0

    def test_cell_of_counts_wide_characters_twice(self) -> None:
        assert cell_of("中文ab", 0, 3) == 5
        assert cell_of("中文ab", 1, 2) == 2


PIECES = [
    *"中文字段落测试的是𠀀𪚥",
    *CLOSING,
    *OPENING,
    "2020-03-25",
    "14:21:03",
    "U.S.",
    "COVID-19",
    "https://example.com/a",
    "hello",
    "x",
    " ",
    "  ",
    "\u0301",
    "\t",
    "—",
    "ＡＢ",
    "a" * 30,
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=120).map("".join),
    st.integers(min_value=1, max_value=120),
)
def test_wrap_properties(text: str, width: int) -> None:
    """Shape invariants hold and every break is the one the rules call for."""
    starts = wrap(text, width)
    check_shape(text, width, starts)
    assert "".join(lines_of(text, width)) == text
    ends = [*starts[1:], len(text)]
    for s, b in zip(starts, ends, strict=True):
        if b == len(text):
            continue
        violates = text[b] in CLOSING or text[b - 1] in OPENING or char_width(text[b]) == 0
        fit = max_fit(text, s, width)
        assert fit < len(text), "broke a line although the rest fitted"
        if violates and fit > s:
            # A broken rule is only acceptable where no allowed break fitted.
            assert not any(allowed(text, s, k, width) for k in range(s + 1, fit + 1))
    assert starts == reference_wrap(text, width)


def test_fit_cells_cuts_by_cells_and_marks_the_cut() -> None:
    from tui.core.linebreak import fit_cells

    assert fit_cells("察布查尔县", 10) == "察布查尔县"
    assert fit_cells("察布查尔县", 9) == "察布查尔…"
    assert fit_cells("察布查尔县", 8) == "察布查…"
    assert fit_cells("ab察布", 4) == "ab…"
    assert fit_cells("abc", 0) == ""
    for cells in range(12):
        assert text_cells(fit_cells("1月28日,察布查尔", cells)) <= cells
