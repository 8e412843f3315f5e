"""Display-only suffixes after characters: text, offsets, and the conversions under them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.decorations import DecoratedMap, decorate, plain_text
from tui.core.reader import BlockView
from tui.core.script import OffsetMap, convert_with_offsets

POOL = [
    *["内存", "U盘", "软件", "鼠标", "信息", "打印机", "記憶體", "隨身碟", "軟體", "印表機"],
    *"的是在中国发展头发我们說話這個東西李四他",
    *"，。、！？“”（）",
    *["abc", " ", "𠀀"],
]
SUFFIXES = ["¹", "²", "¹˒³", "¹⁰"]


def plain(text: str) -> BlockView:
    return BlockView(text, OffsetMap.identity_map(len(text)))


def converted(config: str, text: str) -> BlockView:
    result = convert_with_offsets(config, text)
    return BlockView(result.text, result.offsets)


def test_suffix_follows_its_character_and_shifts_what_comes_after() -> None:
    view = decorate(plain("李四说他来了"), {1: "¹", 3: "¹"})
    assert view.text == "李四¹说他¹来了"
    m = view.offsets
    assert [m.to_display(i) for i in range(7)] == [0, 1, 3, 4, 6, 7, 8]
    assert m.display_range(1) == (1, 3)  # 四 and its mark
    assert m.display_span(0, 2) == (0, 3)  # the span 李四 covers its mark
    assert m.to_canonical(2) == 1  # a click on the mark lands on 四
    assert [m.to_canonical(j) for j in (0, 1, 3, 4, 6, 7, 8)] == [0, 1, 2, 3, 4, 5, 6]


def test_no_suffix_leaves_the_view_as_it_was() -> None:
    view = plain("李四")
    assert decorate(view, {}) is view
    assert decorate(view, {0: "", 5: "¹"}) is view  # empty, and outside the block


def test_a_decorated_view_is_not_decorated_twice() -> None:
    with pytest.raises(ValueError, match="decorated already"):
        decorate(decorate(plain("李四"), {0: "¹"}), {1: "²"})


def test_mark_after_a_phrase_that_got_longer() -> None:
    """s2twp: 内存 → 記憶體; a span ending on 存 gets its mark after 體."""
    base = converted("s2twp", "内存和U盘")
    view = decorate(base, {1: "¹", 4: "²"})
    assert view.text == base.text[:3] + "¹" + base.text[3:] + "²"
    assert view.offsets.display_span(0, 2) == (0, 4)
    assert view.offsets.to_display(2) == 4


def test_cursor_range_and_end_of_block() -> None:
    view = decorate(plain("他来"), {1: "²"})
    m = view.offsets
    assert isinstance(m, DecoratedMap)
    assert (m.canonical_len, m.display_len) == (2, 3)
    assert m.to_canonical(3) == 2 and m.to_display(2) == 3
    assert not m.identity
    with pytest.raises(IndexError):
        m.to_canonical(4)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), max_size=30).map("".join),
    st.sampled_from([None, "s2t", "s2twp", "tw2sp"]),
    st.dictionaries(st.integers(0, 60), st.sampled_from(SUFFIXES), max_size=8),
)
def test_decorated_map_properties(text: str, config: str | None, suffixes: dict[int, str]) -> None:
    """Monotone, complete, round-trips like the undecorated map, and the text minus the
    suffixes is the undecorated text."""
    base = plain(text) if config is None else converted(config, text)
    view = decorate(base, suffixes)
    m, b = view.offsets, base.offsets
    placed = {i: s for i, s in suffixes.items() if i < len(text)}
    assert m.canonical_len == len(text)
    assert m.display_len == len(view.text) == len(base.text) + sum(map(len, placed.values()))

    forward = [m.to_display(i) for i in range(len(text) + 1)]
    backward = [m.to_canonical(j) for j in range(len(view.text) + 1)]
    assert forward[0] == 0 and forward[-1] == len(view.text)
    assert backward[0] == 0 and backward[-1] == len(text)
    assert forward == sorted(forward) and backward == sorted(backward)
    # Canonical offsets come back exactly as they do through the undecorated map.
    assert [m.to_canonical(j) for j in forward] == [
        b.to_canonical(b.to_display(i)) for i in range(len(text) + 1)
    ]

    # Taking each character's suffix out of its display range gives the undecorated text.
    marks = [False] * len(view.text)
    for i, suffix in placed.items():  # the mark is drawn within its character's range
        start, end = m.display_range(i)
        assert suffix in view.text[start:end]
    for i in range(len(text)):
        j0, j1 = m.display_range(i)
        assert 0 <= j0 < j1 <= len(view.text)
        assert m.to_canonical(j0) <= i < max(m.to_canonical(j1), i + 1)
    offsets = view.offsets
    assert isinstance(offsets, DecoratedMap) or not placed
    if isinstance(offsets, DecoratedMap):
        for place, length, _ in offsets.insertions:
            start = place + _shift(offsets, place)
            for j in range(start, start + length):
                marks[j] = True
                # A click on a mark lands on a character whose range holds it.
                i = offsets.to_canonical(j)
                r0, r1 = offsets.display_range(min(i, len(text) - 1))
                assert r0 <= j < r1 or i == len(text)
    assert "".join(ch for ch, mark in zip(view.text, marks, strict=True) if not mark) == base.text
    assert plain_text(view, 0, len(view.text)) == base.text
    if isinstance(offsets, DecoratedMap):  # the marks it names are the ones found above
        assert [j for start, end in offsets.marks() for j in range(start, end)] == [
            j for j, mark in enumerate(marks) if mark
        ]
    # Exact composition: each character starts on the same display character as before.
    for i in range(len(text)):
        assert view.text[m.to_display(i)] == base.text[b.to_display(i)]


def _shift(offsets: DecoratedMap, place: int) -> int:
    """Suffix cells inserted before undecorated ``place``."""
    return sum(length for where, length, _ in offsets.insertions if where < place)


@pytest.mark.parametrize(
    ("start", "end", "plain_part"), [(0, 8, "李四说他来了"), (1, 3, "四"), (2, 5, "说他")]
)
def test_plain_text_leaves_the_marks_out(start: int, end: int, plain_part: str) -> None:
    view = decorate(plain("李四说他来了"), {1: "¹", 3: "¹"})  # 李四¹说他¹来了
    assert plain_text(view, start, end) == plain_part
    assert plain_text(plain("李四"), 0, 2) == "李四"
