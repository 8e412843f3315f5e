"""The annotation store: one small TinyDB file per (document, annotator).

Layout: ``<root>/<safe document id>/<safe annotator>.json``; a save holds a lock on the
document's folder. A save rewrites one small file, so it costs the same in a corpus of any
size (DESIGN §6).

The files are TinyDB's format (tables of records under decimal keys; plain TinyDB reads
them, a test checks it), but TinyDB's default ``JSONStorage`` rewrites its file in place and
corrupts it when killed or run from two processes, and its objects cache queries and the
next id, which go stale when another process writes. So the tables are read whole and
changed here as plain dicts, and every change is written back whole: serialise, write a
temp file in the same folder, fsync, ``os.replace``, fsync the folder, as one
read-modify-write under an OS lock. When a mutating call
returns the change is on disk; when it raises :class:`StoreError` nothing changed and the
next call simply retries. A file that does not parse is never written over.

A file of 1 MiB or more takes its edits in a journal beside it instead (one fsynced line
each, :mod:`tui.core.journal`), folded in by the same atomic rewrite once it has grown;
every read here reads the file with its journal.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tui.core import journal, store_read
from tui.core.journal import journal_path
from tui.core.portable import is_device_name
from tui.core.relations.model import CATEGORIES, LinkEdit, Links, read_links
from tui.core.sharing import share_file, share_folder
from tui.core.spans import Span, Status, now_iso
from tui.core.store_check import (
    SPANS,
    CorruptStoreError,
    DecisionBasis,
    StoreError,
    Tables,
    basis_record,
    check_tables,
)
from tui.core.store_read import (
    BASE,
    DocumentState,
    Outline,
    apply_edit,
    apply_links,
    describe,
    file_version,
    known_base,
    read_categories,
    read_outline,
    read_state,
    read_summary,
    read_tables,
    read_text_sha256,
    remember_base,
    state_record,
)
from tui.core.untrusted import read_regular

__all__ = [
    "CorruptStoreError",
    "DocumentState",
    "DocumentStore",
    "NewLinks",
    "Outline",
    "Store",
    "StoreError",
    "fsync_folder",
    "original_name",
    "replace_file",
    "safe_name",
    "serialise",
    "write_all",
]

_LOCK_TIMEOUT = 10.0
#: What an import adds of a document's links, given its stored span ids by (start, end,
#: label) and the links stored already (see DocumentStore.merge_spans).
NewLinks = Callable[[Mapping[tuple[int, int, str], str], Links], LinkEdit | None]
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
#: A journal is folded into its store file once it is this share of the file's size.
_JOURNAL_SHARE = 8


# ---------------------------------------------------------------------------- file names

_NAME_MAX_BYTES = 150  # room for ".json.lock" and temp suffixes under the 255-byte limit
_HASH_CHARS = 16
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-")
# CJK unified ideographs only: compatibility ideographs (U+F900…, U+2F800…) have canonical
# decompositions, so a normalising file system (macOS) would merge them with others.
_CJK = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2F7FF), (0x30000, 0x323AF))


@lru_cache(maxsize=8192)  # annotator names recur on every path; ids recur on every save
def safe_name(name: str) -> str:
    """``name`` as one path component: collision-free and unable to leave its folder.

    Lowercase ASCII letters, digits, ``_``, ``-`` and CJK ideographs stay; every other
    character (``.``, ``/``, uppercase letters, controls, ``%``…) becomes ``%XX`` per UTF-8
    byte. Uppercase is encoded so names stay distinct on case-insensitive file systems, and
    the first letter of a Windows device name (``con``, ``nul``, ``lpt1``…) so that a copy
    to Windows keeps the file.
    Beyond 150 bytes the name is cut and ``~`` plus 16 hex digits of the sha256 of the
    whole name is appended (``~`` cannot occur otherwise). Raises ValueError when empty.
    """
    if not name:
        raise ValueError("a document id or annotator name cannot be empty")
    pieces = [_encode_char(char) for char in name]
    encoded = "".join(pieces)
    if is_device_name(encoded):  # Windows would take it for a device (no dot is left plain)
        pieces[0] = f"%{ord(pieces[0]):02X}"
        encoded = "".join(pieces)
    if len(encoded.encode("utf-8")) <= _NAME_MAX_BYTES:
        return encoded
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return _cut(pieces, _NAME_MAX_BYTES - 1 - _HASH_CHARS) + "~" + digest[:_HASH_CHARS]


def original_name(component: str) -> str | None:
    """The name :func:`safe_name` turned into ``component``, or None if it was cut short
    (or is not one of its results)."""
    if "~" in component:
        return None
    try:
        name = unquote(component, encoding="utf-8", errors="surrogatepass")
        return name if name and safe_name(name) == component else None
    except UnicodeDecodeError:
        return None


def _encode_char(char: str) -> str:
    if char in _PLAIN or any(low <= ord(char) <= high for low, high in _CJK):
        return char
    # surrogatepass: ids made from undecodable file names carry lone surrogates.
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8", "surrogatepass"))


def _cut(pieces: Sequence[str], limit: int) -> str:
    """The leading pieces that fit in ``limit`` bytes (a ``%XX`` run is never split)."""
    kept: list[str] = []
    size = 0
    for piece in pieces:
        size += len(piece.encode("utf-8"))
        if size > limit:
            break
        kept.append(piece)
    return "".join(kept)


# ---------------------------------------------------------------------------- file access


def _write_tables(path: Path, tables: Tables, sync: bool = True) -> None:
    """Replace ``path`` with ``tables`` atomically and (unless ``sync`` is off) durably.

    Raises :class:`StoreError` (old file intact, no temp file left) when it cannot.
    """
    try:
        replace_file(path, serialise(tables), sync=sync)
    except OSError as exc:
        raise StoreError(path, f"cannot save: {describe(exc)}") from exc
    _remember_verified(path)


def replace_file(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Put ``data`` at ``path`` whole or not at all: a temp file beside it, then a rename.

    With ``sync`` the data and the rename are on disk when this returns. Raises
    :class:`OSError` with the old file (if any) intact and no temp file left.
    """
    temp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # 0o666 and no mkstemp: the umask decides, as for any file the user creates (and
        # mkstemp's name search and Path work were a tenth of a bulk import).
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | _NOFOLLOW, 0o666)
        try:
            share_file(fd, path.parent)  # a team's store stays writable by the team
            write_all(fd, data)
            if sync:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temp)
        raise
    if sync:
        fsync_folder(path.parent)


# Checking every record before each save cost ~3 ms of a ~12 ms save. A file this process
# wrote (or checked) and nobody replaced since needs no second look: any other writer's
# os.replace brings a new inode, an in-place edit a new size or time.
_verified: dict[Path, tuple[int, int, int]] = {}


def _remember_verified(path: Path) -> None:
    version = file_version(path)
    if version is not None:
        _verified[path] = version


def _unchanged_since_verified(path: Path) -> bool:
    version = file_version(path)
    return version is not None and _verified.get(path) == version


def write_all(fd: int, payload: bytes) -> None:
    """Write all of ``payload`` to ``fd`` (``os.write`` may take only part of it)."""
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view) :]


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Best effort: the new file is already in place, and
    some file systems cannot fsync a folder, so a failure here has nothing to undo."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode
_ENCODE_ASCII = json.JSONEncoder(ensure_ascii=True, sort_keys=True, separators=(",", ":")).encode


def serialise(tables: Tables) -> bytes:
    """A store file's bytes: compact JSON with one record per line, so diffs and error line
    numbers mean something (the streaming reader, store_read, relies on this layout)."""
    text = _layout(tables, _ENCODE)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (ids from undecodable file names) only survive as \\u escapes.
        return _layout(tables, _ENCODE_ASCII).encode("ascii")


def _layout(tables: Tables, encode: Callable[[object], str]) -> str:
    # One encoder call per table (per-record calls were most of a save), then a line per
    # record. Records hold only scalars, and a '"' inside a JSON string is always escaped,
    # so '},"' occurs only between records.
    parts = []
    for name in sorted(tables):
        body = encode(tables[name])
        if body != "{}":
            body = "{\n" + body[1:-1].replace('},"', '},\n"') + "\n}"
        parts.append(f"{encode(name)}:{body}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


# ---------------------------------------------------------------------------- locking


@contextmanager
def _locked(store_path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the folder of ``store_path``.

    Not on the store file itself: it is replaced on every write, so a lock on it would
    guard a file that is gone. Not on a sidecar lock file either: creating one more file
    per document was a fifth of a bulk import's time. The folder is the document's, so
    the lock also covers its other annotators' files, whose saves are just as short.
    """
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC | _NOFOLLOW
    fd = os.open(store_path.parent, flags)
    try:
        _acquire(fd, store_path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, store_path: Path) -> None:
    # Polling with a deadline rather than a blocking flock: a process stopped with Ctrl-Z
    # while saving must not freeze every other program for ever.
    deadline = time.monotonic() + _LOCK_TIMEOUT
    pause = 0.0005
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                problem = f"cannot save: locked by another program for {_LOCK_TIMEOUT:.0f} s"
                raise StoreError(store_path, problem) from None
        time.sleep(pause)
        pause = min(pause * 2, 0.005)


def _remove_stale_temps(path: Path) -> None:
    """Delete temp files of ``path`` left by a killed writer (call only under the lock)."""
    prefix = f".{path.name}."
    with suppress(OSError), os.scandir(path.parent) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                with suppress(OSError):
                    os.unlink(entry.path)


# ---------------------------------------------------------------------------- documents


class DocumentStore:
    """One (document, annotator) file: read whole, changed one locked atomic write at a time.

    With ``defer_new_files`` a file that does not exist yet is created without waiting for
    the disk (see :meth:`Store.for_import`); changes to existing files always are durable.
    """

    def __init__(self, path: Path, *, defer_new_files: bool = False) -> None:
        self.path = Path(path)
        self._defer_new_files = defer_new_files

    def load(self) -> DocumentState:
        """The saved state; the empty state (new, cursor 0) when nothing is saved yet.

        Raises :class:`CorruptStoreError` for a file that is not a store file.
        """
        # No lock: files are replaced whole, so a reader sees one complete version.
        return read_state(self.path)

    def remove_stale_temps(self) -> None:
        """Delete the temp files a killed save of this file or its history left behind.

        One listing of the document's folder; the lock only when one is there, as a save
        in progress has its temp file too.
        """
        prefixes = (f".{self.path.name}.", f".{self.history_path.name}.")
        try:
            with os.scandir(self.path.parent) as entries:
                names = [entry.name for entry in entries if entry.name.startswith(prefixes)]
        except OSError:
            return
        if any(name.endswith(".tmp") for name in names):
            with suppress(OSError, StoreError), _locked(self.path):
                _remove_stale_temps(self.path)
                _remove_stale_temps(self.history_path)

    def span_keys(self) -> frozenset[tuple[int, int, str]]:
        """Every saved span as (start, end, label), without building the spans."""
        return self.outline().keys

    def outline(self) -> Outline:
        """The spans as (start, end, label), the status and the decided extents, in one read.

        Several times faster than :meth:`load`, which builds every span (agreement and the
        review list read thousands of files). Raises :class:`CorruptStoreError` for a file
        that is not a store file or has a bad record.
        """
        return read_outline(self.path)

    def summary(self) -> tuple[int, Status]:
        """The number of spans and the status, without building the spans."""
        return read_summary(self.path)  # what load() would call corrupt, the list marks too

    def categories(self) -> frozenset[str]:
        """The document's categories, without building the spans (the list's column)."""
        return read_categories(self.path)

    def text_sha256(self) -> str | None:
        """The sha256 of the text the annotations were made on, without building spans."""
        return read_text_sha256(self.path)

    @property
    def history_path(self) -> Path:
        """The file beside this one holding its undo history (:mod:`tui.core.history`).

        Not a ``.json`` file: nothing that lists annotators or reads store files sees it.
        """
        return self.path.with_suffix(".history")

    def load_history(self) -> bytes | None:
        """The undo history file's content; None when there is none."""
        try:
            return read_regular(self.history_path, follow_links=False)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(self.history_path, f"cannot read: {describe(exc)}") from exc

    def save_history(self, data: bytes) -> None:
        """Replace the undo history file with ``data``, under the document's lock.

        Atomic, never fsynced: the history is a convenience beside the spans, not data. A
        crash leaves the old file or the new one whole (a power cut may leave an older
        one, whose steps are then refused where the spans moved on); each save costs no
        disk flush on top of the spans' own.
        """
        path = self.history_path
        try:
            self._make_folder()
            with _locked(self.path):
                _remove_stale_temps(path)
                replace_file(path, data, sync=False)
        except OSError as exc:
            raise StoreError(path, f"cannot save: {describe(exc)}") from exc

    def fold_journal(self) -> None:
        """Fold the journal beside the file into it (one atomic rewrite), if it has one:
        the file alone then holds every edit (a git commit takes the file, not the journal)."""
        if journal_path(self.path).exists():
            self._change(lambda tables: None)

    def put_span(self, span: Span) -> None:
        """Insert ``span``, or replace the saved span with its id."""
        self.apply((span,))

    def put_spans(self, spans: Sequence[Span]) -> None:
        """Insert or replace many spans in one atomic write (import, re-anchoring)."""
        self.apply(spans)

    def apply(
        self,
        put: Sequence[Span],
        deleted: Iterable[str] = (),
        *,
        starts: bool = False,
        decided: Iterable[tuple[int, int]] | None = None,
        rejected: Iterable[tuple[int, int, str]] | None = None,
        decided_on: DecisionBasis | None = None,
        links: LinkEdit | None = None,
    ) -> None:
        """One whole edit in one atomic write: a kill leaves all of it or none of it.

        Spans in ``put`` are inserted or replace the saved span with their id; ids in
        ``deleted`` go (a missing one is no error). ``starts`` moves a new document to "in
        progress"; ``decided`` and ``rejected``, when given, replace the decided extents and
        the rejected suggestions (see :meth:`set_decided`, :meth:`set_rejected`);
        ``decided_on`` what the decided disagreements were decided on; ``links`` the
        relations, chains, attributes and categories the edit changes.
        """
        records = {span.id: span.to_record() for span in put}  # the last of an id wins
        fields: dict[str, object] = {}
        if decided is not None:
            fields["decided"] = [list(extent) for extent in sorted(set(decided))]
        if rejected is not None:
            fields["rejected"] = [list(key) for key in sorted(set(rejected))]
        if decided_on is not None:
            fields["decided_on"] = basis_record(decided_on)
        edit: dict[str, Any] = {
            "put": list(records.values()),
            "deleted": list(deleted),
            "starts": starts,
        }
        if links is not None and not links.empty:
            record = links.to_record()
            if "categories" in record:
                fields[CATEGORIES] = record.pop("categories")
            edit["links"] = record
        self._edit({**edit, "state": fields})

    def _edit(self, edit: dict[str, Any]) -> None:
        """Save one edit: appended to the journal beside a large file, else by a rewrite."""
        edit["state"] = {**edit.get("state", {}), "updated": now_iso()}
        try:
            self._make_folder()
            with _locked(self.path):
                if not self._journal_edit(edit):
                    self._rewrite(lambda tables: apply_edit(self.path, tables, edit))
        except OSError as exc:
            raise StoreError(self.path, f"cannot save: {describe(exc)}") from exc

    def _journal_edit(self, edit: dict[str, Any]) -> bool:
        """Append ``edit`` to the journal (under the lock); False when the file is small,
        missing or has no journal base yet: then it is rewritten whole."""
        version = file_version(self.path)
        if version is None or version[1] < store_read.JOURNAL_FROM_BYTES:
            return False
        known, base = known_base(self.path, version)
        if not known:
            tables = read_tables(self.path)
            if tables is not None and not _unchanged_since_verified(self.path):
                check_tables(self.path, tables)  # never journal onto a bad file
            known, base = known_base(self.path, version)
        if base is None:
            return False
        path = journal_path(self.path)
        created = not path.exists()
        size = journal.append(path, base, edit)
        if created:
            fsync_folder(self.path.parent)
        if size * _JOURNAL_SHARE > version[1]:
            self._rewrite(lambda tables: None)  # fold the journal in
        return True

    def merge_spans(
        self,
        spans: Sequence[Span],
        doc_sha256: str,
        source: Mapping[str, Any] | None = None,
        links: NewLinks | None = None,
    ) -> int:
        """Add the spans whose (start, end, label) is not stored yet, in one atomic write.

        Also records ``doc_sha256`` and, if given, the import's ``source`` record (JSON-safe);
        a new document given spans is then in progress. ``links``, given the stored span
        ids by (start, end, label) and the links stored, says which links to add in the
        same write. Returns how many spans were added (an import run twice adds nothing
        the second time).
        """
        # Straight on the file's tables, not through TinyDB: an import calls this once per
        # document, and TinyDB's table machinery was half of each call.
        added = 0

        def change(tables: Tables) -> None:
            nonlocal added
            table = tables.setdefault(SPANS, {})
            known = {(r["start"], r["end"], r["label"]) for r in table.values()}
            next_id = max(map(int, table), default=0) + 1  # as TinyDB numbers records
            for span in spans:
                key = (span.start, span.end, span.label)
                if key not in known:
                    known.add(key)
                    table[str(next_id + added)] = span.to_record()
                    added += 1
            state = state_record(tables)
            state["doc_sha256"] = doc_sha256
            if spans and state.get("status", Status.NEW.value) == Status.NEW.value:
                state["status"] = Status.IN_PROGRESS.value
            if source is not None:
                state["source"] = dict(source)
            if links is not None:
                self._merge_links(tables, links)

        self._change(change)
        return added

    def _merge_links(self, tables: Tables, links: NewLinks) -> None:
        """Add what ``links`` asks for to ``tables`` (see :meth:`merge_spans`)."""
        records = tables.get(SPANS, {}).values()
        by_key = {(r["start"], r["end"], r["label"]): r["id"] for r in records}
        state = state_record(tables)
        edit = links(by_key, read_links(tables, state, set(by_key.values())))
        if edit is None or edit.empty:
            return
        record = edit.to_record()
        if "categories" in record:
            state[CATEGORIES] = record.pop("categories")
        apply_links(self.path, tables, {"links": record})

    def delete_span(self, span_id: str) -> None:
        """Remove the span with id ``span_id`` (nothing happens if there is none)."""
        self.apply((), (span_id,))

    def set_status(self, status: Status) -> None:
        """Record how far the annotator has got."""
        self._set({"status": Status(status).value})

    def set_cursor(self, cursor: int) -> None:
        """Record the reading position (a code-point offset)."""
        if cursor < 0:
            raise ValueError(f"cursor must not be negative: {cursor}")
        self._set({"cursor": cursor})

    def set_decided(self, extents: Iterable[tuple[int, int]]) -> None:
        """Record which disagreements the reviewer has decided, by extent (gold layer)."""
        self.apply((), decided=extents)

    def set_rejected(self, keys: Iterable[tuple[int, int, str]]) -> None:
        """Record which suggestions the annotator rejected, as (start, end, label)."""
        self.apply((), rejected=keys)

    def set_doc_sha256(self, sha256: str) -> None:
        """Record the sha256 of the canonical text the spans refer to."""
        self._set({"doc_sha256": sha256})

    def _set(self, fields: dict[str, object]) -> None:
        self._edit({"state": fields})

    def _change(self, change: Callable[[Tables], object]) -> None:
        """Apply ``change`` to the tables as one locked read-modify-write and atomic replace."""
        try:
            self._make_folder()
            with _locked(self.path):
                self._rewrite(change)
        except OSError as exc:
            raise StoreError(self.path, f"cannot save: {describe(exc)}") from exc

    def _rewrite(self, change: Callable[[Tables], object]) -> None:
        """:meth:`_change` under the lock: the file with its journal folded in, changed,
        replaced whole under a new journal base; then the old journal goes."""
        tables = read_tables(self.path)
        if tables is not None and not _unchanged_since_verified(self.path):
            check_tables(self.path, tables)  # never write over a bad file
        sync = not (self._defer_new_files and tables is None)
        _remove_stale_temps(self.path)
        tables = tables or {}
        change(tables)
        state = state_record(tables)
        state["updated"] = now_iso()
        state[BASE] = secrets.token_hex(8)
        _write_tables(self.path, tables, sync)
        version = file_version(self.path)
        if version is not None:
            remember_base(self.path, version, state[BASE])
        journal.forget(journal_path(self.path))

    def _make_folder(self) -> None:
        folder = self.path.parent
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            share_folder(folder)
            if not self._defer_new_files:
                fsync_folder(folder.parent)  # else a power cut could drop the new folder


# ---------------------------------------------------------------------------- the store


class Store:
    """The annotation store under ``root`` (created on the first save, not before)."""

    def __init__(self, root: Path, *, defer_new_files: bool = False) -> None:
        self.root = Path(root)
        self.defer_new_files = defer_new_files
        self._root_text = str(self.root)

    def for_import(self) -> Store:
        """This store for a bulk import: new files are created without an fsync each.

        Thousands of fsyncs were most of an import's time. The importer calls
        :func:`os.sync` once at the end, and only reports success after it; an import
        cut short is simply run again (it adds nothing twice). Files that already exist
        are still replaced durably, so no earlier work is ever at risk.
        """
        return Store(self.root, defer_new_files=True)

    def path_for(self, doc_id: str, annotator: str) -> Path:
        """The file holding ``annotator``'s work on ``doc_id``.

        Raises :class:`StoreError` if it would lie outside the root (a symlinked folder).
        """
        # Plain strings, one Path at the end: agreement asks for 30 000 paths at a time.
        folder = os.path.join(self._root_text, safe_name(doc_id))
        path = Path(os.path.join(folder, f"{safe_name(annotator)}.json"))
        # safe_name leaves no "/" and no "..": only a symbolic link can lead outside, and
        # two lstat calls rule that out far more cheaply than resolving the whole path.
        # realpath, not Path.resolve: that raises RuntimeError on a link loop (Python 3.11);
        # a loop inside the store then fails to open, as a plain "cannot read".
        if (os.path.islink(folder) or os.path.islink(path)) and not Path(
            os.path.realpath(path)
        ).is_relative_to(os.path.realpath(self.root)):
            raise StoreError(path, "outside the store folder (a symbolic link?)")
        return path

    def document(self, doc_id: str, annotator: str) -> DocumentStore:
        """The store of ``annotator``'s work on ``doc_id``."""
        return DocumentStore(self.path_for(doc_id, annotator), defer_new_files=self.defer_new_files)

    def annotators(self, doc_id: str) -> list[str]:
        """The annotators with a file for ``doc_id``, sorted.

        Names longer than :func:`safe_name` keeps whole cannot be read back from a file
        name and are left out.
        """
        return sorted(_names_in(os.path.join(self._root_text, safe_name(doc_id)), ".json"))

    def outlines(
        self, doc_id: str, problems: list[str], skip: str | None = None
    ) -> dict[str, Outline]:
        """Every annotator's :meth:`DocumentStore.outline` of ``doc_id`` but ``skip``'s.

        One listing of the document's folder and one read per file, with no path checks
        beyond the listing's own: agreement reads 30 000 files this way. A file that
        cannot be read (or a link out of the store) is named in ``problems`` and left out.
        """
        folder = os.path.join(self._root_text, safe_name(doc_id))
        if os.path.islink(folder):  # rare: the careful way, one file at a time
            return self._outlines_one_by_one(doc_id, problems, skip)
        found: dict[str, Outline] = {}
        for name, entry in _entries_in(folder, ".json"):
            if name == skip:
                continue
            try:
                if entry.is_symlink():
                    found[name] = self.document(doc_id, name).outline()
                else:
                    found[name] = read_outline(entry.path)
            except StoreError as error:
                problems.append(str(error))
        return found

    def _outlines_one_by_one(
        self, doc_id: str, problems: list[str], skip: str | None
    ) -> dict[str, Outline]:
        found: dict[str, Outline] = {}
        for name in self.annotators(doc_id):
            if name == skip:
                continue
            try:
                found[name] = self.document(doc_id, name).outline()
            except StoreError as error:
                problems.append(str(error))
        return found

    def document_ids(self) -> list[str]:
        """The ids of the documents with a folder in the store, sorted (see :meth:`annotators`)."""
        return sorted(_names_in(self.root, ""))

    def summary(self, doc_id: str, annotator: str) -> tuple[int, Status]:
        """Span count and status, ``(0, Status.NEW)`` when nothing is saved.

        Raises :class:`CorruptStoreError` for a bad file.
        """
        return self.document(doc_id, annotator).summary()


def _names_in(folder: str | Path, suffix: str) -> Iterator[str]:
    """The names :func:`safe_name` made the entries of ``folder`` ending in ``suffix`` from.

    Folders when ``suffix`` is empty, files otherwise; nothing for a missing folder.
    """
    return (name for name, _ in _entries_in(folder, suffix))


def _entries_in(folder: str | Path, suffix: str) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """:func:`_names_in`, each name with its directory entry."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        # Not only regular files: a FIFO or folder named like a store file is listed, so
        # its reader reports it (open_regular refuses it without blocking).
        if suffix and not entry.name.endswith(suffix):
            continue
        if not suffix and not entry.is_dir(follow_symlinks=False):
            continue
        name = original_name(entry.name[: len(entry.name) - len(suffix)])
        if name is not None:
            yield name, entry
