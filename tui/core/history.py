"""The undo history of one (document, layer): bounded, and kept as text for its file.

A history is the list of steps made, oldest first, and the steps undone since, newest
undone last. It holds at most :data:`HISTORY_LIMIT` steps; the oldest fall off.

On disk (see :meth:`tui.core.store.DocumentStore.save_history`) it is JSON lines: a header
naming the format and the document, then every step in the order it was first made, the
undone ones last::

    {"format": "biaozhu-undo-history", "version": 1, "doc_id": "a.txt", "done": 2}
    {"kind": "spans", "description": "label 察布查尔 PER", "before": [["<id>", null]], ...}
    {"kind": "reject", "keys": [[7, 9, "PER"]]}

Reading a file only checks its header: each step is parsed when undo or redo first
reaches it, so reopening a document with a long history costs no more than reading the
bytes. A step keeps the exact spans before and after it, so whoever applies it can check
the spans are still what the step expects (see :meth:`tui.core.annotations.Annotations.undo`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tui.core.spans import Span

__all__ = [
    "HISTORY_LIMIT",
    "History",
    "HistoryError",
    "LinkStates",
    "LinkStep",
    "RejectStep",
    "SpanKey",
    "SpanStates",
    "SpanStep",
    "Step",
    "retagged",
]

#: At most this many steps are kept per document (done and undone together).
HISTORY_LIMIT = 1000

_FORMAT = "biaozhu-undo-history"
_VERSION = 1

#: A span as (start, end, label).
SpanKey = tuple[int, int, str]
#: Span ids, each with its state (None: absent).
SpanStates = tuple[tuple[str, Span | None], ...]


class HistoryError(Exception):
    """A history (or one of its steps) cannot be used; the message says why, in one line."""


#: Links (relations, chains, attributes) as ``(table, record id, record or None)``.
LinkStates = tuple[tuple[str, str, Mapping[str, Any] | None], ...]


@dataclass(frozen=True, slots=True)
class SpanStep:
    """A span edit: each touched span id with its state before and after, and, in review,
    the disagreement it decided (undoing the step undecides it). Links that went with a
    deleted span (its relations, attributes, chain places) are in the same step."""

    before: SpanStates
    after: SpanStates
    description: str
    decides: tuple[int, int] | None = None
    links_before: LinkStates = ()
    links_after: LinkStates = ()


@dataclass(frozen=True, slots=True)
class LinkStep:
    """A change of relations, chains, attributes or the document's categories: each
    touched record before and after, and the categories before and after (None: same)."""

    before: LinkStates
    after: LinkStates
    description: str
    categories: tuple[frozenset[str], frozenset[str]] | None = None


@dataclass(frozen=True, slots=True)
class RejectStep:
    """Suggestions rejected: never suggested again (undoing lets them come back)."""

    keys: frozenset[SpanKey]

    @property
    def description(self) -> str:
        """What the step did, in a few words."""
        return f"rejecting {len(self.keys)} suggestions"


Step = SpanStep | RejectStep | LinkStep


class _Entry:
    """One step, as its object or its line of the file, each made from the other on need."""

    __slots__ = ("_line", "_step")

    def __init__(self, step: Step | None = None, line: bytes | None = None) -> None:
        self._step = step
        self._line = line

    @property
    def step(self) -> Step:
        """The step; HistoryError when its line cannot be read."""
        if self._step is None:
            assert self._line is not None
            self._step = _decode_step(self._line)
        return self._step

    @property
    def line(self) -> bytes:
        """The step as one line of JSON (kept: a history is written after every edit)."""
        if self._line is None:
            assert self._step is not None
            self._line = _encode_step(self._step).encode("ascii")
        return self._line


class History:
    """Steps done and undone, at most ``limit`` of them."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self._done: list[_Entry] = []
        self._undone: list[_Entry] = []  # the next to redo last

    def __len__(self) -> int:
        return len(self._done) + len(self._undone)

    @property
    def can_undo(self) -> bool:
        """Whether there is a step to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone step to redo."""
        return bool(self._undone)

    def record(self, step: Step) -> None:
        """A new step: the undone ones can no longer be redone; the oldest may fall off."""
        self._undone.clear()
        self._done.append(_Entry(step))
        del self._done[: max(0, len(self._done) - self.limit)]

    def amend_last(self, step: Step) -> None:
        """Replace the step made last (review adds the decision to a span edit)."""
        self._done[-1] = _Entry(step)

    def last_done(self) -> Step | None:
        """The step undo would take back; HistoryError when it cannot be read."""
        return self._done[-1].step if self._done else None

    def last_undone(self) -> Step | None:
        """The step redo would make again; HistoryError when it cannot be read."""
        return self._undone[-1].step if self._undone else None

    def mark_undone(self) -> None:
        """The last step done was undone."""
        self._undone.append(self._done.pop())

    def mark_redone(self) -> None:
        """The last step undone was made again."""
        self._done.append(self._undone.pop())

    def clear(self) -> None:
        """Forget every step."""
        self._done.clear()
        self._undone.clear()

    # -- the file ------------------------------------------------------------------------

    def encode(self, doc_id: str) -> bytes:
        """The history as the JSON lines of its file (ASCII: span text may hold anything)."""
        header = {"format": _FORMAT, "version": _VERSION, "doc_id": doc_id}
        lines = [_dumps({**header, "done": len(self._done)}).encode("ascii")]
        lines += [entry.line for entry in self._done]
        lines += [entry.line for entry in reversed(self._undone)]
        lines.append(b"")
        return b"\n".join(lines)

    @classmethod
    def decode(cls, raw: bytes, doc_id: str, limit: int = HISTORY_LIMIT) -> History:
        """The history in ``raw``, the content of its file; HistoryError when it is not one
        of ``doc_id``. Only the header is read now (see the module's description)."""
        lines = raw.split(b"\n")
        try:
            header = json.loads(lines[0])
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise HistoryError("not an undo history file") from None
        steps = [line for line in lines[1:] if line.strip()]
        done = _header_done(header, doc_id, len(steps))
        history = cls(limit)
        history._done = [_Entry(line=line) for line in steps[max(0, done - limit) : done]]
        history._undone = [_Entry(line=line) for line in reversed(steps[done:])][-limit:]
        return history


def retagged(raw: bytes, old: str, new: str) -> bytes:
    """The history file ``raw`` of document ``old`` as the same history of ``new`` (its
    id moved, see :mod:`tui.core.identity`): the header names ``new``, the steps are kept
    byte for byte. HistoryError when ``raw`` is not a history of ``old``."""
    first, newline, steps = raw.partition(b"\n")
    try:
        header = json.loads(first)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise HistoryError("not an undo history file") from None
    _header_done(header, old, len([line for line in steps.split(b"\n") if line.strip()]))
    return _dumps({**header, "doc_id": new}).encode("ascii") + newline + steps


def _header_done(header: object, doc_id: str, steps: int) -> int:
    """How many of the file's ``steps`` are done; HistoryError for a foreign header."""
    if not isinstance(header, dict) or header.get("format") != _FORMAT:
        raise HistoryError("not an undo history file")
    if header.get("version") != _VERSION:
        raise HistoryError(f"version {header.get('version')!r:.20} is not known")
    if header.get("doc_id") != doc_id:
        raise HistoryError("it belongs to another document")
    done = header.get("done")
    if type(done) is not int or not 0 <= done <= steps:
        raise HistoryError("its header is damaged")
    return done


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _encode_step(step: Step) -> str:
    if isinstance(step, RejectStep):
        return _dumps({"kind": "reject", "keys": [list(key) for key in sorted(step.keys)]})
    if isinstance(step, LinkStep):
        categories = step.categories
        return _dumps(
            {
                "kind": "links",
                "description": step.description,
                "before": _encode_links(step.before),
                "after": _encode_links(step.after),
                "categories": None if categories is None else [sorted(c) for c in categories],
            }
        )
    record: dict[str, Any] = {
        "kind": "spans",
        "description": step.description,
        "before": _encode_states(step.before),
        "after": _encode_states(step.after),
        "decides": list(step.decides) if step.decides is not None else None,
    }
    if step.links_before or step.links_after:
        record["links_before"] = _encode_links(step.links_before)
        record["links_after"] = _encode_links(step.links_after)
    return _dumps(record)


def _encode_links(states: LinkStates) -> list[list[Any]]:
    return [[table, record_id, None if r is None else dict(r)] for table, record_id, r in states]


def _decode_links(value: object) -> LinkStates:
    if not isinstance(value, list):
        raise ValueError("link states must be a list")
    states: list[tuple[str, str, Mapping[str, Any] | None]] = []
    for item in value:
        if not (
            isinstance(item, list)
            and len(item) == 3
            and type(item[0]) is str
            and type(item[1]) is str
            and (item[2] is None or isinstance(item[2], dict))
        ):
            raise ValueError("a link state must be [table, id, record or null]")
        states.append((item[0], item[1], item[2]))
    return tuple(states)


def _decode_categories(value: object) -> tuple[frozenset[str], frozenset[str]] | None:
    if value is None:
        return None
    if not (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(names, list) and all(type(n) is str for n in names) for names in value)
    ):
        raise ValueError("categories must be [before, after]")
    return frozenset(value[0]), frozenset(value[1])


def _encode_states(states: SpanStates) -> list[list[Any]]:
    return [[span_id, span.to_record() if span is not None else None] for span_id, span in states]


def _decode_step(line: bytes) -> Step:
    """The step on ``line``; HistoryError naming what is wrong."""
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("not an object")
        if record.get("kind") == "reject":
            return RejectStep(frozenset(_key(key) for key in record["keys"]))
        if record.get("kind") == "links" and isinstance(record["description"], str):
            return LinkStep(
                _decode_links(record["before"]),
                _decode_links(record["after"]),
                record["description"],
                _decode_categories(record.get("categories")),
            )
        if record.get("kind") != "spans" or not isinstance(record["description"], str):
            raise ValueError("unknown kind of step")
        decides = record.get("decides")
        return SpanStep(
            _decode_states(record["before"]),
            _decode_states(record["after"]),
            record["description"],
            None if decides is None else _extent(decides),
            _decode_links(record.get("links_before", [])),
            _decode_links(record.get("links_after", [])),
        )
    except (ValueError, KeyError, TypeError, RecursionError) as error:  # UnicodeDecodeError too
        raise HistoryError(f"an undo history step cannot be read ({error})") from None


def _decode_states(value: object) -> SpanStates:
    if not isinstance(value, list):
        raise ValueError("span states must be a list")
    states: list[tuple[str, Span | None]] = []
    for item in value:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            raise ValueError("a span state must be [id, record or null]")
        span = None if item[1] is None else Span.from_record(item[1])
        if span is not None and span.id != item[0]:
            raise ValueError("a span state's id differs from its span's")
        states.append((item[0], span))
    return tuple(states)


def _key(value: object) -> SpanKey:
    if not (isinstance(value, list) and len(value) == 3 and type(value[2]) is str):
        raise ValueError("a rejected suggestion must be [start, end, label]")
    start, end = _extent(value[:2])
    return start, end, value[2]


def _extent(value: object) -> tuple[int, int]:
    if not (isinstance(value, Sequence) and len(value) == 2 and all(type(n) is int for n in value)):
        raise ValueError("an extent must be [start, end]")
    return value[0], value[1]
