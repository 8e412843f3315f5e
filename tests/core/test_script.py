"""Script conversion with offset maps (tui.core.script, DESIGN §4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tui.core.script as script
from tui.core.convert import convert
from tui.core.script import (
    LENGTH_CHANGING,
    VARIANTS,
    OffsetMap,
    convert_with_offsets,
    simplified_shadow,
    split_chunks,
    variant_pair,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_paragraphs(pattern: str = "*.txt") -> list[str]:
    """Non-empty paragraphs of the seed documents matching ``pattern``."""
    paragraphs = []
    for path in sorted(SEEDS.glob(pattern)):
        paragraphs += [p for p in path.read_text(encoding="utf-8").split("\n") if p]
    assert paragraphs, f"no seed paragraphs for {pattern}"
    return paragraphs


class TestVariants:
    """Variant names and their OpenCC configuration pairs."""

    def test_pairs(self) -> None:
        assert VARIANTS == {
            "s2t": ("s2t", "t2s"),
            "s2tw": ("s2tw", "tw2s"),
            "s2hk": ("s2hk", "hk2s"),
            "s2twp": ("s2twp", "tw2sp"),
        }

    @pytest.mark.parametrize(
        ("alias", "name"), [("t2s", "s2t"), ("tw2s", "s2tw"), ("hk2s", "s2hk"), ("tw2sp", "s2twp")]
    )
    def test_reverse_names_are_aliases(self, alias: str, name: str) -> None:
        assert variant_pair(alias) == variant_pair(name) == VARIANTS[name]

    def test_unknown_variant_lists_the_valid_names(self) -> None:
        with pytest.raises(ValueError, match="s2twp") as caught:
            variant_pair("s2jp")
        assert "s2jp" in str(caught.value)
        assert all(name in str(caught.value) for name in [*VARIANTS, "tw2sp"])

    def test_length_changing_configs(self) -> None:
        assert {"s2twp", "tw2sp"} <= LENGTH_CHANGING
        assert not {"s2t", "t2s", "s2tw", "tw2s"} & LENGTH_CHANGING


class TestOneToOne:
    """Configurations that keep the length give identity maps."""

    def test_s2t_on_seed_paragraphs_is_identity(self) -> None:
        for paragraph in seed_paragraphs("000_*.txt"):
            result = convert_with_offsets("s2t", paragraph)
            assert result.text == convert("s2t", paragraph)
            assert result.offsets.identity
            assert result.offsets.to_display(len(paragraph)) == len(result.text)

    def test_identity_map(self) -> None:
        m = OffsetMap.identity_map(5)
        assert m.identity
        assert [m.to_display(i) for i in range(6)] == list(range(6))
        assert m.display_range(4) == (4, 5)
        assert m.display_span(1, 3) == (1, 3)

    def test_empty_paragraph(self) -> None:
        for config in ("s2t", "s2twp", "tw2sp"):
            result = convert_with_offsets(config, "")
            assert result.text == ""
            assert result.offsets.to_display(0) == 0

    def test_out_of_range_offsets_are_rejected(self) -> None:
        m = convert_with_offsets("s2twp", "内存").offsets
        with pytest.raises(IndexError):
            m.to_display(3)
        with pytest.raises(IndexError):
            m.to_canonical(-1)
        with pytest.raises(IndexError):
            m.display_range(2)

    def test_unexpected_length_change_still_gets_a_map(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Should a 1:1 configuration ever change the length, the general algorithm runs.
        monkeypatch.setattr(script, "convert", lambda config, text: text.replace("X", "YY"))
        result = convert_with_offsets("s2t", "aXb")
        assert result.text == "aYYb"
        assert result.offsets.display_range(1) == (1, 3)
        assert result.offsets.to_display(2) == 3
        assert result.offsets.to_canonical(3) == 2


class TestPhraseConversion:
    """s2twp and tw2sp replace words by words of another length."""

    def test_s2twp_example(self) -> None:
        result = convert_with_offsets("s2twp", "内存和U盘，软件。")
        assert result.text == "記憶體和隨身碟，軟體。"
        m = result.offsets
        assert (m.canonical_len, m.display_len) == (9, 11)
        assert m.display_range(2) == (3, 4)  # 和
        assert m.to_canonical(3) == 2
        assert m.display_span(0, 2) == (0, 3)  # 内存 → 記憶體
        assert m.display_span(3, 5) == (4, 7)  # U盘 → 隨身碟
        assert m.display_range(5) == (7, 8)  # ，
        assert m.display_span(7, 8) == (9, 10)  # 件 → 體
        assert m.to_display(9) == 11

    def test_tw2sp_example(self) -> None:
        result = convert_with_offsets("tw2sp", "記憶體和隨身碟，軟體。")
        assert result.text == "内存和U盘，软件。"
        m = result.offsets
        assert m.display_range(3) == (2, 3)  # 和
        assert m.to_canonical(2) == 3
        assert m.display_span(0, 3) == (0, 2)
        assert m.display_span(4, 7) == (3, 5)
        # The display side is shorter: every display offset survives the round trip.
        assert [m.to_display(m.to_canonical(j)) for j in range(10)] == list(range(10))

    def test_offsets_after_a_phrase_shift(self) -> None:
        text = "打印机和鼠标在这里"
        result = convert_with_offsets("s2twp", text)
        assert result.text == convert("s2twp", text)
        m = result.offsets
        here = text.index("这")
        assert result.text[m.display_range(here)[0]] == "這"

    def test_phrases_do_not_span_punctuation(self) -> None:
        assert split_chunks("内存，U盘 abc") == ["内存", "，", "U盘", " ", "abc"]
        assert "".join(split_chunks("a，。b  c")) == "a，。b  c"


POOL = [
    *["内存", "U盘", "软件", "鼠标", "信息", "程序", "打印机", "硬盘", "网络", "服务器"],
    *["記憶體", "隨身碟", "軟體", "滑鼠", "資訊", "印表機", "硬碟"],
    *"的是在中国发展头发干部里后面了我们說話這個東西",
    *"，。、！？“”（）「」…·",
    *["abc", "2020", "COVID-19", " ", "  "],
    *["𠀀", "𪚥", "遱", "𫐷"],
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(POOL), max_size=40).map("".join),
    st.sampled_from(["s2twp", "tw2sp", "s2t"]),
)
def test_offset_map_properties(text: str, config: str) -> None:
    """The map is monotone, complete and exact on the longer side of every block."""
    result = convert_with_offsets(config, text)
    m = result.offsets
    shown = result.text
    assert (m.canonical_len, m.display_len) == (len(text), len(shown))
    # What is shown is exactly the chunks converted one by one.
    assert shown == "".join(convert(config, chunk) for chunk in split_chunks(text))

    forward = [m.to_display(i) for i in range(len(text) + 1)]
    backward = [m.to_canonical(j) for j in range(len(shown) + 1)]
    assert forward[0] == 0 and forward[-1] == len(shown)
    assert backward[0] == 0 and backward[-1] == len(text)
    assert forward == sorted(forward) and backward == sorted(backward)
    assert all(0 <= j <= len(shown) for j in forward)

    for i in range(len(text)):
        j0, j1 = m.display_range(i)
        assert 0 <= j0 < j1 <= len(shown)
        # The display characters showing i map back to a range holding i.
        assert m.to_canonical(j0) <= i < m.to_canonical(j1)

    previous_end = 0
    for c0, c1, d0, d1 in m.blocks:
        assert previous_end <= c0 < c1 and d0 < d1 and c1 - c0 != d1 - d0
        previous_end = c1
        # Each changed region stands alone: its canonical text converts to what it shows.
        assert convert(config, text[c0:c1]) == shown[d0:d1]
        if d1 - d0 > c1 - c0:
            assert all(m.to_canonical(m.to_display(i)) == i for i in range(c0, c1 + 1))
        else:
            assert all(m.to_display(m.to_canonical(j)) == j for j in range(d0, d1 + 1))

    outside = set(range(len(text))) - {i for b in m.blocks for i in range(b[0], b[1])}
    assert all(m.to_canonical(m.to_display(i)) == i for i in outside)
    if config == "s2t":
        assert m.identity


@given(
    st.lists(st.sampled_from(POOL), max_size=30).map("".join),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=40),
)
def test_display_span_covers_its_characters(text: str, a: int, b: int) -> None:
    """A highlighted canonical span covers the display of each character in it."""
    m = convert_with_offsets("s2twp", text).offsets
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    j0, j1 = m.display_span(start, end)
    assert (j0 < j1) == (start < end)
    for i in range(start, end):
        r0, r1 = m.display_range(i)
        assert j0 <= r0 and r1 <= j1


class TestShadow:
    """The simplified shadow keeps the canonical length."""

    def test_seed_paragraphs_keep_their_length(self) -> None:
        for paragraph in seed_paragraphs():
            shadow = simplified_shadow(paragraph)
            assert len(shadow) == len(paragraph)
            assert shadow == convert("t2s", paragraph)

    def test_traditional_becomes_simplified(self) -> None:
        assert simplified_shadow("記憶體和隨身碟") == "记忆体和随身碟"

    def test_falls_back_to_characters_if_the_length_changes(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # A hypothetical OpenCC that rewrites a pair as three characters.
        def fake(config: str, text: str) -> str:
            return text.replace("發展", "发展了").replace("發", "发")

        monkeypatch.setattr(script, "convert", fake)
        assert simplified_shadow("發展中") == "发展中"
