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

from tests.conftest import SEEDS
from tui.hangup import TerminalWatch


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


def test_the_app_ends_when_its_terminal_goes_even_without_a_hangup_signal(
    tmp_path: Path,
) -> None:
    """As under ``make run``: the terminal closes and no SIGHUP comes (here: ignored)."""
    master, slave = os.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}

    def detach() -> None:  # its own session with the pty as controlling terminal
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

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
