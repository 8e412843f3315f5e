"""File access shared by the codecs: UTF-8 lines, whole texts, atomic output, JSON lines.

Every OS and decoding problem becomes a :class:`FormatError` naming the file (and the line
where there is one), so callers catch one exception type.
"""

from __future__ import annotations

import codecs
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from tui.core.formats.model import FormatError
from tui.core.untrusted import open_regular, read_regular

__all__ = [
    "Output",
    "atomic_output",
    "encoded",
    "iter_lines",
    "json_bytes",
    "open_binary",
    "read_text",
    "write_file",
]


def open_binary(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, or a FormatError saying why not."""
    try:
        return open_regular(path)
    except OSError as error:
        raise FormatError(path, None, f"cannot read: {_reason(error)}") from error


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` for each line of a UTF-8 file, without its line ending.

    Streams: one line in memory at a time. Only ``\\n`` ends a line (a ``\\r`` before it
    is dropped), so text separators such as U+2028 inside a line stay inside it. A leading
    byte-order mark is dropped.
    """
    with open_binary(path) as handle:
        number = 0
        try:
            for number, raw in enumerate(handle, start=1):
                line = raw.removesuffix(b"\n").removesuffix(b"\r")
                if number == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                yield number, _decoded(line, path, number)
        except OSError as error:
            raise FormatError(path, number + 1, f"cannot read: {_reason(error)}") from error


def _decoded(line: bytes, path: Path, number: int) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormatError(path, number, f"not valid UTF-8 (byte {error.start + 1})") from error


def read_text(path: Path) -> str:
    """The whole UTF-8 text of ``path`` as stored (byte-order mark dropped, newlines kept)."""
    try:
        data = read_regular(path)
    except OSError as error:
        raise FormatError(path, None, f"cannot read: {_reason(error)}") from error
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(path, line, "not valid UTF-8") from error


def encoded(text: str, out: Path, what: str, line: int | None = None) -> bytes:
    """``text`` as UTF-8, or a FormatError naming ``out`` (and ``line``): a lone surrogate
    has no UTF-8 form."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        char = f"U+{ord(text[error.start]):04X}"
        raise FormatError(
            out, line, f"{what}: contains {char}, which UTF-8 cannot store"
        ) from error


def json_bytes(value: object, out: Path, what: str) -> bytes:
    """``value`` as compact one-line JSON in UTF-8, keeping non-ASCII text readable.

    Lone surrogates (which JSON input may carry as ``\\ud800`` escapes) are written as
    escapes again, so they survive; a value JSON cannot hold is a FormatError.
    """
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError) as error:
        raise FormatError(out, None, f"{what}: not JSON-safe: {error}") from error
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value).encode("ascii")


class Output:
    """A binary output file whose write errors are FormatErrors naming it."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        self._handle = handle
        self._path = path

    def write(self, data: bytes) -> None:
        """Write ``data``, or raise a FormatError saying why not (a full disk...)."""
        try:
            self._handle.write(data)
        except OSError as error:
            raise FormatError(self._path, None, f"cannot write: {_reason(error)}") from error


@contextmanager
def atomic_output(out: Path) -> Iterator[Output]:
    """An output file that replaces ``out`` only when the block finishes without error.

    A failed export (a bad span in document 500) leaves no half-written file behind.
    """
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        handle = temp.open("wb")
    except OSError as error:
        raise FormatError(out, None, f"cannot write: {_reason(error)}") from error
    try:
        with handle:
            yield Output(handle, out)
        os.replace(temp, out)
    except OSError as error:
        # Only closing and replacing get here: Output turns its own errors into FormatErrors.
        temp.unlink(missing_ok=True)
        raise FormatError(out, None, f"cannot write: {_reason(error)}") from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, or raise a FormatError saying why not."""
    try:
        path.write_bytes(data)
    except OSError as error:
        raise FormatError(path, None, f"cannot write: {_reason(error)}") from error


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__
