"""A terminal that goes away ends the app; it never spins on a dead terminal (tui.hangup)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS
from tui.hangup import TerminalOutput, TerminalWatch


def test_a_terminal_that_hangs_up_is_noticed() -> None:
    master, slave = os.openpty()
    try:
        watch = TerminalWatch(slave)
        assert watch.watching and not watch.gone()
        os.close(master)
        assert watch.gone()
    finally:
        os.close(slave)


def test_no_terminal_is_never_gone(tmp_path: Path) -> None:
    with (tmp_path / "f").open("w") as file:
        watch = TerminalWatch(file.fileno())
        assert not watch.watching and not watch.gone()


def test_drawing_on_a_terminal_that_hung_up_is_dropped_not_raised() -> None:
    """Textual's writer thread dies on a raised write; the app then blocks for ever."""
    master, slave = os.openpty()
    with os.fdopen(slave, "w") as terminal:
        output = TerminalOutput(terminal)
        watch = TerminalWatch(terminal.fileno(), output=output)
        output.write("frame\n")
        output.flush()
        assert not output.lost.is_set()
        os.close(master)
        output.write("x" * 10_000 + "\n")
        output.flush()
        assert output.lost.is_set()
        output.write("more")  # dropped at once, nothing raised
        assert watch.gone()


@pytest.mark.parametrize("hangup", ["ignored", "blocked"])
def test_the_app_ends_when_its_terminal_goes_even_without_a_hangup_signal(
    tmp_path: Path, hangup: str
) -> None:
    """As under ``make run``: the terminal closes and no SIGHUP comes. Ignored, the app
    sets its own handler (the kernel's SIGHUP then arrives); blocked, it never does and
    only the watch can tell."""
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}

    def detach() -> None:  # its own session with the pty as controlling terminal
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        if hangup == "ignored":
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
        else:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})

    app = subprocess.Popen(
        [sys.executable, "-m", "tui", str(SEEDS), "--store", str(tmp_path / "store")],
        stdin=slave,
        stdout=slave,
        stderr=slave,  # Textual draws on standard error
        preexec_fn=detach,  # only signals and a session, before exec
        env=env,
    )
    os.close(slave)
    try:
        deadline = time.monotonic() + 30
        seen = b""
        while b"quit" not in seen and time.monotonic() < deadline:  # the first frame's hints
            if select.select([master], [], [], 0.5)[0]:
                seen += os.read(master, 65536)
        assert b"quit" in seen, seen[-200:]
        os.close(master)
        master = -1
        assert app.wait(timeout=30) is not None  # ended: not left spinning
    finally:
        if master >= 0:
            os.close(master)
        if app.poll() is None:
            app.kill()
            app.wait()
