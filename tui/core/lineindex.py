"""Visual line counts of a document, for the scrollbar and for mouse scrolling.

Counting the visual lines of a 20 MB document takes seconds and even one estimate per
block costs ~100 ms, so blocks are grouped in chunks of :data:`CHUNK`. A chunk starts with
an estimate computed in O(1) from how many characters it spans, and becomes exact when a
background worker has laid out all of its blocks. Only the scrollbar sees estimates: what
is drawn always comes from real layouts.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

#: Blocks per chunk.
CHUNK = 1024


class LineIndex:
    """Visual lines per chunk of blocks: estimated from characters, or exact."""

    def __init__(self, starts: Sequence[int], text_length: int, width: int) -> None:
        """Index blocks starting at ``starts`` in a text of ``text_length``, at ``width``."""
        self._starts = starts
        self._end = text_length
        self._half_width = max(1, width) / 2
        self._blocks = len(starts)
        chunks = -(-self._blocks // CHUNK)
        self._counts = [self._estimate(c * CHUNK, self._chunk_stop(c)) for c in range(chunks)]
        self._exact: list[list[int] | None] = [None] * chunks
        self._cumulative: list[int] | None = None

    def __len__(self) -> int:
        return self._blocks

    def _chunk_stop(self, chunk: int) -> int:
        return min(self._blocks, (chunk + 1) * CHUNK)

    def _offset(self, block: int) -> int:
        return self._starts[block] if block < self._blocks else self._end

    def _estimate(self, first: int, stop: int) -> int:
        """Lines of blocks ``first..stop-1``: one each, plus wide characters per line."""
        blocks = stop - first
        newlines = blocks - 1 if stop == self._blocks else blocks  # the last block has none
        characters = self._offset(stop) - self._offset(first) - newlines
        return blocks + int(max(0, characters) / self._half_width)

    def _chunk_starts(self) -> list[int]:
        if self._cumulative is None:
            self._cumulative = [0, *accumulate(self._counts)]
        return self._cumulative

    @property
    def total(self) -> int:
        """All visual lines of the document (estimated where not yet exact)."""
        return self._chunk_starts()[-1]

    @property
    def complete(self) -> bool:
        """Whether every chunk is exact."""
        return all(counts is not None for counts in self._exact)

    def set_chunk(self, chunk: int, counts: list[int]) -> None:
        """Record the laid-out line count of every block of ``chunk``."""
        if len(counts) != self._chunk_stop(chunk) - chunk * CHUNK:
            raise ValueError(f"chunk {chunk} needs one count per block")
        self._exact[chunk] = [0, *accumulate(counts)]
        self._counts[chunk] = sum(counts)
        self._cumulative = None

    def is_exact(self, block: int) -> bool:
        """Whether the line count of ``block``'s chunk is exact (not an estimate)."""
        chunk = block // CHUNK
        return chunk < len(self._exact) and self._exact[chunk] is not None

    def set_block(self, block: int, lines: int) -> None:
        """Record a new line count of one block (its marks changed), if its chunk is exact;
        an estimated chunk is left to the count that will make it exact."""
        chunk = block // CHUNK
        exact = self._exact[chunk] if chunk < len(self._exact) else None
        if exact is None:
            return
        local = block - chunk * CHUNK
        delta = lines - (exact[local + 1] - exact[local])
        if delta:
            for index in range(local + 1, len(exact)):
                exact[index] += delta
            self._counts[chunk] += delta
            self._cumulative = None

    def prefix(self, block: int) -> int:
        """Visual lines before ``block``."""
        chunk = block // CHUNK
        if chunk >= len(self._counts):
            return self.total
        return self._chunk_starts()[chunk] + self._within(chunk, block)

    def _within(self, chunk: int, block: int) -> int:
        exact = self._exact[chunk]
        first = chunk * CHUNK
        if exact is not None:
            return exact[block - first]
        return min(self._estimate(first, block), self._counts[chunk])

    def find(self, line: int) -> tuple[int, int]:
        """Return ``(block, line within block)`` of the document's visual ``line``."""
        if self._blocks == 0:
            return 0, 0
        line = max(0, min(line, self.total - 1))
        starts = self._chunk_starts()
        chunk = min(bisect_right(starts, line) - 1, len(self._counts) - 1)
        remaining = line - starts[chunk]
        first, stop = chunk * CHUNK, self._chunk_stop(chunk)
        low, high = first, stop - 1
        while low < high:  # the last block of the chunk whose lines start at or before
            middle = (low + high + 1) // 2
            if self._within(chunk, middle) <= remaining:
                low = middle
            else:
                high = middle - 1
        return low, remaining - self._within(chunk, low)
