"""Reading files and JSON that anyone may have written: store files, import sources, history.

Two dangers are shared by every reader, so they are handled here once:

* A path may name something other than a regular file. Opening a FIFO for reading blocks
  until a writer appears (for ever), and a device such as ``/dev/zero`` never ends.
  :func:`open_regular` opens without blocking and refuses anything but a regular file.
* JSON may hold what Python's parser raises on outside :class:`json.JSONDecodeError`: a
  number of more than 4 300 digits (``ValueError``), nesting 100 000 deep
  (``RecursionError``). :func:`parse_json` and :func:`decode_json_at` turn each into a
  :class:`JsonProblem`, and refuse ``NaN`` and ``Infinity``, which are not JSON at all.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

__all__ = [
    "MAX_OFFSET",
    "JsonProblem",
    "NotRegularFileError",
    "decode_json_at",
    "open_regular",
    "parse_json",
    "read_regular",
]

#: The largest offset, cursor or count a file may hold: no text comes near 2**53 code
#: points, and a larger number (a typo, or an attack) would only overflow arithmetic.
MAX_OFFSET = 2**53

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


class NotRegularFileError(OSError):
    """A path names a folder, FIFO, socket or device where a file was expected."""

    def __init__(self, kind: str) -> None:
        super().__init__(errno.EINVAL, f"not a regular file ({kind})")


def open_regular(path: Path | str, *, follow_links: bool = True) -> BinaryIO:
    """``path`` opened for reading bytes, if it is a regular file.

    Raises :class:`FileNotFoundError` when it is missing, :class:`NotRegularFileError`
    for a folder, FIFO, socket or device (without blocking on a FIFO), and other
    :class:`OSError` as :func:`open` does. With ``follow_links`` off a symbolic link is
    refused (``ELOOP``).
    """
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | (0 if follow_links else _NOFOLLOW)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFileError(_KINDS.get(stat.S_IFMT(mode), "not a file"))
        # Back to blocking reads: a regular file never blocks, and buffered reads expect it.
        os.set_blocking(fd, True)
        return open(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path | str, *, follow_links: bool = True) -> bytes:
    """The whole content of the regular file ``path`` (see :func:`open_regular`)."""
    with open_regular(path, follow_links=follow_links) as file:
        return file.read()


class JsonProblem(ValueError):
    """JSON that does not parse; ``reason`` says why, ``pos`` is the character index of the
    fault when known (count the newlines before it for a line number)."""

    def __init__(self, reason: str, pos: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.pos = pos

    def line_in(self, text: str, start: int = 0) -> int | None:
        """The 1-based line of the fault in ``text`` (which was parsed from ``start``)."""
        return None if self.pos is None else text.count("\n", start, self.pos) + 1


class _Constant(ValueError):
    """``NaN``, ``Infinity`` or ``-Infinity``, which Python's parser accepts and JSON lacks."""


def _refuse_constant(name: str) -> object:
    raise _Constant(name)


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)
_LONG_NUMBER = re.compile(r"[0-9]{4300}")


def parse_json(text: str) -> object:
    """The value of the JSON document ``text``, or a :class:`JsonProblem` saying why not."""
    return decode_json_at(text, 0, whole=True)[0]


def decode_json_at(text: str, pos: int, *, whole: bool = False) -> tuple[object, int]:
    """The JSON value starting at ``pos`` of ``text`` and the index after it.

    :meth:`json.JSONDecoder.raw_decode` that raises only :class:`JsonProblem`. With
    ``whole`` the value must be all of ``text`` but white space (as :func:`json.loads`).
    """
    try:
        if whole:
            return _DECODER.decode(text), len(text)
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as error:
        raise JsonProblem(error.msg, error.pos) from None
    except _Constant as error:
        raise JsonProblem(f"{error} is not a JSON number", None) from None
    except RecursionError:
        raise JsonProblem("nested too deeply", None) from None
    except ValueError:
        # The only other ValueError the parser raises: int() of a 4 300-digit number.
        found = _LONG_NUMBER.search(text, pos)
        where = None if found is None else found.start()
        raise JsonProblem("a number with too many digits", where) from None
