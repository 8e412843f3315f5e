"""No control character from data reaches the terminal: every screen, in a real pty.

The corpus, the store and the labels hold escape sequences that would act on a terminal
(``OSC 52`` writes the clipboard, ``OSC 0`` the window title, ``CSI 2J`` clears the
screen). The reader and the review screen run in a pseudo-terminal while keys open every
screen; the bytes the app writes must hold none of those sequences, only Textual's own.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
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
from tui.core.text import first_unsafe

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
    return make_project(tmp_path_factory.mktemp("escapes"))


def make_project(root: Path) -> Path:
    """Fill ``root`` with the hostile corpus and store; return it."""
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
        # Exports refuse hostile labels (FormatError): carol's plain one gets written.
        put_span(store, corpus / name, "carol", (3, 5), "LOC", NOTE)
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
    """``python -m tui ARGS`` in a 140 × 30 pty, run in ``root``."""
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    # This checkout's code, whatever the virtual environment has installed.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    argv = [sys.executable, "-m", "tui", *args]
    os.chdir(root)  # restored by the fixture below
    return Terminal(argv, columns=140, rows=30, env=env)


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


def visit(terminal: Terminal, key: bytes, evidence: str, *typed: bytes) -> None:
    """Open a screen with ``key``, see ``evidence`` on it, type ``typed``, close it with Esc."""
    press(terminal, key)
    wait_shown(terminal, evidence)
    press(terminal, *typed, ESC)
    assert terminal.wait_until(lambda: not shows(terminal, evidence), STEP), evidence


def close_panel(terminal: Terminal, evidence: str) -> None:
    """Hide the spans panel with ``p`` and wait until it is gone. Not Esc: on a loaded
    machine an Esc still unread when the next key comes makes ``Esc ]`` an escape
    sequence, and the key is lost."""
    press(terminal, b"p")
    assert terminal.wait_until(lambda: not shows(terminal, evidence), STEP), evidence


def open_first_document(terminal: Terminal) -> None:
    """Wait for the list (its header), open its first document (a.txt) and wait for its
    text. Not the file name: the list shows the title from the first frame on."""
    assert terminal.wait_until(lambda: shows(terminal, "文档 "), STEP), terminal.last_words()
    press(terminal, ENTER)
    wait_shown(terminal, "张三在北京")


def test_the_reader_writes_no_escape_from_data_on_any_screen(in_root: Path) -> None:
    with spawn(in_root, "corpus", "--store", "store", "--annotator", "tester") as terminal:
        open_first_document(terminal)
        visit(terminal, b"e", "Note 备注")  # the note editor on the span under the cursor
        visit(terminal, b"?", "Keys 按键")
        visit(terminal, b"S", "略读 skim")
        visit(terminal, CTRL_F, "search 搜索", "张三".encode())  # hits listed, none opened
        press(terminal, b"i", b"i", b"j", b"l", b"t", b"t")  # word panel, moves, script
        press(terminal, b"p")  # the spans panel: label and note
        wait_shown(terminal, "备注␛]52")
        close_panel(terminal, "备注␛]52")
        press(terminal, b"]")  # the binary file's message and toast
        wait_shown(terminal, "binary file")
        press(terminal, b"]")
        press(terminal, b"[", b"[")
        terminal.close()
    assert_no_data_escapes(terminal)


def test_the_review_screen_writes_no_escape_from_data(in_root: Path) -> None:
    with spawn(in_root, "review", "corpus", "--store", "store", "--reviewer", "rita") as terminal:
        open_first_document(terminal)
        for _ in range(4):  # to alice's and tester's version (hostile label) at the cursor
            if shows(terminal, "▶v1 alice,tester PER␛") or shows(terminal, "▶v2 alice,tester PER␛"):
                break
            press(terminal, b"c")
        press(terminal, b"a", b"p")  # accept it, list the gold layer
        wait_shown(terminal, "PER␛]0;PWNED␇  张三")
        close_panel(terminal, "PER␛]0;PWNED␇  张三")
        visit(terminal, b"?", "Keys 按键")
        visit(terminal, b"S", "略读 skim")
        visit(terminal, b"A", "一致性 Agreement")
        press(terminal, b"]", b"]")
        terminal.close()
    assert_no_data_escapes(terminal)


# -- the batch commands: what they print holds no control character at all ------------------


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m tui ARGS`` in ``root`` with this checkout's code; output captured."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True, text=True, cwd=root, env=env, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def assert_plain(result: subprocess.CompletedProcess[str], status: int) -> str:
    """The command ended with ``status`` and printed no control character; its stderr."""
    assert result.returncode == status, result.stderr
    for stream in (result.stdout, result.stderr):
        char = first_unsafe(stream)
        assert char is None, f"U+{ord(char or ' '):04X} printed: {stream!r}"
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The hostile project, fresh for each test (imports and exports write into it)."""
    return make_project(tmp_path)


def test_imports_refuse_notes_with_control_characters_in_one_plain_line(project: Path) -> None:
    brat = project / "brat"
    brat.mkdir()
    (brat / "d.txt").write_text("张三在北京。", encoding="utf-8")
    (brat / "d.ann").write_text(f"T1\tPER 0 2\t张三\n#1\tAnnotatorNotes T1\t{NOTE}\n", "utf-8")
    result = run(project, "import", "brat", "--format", "brat", "--store", "imported")
    [line] = assert_plain(result, 1).splitlines()
    assert "d.ann:2:" in line and "control character U+001B" in line

    task = {"id": 1, "data": {"text": "张三在北京。"}, "annotations": [{"result": [{
        "id": "r1", "from_name": "label", "to_name": "text", "type": "labels",
        "value": {"start": 0, "end": 2, "text": "张三", "labels": ["PER"]},
        "meta": {"text": [NOTE]},
    }]}]}  # fmt: skip
    (project / "ls.json").write_text(json.dumps([task]), encoding="utf-8")
    result = run(project, "import", "ls.json", "--format", "label-studio", "--store", "imported")
    [line] = assert_plain(result, 1).splitlines()
    assert "ls.json:1:" in line and "control character U+001B" in line
    assert not (project / "imported").exists()


def test_import_messages_name_hostile_files_and_folders_plainly(project: Path) -> None:
    rows = [{"id": "d" + TITLE, "text": "张三在北京。", "label": [[0, 2, LABEL]]}]
    source = project / ("s" + CLIPBOARD + ".jsonl")
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = run(project, "import", source.name, "--format", "doccano", "--store", "imported")
    assert "control character" in assert_plain(result, 1)  # the label
    rows[0]["label"] = [[0, 2, "PER"]]
    source.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    folder = "c" + TITLE
    result = run(project, "import", source.name, "--format", "doccano", "--corpus", folder)
    assert_plain(result, 0)
    assert "imported 1 document" in result.stdout
    assert_plain(run(project, "import", "gone" + TITLE, "--format", "doccano"), 1)


@pytest.mark.parametrize("fmt", ["doccano", "brat", "conll-bio", "label-studio"])
def test_export_messages_are_plain(project: Path, fmt: str) -> None:
    texts = ("corpus/a.txt", f"corpus/{NAMED}")  # a binary file stops an export (said plainly)
    assert_plain(run(project, "export", "corpus", "--format", fmt, "--out", "x"), 1)
    args = ("export", *texts, "--format", fmt, "--out", "out" + TITLE, "--annotator", "carol")
    assert_plain(run(project, *args, "--store", "store"), 0)
    assert_plain(run(project, *args[:-1], "tester", "--store", "store"), 1)  # its labels
    # A store folder named with escapes: named in the message that it holds nothing.
    assert_plain(run(project, *args, "--store", "st" + CLIPBOARD), 1)


def test_stats_and_agreement_list_hostile_labels_and_documents_plainly(project: Path) -> None:
    result = run(project, "stats", "corpus", "--store", "store")
    assert_plain(result, 0)
    assert "PER␛]0;PWNED␇" in result.stdout
    for by in ("label", "document"):
        result = run(project, "agree", "corpus", "--store", "store", "--by", by)
        assert_plain(result, 0)
        assert "␛]" in result.stdout


def test_refusals_at_start_are_plain(project: Path) -> None:
    labels = project / "labels.toml"
    escaped = TITLE.replace("\x1b", "\\u001b").replace("\x07", "\\u0007")  # TOML escapes
    labels.write_text(f'[[label]]\nname = "P{escaped}"\nkey = "1"\n', encoding="utf-8")
    for command in ([], ["review"]):
        result = run(project, *command, "corpus", "--labels", "labels.toml")
        assert "control character" in assert_plain(result, 2)
        assert_plain(run(project, *command, "gone" + TITLE), 2)
        assert_plain(run(project, *command, "--help"), 0)
        assert_plain(run(project, *command, "corpus", "--x" + TITLE), 2)  # argparse's error
    for command in ("import", "export", "stats", "agree"):
        assert_plain(run(project, command, "--help"), 0)
        assert_plain(run(project, command, "--x" + TITLE), 2)
