"""Training in a child process, for the app.

crfsuite holds the GIL while it trains (measured, ``train_thread_*`` in
:mod:`bench.recommender`: a tight loop in the main thread ran at a quarter of its pace
beside a training thread, pausing for a whole L-BFGS iteration at a time, 0.07 s on 2 000
sentences and 0.4 s on 3 800 longer ones), so a training thread would freeze the app's
UI. :func:`train_in_subprocess` runs :func:`~tui.core.recommender.train.train_model` in a
spawned process instead and relays its progress lines; the app then loads the saved model
with :func:`~tui.core.recommender.model.load_model`. Call it
from a worker thread: it blocks until the child ends, holding no lock meanwhile.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from tui.core.corpus import DocumentRef
from tui.core.recommender.data import DEFAULT_STATUSES
from tui.core.recommender.model import ModelCard
from tui.core.recommender.train import (
    MIN_SPANS,
    RETRAIN_ITERATIONS,
    Progress,
    TrainingError,
    train_model,
)
from tui.core.spans import Status
from tui.core.store import Store

__all__ = ["train_in_subprocess"]


def train_in_subprocess(
    store_root: Path,
    refs: Sequence[DocumentRef],
    annotator: str,
    *,
    name: str = "ner",
    statuses: Collection[Status] | None = DEFAULT_STATUSES,
    min_spans: int = MIN_SPANS,
    held_out: float = 0.1,
    progress: Progress | None = None,
    iterations: int = RETRAIN_ITERATIONS,
) -> ModelCard:
    """:func:`~tui.core.recommender.train.train_model` in a spawned child process; the
    saved model's card. It trains :data:`RETRAIN_ITERATIONS` iterations unless told.

    Raises :class:`TrainingError` as ``train_model`` does, and when the child dies (killed,
    out of memory): the previous model is then still there."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    arguments = (
        store_root,
        list(refs),
        annotator,
        name,
        None if statuses is None else list(statuses),
        min_spans,
        held_out,
        iterations,
    )
    child = context.Process(target=_child, args=(sender, *arguments), daemon=True)
    child.start()
    sender.close()  # the child's end: EOF here once it is gone
    try:
        while True:
            try:
                kind, payload = receiver.recv()
            except EOFError:
                break
            if kind == "progress" and progress is not None:
                progress(payload)
            elif kind == "error":
                raise TrainingError(payload)
            elif kind == "card":
                return ModelCard.from_json(payload, store_root)
    finally:
        receiver.close()
        child.join()
    raise TrainingError(f"the training process ended without a model (exit {child.exitcode})")


def _child(
    sender: Any,
    store_root: Path,
    refs: list[DocumentRef],
    annotator: str,
    name: str,
    statuses: list[Status] | None,
    min_spans: int,
    held_out: float,
    iterations: int,
) -> None:
    """The child process: train, sending progress lines, then the card or the error."""
    try:
        model = train_model(
            Store(store_root),
            refs,
            annotator,
            name=name,
            statuses=statuses,
            min_spans=min_spans,
            held_out=held_out,
            progress=lambda line: sender.send(("progress", line)),
            iterations=iterations,
        )
        sender.send(("card", model.card.to_json()))
    except TrainingError as error:
        sender.send(("error", str(error)))
    finally:
        sender.close()
