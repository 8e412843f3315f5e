"""Corrupt store files and import sources, shared by the tests of every reader (issue 12).

Each :class:`Variant` is planted where a file is expected (:func:`plant`): bytes, or a
folder, FIFO, symbolic link loop or a link to a device in its place. Every command and the
app must report each in one line naming the file, leave it untouched and go on.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

#: The longest a test may wait on a read before it counts as hung (a FIFO opened blocking).
HANG_SECONDS = 60

HUGE = "9" * 5000  # past Python's 4 300-digit limit: int() raises ValueError
LARGE = "9" * 4000  # under the limit, far past any offset
DEEP = "[" * 100_000 + "]" * 100_000  # json.loads raises RecursionError


@dataclass(frozen=True)
class Variant:
    """One way a file can be wrong; ``content`` is None for the non-file kinds."""

    name: str
    content: bytes | None
    #: "file", or what stands in its place: "folder", "fifo", "loop", "device".
    kind: str = "file"
    #: Words the one-line report must hold.
    problem: str = ""

    def __str__(self) -> str:
        return self.name


def _record(**fields: object) -> dict[str, object]:
    """A good span record over 张三 of ``张三在北京。``, with ``fields`` changed."""
    record: dict[str, object] = {
        "id": "s1",
        "doc_id": "corpus/a.txt",
        "doc_sha256": "0" * 64,
        "start": 0,
        "end": 2,
        "text": "张三",
        "label": "PER",
        "annotator": "alice",
        "created": "2026-01-01T00:00:00+00:00",
        "modified": "2026-01-01T00:00:00+00:00",
    }
    record.update(fields)
    return record


def _spans(*records: dict[str, object], raw: str | None = None) -> bytes:
    table = raw if raw is not None else json.dumps(dict(enumerate(records, start=1)))
    return ('{"spans": ' + table + "}").encode("utf-8")


def _state(raw: str) -> bytes:
    return ('{"document": {"1": ' + raw + "}}").encode("utf-8")


def _span_with(raw_fields: str) -> bytes:
    """A span record with its offsets written as raw JSON (numbers Python cannot print)."""
    base = json.dumps(_record())[1:-1].replace('"start": 0, "end": 2', raw_fields)
    return _spans(raw='{"1": {' + base + "}}")


#: Store files every reader must call corrupt (or not a file), at least 28.
STORE_VARIANTS: tuple[Variant, ...] = (
    Variant("truncated", b'{"spans": {"1": {"id": "s1", "sta', problem="not valid JSON"),
    Variant("not-json", b"hello", problem="not valid JSON (line 1)"),
    Variant("top-list", b"[1, 2]", problem="not a store file"),
    Variant("top-string", b'"spans"', problem="not a store file"),
    Variant("top-number", b"42", problem="not a store file"),
    Variant("huge-int-start", _span_with(f'"start": {HUGE}, "end": 2'), problem="too many digits"),
    Variant("huge-int-cursor", _state(f'{{"cursor": {HUGE}}}'), problem="too many digits"),
    Variant("large-int-end", _span_with(f'"start": 0, "end": {LARGE}'), problem="too large"),
    Variant("large-int-cursor", _state(f'{{"cursor": {LARGE}}}'), problem="bad cursor"),
    Variant("deep-array", DEEP.encode(), problem="nested too deeply"),
    Variant("deep-in-record", _spans(raw='{"1": {"id": ' + DEEP + "}}"), problem="too deeply"),
    Variant("nan-start", _span_with('"start": NaN, "end": 2'), problem="NaN"),
    Variant("infinity-cursor", _state('{"cursor": Infinity}'), problem="Infinity"),
    Variant("start-string", _spans(_record(start="0")), problem="'start'"),
    Variant("start-float", _spans(_record(start=0.0)), problem="'start'"),
    Variant("start-bool", _spans(_record(start=True)), problem="'start'"),
    Variant("label-number", _spans(_record(label=7)), problem="'label'"),
    Variant("flagged-string", _spans(_record(flagged="yes")), problem="'flagged'"),
    Variant("origin-unknown", _spans(_record(origin="magic")), problem="'origin'"),
    Variant("missing-id", _spans({k: v for k, v in _record().items() if k != "id"}), "file", "id"),
    Variant("negative-start", _spans(_record(start=-1)), problem="'start'"),
    Variant("reversed", _spans(_record(start=2, end=0)), problem="bad offsets 2..0"),
    Variant("duplicate-ids", _spans(_record(), _record(start=3, end=5)), problem="two spans"),
    Variant("record-not-object", _spans(raw='{"1": 5}'), problem="bad record"),
    Variant("record-key", _spans(raw='{"x": {}}'), problem="bad record 'x'"),
    Variant("table-list", b'{"spans": []}', problem="is not an object"),
    Variant("status-unknown", _state('{"status": "maybe"}'), problem="bad status"),
    Variant("status-list", _state('{"status": ["done"]}'), problem="bad status"),
    Variant("cursor-negative", _state('{"cursor": -4}'), problem="bad cursor"),
    Variant("decided-shape", _state('{"decided": [[1]]}'), problem="bad decided"),
    Variant("rejected-shape", _state('{"rejected": 3}'), problem="bad rejected"),
    Variant("sha-number", _state('{"doc_sha256": 5}'), problem="bad doc_sha256"),
    Variant("non-utf8", b'{"spans": {}, "x": "\xff\xfe"}', problem="not valid UTF-8"),
    Variant("bom", b'\xef\xbb\xbf{"spans": {}}', problem="byte-order mark"),
    Variant("nul-bytes", b"\x00\x00\x00\x00", problem="not valid JSON"),
    Variant("folder", None, "folder", problem="not a regular file (a folder)"),
    Variant("fifo", None, "fifo", problem="not a regular file (a FIFO)"),
    Variant("link-loop", None, "loop", problem="cannot read"),
)


def plant(variant: Variant, path: Path) -> None:
    """Put ``variant`` at ``path`` (its folder created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if variant.kind == "file":
        assert variant.content is not None
        path.write_bytes(variant.content)
    elif variant.kind == "folder":
        path.mkdir()
        (path / "inside.txt").write_text("x")
    elif variant.kind == "fifo":
        os.mkfifo(path)
    elif variant.kind == "loop":
        path.symlink_to(path.name)
    else:
        raise ValueError(variant.kind)


def snapshot(path: Path) -> object:
    """What ``path`` is, to check it was left untouched: content, or kind and inode."""
    info = os.lstat(path)
    if os.path.isfile(path) and not os.path.islink(path):
        return path.read_bytes()
    return info.st_mode, info.st_ino


class Hung(Exception):  # not an OSError, which readers catch (TimeoutError is one)
    """A test blocked longer than it may."""


@contextmanager
def no_hang(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail, rather than hang for ever, when the block blocks (a FIFO opened for reading)."""

    def alarm(signum: int, frame: FrameType | None) -> None:
        raise Hung(f"hung for {seconds} s (a blocking read?)")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class ImportVariant:
    """A bad import source: ``files`` (name to content, or "fifo"/"folder") in one folder."""

    name: str
    format: str
    #: The source given to ``biaozhu import`` (a file or folder name inside the folder).
    source: str
    files: dict[str, bytes | str]
    #: Words the one-line report must hold (it also names the file).
    problem: str

    def __str__(self) -> str:
        return self.name


def _doccano(line: str) -> dict[str, bytes | str]:
    return {"in.jsonl": ('{"text": "张三在北京。", "label": [[0, 2, "PER"]]}\n' + line).encode()}


def _studio(task: str) -> dict[str, bytes | str]:
    return {"in.json": ("[" + task + "]").encode()}


def _brat(ann: str) -> dict[str, bytes | str]:
    return {"b/a.txt": "张三在北京。".encode(), "b/a.ann": ann.encode()}


_LABEL = '"label": [[0, 2, "PER"]]'
#: Import sources every codec must refuse in one line, importing nothing.
IMPORT_VARIANTS: tuple[ImportVariant, ...] = (
    ImportVariant(
        "doccano-truncated", "doccano", "in.jsonl", _doccano('{"text": "x", "lab'), ":2:"
    ),
    ImportVariant(
        "doccano-huge-int",
        "doccano",
        "in.jsonl",
        _doccano(f'{{"text": "张三", "label": [[0, {HUGE}, "PER"]]}}'),
        "too many digits",
    ),
    ImportVariant(
        "doccano-deep",
        "doccano",
        "in.jsonl",
        _doccano('{"text": "x", "meta": ' + DEEP + "}"),
        "nested too deeply",
    ),
    ImportVariant(
        "doccano-nan",
        "doccano",
        "in.jsonl",
        _doccano('{"text": "张三", "label": [[NaN, 2, "P"]]}'),
        "NaN",
    ),
    ImportVariant("doccano-list", "doccano", "in.jsonl", _doccano("[1, 2]"), "JSON object"),
    ImportVariant(
        "doccano-bool",
        "doccano",
        "in.jsonl",
        _doccano('{"text": "张三", "label": [[true, 2, "P"]]}'),
        "integer",
    ),
    ImportVariant(
        "doccano-negative",
        "doccano",
        "in.jsonl",
        _doccano('{"text": "张三", "label": [[-1, 2, "P"]]}'),
        "negative",
    ),
    ImportVariant(
        "doccano-reversed",
        "doccano",
        "in.jsonl",
        _doccano('{"text": "张三", "label": [[2, 0, "P"]]}'),
        "reversed",
    ),
    ImportVariant(
        "doccano-past-end",
        "doccano",
        "in.jsonl",
        _doccano(f'{{"text": "张三", "label": [[0, {LARGE}, "P"]]}}'),
        "out of range",
    ),
    ImportVariant(
        "doccano-non-utf8", "doccano", "in.jsonl", {"in.jsonl": b'{"text": "\xff"}'}, "UTF-8"
    ),
    ImportVariant(
        "doccano-fifo", "doccano", "in.jsonl", {"in.jsonl": "fifo"}, "not a regular file"
    ),
    ImportVariant(
        "doccano-folder", "doccano", "in.jsonl", {"in.jsonl": "folder"}, "not a regular file"
    ),
    ImportVariant(
        "studio-huge-int",
        "label-studio",
        "in.json",
        _studio(f'{{"data": {{"text": "x"}}, "id": {HUGE}}}'),
        "too many digits",
    ),
    ImportVariant("studio-deep", "label-studio", "in.json", _studio(DEEP), "nested too deeply"),
    ImportVariant(
        "studio-nan",
        "label-studio",
        "in.json",
        _studio('{"data": {"text": "x"}, "id": NaN}'),
        "NaN",
    ),
    ImportVariant(
        "studio-truncated", "label-studio", "in.json", {"in.json": b'[{"data": '}, "JSON"
    ),
    ImportVariant(
        "studio-fifo", "label-studio", "in.json", {"in.json": "fifo"}, "not a regular file"
    ),
    ImportVariant("brat-huge-offset", "brat", "b", _brat(f"T1\tPER 0 {HUGE}\t张三\n"), "too large"),
    ImportVariant("brat-past-end", "brat", "b", _brat(f"T1\tPER 0 {LARGE}\t张三\n"), "too large"),
    ImportVariant("brat-reversed", "brat", "b", _brat("T1\tPER 2 0\t张三\n"), "reversed"),
    ImportVariant(
        "brat-fifo-ann",
        "brat",
        "b",
        {"b/a.txt": "张三".encode(), "b/a.ann": "fifo"},
        "not a regular",
    ),
    ImportVariant(
        "conll-fifo", "conll-bio", "in.conll", {"in.conll": "fifo"}, "not a regular file"
    ),
)


def plant_source(variant: ImportVariant, folder: Path) -> Path:
    """Write ``variant``'s files under ``folder``; the path to import."""
    for name, content in variant.files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content == "fifo":
            os.mkfifo(path)
        elif content == "folder":
            path.mkdir()
        else:
            assert isinstance(content, bytes)
            path.write_bytes(content)
    return folder / variant.source
