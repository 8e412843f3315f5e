"""What a user sees of saving: the reason a save failed, and no leftovers of a killed one."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.app.test_annotate import FIRST_SEED_ID, SIZE, stored
from tests.app.test_reader_app import open_seed
from tests.conftest import AppFactory, screen_lines
from tui.core.store import Store
from tui.widgets.status_bar import StatusBar


def status_line(app: object) -> str:
    """The status line's row, as shown."""
    bar = app.screen.query_one(StatusBar)  # type: ignore[attr-defined]
    return screen_lines(app)[bar.region.y]  # type: ignore[arg-type]


async def test_the_reason_a_save_failed_stays_in_the_status_line_until_a_save_succeeds(
    make_app: AppFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=False) as pilot:
        await open_seed(pilot, app)
        real_replace = os.replace

        def full_disk(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "replace", full_disk)
        await pilot.press("1")
        await pilot.pause()
        assert "✗ disk full" in status_line(app)
        await pilot.press("l", "l")  # moving on keeps it
        await pilot.pause()
        assert "✗ disk full" in status_line(app)
        monkeypatch.setattr(os, "replace", real_replace)
        await pilot.press("right_curly_bracket", "2")
        await pilot.pause()
        assert sorted(s.label for s in stored(tmp_path)) == ["LOC", "PER"]
        line = status_line(app)
        assert "✓" in line and "✗" not in line and "disk full" not in line


async def test_a_long_reason_is_cut_short_but_the_mark_stays(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE, notifications=False) as pilot:
        await open_seed(pilot, app)

        def in_the_way(*args: object, **kwargs: object) -> None:
            raise OSError(errno.ENOTDIR, "Not a directory")

        monkeypatch.setattr(os, "replace", in_the_way)
        await pilot.press("1")
        await pilot.pause()
        line = status_line(app)
        assert "✗ a file is in the way" in line and "…" in line
        assert len(line.rstrip()) <= SIZE[0]


async def test_temp_files_left_by_a_killed_save_go_when_the_document_is_opened(
    make_app: AppFactory, tmp_path: Path
) -> None:
    store = Store(tmp_path / "store")
    path = store.path_for(FIRST_SEED_ID, "tester")
    path.parent.mkdir(parents=True)
    leftovers = [
        path.parent / f".{path.name}.0badc0de.tmp",
        path.parent / ".tester.history.0badc0de.tmp",
    ]
    for leftover in leftovers:
        leftover.write_bytes(b'{"half": ')
    others = path.parent / ".bob.json.0badc0de.tmp"  # another annotator's: theirs to clear
    others.write_bytes(b"")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_seed(pilot, app)
        await pilot.pause()
        assert not any(leftover.exists() for leftover in leftovers)
        assert others.exists()
