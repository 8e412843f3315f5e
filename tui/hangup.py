"""Noticing that the terminal has gone: a closed SSH session, a killed terminal window.

The kernel tells the terminal's foreground processes with SIGHUP, but not always (a
program started under ``make run`` was seen left behind): Textual's input thread then
reads end-of-file from the dead terminal again and again, and the app spins at full CPU
for ever. So the app asks the terminal every second whether it is still there (a hung-up
terminal answers every control request with an error, and every write with one) and
treats SIGHUP the same way: it saves the reading position and quits, as ``q`` does.

Textual's writer thread dies on the first write that fails; the frames after it fill
its queue and the app then blocks for ever on the next write, quitting included. So
the app draws through :class:`TerminalOutput`, which drops what a dead terminal can't
take and remembers that it was lost.
"""

from __future__ import annotations

import os
import sys
import termios
import threading
from typing import TYPE_CHECKING, Any, TextIO

from textual.drivers.linux_driver import LinuxDriver

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["TerminalDriver", "TerminalOutput", "TerminalWatch"]


class TerminalOutput:
    """The file Textual's writer thread draws on; a write the terminal refuses is dropped.

    After the first refusal (the terminal has gone) nothing more is attempted, and
    :attr:`lost` is set for :class:`TerminalWatch` to see.
    """

    def __init__(self, file: TextIO) -> None:
        self._file = file
        #: Set once a write or flush has failed: the terminal is gone.
        self.lost = threading.Event()

    def write(self, text: str) -> int:
        """Write ``text``, or drop it when the terminal has gone."""
        if not self.lost.is_set():
            try:
                return self._file.write(text)
            except (OSError, ValueError):  # EIO from a hung-up tty; ValueError: closed
                self.lost.set()
        return len(text)

    def flush(self) -> None:
        """Flush, unless the terminal has gone."""
        if not self.lost.is_set():
            try:
                self._file.flush()
            except (OSError, ValueError):
                self.lost.set()

    def fileno(self) -> int:
        """The file descriptor underneath (Textual asks for it)."""
        return self._file.fileno()

    def isatty(self) -> bool:
        """Whether the file underneath is a terminal."""
        return self._file.isatty()


class TerminalDriver(LinuxDriver):
    """Textual's driver for a POSIX terminal, drawing through :class:`TerminalOutput`."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        #: Where every frame goes; it knows when the terminal has gone.
        self.output = TerminalOutput(sys.__stderr__ or sys.stderr)
        # The writer thread is made from it on start; it only writes, flushes, fileno.
        self._file = self.output  # type: ignore[assignment]


class TerminalWatch:
    """Whether the terminal on ``fd`` (standard input) has gone since the app started.

    ``output`` is where the app draws: a failed write there counts as gone too.
    Nothing is watched when ``fd`` was no terminal to begin with (tests, a pipe).
    """

    def __init__(self, fd: int = 0, output: TerminalOutput | None = None) -> None:
        self._fd = fd
        self._output = output
        self.watching = os.isatty(fd)

    def gone(self) -> bool:
        """Whether the terminal was there at the start and is no longer."""
        if not self.watching:
            return False
        if self._output is not None and self._output.lost.is_set():
            return True
        try:
            termios.tcgetattr(self._fd)
        except (termios.error, OSError):
            return True
        return False
