"""What a store file must hold, checked the same way for every reader (issue 12).

:func:`parse_tables` turns a file's bytes into tables, and :func:`check_tables` is the one
validator of their content: the reader, review, stats, export and agree all read through
:mod:`tui.core.store`, which calls both, so a file one of them calls corrupt, they all do.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeGuard

from tui.core.spans import Status, check_record
from tui.core.untrusted import MAX_OFFSET, JsonProblem, parse_json

__all__ = [
    "DOCUMENT",
    "SPANS",
    "STATE_ID",
    "CorruptStoreError",
    "DocumentFields",
    "StoreError",
    "Tables",
    "check_tables",
    "decided_extents",
    "document_fields",
    "parse_tables",
    "status_of",
]

Tables = dict[str, dict[str, Any]]

SPANS = "spans"
DOCUMENT = "document"
STATE_ID = 1  # the one record of the "document" table
_STATUSES = tuple(status.value for status in Status)

#: What each annotator had marked inside a disagreement when the reviewer decided it, by
#: the disagreement's extent: annotator -> a short hash of their spans there (review).
DecisionBasis = Mapping[tuple[int, int], Mapping[str, str]]

#: Status, cursor, doc_sha256, source record, decided extents, rejected suggestions, and
#: what each decision was made on.
DocumentFields = tuple[
    Status,
    int,
    str | None,
    Mapping[str, Any] | None,
    tuple[tuple[int, int], ...],
    tuple[tuple[int, int, str], ...],
    DecisionBasis,
]


class StoreError(Exception):
    """A store file cannot be read or written; the one-line message names the file and why."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


class CorruptStoreError(StoreError):
    """A store file is not what biaozhu writes; it is left untouched and never written over."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(path, f"{problem}: left untouched")


def parse_tables(path: Path | str, raw: bytes) -> Tables | None:
    """The tables in ``raw``, the content of ``path`` (None when it is empty)."""
    if not raw.strip():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CorruptStoreError(path, "not valid UTF-8") from None
    if text.startswith("\ufeff"):  # an editor's byte-order mark: biaozhu never writes one
        raise CorruptStoreError(path, "starts with a byte-order mark (not JSON)")
    try:
        data = parse_json(text)
    except JsonProblem as problem:
        line = problem.line_in(text)
        where = "" if line is None else f" (line {line})"
        raise CorruptStoreError(path, f"not valid JSON{where}: {problem.reason}") from None
    return data if _looks_like_tables(data) else _checked_tables(Path(path), data)


def _looks_like_tables(data: object) -> TypeGuard[Tables]:
    """The common case of :func:`_checked_tables` (dicts of dicts under decimal keys), fast."""
    return isinstance(data, dict) and all(
        type(table) is dict and all(type(r) is dict and k.isdecimal() for k, r in table.items())
        for table in data.values()
    )


def _checked_tables(path: Path, data: object) -> Tables:
    """``data`` if it has the shape TinyDB needs: tables of records under integer keys."""
    if not isinstance(data, dict):
        raise CorruptStoreError(path, "not a store file (no tables)")
    for name, table in data.items():
        if not isinstance(table, dict):
            raise CorruptStoreError(path, f"table {name!r:.40} is not an object")
        for key, record in table.items():
            if not (key.isdecimal() and isinstance(record, dict)):
                raise CorruptStoreError(path, f"table {name!r:.40} has a bad record {key!r:.40}")
    return data


def check_tables(path: Path, tables: Tables) -> DocumentFields:
    """The one validator of a store file's content; CorruptStoreError naming the first fault.
    Returns the checked :func:`document_fields`.

    Every reader (load, outline, summary) and every save runs it, so the app, review,
    stats, export and agree all call the same files corrupt. It checks each span record
    (types, offsets from 0 to 2**53 with start <= end), that no two spans share an id
    (TinyDB would change both under one id), and the document record. Whether spans fit
    their text is the re-anchoring's question (:func:`tui.core.annotations.reanchor`).
    """
    records = tables.get(SPANS, {}).values()
    ids: set[str] = set()
    try:
        for record in records:
            check_record(record)
            if record["id"] in ids:
                raise ValueError(f"two spans have the id {record['id']!r:.40}")
            ids.add(record["id"])
    except ValueError as exc:
        raise CorruptStoreError(path, f"bad span record ({exc})") from None
    return document_fields(path, tables.get(DOCUMENT, {}).get(str(STATE_ID)) or {})


def document_fields(path: Path, record: Mapping[str, object]) -> DocumentFields:
    """Status, cursor, doc_sha256, the import's source record, decided extents and
    rejected suggestions, checked."""
    cursor = record.get("cursor", 0)
    if not _is_offset(cursor):
        raise CorruptStoreError(path, f"bad cursor {cursor!r:.40}")
    sha256 = record.get("doc_sha256")
    if not (sha256 is None or isinstance(sha256, str)):
        raise CorruptStoreError(path, f"bad doc_sha256 {sha256!r:.40}")
    source = record.get("source")
    if not (source is None or isinstance(source, dict)):
        raise CorruptStoreError(path, f"bad source record {source!r:.40}")
    decided, rejected = decided_extents(path, record), _rejected(path, record)
    basis = decision_basis(path, record)
    return status_of(path, record), cursor, sha256, source, decided, rejected, basis


def _rejected(path: Path | str, record: Mapping[str, object]) -> tuple[tuple[int, int, str], ...]:
    value = record.get("rejected", [])
    keys = value if isinstance(value, list) else None
    if keys is None or not all(
        isinstance(key, list)
        and len(key) == 3
        and _is_offset(key[0])
        and _is_offset(key[1])
        and type(key[2]) is str
        for key in keys
    ):
        raise CorruptStoreError(path, f"bad rejected suggestions {value!r:.40}")
    return tuple((start, end, label) for start, end, label in keys)


def decided_extents(path: Path | str, record: Mapping[str, object]) -> tuple[tuple[int, int], ...]:
    value = record.get("decided", [])
    pairs = value if isinstance(value, list) else None
    if pairs is None or not all(
        isinstance(pair, list) and len(pair) == 2 and all(map(_is_offset, pair)) for pair in pairs
    ):
        raise CorruptStoreError(path, f"bad decided extents {value!r:.40}")
    return tuple((start, end) for start, end in pairs)


def decision_basis(path: Path | str, record: Mapping[str, object]) -> DecisionBasis:
    """The state record's ``decided_on``: ``{"start:end": {annotator: hash}}``, checked."""
    value = record.get("decided_on", {})
    basis: dict[tuple[int, int], Mapping[str, str]] = {}
    if isinstance(value, dict):
        for key, names in value.items():
            extent = _extent_key(key)
            if extent is None or not _names_to_hashes(names):
                break
            basis[extent] = names
        else:
            return basis
    raise CorruptStoreError(path, f"bad decided_on {value!r:.40}")


def basis_record(basis: DecisionBasis) -> dict[str, dict[str, str]]:
    """``basis`` as the state record keeps it (JSON keys are strings)."""
    return {f"{start}:{end}": dict(names) for (start, end), names in sorted(basis.items())}


def _extent_key(key: str) -> tuple[int, int] | None:
    start, colon, end = key.partition(":")
    if not (colon and start.isdecimal() and end.isdecimal() and len(key) < 40):
        return None
    return int(start), int(end)


def _names_to_hashes(value: object) -> bool:
    return isinstance(value, dict) and all(
        type(name) is str and type(digest) is str for name, digest in value.items()
    )


def _is_offset(value: object) -> TypeGuard[int]:
    """Whether ``value`` can be an offset or cursor: an int (not a bool) in 0..2**53."""
    return type(value) is int and 0 <= value <= MAX_OFFSET


def status_of(path: Path | str, record: Mapping[str, object]) -> Status:
    value = record.get("status", Status.NEW.value)
    if value not in _STATUSES:
        raise CorruptStoreError(path, f"bad status {value!r:.40}")
    return Status(str(value))
