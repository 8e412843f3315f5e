"""``biaozhu init [DIR]``: make a folder a project (see :mod:`tui.core.project`)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from tui.core.project import ProjectError, init_project
from tui.core.sync import GitError
from tui.core.sync.setup import attribute_lines, ignore_lines, install_merge_driver
from tui.output import SafeArgumentParser, say, warn

__all__ = ["main"]

#: Where ``init`` puts the store, relative to the project.
_STORE = "annotations"


def main(arguments: Sequence[str]) -> int:
    """Parse ``arguments`` (after ``init``) and write the project; the exit status."""
    parser = SafeArgumentParser(
        prog="biaozhu init",
        description="Make DIR (default: here) a biaozhu project: biaozhu.toml (labels, "
        "corpus, store, guidelines, [assign]), corpus/, annotations/, guidelines.md, "
        ".gitignore. Every biaozhu command run inside it then uses them.",
    )
    parser.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR")
    args: argparse.Namespace = parser.parse_args(arguments)
    try:
        written = init_project(
            args.folder,
            gitignore=[*ignore_lines(_STORE), ".*.tmp"],
            gitattributes=attribute_lines(_STORE),
        )
    except (ProjectError, OSError) as error:
        warn(f"biaozhu init: {error}")
        return 1
    for path in written:
        say(f"wrote {path}")
    try:
        if install_merge_driver(args.folder):
            say("installed the store's merge driver in this git repository (biaozhu sync)")
    except GitError as error:
        warn(f"biaozhu init: the merge driver is not installed: {error}")
    say(
        f"next: put documents in {args.folder / 'corpus'}, edit {args.folder / 'biaozhu.toml'}, "
        f"then run biaozhu in {args.folder}"
    )
    return 0
