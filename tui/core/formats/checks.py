"""Checks every reader and writer shares, with one-line messages naming file and line.

Readers check each value they take from a source (types, offsets, the text a span claims
to cover, labels) and raise :class:`~tui.core.formats.model.FormatError`; writers check
each document with :func:`check_document` before writing any of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tui.core.formats.model import DocumentRecord, ExportMismatch, FormatError, SpanRecord
from tui.core.formats.offsets import OffsetMap, SourceText
from tui.core.labels import name_problem
from tui.core.text import first_unsafe, normalise_newlines
from tui.core.wording import counted

__all__ = [
    "WarningLog",
    "Where",
    "check_document",
    "checked_label",
    "checked_note",
    "describe",
    "describe_span",
    "integer",
    "quote",
    "resolve_fragments",
    "string",
    "unwritten",
]

_QUOTE_LIMIT = 40
_CACHED_LABEL = 64
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a source, to build errors and warnings that name it.

    ``context`` is put before the message, e.g. ``task 3`` for a Label Studio task.
    """

    path: str
    line: int | None = None
    context: str = ""

    def error(self, message: str) -> FormatError:
        """A FormatError at this place."""
        return FormatError(self.path, self.line, self._with_context(message))

    def warning(self, message: str) -> str:
        """A warning at this place, in the same one-line form as an error."""
        return str(self.error(message))

    def _with_context(self, message: str) -> str:
        return f"{self.context}: {message}" if self.context else message


class WarningLog:
    """A document's warnings in order, each said once however often it happens."""

    def __init__(self) -> None:
        self._messages: dict[str, None] = {}
        self._keys: set[object] = set()

    def add(self, message: str) -> None:
        """Record ``message`` unless the same text was recorded already."""
        self._messages[message] = None

    def once(self, key: object, message: str) -> None:
        """Record ``message`` unless a message was recorded under ``key`` already."""
        if key not in self._keys:
            self._keys.add(key)
            self.add(message)

    def as_tuple(self) -> tuple[str, ...]:
        """The warnings so far."""
        return tuple(self._messages)


def quote(text: str) -> str:
    """``text`` quoted with repr() and cut short, safe to put in a one-line message."""
    if len(text) > _QUOTE_LIMIT:
        text = text[: _QUOTE_LIMIT - 1] + "…"
    return repr(text)


def describe(doc: DocumentRecord, index: int = 0) -> str:
    """How messages name a document: by name, else by its number in the input."""
    if doc.name:
        return f"document {quote(doc.name)}"
    return f"document #{index}" if index else "document without a name"


def integer(value: object, what: str, where: Where) -> int:
    """``value`` as an offset-like integer (a bool does not count), else a FormatError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{what} must be an integer, not {_shown(value)}")
    return value


def string(value: object, what: str, where: Where) -> str:
    """``value`` as a string, else a FormatError naming ``what``."""
    if not isinstance(value, str):
        raise where.error(f"{what} must be a string, not {_shown(value)}")
    return value


def _shown(value: object) -> str:
    if value is None:
        return "missing"
    return f"{type(value).__name__} {quote(repr(value))}"


def checked_label(value: object, where: Where, warnings: WarningLog) -> str:
    """A label fit for the store; whitespace in it becomes ``_`` with a warning.

    Anything else :func:`tui.core.labels.name_problem` objects to (empty, too long, control
    characters, markup brackets) is a FormatError.
    """
    if not isinstance(value, str):
        raise where.error(f"label must be a non-empty string, not {_shown(value)}")
    fixed, problem = _label_verdict(value)
    if problem is not None:
        raise where.error(problem)
    if fixed != value:
        warnings.once(("label", value), where.warning(_renamed(value, fixed)))
    return fixed


def checked_note(note: str, where: Where, *, whose: str = "") -> str:
    """``note`` unchanged, or a FormatError if it holds a control character.

    Refused like a label's (one line naming file and line): a note is shown in the spans
    panel and the note editor, and ``ESC ] 52`` in one would write the user's clipboard
    on a terminal that does not get it made visible. Line breaks and tabs are text.
    """
    char = first_unsafe(note)
    if char is not None:
        subject = f"the note of {whose}" if whose else "a note"
        raise where.error(f"{subject} contains control character U+{ord(char):04X}")
    return note


def _label_verdict(value: str) -> tuple[str, str | None]:
    """The label with whitespace replaced, and what is still wrong with it (or None)."""
    # Labels repeat on every span: remember the verdicts, but not for long hostile strings.
    return _cached_verdict(value) if len(value) <= _CACHED_LABEL else _verdict(value)


@lru_cache(maxsize=1024)
def _cached_verdict(value: str) -> tuple[str, str | None]:
    return _verdict(value)


def _verdict(value: str) -> tuple[str, str | None]:
    fixed = _WHITESPACE.sub("_", value.strip())
    problem = name_problem(fixed)
    # name_problem speaks of "name"; here the reader is looking at a label.
    return fixed, None if problem is None else re.sub(r"^name\b", "label", problem)


def _renamed(value: str, fixed: str) -> str:
    return f"label {quote(value)} contains whitespace: read as {quote(fixed)}"


def resolve_fragments(
    text: SourceText,
    fragments: Sequence[tuple[int, int]],
    given: str | None,
    label: str,
    where: Where,
    *,
    utf16: bool = False,
    newline_as_space: bool = False,
) -> tuple[list[tuple[int, int]], str]:
    """Canonical offsets for a span's source offsets, checked against the text it claims.

    ``fragments`` are ``(start, end)`` pairs (one for an ordinary span); ``given`` is the
    text the source says they cover, their texts joined by a space, or None when the source
    gives none. The first reading of the offsets (:meth:`SourceText.readings`) whose text
    matches ``given`` wins and is returned with the reading's name (``""`` for the offsets
    as given); ``newline_as_space`` accepts a space where the text has a line break (brat's
    one-line TEXT field). Raises a FormatError for negative, reversed or empty
    offsets, offsets out of range under every reading, or a text that matches none.
    """
    _check_order(fragments, label, where)
    first_in_range: list[tuple[int, int]] | None = None
    for name, reading in text.readings(utf16=utf16):
        mapped = _mapped(fragments, reading)
        if mapped is None:
            continue
        if given is None or _matches(given, _joined(text.canonical, mapped), newline_as_space):
            return mapped, name
        first_in_range = first_in_range or mapped
    if first_in_range is None:
        raise where.error(
            f"span {quote(label)} offsets {_offsets(fragments)} are out of range"
            f" (the text has {len(text.canonical)} characters)"
        )
    found = _joined(text.canonical, first_in_range)
    raise where.error(
        f"span {quote(label)} offsets {_offsets(fragments)}: the source says it covers"
        f" {quote(given or '')} but the text there is {quote(found)}"
    )


def _check_order(fragments: Sequence[tuple[int, int]], label: str, where: Where) -> None:
    for start, end in fragments:
        if start < 0 or end < 0:
            raise where.error(f"span {quote(label)} offsets {_offsets(fragments)} are negative")
        if start >= end:
            raise where.error(
                f"span {quote(label)} offsets {_offsets(fragments)} are reversed or empty"
                " (start must be before end)"
            )


def _mapped(
    fragments: Sequence[tuple[int, int]], reading: OffsetMap
) -> list[tuple[int, int]] | None:
    """The fragments under one reading, or None if any offset has no canonical place."""
    mapped: list[tuple[int, int]] = []
    for start, end in fragments:
        new_start, new_end = reading(start), reading(end)
        # A fragment that was only the "\r" of a "\r\n" pair maps to nothing.
        if new_start is None or new_end is None or new_start >= new_end:
            return None
        mapped.append((new_start, new_end))
    return mapped


def _joined(canonical: str, fragments: Sequence[tuple[int, int]]) -> str:
    return " ".join(canonical[start:end] for start, end in fragments)


def _matches(given: str, found: str, newline_as_space: bool) -> bool:
    normalised = normalise_newlines(given)
    if normalised == found:
        return True
    if newline_as_space and normalised == found.replace("\n", " "):
        return True
    # A span that ended between "\r" and "\n" keeps the "\r" the canonical text lost.
    return given.endswith("\r") and normalise_newlines(given[:-1]) == found


def _offsets(fragments: Sequence[tuple[int, int]]) -> str:
    return ";".join(f"{start}-{end}" for start, end in fragments)


def check_document(doc: DocumentRecord, *, path: str = "export", index: int = 0) -> None:
    """Raise :class:`ExportMismatch` unless every span fits the document.

    Each span must have ``0 <= start < end <= len(text)``, cover exactly its ``text`` and
    carry a valid label (:func:`tui.core.labels.name_problem`). ``path`` and ``index`` only
    go into the message, which names the document and the span.
    """
    for span in doc.spans:
        problem = _span_problem(doc.text, span)
        if problem is not None:
            raise ExportMismatch(
                path, None, f"{describe(doc, index)}: span {describe_span(span)}: {problem}"
            )


def describe_span(span: SpanRecord) -> str:
    """How messages name a span: label, offsets and text."""
    return f"{quote(span.label)} {span.start}-{span.end} {quote(span.text)}"


def _span_problem(text: str, span: SpanRecord) -> str | None:
    if not 0 <= span.start < span.end <= len(text):
        return f"offsets out of range for a text of {len(text)} characters"
    found = text[span.start : span.end]
    if found != span.text:
        return f"the document has {quote(found)} there"
    _, problem = _label_verdict(span.label)
    if problem is not None or _WHITESPACE.search(span.label):
        return problem or f"label {quote(span.label)} contains whitespace"
    return None


def unwritten(doc: DocumentRecord, what: str, fmt: str, *, notes: bool) -> list[str]:
    """Warnings for what a format without notes (``notes=True``) or groups leaves out."""
    warnings = []
    count = sum(1 for span in doc.spans if span.note) if notes else 0
    if count:
        warnings.append(f"{what}: notes of {counted(count, 'span')} not written ({fmt} has none)")
    if any(span.group for span in doc.spans):
        warnings.append(f"{what}: discontinuous span fragments written as separate spans")
    return warnings
