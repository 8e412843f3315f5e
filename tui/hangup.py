"""Noticing that the terminal has gone: a closed SSH session, a killed terminal window.

The kernel tells the terminal's foreground processes with SIGHUP, but not always (a
program started under ``make run`` was seen left behind): Textual's input thread then
reads end-of-file from the dead terminal again and again, and the app spins at full CPU
for ever. So the app asks the terminal every second whether it is still there (a hung-up
terminal answers every control request with an error) and treats SIGHUP the same way: it
saves the reading position and quits, as ``q`` does.
"""

from __future__ import annotations

import os
import termios

__all__ = ["TerminalWatch"]


class TerminalWatch:
    """Whether the terminal on ``fd`` (standard input) has gone since the app started.

    Nothing is watched when ``fd`` was no terminal to begin with (tests, a pipe).
    """

    def __init__(self, fd: int = 0) -> None:
        self._fd = fd
        self.watching = os.isatty(fd)

    def gone(self) -> bool:
        """Whether the terminal was there at the start and is no longer."""
        if not self.watching:
            return False
        try:
            termios.tcgetattr(self._fd)
        except (termios.error, OSError):
            return True
        return False
