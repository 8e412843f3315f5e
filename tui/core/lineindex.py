"""Visual line counts per block, with prefix sums for the scrollbar and mouse scrolling.

Counting the visual lines of a 20 MB document takes seconds, so the reader starts from an
estimate for each block and corrects it as blocks are laid out (on screen, or by a
background worker). A Fenwick tree keeps both the update and the "which block holds
visual line N" question at O(log n).
"""

from __future__ import annotations

from collections.abc import Sequence


class LineIndex:
    """Line counts of blocks, each either estimated or exact, with fast prefix sums."""

    def __init__(self, counts: Sequence[int]) -> None:
        self._counts = list(counts)
        self._exact = bytearray(len(self._counts))
        self._tree = [0, *self._counts]
        size = len(self._tree)
        for i in range(1, size):
            parent = i + (i & -i)
            if parent < size:
                self._tree[parent] += self._tree[i]
        self._total = sum(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    @property
    def total(self) -> int:
        """All visual lines of the document (estimated where not yet exact)."""
        return self._total

    def count(self, block: int) -> int:
        """Visual lines of ``block``."""
        return self._counts[block]

    def is_exact(self, block: int) -> bool:
        """Whether the count of ``block`` comes from a real layout."""
        return bool(self._exact[block])

    def set_exact(self, block: int, lines: int) -> int:
        """Record the laid-out line count of ``block``; return the change in lines."""
        self._exact[block] = 1
        delta = lines - self._counts[block]
        if delta:
            self._counts[block] = lines
            self._total += delta
            i = block + 1
            size = len(self._tree)
            while i < size:
                self._tree[i] += delta
                i += i & -i
        return delta

    def prefix(self, block: int) -> int:
        """Visual lines before ``block``."""
        total = 0
        i = block
        while i > 0:
            total += self._tree[i]
            i -= i & -i
        return total

    def find(self, line: int) -> tuple[int, int]:
        """Return ``(block, line within block)`` of the document's visual ``line``."""
        if not self._counts:
            return 0, 0
        line = max(0, min(line, self._total - 1))
        position = 0
        remaining = line
        step = 1 << (len(self._tree).bit_length())
        while step:
            nxt = position + step
            if nxt < len(self._tree) and self._tree[nxt] <= remaining:
                position = nxt
                remaining -= self._tree[nxt]
            step >>= 1
        return min(position, len(self._counts) - 1), remaining
