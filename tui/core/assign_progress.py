"""Each annotator's progress over their assigned documents, for ``biaozhu stats``.

Per annotator of the store's assignment (:mod:`tui.core.assign`): documents assigned,
done, in progress, untouched (no spans and status new), and spans per hour of active
work. *Active work* is read from the ``created`` stamps of the spans the annotator made
in the reader (origin manual or suggestion: imported and model spans are not their
work): the stamps in time order, and the time between one and the next counted when it
is at most :data:`IDLE_GAP` (a longer gap is a break, left out). The rate is the spans
counted over that time; none below :data:`LEAST_ACTIVE` of it (a span or a burst of them,
as ``O`` makes, says nothing of a pace).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from tui.core.assign import Assignment
from tui.core.spans import Origin, Status
from tui.core.text import display_safe

__all__ = [
    "IDLE_GAP",
    "LEAST_ACTIVE",
    "WORK_ORIGINS",
    "AnnotatorProgress",
    "active_hours",
    "progress",
    "progress_lines",
]

#: A longer time between two spans is a break, not work.
IDLE_GAP = timedelta(minutes=10)
#: Less active time than this gives no rate.
LEAST_ACTIVE = timedelta(minutes=1)
#: The origins of spans an annotator makes (the rate counts only these).
WORK_ORIGINS = frozenset({Origin.MANUAL, Origin.SUGGESTION})

#: An annotator's span count and status of a document (as the store's summary gives).
Summary = Callable[[str, str], tuple[int, Status]]


@dataclass(frozen=True)
class AnnotatorProgress:
    """One annotator's figures over their queue."""

    annotator: str
    assigned: int
    done: int
    in_progress: int
    untouched: int
    #: Spans made per hour of active work (None: no active time to divide by).
    spans_per_hour: float | None


def active_hours(stamps: Iterable[str]) -> float:
    """Hours of active work in ``stamps`` (ISO times): the gaps of at most IDLE_GAP."""
    times = sorted(_parsed(stamp) for stamp in stamps)
    active = sum(
        (later - earlier for earlier, later in pairwise(times)
         if later - earlier <= IDLE_GAP),
        timedelta(),
    )  # fmt: skip
    return active / timedelta(hours=1)


def _parsed(stamp: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        parsed = datetime.min  # a bad stamp: far from every other, so it counts no time
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def progress(
    assignment: Assignment, summary: Summary, stamps: Mapping[str, list[str]]
) -> list[AnnotatorProgress]:
    """Every annotator's progress over their assigned documents; ``summary`` gives one
    document's span count and status, ``stamps`` each annotator's span stamps."""
    found = []
    for annotator in sorted(assignment.loads()):
        queue = assignment.queue(annotator)
        done = in_progress = 0
        for doc_id in queue:
            spans, status = summary(doc_id, annotator)
            if status is Status.DONE:
                done += 1
            elif spans or status is not Status.NEW:
                in_progress += 1
        made = stamps.get(annotator, [])
        hours = active_hours(made)
        rate = len(made) / hours if hours >= LEAST_ACTIVE / timedelta(hours=1) else None
        untouched = len(queue) - done - in_progress
        found.append(AnnotatorProgress(annotator, len(queue), done, in_progress, untouched, rate))
    return found


def progress_lines(rows: list[AnnotatorProgress]) -> list[str]:
    """The table ``stats`` prints: a header line, then a line per annotator."""
    if not rows:
        return []
    width = max(len(display_safe(row.annotator)) for row in rows)
    lines = [
        "assignment (assigned / done / in progress / untouched, spans per hour of active work):"
    ]
    for row in rows:
        rate = "—" if row.spans_per_hour is None else f"{row.spans_per_hour:,.0f}"
        figures = f"{row.assigned:,} / {row.done:,} / {row.in_progress:,} / {row.untouched:,}"
        lines.append(f"  {display_safe(row.annotator):<{width}}  {figures}  {rate:>6} /h")
    return lines
