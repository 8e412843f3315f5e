"""Split a canonical text into blocks: the units of layout, conversion and segmentation.

A block is one line of the text (a paragraph), without its ``\\n``. A line longer than
:data:`MAX_BLOCK` characters is cut into several blocks, preferably after a sentence end or a
space, so that a 5 MB single-line file never makes one keystroke lay out or segment
megabytes at once. Offsets are code-point indices into the canonical text (DESIGN §2).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from operator import add

#: The longest block, in code points. A longer line is cut into several blocks.
MAX_BLOCK = 4096

# Where a cut of an over-long line looks best: after sentence-ending punctuation or a space.
_SOFT_CUT = re.compile(r"[。！？!?；;…\s]")


@dataclass(frozen=True, slots=True)
class Blocks:
    """Block boundaries of one text.

    ``starts[k]`` and ``ends[k]`` delimit block ``k`` (end exclusive, the ``\\n`` is not
    part of the block). ``continued[k]`` is true when block ``k`` continues the same
    paragraph as block ``k - 1`` (an over-long line that was cut).
    """

    starts: list[int]
    ends: list[int]
    continued: list[bool]

    def __len__(self) -> int:
        return len(self.starts)

    def block_at(self, offset: int) -> int:
        """Return the index of the block holding ``offset`` (or the one before a ``\\n``)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def is_paragraph_start(self, k: int) -> bool:
        """Whether block ``k`` begins a paragraph (is not the continuation of a cut line)."""
        return not self.continued[k]


def split_blocks(text: str) -> Blocks:
    """Return the blocks of ``text``; a final ``\\n`` does not open an empty last block."""
    # map/accumulate keep the per-line work in C: a 20 MB file has ~160 000 lines.
    lines = text.split("\n")
    if len(lines) > 1 and lines[-1] == "":
        lines.pop()
    lengths = list(map(len, lines))
    del lines
    starts = list(accumulate(map((1).__add__, lengths[:-1]), initial=0))
    if max(lengths, default=0) <= MAX_BLOCK:
        ends = list(map(add, starts, lengths))
        return Blocks(starts, ends, [False] * len(starts))
    return _split_long_lines(text, starts, lengths)


def _split_long_lines(text: str, line_starts: list[int], lengths: list[int]) -> Blocks:
    starts: list[int] = []
    ends: list[int] = []
    continued: list[bool] = []
    for line_start, length in zip(line_starts, lengths, strict=True):
        line_end = line_start + length
        position = line_start
        first = True
        while True:
            cut = _cut_point(text, position, line_end)
            starts.append(position)
            ends.append(cut)
            continued.append(not first)
            first = False
            if cut >= line_end:
                break
            position = cut
    return Blocks(starts, ends, continued)


def _cut_point(text: str, start: int, line_end: int) -> int:
    """Where the block starting at ``start`` should end (at most MAX_BLOCK later)."""
    if line_end - start <= MAX_BLOCK:
        return line_end
    hard = start + MAX_BLOCK
    window_start = hard - MAX_BLOCK // 4
    best = -1
    for match in _SOFT_CUT.finditer(text, window_start, hard):
        best = match.end()
    cut = best if best > start else hard
    # A combining mark belongs with its base character: never open a block with one.
    while cut < line_end and _is_combining(text[cut]):
        cut += 1
    return cut


def _is_combining(char: str) -> bool:
    return unicodedata.combining(char) != 0
