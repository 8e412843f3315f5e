"""The batch command ``biaozhu assign``: hand the documents to the team (:mod:`tui.core.assign`).

Prints the documents per annotator and what moved on stdout; a problem is one line on
stderr and exit status 1.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from pathlib import Path

from tui.core.assign import AssignmentError, assign, blind_for, read_assignment
from tui.core.assign_progress import progress, progress_lines
from tui.core.corpus import discover, id_root
from tui.core.spans import Status
from tui.core.store import Store, StoreError
from tui.output import SafeArgumentParser, say, warn

__all__ = ["add_parsers", "assignment_lines", "blind_refusal"]


def add_parsers(
    commands: argparse._SubParsersAction[SafeArgumentParser],
    store_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``assign`` to the batch commands."""
    parser = commands.add_parser(
        "assign",
        help="assign the documents to annotators",
        description="Give each document under PATH not assigned yet PER distinct annotators "
        "of the team, evenly and always the same way for the same input; the assignment is "
        "kept in the store. Run again, it adds only the new documents; with another team "
        "(or --per-document), it moves only work nobody has begun and says what moved. "
        "Annotators then see their own queue first (F: all).",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: ./seeds)"
    )
    store_option(parser)
    parser.add_argument(
        "--annotators",
        default=None,
        metavar="A,B,C",
        help="the team, comma-separated, its order breaking ties (default: the team of the "
        "store's assignment; the first time: required)",
    )
    parser.add_argument(
        "--per-document",
        type=int,
        default=None,
        metavar="PER",
        help="annotators per document (default: as the store's assignment has it; the "
        "first time: 2)",
    )
    parser.add_argument(
        "--blind",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="annotators never see another's layer or agreement, reviewers see everything "
        "(default: as the store's assignment has it; the first time: not blind)",
    )
    parser.set_defaults(run=_run_assign)


def _run_assign(args: argparse.Namespace) -> int:
    store = Store(args.store)
    team = None if args.annotators is None else [n for n in args.annotators.split(",") if n.strip()]
    try:
        refs = discover(args.paths or [Path("seeds")], id_root(store.root))
        outcome = assign(store, [ref.doc_id for ref in refs], team, args.per_document, args.blind)
    except AssignmentError as error:
        warn(f"biaozhu assign: {error}")
        return 1
    say("\n".join(outcome.lines()))
    return 0


def assignment_lines(
    store: Store,
    stamps: dict[str, list[str]],
    problems: list[str],
    known: Mapping[tuple[str, str], tuple[int, Status]],
) -> list[str]:
    """``stats``'s table of each assigned annotator's progress (none without an
    assignment); ``stamps`` are the annotators' span stamps (see
    :mod:`tui.core.assign_progress`); ``known``: the span count and status of the files
    already read, by (document id, annotator); the others are read here, and an
    unreadable one is named in ``problems``."""
    try:
        assignment = read_assignment(store.root)
    except AssignmentError as error:
        problems.append(str(error))
        return []
    if assignment is None:
        return []

    def summary(doc_id: str, annotator: str) -> tuple[int, Status]:
        if (work := known.get((doc_id, annotator))) is not None:
            return work
        try:
            return store.summary(doc_id, annotator)
        except StoreError as error:
            problems.append(str(error))
            return 0, Status.IN_PROGRESS  # a file is there: counted as begun

    return progress_lines(progress(assignment, summary, stamps))


def blind_refusal(store: Path, who: str) -> str | None:
    """Why ``who`` (the login name) may not see other annotators' layers or agreement:
    they annotate in a blind assignment (or its file cannot be read); None when they may."""
    try:
        return blind_for(store, who)
    except AssignmentError as error:
        return str(error)
