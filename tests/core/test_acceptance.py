"""Acceptance counts per annotator and source (tui.core.acceptance)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tui.batch import acceptance_lines
from tui.core.acceptance import (
    FOLDER,
    AcceptanceError,
    SourceCounts,
    read_acceptance,
    record_acceptance,
)
from tui.core.store import Store


def test_counts_add_up_per_annotator_and_source(tmp_path: Path) -> None:
    record_acceptance(tmp_path, "alice", {"jieba": 10, "model": 4}, {"model": 3})
    record_acceptance(tmp_path, "alice", {"jieba": 5}, {"jieba": 1})
    record_acceptance(tmp_path, "Bob", {"model": 2}, {})
    assert read_acceptance(tmp_path) == {
        "alice": {"jieba": SourceCounts(15, 1), "model": SourceCounts(4, 3)},
        "Bob": {"model": SourceCounts(2, 0)},
    }
    assert SourceCounts(4, 3).rate == 0.75 and SourceCounts().rate is None


def test_the_folder_is_never_taken_for_a_document(tmp_path: Path) -> None:
    record_acceptance(tmp_path, "alice", {"jieba": 1}, {})
    assert (tmp_path / FOLDER).is_dir() and Store(tmp_path).document_ids() == []


def test_a_bad_file_is_named_and_never_overwritten(tmp_path: Path) -> None:
    record_acceptance(tmp_path, "alice", {"jieba": 1}, {})
    path = next((tmp_path / FOLDER).glob("*.json"))
    path.write_text('{"jieba": "many"}', encoding="utf-8")
    problems: list[str] = []
    assert read_acceptance(tmp_path, problems) == {}
    assert len(problems) == 1 and "not a table of [shown, accepted]" in problems[0]
    try:
        record_acceptance(tmp_path, "alice", {"jieba": 1}, {})
    except AcceptanceError as error:
        assert str(path) in str(error)
    else:
        raise AssertionError("a bad file must not be overwritten")
    assert path.read_text(encoding="utf-8") == '{"jieba": "many"}'


def test_writers_at_once_lose_no_count(tmp_path: Path) -> None:
    def add() -> None:
        for _ in range(20):
            record_acceptance(tmp_path, "alice", {"jieba": 1}, {"jieba": 1})

    threads = [threading.Thread(target=add) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert read_acceptance(tmp_path)["alice"]["jieba"] == SourceCounts(80, 80)


def test_stats_shows_the_rate_per_annotator_and_source() -> None:
    lines = acceptance_lines(
        {"alice": {"jieba": SourceCounts(40, 12), "model": SourceCounts(60, 50)}, "bob": {}}
    )
    assert lines == [
        "suggestions accepted / shown:",
        "  alice  jieba          12 / 40  30%",
        "  alice  model          50 / 60  83%",
    ]


def test_each_machine_writes_its_own_file_and_the_counts_add_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sites syncing one store never change the same file (biaozhu sync)."""
    import socket

    for host in ("site-a", "site-b"):
        monkeypatch.setattr(socket, "gethostname", lambda host=host: host)
        record_acceptance(tmp_path, "alice", {"model": 10}, {"model": 4})
    assert len(list((tmp_path / FOLDER).glob("*.json"))) == 2
    assert read_acceptance(tmp_path) == {"alice": {"model": SourceCounts(20, 8)}}


def test_a_fifo_in_place_of_the_counts_is_named_never_waited_on(tmp_path: Path) -> None:
    import os

    (tmp_path / FOLDER).mkdir()
    os.mkfifo(tmp_path / FOLDER / "alice@here.json")
    problems: list[str] = []
    assert read_acceptance(tmp_path, problems) == {}
    assert len(problems) == 1 and "not a regular file" in problems[0]


@pytest.mark.parametrize(
    "hostile",
    ["[" * 100_000, "9" * 5_000, '{"a": NaN}', "\udcff"],
    ids=["nested", "long-number", "NaN", "not-utf-8"],
)
def test_hostile_counts_are_named_never_a_crash(tmp_path: Path, hostile: str) -> None:
    """They come with a synced store: 100 000-deep nesting must not raise RecursionError."""
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "alice@there.json").write_bytes(hostile.encode("utf-8", "surrogateescape"))
    record_acceptance(tmp_path, "bob", {"model": 2}, {"model": 1})
    problems: list[str] = []
    assert read_acceptance(tmp_path, problems) == {"bob": {"model": SourceCounts(2, 1)}}
    assert len(problems) == 1 and "alice@there.json: not readable" in problems[0]
