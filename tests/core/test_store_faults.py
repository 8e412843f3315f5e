"""The store under faults: corrupt files, failing disks, kills mid-save, rival processes.

We run as root, for whom ``chmod`` blocks nothing, so full and read-only disks are
simulated by making the OS calls on the store's temp file fail with the real errno.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core import store as store_module
from tui.core.spans import Status
from tui.core.store import CorruptStoreError, DocumentStore, Store, StoreError

PROJECT = Path(__file__).resolve().parents[2]

#: How a child script saves: rewriting whole files, or (as a file of 1 MiB and more does)
#: appending to a journal beside them, folded in once as large as the file (often here).
SAVING = {
    "rewrite": "",
    "journal": "import tui.core.store as s; s._JOURNAL_FROM_BYTES = 0; s._JOURNAL_SHARE = 1",
}


def child_script(folder: Path, source: str, saving: str) -> Path:
    """``source`` written to a file in ``folder``, saving as ``SAVING[saving]`` says."""
    script = folder / f"child_{saving}.py"
    script.write_text(source.replace("# JOURNAL", SAVING[saving]), encoding="utf-8")
    return script


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store")


def temp_files(root: Path) -> list[Path]:
    """Temp files left anywhere under ``root``."""
    return sorted(root.rglob("*.tmp"))


# ---------------------------------------------------------------------------- corrupt files

CORRUPT = [
    (b'{\n"spans":{\n"1":{"id": oops\n}', "not valid JSON (line 3)"),
    (b"\xff\xfe{}", "not valid UTF-8"),
    (b"[1, 2]", "not a store file"),
    (b'{"spans": {"x1": {}}}', "table 'spans' has a bad record 'x1'"),
    (b'{"spans": {"1": {"id": "s1", "start": 0}}}', "bad span record (span 's1': field"),
    (b'{"document": {"1": {"status": "maybe"}}}', "bad status 'maybe'"),
    (b'{"document": {"1": {"cursor": -4}}}', "bad cursor -4"),
]


@pytest.mark.parametrize(("content", "problem"), CORRUPT)
def test_a_corrupt_file_is_reported_and_never_written(
    store: Store, content: bytes, problem: str
) -> None:
    document = store.document("doc", "alice")
    document.path.parent.mkdir(parents=True)
    document.path.write_bytes(content)
    with pytest.raises(CorruptStoreError) as raised:
        document.load()
    message = str(raised.value)
    assert message.startswith(f"{document.path}: {problem}") and message.endswith(
        ": left untouched"
    )
    attempts: list[Callable[[], None]] = [
        lambda: document.put_span(make_span(0)),
        lambda: document.put_spans([make_span(0), make_span(2)]),
        lambda: document.delete_span("s1"),
        lambda: document.set_status(Status.DONE),
        lambda: document.set_cursor(1),
    ]
    for attempt in attempts:
        with pytest.raises(CorruptStoreError):
            attempt()
    assert document.path.read_bytes() == content
    assert temp_files(store.root) == []


def test_a_corrupt_file_does_not_stop_other_files(store: Store) -> None:
    bad = store.document("doc", "alice")
    bad.path.parent.mkdir(parents=True)
    bad.path.write_bytes(b"{ not json")
    with pytest.raises(CorruptStoreError, match="not valid JSON"):
        store.summary("doc", "alice")
    for doc_id, annotator in (("doc", "bob"), ("other", "alice")):
        span = make_span(0)
        store.document(doc_id, annotator).put_span(span)
        assert store.document(doc_id, annotator).load().spans == (span,)
    assert bad.path.read_bytes() == b"{ not json"


# ---------------------------------------------------------------------------- failing disks


def inject(patch: pytest.MonkeyPatch, call: str, code: int) -> None:
    """Make ``call`` fail with ``code`` for the store's temp file (or its folder's lock)."""
    real_open, real_write, real_fsync, real_replace = os.open, os.write, os.fsync, os.replace
    temp_fds: set[int] = set()

    def fail() -> None:
        raise OSError(code, os.strerror(code))

    def fake_open(path: str | Path, flags: int, mode: int = 0o777, **kwargs: int | None) -> int:
        name = str(path)
        if (call == "open" and name.endswith(".tmp")) or (
            call == "lock" and flags & os.O_DIRECTORY
        ):
            fail()
        fd = real_open(path, flags, mode, **kwargs)
        if name.endswith(".tmp"):
            temp_fds.add(fd)
        return fd

    def fake_write(fd: int, data: bytes) -> int:
        if call == "write" and fd in temp_fds:
            real_write(fd, bytes(data[: len(data) // 2]))  # the disk fills up half way
            fail()
        return real_write(fd, data)

    def fake_fsync(fd: int) -> None:
        if call == "fsync" and fd in temp_fds:
            fail()
        real_fsync(fd)

    def fake_replace(source: str | Path, target: str | Path) -> None:
        if call == "replace":
            fail()
        real_replace(source, target)

    patch.setattr(os, "open", fake_open)
    patch.setattr(os, "write", fake_write)
    patch.setattr(os, "fsync", fake_fsync)
    patch.setattr(os, "replace", fake_replace)


FAULTS = [
    ("replace", errno.EROFS, "read-only store folder"),
    ("lock", errno.EROFS, "read-only store folder"),
    ("open", errno.EACCES, "permission denied"),
    ("write", errno.ENOSPC, "disk full"),
    ("fsync", errno.EDQUOT, "disk full"),
    ("write", errno.EIO, "input/output error"),
]


@pytest.mark.parametrize(("call", "code", "reason"), FAULTS)
def test_a_failed_save_changes_nothing_and_the_next_save_works(
    store: Store, monkeypatch: pytest.MonkeyPatch, call: str, code: int, reason: str
) -> None:
    document = store.document("doc", "alice")
    earlier = [make_span(i) for i in range(3)]
    document.put_spans(earlier)
    document.set_status(Status.IN_PROGRESS)
    before = document.path.read_bytes()
    attempts: list[Callable[[], None]] = [
        lambda: document.put_span(make_span(9)),
        lambda: document.put_spans([make_span(9), make_span(11)]),
        lambda: document.delete_span(earlier[0].id),
        lambda: document.set_status(Status.DONE),
    ]
    with monkeypatch.context() as patch:
        inject(patch, call, code)
        for attempt in attempts:
            with pytest.raises(StoreError) as raised:
                attempt()
            assert str(raised.value) == f"{document.path}: cannot save: {reason}"
    assert document.path.read_bytes() == before
    assert temp_files(store.root) == []
    state = document.load()
    assert set(state.spans) == set(earlier) and state.status is Status.IN_PROGRESS
    late = make_span(9)
    document.put_span(late)
    assert set(document.load().spans) == {*earlier, late}


def test_a_failed_first_save_leaves_no_file(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    document = store.document("doc", "alice")
    with monkeypatch.context() as patch:
        inject(patch, "replace", errno.ENOSPC)
        with pytest.raises(StoreError, match="disk full"):
            document.put_span(make_span(0))
    assert not document.path.exists() and temp_files(store.root) == []
    assert store.summary("doc", "alice") == (0, Status.NEW)


def test_a_file_in_place_of_the_store_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a folder")
    store = Store(tmp_path / "store")
    with pytest.raises(StoreError, match="cannot save: a file is in the way of the store folder"):
        store.document("doc", "alice").put_span(make_span(0))


def test_a_save_gives_up_on_a_lock_held_too_long(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = store.document("doc", "alice")
    document.put_span(make_span(0))
    before = document.path.read_bytes()
    monkeypatch.setattr(store_module, "_LOCK_TIMEOUT", 0.2)
    rival = os.open(document.path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(rival, fcntl.LOCK_EX)  # another program, stopped mid-save
        with pytest.raises(StoreError, match="cannot save: locked by another program"):
            document.put_span(make_span(2))
    finally:
        os.close(rival)
    assert document.path.read_bytes() == before
    document.put_span(make_span(2))
    assert len(document.load().spans) == 2


def test_temp_files_of_a_killed_writer_are_cleared_by_the_next_save(store: Store) -> None:
    document = store.document("doc", "alice")
    document.put_span(make_span(0))
    stale = document.path.with_name(f".{document.path.name}.deadbeef.tmp")
    stale.write_text('{"half": ')
    document.put_span(make_span(2))
    assert temp_files(store.root) == []


# ---------------------------------------------------------------------------- other processes

KILLED_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tui.core.spans import Span, new_span_id, now_iso
from tui.core.store import Store
# JOURNAL

documents = [Store(Path(sys.argv[2])).document(name, "killed") for name in ("one", "two")]
print("ready", flush=True)
count = 0
while True:
    stamp = now_iso()
    batch = [
        Span(new_span_id(), "one", "0" * 64, count, count + 1, "字", "PER", "killed", stamp, stamp)
        for _ in range(1 + count % 3)
    ]
    if len(batch) == 1:
        documents[count % 2].put_span(batch[0])
    else:
        documents[count % 2].put_spans(batch)
    print(count % 2, *(span.id for span in batch), flush=True)
    count += 1
"""

KILLS = 200
LANES = 3  # children saving at once, to the same two files


def kill_lane(script: Path, root: Path, kills: int, seed: int) -> set[str]:
    """Start a saving child and SIGKILL it ``kills`` times; after each kill, check that every
    id it reported saved is in a file that still parses. Returns the ids."""
    rng = random.Random(seed)
    saved: list[set[str]] = [set(), set()]
    documents = [Store(root).document(name, "killed") for name in ("one", "two")]
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-I", str(script), str(PROJECT), str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.03))
        child.kill()
        output, errors = child.communicate()
        assert child.returncode == -signal.SIGKILL, errors
        for line in output.splitlines(keepends=True):
            if line.endswith("\n"):  # a line cut by the kill reports nothing
                which, *reported = line.split()
                saved[int(which)].update(reported)
        for document, ids in zip(documents, saved, strict=True):
            on_disk = {span.id for span in document.load().spans}
            assert ids <= on_disk, f"lost {len(ids - on_disk)} saved spans"
    return saved[0] | saved[1]


@pytest.mark.parametrize("saving", SAVING)
def test_sigkill_while_saving_never_corrupts_or_loses_a_saved_span(
    tmp_path: Path, saving: str
) -> None:
    script = child_script(tmp_path, KILLED_CHILD, saving)
    root = tmp_path / "store"
    shares = [KILLS // LANES + (lane < KILLS % LANES) for lane in range(LANES)]
    with ThreadPoolExecutor(LANES) as pool:
        lanes = pool.map(kill_lane, [script] * LANES, [root] * LANES, shares, range(LANES))
        saved = set().union(*lanes)
    # Children get some saves in before most kills (how many depends on the machine's
    # speed): the kills did land mid-save, and the checks above had work to check.
    assert len(saved) >= KILLS // 4
    for name in ("one", "two"):
        Store(root).document(name, "killed").put_span(make_span(0))
    assert temp_files(root) == []  # the next save cleared what the kills left


PAIRED_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tui.core.spans import Span, now_iso
from tui.core.store import Store
# JOURNAL

document = Store(Path(sys.argv[2])).document("shared", "alice")
print("ready", flush=True)
sys.stdin.readline()
for number in range(200):
    stamp = now_iso()
    span_id = f"{sys.argv[3]}-{number}"
    document.put_span(Span(span_id, "shared", "0" * 64, 0, 1, "字", "PER", "alice", stamp, stamp))
"""


@pytest.mark.parametrize("saving", SAVING)
def test_two_processes_saving_to_one_file_lose_nothing(tmp_path: Path, saving: str) -> None:
    script = child_script(tmp_path, PAIRED_CHILD, saving)
    root = tmp_path / "store"
    children = [
        subprocess.Popen(
            [sys.executable, "-I", str(script), str(PROJECT), str(root), name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    for child in children:
        _, errors = child.communicate(timeout=60)
        assert child.returncode == 0, errors
    spans = DocumentStore(Store(root).path_for("shared", "alice")).load().spans
    expected = {f"{name}-{n}" for name in ("first", "second") for n in range(200)}
    assert {span.id for span in spans} == expected


def test_a_file_changed_by_someone_else_after_our_save_is_checked_again(store: Store) -> None:
    """Saves skip re-checking a file only while it is exactly the one this process wrote."""
    document = store.document("doc", "alice")
    document.put_span(make_span(0))
    text = document.path.read_text(encoding="utf-8")
    broken = text.replace('"start":0', '"start":"zero"')
    assert broken != text
    document.path.write_text(broken, encoding="utf-8")  # in place, valid JSON, bad record
    with pytest.raises(CorruptStoreError):
        document.put_span(make_span(10))
    assert document.path.read_text(encoding="utf-8") == broken


EDITING_CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tui.core.review import GOLD
from tui.core.session import open_session
from tui.core.store import Store
# JOURNAL

text = "察布查尔县干部为各族群众解难题" * 3
session = open_session(Store(Path(sys.argv[2])), "doc", "reviewer", text, layer=GOLD).session
print("ready", flush=True)
count = 0
while True:
    label = f"L{count % 7}"
    keys = [(0, 2, label), (2, 4, label), (4, 6, label)]
    session.decide(0, 10, keys, "decide")  # spans and the decision: one edit
    session.undo()
    session.redo()
    session.undo()
    session.replace_within(20, 30, [(20, 22, label), (22, 24, label), (24, 26, label)], "set")
    count += 1
"""


def whole_edits_only(document: DocumentStore) -> None:
    """Assert ``document`` holds every edit of EDITING_CHILD whole or not at all: three spans
    of one label where an edit put them (decided exactly when [0, 10) has them), or none."""
    state = document.load()
    for start, decides in ((0, True), (20, False)):
        inside = [span for span in state.spans if start <= span.start < start + 10]
        assert len(inside) in (0, 3) and len({span.label for span in inside}) <= 1, inside
        if decides:
            assert ((0, 10) in state.decided) == bool(inside), (state.decided, inside)


@pytest.mark.parametrize("saving", SAVING)
def test_sigkill_during_multi_span_edits_leaves_each_edit_whole_or_absent(
    tmp_path: Path, saving: str
) -> None:
    script = child_script(tmp_path, EDITING_CHILD, saving)
    root = tmp_path / "store"
    document = Store(root).document("doc", "gold")
    rng = random.Random(12)
    seen_edits = 0
    for _ in range(KILLS // 2):
        child = subprocess.Popen(
            [sys.executable, "-I", str(script), str(PROJECT), str(root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0, 0.05))
        child.kill()
        _, errors = child.communicate()
        assert child.returncode == -signal.SIGKILL, errors
        if document.path.exists():
            whole_edits_only(document)
            seen_edits += bool(document.load().spans)
    assert seen_edits >= KILLS // 8  # the kills did land among edits, not all before them
