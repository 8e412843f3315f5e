"""The corpus: finding documents on disk, describing them for the list, loading them.

Discovery only walks directories (no file is opened), so a large corpus lists at once;
:func:`read_info` then reads each document in the background and never raises, so one bad
file shows as an error row instead of stopping the list.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.convert import Script, convert
from tui.core.text import (
    DecodedText,
    DecodeError,
    decode_document,
    decode_utf8_head,
    display_safe,
)
from tui.core.untrusted import NotRegularFileError, open_regular, read_regular

__all__ = [
    "TEXT_SUFFIXES",
    "CorpusError",
    "DocumentError",
    "DocumentInfo",
    "DocumentRef",
    "detect_script",
    "discover",
    "document_id",
    "filter_key",
    "id_root",
    "load_document",
    "peek_title",
    "read_info",
]

#: Suffixes (compared case-insensitively) of the files taken from a directory.
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})

_TITLE_MAX = 200
# The start of a document decides its script; reading all of a 20 MB file would not.
_SCRIPT_SAMPLE = 4000
_MIXED_MIN_SHARE = 0.25


class CorpusError(Exception):
    """A path given on the command line cannot be used; the message names it."""


class DocumentError(Exception):
    """A document cannot be loaded; the message names the document and the problem."""


@dataclass(frozen=True, slots=True)
class DocumentRef:
    """A document found by :func:`discover`: its stable id, where it lives, what to call it.

    ``doc_id`` keys the annotations: the same file has the same id however its folder was
    typed (see :func:`document_id`). ``shown`` is the short name the user sees (the path
    below the folder they gave); it defaults to the id.
    """

    doc_id: str
    path: Path
    shown: str = ""

    @property
    def name(self) -> str:
        """The name to show for the document (never markup-safe: pass it through
        :func:`~tui.core.text.display_safe` and show it as plain text)."""
        return self.shown or self.doc_id


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the document list shows about one document.

    ``title`` is already passed through :func:`display_safe` (still not markup-safe).
    ``error`` is ``None`` for a readable document, else a one-line reason.
    """

    ref: DocumentRef
    title: str
    script: Script
    length: int
    encoding: str | None
    error: str | None
    title_key: str


# ---------------------------------------------------------------------------- discovery


def id_root(store: Path | str) -> str:
    """The folder document ids are relative to: the one that holds the store folder.

    With the default store ``./annotations`` that is the project folder, so
    ``biaozhu seeds``, ``biaozhu .`` and ``cd seeds; biaozhu . --store ../annotations``
    all name ``seeds/a.txt`` alike. Resolved, so a symlinked project gives the same ids.
    """
    return os.path.realpath(os.path.dirname(os.path.abspath(store)))


def document_id(path: Path | str, root: str) -> str:
    """The stable id of the file at ``path``: its resolved path relative to ``root`` (an
    :func:`id_root`), or its resolved absolute path for a file outside ``root``."""
    return _stable_id(os.path.realpath(path), os.path.realpath(root))


def _stable_id(real: str, real_root: str) -> str:
    prefix = real_root.rstrip(os.sep) + os.sep
    if real.startswith(prefix):
        return real[len(prefix) :].replace(os.sep, "/")
    return real


def discover(paths: Sequence[Path], root: str) -> list[DocumentRef]:
    """Find the documents under ``paths``, each once, sorted naturally by shown name.

    Ids come from :func:`document_id` against ``root`` (an :func:`id_root`), so they do
    not depend on how a path was typed; shown names are the paths below the folder given
    (made unique with that folder's name). A file is taken whatever its suffix; a
    directory is walked recursively for text files, skipping hidden names and not
    following directory symlinks. Raises :class:`CorpusError` for a missing path or an
    unreadable top-level directory.
    """
    real_root = os.path.realpath(root)
    seen: set[str] = set()
    taken: set[str] = set()
    refs: list[DocumentRef] = []
    for given in paths:
        root_name, found = _found_under(Path(given))
        for rel_name, path, real in found:
            if real in seen:
                continue
            seen.add(real)
            shown = _unique_name(rel_name, root_name, taken)
            taken.add(shown)
            refs.append(DocumentRef(_stable_id(real, real_root), Path(path), shown))
    refs.sort(key=lambda ref: (_natural_key(ref.shown), ref.shown))
    return refs


_Found = list[tuple[str, str, str]]


def _found_under(root: Path) -> tuple[str, _Found]:
    """The root's name (to tell equal ids apart) and (relative id, path, resolved path)
    for each document under ``root``, sorted by id."""
    try:
        mode = os.stat(root).st_mode
    except FileNotFoundError:
        raise CorpusError(f"no such file or directory: {root}") from None
    except OSError as exc:
        raise CorpusError(f"cannot read {root}: {_strerror(exc)}") from None
    absolute = os.path.abspath(root)
    if stat.S_ISREG(mode):
        name = os.path.basename(os.path.dirname(absolute))
        return name, [(root.name, str(root), os.path.realpath(root))]
    if not stat.S_ISDIR(mode):
        raise CorpusError(f"not a file or directory: {root}")
    found = list(_walk(root))
    found.sort(key=lambda item: item[0])
    return os.path.basename(absolute), found


def _walk(root: Path) -> Iterator[tuple[str, str, str]]:
    real_root = os.path.realpath(root)
    try:
        top = _list_dir(str(root))
    except OSError as exc:
        raise CorpusError(f"cannot read directory {root}: {_strerror(exc)}") from None
    # Iterative, not recursive: deep trees must not hit the recursion limit.
    pending: list[tuple[list[os.DirEntry[str]], str]] = [(top, "")]
    while pending:
        entries, prefix = pending.pop()
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            if _is_dir(entry):
                pending.append((_list_subdir(entry.path), rel + "/"))
            elif _is_text_file(entry):
                yield rel, entry.path, _real_path(entry, real_root, rel)


def _list_dir(path: str) -> list[os.DirEntry[str]]:
    # Listing eagerly closes each directory at once, so a wide tree never holds
    # one open descriptor per pending directory.
    with os.scandir(path) as entries:
        return list(entries)


def _list_subdir(path: str) -> list[os.DirEntry[str]]:
    # Unreadable or vanished subdirectories are skipped: one locked folder must not hide
    # the rest of the corpus.
    try:
        return _list_dir(path)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _is_text_file(entry: os.DirEntry[str]) -> bool:
    if os.path.splitext(entry.name)[1].lower() not in TEXT_SUFFIXES:
        return False
    try:
        return entry.is_file()
    except OSError:
        return False


def _real_path(entry: os.DirEntry[str], real_root: str, rel: str) -> str:
    # Below a resolved root, only symlinks need resolving: this saves a syscall chain per
    # file, which is most of the cost of discovering 10 000 files.
    if entry.is_symlink():
        return os.path.realpath(entry.path)
    return os.path.join(real_root, rel)


def _unique_name(rel_name: str, root_name: str, taken: set[str]) -> str:
    # The first document keeps its plain name, so adding a root never renames documents
    # that were already there.
    if rel_name not in taken:
        return rel_name
    base = f"{root_name}/{rel_name}" if root_name else rel_name
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base} ({n})"
        n += 1
    return candidate


_DIGITS = re.compile(r"(\d+)")


def _natural_key(name: str) -> list[str | int]:
    # Chapters sort as 2 before 10; split() puts digits at odd indices, so the types of
    # any two keys line up position by position.
    parts: list[str | int] = []
    for i, part in enumerate(_DIGITS.split(name)):
        parts.append(int(part) if i % 2 else part.casefold())
    return parts


# ----------------------------------------------------------------------------- reading


def _read_decoded(path: Path) -> DecodedText:
    # Never blocks: a FIFO or device swapped in after listing is refused, not read.
    return decode_document(read_regular(path))


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return "file vanished"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, NotRegularFileError):
        return "not a regular file"
    return _strerror(exc)


def _strerror(exc: OSError) -> str:
    # strerror alone: str(exc) repeats the file name, which the caller already shows.
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def _reason(exc: OSError | DecodeError) -> str:
    return _os_reason(exc) if isinstance(exc, OSError) else str(exc)


def load_document(ref: DocumentRef) -> DecodedText:
    """Read and decode a document; raises :class:`DocumentError` naming it on failure."""
    try:
        return _read_decoded(ref.path)
    except (OSError, DecodeError) as exc:
        raise DocumentError(f"{ref.name}: {_reason(exc)}") from exc


def read_info(ref: DocumentRef) -> DocumentInfo:
    """Describe a document for the list; never raises (failures go to ``error``)."""
    try:
        decoded = _read_decoded(ref.path)
    except (OSError, DecodeError) as exc:
        return DocumentInfo(ref, "", Script.UNKNOWN, 0, None, _reason(exc), "")
    text = decoded.text
    title = _title(text)
    script = detect_script(text[:_SCRIPT_SAMPLE])
    return DocumentInfo(ref, title, script, len(text), decoded.encoding, None, filter_key(title))


#: Bytes of a file :func:`peek_title` reads: a title line, not the text.
_PEEK_BYTES = 4096


def peek_title(ref: DocumentRef) -> str | None:
    """The title :func:`read_info` will find, read from the file's first 4 KiB only.

    Cheap enough to do before the first paint for the documents on screen. None when
    those bytes cannot tell it cheaply: not clean UTF-8, or no end to the title line in
    them; the whole file's reading says then (and has the last word anyway).
    """
    try:
        with open_regular(ref.path) as file:
            head = file.read(_PEEK_BYTES + 1)
    except OSError:
        return None
    whole = len(head) <= _PEEK_BYTES
    text = decode_utf8_head(head[:_PEEK_BYTES])
    if text is None:
        return None
    found = _NON_SPACE.search(text)
    if not whole and (found is None or not _line_ends(text, found.start())):
        return None
    return _title(text)


def _line_ends(text: str, start: int) -> bool:
    """Whether the title starting at ``start`` ends within ``text`` (a line end, or as
    many characters as a title keeps)."""
    return len(text) >= start + _TITLE_MAX or "\n" in text[start:]


_NON_SPACE = re.compile(r"\S")


def _title(text: str) -> str:
    """The first non-blank line, stripped and cut to ``_TITLE_MAX`` code points."""
    found = _NON_SPACE.search(text)
    if found is None:
        return ""
    start = found.start()
    end = text.find("\n", start)
    if end < 0:
        end = len(text)
    return display_safe(text[start : min(end, start + _TITLE_MAX)].rstrip())


# ------------------------------------------------------------------------------ script


def detect_script(text: str) -> Script:
    """Tell simplified, traditional and mixed text apart by an OpenCC round trip.

    t2s changes only traditional-only characters and s2t only simplified-only ones, both
    one code point for one, so counting changed positions counts each kind (DESIGN §4).
    """
    safe = display_safe(text)  # OpenCC truncates at NUL
    traditional = _changed(safe, convert("t2s", safe))
    simplified = _changed(safe, convert("s2t", safe))
    total = traditional + simplified
    if total == 0:
        return Script.UNKNOWN
    if min(traditional, simplified) >= _MIXED_MIN_SHARE * total:
        return Script.MIXED
    return Script.TRADITIONAL if traditional > simplified else Script.SIMPLIFIED


def _changed(before: str, after: str) -> int:
    return sum(1 for a, b in zip(before, after, strict=False) if a != b)


def filter_key(text: str) -> str:
    """The key for matching titles against a typed filter in either script (t2s, casefold)."""
    return convert("t2s", display_safe(text)).casefold()
