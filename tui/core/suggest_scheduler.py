"""Suggestions for a whole document, worked out outward from what the reader sees.

Tagging is slow (jieba's part-of-speech tagger reads ~15 000 characters a second: a 20 MB
document takes minutes), so a :class:`SuggestionScheduler` works one block (a paragraph
of :class:`~tui.core.blocks.Blocks`) at a time, in the order a reader needs them: the
blocks on screen first, top to bottom, then the nearest block on either side, outward.
When the view moves it starts again from the new view, skipping blocks already done.

The scheduler belongs to one document and keeps what it found, so a worker that was
stopped (the suggestions put away) and a new one started later go on where the first left
off. Memory stays flat: per block one byte (done or not) and two integers locating its
suggestions; per suggestion two offsets and a label number in flat arrays. No paragraph
text, list or object per paragraph is kept.

Thread safety: one worker at a time calls :meth:`step` (a second one waits for the first
to finish its block); the interface thread calls :meth:`look_at` and the read methods.
A block's results are stored before it is marked done, and readers only read done blocks.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Sequence
from dataclasses import replace

from tui.core.blocks import Blocks
from tui.core.suggest import (
    MAX_PARAGRAPH,
    Suggestion,
    SuggestionSource,
    merge_sources,
    paragraph_pieces,
)

__all__ = ["LayeredScheduler", "SuggestionScheduler"]


class SuggestionScheduler:
    """The suggestions of one document from ``sources``, block by block, nearest first."""

    def __init__(
        self,
        text: str,
        blocks: Blocks,
        sources: Sequence[SuggestionSource],
        max_chars: int = MAX_PARAGRAPH,
    ) -> None:
        self._text = text
        self._blocks = blocks
        self._sources = tuple(sources)
        self._max_chars = max_chars
        count = len(blocks)
        self._done = bytearray(count)
        self._remaining = count
        #: Where block k's suggestions sit in the flat arrays below, and how many it has.
        self._first = array("l", [0]) * count
        self._count = array("L", [0]) * count
        self._starts = array("q")
        self._ends = array("q")
        self._labels = array("H")
        self._label_names: list[str] = []
        self._label_numbers: dict[str, int] = {}
        #: Per suggestion: its source (a number into the sources' names) and confidence.
        self._origins = array("B")
        self._confidences = array("f")
        self._source_names: list[str] = []
        #: The blocks on screen, ``[first, stop)``; set from the interface thread.
        self._view = (0, min(1, count))
        self._walked_from: tuple[int, int] | None = None
        self._ahead = 0
        self._behind = -1
        self._lock = threading.Lock()

    # -- what the interface asks ---------------------------------------------------------------

    def look_at(self, first: int, stop: int) -> None:
        """Blocks ``[first, stop)`` are on screen: work there first, then outward from them."""
        count = len(self._blocks)
        first = min(max(first, 0), max(count - 1, 0))
        self._view = (first, min(max(stop, first + 1), count))

    def in_view(self, block: int) -> bool:
        """Whether ``block`` is among the blocks last said to be on screen."""
        first, stop = self._view
        return first <= block < stop

    @property
    def complete(self) -> bool:
        """Whether every block is done."""
        return self._remaining == 0

    @property
    def found(self) -> int:
        """How many suggestions were found so far (before any filtering)."""
        return len(self._starts)

    def pending_in_view(self) -> bool:
        """Whether a block on screen is still to do."""
        first, stop = self._view
        return self._done.find(0, first, stop) >= 0

    def is_done(self, block: int) -> bool:
        """Whether ``block``'s suggestions are known."""
        return bool(self._done[block])

    def count(self, block: int) -> int:
        """How many suggestions ``block`` has (0 while it is not done)."""
        return self._count[block] if self._done[block] else 0

    def suggestions(self, first: int, stop: int) -> list[Suggestion]:
        """The suggestions of the done blocks among ``[first, stop)``, sorted."""
        found: list[Suggestion] = []
        names = self._label_names
        for block in range(max(first, 0), min(stop, len(self._blocks))):
            if not self._done[block]:
                continue
            at = self._first[block]
            for index in range(at, at + self._count[block]):
                found.append(
                    Suggestion(
                        self._starts[index],
                        self._ends[index],
                        names[self._labels[index]],
                        self._source_names[self._origins[index]],
                        round(self._confidences[index], 4),
                    )
                )
        return found

    # -- the work ------------------------------------------------------------------------------

    def step(self) -> int | None:
        """Work out the next block's suggestions; return the block, or None when all are done."""
        with self._lock:
            block = self._next_block()
            if block is None:
                return None
            self._store(block, self._suggest(block))
            return block

    def _next_block(self) -> int | None:
        """The next block not done: on screen top to bottom, then the nearest either side."""
        first, stop = view = self._view
        if view != self._walked_from:
            self._walked_from = view
            self._ahead, self._behind = first, first - 1
        ahead = self._done.find(0, self._ahead)
        if ahead >= 0:
            self._ahead = ahead
            if ahead < stop:
                return ahead
        behind = self._done.rfind(0, 0, self._behind + 1) if self._behind >= 0 else -1
        self._behind = behind
        if ahead < 0 or behind < 0:
            return None if ahead < 0 and behind < 0 else max(ahead, behind)
        blocks = self._blocks
        past_view = blocks.starts[ahead] - blocks.end(stop - 1)
        before_view = blocks.starts[first] - blocks.end(behind)
        return ahead if past_view <= before_view else behind

    def _suggest(self, block: int) -> list[Suggestion]:
        """Every source's suggestions for ``block``, in document offsets, sorted; where
        they overlap, the surest (:func:`~tui.core.suggest.merge_sources`)."""
        found: list[Suggestion] = []
        start, end = self._blocks.starts[block], self._blocks.end(block)
        for piece_start, piece_end in paragraph_pieces(self._text, start, end, self._max_chars):
            paragraph = self._text[piece_start:piece_end]
            for source in self._sources:
                found += (
                    replace(s, start=s.start + piece_start, end=s.end + piece_start)
                    for s in source.suggest(paragraph)
                )
        return merge_sources(found)

    def _store(self, block: int, found: list[Suggestion]) -> None:
        """Append ``found`` to the flat arrays, then mark ``block`` done (readers wait for it)."""
        self._first[block] = len(self._starts)
        self._count[block] = len(found)
        for suggestion in found:
            self._starts.append(suggestion.start)
            self._ends.append(suggestion.end)
            self._labels.append(self._label_number(suggestion.label))
            self._origins.append(self._source_number(suggestion.source))
            self._confidences.append(suggestion.confidence)
        self._done[block] = 1
        self._remaining -= 1

    def _source_number(self, source: str) -> int:
        if source not in self._source_names:
            self._source_names.append(source)
        return self._source_names.index(source)

    def _label_number(self, label: str) -> int:
        number = self._label_numbers.get(label)
        if number is None:
            number = self._label_numbers[label] = len(self._label_names)
            self._label_names.append(label)
        return number


class LayeredScheduler:
    """One :class:`SuggestionScheduler` per source, read as one: the screen's blocks are
    done source by source in the order given (the fastest first), so the first source's
    suggestions show without waiting for the slowest; then the rest, outward.

    jieba's part-of-speech tagger reads ~15 000 characters a second (and its word-tag
    table the first time): a trained model's suggestions for the screen are ready long
    before. Where the sources' suggestions overlap, the surest is shown (merge_sources).
    """

    def __init__(
        self,
        text: str,
        blocks: Blocks,
        sources: Sequence[SuggestionSource],
        max_chars: int = MAX_PARAGRAPH,
        *,
        keeping: LayeredScheduler | None = None,
    ) -> None:
        """``keeping``: an earlier scheduler of the same text and blocks, whose work for
        a source that is also in ``sources`` (the same object) is kept: a retrained model
        replaces its own layer, and jieba's, the slow one, goes on where it was."""
        done = list(zip(keeping._sources, keeping._layers, strict=True)) if keeping else []
        self._sources: list[SuggestionSource] = list(sources)
        self._layers: list[SuggestionScheduler] = [
            next((layer for old, layer in done if old is source), None)
            or SuggestionScheduler(text, blocks, [source], max_chars)
            for source in sources
        ]

    def look_at(self, first: int, stop: int) -> None:
        """Blocks ``[first, stop)`` are on screen: every source works there first."""
        for layer in self._layers:
            layer.look_at(first, stop)

    def in_view(self, block: int) -> bool:
        """Whether ``block`` is among the blocks last said to be on screen."""
        return bool(self._layers) and self._layers[0].in_view(block)  # one view for all

    @property
    def complete(self) -> bool:
        """Whether every source has done every block."""
        return all(layer.complete for layer in self._layers)

    @property
    def found(self) -> int:
        """How many suggestions were found so far, every source's (before merging)."""
        return sum(layer.found for layer in self._layers)

    def count(self, block: int) -> int:
        """How many suggestions ``block`` has so far, every source's."""
        return sum(layer.count(block) for layer in self._layers)

    def suggestions(self, first: int, stop: int) -> list[Suggestion]:
        """The suggestions the sources have for ``[first, stop)``, merged."""
        found = [s for layer in self._layers for s in layer.suggestions(first, stop)]
        return merge_sources(found)

    def step(self) -> int | None:
        """Work out one block of one source: the first source with a block on screen to
        do, else the first with any block to do; the block, or None when all are done."""
        for layer in self._layers:
            if layer.pending_in_view():
                return layer.step()
        for layer in self._layers:
            if not layer.complete:
                block = layer.step()
                if block is not None:
                    return block
        return None
