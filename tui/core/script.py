"""Script conversion (simplified ⇄ traditional) with offset maps (DESIGN §4).

Annotations always point into the canonical text; the reader may show a converted one.
Most OpenCC configurations keep the length 1:1 per code point, so offsets carry over
unchanged. The phrase configurations (s2twp, tw2sp, …) replace words by words of another
length (内存 → 記憶體, U盘 → 隨身碟), so :func:`convert_with_offsets` also builds an
:class:`OffsetMap` between canonical and displayed offsets.

How the map is built: the paragraph is split into chunks at punctuation and whitespace
(phrases never span those) and each chunk is converted alone, so the display text is
exactly the concatenation of the converted chunks. A chunk whose length changed is
aligned against its 1:1 conversion with :class:`difflib.SequenceMatcher`; each differing
region becomes a block, which is checked by converting its canonical text alone and
widened until that gives its display text. Inside a block offsets are scaled
proportionally, so that the longer side always round-trips exactly through the shorter.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

from tui.core.convert import convert

__all__ = [
    "LENGTH_CHANGING",
    "VARIANTS",
    "Block",
    "Converted",
    "OffsetMap",
    "convert_with_offsets",
    "simplified_shadow",
    "split_chunks",
    "variant_pair",
]

#: Display variant name → (to traditional, to simplified) OpenCC configurations.
VARIANTS: dict[str, tuple[str, str]] = {
    "s2t": ("s2t", "t2s"),
    "s2tw": ("s2tw", "tw2s"),
    "s2hk": ("s2hk", "hk2s"),
    "s2twp": ("s2twp", "tw2sp"),
}

# The reverse configuration names name the same pair.
_ALIASES: dict[str, str] = {pair[1]: name for name, pair in VARIANTS.items()}

#: Configurations that may change the length of the text (phrase conversions).
LENGTH_CHANGING = frozenset({"s2twp", "tw2sp", "s2hkp", "hk2sp"})

# The 1:1 configuration that converts the same characters as each phrase configuration;
# its output has the canonical length and is what a phrase conversion is aligned against.
_ONE_TO_ONE: dict[str, str] = {"s2twp": "s2tw", "tw2sp": "tw2s", "s2hkp": "s2hk", "hk2sp": "hk2s"}

#: A region converted as a whole: canonical ``[c_start, c_end)`` shows as display
#: ``[d_start, d_end)``; both are non-empty and of different lengths.
Block = tuple[int, int, int, int]


def variant_pair(name: str) -> tuple[str, str]:
    """Return the (to traditional, to simplified) configurations of variant ``name``.

    Reverse names ("tw2sp" for "s2twp", …) are accepted as aliases.
    """
    pair = VARIANTS.get(_ALIASES.get(name, name))
    if pair is None:
        valid = ", ".join([*VARIANTS, *_ALIASES])
        raise ValueError(f"unknown script variant {name!r}; valid names: {valid}")
    return pair


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets between a canonical paragraph and its converted display text.

    ``blocks`` holds the sorted regions whose length changed; elsewhere offsets differ by
    the shift accumulated over the blocks before them. Lookups bisect the blocks, and a
    map without blocks (the usual case) costs one comparison.
    """

    canonical_len: int
    display_len: int
    blocks: tuple[Block, ...] = ()
    _c_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _d_starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the block starts on both sides for bisection."""
        object.__setattr__(self, "_c_starts", tuple(b[0] for b in self.blocks))
        object.__setattr__(self, "_d_starts", tuple(b[2] for b in self.blocks))

    @staticmethod
    def identity_map(n: int) -> OffsetMap:
        """Return the map of a conversion that kept every offset (length ``n``)."""
        return OffsetMap(n, n)

    @property
    def identity(self) -> bool:
        """Whether every offset maps to itself."""
        return not self.blocks

    def to_display(self, i: int) -> int:
        """Return the display offset of canonical offset ``i`` (0 ≤ i ≤ canonical_len)."""
        if not 0 <= i <= self.canonical_len:
            raise IndexError(f"canonical offset {i} outside 0..{self.canonical_len}")
        if not self.blocks:
            return i
        k = bisect_right(self._c_starts, i) - 1
        if k < 0:
            return i
        c0, c1, d0, d1 = self.blocks[k]
        if i >= c1:
            return i + d1 - c1
        n, m = c1 - c0, d1 - d0
        r = i - c0
        # Round up when the display side is longer, down when shorter: either way the
        # longer side's offsets survive the trip through the shorter one.
        return d0 + (-(-r * m // n) if m >= n else r * m // n)

    def to_canonical(self, j: int) -> int:
        """Return the canonical offset of display offset ``j`` (0 ≤ j ≤ display_len)."""
        if not 0 <= j <= self.display_len:
            raise IndexError(f"display offset {j} outside 0..{self.display_len}")
        if not self.blocks:
            return j
        k = bisect_right(self._d_starts, j) - 1
        if k < 0:
            return j
        c0, c1, d0, d1 = self.blocks[k]
        if j >= d1:
            return j - d1 + c1
        n, m = c1 - c0, d1 - d0
        q = j - d0
        return c0 + (q * n // m if m >= n else -(-q * n // m))

    def display_range(self, i: int) -> tuple[int, int]:
        """Return the display ``[start, end)`` showing canonical character ``i``.

        Never empty: when a phrase got shorter, several canonical characters share a
        display character.
        """
        if not 0 <= i < self.canonical_len:
            raise IndexError(f"canonical index {i} outside 0..{self.canonical_len - 1}")
        start = self.to_display(i)
        return start, max(start + 1, self.to_display(i + 1))

    def display_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the display ``[j0, j1)`` showing canonical ``[start, end)``.

        Non-empty when ``start < end``; an empty span maps to an empty one.
        """
        if start >= end:
            at = self.to_display(start)
            return at, at
        return self.display_range(start)[0], self.display_range(end - 1)[1]


@dataclass(frozen=True, slots=True)
class Converted:
    """A converted paragraph and the map from canonical to its offsets."""

    text: str
    offsets: OffsetMap


def convert_with_offsets(config: str, text: str) -> Converted:
    """Convert one paragraph with OpenCC ``config`` and map offsets between the two.

    ``text`` must be free of control characters (OpenCC drops or truncates around them).
    """
    if config not in LENGTH_CHANGING:
        out = convert(config, text)
        if len(out) == len(text):
            return Converted(out, OffsetMap.identity_map(len(text)))
    chunks = split_chunks(text)
    outs = _convert_chunks(config, chunks)
    display = "".join(outs)
    if len(display) == len(text) and all(map(_same_length, chunks, outs)):
        return Converted(display, OffsetMap.identity_map(len(text)))
    blocks: list[Block] = []
    c_pos = d_pos = 0
    for chunk, out in zip(chunks, outs, strict=True):
        if len(chunk) != len(out):
            blocks.extend(
                (c0 + c_pos, c1 + c_pos, d0 + d_pos, d1 + d_pos)
                for c0, c1, d0, d1 in _align_chunk(config, chunk, out)
            )
        c_pos += len(chunk)
        d_pos += len(out)
    return Converted(display, OffsetMap(len(text), len(display), tuple(blocks)))


def simplified_shadow(text: str) -> str:
    """Return ``t2s(text)``, guaranteed to have the same length as ``text``.

    Analysis (segmentation, pinyin) runs on this shadow and its offsets are used on the
    canonical text unchanged (DESIGN §5), so the length must never differ.
    """
    out = convert("t2s", text)
    if len(out) == len(text):
        return out
    return _char_by_char("t2s", text)


@cache
def _separator_pattern() -> re.Pattern[str]:
    """Return the pattern of a run of chunk text or a run of separators.

    Separators are whitespace and every punctuation or space character of the BMP; built
    on first use so that importing this module stays cheap.
    """
    seps = [
        chr(cp)
        for cp in range(0x10000)
        if unicodedata.category(chr(cp))[0] in "PZ" or chr(cp).isspace()
    ]
    cls = "".join(re.escape(ch) for ch in seps)
    return re.compile(f"[^{cls}]+|[{cls}]+")


def split_chunks(text: str) -> list[str]:
    """Split a paragraph into runs of text and runs of punctuation or whitespace.

    The chunks concatenate to ``text``; each is converted alone.
    """
    return _separator_pattern().findall(text)


def _convert_chunks(config: str, chunks: list[str]) -> list[str]:
    """Convert each chunk alone, in one OpenCC call when possible.

    Chunks are joined with newlines, which no dictionary entry contains, so no phrase
    can match across two chunks.
    """
    outs = convert(config, "\n".join(chunks)).split("\n")
    if len(outs) != len(chunks):  # a chunk held a newline after all
        outs = [convert(config, chunk) for chunk in chunks]
    # A chunk that vanished would leave its characters nothing to show them.
    return [
        out if out or not chunk else _one_to_one(config, chunk)
        for chunk, out in zip(chunks, outs, strict=True)
    ]


def _same_length(a: str, b: str) -> bool:
    """Whether two strings have the same length."""
    return len(a) == len(b)


def _one_to_one(config: str, text: str) -> str:
    """Convert ``text`` with the 1:1 configuration matching ``config``, keeping its length."""
    plain = _ONE_TO_ONE.get(config, config)
    out = convert(plain, text)
    if len(out) == len(text):
        return out
    return _char_by_char(plain, text)


def _char_by_char(config: str, text: str) -> str:
    """Convert each character alone, keeping any that would not stay one character."""
    parts = []
    for ch in text:
        out = convert(config, ch)
        parts.append(out if len(out) == 1 else ch)
    return "".join(parts)


def _align_chunk(config: str, chunk: str, out: str) -> list[Block]:
    """Return the length-changing blocks of one chunk, in chunk-local offsets.

    The chunk's 1:1 conversion has the canonical offsets and mostly the same characters
    as the phrase conversion, so the differences between the two are the phrases.
    """
    plain = _one_to_one(config, chunk)
    matcher = SequenceMatcher(None, plain, out, autojunk=False)
    blocks = [[i1, i2, j1, j2] for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    _verify_blocks(config, chunk, out, blocks)
    return [(c0, c1, d0, d1) for c0, c1, d0, d1 in blocks if c1 - c0 != d1 - d0]


def _verify_blocks(config: str, chunk: str, out: str, blocks: list[list[int]]) -> None:
    """Widen, in place, each block until its canonical text alone converts to its display.

    Blocks of unchanged length map 1:1 whatever their content and are left alone.
    Between blocks the texts match one for one, so widening by a character moves both
    sides by one; a block that reaches its neighbour swallows it. The whole chunk always
    passes, so this ends.
    """
    k = 0
    while k < len(blocks):
        c0, c1, d0, d1 = blocks[k]
        if c1 - c0 == d1 - d0 or _block_ok(config, chunk[c0:c1], out[d0:d1]):
            k += 1
            continue
        if k > 0 and blocks[k - 1][1] == c0:
            c0, d0 = blocks[k - 1][0], blocks[k - 1][2]
            del blocks[k - 1]
            k -= 1
        elif c0 > 0:
            c0, d0 = c0 - 1, d0 - 1
        if k + 1 < len(blocks) and blocks[k + 1][0] == c1:
            c1, d1 = blocks[k + 1][1], blocks[k + 1][3]
            del blocks[k + 1]
        elif c1 < len(chunk):
            c1, d1 = c1 + 1, d1 + 1
        blocks[k] = [c0, c1, d0, d1]
        if c0 == 0 and c1 == len(chunk):
            k += 1  # the whole chunk: right by construction


def _block_ok(config: str, canonical: str, display: str) -> bool:
    """Whether a block stands alone: both sides non-empty and converting one gives the other."""
    return bool(canonical) and bool(display) and convert(config, canonical) == display
