"""Sync between sites through git (issue 16): no Textual here.

- :func:`sync` commits the store's changes, pulls with rebase and pushes (:mod:`.run`);
- the merge driver git runs on store files (:mod:`.merge_driver`, :mod:`.merge`);
- what ``biaozhu init`` writes and installs: :func:`ignore_lines`,
  :func:`attribute_lines`, :func:`install_merge_driver` (:mod:`.setup`).
"""

from __future__ import annotations

from tui.core.sync.changes import Changes
from tui.core.sync.git import GitError
from tui.core.sync.run import PUSH_TRIES, SyncError, SyncReport, sync
from tui.core.sync.setup import attribute_lines, ignore_lines, install_merge_driver

__all__ = [
    "PUSH_TRIES",
    "Changes",
    "GitError",
    "SyncError",
    "SyncReport",
    "attribute_lines",
    "ignore_lines",
    "install_merge_driver",
    "sync",
]
