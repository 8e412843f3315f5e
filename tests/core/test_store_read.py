"""Opening a document reads its store file line by line, and agrees with the whole-file reader.

Every layout the store does not write itself, and every fault, goes to the whole-file
reader, so what a file holds and which files are corrupt never depend on the path taken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.test_store import make_span
from tui.core import store_read
from tui.core.spans import Span, Status
from tui.core.store import CorruptStoreError, DocumentStore, Store
from tui.core.store_check import SPANS, check_tables, document_fields


def whole_file_state(path: Path) -> store_read.DocumentState:
    """What the file holds, read whole and checked (the reference)."""
    tables = store_read.read_tables(path) or {}
    check_tables(path, tables)
    state = tables.get("document", {}).get("1") or {}
    spans = sorted(
        (Span.from_record(r) for r in tables.get(SPANS, {}).values()),
        key=lambda s: (s.start, -s.end, s.label, s.id),
    )
    return store_read.DocumentState(tuple(spans), *document_fields(path, state))


@pytest.fixture(autouse=True)
def stream_every_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """These files are small; read them line by line as large ones are."""
    monkeypatch.setattr(store_read, "_STREAM_FROM_BYTES", 0)


@pytest.fixture
def document(tmp_path: Path) -> DocumentStore:
    """A store file of 40 spans, a status and a cursor, as the store writes it."""
    document = Store(tmp_path / "store").document("doc", "alice")
    document.put_spans([make_span(10 * n, note=f"n{n}") for n in range(40)])
    document.set_status(Status.DONE)
    document.set_cursor(123)
    return document


def test_a_file_the_store_wrote_is_read_without_parsing_it_whole(
    document: DocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = whole_file_state(document.path)

    def refuse(*_: object) -> None:
        raise AssertionError("read whole")

    monkeypatch.setattr(store_read, "parse_tables", refuse)
    state = document.load()
    assert state == expected
    assert len(state.spans) == 40 and state.status is Status.DONE and state.cursor == 123


def test_more_records_than_one_decoding_chunk_are_all_read(tmp_path: Path) -> None:
    document = Store(tmp_path / "store").document("doc", "alice")
    document.put_spans([make_span(3 * n) for n in range(store_read._CHUNK_LINES * 2 + 7)])
    assert document.load() == whole_file_state(document.path)
    assert len(document.load().spans) == store_read._CHUNK_LINES * 2 + 7


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").split("\n")


def _record_line(path: Path) -> int:
    """The index of the first span record's line."""
    lines = _lines(path)
    return lines.index('"spans":{') + 1


def test_a_repeated_key_means_what_json_says_it_means(document: DocumentStore) -> None:
    lines = _lines(document.path)
    first = _record_line(document.path)
    lines.insert(first + 1, lines[first])  # key "1" twice: JSON keeps the later record
    document.path.write_text("\n".join(lines), encoding="utf-8")
    assert document.load() == whole_file_state(document.path)


def test_tinydbs_own_one_line_file_is_read(document: DocumentStore) -> None:
    tables = json.loads(document.path.read_text(encoding="utf-8"))
    document.path.write_text(json.dumps(tables), encoding="utf-8")
    assert document.load() == whole_file_state(document.path)
    assert len(document.load().spans) == 40


def test_a_record_split_over_two_lines_is_read(document: DocumentStore) -> None:
    lines = _lines(document.path)
    first = _record_line(document.path)
    lines[first] = lines[first].replace(',"doc_id"', ',\n"doc_id"')
    document.path.write_text("\n".join(lines), encoding="utf-8")
    assert document.load() == whole_file_state(document.path)


def test_two_records_on_one_line_are_read(document: DocumentStore) -> None:
    lines = _lines(document.path)
    first = _record_line(document.path)
    lines[first : first + 2] = [lines[first] + lines[first + 1]]
    document.path.write_text("\n".join(lines), encoding="utf-8")
    assert document.load() == whole_file_state(document.path)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (lambda line: line[:-1] + ",", "not valid JSON"),  # last record's comma before "}"
        (lambda line: line.replace('"start":', '"start":1' + "0" * 5000 + ', "x":'), "JSON"),
        (lambda line: line.replace('"note":"', '"note":' + "[" * 100_000 + '"'), "JSON"),
        (lambda line: line.replace('"start":', '"start":-'), "bad span record"),
        (lambda line: line.replace('"start":', '"start":NaN, "y":'), "JSON"),
    ],
)
def test_a_fault_in_a_line_is_named_as_the_whole_file_reader_names_it(
    document: DocumentStore, fault: object, reason: str
) -> None:
    lines = _lines(document.path)
    last = lines.index("}", _record_line(document.path)) - 1
    lines[last] = fault(lines[last])  # type: ignore[operator]
    document.path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CorruptStoreError, match=reason) as streamed:
        document.load()
    with pytest.raises(CorruptStoreError) as whole:
        whole_file_state(document.path)
    assert str(streamed.value) == str(whole.value)


def test_two_spans_with_one_id_are_named(document: DocumentStore) -> None:
    lines = _lines(document.path)
    first = _record_line(document.path)
    twin = json.loads(lines[first + 1].split(":", 1)[1].rstrip(","))
    original = json.loads(lines[first].split(":", 1)[1].rstrip(","))
    twin["id"] = original["id"]
    key = lines[first + 1].split(":", 1)[0]
    lines[first + 1] = f"{key}:{json.dumps(twin, ensure_ascii=False)},"
    document.path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="two spans have the id"):
        document.load()


def test_text_after_the_closing_brace_is_corrupt(document: DocumentStore) -> None:
    with document.path.open("a", encoding="utf-8") as file:
        file.write("{}\n")
    with pytest.raises(CorruptStoreError, match="not valid JSON"):
        document.load()


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(min_value=0, max_value=10_000), junk=st.sampled_from(["", "}", ",", "\n"]))
def test_any_cut_of_a_file_reads_as_the_whole_file_reader_reads_it(
    tmp_path_factory: pytest.TempPathFactory, cut: int, junk: str
) -> None:
    folder = tmp_path_factory.mktemp("cut")
    document = Store(folder / "store").document("doc", "alice")
    document.put_spans([make_span(10 * n) for n in range(20)])
    raw = document.path.read_bytes()
    document.path.write_bytes(raw[: cut % (len(raw) + 1)] + junk.encode())
    assert _answer(lambda: document.load()) == _answer(lambda: whole_file_state(document.path))
    reference = _answer(lambda: _whole_file_summary(document.path))
    assert _answer(document.summary) == reference
    assert _answer(document.outline) == _answer(lambda: _whole_file_outline(document.path))


def _answer(read: Callable[[], object]) -> object:
    """What ``read`` returns, or the message of the CorruptStoreError it raises."""
    try:
        return read()
    except CorruptStoreError as error:
        return str(error)


def _whole_file_summary(path: Path) -> tuple[int, Status]:
    state = whole_file_state(path)
    return len(state.spans), state.status


def _whole_file_outline(path: Path) -> store_read.Outline:
    state = whole_file_state(path)
    keys = frozenset((s.start, s.end, s.label) for s in state.spans if not s.flagged)
    return store_read.Outline(keys, state.status, state.decided)


def test_a_list_row_and_an_outline_of_a_file_the_store_wrote_read_it_line_by_line(
    document: DocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = (_whole_file_summary(document.path), _whole_file_outline(document.path))

    def refuse(*_: object) -> None:
        raise AssertionError("read whole")

    monkeypatch.setattr(store_read, "parse_tables", refuse)
    assert (document.summary(), document.outline()) == expected
    assert document.text_sha256() == make_span().doc_sha256


def test_a_small_file_is_parsed_whole(
    document: DocumentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_read, "_STREAM_FROM_BYTES", 1 << 20)
    monkeypatch.setattr(store_read, "_stream_lines", lambda *_: pytest.fail("streamed"))
    assert document.load() == whole_file_state(document.path)
