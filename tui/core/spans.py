"""Span records shared by the store, the annotation logic and the formats.

A span covers ``text[start:end]`` of a document's canonical text (code-point offsets, end
exclusive, DESIGN §2) and keeps the covered text and the document's sha256, so a changed
document can be detected and the span re-anchored.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from enum import StrEnum
from sys import intern
from typing import Any, cast

from tui.core.untrusted import MAX_OFFSET

__all__ = [
    "GOLD",
    "AnnotatorError",
    "Origin",
    "Span",
    "Status",
    "check_annotator",
    "check_record",
    "is_gold",
    "new_span_id",
    "now_iso",
]

#: The annotator name the reviewer's decisions are stored under (``export --annotator gold``).
GOLD = "gold"


class AnnotatorError(ValueError):
    """An annotator name that cannot be used; ``str(error)`` says why, in one line."""


def is_gold(name: str) -> bool:
    """Whether ``name`` is, or reads as, the gold layer's (``gold``, ``Gold``, `` gold ``)."""
    return name.strip().casefold() == GOLD


def check_annotator(name: str) -> None:
    """Refuse to annotate under the gold layer's name: that layer is the reviewer's."""
    if is_gold(name):
        raise AnnotatorError(
            f"{name.strip()!r} names the reviewers' gold layer, not an annotator; annotate "
            "under your own name (--annotator NAME), or review with: biaozhu review"
        )


class Origin(StrEnum):
    """Where a span came from."""

    MANUAL = "manual"
    SUGGESTION = "suggestion"
    IMPORT = "import"
    #: Pre-annotated by a trained model (``biaozhu suggest``), with its confidence.
    MODEL = "model"


class Status(StrEnum):
    """How far an annotator has got with a document."""

    NEW = "new"
    IN_PROGRESS = "in progress"
    DONE = "done"


def now_iso() -> str:
    """The current UTC time in ISO 8601, e.g. ``2026-11-22T01:23:45.123456+00:00``."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_span_id() -> str:
    """A fresh, unique span id: 128 random bits as 32 hex digits.

    Not :func:`uuid.uuid4`: building the UUID object cost 20 ms of the 1 600 ids a first
    review makes on opening a document.
    """
    return os.urandom(16).hex()


@dataclass(frozen=True, slots=True)
class Span:
    """One labelled stretch of a document, as saved by one annotator."""

    id: str
    doc_id: str
    doc_sha256: str
    start: int
    end: int
    text: str
    label: str
    annotator: str
    created: str
    modified: str
    note: str = ""
    origin: Origin = Origin.MANUAL
    flagged: bool = False
    #: Fragments of one discontinuous entity (a brat ``0 5;16 23`` span) share a group id.
    group: str = ""
    #: In the gold layer: the annotators whose version the reviewer accepted (saved as
    #: ``from``; empty for a span the reviewer made or that every annotator agreed on).
    accepted_from: tuple[str, ...] = ()
    #: For a span a model made (origin ``model``): its probability, from 0 to 1; saved
    #: only when set, so other spans' records stay as they were.
    confidence: float | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"span {self.id!r}: bad offsets {self.start}..{self.end}")

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict of every field (the origin as its string value; ``from`` only
        when some version was accepted, so other layers' files stay as they were)."""
        record: dict[str, object] = {
            "id": self.id,
            "doc_id": self.doc_id,
            "doc_sha256": self.doc_sha256,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "annotator": self.annotator,
            "created": self.created,
            "modified": self.modified,
            "note": self.note,
            "origin": self.origin.value,
            "flagged": self.flagged,
            "group": self.group,
        }
        if self.accepted_from:
            record["from"] = list(self.accepted_from)
        if self.confidence is not None:
            record["confidence"] = self.confidence
        return record

    @classmethod
    def from_record(cls, record: Mapping[str, object]) -> Span:
        """The span a :meth:`to_record` dict describes.

        Raises :class:`ValueError` naming the span and the field when a field is missing or
        has the wrong type. Unknown fields are ignored, so newer files still load.
        """
        if _well_formed(record):
            return _built(cast(Mapping[str, Any], record))  # _well_formed checked every field
        fields = _Fields(record)
        return cls(
            id=fields.text("id"),
            doc_id=fields.text("doc_id"),
            doc_sha256=fields.text("doc_sha256"),
            start=fields.integer("start"),
            end=fields.integer("end"),
            text=fields.text("text"),
            label=fields.text("label"),
            annotator=fields.text("annotator"),
            created=fields.text("created"),
            modified=fields.text("modified"),
            note=fields.text("note", ""),
            origin=fields.origin(),
            flagged=fields.flag("flagged"),
            group=fields.text("group", ""),
            accepted_from=fields.names("from"),
            confidence=fields.probability("confidence"),
        )


def _slot_setters() -> tuple[Callable[[Span, Any], None], ...]:
    """Each of a span's fields' slot setters, in field order."""
    return tuple(vars(Span)[field.name].__set__ for field in fields(Span))


_SETTERS = _slot_setters()
(_ID, _DOC, _SHA, _START, _END, _TEXT, _LABEL, _WHO) = _SETTERS[:8]
(_MADE, _CHANGED, _NOTE, _ORIGIN, _FLAG, _GROUP, _FROM, _CONFIDENCE) = _SETTERS[8:]


def _built(record: Mapping[str, Any]) -> Span:
    """The span a well-formed record describes, built without the dataclass's ``__init__``.

    A frozen dataclass sets each field through ``object.__setattr__``: 100 000 spans took
    a quarter of a second more that way. Strings every span of a file repeats are kept
    once (a sha256 each was ~11 MB); so is a modification time equal to the creation time.
    """
    get = record.get
    span = _new_span(Span)
    created, modified = record["created"], record["modified"]
    _ID(span, record["id"])
    _DOC(span, intern(record["doc_id"]))
    _SHA(span, intern(record["doc_sha256"]))
    _START(span, record["start"])
    _END(span, record["end"])
    _TEXT(span, record["text"])
    _LABEL(span, intern(record["label"]))
    _WHO(span, intern(record["annotator"]))
    _MADE(span, created)
    _CHANGED(span, created if modified == created else modified)
    _NOTE(span, get("note", ""))
    _ORIGIN(span, _ORIGIN_OF[get("origin", "manual")])
    _FLAG(span, get("flagged", False))
    _GROUP(span, get("group", ""))
    _FROM(span, tuple(get("from", ())))
    _CONFIDENCE(span, get("confidence"))
    return span


_new_span = object.__new__


def check_record(record: Mapping[str, object]) -> None:
    """Raise the :class:`ValueError` :meth:`Span.from_record` would, without building a span.

    Several times faster for a good record: the store checks every record before each save.
    """
    if not _well_formed(record):
        Span.from_record(record)


def _well_formed(record: Mapping[str, object]) -> bool:
    """A quick yes for the common case; on no, :meth:`Span.from_record` says what is wrong.

    Every reader of the store runs it on every record, so it avoids Python-level loops
    (``map`` over the text fields) and the slow ABC check for the usual dict.
    """
    if type(record) is not dict and not isinstance(record, Mapping):
        return False
    get = record.get
    start, end = get("start"), get("end")
    # Unrolled: a generator over the fields was half the time of opening 100 000 spans.
    return (
        type(get("id")) is str
        and type(get("doc_id")) is str
        and type(get("doc_sha256")) is str
        and type(get("text")) is str
        and type(get("label")) is str
        and type(get("annotator")) is str
        and type(get("created")) is str
        and type(get("modified")) is str
        and type(start) is int
        and type(end) is int
        and 0 <= start <= end <= MAX_OFFSET
        and type(get("note", "")) is str
        and type(get("group", "")) is str
        and get("origin", Origin.MANUAL.value) in _ORIGINS
        and type(get("flagged", False)) is bool
        and (get("from") is None or _names_list(get("from")))
        and (get("confidence") is None or _is_probability(get("confidence")))
    )


def _is_probability(value: object) -> bool:
    """Whether ``value`` is a JSON number from 0 to 1 (a span's ``confidence``)."""
    return (type(value) is float or type(value) is int) and 0 <= cast(float, value) <= 1


def _names_list(value: object) -> bool:
    """Whether ``value`` is a JSON list of strings (a span's ``from``)."""
    return type(value) is list and all(type(name) is str for name in value)


class _Fields:
    """Typed access to a record's fields, with errors that name the span and the field."""

    def __init__(self, record: Mapping[str, object]) -> None:
        if not isinstance(record, Mapping):
            raise ValueError(f"span record is a {type(record).__name__}, not an object")
        self._record = record
        self._name = repr(record.get("id", "?"))[:80]

    def _get(self, name: str, default: object) -> object:
        value = self._record.get(name, default)
        if value is _MISSING:
            raise ValueError(f"span {self._name}: field {name!r} is missing")
        return value

    def _wrong(self, name: str, value: object, wanted: str) -> ValueError:
        return ValueError(f"span {self._name}: field {name!r} must be {wanted}, not {value!r:.40}")

    def text(self, name: str, default: object = None) -> str:
        """The string field ``name`` (``default`` when absent, if given)."""
        value = self._get(name, _MISSING if default is None else default)
        if not isinstance(value, str):
            raise self._wrong(name, value, "a string")
        return value

    def integer(self, name: str) -> int:
        """The offset field ``name``: an integer from 0 to 2**53 (a bool does not count)."""
        value = self._get(name, _MISSING)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise self._wrong(name, value, "a non-negative integer")
        if value > MAX_OFFSET:
            raise ValueError(f"span {self._name}: field {name!r} is too large to be an offset")
        return value

    def flag(self, name: str) -> bool:
        """The bool field ``name`` (``False`` when absent)."""
        value = self._get(name, False)
        if not isinstance(value, bool):
            raise self._wrong(name, value, "true or false")
        return value

    def names(self, name: str) -> tuple[str, ...]:
        """The list-of-strings field ``name`` (empty when absent)."""
        value = self._get(name, [])
        if not _names_list(value):
            raise self._wrong(name, value, "a list of names")
        return tuple(cast(list[str], value))

    def probability(self, name: str) -> float | None:
        """The optional number field ``name``, from 0 to 1 (None when absent)."""
        value = self._record.get(name)
        if value is None:
            return None
        if not _is_probability(value):
            raise self._wrong(name, value, "a number from 0 to 1")
        return float(cast(float, value))

    def origin(self) -> Origin:
        """The ``origin`` field (manual when absent)."""
        value = self._get("origin", Origin.MANUAL.value)
        if value not in _ORIGINS:
            raise self._wrong("origin", value, f"one of {', '.join(_ORIGINS)}")
        return Origin(str(value))


_MISSING = object()
_ORIGINS = tuple(origin.value for origin in Origin)
_ORIGIN_OF = {origin.value: origin for origin in Origin}
