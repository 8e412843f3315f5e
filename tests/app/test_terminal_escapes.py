"""No control character from data reaches the terminal: every screen, in a real pty.

The corpus, the store and the labels hold escape sequences that would act on a terminal
(``OSC 52`` writes the clipboard, ``OSC 0`` the window title, ``CSI 2J`` clears the
screen). The reader and the review screen run in a pseudo-terminal while keys open every
screen; the bytes the app writes must hold none of those sequences, only Textual's own.
"""

from __future__ import annotations

import os
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.terminal import Terminal
from tests.conftest import ROOT
from tui.core.annotations import text_sha256
from tui.core.corpus import document_id, id_root
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store

#: Each sequence a hostile file carries, and the bytes that would show it reached the pty
#: raw. Payloads are unique (Textual never writes them), so Textual's escapes never match.
CLIPBOARD = "\x1b]52;c;UFdORUQ=\x07"
TITLE = "\x1b]0;PWNED\x07"
CLEAR = "\x1b[2J炸"
HOSTILE = CLIPBOARD + TITLE + CLEAR
FORBIDDEN = (b"\x1b]52;c;UFdORUQ", b"\x1b]0;PWNED", "\x1b[2J炸".encode())
#: What a sanitised ESC looks like on screen: its control picture.
SHOWN_ESC = "␛"

LABEL = "PER" + TITLE
NOTE = "备注" + HOSTILE
TEXT = "张三在北京大学工作。\n第二段" + HOSTILE + "尾。\n"
NAMED = "名" + TITLE + ".txt"
BINARY = "二进制" + CLIPBOARD + ".txt"
STEP = 20.0  # seconds any one step may take on a loaded machine before the test gives up


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project: a corpus with hostile names and text, a store with hostile spans."""
    root = tmp_path_factory.mktemp("escapes")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / NAMED).write_text(TEXT, encoding="utf-8")
    (corpus / BINARY).write_bytes(random.Random(7).randbytes(4096))
    store = Store(root / "store")
    for name in ("a.txt", NAMED):
        for who in ("tester", "alice", "bob"):
            label = LABEL if who != "bob" else "ORG" + CLIPBOARD
            put_span(store, corpus / name, who, (0, 2), label, NOTE)
    return root


def put_span(
    store: Store, path: Path, who: str, extent: tuple[int, int], label: str, note: str
) -> None:
    """Save one span of ``path`` by ``who`` with this label and note, as a store file holds."""
    text = path.read_text(encoding="utf-8")
    start, end = extent
    stamp = now_iso()
    doc_id = document_id(path, id_root(store.root))
    span = Span(
        new_span_id(), doc_id, text_sha256(text), start, end, text[start:end], label, who,
        stamp, stamp, note=note,
    )  # fmt: skip
    store.document(doc_id, who).put_spans([span])


def spawn(root: Path, *args: str) -> Terminal:
    """``python -m tui ARGS`` in a 100 × 30 pty, run in ``root``."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    # This checkout's code, whatever the virtual environment has installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "tui", *args]
    os.chdir(root)  # restored by the fixture below
    return Terminal(argv, columns=100, rows=30, env=env)


@pytest.fixture
def in_root(hostile: Path) -> Iterator[Path]:
    """Run in the project folder, and come back."""
    here = Path.cwd()
    try:
        yield hostile
    finally:
        os.chdir(here)


def shows(terminal: Terminal, text: str) -> bool:
    """Whether the screen the pty holds now shows ``text``."""
    terminal.analyse()
    return terminal.screen.contains(text)


def wait_shown(terminal: Terminal, text: str) -> None:
    """Read until the screen shows ``text``; fail showing the screen if it does not come."""
    if not terminal.wait_until(lambda: shows(terminal, text), STEP):
        lines = (terminal.screen.line(row) for row in range(terminal.screen.rows))
        raise AssertionError(f"{text!r} not shown; the screen:\n" + "\n".join(lines))


def press(terminal: Terminal, *keys: bytes) -> None:
    """Type each key and let the app answer it (output settles for a moment)."""
    for key in keys:
        terminal.write(key)
        # Escape alone waits for Textual's escape-sequence timeout before it counts.
        terminal.wait_quiet(0.25, STEP)


def assert_no_data_escapes(terminal: Terminal) -> None:
    """No hostile sequence from the data is in what the app wrote."""
    output = bytes(terminal.output)
    for sequence in FORBIDDEN:
        at = output.find(sequence)
        assert at < 0, f"{sequence!r} reached the terminal: {output[at - 80 : at + 40]!r}"
    assert SHOWN_ESC.encode() in output  # the data was on screen, made visible


ESC = b"\x1b"
ENTER = b"\r"
CTRL_F = b"\x06"


def test_the_reader_writes_no_escape_from_data_on_any_screen(in_root: Path) -> None:
    with spawn(in_root, "corpus", "--store", "store", "--annotator", "tester") as terminal:
        assert terminal.wait_until(lambda: shows(terminal, "a.txt"), STEP), terminal.last_words()
        press(terminal, ENTER)
        wait_shown(terminal, "张三在北京")
        press(terminal, b"p")  # spans panel: label and note
        wait_shown(terminal, "备注␛]52")
        press(terminal, ESC, b"e")  # the note editor on the span under the cursor
        wait_shown(terminal, "Note")
        press(terminal, ESC, b"?", ESC, b"S", ESC)  # help, skim
        press(terminal, CTRL_F, "张三".encode(), ENTER, ESC)  # search every document
        press(terminal, b"i", b"i", b"j", b"l", b"t", b"t")  # word panel, moves, script
        press(terminal, b"]", b"]")  # the binary file's message and toast
        wait_shown(terminal, "binary file")
        press(terminal, b"[", b"[")
        terminal.close()
    assert_no_data_escapes(terminal)


def test_the_review_screen_writes_no_escape_from_data(in_root: Path) -> None:
    with spawn(in_root, "review", "corpus", "--store", "store", "--reviewer", "rita") as terminal:
        assert terminal.wait_until(lambda: shows(terminal, "a.txt"), STEP), terminal.last_words()
        press(terminal, ENTER)
        wait_shown(terminal, "张三在北京")
        press(terminal, b"A", ESC, b"J", b"c", b"c", b"a", b"p")  # accept a hostile version
        wait_shown(terminal, "PER␛]0;PWNED␇  张三")
        press(terminal, ESC, b"e", ESC, b"?", ESC, b"S", ESC, b"]", b"]")
        terminal.close()
    assert_no_data_escapes(terminal)
