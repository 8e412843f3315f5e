"""Training a model from one annotator's layer (or the gold layer) of the store.

The examples (:mod:`tui.core.recommender.data`) are split by a hash of each paragraph's
document and place (:func:`~tui.core.recommender.data.held_out`): the same split on every
run. The CRF is trained on the rest, scored on the held-out part, and saved with its card
(:func:`~tui.core.recommender.model.save_model`): the new CRF is written to a temp file
first, so a training killed half-way leaves the previous model as it was.

crfsuite holds the GIL while it trains: the app must train through
:func:`tui.core.recommender.background.train_in_subprocess`, not in a thread.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path

from tui.core.corpus import DocumentRef
from tui.core.recommender.crf import CrfError, train_crf
from tui.core.recommender.data import DEFAULT_STATUSES, Example, held_out, layer_examples
from tui.core.recommender.evaluate import score_examples
from tui.core.recommender.features import FEATURE_VERSION, paragraph_features
from tui.core.recommender.model import (
    MODELS_FOLDER,
    Model,
    ModelCard,
    ModelError,
    card_path,
    check_model_name,
    load_model,
    save_model,
)
from tui.core.recommender.tags import bioes_tags
from tui.core.segment import Segmenter
from tui.core.spans import Status, now_iso
from tui.core.store import Store
from tui.core.wording import counted

__all__ = [
    "DEFAULT_ITERATIONS",
    "MIN_SPANS",
    "RETRAIN_ITERATIONS",
    "TrainingError",
    "train_examples",
    "train_model",
]

#: L-BFGS iterations of a training (``biaozhu train``).
DEFAULT_ITERATIONS = 100
#: L-BFGS iterations of the app's background retraining: half the time of a full
#: training (500 sentences in about 2 s), for a model that is replaced soon anyway.
RETRAIN_ITERATIONS = 50
#: Spans a layer needs before a first model is trained.
MIN_SPANS = 20

#: Called with a line saying how far training has got.
Progress = Callable[[str], None]


class TrainingError(Exception):
    """No model can be trained; the one-line message says why."""


def train_model(
    store: Store,
    refs: Sequence[DocumentRef],
    annotator: str,
    *,
    name: str = "ner",
    statuses: Collection[Status] | None = DEFAULT_STATUSES,
    min_spans: int = MIN_SPANS,
    held_out: float = 0.1,
    progress: Progress | None = None,
    iterations: int = DEFAULT_ITERATIONS,
    segmenter: Segmenter | None = None,
) -> Model:
    """Train the model ``name`` on ``annotator``'s layer over ``refs`` and save it into the
    store's models folder; the model, with its card.

    Only documents whose status is in ``statuses`` are read (all when None). ``held_out``
    of the paragraphs (a deterministic share) are kept for the card's scores. Raises
    :class:`TrainingError` when the layer has fewer than ``min_spans`` spans (nothing is
    written then), the name cannot be used, or crfsuite or the disk fails.
    """
    say = progress or (lambda _line: None)
    try:
        check_model_name(name)
    except ModelError as error:
        raise TrainingError(str(error)) from None
    data = layer_examples(
        store,
        refs,
        annotator,
        statuses,
        lambda done, total: say(f"read {done:,}/{total:,} documents"),
    )
    for problem in data.problems:
        say(f"left out: {problem}")
    if data.spans < min_spans:
        raise TrainingError(
            f"{counted(data.spans, 'span')} in {annotator!r}'s layer "
            f"({_statuses_wording(statuses)}); {min_spans:,} are needed before the first training"
        )
    _say_labels_changed(store.root, name, data.labels, say)
    return train_examples(
        store.root,
        data.examples,
        name=name,
        layer=annotator,
        documents=data.documents,
        held_out_share=held_out,
        progress=say,
        iterations=iterations,
        segmenter=segmenter,
    )


def train_examples(
    store_root: Path,
    examples: Sequence[Example],
    *,
    name: str,
    layer: str,
    documents: int,
    held_out_share: float = 0.1,
    progress: Progress | None = None,
    iterations: int = DEFAULT_ITERATIONS,
    segmenter: Segmenter | None = None,
) -> Model:
    """Train, score and save the model ``name`` on ``examples`` (see :func:`train_model`,
    which reads them from a layer)."""
    say = progress or (lambda _line: None)
    test = [example for example in examples if held_out(example, held_out_share)]
    train = [example for example in examples if not held_out(example, held_out_share)]
    if not any(example.spans for example in train):
        train, test = list(examples), []  # too few to spare any
    labels = tuple(sorted({label for e in train for _, _, label in e.spans}))
    say(f"features of {counted(len(train), 'paragraph')} ({counted(documents, 'document')})")
    sequences = [
        (paragraph_features(e.text, segmenter), bioes_tags(len(e.text), e.spans)) for e in train
    ]
    folder = store_root / MODELS_FOLDER
    data = _trained_bytes(folder, name, sequences, iterations, say)
    card = ModelCard(
        name=name,
        labels=labels,
        feature_version=FEATURE_VERSION,
        layer=layer,
        documents=documents,
        spans=sum(len(e.spans) for e in train),
        trained_at=now_iso(),
        scores=None,
        iterations=iterations,
        model_sha256=hashlib.sha256(data).hexdigest(),
    )
    model = Model(card, data, segmenter)
    if test:
        say(f"scoring on {counted(len(test), 'held-out paragraph')}")
        model.card = card = replace(card, scores=score_examples(model, test))
    try:
        save_model(store_root, card, data)
    except OSError as error:
        raise TrainingError(f"{folder}: cannot save the model: {error.strerror or error}") from None
    return model


def _trained_bytes(
    folder: Path,
    name: str,
    sequences: list[tuple[list[list[str]], list[str]]],
    iterations: int,
    say: Progress,
) -> bytes:
    """Train into a temp file of ``folder`` (left by no kill for long: removed by the next
    training of the same name) and return its bytes."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(folder, name)
    except OSError as error:
        raise TrainingError(f"{folder}: cannot write: {error.strerror or error}") from None
    temp = folder / f".{name}.crfsuite.{secrets.token_hex(4)}.training"

    def each(iteration: int) -> None:
        if iteration % 10 == 0 or iteration == iterations:
            say(f"iteration {iteration}/{iterations}")

    try:
        train_crf(sequences, temp, iterations=iterations, progress=each)
        return temp.read_bytes()
    except CrfError as error:
        raise TrainingError(str(error)) from None
    except OSError as error:
        raise TrainingError(f"{temp}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _remove_stale_temps(folder: Path, name: str) -> None:
    for stale in folder.glob(f".{name}.crfsuite.*.training"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _say_labels_changed(store_root: Path, name: str, labels: set[str], say: Progress) -> None:
    """Say so when the layer's labels differ from those of the model being replaced."""
    if not card_path(store_root, name).exists():
        return
    try:
        previous = load_model(store_root, name).card
    except ModelError as error:
        say(f"the previous model cannot be used ({error}): training a new one")
        return
    if set(previous.labels) != labels:
        say(
            f"the layer's labels ({', '.join(sorted(labels))}) differ from the model's "
            f"({', '.join(previous.labels)}): retraining"
        )


def _statuses_wording(statuses: Collection[Status] | None) -> str:
    if statuses is None:
        return "every document"
    return "documents " + " or ".join(status.value for status in statuses)
