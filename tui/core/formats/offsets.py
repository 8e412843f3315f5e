"""Offset arithmetic between a source's text and the canonical text (DESIGN §2).

Sources give offsets against the text as they stored it: with ``\\r\\n`` line breaks, and
in some Label Studio versions in UTF-16 code units rather than code points. Spans are kept
against the canonical text (``\\n`` only, code points), so readers map every offset here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import cached_property

from tui.core.text import normalise_newlines

__all__ = ["OffsetMap", "SourceText", "Utf16Offsets", "normalise_with_map"]

OffsetMap = Callable[[int], int | None]
"""Maps an offset given by a source to a canonical offset, or None when it has none."""

_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def normalise_with_map(text: str) -> tuple[str, Callable[[int], int]]:
    """The canonical form of ``text`` and a map from offsets in ``text`` to offsets in it.

    Building costs one pass; each lookup is a binary search. The map is defined for
    ``0 <= offset <= len(text)``; an offset between the ``\\r`` and the ``\\n`` of a pair
    maps to the position of the canonical ``\\n``.
    """
    if "\r" not in text:
        return text, _same
    # Only a pair shrinks the text: a lone "\r" becomes one "\n" and keeps every offset.
    pairs = [found.start() for found in _CRLF.finditer(text)]

    def to_canonical(offset: int) -> int:
        # One character is lost for every pair whose "\r" lies before the offset.
        return offset - bisect_left(pairs, offset)

    return normalise_newlines(text), to_canonical


def _same(offset: int) -> int:
    return offset


class Utf16Offsets:
    """Conversion between code-point offsets and UTF-16 code-unit offsets of one text."""

    def __init__(self, text: str) -> None:
        self._astral = [found.start() for found in _ASTRAL.finditer(text)]
        # The UTF-16 offset of each astral character: one extra unit per earlier one.
        self._units = [index + before for before, index in enumerate(self._astral)]
        self._length = len(text) + len(self._astral)

    @property
    def has_astral(self) -> bool:
        """Whether any offsets differ between the two counts."""
        return bool(self._astral)

    def to_code_point(self, unit: int) -> int | None:
        """The code-point offset at UTF-16 ``unit``; None out of range or inside a pair."""
        if not 0 <= unit <= self._length:
            return None
        before = bisect_left(self._units, unit)
        if before and self._units[before - 1] + 1 == unit:
            return None
        return unit - before

    def to_utf16(self, index: int) -> int:
        """The UTF-16 offset of code-point offset ``index`` (``0 <= index <= len(text)``)."""
        return index + bisect_left(self._astral, index)


class SourceText:
    """A document's text as a source gave it, its canonical form, and offset readings.

    A source offset may be read several ways (see :meth:`readings`); a reader keeps the
    first reading under which the span's text matches what the source says it covers.
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self.canonical, self._to_canonical = normalise_with_map(source)

    def readings(self, *, utf16: bool = False) -> Iterator[tuple[str, OffsetMap]]:
        """The ways to read a given offset, most likely first, each with a name for messages.

        Code points of the source text (named ``""``: the offsets as given); then, with
        ``utf16``, UTF-16 units of it (older Label Studio front ends); then the same two
        against the canonical text (a tool that normalised newlines itself). Readings that
        cannot differ from an earlier one are left out; UTF-16 tables are built on demand.
        """
        yield "", self.code_point
        if utf16 and self._source_units.has_astral:
            yield "UTF-16 code units", self._via(self._source_units)
        if self.source == self.canonical:
            return
        yield "code points of the text with \\r\\n as \\n", self._canonical_code_points
        if utf16 and self._canonical_units.has_astral:
            units = self._canonical_units
            yield "UTF-16 code units of the text with \\r\\n as \\n", units.to_code_point

    def code_point(self, offset: int) -> int | None:
        """The canonical offset of code-point ``offset`` of the source, None out of range."""
        return self._to_canonical(offset) if 0 <= offset <= len(self.source) else None

    @cached_property
    def _source_units(self) -> Utf16Offsets:
        # Built on first need and kept: a document may have many UTF-16 results.
        return Utf16Offsets(self.source)

    @cached_property
    def _canonical_units(self) -> Utf16Offsets:
        return Utf16Offsets(self.canonical)

    def _canonical_code_points(self, offset: int) -> int | None:
        return offset if 0 <= offset <= len(self.canonical) else None

    def _via(self, units: Utf16Offsets) -> OffsetMap:
        def read(offset: int) -> int | None:
            index = units.to_code_point(offset)
            return None if index is None else self._to_canonical(index)

        return read
