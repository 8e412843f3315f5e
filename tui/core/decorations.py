"""Display-only marks drawn after characters (a chain's index: 李四¹ … 他¹).

A decoration is a short suffix shown right after one canonical character's display. It is
never part of the canonical text: annotations, exports, search and word boundaries never
see it. The reader shows it by decorating a block's :class:`~tui.core.reader.BlockView`:
the suffix is inserted into the display text after the character's display range, and the
offset map is composed with the insertion, so that

- the character's display range grows by the suffix (a span ending there covers its mark,
  which is drawn in the span's colour; the cursor on the character covers it too, so
  moving right steps over it),
- every later display offset shifts by the suffix's length,
- a display offset inside a suffix maps back to its character (a click on the mark lands
  on it).

The composition is exact whatever the conversion did to lengths (s2twp's 内存 → 記憶體):
offsets go through the conversion's :class:`~tui.core.script.OffsetMap` first and the
insertions second, never approximated into one proportional map.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.core.script import OffsetMap

if TYPE_CHECKING:
    from tui.core.blocks import Blocks

__all__ = [
    "BlockDecorations",
    "BlockView",
    "DecoratedMap",
    "DisplayOffsets",
    "by_block",
    "changed_blocks",
    "decorate",
    "plain_text",
]

#: An insertion: (undecorated display offset it goes before, its length, the canonical
#: character it belongs to).
Insertion = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class DecoratedMap:
    """An :class:`OffsetMap` (``base``) followed by suffixes inserted into its display.

    Offers the same lookups as :class:`OffsetMap`; ``insertions`` are sorted by where
    they go and never empty.
    """

    base: OffsetMap
    insertions: tuple[Insertion, ...]
    #: Undecorated positions of the insertions, and their decorated starts.
    _places: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)
    #: Suffix cells inserted before each insertion (and all of them, last).
    _before: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index the insertions on both sides for bisection."""
        before = [0]
        for _, length, _ in self.insertions:
            before.append(before[-1] + length)
        places = tuple(place for place, _, _ in self.insertions)
        starts = tuple(place + shift for place, shift in zip(places, before, strict=False))
        object.__setattr__(self, "_places", places)
        object.__setattr__(self, "_starts", starts)
        object.__setattr__(self, "_before", tuple(before))

    @property
    def canonical_len(self) -> int:
        """Length of the canonical block."""
        return self.base.canonical_len

    @property
    def display_len(self) -> int:
        """Length of the decorated display text."""
        return self.base.display_len + self._before[-1]

    @property
    def identity(self) -> bool:
        """Never: the suffixes shift offsets."""
        return False

    def _lift(self, j: int) -> int:
        """The decorated offset of undecorated display boundary ``j``: a suffix inserted
        at ``j`` comes before it (it belongs to the character ending there)."""
        return j + self._before[bisect_right(self._places, j)]

    def to_display(self, i: int) -> int:
        """Return the display offset of canonical offset ``i`` (0 ≤ i ≤ canonical_len)."""
        return self._lift(self.base.to_display(i))

    def to_canonical(self, j: int) -> int:
        """Return the canonical offset of display offset ``j``; on a suffix: its character."""
        if not 0 <= j <= self.display_len:
            raise IndexError(f"display offset {j} outside 0..{self.display_len}")
        k = bisect_right(self._starts, j) - 1
        if k >= 0 and j < self._starts[k] + self.insertions[k][1]:
            place, _, owner = self.insertions[k]
            # Within the canonical offsets either side of the mark, so the map stays
            # monotone even where a shortened phrase shares display characters.
            low = self.base.to_canonical(place - 1) if place > 0 else 0
            return min(max(owner, low), self.base.to_canonical(place))
        return self.base.to_canonical(j - self._before[k + 1])

    def marks(self) -> Iterator[tuple[int, int]]:
        """The display ``[start, end)`` of each inserted suffix, in order."""
        for (_, length, _), start in zip(self.insertions, self._starts, strict=True):
            yield start, start + length

    def display_range(self, i: int) -> tuple[int, int]:
        """Return the display ``[start, end)`` showing canonical character ``i``, its
        suffix included."""
        start, end = self.base.display_range(i)
        return self._lift(start), self._lift(end)

    def display_span(self, start: int, end: int) -> tuple[int, int]:
        """Return the display ``[j0, j1)`` showing canonical ``[start, end)`` (with the
        suffix of its last character)."""
        if start >= end:
            at = self.to_display(start)
            return at, at
        return self.display_range(start)[0], self.display_range(end - 1)[1]


def plain_text(view: BlockView, start: int, end: int) -> str:
    """The display text ``[start, end)`` of ``view`` without its decorations (a word as
    the dictionary should look it up)."""
    offsets = view.offsets
    if not isinstance(offsets, DecoratedMap):
        return view.text[start:end]
    kept = []
    done = start
    for mark_start, mark_end in offsets.marks():
        if mark_start >= end:
            break
        if mark_end > done:
            kept.append(view.text[done : max(done, mark_start)])
            done = max(done, mark_end)
    kept.append(view.text[done:end])
    return "".join(kept)


#: What a block view's offsets may be: a conversion's map, or one with decorations.
DisplayOffsets = OffsetMap | DecoratedMap


@dataclass(frozen=True, slots=True)
class BlockView:
    """One block as displayed: sanitised, converted text and its map to canonical offsets."""

    text: str
    offsets: DisplayOffsets


def decorate(view: BlockView, suffixes: Mapping[int, str]) -> BlockView:
    """``view`` with ``suffixes`` (block-local canonical offset of a character → text)
    shown after their characters; offsets outside the block and empty suffixes are left
    out. ``view`` must not be decorated already."""
    offsets = view.offsets
    if isinstance(offsets, DecoratedMap):
        raise ValueError("the view is decorated already")
    places: dict[int, tuple[list[str], int]] = {}
    for char in sorted(suffixes):
        suffix = suffixes[char]
        if not suffix or not 0 <= char < offsets.canonical_len:
            continue
        place = offsets.display_range(char)[1]
        # Characters sharing one display character (a shortened phrase) share its end.
        texts, _ = places.setdefault(place, ([], char))
        texts.append(suffix)
    if not places:
        return view
    parts: list[str] = []
    insertions: list[Insertion] = []
    done = 0
    for place in sorted(places):
        texts, owner = places[place]
        suffix = "".join(texts)
        parts += [view.text[done:place], suffix]
        insertions.append((place, len(suffix), owner))
        done = place
    parts.append(view.text[done:])
    return dataclasses.replace(
        view, text="".join(parts), offsets=DecoratedMap(offsets, tuple(insertions))
    )


#: Decorations of a document: block → {block-local canonical offset → suffix}.
BlockDecorations = dict[int, dict[int, str]]


def by_block(blocks: Blocks, suffixes: Mapping[int, str]) -> BlockDecorations:
    """Group a document's suffixes (canonical offset → text) by block, in local offsets;
    empty suffixes and offsets outside the text are left out."""
    grouped: BlockDecorations = {}
    for offset, suffix in suffixes.items():
        if suffix and 0 <= offset < blocks.last_end:
            block = blocks.block_at(offset)
            grouped.setdefault(block, {})[offset - blocks.starts[block]] = suffix
    return grouped


def changed_blocks(before: BlockDecorations, after: BlockDecorations) -> set[int]:
    """The blocks whose decorations differ between ``before`` and ``after``."""
    return {
        block for block in before.keys() | after.keys() if before.get(block) != after.get(block)
    }
