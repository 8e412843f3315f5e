"""Decoding, newline normalisation and safe display of document text (DESIGN §2, §3, §9)."""

from __future__ import annotations

import codecs
import os
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.text import (
    DecodedText,
    DecodeError,
    decode_document,
    display_safe,
    first_unsafe,
    normalise_newlines,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# Short snippets a naive detector gets wrong: CJK punctuation counts as noise, and some
# snippets are valid in both GB18030 and Big5.
GB18030_SNIPPETS = ["他说：“我明天去北京。”", "”黄辰说。", "察布查尔县干部为各族群众解难题"]
BIG5_SNIPPETS = ["他說：「我明天去台北。」", "基層幹部感覺手機拿著都變輕了", "核心閱讀"]


def seed_text(prefix: str) -> str:
    """The text of the seed document whose file name starts with ``prefix``."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


# ------------------------------------------------------------------------- encodings


def test_utf8() -> None:
    assert decode_document("漢字 and 汉字".encode()) == DecodedText("漢字 and 汉字", "utf-8")


def test_utf8_bom_is_stripped() -> None:
    decoded = decode_document(codecs.BOM_UTF8 + "第一章".encode())
    assert decoded == DecodedText("第一章", "utf-8-sig")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(codec: str) -> None:
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    text = seed_text("003")
    assert decode_document(bom + text.encode(codec)) == DecodedText(text, "utf-16")


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_gb18030_whole_file(prefix: str) -> None:
    text = seed_text(prefix)
    assert decode_document(text.encode("gb18030")) == DecodedText(text, "gb18030")


def test_big5_whole_file() -> None:
    text = seed_text("003")
    assert decode_document(text.encode("big5", errors="strict")) == DecodedText(text, "big5")


@pytest.mark.parametrize("snippet", GB18030_SNIPPETS)
def test_gb18030_one_sentence(snippet: str) -> None:
    assert decode_document(snippet.encode("gb18030")) == DecodedText(snippet, "gb18030")


@pytest.mark.parametrize("snippet", BIG5_SNIPPETS)
def test_big5_one_sentence(snippet: str) -> None:
    assert decode_document(snippet.encode("big5")) == DecodedText(snippet, "big5")


def test_big5_paragraphs() -> None:
    paragraphs = [p for p in seed_text("003").split("\n") if p.strip()][:5]
    for paragraph in paragraphs:
        assert decode_document(paragraph.encode("big5")).text == paragraph


def test_empty_file_is_an_empty_document() -> None:
    assert decode_document(b"") == DecodedText("", "utf-8")


def test_bom_only_file_is_empty() -> None:
    assert decode_document(codecs.BOM_UTF8).text == ""


def test_five_megabyte_single_line() -> None:
    text = "汉字" * 900_000 + "。"
    decoded = decode_document(text.encode())
    assert decoded.text == text
    assert "\n" not in decoded.text


def test_decoded_newlines_are_normalised() -> None:
    assert decode_document("一\r\n二\r三".encode("gb18030")).text == "一\n二\n三"
    assert decode_document(b"a\r\nb\rc").text == "a\nb\nc"


# ---------------------------------------------------------------------------- binary


def png_like(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(4000)


def elf_like(rng: random.Random) -> bytes:
    return b"\x7fELF\x02\x01\x01" + bytes(9) + rng.randbytes(200) + bytes(300)


def random_bytes(rng: random.Random) -> bytes:
    return rng.randbytes(4096)


@pytest.mark.parametrize("make", [png_like, elf_like, random_bytes])
@pytest.mark.parametrize("seed", range(10))
def test_binary_is_rejected(make: Callable[[random.Random], bytes], seed: int) -> None:
    with pytest.raises(DecodeError):
        decode_document(make(random.Random(seed)))


def test_os_random_bytes_are_rejected() -> None:
    with pytest.raises(DecodeError):
        decode_document(os.urandom(4096))


def test_ascii_binary_that_is_valid_utf8_is_rejected() -> None:
    header = b"\x7fELF\x02\x01\x01" + bytes(57) + b"\x02\x00\x3e\x00" + bytes(60)
    with pytest.raises(DecodeError) as info:
        decode_document(header)
    assert str(info.value) == "binary file (NUL bytes / not text)"


def test_decode_error_is_one_line() -> None:
    with pytest.raises(DecodeError) as info:
        decode_document(png_like(random.Random(1)))
    message = str(info.value)
    assert message
    assert "\n" not in message


def test_text_with_a_few_controls_still_loads() -> None:
    assert decode_document(b"abc\x00def").text == "abc\x00def"
    hostile = "标题\x1b]0;t\x07 \x1b[2J 正文\x00\x7f".encode()
    assert decode_document(hostile).text == hostile.decode()


def test_coloured_terminal_log_is_text() -> None:
    line = "\x1b[31mERROR\x1b[0m 文件未找到\n"
    assert decode_document((line * 200).encode()).text == line * 200


# -------------------------------------------------------------------------- newlines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb\r\n", "a\nb\n"),
        ("a\rb\r", "a\nb\n"),
        ("a\r\n\rb\n\r\nc\r", "a\n\nb\n\nc\n"),
        ("\r\r\n", "\n\n"),
        ("no carriage return\n", "no carriage return\n"),
        ("", ""),
    ],
)
def test_normalise_newlines(raw: str, expected: str) -> None:
    assert normalise_newlines(raw) == expected


@given(st.text())
def test_normalise_newlines_only_touches_carriage_returns(text: str) -> None:
    result = normalise_newlines(text)
    assert "\r" not in result
    assert result.replace("\n", "") == text.replace("\r", "").replace("\n", "")


# ---------------------------------------------------------------------- display_safe

HOSTILE = [
    "[/]",
    "[@click=app.quit]x[/]",
    "数据[/]错误",
    "\x1b[2J",
    "\x1b]0;t\x07",
    "a\x00b",
    "\u202eevil\u202c",
    "\u2066x\u2069\u200e\u200f\u061c",
    "lone \ud800 and \udfff surrogates",
    "c1 \x85 \x9b \x80",
    "del \x7f",
    "\x08\x0b\x0c\r",
]


def is_unsafe(ch: str) -> bool:
    """Whether a terminal could act on ``ch`` instead of showing it."""
    cp = ord(ch)
    if ch in "\n\t":
        return False
    return (
        unicodedata.category(ch) in {"Cc", "Cs"}
        or 0x202A <= cp <= 0x202E
        or 0x2066 <= cp <= 0x2069
        or ch in "\u200e\u200f\u061c"
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_display_safe_keeps_length_and_removes_controls(text: str) -> None:
    safe = display_safe(text)
    assert len(safe) == len(text)
    assert not any(is_unsafe(ch) for ch in safe)


@pytest.mark.parametrize("text", HOSTILE)
def test_display_safe_keeps_every_harmless_character_in_place(text: str) -> None:
    for before, after in zip(text, display_safe(text), strict=True):
        if not is_unsafe(before):
            assert after == before


def test_display_safe_replacements() -> None:
    assert display_safe("\x00\x1b\x07\r\x7f") == "␀␛␇␍␡"
    assert display_safe("\x85\u202e\ud800\u2066") == "\ufffd" * 4
    assert display_safe("a\tb\nc") == "a\tb\nc"


@pytest.mark.parametrize(
    "text",
    ["[@click=app.quit]x[/]", "[bold]粗[/bold]", "𠀀𪚥", "e\u0301 n\u0303 a\u0308", "漢字\t\n"],
)
def test_display_safe_leaves_harmless_text_unchanged(text: str) -> None:
    assert display_safe(text) == text


# Plain st.characters() almost never draws the code points that matter here.
ANY_CODE_POINT = st.text(
    st.one_of(
        st.characters(exclude_categories=()),
        st.sampled_from("\x00\x1b\x7f\x85\x9f\u202e\u2069\u200f\u061c\ud800\udfff\n\t\r𠀀"),
    )
)


@given(ANY_CODE_POINT)
def test_display_safe_property(text: str) -> None:
    safe = display_safe(text)
    assert len(safe) == len(text)
    assert not any(is_unsafe(ch) for ch in safe)
    assert display_safe(safe) == safe


def test_utf8_cut_mid_character_opens_with_a_replacement_character() -> None:
    data = ("基层减负，轻装上阵。" * 50).encode()[:-1]
    decoded = decode_document(data)
    assert decoded.encoding == "utf-8 (damaged bytes replaced)"
    assert decoded.text.startswith("基层减负")
    assert decoded.text.endswith("\ufffd")


@pytest.mark.parametrize("characters", [0, 1, 7, 30])
@pytest.mark.parametrize("cut", [1, 2])
def test_a_short_utf8_file_cut_mid_character_opens_too(characters: int, cut: int) -> None:
    # 7 characters and one byte of the eighth: the 22-byte file the long one's rule refused.
    text = ("察布查尔县干部为各族群众解难题办好事。" * 2)[: characters + 1]
    data = text.encode()[:-cut]
    decoded = decode_document(data)
    assert decoded.text == text[:characters] + "\ufffd"
    assert decoded.encoding == "utf-8 (damaged bytes replaced)"


def test_a_cut_utf8_file_with_a_byte_order_mark_opens_without_it() -> None:
    decoded = decode_document(codecs.BOM_UTF8 + "基层减负".encode()[:-1])
    assert decoded.text == "基层减\ufffd"


def test_utf8_with_one_stray_byte_keeps_every_other_character() -> None:
    good = "察布查尔县干部为各族群众解难题办好事。" * 20
    data = good[:100].encode() + b"\xff" + good[100:].encode()
    decoded = decode_document(data)
    assert decoded.text == good[:100] + "\ufffd" + good[100:]


def test_mostly_ascii_gb18030_is_not_taken_for_damaged_utf8() -> None:
    text = "Report 2020-06-29: " + "a" * 300 + " 基层减负\n"
    decoded = decode_document(text.encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.text == text


def test_first_unsafe_finds_what_display_safe_replaces() -> None:
    assert first_unsafe("行一\n\t行二 [b]") is None
    assert first_unsafe("甲\u202e乙\x1b") == "\u202e"
    for text in ("\x1b]52;c;x\x07", "\x7f", "\x9b", "\u2066", "\ud800"):
        assert first_unsafe(text) is not None and display_safe(text) != text


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (2_998, "2,998"), (99_999, "99,999"), (999_999, "1.0M"), (1_000_000, "1.0M"),
     (7_700_000, "7.7M"), (20_971_520, "21M"), (999_999_999, "1.0G"), (1_500_000_000, "1.5G")],
)  # fmt: skip
def test_counts_are_shortened_never_cut(count: int, shown: str) -> None:
    from tui.core.wording import short_count

    assert short_count(count, 6) == shown
