"""A store shared by a team on one server (issue 12, item 7).

The store root is setgid and group-writable (``chmod 2775``) and every user's umask is
022: what one user creates, the others must be able to write.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core.store import Store


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.usefixtures("umask_022")
def test_a_team_store_stays_group_writable_whatever_the_umask(tmp_path: Path) -> None:
    root = tmp_path / "annotations"
    root.mkdir()
    os.chmod(root, 0o2775)
    document = Store(root).document("corpus/a.txt", "alice")
    document.put_span(make_span(0))
    document.save_history(b"history\n")
    folder = document.path.parent
    assert mode(folder) == 0o2775  # drwxrwsr-x, not drwxr-sr-x
    assert mode(document.path) == 0o664
    assert mode(document.history_path) == 0o664
    document.set_cursor(3)  # a replaced file is group-writable again
    assert mode(document.path) == 0o664


@pytest.mark.usefixtures("umask_022")
def test_a_private_store_follows_the_umask(tmp_path: Path) -> None:
    root = tmp_path / "annotations"
    root.mkdir(mode=0o755)
    document = Store(root).document("corpus/a.txt", "alice")
    document.put_span(make_span(0))
    assert mode(document.path.parent) == 0o755
    assert mode(document.path) == 0o644


@pytest.mark.usefixtures("umask_022")
def test_a_group_readable_only_store_gives_no_write(tmp_path: Path) -> None:
    root = tmp_path / "annotations"
    root.mkdir()
    os.chmod(root, 0o2755)  # setgid but not group-writable: not a team store
    document = Store(root).document("corpus/a.txt", "alice")
    document.put_span(make_span(0))
    assert mode(document.path.parent) == 0o2755
    assert mode(document.path) == 0o644
