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
from operator import sub

#: The longest block, in code points. A longer line is cut into several blocks.
MAX_BLOCK = 4096

_NEWLINE = re.compile("\n")
# Where a cut of an over-long line looks best: after sentence-ending punctuation or a space.
_SOFT_CUT = re.compile(r"[。！？!?；;…\s]")


@dataclass(frozen=True, slots=True)
class Blocks:
    """Block boundaries of one text.

    Block ``k`` is ``[starts[k], end(k))`` (end exclusive, the ``\\n`` is not part of it).
    ``continued[k]`` is true when block ``k`` continues the same paragraph as block
    ``k - 1`` (an over-long line that was cut). Ends are derived from the next start, so
    a 20 MB text costs one list of starts, not two.
    """

    starts: list[int]
    continued: list[bool]
    last_end: int

    def __len__(self) -> int:
        return len(self.starts)

    def end(self, k: int) -> int:
        """Where block ``k`` ends (exclusive)."""
        if k + 1 < len(self.starts):
            following = self.starts[k + 1]
            return following if self.continued[k + 1] else following - 1
        return self.last_end

    def block_at(self, offset: int) -> int:
        """Return the index of the block holding ``offset`` (or the one before a ``\\n``)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def is_paragraph_start(self, k: int) -> bool:
        """Whether block ``k`` begins a paragraph (is not the continuation of a cut line)."""
        return not self.continued[k]


def split_blocks(text: str) -> Blocks:
    """Return the blocks of ``text``; a final ``\\n`` does not open an empty last block."""
    # One C-level pass over the text: a 20 MB file has ~160 000 lines.
    starts = [0, *map(re.Match.end, _NEWLINE.finditer(text))]
    last_end = len(text)
    if len(starts) > 1 and starts[-1] == len(text):
        starts.pop()
        last_end -= 1
    longest = max(map(sub, starts[1:], starts), default=0)
    if max(longest, last_end - starts[-1]) <= MAX_BLOCK:
        return Blocks(starts, [False] * len(starts), last_end)
    lengths = [*map((-1).__add__, map(sub, starts[1:], starts)), last_end - starts[-1]]
    return _split_long_lines(text, starts, lengths)


def _split_long_lines(text: str, line_starts: list[int], lengths: list[int]) -> Blocks:
    starts: list[int] = []
    continued: list[bool] = []
    for line_start, length in zip(line_starts, lengths, strict=True):
        line_end = line_start + length
        position = line_start
        first = True
        while True:
            cut = _cut_point(text, position, line_end)
            starts.append(position)
            continued.append(not first)
            first = False
            if cut >= line_end:
                break
            position = cut
    return Blocks(starts, continued, line_starts[-1] + lengths[-1])


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
