"""Training in a child process, for the app.

crfsuite holds the GIL while it trains (measured, ``train_thread_*`` in
:mod:`bench.recommender`: a tight loop in the main thread ran at a quarter of its pace
beside a training thread, pausing for a whole L-BFGS iteration at a time, 0.07 s on 2 000
sentences and 0.4 s on 3 800 longer ones), so a training thread would freeze the app's
UI. :func:`train_in_subprocess` runs :func:`~tui.core.recommender.train.train_model` in a
child process instead and relays its progress lines; the app then loads the saved model
with :func:`~tui.core.recommender.model.load_model`. Call it
from a worker thread: it blocks until the child ends, holding no lock meanwhile.

The child is ``python -m tui.core.recommender.background`` started with
:mod:`subprocess`, not :mod:`multiprocessing`: inside the app, Textual's stand-in for
standard error has no file descriptor, and multiprocessing's start-up passes that
descriptor on (``bad value(s) in fds_to_keep``). The arguments go to the child's standard
input as one JSON object; it answers with one JSON line per message.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import IO, Any

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
    """:func:`~tui.core.recommender.train.train_model` in a child process; the saved
    model's card. It trains :data:`RETRAIN_ITERATIONS` iterations unless told.

    Raises :class:`TrainingError` as ``train_model`` does, and when the child dies (killed,
    out of memory): the previous model is then still there."""
    arguments = {
        "store": str(store_root),
        "refs": [[ref.doc_id, str(ref.path), ref.shown] for ref in refs],
        "annotator": annotator,
        "name": name,
        "statuses": None if statuses is None else [status.value for status in statuses],
        "min_spans": min_spans,
        "held_out": held_out,
        "iterations": iterations,
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tui.core.recommender.background"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
    )
    try:
        return _talk(child, arguments, store_root, progress)
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def _talk(
    child: subprocess.Popen[str],
    arguments: dict[str, Any],
    store_root: Path,
    progress: Progress | None,
) -> ModelCard:
    """Send the arguments, relay the child's progress, return its card or raise."""
    assert child.stdin is not None and child.stdout is not None
    try:
        child.stdin.write(json.dumps(arguments, ensure_ascii=False))
        child.stdin.close()
    except OSError:
        pass  # it died at once: said below
    for line in child.stdout:
        try:
            kind, payload = json.loads(line)
        except (ValueError, TypeError):
            continue  # not ours (a library printing): ignored
        if kind == "progress" and progress is not None:
            progress(str(payload))
        elif kind == "error":
            raise TrainingError(str(payload))
        elif kind == "card":
            return ModelCard.from_json(str(payload).encode("utf-8"), store_root)
    code = child.wait()
    raise TrainingError(f"the training process ended without a model (exit {code})")


def _child(source: IO[str], sink: IO[str]) -> None:
    """The child process: train as ``source`` says, writing progress lines, then the
    card or the error, one JSON line each, to ``sink``."""

    def send(kind: str, payload: str) -> None:
        sink.write(json.dumps([kind, payload], ensure_ascii=False) + "\n")
        sink.flush()

    arguments = json.loads(source.read())
    statuses = arguments["statuses"]
    try:
        model = train_model(
            Store(Path(arguments["store"])),
            [DocumentRef(doc_id, Path(path), shown) for doc_id, path, shown in arguments["refs"]],
            arguments["annotator"],
            name=arguments["name"],
            statuses=None if statuses is None else [Status(value) for value in statuses],
            min_spans=arguments["min_spans"],
            held_out=arguments["held_out"],
            progress=lambda line: send("progress", line),
            iterations=arguments["iterations"],
        )
        send("card", model.card.to_json().decode("utf-8"))
    except TrainingError as error:
        send("error", str(error))


if __name__ == "__main__":
    # The lowest priority: on a 2-core machine the training would otherwise take the CPU
    # the reader needs to answer keys within a frame (it waits a little longer instead).
    with contextlib.suppress(OSError):
        os.nice(19)
    _child(sys.stdin, sys.stdout)
