"""What the reading pane draws over the text, and which of it falls in each block.

A mark is ``(start, end, label as drawn, span id)`` in canonical offsets: a span in the
text, a suggestion (label prefixed with :data:`SUGGESTION`) or, in review, an annotator's
span the gold layer lacks (prefixed with :data:`CANDIDATE`). Flagged spans are never
marks: their offsets are where their text used to be, over text they do not hold.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.annotations import Change
    from tui.core.blocks import Blocks
    from tui.core.review import ReviewDocument
    from tui.core.spans import Span

#: Label prefix of an annotator's span not in the gold layer (review); a label name never
#: holds whitespace, so no real label can look like one.
CANDIDATE = " "
#: Label prefix of a suggestion (not a span until accepted).
SUGGESTION = "\t"
#: Label prefix of a candidate drawn faintly (review): another version of the disagreement
#: under the cursor than the one shown, or a candidate of a decided disagreement.
DIMMED = "\n"
#: The prefixes of marks drawn over spans rather than as spans.
OVERLAY_PREFIXES = (CANDIDATE, SUGGESTION, DIMMED)

Mark = tuple[int, int, str, str]


@dataclass(frozen=True, slots=True)
class ReviewFocus:
    """How review draws the candidates: the disagreement under the cursor (its extent) with
    the spans of the version shown, and the extents of the decided disagreements.

    Inside the focused disagreement only the version shown is drawn in full, the other
    versions faintly; a decided disagreement's candidates are faint too.
    """

    extent: tuple[int, int] | None = None
    shown: frozenset[tuple[int, int, str]] = frozenset()
    decided: frozenset[tuple[int, int]] = field(default_factory=frozenset)

    def prefix(self, start: int, end: int, label: str) -> str:
        """The mark prefix of the candidate ``(start, end, label)``."""
        if self.extent is not None and self.extent[0] <= start and end <= self.extent[1]:
            return CANDIDATE if (start, end, label) in self.shown else DIMMED
        if any(low <= start and end <= high for low, high in self.decided):
            return DIMMED
        return CANDIDATE


def collect_marks(
    spans: Iterable[Span],
    suggestions: Iterable[tuple[int, int, str]],
    review: ReviewDocument | None = None,
    focus: ReviewFocus | None = None,
) -> list[Mark]:
    """The marks of placed ``spans``, ``suggestions`` and (in ``review``) the candidates,
    drawn as ``focus`` says."""
    marks: list[Mark] = [
        (span.start, span.end, span.label, span.id) for span in spans if not span.flagged
    ]
    marks += [(start, end, SUGGESTION + label, SUGGESTION) for start, end, label in suggestions]
    if review is not None:
        gold = ((mark[0], mark[1], mark[2]) for mark in marks)
        focus = focus or ReviewFocus()
        for start, end, label in review.candidates(gold):
            prefix = focus.prefix(start, end, label)
            marks.append((start, end, prefix + label, prefix))
    return marks


class MarkIndex:
    """Marks sorted once; each block takes its share by bisection when first drawn.

    Sorting thousands of spans into every block up front was a fifth of the first frame
    of a document opened for review.
    """

    def __init__(self, marks: list[Mark]) -> None:
        self._marks = sorted(marks)
        self._starts = [mark[0] for mark in self._marks]
        self._longest = max((mark[1] - mark[0] for mark in self._marks), default=0)
        self._by_block: dict[int, list[Mark]] = {}

    def follow(self, changes: Iterable[Change]) -> None:
        """Move the span marks as ``changes`` moved the spans: a few marks taken out and put
        in (sorting 100 000 marks again after each edit took most of a label key's time).
        Not for review, where gold spans also decide which candidates are drawn."""
        for change in changes:
            for span in change.replaced:
                if not span.flagged:
                    self._take_out((span.start, span.end, span.label, span.id))
            for span in change.put:
                if not span.flagged:
                    self._put_in((span.start, span.end, span.label, span.id))
        self._by_block.clear()

    def _take_out(self, mark: Mark) -> None:
        index = bisect.bisect_left(self._marks, mark)
        if index < len(self._marks) and self._marks[index] == mark:
            del self._marks[index]
            del self._starts[index]

    def _put_in(self, mark: Mark) -> None:
        index = bisect.bisect_left(self._marks, mark)
        self._marks.insert(index, mark)
        self._starts.insert(index, mark[0])
        # Only ever grown: it bounds how far back a block looks for marks reaching into it.
        self._longest = max(self._longest, mark[1] - mark[0])

    def in_block(self, blocks: Blocks, block: int) -> list[Mark]:
        """The marks reaching into ``block``: as ``blocks.block_at`` would place them, from
        the block of the start to the block of the last character (a mark on the line
        break belongs before it)."""
        found = self._by_block.get(block)
        if found is None:
            first = blocks.starts[block]
            following = blocks.starts[block + 1] if block + 1 < len(blocks) else sys.maxsize
            low = bisect.bisect_left(self._starts, first - self._longest)
            high = bisect.bisect_left(self._starts, following)
            found = [mark for mark in self._marks[low:high] if max(mark[0], mark[1] - 1) >= first]
            self._by_block[block] = found
        return found
