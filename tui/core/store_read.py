"""Reading store files: whole for a save or an outline, line by line to open a document.

A save needs the file's tables (:func:`read_tables`) to change and write back. Opening a
document needs only its spans: :func:`read_state` reads the file a line at a time, as the
store writes it (one record per line), and builds each span as its line is read, so 100 000
spans never exist as a tree of JSON dicts beside the spans themselves (that tree, and the
decoded text of the whole file, were most of the memory and a third of the time of opening
such a document). A file laid out any other way (TinyDB's own one-line files, a hand edit)
or with any fault is read whole instead, so every fault is reported by the one validator
(:func:`tui.core.store_check.check_tables`) in the same words.

Both readers include the edits in the journal beside a large file (:mod:`tui.core.journal`)
and remember the journal base the file carries, which the store's next save needs.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

from tui.core import journal
from tui.core.journal import journal_path
from tui.core.relations.model import LINK_TABLES, Links, read_links
from tui.core.spans import Span, Status, check_record
from tui.core.store_check import (
    DOCUMENT,
    SPANS,
    STATE_ID,
    CorruptStoreError,
    DecisionBasis,
    StoreError,
    Tables,
    check_tables,
    document_fields,
    parse_tables,
)
from tui.core.untrusted import NotRegularFileError, open_regular, parse_json

__all__ = [
    "BASE",
    "JOURNAL_FROM_BYTES",
    "DocumentState",
    "Outline",
    "apply_edit",
    "apply_links",
    "describe",
    "file_version",
    "holds_links",
    "known_base",
    "read_categories",
    "read_outline",
    "read_state",
    "read_summary",
    "read_tables",
    "read_text_sha256",
    "remember_base",
    "state_record",
]

#: Store files from this size on take edits in a journal beside them (tui.core.journal);
#: smaller ones are rewritten whole, which costs a few milliseconds and leaves no sidecar.
JOURNAL_FROM_BYTES = 1 << 20
#: The state record's field naming the journal base (see tui.core.journal).
BASE = "journal"
_READ_TRIES = 20

#: (inode, size, mtime) of a file: any writer's replace brings a new inode.
Version = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class DocumentState:
    """Everything one annotator saved for one document."""

    spans: tuple[Span, ...]  # sorted by (start, -end, label, id)
    status: Status
    cursor: int
    doc_sha256: str | None
    #: What an import brought besides spans, written back on export (tui.core.interchange).
    source: Mapping[str, Any] | None = None
    #: The gold layer's decided disagreements, as (start, end) extents (review).
    decided: tuple[tuple[int, int], ...] = ()
    #: Suggestions the annotator rejected, as (start, end, label): not suggested again.
    rejected: tuple[tuple[int, int, str], ...] = ()
    #: What each decided disagreement was decided on (see DecisionBasis).
    decided_on: DecisionBasis = field(default_factory=dict)
    #: Relations, chains, categories and attributes (tui.core.relations.model).
    links: Links = field(default_factory=Links)


@dataclass(frozen=True, slots=True)
class Outline:
    """What agreement and review lists need of a store file (see :func:`read_outline`)."""

    keys: frozenset[tuple[int, int, str]]
    status: Status
    decided: tuple[tuple[int, int], ...]
    decided_on: DecisionBasis = field(default_factory=dict)
    #: Whether the file holds relations, chains, attributes or categories.
    linked: bool = False


def describe(exc: OSError) -> str:
    """A short reason for an OS error, in the words a user would look for."""
    if isinstance(exc, NotRegularFileError):
        return str(exc.strerror)  # "not a regular file (a FIFO)", the acronym kept
    code = exc.errno
    if code == errno.EROFS:
        return "read-only store folder"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "disk full"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code in (errno.ENOTDIR, errno.EEXIST):
        return "a file is in the way of the store folder"
    return (exc.strerror or str(exc)).lower()


def file_version(path: Path | str) -> Version | None:
    """The :data:`Version` of ``path``; None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


# ---------------------------------------------------------------------------- journal bases

#: The journal base of each store file this process read or wrote, by the file's version.
_bases: dict[Path, tuple[Version, str | None]] = {}


def remember_base(path: Path, version: Version, base: str | None) -> None:
    """Note that ``path`` at ``version`` carries the journal base ``base``."""
    _bases[path] = (version, base)


def known_base(path: Path, version: Version) -> tuple[bool, str | None]:
    """(whether this process knows the base of ``path`` at ``version``, that base)."""
    known = _bases.get(path)
    if known is None or known[0] != version:
        return False, None
    return True, known[1]


def _base_in(state: Mapping[str, Any]) -> str | None:
    base = state.get(BASE)
    return base if isinstance(base, str) else None


def state_record(tables: Tables) -> dict[str, Any]:
    """The one record of the document table, created empty if missing."""
    record: dict[str, Any] = tables.setdefault(DOCUMENT, {}).setdefault(str(STATE_ID), {})
    return record


# ---------------------------------------------------------------------------- edits


def _edit_parts(
    path: Path, edit: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], set[str], dict[str, Any]]:
    """An edit's spans put, ids gone (replaced or deleted) and state fields, checked."""
    put, deleted, fields = edit.get("put", []), edit.get("deleted", []), edit.get("state", {})
    try:
        if not (isinstance(put, list) and isinstance(deleted, list) and isinstance(fields, dict)):
            raise ValueError("not lists of spans and ids, and state fields")
        for record in put:
            check_record(record)
        gone = {record["id"] for record in put}.union(deleted)
    except (ValueError, TypeError) as exc:
        raise CorruptStoreError(path, f"bad journal edit ({exc})") from None
    return put, gone, fields


def _apply_state(path: Path, state: dict[str, Any], edit: Mapping[str, Any]) -> None:
    state.update(edit.get("state", {}))
    if edit.get("starts") and state.get("status", Status.NEW.value) == Status.NEW.value:
        state["status"] = Status.IN_PROGRESS.value
    document_fields(path, state)  # a bad field is never written into the file


def apply_edit(path: Path, tables: Tables, edit: Mapping[str, Any]) -> None:
    """Apply one edit (see :meth:`tui.core.store.DocumentStore.apply`) to ``tables``, as
    TinyDB would: a span is replaced by id, new records numbered after the highest key left."""
    put, gone, _ = _edit_parts(path, edit)
    _replace_records(tables.setdefault(SPANS, {}), put, gone)
    apply_links(path, tables, edit)
    _apply_state(path, state_record(tables), edit)


def _replace_records(
    table: dict[str, dict[str, Any]], put: Sequence[Mapping[str, Any]], gone: Collection[str]
) -> None:
    """Drop the records whose id is in ``gone``; add ``put`` after the highest key left."""
    for key in [key for key, record in table.items() if record.get("id") in gone]:
        del table[key]
    next_id = max(map(int, table), default=0) + 1
    table.update((str(next_id + n), dict(record)) for n, record in enumerate(put))


def apply_links(path: Path, tables: Tables, edit: Mapping[str, Any]) -> None:
    """Apply the edit's relations, chains and attributes (its ``links``, see LinkEdit) to
    ``tables``, checked."""
    links = edit.get("links")
    if links is None:
        return
    put, deleted = (
        links.get(part, {}) if isinstance(links, dict) else None for part in ("put", "deleted")
    )
    if not (
        isinstance(put, dict)
        and isinstance(deleted, dict)
        and set(put) | set(deleted) <= set(LINK_TABLES)
        and all(
            isinstance(records, list)
            and all(isinstance(r, dict) and type(r.get("id")) is str for r in records)
            for records in put.values()
        )
        and all(
            isinstance(ids, list) and all(type(i) is str for i in ids) for ids in deleted.values()
        )
    ):
        raise CorruptStoreError(path, "bad journal edit (not relations, chains and attributes)")
    for name in LINK_TABLES:
        records, ids = put.get(name, []), deleted.get(name, [])
        if records or (ids and name in tables):
            gone = {record["id"] for record in records}.union(ids)
            _replace_records(tables.setdefault(name, {}), records, gone)


# ---------------------------------------------------------------------------- reading

_Read = TypeVar("_Read")
_Span = TypeVar("_Span")


def _read_journalled(
    path: Path,
    parse: Callable[[IO[bytes]], _Read | None],
    state_of: Callable[[_Read | None], Mapping[str, Any]],
) -> tuple[_Read | None, list[dict[str, Any]]]:
    """The file parsed by ``parse`` and its journal's edits; (None, []) when missing.

    Only a regular file is read (a FIFO never blocks the reader). Tries again when the
    file was replaced between reading it and its journal.
    """
    for _ in range(_READ_TRIES):
        try:
            with open_regular(path) as file:
                info = os.fstat(file.fileno())
                parsed = parse(file)
        except FileNotFoundError:
            return None, []
        except OSError as exc:
            raise StoreError(path, f"cannot read: {describe(exc)}") from exc
        read_version = (info.st_ino, info.st_size, info.st_mtime_ns)
        base = _base_in(state_of(parsed))
        try:
            edits = journal.read_edits(journal_path(path), base)
        except OSError as exc:
            raise StoreError(journal_path(path), f"cannot read: {describe(exc)}") from exc
        if edits is None:
            if file_version(path) != read_version:
                continue  # rewritten since we read it: its journal is a newer one
            edits = []  # a journal already folded into the file
        if info.st_size >= JOURNAL_FROM_BYTES:  # only those take a journal
            remember_base(path, read_version, base)
        return parsed, edits
    raise StoreError(path, "cannot read: rewritten by another program again and again")


def _state_in(tables: Tables | None) -> Mapping[str, Any]:
    return (tables or {}).get(DOCUMENT, {}).get(str(STATE_ID)) or {}


def read_tables(path: Path | str) -> Tables | None:
    """The tables in ``path`` with its journal's edits; None when it is missing or empty.

    Raises :class:`CorruptStoreError` when the file is not a store file and
    :class:`StoreError` when it cannot be read.
    """
    path = Path(path)
    tables, edits = _read_journalled(path, lambda file: parse_tables(path, file.read()), _state_in)
    if edits:
        tables = tables or {}
        for edit in edits:
            apply_edit(journal_path(path), tables, edit)
    return tables


@dataclass
class _Records(Generic[_Span]):
    """A store file read line by line: its tables but the spans, and what ``make`` made of
    each span record, by span id."""

    tables: Tables
    spans: dict[str, _Span]


def _read_records(path: Path, make: Callable[[dict[str, Any]], _Span]) -> _Records[_Span]:
    """``make`` of each span record of ``path`` (its journal's edits included) by span id,
    and the other tables; ``make`` raises ValueError for a bad record."""
    records, edits = _read_journalled(
        path, lambda file: _stream(path, file, make), lambda r: _state_in(r.tables if r else None)
    )
    records = records or _Records({}, {})
    for edit in edits:
        put, gone, _ = _edit_parts(journal_path(path), edit)
        for span_id in gone:
            records.spans.pop(span_id, None)
        records.spans.update((record["id"], make(record)) for record in put)
        apply_links(journal_path(path), records.tables, edit)
        _apply_state(journal_path(path), state_record(records.tables), edit)
    return records


def read_state(path: Path | str) -> DocumentState:
    """The saved state in ``path`` (the empty state when it is missing), checked.

    Raises :class:`CorruptStoreError` naming the first fault (see :func:`check_tables`).
    """
    path = Path(path)
    records = _read_records(path, Span.from_record)
    state = _state_in(records.tables)
    fields = document_fields(path, state)
    ordered = sorted(records.spans.values(), key=lambda s: (s.start, -s.end, s.label, s.id))
    links = read_links(records.tables, state, records.spans.keys())
    return DocumentState(tuple(ordered), *fields, links=links)


def read_summary(path: Path | str) -> tuple[int, Status]:
    """The number of spans in ``path`` and its status, checked as :func:`read_state` checks."""
    path = Path(path)
    records = _read_records(path, check_record)
    return len(records.spans), document_fields(path, _state_in(records.tables))[0]


def read_categories(path: Path | str) -> frozenset[str]:
    """The document categories saved in ``path``, checked as :func:`read_state` checks,
    without building its spans; a file that holds no links is not parsed at all."""
    path = Path(path)
    if not holds_links(path):
        return frozenset()
    records = _read_records(path, check_record)
    state = _state_in(records.tables)
    document_fields(path, state)
    return read_links({}, state, ()).categories


def read_text_sha256(path: Path | str) -> str | None:
    """The sha256 of the text the spans in ``path`` were made on (None: not recorded)."""
    path = Path(path)
    records = _read_records(path, _sha256_of)
    found = _state_in(records.tables).get("doc_sha256") or next(iter(records.spans.values()), None)
    return found if isinstance(found, str) else None


def _sha256_of(record: dict[str, Any]) -> object:
    return record.get("doc_sha256")


def _stream(
    path: Path, file: IO[bytes], make: Callable[[dict[str, Any]], _Span]
) -> _Records[_Span] | None:
    """The file read a line at a time; read whole (and checked) when not laid out as the
    store writes it or when any line is at fault."""
    records: _Records[_Span] = _Records({}, {})
    if os.fstat(file.fileno()).st_size >= _STREAM_FROM_BYTES:
        try:
            if _stream_lines(iter(file), _Sink(records, make)):
                return records
        except (ValueError, TypeError, RecursionError):
            pass  # the whole-file reader says what is wrong, in the validator's words
        file.seek(0)
    tables = parse_tables(path, file.read())
    if tables is None:
        return None
    check_tables(path, tables)
    spans = tables.pop(SPANS, {}).values()
    return _Records(tables, {record["id"]: make(record) for record in spans})


@dataclass
class _Sink(Generic[_Span]):
    """Where decoded records go: span records through ``make``, others as they are."""

    records: _Records[_Span]
    make: Callable[[dict[str, Any]], _Span]


def _stream_lines(lines: Iterator[bytes], sink: _Sink[Any]) -> bool:
    """Fill ``sink`` from the lines of a file as :func:`tui.core.store._layout` writes it;
    False (or ValueError) at the first line that is not."""
    if next(lines, b"").rstrip() != b"{":
        return False
    seen = trailing = False  # tables read; a comma ended the last one
    for line in lines:
        body, comma = _without_comma(line)
        if body == b"}":
            return not (trailing or comma) and next(lines, None) is None
        if seen and not trailing:
            return False
        name, value = _split_entry(body)
        if value == b"{}":
            sink.records.tables[name] = {}
            ended: bool | None = comma
        elif value == b"{" and not comma:
            ended = _stream_table(lines, name, sink)
        else:
            return False
        if ended is None:
            return False
        seen, trailing = True, ended
    return False


def _stream_table(lines: Iterator[bytes], name: str, sink: _Sink[Any]) -> bool | None:
    """Read one table's records up to its closing line; whether a comma ended that line
    (another table follows), None when the lines are not laid out as the store writes."""
    chunk: list[bytes] = []
    last = [""]  # the last key read: the store writes them sorted
    seen = trailing = False  # records read; a comma ended the last one
    for line in lines:
        body, comma = _without_comma(line)
        if body == b"}":
            if trailing:
                return None  # a comma before the closing brace
            _take_records(chunk, name, sink, last)
            return comma
        if seen and not trailing:
            return None  # two records without a comma between them
        seen, trailing = True, comma
        chunk.append(body)
        if len(chunk) == _CHUNK_LINES:
            _take_records(chunk, name, sink, last)
            chunk.clear()
    return None


#: Files from this size on are read line by line; a smaller one is parsed whole, which
#: is faster (agreement reads 30 000 small files) and holds little memory anyway.
_STREAM_FROM_BYTES = 64 * 1024
#: Record lines decoded in one call: a call per line was a third of the decoding time.
_CHUNK_LINES = 512


def _take_records(chunk: list[bytes], name: str, sink: _Sink[Any], last: list[str]) -> None:
    """Decode the record lines in ``chunk`` of table ``name`` into ``sink``.

    Raises ValueError when a line is not one record under a decimal key greater than the
    last one read (the store writes keys sorted, so a repeated key, which JSON would keep
    only once, is out of order too) or a span record is bad.
    """
    if not chunk:
        return
    records = parse_json("{" + b",".join(chunk).decode("utf-8") + "}")
    if type(records) is not dict or len(records) != len(chunk):
        raise ValueError("not one record a line")
    table = sink.records.tables.setdefault(name, {}) if name != SPANS else None
    spans, make = sink.records.spans, sink.make
    previous = last[0]
    for key, record in records.items():
        if not key.isdecimal() or key <= previous or type(record) is not dict:
            raise ValueError("not a record under a new decimal key")
        previous = key
        if table is not None:
            table[key] = record
            continue
        made = make(record)
        span_id = record["id"]
        if span_id in spans:
            raise ValueError("two spans with one id")  # the validator names it
        spans[span_id] = made
    last[0] = previous


def _without_comma(line: bytes) -> tuple[bytes, bool]:
    """``line`` without its line end and a trailing comma, and whether it had one."""
    line = line.rstrip(b"\r\n")
    if line.endswith(b","):
        return line[:-1], True
    return line, False


def _split_entry(line: bytes) -> tuple[str, bytes]:
    """A ``"key":value`` line (without its comma) as (key, value bytes)."""
    colon = line.find(b'":')
    if not line.startswith(b'"') or colon < 1 or b'"' in line[1:colon] or b"\\" in line[:colon]:
        raise ValueError("not a key")
    return line[1:colon].decode("utf-8"), line[colon + 2 :]


# ---------------------------------------------------------------------------- links

#: A non-empty relations, chains or attributes table, or a non-empty categories list, in any
#: layout (a hand-written file may space it out).
_LINKS = re.compile(
    rb'"(?:relations|chains|attributes|verdicts)"\s*:\s*\{\s*"|"categories"\s*:\s*\[\s*"'
)


def holds_links(path: Path | str) -> bool:
    """Whether the store file may hold relations, chains, attributes or categories: a
    scan of its bytes, no JSON (agreement asks this of 30 000 files that hold spans only).

    True too when it has a journal (its edits may add links), cannot be read or is not
    laid out as the store writes (the full read then says what it holds, or what is
    wrong); False only when it certainly holds none.
    """
    path = Path(path)
    if journal_path(path).exists():
        return True
    try:
        with open_regular(path) as file:
            raw = file.read()
    except FileNotFoundError:
        return False
    except OSError:
        return True
    if not (raw.startswith(b'{\n"') and raw.rstrip().endswith(b"}")):
        return True  # not laid out as the store writes: the full read decides
    return _LINKS.search(raw) is not None


# ---------------------------------------------------------------------------- outlines

#: ``(file version, journal version)`` of a store file (None: missing).
_Versions = tuple[Version | None, Version | None]
#: Outlines of large store files, by path, with the file version each was read from. The
#: review list reads a document's layers in the background, and opening it reads them
#: again: 2 000 spans are ~25 ms of JSON per file. Any writer's replace brings a new inode.
_outlines: dict[str, tuple[_Versions, Outline]] = {}
_CACHED_OUTLINE_BYTES = 32 * 1024
_CACHED_OUTLINES = 64


def read_outline(path: Path | str) -> Outline:
    """The spans as (start, end, label), the status and the decided extents of ``path``
    (its journal's edits included), checked as every reader checks."""
    key = str(path)
    version = (file_version(path), journal.version(journal_path(Path(path))))
    cached = _outlines.get(key)
    if cached is not None and cached[0] == version and version[0] is not None:
        return cached[1]
    outline = _read_outline(Path(path))
    if version[0] is not None and version[0][1] >= _CACHED_OUTLINE_BYTES:
        with suppress(KeyError, RuntimeError, StopIteration):  # another thread got there
            while len(_outlines) >= _CACHED_OUTLINES:
                del _outlines[next(iter(_outlines))]
        _outlines[key] = (version, outline)
    return outline


def _read_outline(path: Path) -> Outline:
    records = _read_records(path, _outline_key)
    keys = frozenset(key for key in records.spans.values() if key is not None)
    state = _state_in(records.tables)
    fields = document_fields(path, state)
    linked = any(records.tables.get(name) for name in LINK_TABLES) or bool(state.get("categories"))
    return Outline(keys, fields[0], fields[4], fields[6], linked)


def _outline_key(record: dict[str, Any]) -> tuple[int, int, str] | None:
    """A span record's (start, end, label), checked; None for a flagged span."""
    check_record(record)
    return None if record.get("flagged") else (record["start"], record["end"], record["label"])
