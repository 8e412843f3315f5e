"""The git merge driver for store files: ``python -m tui.core.sync.merge_driver %O %A %B %P``.

git hands it the base, ours and theirs versions of one store file (and its path, for
messages); it writes the merge of the three by record id (:mod:`tui.core.sync.merge`) over
ours, as one atomic replace, and exits 0: never conflict markers. A version that is not a
store file the validator accepts makes it exit 1 with a one-line message naming the path,
and git then reports a conflict (the sync aborts its rebase and names the file).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from tui.core.store import replace_file
from tui.core.store_check import StoreError
from tui.core.store_read import describe, read_state
from tui.core.sync.merge import merged_file, version_tables
from tui.core.untrusted import read_regular

__all__ = ["main", "merge_files"]


def merge_files(base: Path, ours: Path, theirs: Path, shown: str) -> None:
    """Replace ``ours`` with the merge of the three store files; ``shown`` names the file
    in messages. Raises :class:`StoreError` when one cannot be read or is not a store file."""
    versions = [
        version_tables(f"{shown} ({side})", _read(path, shown, side))
        for path, side in ((base, "base"), (ours, "ours"), (theirs, "theirs"))
    ]
    merged = merged_file(shown, *versions)
    try:
        replace_file(ours, merged, sync=False)  # git's own temp file
    except OSError as exc:
        raise StoreError(shown, f"cannot write the merge: {describe(exc)}") from exc
    read_state(ours)  # the readers accept it, links and all, or this raises


def _read(path: Path, shown: str, side: str) -> bytes:
    """The bytes of one version."""
    try:
        return read_regular(path)
    except OSError as exc:
        raise StoreError(shown, f"cannot read {side}: {describe(exc)}") from exc


def main(argv: Sequence[str]) -> int:
    """Run the driver on ``argv`` (base, ours, theirs, path); the exit status."""
    if len(argv) != 4:
        print("usage: python -m tui.core.sync.merge_driver BASE OURS THEIRS PATH", file=sys.stderr)
        return 2
    base, ours, theirs, shown = argv
    try:
        merge_files(Path(base), Path(ours), Path(theirs), shown)
    except StoreError as error:
        print(f"biaozhu merge: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
