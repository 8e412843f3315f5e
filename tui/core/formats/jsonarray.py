"""A JSON array read one element at a time, so a 200 MB export never sits in memory whole.

The file is decoded in chunks into a sliding buffer and each element is parsed with
``json.JSONDecoder.raw_decode``. When an element does not parse, a quick structural scan
(brackets and strings only) tells an element cut off by the end of the buffer, which needs
more input, from one that is complete and therefore invalid, which is reported at once
rather than after reading the rest of the file. Memory stays within about one element plus
one chunk.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tui.core.formats._io import open_binary
from tui.core.formats.model import FormatError
from tui.core.untrusted import JsonProblem, decode_json_at

__all__ = ["iter_array"]

_CHUNK = 1 << 15  # 32 KiB: a larger buffer of astral text costs 4 bytes a character
_NOT_SPACE = re.compile(r"[^ \t\r\n]")
_STRUCTURE = re.compile(r'[{}\[\]"]')
_STRING_STOP = re.compile(r'["\\]')
_SCALAR_END = re.compile(r"[ \t\r\n,\]}]")


def iter_array(path: Path, what: str = "elements") -> Iterator[tuple[int, object]]:
    """``(line, element)`` for each element of the JSON array in ``path``, in order.

    ``line`` is the 1-based line where the element starts. An empty (or all-whitespace)
    file has no elements. Anything but one array, invalid JSON included, raises a
    FormatError naming the file and line; ``what`` names the elements in that message.
    """
    with open_binary(path) as handle:
        buffer = _Buffer(handle, str(path))
        first = buffer.next_char()
        if first is None:
            return
        if first != "[":
            raise buffer.error(f"expected a JSON array of {what}, not {first!r}")
        buffer.pos += 1
        if buffer.next_char() == "]":
            buffer.pos += 1
        else:
            yield from _elements(buffer)
        if buffer.next_char() is not None:
            raise buffer.error("invalid JSON: extra data after the array")


def _elements(buffer: _Buffer) -> Iterator[tuple[int, object]]:
    while True:
        yield buffer.element()
        separator = buffer.next_char()
        buffer.pos += 1
        if separator == "]":
            return
        if separator != ",":
            buffer.pos -= 1
            found = "the end of the file" if separator is None else repr(separator)
            raise buffer.error(f"invalid JSON: expected ',' or ']', not {found}")
        if buffer.next_char() is None:
            raise buffer.error("invalid JSON: the array ends early")


class _Buffer:
    """Decoded text from ``pos`` on, refilled in chunks, that knows its line numbers."""

    def __init__(self, handle: BinaryIO, path: str) -> None:
        self._handle = handle
        self._path = path
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._bytes_read = 0
        self.text = ""
        self.pos = 0
        self.eof = False
        # Line numbers are counted lazily: self._line is the line at self._counted.
        self._line = 1
        self._counted = 0

    def next_char(self) -> str | None:
        """The next character that is not JSON whitespace (now at ``pos``), or None at EOF."""
        while True:
            found = _NOT_SPACE.search(self.text, self.pos)
            if found is not None:
                self.pos = found.start()
                return found.group()
            self.pos = len(self.text)
            if not self._fill(_CHUNK):
                return None

    def element(self) -> tuple[int, object]:
        """Parse the element at ``pos`` (reading more as needed); return its line and value."""
        size = _CHUNK
        while True:
            try:
                value, end = decode_json_at(self.text, self.pos)
            except JsonProblem as error:
                if self.eof or self._complete(self.pos):
                    raise self._invalid(error) from error
            else:
                # A number at the very end of the buffer may go on in the next chunk.
                if end < len(self.text) or self.eof or self.text[self.pos] in '{["':
                    line = self._line_at(self.pos)
                    self.pos = end
                    return line, value
            # A long element: read ever larger chunks so parsing it stays linear overall.
            self._fill(size)
            size *= 2

    def error(self, message: str) -> FormatError:
        """A FormatError at ``pos``."""
        return FormatError(self._path, self._line_at(self.pos), message)

    def _invalid(self, error: JsonProblem) -> FormatError:
        line = self._line_at(self.pos) + (error.line_in(self.text, self.pos) or 1) - 1
        return FormatError(self._path, line, f"invalid JSON: {error.reason}")

    def _fill(self, size: int) -> bool:
        """Append up to ``size`` more bytes of input, dropping what lies before ``pos``."""
        if self.eof:
            return False
        data = self._handle.read(size)
        self.eof = not data
        try:
            more = self._decoder.decode(data, final=self.eof)
        except UnicodeDecodeError as error:
            near = self._bytes_read + error.start
            raise FormatError(self._path, None, f"not valid UTF-8 (near byte {near})") from error
        self._bytes_read += len(data)
        self._line_at(self.pos)
        self.text = self.text[self.pos :] + more
        self._counted -= self.pos
        self.pos = 0
        return bool(data)

    def _line_at(self, index: int) -> int:
        """The line of ``index``; indices asked for never go backwards."""
        self._line += self.text.count("\n", self._counted, index)
        self._counted = index
        return self._line

    def _complete(self, start: int) -> bool:
        """Whether the element at ``start`` ends inside the buffer (valid or not)."""
        text = self.text
        if text[start] == '"':
            return self._string_end(start + 1) is not None
        if text[start] not in "{[":
            return _SCALAR_END.search(text, start) is not None
        depth, index = 0, start
        while (found := _STRUCTURE.search(text, index)) is not None:
            if found.group() == '"':
                end = self._string_end(found.end())
                if end is None:
                    return False
                index = end
                continue
            depth += 1 if found.group() in "{[" else -1
            index = found.end()
            if depth == 0:
                return True
        return False

    def _string_end(self, index: int) -> int | None:
        """The index after the quote closing a string whose text starts at ``index``."""
        while (found := _STRING_STOP.search(self.text, index)) is not None:
            if found.group() == '"':
                return found.end()
            index = found.end() + 1  # skip the escaped character
        return None
