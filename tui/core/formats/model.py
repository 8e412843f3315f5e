"""The in-memory model every interchange codec reads into and writes from.

A :class:`DocumentRecord` is one document: its canonical text (newlines normalised, DESIGN §2)
and its spans as :class:`SpanRecord` values with code-point offsets into that text. Codecs
keep what their format carries beyond spans (doccano extra keys, Label Studio task fields,
brat relation lines) in ``metadata``, ``extra_lines`` and ``SpanRecord.extra`` so the same
format can write it back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DocumentRecord", "ExportMismatch", "FormatError", "SpanRecord", "WriteReport"]


@dataclass(frozen=True, slots=True)
class SpanRecord:
    """One labelled stretch ``text[start:end]`` of a document (code points, end exclusive).

    ``note`` is a free-text comment (brat AnnotatorNotes, Label Studio region meta text).
    Fragments of one discontinuous brat entity share a non-empty ``group`` (the brat id).
    ``source_id`` is the id the source gave the span (brat ``T3``, a Label Studio result id),
    kept so relation lines and relation results still point at it after a round trip.
    ``extra`` holds format-specific keys of the span's source item that only the same
    format writes back (Label Studio ``from_name``, ``origin``...); it is not hashed.
    """

    start: int
    end: int
    label: str
    text: str
    note: str = ""
    group: str = ""
    source_id: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """One document of an interchange file.

    ``name`` comes from the source (brat file stem, doccano or Label Studio ``id``) or is
    empty; it may be anything, so callers make file names from it with care. ``metadata``
    holds JSON-safe keys the format writes back; ``extra_lines`` holds brat lines other than
    spans and span notes, verbatim. ``line`` is where the document starts in the source
    (1-based, 0 when unknown) and ``warnings`` are one-line messages about what the reader
    changed or left out (``path:line: message``), for the caller to show.
    """

    name: str
    text: str
    spans: tuple[SpanRecord, ...]
    metadata: Mapping[str, object] = field(default_factory=dict)
    extra_lines: tuple[str, ...] = ()
    line: int = 0
    warnings: tuple[str, ...] = ()


class FormatError(Exception):
    """An input or output problem; ``str(error)`` is one line: ``path:line: message``."""

    def __init__(self, path: str | Path, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        super().__init__(_one_line(self.path, line, message))


class ExportMismatch(FormatError):
    """A document to export has a span whose offsets or text do not fit the document."""


@dataclass(slots=True)
class WriteReport:
    """What a writer did: counts, every span it could not express, and other warnings."""

    documents: int = 0
    spans: int = 0
    dropped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _one_line(path: str, line: int | None, message: str) -> str:
    where = path if line is None else f"{path}:{line}"
    # Messages quote untrusted text with repr(), but a path may still hold a line break.
    return f"{where}: {message}".replace("\r", "\\r").replace("\n", "\\n")
