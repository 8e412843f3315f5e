"""A program in a pseudo-terminal, with Textual's frames found in what it writes.

Frame detection. Textual 8 asks the terminal whether it supports synchronized output
(``CSI ? 2026 $ p``) when its driver starts, and does not wait for the answer: frames
painted before the answer has been processed go out unwrapped. This terminal announces
support (``CSI ? 2026 ; 2 $ y``: known, currently reset) as input right after spawning
the program, so the answer is waiting when Textual starts reading its input, and every
frame (``App._display``) is wrapped in ``CSI ? 2026 h`` … ``CSI ? 2026 l``. A frame is
complete when its ``CSI ? 2026 l`` has been read from the pty; its time is when that read
returned. The in-band resize query (``CSI ? 2048 $ p``) is answered "not recognized", as
xterm does; Textual asks nothing else. Echo is off on the pty from the start, so the
early answer is not echoed into the output.

Should Textual still paint before taking the answer, screen contents (a cursor move
``CSI row ; col H``) show up before the first synchronized update; :attr:`Terminal.unsynced`
then becomes true and the caller discards that run.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.screen import Change, Screen

SYNC_START = b"\x1b[?2026h"
SYNC_END = b"\x1b[?2026l"
#: Sent as input at spawn: "synchronized output is supported" (DECRPM for mode 2026).
SYNC_SUPPORTED = b"\x1b[?2026;2$y"
#: Queries answered when seen in the output (xterm's answer for an unknown mode).
ANSWERS = {b"\x1b[?2048$p": b"\x1b[?2048;0$y"}
#: Waits for a pause in what a program does, given the seconds left; True if it came.
Settle = Callable[[float], bool]
_CURSOR_MOVE = re.compile(rb"\x1b\[\d+;\d+H")
_ESCAPE = re.compile(r"\x1b(?:\[[0-9;:?<=>]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|.)")
_ERROR = re.compile(r"[\w.]*(?:Error|Exception|Interrupt)\b.*:")
_TICKS = os.sysconf("SC_CLK_TCK")
_LOOKBACK = 16  # longer than any query, so one split across two reads is still found


@dataclass(frozen=True, slots=True)
class Frame:
    """One synchronized update: where it lies in the output and when it was complete."""

    start: int
    end: int
    done: float

    @property
    def size(self) -> int:
        """Bytes between the start and end markers, both included."""
        return self.end - self.start


class Terminal:
    """Spawn ``argv`` in a pty of ``columns`` × ``rows`` and follow what it writes.

    All times are :func:`time.perf_counter` seconds. Output is read only while one of
    the ``wait_*`` methods (or :meth:`pump`) runs; the program blocks on a full pty
    buffer in between, which only delays it, and the waits start by draining.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        columns: int = 120,
        rows: int = 40,
        env: dict[str, str] | None = None,
    ) -> None:
        self.argv = list(argv)
        self.output = bytearray()
        self.frames: list[Frame] = []
        self.unsynced = False
        self.screen = Screen(columns, rows)
        #: What each frame changed on :attr:`screen` (filled in by :meth:`analyse`).
        self.changes: list[Change] = []
        #: Text looked for on screen after each frame (or a test of the screen), and the
        #: first frame showing it.
        self.watch: str | Callable[[Screen], bool] | None = None
        self.watch_frame: int | None = None
        self.last_output = 0.0
        self.exit_status: int | None = None
        self._scanned = 0
        self._next = 0  # where the next frame marker is looked for
        self._open_frame: int | None = None
        environment = dict(os.environ if env is None else env)
        winsize = struct.pack("HHHH", rows, columns, 0, 0)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: set the terminal up, then become the program
            try:
                _set_up(0, winsize)
                os.execve(self.argv[0], self.argv, environment)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd = fd
        _set_up(fd, winsize)  # the same, from this side, so the answer is never echoed
        self.write(SYNC_SUPPORTED)

    # -- reading -----------------------------------------------------------------------------

    def pump(self, timeout: float) -> bool:
        """Read what is there within ``timeout`` seconds; False once the program is gone."""
        if self.fd < 0:
            return False
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return True
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            data = b""
        now = time.perf_counter()
        if not data:
            self._reap()
            return False
        self.last_output = now
        self.output += data
        self._scan(now)
        return True

    def _scan(self, now: float) -> None:
        """Answer queries and find frame markers in the output not scanned yet."""
        begin = max(0, self._scanned - _LOOKBACK)
        for query, answer in ANSWERS.items():
            position = self.output.find(query, begin)
            if position >= 0 and position + len(query) > self._scanned:
                self.write(answer)
        self._scanned = len(self.output)
        while True:
            if self._open_frame is None:
                start = self.output.find(SYNC_START, self._next)
                if not self.frames:
                    head_end = len(self.output) if start < 0 else start
                    if _CURSOR_MOVE.search(self.output, self._next, head_end):
                        self.unsynced = True
                if start < 0:
                    return
                self._open_frame = start
                self._next = start + len(SYNC_START)
            else:
                end = self.output.find(SYNC_END, self._next)
                if end < 0:
                    return
                self._next = end + len(SYNC_END)
                self.frames.append(Frame(self._open_frame, self._next, now))
                self._open_frame = None

    def analyse(self) -> None:
        """Apply the complete frames not applied yet to :attr:`screen`, in order.

        This is done lazily, between measurements, so parsing never delays reading.
        """
        for index in range(len(self.changes), len(self.frames)):
            frame = self.frames[index]
            self.changes.append(self.screen.feed(bytes(self.output[frame.start : frame.end])))
            if self.watch_frame is None and self._shows_watched():
                self.watch_frame = index

    def _shows_watched(self) -> bool:
        """Whether the screen shows what :attr:`watch` looks for."""
        if not self.watch:
            return False
        if isinstance(self.watch, str):
            return self.screen.contains(self.watch)
        return self.watch(self.screen)

    def wait_for_frame(
        self, first: int, accept: Callable[[int], bool], settle: Settle, timeout: float
    ) -> tuple[int | None, bool]:
        """The first frame from ``first`` on for which ``accept(index)`` holds.

        After each new frame, ``settle(seconds_left)`` waits for a pause (such as
        :meth:`wait_quiet`); only then are frames applied to :attr:`screen` (see
        :meth:`analyse`), so that parsing never delays reading a frame. Returns the frame's
        index (None if none came within ``timeout`` seconds) and whether the last
        ``settle`` succeeded.
        """
        deadline = time.perf_counter() + timeout
        checked = first
        while True:
            if not self.wait_frames(checked + 1, deadline - time.perf_counter()):
                return None, False
            settled = settle(max(0.0, deadline - time.perf_counter()))
            self.analyse()
            for index in range(checked, len(self.frames)):
                if accept(index):
                    return index, settled
            checked = len(self.frames)

    def wait_until(self, done: Callable[[], bool], timeout: float) -> bool:
        """Read until ``done()`` holds; False if ``timeout`` seconds pass or the program ends."""
        deadline = time.perf_counter() + timeout
        while not done():
            left = deadline - time.perf_counter()
            if left <= 0 or not self.pump(min(left, 0.05)):
                return done()
        return True

    def wait_frames(self, count: int, timeout: float) -> bool:
        """Read until at least ``count`` frames are complete."""
        return self.wait_until(lambda: len(self.frames) >= count, timeout)

    def wait_quiet(self, quiet: float, timeout: float) -> bool:
        """Read until ``quiet`` seconds pass with nothing written (and no frame left open).

        The silence is counted from the later of the last output and this call, so the
        program has at least ``quiet`` seconds to react to what was just sent. Returns
        False when ``timeout`` seconds pass first (or the program ends).
        """
        called = time.perf_counter()
        deadline = called + timeout
        while True:
            now = time.perf_counter()
            silent = now - max(self.last_output, called)
            if silent >= quiet and self._open_frame is None:
                return True
            if now >= deadline:
                return False
            wait = min(deadline - now, quiet - silent if silent < quiet else 0.05)
            if not self.pump(max(0.001, wait)):
                return False

    def wait_idle(self, quiet: float, timeout: float, share: float = 0.05) -> bool:
        """Read until output pauses for ``quiet`` seconds with the program's CPU idle too.

        Idle means the program (all its threads) used at most ``share`` of one core, or
        two clock ticks, over the pause: output alone misses silent background work such
        as loading jieba. False when ``timeout`` seconds pass first (or the program ends).
        """
        deadline = time.perf_counter() + timeout
        while True:
            began, used = time.perf_counter(), self.cpu_seconds()
            if not self.wait_quiet(quiet, deadline - began):
                return False
            spent = self.cpu_seconds() - used
            if spent <= max(2 / _TICKS, share * (time.perf_counter() - began)):
                return True

    def cpu_seconds(self) -> float:
        """User and system CPU time the program has used so far (0 once it is gone)."""
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text()
        except OSError:
            return 0.0
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS

    # -- writing and the process -------------------------------------------------------------

    def write(self, data: bytes) -> float:
        """Write ``data`` as typed input; return the time just before the write."""
        now = time.perf_counter()
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.write(self.fd, data)
        return now

    def last_words(self) -> str:
        """The last line of text the program wrote, escape sequences removed (for errors)."""
        tail = self.output[-4000:].decode("utf-8", errors="replace")
        lines = [line.strip() for line in _ESCAPE.sub("", tail).splitlines() if line.strip()]
        errors = [line for line in lines if _ERROR.match(line)]
        return (errors or lines or [""])[-1]

    def peak_rss_kib(self) -> int | None:
        """The program's peak resident set (``VmHWM``) in KiB, while it runs."""
        return self._status_kib("VmHWM")

    def rss_kib(self) -> int | None:
        """The program's resident set now (``VmRSS``) in KiB, while it runs."""
        return self._status_kib("VmRSS")

    def _status_kib(self, field: str) -> int | None:
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        match = re.search(rf"^{field}:\s+(\d+)\s+kB", status, re.MULTILINE)
        return int(match.group(1)) if match else None

    def _reap(self, block: bool = False) -> bool:
        """Collect the child's exit status if it has ended; True once it has."""
        if self.exit_status is not None:
            return True
        try:
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            self.exit_status = -1
            return True
        if pid == 0:
            return False
        self.exit_status = os.waitstatus_to_exitcode(status)
        return True

    def close(self, quit_keys: bytes = b"q", grace: float = 2.0) -> None:
        """Ask the program to quit with ``quit_keys``; terminate, then kill it if it lingers."""
        if self.exit_status is None and quit_keys:
            self.write(quit_keys)
            self._wait_exit(grace)
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self._reap():
                break
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)
            self._wait_exit(grace)
        if self.exit_status is None:
            self._reap(block=True)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _wait_exit(self, timeout: float) -> None:
        """Drain output (so the program can finish writing) until it exits or time runs out."""
        deadline = time.perf_counter() + timeout
        while not self._reap() and time.perf_counter() < deadline:
            if not self.pump(0.02):
                time.sleep(0.01)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _set_up(fd: int, winsize: bytes) -> None:
    """Give the pty its window size, and turn echo off."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, winsize)
    attributes = termios.tcgetattr(fd)
    attributes[3] &= ~termios.ECHO
    termios.tcsetattr(fd, termios.TCSANOW, attributes)


def log(message: str) -> None:
    """Progress on stderr (stdout carries only the figures)."""
    print(message, file=sys.stderr, flush=True)
