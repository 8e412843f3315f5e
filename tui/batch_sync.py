"""The batch command ``biaozhu sync``: share the store with other sites through git.

Run in a git work tree (a project folder, or any folder holding the store): commits the
store's changes, pulls with rebase, pushes, and prints what came in. A problem is one line
on stderr and exit status 1. See :mod:`tui.core.sync`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from tui.core.store import StoreError
from tui.core.sync import GitError, SyncError, sync
from tui.output import SafeArgumentParser, say, warn

__all__ = ["add_parsers"]


def add_parsers(
    commands: argparse._SubParsersAction[SafeArgumentParser],
    store_option: Callable[[argparse.ArgumentParser], None],
    login_name: str,
) -> None:
    """Add ``sync`` to the batch commands."""
    parser = commands.add_parser(
        "sync",
        help="share the store with other sites through git (commit, pull, push)",
        description="In a git work tree with a remote: commit the store's changes (the "
        "message names the annotator and counts documents and spans), pull with rebase "
        "(store files merge by span id, never with conflict markers), push (pulling again "
        "if someone pushed meanwhile), and print what came in. Stops, changing nothing, "
        "when a file outside the store (a corpus text) changed both here and there.",
    )
    store_option(parser)
    parser.add_argument(
        "--annotator",
        default=login_name,
        metavar="NAME",
        help="named in the commit message (default: your login name)",
    )
    parser.add_argument(
        "--remote",
        default=None,
        metavar="NAME",
        help="the git remote (default: the branch's, else origin, else the only one)",
    )
    parser.set_defaults(run=_run_sync)


def _run_sync(args: argparse.Namespace) -> int:
    try:
        report = sync(Path.cwd(), args.store, args.annotator, remote=args.remote)
    except (SyncError, GitError, StoreError) as error:
        warn(f"biaozhu sync: {error}")
        return 1
    lines = report.lines()
    if report.problem is not None:
        if len(lines) > 1:
            say("\n".join(lines[:-1]))
        warn(f"biaozhu sync: {report.problem}")
        return 1
    say("\n".join(lines))
    return 0
