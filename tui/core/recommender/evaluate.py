"""Scoring a model against a layer: exact-span micro precision, recall and F1, per label.

The layer's spans are flattened to the outermost layer first (the model can only tag
that), over the same documents training would read (:mod:`tui.core.recommender.data`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from tui.core.corpus import DocumentRef
from tui.core.recommender.data import DEFAULT_STATUSES, Example, layer_examples
from tui.core.recommender.model import Model
from tui.core.recommender.scores import ScoreCounter, Scores
from tui.core.spans import Status
from tui.core.store import Store

__all__ = ["Evaluation", "evaluate_model", "score_examples"]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores of a model on a layer, and what they were counted on."""

    scores: Scores
    documents: int
    #: Documents that could not be read, one line each.
    problems: list[str]
    #: Labels of the layer the model was never trained on.
    unknown_labels: set[str]


def score_examples(model: Model, examples: Iterable[Example]) -> Scores:
    """The model's exact-span scores on ``examples``."""
    counter = ScoreCounter()
    for example in examples:
        predicted = [(start, end, label) for start, end, label, _ in model.tag(example.text)]
        counter.add(example.spans, predicted)
    return counter.scores()


def evaluate_model(
    model: Model,
    store: Store,
    refs: Sequence[DocumentRef],
    annotator: str,
    statuses: Collection[Status] | None = DEFAULT_STATUSES,
) -> Evaluation:
    """Score ``model`` against ``annotator``'s layer over ``refs`` (every document the
    annotator has a file for when ``statuses`` is None)."""
    data = layer_examples(store, refs, annotator, statuses)
    scores = score_examples(model, data.examples)
    return Evaluation(scores, data.documents, data.problems, data.labels - set(model.card.labels))
