"""``biaozhu serve`` from the command line: its address, its warnings and its refusals."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import serve
from tests.app.test_cli import run_cli
from tests.conftest import SEEDS
from tui.serve.child import SafeStream


@pytest.fixture
def busy_port() -> Iterator[int]:
    holder = socket.create_server(("127.0.0.1", 0))
    try:
        yield holder.getsockname()[1]
    finally:
        holder.close()


def test_a_port_in_use_is_said_plainly_with_exit_2(busy_port: int, tmp_path: Path) -> None:
    result = run_cli("serve", str(SEEDS), "--port", str(busy_port), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"biaozhu serve: port {busy_port} on 127.0.0.1 is in use by another program: "
        "choose another (--port)"
    )
    assert "token" not in result.stdout  # no address printed for a server that isn't


def test_a_bad_reader_option_or_path_is_refused_before_listening(tmp_path: Path) -> None:
    unknown = run_cli("serve", str(SEEDS), "--colour", "red", cwd=tmp_path)
    assert unknown.returncode == 2 and "--colour" in unknown.stderr
    missing = run_cli("serve", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere" in missing.stderr
    assert "http://" not in missing.stdout + unknown.stdout
    hostile = run_cli("serve", str(tmp_path / "x\x1b]0;pwned\x07"), cwd=tmp_path)
    assert hostile.returncode == 2 and "\x1b" not in hostile.stderr


def test_bad_server_options_are_refused(tmp_path: Path) -> None:
    for option in (["--port", "70000"], ["--port", "http"], ["--max-sessions", "0"]):
        result = run_cli("serve", str(SEEDS), *option, cwd=tmp_path)
        assert result.returncode == 2, option
        assert "biaozhu serve: error" in result.stderr


def test_help_names_the_server_options_and_points_to_the_readers(tmp_path: Path) -> None:
    result = run_cli("serve", "--help", cwd=tmp_path)
    assert result.returncode == 0
    for text in ("--host", "--port", "--max-sessions", "--review", "biaozhu --help"):
        assert text in result.stdout


def test_it_prints_one_tokened_address_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    served = serve([str(SEEDS), "--store", str(tmp_path / "store")], cwd=tmp_path)
    try:
        assert served.url.startswith("http://127.0.0.1:") and "?token=" in served.url
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(served.base, timeout=10)
        assert refused.value.code == 403
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with browser.open(served.url, timeout=10) as page:  # redirected, with the cookie
            assert page.status == 200 and b"textual.js" in page.read()
            assert "token" not in page.url
    finally:
        output = served.stop()
    assert served.process.returncode == 0
    assert "warning" not in output


def test_listening_beyond_this_machine_warns_about_encryption(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", str(SEEDS), "--host", "0.0.0.0", "--port", "0"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        address = process.stdout.readline()
    finally:
        process.send_signal(signal.SIGINT)
        _, errors = process.communicate(timeout=30)
    assert "?token=" in address
    assert process.returncode == 0
    said = " ".join(errors.split())  # wrapped to 79 columns
    assert "warning: listening on 0.0.0.0" in said
    assert "not encrypted" in said and "ssh -L" in said and "TLS proxy" in said
    assert max(len(line) for line in errors.splitlines()) <= 79


def test_the_apps_error_output_reaches_the_server_terminal_made_safe() -> None:
    class Sink:
        def __init__(self) -> None:
            self.written = ""

        def write(self, text: str) -> int:
            self.written += text
            return len(text)

    sink = Sink()
    stream = SafeStream(sink)  # type: ignore[arg-type]
    stream.write("bad label \x1b]52;c;AAAA\x07 in x.txt\n")
    assert "\x1b" not in sink.written and "\x07" not in sink.written
    assert sink.written.endswith("in x.txt\n")


def test_after_a_restart_the_old_cookie_and_address_are_refused(tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "store")]
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    first = serve([str(SEEDS), *store], cwd=tmp_path)
    try:
        with browser.open(first.url, timeout=10) as page:  # the cookie is now the browser's
            assert page.status == 200
        port = urllib.parse.urlsplit(first.url).port
    finally:
        first.stop()
    again = serve([str(SEEDS), *store, "--port", str(port)], cwd=tmp_path)  # same port
    try:
        assert urllib.parse.urlsplit(again.url).port == port
        for old in (again.base, first.url):  # the old cookie; the old token
            with pytest.raises(urllib.error.HTTPError) as refused:
                browser.open(old, timeout=10)
            assert refused.value.code == 403
        with browser.open(again.url, timeout=10) as page:
            assert page.status == 200
    finally:
        again.stop()
