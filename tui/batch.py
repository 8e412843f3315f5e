"""The batch commands ``biaozhu import``, ``export``, ``stats`` and ``agree`` (and ``train``,
``evaluate``, ``suggest`` from :mod:`tui.batch_model`): no terminal UI needed.

Each prints what it did on stdout and every warning on stderr; a problem is one line on
stderr naming the file and what is wrong, with exit status 1 (2 for a usage error), and
never a traceback. An import with invalid items names each on a line of its own before
the line counting them, or with ``--skip-invalid`` names each as ``skipped``.
They import nothing from Textual, so they start fast in scripts and CI.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from tui.batch_assign import add_parsers as add_assign_parser
from tui.batch_assign import assignment_lines, blind_refusal
from tui.core.acceptance import SourceCounts, read_acceptance
from tui.core.agreement import DocumentLayers, agreement, by_document, by_label
from tui.core.agreement_report import (
    agreement_lines,
    by_document_lines,
    by_label_lines,
    link_lines,
)
from tui.core.corpus import CorpusError
from tui.core.export_selection import ONLY
from tui.core.formats import FORMATS
from tui.core.formats.problems import listed, summary
from tui.core.identity import open_corpus
from tui.core.interchange import (
    SCRIPTS,
    InterchangeError,
    InvalidSource,
    Stats,
    collect_stats,
    export_documents,
    import_source,
)
from tui.core.labels import LabelError
from tui.core.project import Project
from tui.core.relations.agreement import CategoryGroup, corpus_links_in_processes
from tui.core.review import LayerProblems, corpus_layers_in_processes
from tui.core.script import VARIANTS
from tui.core.spans import GOLD, Status
from tui.core.store import Store
from tui.core.text import display_safe
from tui.core.wording import counted
from tui.output import SafeArgumentParser, say, warn
from tui.project_defaults import apply_project


def main(argv: Sequence[str], login_name: str, project: Project | None = None) -> int:
    """Run the batch command ``argv[0]`` with the rest of ``argv``, the ``project``'s
    values as defaults; the exit status."""
    parser = _parser(login_name)
    args = parser.parse_args(argv)
    apply_project(args, argv, project)
    if hasattr(args, "paths") and not args.paths and args.command == "export":
        parser.error("export: give the documents (PATH), or run it in a project folder")
    args.login_name = login_name  # who runs it: a blind assignment hides others' work
    # The modules just imported are long-lived: out of the collector's sight, it no longer
    # walks them again and again while an import or agreement makes its many small objects.
    gc.freeze()
    try:
        return int(args.run(args))
    except (InterchangeError, CorpusError, LabelError) as error:
        if isinstance(error, InvalidSource):
            for line in error.listed():
                warn(line)
        warn(f"biaozhu {args.command}: {error}")
        return 1


def _parser(login_name: str) -> argparse.ArgumentParser:
    parser = SafeArgumentParser(prog="biaozhu", description="Batch commands of biaozhu.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _import_parser(commands)
    _export_parser(commands, login_name)
    _stats_parser(commands)
    _agree_parser(commands)
    from tui.batch_model import add_parsers  # the recommender's commands

    add_parsers(commands, _store_option)
    add_assign_parser(commands, _store_option)  # the team's assignment
    from tui.batch_sync import add_parsers as add_sync  # git sync between sites

    add_sync(commands, _store_option, login_name)
    return parser


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--store",
        type=Path,
        default=Path("annotations"),
        metavar="DIR",
        help="annotation store folder (default: ./annotations)",
    )


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", required=True, choices=list(FORMATS), metavar="F", help=", ".join(FORMATS)
    )


# -- import --------------------------------------------------------------------------------


def _import_parser(commands: argparse._SubParsersAction[SafeArgumentParser]) -> None:
    parser = commands.add_parser(
        "import",
        help="import annotated texts (doccano, brat, CoNLL, Label Studio)",
        description="Write each text of SOURCE as a UTF-8 file "
        "DIR/<SOURCE name>/<document name>.txt (DIR is --corpus; the SOURCE name is its file "
        "name without the suffix, or a brat folder's name) and its spans into the store. "
        "Importing the same source again adds nothing; a different text already at a name "
        "stops the import before anything is written. Invalid input (a span whose text "
        "disagrees with the document, offsets past its end, a relation to a span the file "
        "does not have...) is refused whole, every problem named on stderr (file:line: why) "
        "and counted, unless --skip-invalid is given.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE", help="a file, or a brat folder")
    _format_option(parser)
    parser.add_argument(
        "--corpus",
        type=Path,
        default=Path("corpus"),
        metavar="DIR",
        help="the corpus folder: the texts go to DIR/<SOURCE name>/ (default: ./corpus); "
        "open DIR to read them",
    )
    _store_option(parser)
    parser.add_argument(
        "--annotator", default=None, metavar="NAME", help="(default: the format's name)"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import everything valid: leave out each invalid span or document and whatever "
        "refers to it (relations, notes, attributes, events...), naming each on stderr as "
        "'skipped: FILE:LINE: why', and count them",
    )
    parser.set_defaults(run=_run_import)


def _run_import(args: argparse.Namespace) -> int:
    annotator = args.annotator or args.format
    report = import_source(
        args.source,
        args.format,
        corpus=args.corpus,
        store=Store(args.store),
        annotator=annotator,
        skip_invalid=args.skip_invalid,
    )
    for warning in report.warnings:
        warn(f"warning: {warning}")
    for line in listed(report.skipped, "skipped: "):
        warn(line)
    if report.skipped:
        imported = counted(report.documents, "document")
        say(f"{summary(report.skipped, 'skipped')}; {imported} imported")
    if not report.documents:
        if not report.skipped:  # else the count just printed says so
            say(f"{args.source} holds no documents: nothing imported")
        return 0
    say(
        f"imported {counted(report.documents, 'document')} ({report.new_documents:,} new) and "
        f"{counted(report.spans, 'span')} ({report.new_spans:,} new) as {annotator!r} into "
        f"{report.folder}"
    )
    if report.new_links:
        say(f"and {counted(report.new_links, 'new link')} (relations, chains, attributes)")
    say(f"read them with: biaozhu {args.corpus} --annotator {annotator}")
    return 0


# -- export --------------------------------------------------------------------------------


def _export_parser(
    commands: argparse._SubParsersAction[SafeArgumentParser], login_name: str
) -> None:
    parser = commands.add_parser(
        "export",
        help="export a corpus with its spans",
        description="Write the documents under PATH with one annotator's spans. Every span "
        "is checked against the text; any mismatch stops the export, naming it. An "
        "annotator with no annotations of these documents is refused, naming who has some. "
        f"With --annotator {GOLD} (the reviewer's decisions), documents never reviewed are "
        "left out and counted.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (a project's corpus)"
    )
    _format_option(parser)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="the file to write (brat: the folder)",
    )
    _store_option(parser)
    parser.add_argument(
        "--annotator", default=login_name, metavar="NAME", help="(default: your login name)"
    )
    parser.add_argument(
        "--only",
        choices=ONLY,
        default=None,
        help="done: only the documents the annotator marked done (with or without spans); "
        f"reviewed: with --annotator {GOLD}, only those the reviewer marked reviewed "
        "(default: every document; for gold, every one reviewed at all)",
    )
    parser.add_argument(
        "--script",
        default="original",
        choices=SCRIPTS,
        help="convert the text, moving every span with it (default: original)",
    )
    parser.add_argument(
        "--variant",
        default="s2t",
        choices=sorted(VARIANTS),
        metavar="V",
        help="OpenCC pair used by --script (default: s2t)",
    )
    parser.set_defaults(run=_run_export)


def _run_export(args: argparse.Namespace) -> int:
    if args.annotator != args.login_name and (
        refused := blind_refusal(args.store, args.login_name)
    ):
        warn(f"biaozhu export: {refused} (export your own layer: --annotator {args.login_name})")
        return 1
    report = export_documents(
        args.paths,
        args.format,
        args.out,
        store=Store(args.store),
        annotator=args.annotator,
        script=args.script,
        variant=args.variant,
        only=args.only,
    )
    for note in report.notes:
        warn(note)
    for warning in report.warnings:
        warn(f"warning: {warning}")
    for dropped in report.dropped:
        warn(f"dropped: {dropped}")
    say(
        f"exported {counted(report.documents, 'document')} and "
        f"{counted(report.spans, 'span')} of {args.annotator!r} to {args.out}"
    )
    if report.dropped:
        say(
            f"{counted(len(report.dropped), 'span')} could not be expressed in {args.format} "
            "(each is listed above)"
        )
    return 0


# -- stats ---------------------------------------------------------------------------------


def _stats_parser(commands: argparse._SubParsersAction[SafeArgumentParser]) -> None:
    parser = commands.add_parser(
        "stats",
        help="count documents, spans and statuses",
        description="Documents, spans per label and per annotator, and status counts.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: ./seeds)"
    )
    _store_option(parser)
    parser.set_defaults(run=_run_stats)


def _run_stats(args: argparse.Namespace) -> int:
    paths = args.paths or [Path("seeds")]
    stats = collect_stats(paths, Store(args.store))
    problems = list(stats.problems)
    acceptance = acceptance_lines(read_acceptance(Path(args.store), problems))
    assigned = assignment_lines(Store(args.store), stats.stamps, problems, stats.work)
    for problem in dict.fromkeys(problems):  # a file unreadable for both tables: once
        warn(f"warning: {problem}")
    say("\n".join([*stats_lines(stats), *acceptance, *assigned]))
    return 0


def acceptance_lines(counts: Mapping[str, Mapping[str, SourceCounts]]) -> list[str]:
    """``suggestions accepted / shown``: per annotator and source, with the rate (none
    when no suggestion was ever shown)."""
    rows = [
        (display_safe(annotator), display_safe(source), found)
        for annotator, sources in sorted(counts.items())
        for source, found in sorted(sources.items())
        if found.shown or found.accepted
    ]
    if not rows:
        return []
    who = max(len(row[0]) for row in rows)
    what = max(len(row[1]) for row in rows)
    lines = ["suggestions accepted / shown:"]
    for annotator, source, found in rows:
        rate = "" if found.rate is None else f"  {found.rate:.0%}"
        share = f"{found.accepted:,} / {found.shown:,}"
        lines.append(f"  {annotator:<{who}}  {source:<{what}}  {share:>15}{rate}")
    return lines


def stats_lines(stats: Stats) -> list[str]:
    """The ``stats`` report as lines of plain text."""
    lines = [f"documents: {stats.documents:,}", f"spans: {stats.spans:,}"]
    if stats.by_label:
        lines.append("spans per label:")
        lines += _table(stats.by_label.most_common())
    if stats.by_annotator:
        lines.append("spans per annotator:")
        lines += _table(stats.by_annotator.most_common())
        lines.append("documents per status (" + " / ".join(s.value for s in Status) + "):")
        for annotator in sorted(stats.by_annotator):
            counts = [stats.statuses[annotator, status.value] for status in Status]
            counts[0] += stats.documents - sum(counts)  # no file yet: new
            counted = " / ".join(f"{count:,}" for count in counts)
            lines.append(f"  {display_safe(annotator)}  {counted}")
    return lines + stats.links.lines(_table)


def _table(rows: Sequence[tuple[str, int]]) -> list[str]:
    """Names (made safe for the terminal) and counts in two aligned columns."""
    safe = [(display_safe(name), count) for name, count in rows]
    width = max(len(name) for name, _ in safe)
    return [f"  {name:<{width}}  {count:>8,}" for name, count in safe]


# -- agree ---------------------------------------------------------------------------------


def _agree_parser(commands: argparse._SubParsersAction[SafeArgumentParser]) -> None:
    parser = commands.add_parser(
        "agree",
        help="inter-annotator agreement",
        description="Pairwise exact and overlap span F1, Cohen's kappa on per-character BIO "
        "tags, and Fleiss' kappa with three or more annotators (the gold layer left out); "
        "when anyone has relations or categories, exact relation F1 per type and kappa per "
        "category.",
    )
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: ./seeds)"
    )
    _store_option(parser)
    parser.add_argument(
        "--by",
        choices=("label", "document"),
        default=None,
        help="also per label, or per document (worst first)",
    )
    parser.add_argument(
        "--undirected",
        action="append",
        default=[],
        metavar="TYPE",
        help="a relation type whose ends compare in either order (repeat for more)",
    )
    parser.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="the labels file: its undirected relation types compare either way round, and "
        "its exclusive category groups are one choice each",
    )
    parser.set_defaults(run=_run_agree)


def _schema_for_agreement(
    labels: Path | None,
) -> tuple[frozenset[str], list[CategoryGroup] | None]:
    """The undirected relation types and the category groups of the labels file (none,
    and no groups, without one). Raises LabelError for a bad file."""
    if labels is None:
        return frozenset(), None
    from tui.core.relations.review import undirected_types
    from tui.core.relations.schema import load_schema

    schema = load_schema(labels)
    undirected = undirected_types(schema)
    groups = [
        CategoryGroup(
            members[0].group or members[0].name,
            frozenset(member.name for member in members),
            not members[0].multi,
        )
        for members in schema.category_groups()
    ]
    return undirected, groups


def _noting_links(
    documents: Iterable[DocumentLayers], linked: set[str]
) -> Iterator[DocumentLayers]:
    """``documents`` as they come, the names of those holding links added to ``linked``."""
    for document in documents:
        if document.linked:
            linked.add(document.doc_id)
        yield document


def _run_agree(args: argparse.Namespace) -> int:
    if (refused := blind_refusal(args.store, args.login_name)) is not None:
        warn(f"biaozhu agree: {refused}")
        return 1
    undirected, groups = _schema_for_agreement(args.labels)  # a bad file stops it first
    store = Store(args.store)
    check = open_corpus(args.paths or [Path("seeds")], store, write=False)
    problems = LayerProblems()
    linked: set[str] = set()
    documents = _noting_links(corpus_layers_in_processes(check.refs, store, problems), linked)
    if args.by == "label":
        lines = by_label_lines(by_label(documents))
    elif args.by == "document":
        lines = by_document_lines(by_document(documents))
    else:
        lines = agreement_lines(agreement(documents))
    if args.by != "document":
        # Relations and categories, only when someone has some: the span report is as it was.
        # The span pass noted which documents hold any: only those are read again.
        refs = [ref for ref in check.refs if ref.name in linked]
        links = list(corpus_links_in_processes(refs, store, problems)) if refs else []
        if extra := link_lines(links, frozenset(args.undirected) | undirected, groups):
            lines += ["", *extra]
    for message in dict.fromkeys(problems.messages):  # both passes may name a file
        warn(f"warning: {message} (left out)")
    for line in check.lines(store):
        warn(f"warning: {line}")
    say("\n".join(lines))
    return 0
