"""The journal beside a large store file: its latest edits, one line each, appended.

Rewriting a store file of 100 000 spans (30 MB) took ~1.5 s per edit. Beside such a file
an edit is instead appended to ``<annotator>.journal`` as one line and fsynced, a cost
that grows with the edit, not the file; the store folds the journal into the file (one
atomic rewrite) once the journal has grown to a fraction of it, or when the file is
changed another way (an import).

Each line names the *base*: a random token the store file carries in its state record
and renews on every rewrite. A journal whose base is not the file's was already folded
into it (the writer was killed between the rewrite and removing the journal) and is
ignored, so a replay never brings back an edit a later rewrite undid. A line is written
whole or not at all as far as readers are concerned: one without its newline (a kill
mid-append) or that does not parse is the end of the journal, and the next append cuts
it off first. Appends hold the document's lock; readers need none.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

__all__ = ["append", "forget", "journal_path", "read_edits", "version"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_ENCODE = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode

#: Journals this process appended to and left whole, by path: (version, base). Another
#: writer's append changes the version, and the journal is then read before appending.
_known: dict[Path, tuple[tuple[int, int, int], str]] = {}


def journal_path(store_path: Path) -> Path:
    """The journal beside ``store_path`` (not a ``.json`` file: listings skip it)."""
    return store_path.with_suffix(".journal")


def version(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime) of ``path``; None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_size, info.st_mtime_ns


def read_edits(path: Path, base: str | None) -> list[dict[str, Any]] | None:
    """The edits journalled on ``base``, oldest first ([] without a journal).

    None when the journal was written on another base: a stale journal, or (for a reader
    without the lock) a store file read just before a rewrite; the caller tells which.
    """
    try:
        with open(path, "rb") as file:
            raw = file.read()
    except FileNotFoundError:
        return []
    edits, _, found_base = _parse(raw)
    if found_base is not None and found_base != base:
        return None
    return edits


def _parse(raw: bytes) -> tuple[list[dict[str, Any]], int, str | None]:
    """The whole lines' edits, the length of the whole lines and their base."""
    edits: list[dict[str, Any]] = []
    good = 0
    base: str | None = None
    while (end := raw.find(b"\n", good)) >= 0:
        try:
            line = json.loads(raw[good:end])
        except (UnicodeDecodeError, json.JSONDecodeError):
            break
        if not (isinstance(line, dict) and isinstance(line.get("base"), str)):
            break
        if base is None:
            base = line["base"]
        elif line["base"] != base:
            break
        edits.append(line)
        good = end + 1
    return edits, good, base


def append(path: Path, base: str, edit: Mapping[str, Any]) -> int:
    """Append ``edit`` on ``base`` durably (call under the document's lock; a new journal's
    folder entry is the caller's to fsync); returns the journal's size. A stale journal
    is emptied first, a torn last line cut off.

    Raises :class:`OSError`; the journal then holds at most a torn line, which readers
    ignore and the next append cuts off.
    """
    line = _ENCODE({**edit, "base": base}).encode("ascii") + b"\n"
    flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | _NOFOLLOW
    fd = os.open(path, flags, 0o666)
    try:
        info = os.fstat(fd)
        known = _known.get(path)
        if known != ((info.st_ino, info.st_size, info.st_mtime_ns), base):
            with open(os.dup(fd), "rb") as file:
                _, good, found = _parse(file.read())
            if found != base:
                good = 0
            if good != info.st_size:
                os.ftruncate(fd, good)
            end = good
        else:
            end = info.st_size
        written = 0
        while written < len(line):
            written += os.pwrite(fd, line[written:], end + written)
        os.fsync(fd)
        info = os.fstat(fd)
        _known[path] = ((info.st_ino, info.st_size, info.st_mtime_ns), base)
    except BaseException:
        _known.pop(path, None)
        raise
    finally:
        os.close(fd)
    return info.st_size


def forget(path: Path) -> None:
    """Remove the journal (its edits are in the store file now); missing is fine."""
    _known.pop(path, None)
    with suppress(FileNotFoundError):
        os.unlink(path)
