"""The in-memory model every interchange codec reads into and writes from.

A :class:`DocumentRecord` is one document: its canonical text (newlines normalised, DESIGN §2)
and its spans as :class:`SpanRecord` values with code-point offsets into that text. Relations,
chains, span attributes and document categories are records of their own
(:class:`RelationRecord`, :class:`ChainRecord`, :class:`AttributeRecord`, ``categories``),
pointing at spans by their ``source_id``, so one format's links can be written by another.
Codecs keep what their format carries beyond that (doccano extra keys, Label Studio task
fields, brat events and normalisations) in ``metadata``, ``extra_lines`` and
``SpanRecord.extra`` so the same format can write it back unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.wording import counted

__all__ = [
    "AttributeRecord",
    "ChainRecord",
    "DocumentRecord",
    "ExportMismatch",
    "FormatError",
    "RelationRecord",
    "SpanRecord",
    "WriteReport",
    "links_left_out",
]


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
class RelationRecord:
    """A typed link from the span with source id ``source_id`` to ``target_id``.

    ``id`` is the source's id for it (brat ``R1``, a doccano relation id), or empty;
    ``extra`` holds keys only the same format writes back (Label Studio ``direction``).
    """

    source_id: str
    target_id: str
    type: str
    id: str = ""
    extra: Mapping[str, object] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class ChainRecord:
    """Spans naming the same thing (a brat ``*`` equivalence), by source id, in order."""

    members: tuple[str, ...]
    type: str
    id: str = ""


@dataclass(frozen=True, slots=True)
class AttributeRecord:
    """One attribute of the span with source id ``span``: a flag (True) or a value."""

    span: str
    name: str
    value: str | bool
    id: str = ""  # the source's id for it (brat ``A3``), or empty


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
    relations: tuple[RelationRecord, ...] = ()
    chains: tuple[ChainRecord, ...] = ()
    attributes: tuple[AttributeRecord, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def has_links(self) -> bool:
        """Whether it holds relations, chains, attributes or categories."""
        return bool(self.relations or self.chains or self.attributes or self.categories)


def links_left_out(counts: Mapping[str, int], fmt: str) -> str:
    """The one warning a format without links gives for what it left out, or ``""``."""
    plurals = {"category": "categories"}
    parts = [counted(n, noun, plurals.get(noun)) for noun, n in counts.items() if n]
    if not parts:
        return ""
    return f"{', '.join(parts)} not written ({fmt} cannot carry them)"


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
