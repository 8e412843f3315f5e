"""The reading pane's state and moves, independent of any terminal library.

The model holds one canonical text (DESIGN §2) and everything needed to show a window of
it: blocks (paragraphs), each block's display text in the current script with an offset
map back to canonical offsets, the block's wrapped lines for the current width, a cursor
(a canonical offset) and the top of the view as ``(block, visual line)``.

Work is proportional to what is on screen: blocks are converted, wrapped and segmented
when they are shown or visited, and cached. A background worker can make the line counts
exact with :func:`count_lines`; until then :class:`~tui.core.lineindex.LineIndex` holds
estimates that only the scrollbar sees.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from itertools import pairwise
from typing import Generic, Literal, TypeVar

from tui.core.annotations import trimmed
from tui.core.blocks import Blocks, split_blocks
from tui.core.convert import Script
from tui.core.decorations import (
    BlockDecorations,
    BlockView,
    by_block,
    changed_blocks,
    decorate,
    plain_text,
)
from tui.core.linebreak import cell_of, offset_at_cell, wrap
from tui.core.lineindex import CHUNK, LineIndex
from tui.core.script import (
    LENGTH_CHANGING,
    OffsetMap,
    convert_with_offsets,
    simplified_shadow,
    variant_pair,
)
from tui.core.segment import Segmenter
from tui.core.text import display_safe

_SENTENCE_END = re.compile(r"[。！？!?…]+[”’」』）)】》\"']*\s*")
#: How far (in blocks) a move looks for the next or previous word, sentence or paragraph.
_UNIT_REACH = 1000
#: Units of text the moves step over.
Unit = Literal["word", "sentence", "paragraph"]
_K = TypeVar("_K")
_V = TypeVar("_V")


class DisplayMode(Enum):
    """Which script the pane shows: the text as it is, or converted."""

    ORIGINAL = "original"
    SIMPLIFIED = "simplified"
    TRADITIONAL = "traditional"


@dataclass(frozen=True, slots=True)
class Row:
    """One visual line on screen: a slice ``[start, end)`` of a block's display text."""

    block: int
    line: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Word:
    """A jieba word: canonical offsets (end exclusive) and the text as displayed."""

    start: int
    end: int
    shown: str


class _Lru(Generic[_K, _V]):
    """A small least-recently-used cache: the caches here must not grow with the document."""

    def __init__(self, limit: int) -> None:
        self._items: OrderedDict[_K, _V] = OrderedDict()
        self._limit = limit

    def get(self, key: _K, build: Callable[[], _V]) -> _V:
        try:
            value = self._items[key]
        except KeyError:
            value = self._items[key] = build()
            if len(self._items) > self._limit:
                self._items.popitem(last=False)
        else:
            self._items.move_to_end(key)
        return value

    def clear(self) -> None:
        self._items.clear()

    def drop(self, key: _K) -> None:
        """Forget ``key`` (built again on its next use)."""
        self._items.pop(key, None)


def block_view(
    text: str,
    blocks: Blocks,
    k: int,
    config: str | None,
    decorations: BlockDecorations | None = None,
) -> BlockView:
    """Build the display of block ``k``: controls made visible, tabs as spaces, converted,
    with its decorations (display-only marks such as chain numbers) after their characters."""
    safe = display_safe(text[blocks.starts[k] : blocks.end(k)]).replace("\t", " ")
    if config is None:
        view = BlockView(safe, OffsetMap.identity_map(len(safe)))
    else:
        converted = convert_with_offsets(config, safe)
        view = BlockView(converted.text, converted.offsets)
    suffixes = decorations.get(k) if decorations else None
    return decorate(view, suffixes) if suffixes else view


def count_lines(
    text: str,
    blocks: Blocks,
    config: str | None,
    width: int,
    first: int,
    stop: int,
    decorations: BlockDecorations | None = None,
) -> list[int]:
    """Exact visual line counts of blocks ``first..stop-1`` (for a background worker)."""
    return [
        len(wrap(block_view(text, blocks, k, config, decorations).text, width))
        for k in range(first, stop)
    ]


class ReaderModel:
    """Cursor, view and display state of one open document."""

    def __init__(
        self,
        text: str,
        *,
        script: Script = Script.UNKNOWN,
        variant: str = "s2t",
        width: int = 80,
        height: int = 24,
        segmenter: Segmenter | None = None,
    ) -> None:
        self.text = text
        self.length = len(text)
        self.blocks = split_blocks(text)
        self.script = script
        self.to_traditional, self.to_simplified = variant_pair(variant)
        self.mode = DisplayMode.ORIGINAL
        self.width = max(1, width)
        self.height = max(1, height)
        self.segmenter = segmenter or Segmenter()
        self.cursor = 0
        self.top: tuple[int, int] = (0, 0)
        #: Bumped whenever what is drawn changes (width or script): cached lines are stale.
        self.generation = 0
        #: Bumped when line counts change (width, or a conversion that changes lengths):
        #: a background count of an older layout is discarded.
        self.layout_generation = 0
        self._goal_cell: int | None = None
        self._views: _Lru[int, BlockView] = _Lru(2048)
        self._layouts: _Lru[int, list[int]] = _Lru(2048)
        self._words: _Lru[int, list[int]] = _Lru(512)
        self._sentences: _Lru[int, list[int]] = _Lru(512)
        self.lines = LineIndex(self.blocks.starts, self.length, self.width)
        #: Display-only marks after characters (chain numbers), by block; and a counter
        #: bumped when they change, so that a line count made meanwhile is made again.
        self._decorations: BlockDecorations = {}
        self._decorations_version = 0

    # -- display state -------------------------------------------------------------------

    @property
    def config(self) -> str | None:
        """The OpenCC configuration of the current display mode (None: shown as it is)."""
        if self.mode is DisplayMode.SIMPLIFIED:
            return self.to_simplified
        if self.mode is DisplayMode.TRADITIONAL:
            return self.to_traditional
        return None

    @property
    def layout_config(self) -> str | None:
        """The conversion line counts depend on: 1:1 conversions keep every cell width."""
        config = self.config
        return config if config in LENGTH_CHANGING else None

    @property
    def shown_script(self) -> Script:
        """The script the reader sees now."""
        if self.mode is DisplayMode.SIMPLIFIED:
            return Script.SIMPLIFIED
        if self.mode is DisplayMode.TRADITIONAL:
            return Script.TRADITIONAL
        return self.script

    def toggle_script(self) -> None:
        """Flip between simplified and traditional display (mixed texts cycle through all)."""
        if self.mode is DisplayMode.ORIGINAL:
            target = DisplayMode.TRADITIONAL if self._reads_simplified() else DisplayMode.SIMPLIFIED
        elif self.mode is DisplayMode.SIMPLIFIED and self.script is Script.MIXED:
            target = DisplayMode.TRADITIONAL
        else:
            target = DisplayMode.ORIGINAL
        self.set_mode(target)

    def _reads_simplified(self) -> bool:
        return self.script in (Script.SIMPLIFIED, Script.UNKNOWN)

    def set_mode(self, mode: DisplayMode) -> None:
        """Show the text in ``mode``, keeping the cursor character and the top paragraph."""
        if mode is self.mode:
            return
        anchor = self._top_offset()
        counted_with = self.layout_config
        self.mode = mode
        self._views.clear()
        self._invalidate_layout(recount=self.layout_config != counted_with)
        self._restore_top(anchor)

    def resize(self, width: int, height: int) -> None:
        """Adapt to a new pane size, keeping the text at the top-left of the view."""
        width, height = max(1, width), max(1, height)
        if (width, height) == (self.width, self.height):
            return
        anchor = self._top_offset()
        changed_width = width != self.width
        self.width, self.height = width, height
        if changed_width:
            self._invalidate_layout(recount=True)
        self._restore_top(anchor)

    def _invalidate_layout(self, *, recount: bool) -> None:
        self.generation += 1
        self._layouts.clear()
        if recount:
            self.layout_generation += 1
            self.lines = LineIndex(self.blocks.starts, self.length, self.width)

    def _top_offset(self) -> int:
        block, line = self.top
        view = self.view(block)
        return self.blocks.starts[block] + view.offsets.to_canonical(self.layout(block)[line])

    def _restore_top(self, offset: int) -> None:
        self.top = self._row_of_offset(offset)
        self.ensure_cursor_visible()

    # -- blocks, layouts, rows -----------------------------------------------------------

    def view(self, block: int) -> BlockView:
        """Block ``block`` as currently displayed (cached)."""
        return self._views.get(
            block,
            lambda: block_view(self.text, self.blocks, block, self.config, self._decorations),
        )

    def set_decorations(self, suffixes: Mapping[int, str]) -> bool:
        """Show ``suffixes`` (canonical offset of a character → display-only text) after
        their characters, replacing the previous ones; returns whether anything changed.

        Only the blocks whose marks changed are displayed and laid out anew; their exact
        line counts are kept exact, so the scrollbar stays right.
        """
        grouped = by_block(self.blocks, suffixes)
        changed = changed_blocks(self._decorations, grouped)
        if not changed:
            return False
        anchor = self._top_offset()
        self._decorations = grouped
        self._decorations_version += 1
        self.generation += 1
        for block in changed:
            self._views.drop(block)
            self._layouts.drop(block)
            if self.lines.is_exact(block):  # else laid out when shown or counted
                self.lines.set_block(block, len(self.layout(block)))
        self._restore_top(anchor)
        return True

    def layout(self, block: int) -> list[int]:
        """Display offsets where the visual lines of ``block`` start (cached per width)."""

        return self._layouts.get(block, lambda: wrap(self.view(block).text, self.width))

    def line_range(self, block: int, line: int) -> tuple[int, int]:
        """The display offsets ``[start, end)`` of visual ``line`` of ``block``."""
        starts = self.layout(block)
        end = starts[line + 1] if line + 1 < len(starts) else len(self.view(block).text)
        return starts[line], end

    def rows(self) -> list[Row]:
        """The visual lines in the view, top to bottom (at most ``height``)."""
        rows: list[Row] = []
        block, line = self.top
        while len(rows) < self.height and block < len(self.blocks):
            for index in range(line, len(self.layout(block))):
                rows.append(Row(block, index, *self.line_range(block, index)))
                if len(rows) == self.height:
                    break
            block, line = block + 1, 0
        return rows

    @property
    def scroll_y(self) -> int:
        """The view's first visual line counted from the document start."""
        return self.lines.prefix(self.top[0]) + self.top[1]

    def apply_line_counts(self, generation: int, first: int, counts: list[int]) -> None:
        """Take exact line counts of one chunk from a background worker (stale: ignored)."""
        if generation == self.layout_generation:
            self.lines.set_chunk(first // CHUNK, counts)

    def count_lines_in_steps(self, step: int = 32) -> Iterator[None]:
        """Make the line counts exact, ``step`` blocks at a time: yields between steps.

        Meant to be driven from the interface's own thread in short slices, so that a
        key never waits long: a thread would hold the interpreter lock for 5 ms at a
        time while the interface waits. Stops early when the layout changes under it.
        """
        generation, config, width = self.layout_generation, self.layout_config, self.width
        for first in range(0, len(self.blocks), CHUNK):
            stop = min(first + CHUNK, len(self.blocks))
            while True:  # once more when marks changed meanwhile: counted with old ones
                version, counts = self._decorations_version, []
                for block in range(first, stop, step):
                    if generation != self.layout_generation:
                        return
                    end = min(block + step, stop)
                    counts += count_lines(
                        self.text, self.blocks, config, width, block, end, self._decorations
                    )
                    yield
                if version == self._decorations_version:
                    break
            self.apply_line_counts(generation, first, counts)

    # -- cursor geometry -----------------------------------------------------------------

    def _local(self, offset: int) -> tuple[int, int]:
        block = self.blocks.block_at(offset)
        return block, offset - self.blocks.starts[block]

    def _row_of_offset(self, offset: int) -> tuple[int, int]:
        block, local = self._local(offset)
        display = self.view(block).offsets.to_display(local)
        return block, max(0, bisect_right(self.layout(block), display) - 1)

    def cursor_row(self) -> tuple[int, int]:
        """``(block, visual line)`` holding the cursor."""
        return self._row_of_offset(self.cursor)

    def cursor_display_range(self) -> tuple[int, int, int]:
        """``(block, start, end)``: display offsets of the characters showing the cursor."""
        block, local = self._local(self.cursor)
        view = self.view(block)
        if local >= self.block_length(block):
            position = len(view.text)
            return block, position, position
        start, end = view.offsets.display_range(local)
        return block, start, end

    def cursor_cell(self) -> int:
        """The cursor's column in cells within its visual line."""
        block, line = self.cursor_row()
        start, _ = self.line_range(block, line)
        _, display_start, _ = self.cursor_display_range()
        return cell_of(self.view(block).text, start, display_start)

    def block_length(self, block: int) -> int:
        """Canonical length of ``block``."""
        return self.blocks.end(block) - self.blocks.starts[block]

    # -- moves ---------------------------------------------------------------------------

    def _set_cursor(self, offset: int, *, keep_goal: bool = False) -> None:
        self.cursor = offset
        if not keep_goal:
            self._goal_cell = None
        self.ensure_cursor_visible()

    def move_to(self, offset: int) -> None:
        """Put the cursor on canonical ``offset`` (a jump to a span, a search hit)."""
        self._set_cursor(max(0, min(offset, max(0, self.length - 1))))

    def move_right(self) -> None:
        """One displayed character forward (into the next block at a block end)."""
        block, local = self._local(self.cursor)
        offsets = self.view(block).offsets
        length = self.block_length(block)
        step = local + 1
        while step < length and offsets.to_display(step) == offsets.to_display(local):
            step += 1
        if step < length:
            self._set_cursor(self.blocks.starts[block] + step)
        elif block + 1 < len(self.blocks):
            self._set_cursor(self.blocks.starts[block + 1])

    def move_left(self) -> None:
        """One displayed character back (to the previous block's end at a block start)."""
        block, local = self._local(self.cursor)
        if local == 0:
            if block > 0:
                self._set_cursor(self._last_position(block - 1))
            return
        offsets = self.view(block).offsets
        step = local - 1
        while step > 0 and offsets.to_display(step - 1) == offsets.to_display(step):
            step -= 1
        self._set_cursor(self.blocks.starts[block] + step)

    def _last_position(self, block: int) -> int:
        return self.blocks.starts[block] + max(0, self.block_length(block) - 1)

    def move_down(self, count: int = 1) -> None:
        """``count`` visual lines down, keeping the column."""
        self._move_vertically(count)

    def move_up(self, count: int = 1) -> None:
        """``count`` visual lines up, keeping the column."""
        self._move_vertically(-count)

    def _move_vertically(self, count: int) -> None:
        if self._goal_cell is None:
            self._goal_cell = self.cursor_cell()
        target = self._advance(self.cursor_row(), count)
        self._set_cursor(self._offset_in_row(target, self._goal_cell), keep_goal=True)

    def move_to_cell(self, row: int, cell: int) -> None:
        """Put the cursor on the character at ``cell`` of view row ``row`` (a mouse click)."""
        rows = self.rows()
        if rows:
            target = rows[max(0, min(row, len(rows) - 1))]
            self._set_cursor(self._offset_in_row((target.block, target.line), max(0, cell)))

    def _offset_in_row(self, row: tuple[int, int], cell: int) -> int:
        block, line = row
        view = self.view(block)
        start, end = self.line_range(block, line)
        display = offset_at_cell(view.text, start, end, cell)
        local = min(view.offsets.to_canonical(display), max(0, self.block_length(block) - 1))
        return self.blocks.starts[block] + local

    def _advance(self, row: tuple[int, int], count: int) -> tuple[int, int]:
        """The row ``count`` visual lines after (or before, if negative) ``row``, clamped."""
        block, line = row
        line += count
        while line < 0 and block > 0:
            block -= 1
            line += len(self.layout(block))
        while block < len(self.blocks) and line >= len(self.layout(block)):
            if block + 1 == len(self.blocks):
                return block, len(self.layout(block)) - 1
            line -= len(self.layout(block))
            block += 1
        return block, max(0, line)

    def page_down(self) -> None:
        """One screen forward: the view and the cursor move together."""
        step = max(1, self.height - 1)
        self.top = min(self._advance(self.top, step), self._last_top())
        self._move_vertically(step)

    def page_up(self) -> None:
        """One screen back."""
        step = max(1, self.height - 1)
        self.top = self._advance(self.top, -step)
        self._move_vertically(-step)

    def _last_top(self) -> tuple[int, int]:
        last = len(self.blocks) - 1
        return self._advance((last, len(self.layout(last)) - 1), -(self.height - 1))

    def go_start(self) -> None:
        """To the first character of the document."""
        self.top = (0, 0)
        self._set_cursor(0)

    def go_end(self) -> None:
        """To the last character of the document."""
        self._set_cursor(self._last_position(len(self.blocks) - 1))

    def line_start(self) -> None:
        """To the first character of the visual line."""
        block, line = self.cursor_row()
        self._set_cursor(self._offset_in_row((block, line), 0))

    def line_end(self) -> None:
        """To the last character of the visual line."""
        block, line = self.cursor_row()
        self._set_cursor(self._offset_in_row((block, line), self.width * 2))

    def ensure_cursor_visible(self) -> None:
        """Scroll the least needed so the cursor's row is in the view."""
        row = self.cursor_row()
        if row < self.top:
            self.top = row
            return
        bottom = self._advance(self.top, self.height - 1)
        if row > bottom:
            self.top = self._advance(row, -(self.height - 1))

    def scroll_to_line(self, line: int) -> None:
        """Put document visual ``line`` at the top (mouse wheel, scrollbar), cursor follows."""
        block, within = self.lines.find(line)
        within = min(within, len(self.layout(block)) - 1)
        self.top = min((block, within), self._last_top())
        bottom = self._advance(self.top, self.height - 1)
        row = self.cursor_row()
        if row < self.top:
            self.cursor = self._offset_in_row(self.top, 0)
        elif row > bottom:
            self.cursor = self._offset_in_row(bottom, 0)

    # -- words, sentences, paragraphs ----------------------------------------------------

    def word_starts(self, block: int) -> list[int]:
        """Block-local starts of jieba words (and the block length last), cached."""

        def build() -> list[int]:
            raw = self.text[self.blocks.starts[block] : self.blocks.end(block)]
            return self.segmenter.word_starts(simplified_shadow(display_safe(raw)))

        return self._words.get(block, build)

    def _is_word(self, block: int, local: int) -> bool:
        return self.text[self.blocks.starts[block] + local].isalnum()

    def word_at_cursor(self) -> Word | None:
        """The jieba word under the cursor, or None on punctuation and space."""
        block, local = self._local(self.cursor)
        if local >= self.block_length(block) or not self._is_word(block, local):
            return None
        starts = self.word_starts(block)
        index = bisect_right(starts, local) - 1
        start, end = starts[index], starts[index + 1]
        view = self.view(block)
        shown_start, shown_end = view.offsets.display_span(start, end)
        base = self.blocks.starts[block]
        return Word(base + start, base + end, plain_text(view, shown_start, shown_end))

    def next_word(self) -> None:
        """To the start of the next word (``w``), across blocks."""
        block, local = self._local(self.cursor)
        for k in range(block, min(len(self.blocks), block + 1000)):
            after = local if k == block else -1
            for start in self.word_starts(k)[:-1]:
                if start > after and self._is_word(k, start):
                    self._set_cursor(self.blocks.starts[k] + start)
                    return

    def previous_word(self) -> None:
        """To the start of this or the previous word (``b``), across blocks."""
        block, local = self._local(self.cursor)
        for k in range(block, max(-1, block - 1000), -1):
            before = local if k == block else self.block_length(k) + 1
            for start in reversed(self.word_starts(k)[:-1]):
                if start < before and self._is_word(k, start):
                    self._set_cursor(self.blocks.starts[k] + start)
                    return

    def sentence_starts(self, block: int) -> list[int]:
        """Block-local offsets where sentences start (0 first)."""

        def build() -> list[int]:
            start, end = self.blocks.starts[block], self.blocks.end(block)
            found = [0]
            for match in _SENTENCE_END.finditer(self.text, start, end):
                if match.end() < end:
                    found.append(match.end() - start)
            return found

        return self._sentences.get(block, build)

    def next_sentence(self) -> None:
        """To the start of the next sentence (``)``)."""
        block, local = self._local(self.cursor)
        starts = self.sentence_starts(block)
        index = bisect_right(starts, local)
        if index < len(starts):
            self._set_cursor(self.blocks.starts[block] + starts[index])
            return
        following = next(
            (k for k in range(block + 1, len(self.blocks)) if self.block_length(k) > 0), None
        )
        if following is not None:  # blank lines hold no sentence
            self._set_cursor(self.blocks.starts[following])

    def previous_sentence(self) -> None:
        """To the start of this sentence, or of the previous one when already there (``(``)."""
        block, local = self._local(self.cursor)
        starts = self.sentence_starts(block)
        index = bisect_left(starts, local) - 1
        if index >= 0:
            self._set_cursor(self.blocks.starts[block] + starts[index])
            return
        earlier = next((k for k in range(block - 1, -1, -1) if self.block_length(k) > 0), None)
        if earlier is not None:  # blank lines hold no sentence
            self._set_cursor(self.blocks.starts[earlier] + self.sentence_starts(earlier)[-1])

    def next_paragraph(self) -> None:
        """To the start of the next non-empty paragraph (``}``), or the document end."""
        block = self.blocks.block_at(self.cursor)
        for k in range(block + 1, len(self.blocks)):
            if self.blocks.is_paragraph_start(k) and self.block_length(k) > 0:
                self._set_cursor(self.blocks.starts[k])
                return
        self.go_end()

    def previous_paragraph(self) -> None:
        """To the start of this paragraph, or of the previous one when already there."""
        block = self.blocks.block_at(self.cursor)
        start = self._paragraph_start(block)
        if self.blocks.starts[start] < self.cursor:
            self._set_cursor(self.blocks.starts[start])
            return
        for k in range(start - 1, -1, -1):
            if self.blocks.is_paragraph_start(k) and self.block_length(k) > 0:
                self._set_cursor(self.blocks.starts[k])
                return
        self.go_start()

    def _paragraph_start(self, block: int) -> int:
        while block > 0 and not self.blocks.is_paragraph_start(block):
            block -= 1
        return block

    # -- ends of words, sentences, paragraphs (what a selection stops on) -----------------

    def end_of_word(self) -> None:
        """To the last character of this word, or of the next when already there (vim ``e``)."""
        self._to_unit_end("word", forward=True)

    def end_of_sentence(self) -> None:
        """To the last character of this sentence (its 。 or closing quote), or of the next."""
        self._to_unit_end("sentence", forward=True)

    def end_of_paragraph(self) -> None:
        """To the last character of this paragraph, or of the next when already there."""
        self._to_unit_end("paragraph", forward=True)

    def end_of_previous_word(self) -> None:
        """To the last character of the previous word (vim ``ge``)."""
        self._to_unit_end("word", forward=False)

    def end_of_previous_sentence(self) -> None:
        """To the last character of the previous sentence."""
        self._to_unit_end("sentence", forward=False)

    def end_of_previous_paragraph(self) -> None:
        """To the last character of the previous paragraph."""
        self._to_unit_end("paragraph", forward=False)

    def _to_unit_end(self, unit: Unit, *, forward: bool) -> None:
        """To the nearest unit end after (``forward``) or before the cursor; none: stay."""
        block = self.blocks.block_at(self.cursor)
        if forward:
            first = self._paragraph_start(block) if unit == "paragraph" else block
            blocks: Iterator[int] = iter(range(first, min(len(self.blocks), first + _UNIT_REACH)))
        else:
            blocks = iter(range(block, max(-1, block - _UNIT_REACH), -1))
        for k in blocks:
            units = self._units(unit, k)
            for _, last in units if forward else reversed(units):
                if (last > self.cursor) if forward else (last < self.cursor):
                    self._set_cursor(last)
                    return

    def _units(self, unit: Unit, block: int) -> list[tuple[int, int]]:
        """Canonical ``(first, last)`` characters of the units starting in ``block``, white
        space at either end left out; a paragraph belongs to the block it starts in."""
        base = self.blocks.starts[block]
        if unit == "word":
            return [
                (base + start, base + end - 1)
                for start, end in pairwise(self.word_starts(block))
                if self._is_word(block, start)
            ]
        if unit == "sentence":
            bounds = [*self.sentence_starts(block), self.block_length(block)]
            extents = [(base + start, base + end) for start, end in pairwise(bounds)]
        elif self.blocks.is_paragraph_start(block):
            last = block
            while last + 1 < len(self.blocks) and not self.blocks.is_paragraph_start(last + 1):
                last += 1
            extents = [(base, self.blocks.end(last))]
        else:
            extents = []
        found = filter(None, (trimmed(self.text, start, end) for start, end in extents))
        return [(start, end - 1) for start, end in found]


def thumb_rows(top: int, total: int, height: int) -> tuple[int, int]:
    """Rows ``[start, end)`` of the scroll indicator's thumb; ``(0, 0)`` when all fits."""
    if total <= height or height <= 0:
        return 0, 0
    size = max(1, height * height // total)
    start = round(min(top, total - height) * (height - size) / (total - height))
    return start, start + size
