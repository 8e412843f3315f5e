"""The edit model of one document's spans: add, delete, relabel, notes, undo and redo.

:class:`Annotations` does no I/O. Every edit returns a :class:`Change` (spans to write, span
ids to delete) that the caller persists; undo and redo return the inverse or replayed
change in the same form, so a store that applies every change mirrors ``spans`` exactly.
Edits are recorded in a :class:`~tui.core.history.History`, which may come from an earlier
session: a step is applied only while the spans it touches are still what it left.

:func:`reanchor` moves spans onto a changed version of their document by the text they
cover; spans it cannot place are kept, flagged and listed, never dropped.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from tui.core.history import History, HistoryError, SpanStates, SpanStep
from tui.core.spans import Origin, Span, new_span_id, now_iso

__all__ = ["Annotations", "Change", "excerpt", "fits", "reanchor"]

# Span text shown in a change description is cut to this many characters.
_EXCERPT = 12


@dataclass(frozen=True, slots=True)
class Change:
    """What one edit did, for the store to persist: spans to write and span ids to delete."""

    put: tuple[Span, ...]
    deleted: tuple[str, ...]
    description: str
    #: The spans put or deleted as they were before (none for new ones), so a view can
    #: follow the edit instead of starting again from every span.
    replaced: tuple[Span, ...] = field(default=(), compare=False)


def _sort_key(span: Span) -> tuple[int, int, str, str]:
    """Document order; at the same start the longer (outer) span first."""
    return (span.start, -span.end, span.label, span.id)


def excerpt(text: str) -> str:
    """A short one-line version of span text for descriptions."""
    flat = " ".join(text.split()) if any(c.isspace() for c in text) else text
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1] + "…"


def _describe(verb: str, span: Span) -> str:
    """``"<verb> <text> <label>"``, e.g. ``"label 察布查尔 PER"``."""
    return f"{verb} {excerpt(span.text)} {span.label}"


class Annotations:
    """The spans of one document by one annotator, with an undo history."""

    def __init__(
        self,
        text: str,
        doc_id: str,
        doc_sha256: str | None,
        annotator: str,
        spans: Iterable[Span] = (),
        *,
        clock: Callable[[], str] = now_iso,
        ids: Callable[[], str] = new_span_id,
        history: History | None = None,
        ordered: bool = False,
    ) -> None:
        """Start from ``spans`` (already re-anchored to ``text``) and ``history`` (empty if
        not given; the caller may add other kinds of steps to it). ``ordered``: ``spans``
        are already in document order (as the store gives them), so need no sort."""
        self.text = text
        self.doc_id = doc_id
        self._doc_sha256 = doc_sha256
        self.annotator = annotator
        self._clock = clock
        self._ids = ids
        self._by_id: dict[str, Span] = {}
        for span in spans:
            if span.id in self._by_id:
                raise ValueError(f"duplicate span id {span.id!r}")
            self._by_id[span.id] = span
        self.history = history if history is not None else History()
        #: Every span in document order, kept sorted through edits (sorting 100 000 spans
        #: again after each edit took ~120 ms); None until first needed.
        self._order: list[Span] | None = list(self._by_id.values()) if ordered else None
        self._sorted: tuple[Span, ...] | None = None
        #: How many spans are flagged (none, mostly: then every span is placed).
        self._flagged = sum(1 for span in self._by_id.values() if span.flagged)
        #: No placed span is longer (only ever grown: it bounds :meth:`at`'s search).
        self._longest = max((s.end - s.start for s in self._by_id.values()), default=0)
        self._placed: tuple[Span, ...] | None = None
        self._depths: dict[str, int] | None = None

    # -- reading -------------------------------------------------------------------------

    @property
    def doc_sha256(self) -> str:
        """The sha256 of the text, computed on first need (None was given): hashing a
        20 MB document costs ~60 ms, which opening it should not pay."""
        if self._doc_sha256 is None:
            self._doc_sha256 = text_sha256(self.text)
        return self._doc_sha256

    @property
    def spans(self) -> tuple[Span, ...]:
        """Every span, sorted by (start, -end, label, id); flagged ones included."""
        if self._sorted is None:
            if self._order is None:
                self._order = sorted(self._by_id.values(), key=_sort_key)
            self._sorted = tuple(self._order)
        return self._sorted

    @property
    def placed(self) -> tuple[Span, ...]:
        """The spans that are in the text, sorted like :attr:`spans`.

        A flagged span could not be re-anchored: its offsets are where its text used to
        be, over text it does not hold. It is listed (and can be re-placed), never drawn,
        named at the cursor, jumped to, or deleted there.
        """
        if self._placed is None:
            spans = self.spans
            self._placed = tuple(s for s in spans if not s.flagged) if self._flagged else spans
        return self._placed

    def get(self, span_id: str) -> Span | None:
        """The span with this id, or None."""
        return self._by_id.get(span_id)

    def at(self, offset: int) -> list[Span]:
        """The placed spans covering ``offset``, innermost (shortest) first."""
        spans = self.placed
        low = bisect.bisect_left(spans, offset - self._longest + 1, key=lambda s: s.start)
        high = bisect.bisect_right(spans, offset, key=lambda s: s.start)
        covering = [s for s in spans[low:high] if offset < s.end]
        return sorted(covering, key=lambda s: (s.end - s.start, -s.start, s.label, s.id))

    def innermost_at(self, offset: int) -> Span | None:
        """The shortest placed span covering ``offset``, or None."""
        covering = self.at(offset)
        return covering[0] if covering else None

    def next_start(self, offset: int) -> Span | None:
        """The first placed span starting after ``offset`` (the outermost of several)."""
        spans = self.placed
        index = bisect.bisect_right(spans, offset, key=lambda s: s.start)
        return spans[index] if index < len(spans) else None

    def previous_start(self, offset: int) -> Span | None:
        """The last placed span start before ``offset`` (the outermost of several)."""
        spans = self.placed
        index = bisect.bisect_left(spans, offset, key=lambda s: s.start)
        if index == 0:
            return None
        start = spans[index - 1].start
        return spans[bisect.bisect_left(spans, start, key=lambda s: s.start)]

    def depth(self, span_id: str) -> int:
        """How many spans enclose this one: 0 for an outermost span."""
        if self._depths is None:
            self._depths = self._compute_depths()
        return self._depths[span_id]

    def _compute_depths(self) -> dict[str, int]:
        """Depth of every span in one pass over document order.

        Every earlier span starts at or before this one, so it encloses this one exactly
        when it ends at or after it; spans with equal extent nest in sort order.
        """
        ends: list[int] = []
        depths: dict[str, int] = {}
        for span in self.spans:
            depths[span.id] = len(ends) - bisect.bisect_left(ends, span.end)
            bisect.insort(ends, span.end)
        return depths

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return self.history.can_undo

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return self.history.can_redo

    def with_extent(self, start: int, end: int) -> list[Span]:
        """The spans covering exactly ``[start, end)``, in label order."""
        spans = self.spans
        index = bisect.bisect_left(spans, start, key=lambda s: s.start)
        found = []
        while index < len(spans) and spans[index].start == start:
            if spans[index].end == end:
                found.append(spans[index])
            index += 1
        return found

    # -- editing -------------------------------------------------------------------------

    def add(
        self, start: int, end: int, label: str, *, origin: Origin = Origin.MANUAL, note: str = ""
    ) -> Change | None:
        """Label ``text[start:end]``; None when the range is empty or outside the text, the
        label is empty, or the same (start, end, label) is already there."""
        if not (0 <= start < end <= len(self.text)) or not label:
            return None
        if self._find(start, end, label) is not None:
            return None
        span = self._new_span(start, end, label, self._clock(), note=note, origin=origin)
        return self._edit(span.id, None, span, _describe("label", span))

    def _new_span(
        self,
        start: int,
        end: int,
        label: str,
        stamp: str,
        *,
        note: str = "",
        origin: Origin = Origin.MANUAL,
        accepted_from: tuple[str, ...] = (),
        confidence: float | None = None,
    ) -> Span:
        span_id = self._ids()
        if span_id in self._by_id:
            raise ValueError(f"span id generator repeated {span_id!r}")
        return Span(
            id=span_id,
            doc_id=self.doc_id,
            doc_sha256=self.doc_sha256,
            start=start,
            end=end,
            text=self.text[start:end],
            label=label,
            annotator=self.annotator,
            created=stamp,
            modified=stamp,
            note=note,
            origin=origin,
            accepted_from=accepted_from,
            confidence=confidence,
        )

    def delete(self, span_id: str) -> Change:
        """Remove a span; KeyError when there is no such span."""
        span = self._by_id[span_id]
        return self._edit(span_id, span, None, _describe("delete", span))

    def relabel(self, span_id: str, label: str) -> Change | None:
        """Give a span another label; None when unchanged, empty or it would duplicate."""
        span = self._by_id[span_id]
        if not label or label == span.label or self._find(span.start, span.end, label):
            return None
        changed = replace(span, label=label, modified=self._clock())
        description = f"relabel {excerpt(span.text)} {span.label} → {label}"
        return self._edit(span_id, span, changed, description)

    def set_note(self, span_id: str, note: str) -> Change | None:
        """Set (or with "" clear) a span's note; None when unchanged."""
        span = self._by_id[span_id]
        if note == span.note:
            return None
        changed = replace(span, note=note, modified=self._clock())
        return self._edit(
            span_id, span, changed, _describe("note on" if note else "clear note on", span)
        )

    def move(self, span_id: str, start: int, end: int) -> Change | None:
        """Put a span on ``text[start:end]`` (re-placing a flagged one), keeping its id,
        label and note; None when the range is empty or outside the text, unchanged, or
        taken by a span with the same label."""
        span = self._by_id[span_id]
        if not 0 <= start < end <= len(self.text):
            return None
        if (start, end) == (span.start, span.end) and not span.flagged:
            return None
        if self._find(start, end, span.label) is not None:
            return None  # the same label on the same text twice
        moved = replace(
            span,
            start=start,
            end=end,
            text=self.text[start:end],
            doc_sha256=self.doc_sha256,
            flagged=False,
            modified=self._clock(),
        )
        description = f"re-place {excerpt(span.text)} {span.label} → {excerpt(moved.text)}"
        return self._edit(span_id, span, moved, description)

    def add_all(
        self,
        keys: Iterable[tuple[int, int, str]],
        description: str,
        *,
        origin: Origin,
        sources: Mapping[tuple[int, int, str], tuple[Origin, float | None]] | None = None,
    ) -> Change | None:
        """Label every ``(start, end, label)`` of ``keys`` not there yet, as one edit.

        ``sources`` gives some keys an origin and confidence of their own (a model's
        suggestion); the others get ``origin``. Keys outside the text or already present
        are passed over; None when none is new.
        """
        stamp = self._clock()
        states: list[tuple[str, Span | None]] = []
        for key in sorted(set(keys)):
            start, end, label = key
            if 0 <= start < end <= len(self.text) and label and not self._find(start, end, label):
                own, confidence = (sources or {}).get(key, (origin, None))
                span = self._new_span(start, end, label, stamp, origin=own, confidence=confidence)
                states.append((span.id, span))
        if not states:
            return None
        step = SpanStep(tuple((span_id, None) for span_id, _ in states), tuple(states), description)
        self.history.record(step)
        return self._apply(step.after, description)

    def replace_within(
        self,
        start: int,
        end: int,
        keys: Iterable[tuple[int, int, str]],
        description: str,
        accepted_from: tuple[str, ...] = (),
    ) -> Change | None:
        """Make the spans lying inside ``[start, end)`` exactly ``keys``, as one edit.

        Spans inside the range and not in ``keys`` go; keys not there yet become spans
        (origin manual, ``accepted_from`` the annotators whose version they come from).
        Spans reaching outside the range stay, and so do flagged ones (not in the text at
        all). None when nothing changes.
        """
        wanted = {key for key in keys if start <= key[0] < key[1] <= end}
        states: list[tuple[str, Span | None]] = []
        before: list[tuple[str, Span | None]] = []
        for span in list(self._by_id.values()):
            key = (span.start, span.end, span.label)
            if start <= span.start and span.end <= end and not span.flagged:
                if key in wanted:
                    wanted.discard(key)
                else:
                    before.append((span.id, span))
                    states.append((span.id, None))
        stamp = self._clock()
        for span_start, span_end, label in sorted(wanted):
            span = self._new_span(span_start, span_end, label, stamp, accepted_from=accepted_from)
            before.append((span.id, None))
            states.append((span.id, span))
        if not states:
            return None
        step = SpanStep(tuple(before), tuple(states), description)
        self.history.record(step)
        return self._apply(step.after, description)

    def undo(self) -> Change | None:
        """Reverse the latest edit; None when there is nothing to undo (or the latest step
        is not a span edit).

        Raises :class:`~tui.core.history.HistoryError`, changing nothing, when the spans are
        no longer what the edit left (it came from an earlier session and another program
        or a re-anchoring changed them since), or the step cannot be read.
        """
        step = self.history.last_done()
        if not isinstance(step, SpanStep):
            return None
        change = self._replay(step.after, step.before, f"undo {step.description}")
        self.history.mark_undone()
        return change

    def redo(self) -> Change | None:
        """Repeat the latest undone edit; None when there is nothing to redo. Raises
        :class:`~tui.core.history.HistoryError` as :meth:`undo` does."""
        step = self.history.last_undone()
        if not isinstance(step, SpanStep):
            return None
        change = self._replay(step.before, step.after, f"redo {step.description}")
        self.history.mark_redone()
        return change

    def _replay(self, expected: SpanStates, wanted: SpanStates, description: str) -> Change:
        """Go from ``expected`` to ``wanted`` if the spans are as expected (HistoryError if not)."""
        problem = self._conflict(expected, wanted)
        if problem is not None:
            raise HistoryError(f"cannot {description}: {problem}")
        return self._apply(wanted, description)

    def _conflict(self, expected: SpanStates, wanted: SpanStates) -> str | None:
        """Why going from ``expected`` to ``wanted`` would invent or drop the wrong span."""
        if any(self._by_id.get(span_id) != span for span_id, span in expected):
            return "the spans changed since (another program, or the text changed)"
        back = [span for _, span in wanted if span is not None]
        # The text's sha256, not doc_id: a document whose id moved keeps its spans' old ids.
        if any(span.doc_sha256 != self.doc_sha256 for span in back):
            return "the history was recorded on another version of the text"
        if back:
            touched = {span_id for span_id, _ in wanted}
            keys = {(s.start, s.end, s.label) for s in self._by_id.values() if s.id not in touched}
            if any((span.start, span.end, span.label) in keys for span in back):
                return "that span is there again (another program labelled it)"
        return None

    def _find(self, start: int, end: int, label: str) -> Span | None:
        """The placed span with exactly this extent and label, if any (a flagged span's
        offsets say nothing about the text there)."""
        found = (s for s in self.with_extent(start, end) if s.label == label and not s.flagged)
        return next(found, None)

    def _unorder(self, span: Span | None) -> None:
        """Take ``span`` out of the kept order (sort keys are unique: they end in the id)."""
        order = self._order
        if span is None or order is None:
            return
        index = bisect.bisect_left(order, _sort_key(span), key=_sort_key)
        if index < len(order) and order[index].id == span.id:
            del order[index]

    def _edit(self, span_id: str, before: Span | None, after: Span | None, text: str) -> Change:
        """Record a new edit (which makes the undone ones unreachable) and apply it."""
        step = SpanStep(((span_id, before),), ((span_id, after),), text)
        self.history.record(step)
        return self._apply(step.after, text)

    def _apply(self, states: Sequence[tuple[str, Span | None]], description: str) -> Change:
        """Set each span id to its given state and report it as a change."""
        put: list[Span] = []
        deleted: list[str] = []
        replaced: list[Span] = []
        for span_id, span in states:
            if (old := self._by_id.get(span_id)) is not None:
                replaced.append(old)
                self._flagged -= old.flagged
            self._unorder(old)
            if span is None:
                self._by_id.pop(span_id, None)
                deleted.append(span_id)
            else:
                self._by_id[span_id] = span
                put.append(span)
                self._flagged += span.flagged
                self._longest = max(self._longest, span.end - span.start)
                if self._order is not None:
                    bisect.insort(self._order, span, key=_sort_key)
        self._sorted = self._placed = None
        self._depths = None
        return Change(tuple(put), tuple(deleted), description, tuple(replaced))


def reanchor(spans: Sequence[Span], text: str, doc_sha256: str) -> tuple[list[Span], list[Span]]:
    """Move spans onto a new version of their document; return (all spans, flagged ones).

    A span stays where its text still is; otherwise it moves to the occurrence of its text
    nearest to where it was expected, and when its text is gone it keeps its offsets
    (clamped into the text), is flagged, and is listed. No span is ever dropped. Spans
    already anchored to ``doc_sha256`` are returned unchanged if they :func:`fits` it, and
    flagged the same way if not (past its end, or over other characters). The second list
    holds every flagged span, including any flagged by an earlier re-anchoring.
    """
    if all(span.doc_sha256 == doc_sha256 and (span.flagged or fits(span, text)) for span in spans):
        return list(spans), [s for s in spans if s.flagged]  # nothing moved: no sort
    placed: dict[int, Span] = {}
    taken: set[tuple[int, int, str]] = set()
    # Insertions and deletions shift everything after them, so the shift found for one span
    # is the best guess for the next; it keeps repeated text from collapsing onto one spot.
    shift = 0
    order = sorted(range(len(spans)), key=lambda i: _sort_key(spans[i]))
    for index in order:
        span = spans[index]
        if span.doc_sha256 == doc_sha256:
            # Anchored to this very text, yet not on its characters: a hand-edited file.
            fitting = span.flagged or fits(span, text)
            placed[index] = span if fitting else _flagged(span, text, doc_sha256)
            taken.add((span.start, span.end, span.label))
            continue
        start = _place(span, text, shift, taken)
        if start is None:
            placed[index] = _flagged(span, text, doc_sha256)
            continue
        shift = start - span.start
        end = start + len(span.text)
        taken.add((start, end, span.label))
        placed[index] = replace(span, start=start, end=end, doc_sha256=doc_sha256, flagged=False)
    every = [placed[i] for i in range(len(spans))]
    return every, [s for s in every if s.flagged]


def fits(span: Span, text: str) -> bool:
    """Whether ``span`` lies inside ``text`` on the characters it says it covers.

    The one test of a span against its text: re-anchoring flags a span that fails it, and
    export refuses one.
    """
    return span.end <= len(text) and text[span.start : span.end] == span.text


def _place(span: Span, text: str, shift: int, taken: set[tuple[int, int, str]]) -> int | None:
    """The start for ``span`` in ``text``: where it was expected if its text is there, else
    the free occurrence nearest to that, else None."""
    if not span.text:
        return None
    size = len(span.text)
    for guess in (span.start + shift, span.start):
        free = (guess, guess + size, span.label) not in taken
        if guess >= 0 and free and text[guess : guess + size] == span.text:
            return guess
    return _nearest(text, span.text, span.label, span.start + shift, taken)


def _nearest(
    text: str, needle: str, label: str, anchor: int, taken: set[tuple[int, int, str]]
) -> int | None:
    """The occurrence of ``needle`` nearest to ``anchor`` not already holding this label."""
    anchor = max(0, min(anchor, len(text)))
    size = len(needle)
    right = text.find(needle, anchor)
    left = text.rfind(needle, 0, anchor + size - 1) if anchor else -1
    while right != -1 or left != -1:
        take_right = left == -1 or (right != -1 and right - anchor <= anchor - left)
        found = right if take_right else left
        if (found, found + size, label) not in taken:
            return found
        if take_right:
            right = text.find(needle, right + 1)
        else:
            left = text.rfind(needle, 0, left + size - 1) if left else -1
    return None


def _flagged(span: Span, text: str, doc_sha256: str) -> Span:
    """A span whose text is gone: offsets clamped into the new text, flagged for review."""
    start = min(max(span.start, 0), len(text))
    end = min(max(span.end, start), len(text))
    return replace(span, start=start, end=end, doc_sha256=doc_sha256, flagged=True)


def trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without the white space (newlines included) at either end.

    A selection made by sentence or paragraph moves easily takes in a line break; a
    span of a name or a sentence never should. None when nothing but white space is left.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def text_sha256(text: str) -> str:
    """The sha256 of a canonical text (UTF-8; lone surrogates kept) that spans refer to."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
