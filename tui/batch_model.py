"""The batch commands ``biaozhu train``, ``evaluate`` and ``suggest`` (the recommender).

Progress goes to stderr, results to stdout; a problem is one line on stderr and exit
status 1. See :mod:`tui.core.recommender`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from tui.core.corpus import DocumentRef
from tui.core.identity import open_corpus
from tui.core.recommender.data import DEFAULT_STATUSES
from tui.core.recommender.evaluate import evaluate_model
from tui.core.recommender.model import load_model
from tui.core.recommender.paths import MODELS_FOLDER, ModelError
from tui.core.recommender.suggest import suggest_into_layer
from tui.core.recommender.train import DEFAULT_ITERATIONS, MIN_SPANS, TrainingError, train_model
from tui.core.spans import AnnotatorError, Status
from tui.core.store import Store, StoreError
from tui.core.text import display_safe
from tui.core.wording import counted
from tui.output import SafeArgumentParser, say, warn

__all__ = ["add_parsers"]


def add_parsers(
    commands: argparse._SubParsersAction[SafeArgumentParser],
    store_option: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add ``train``, ``evaluate`` and ``suggest`` to the batch commands."""
    train = commands.add_parser(
        "train",
        help="train the recommender's model on an annotator's layer",
        description="Train a character CRF on the spans of one annotator's layer (or the "
        "gold layer) over the documents under PATH that the annotator marked in progress "
        "or done, and save it in the store's models folder; print the scores on the "
        "held-out tenth of the paragraphs.",
    )
    _common(train, store_option)
    train.add_argument(
        "--every-document",
        action="store_true",
        help="learn from every document the annotator has spans in, whatever its status",
    )
    train.add_argument(
        "--iterations", type=int, default=DEFAULT_ITERATIONS, metavar="N",
        help=f"L-BFGS iterations (default: {DEFAULT_ITERATIONS})",
    )  # fmt: skip
    train.add_argument(
        "--min-spans", type=int, default=MIN_SPANS, metavar="N",
        help=f"spans needed to train at all (default: {MIN_SPANS})",
    )  # fmt: skip
    train.set_defaults(run=_run_train)
    evaluate = commands.add_parser(
        "evaluate",
        help="score the model against an annotator's layer",
        description="Exact-span precision, recall and F1 of the model against one "
        "annotator's layer (its outermost spans) over the documents under PATH marked in "
        "progress or done: micro-averaged, then per label.",
    )
    _common(evaluate, store_option)
    evaluate.add_argument(
        "--every-document", action="store_true", help="score on every document, whatever its status"
    )
    evaluate.set_defaults(run=_run_evaluate)
    suggest = commands.add_parser(
        "suggest",
        help="pre-annotate documents with the model",
        description="Add the model's spans to the annotator's layer (origin 'model', with "
        "their confidence), leaving out spans that overlap one already there and spans "
        "the annotator rejected; documents marked done are left alone. Running it again "
        "adds nothing new.",
    )
    _common(suggest, store_option)
    suggest.set_defaults(run=_run_suggest)


def _common(
    parser: argparse.ArgumentParser, store_option: Callable[[argparse.ArgumentParser], None]
) -> None:
    parser.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: ./seeds)"
    )
    store_option(parser)
    parser.add_argument("--annotator", required=True, metavar="NAME", help="whose layer")
    parser.add_argument(
        "--model", default="ner", metavar="NAME", help="the model's name (default: ner)"
    )


def _guarded(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """``run`` with the recommender's errors turned into one line and exit status 1."""

    def guarded(args: argparse.Namespace) -> int:
        try:
            return run(args)
        except (TrainingError, ModelError, AnnotatorError, StoreError) as error:
            warn(f"biaozhu {args.command}: {error}")
            return 1

    return guarded


def _store_and_refs(args: argparse.Namespace) -> tuple[Store, list[DocumentRef]]:
    """The store, and the documents under the PATHs given (./seeds by default)."""
    store = Store(args.store)
    return store, open_corpus(args.paths or [Path("seeds")], store, write=False).refs


def _progress(line: str) -> None:
    warn(line)


@_guarded
def _run_train(args: argparse.Namespace) -> int:
    store, refs = _store_and_refs(args)
    statuses: tuple[Status, ...] | None = None if args.every_document else DEFAULT_STATUSES
    model = train_model(
        store,
        refs,
        args.annotator,
        name=args.model,
        statuses=statuses,
        min_spans=args.min_spans,
        progress=_progress,
        iterations=max(1, args.iterations),
    )
    card = model.card
    say(
        f"trained model {card.name!r} on {counted(card.spans, 'span')} of "
        f"{display_safe(card.layer)!r} in {counted(card.documents, 'document')}; labels: "
        f"{', '.join(card.labels)}; saved in {store.root / MODELS_FOLDER}"
    )
    if card.scores is None:
        say("nothing held out to score on (too few paragraphs)")
    else:
        say("held-out scores:")
        say("\n".join(card.scores.lines()))
    return 0


@_guarded
def _run_evaluate(args: argparse.Namespace) -> int:
    store, refs = _store_and_refs(args)
    model = load_model(store.root, args.model)
    statuses = None if args.every_document else DEFAULT_STATUSES
    evaluation = evaluate_model(model, store, refs, args.annotator, statuses)
    for problem in evaluation.problems:
        warn(f"left out: {problem}")
    if evaluation.unknown_labels:
        unknown = ", ".join(sorted(evaluation.unknown_labels))
        warn(
            f"the layer has labels the model never learnt ({unknown}): retrain it "
            f"(biaozhu train --annotator {args.annotator})"
        )
    if not evaluation.documents:
        warn(f"biaozhu evaluate: {args.annotator!r} has no documents in progress or done here")
        return 1
    documents = counted(evaluation.documents, "document")
    say(f"model {args.model!r} against {args.annotator!r} on {documents}:")
    say("\n".join(evaluation.scores.lines()))
    return 0


@_guarded
def _run_suggest(args: argparse.Namespace) -> int:
    store, refs = _store_and_refs(args)
    model = load_model(store.root, args.model)

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            warn(f"tagged {done:,}/{total:,} documents")

    counts = suggest_into_layer(store, refs, model, args.annotator, progress)
    for problem in counts.problems:
        warn(f"left out: {problem}")
    say(
        f"added {counted(counts.added, 'span')} to {counted(counts.changed, 'document')} of "
        f"{args.annotator!r} (of {counted(counts.documents, 'document')} tagged); left out "
        f"{counts.overlapping:,} overlapping a span there and {counts.rejected:,} rejected before"
    )
    if counts.done:
        say(f"{counted(counts.done, 'document')} marked done left alone")
    return 0
