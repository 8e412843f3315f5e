"""The learning recommender: a character CRF trained from a layer of the store (issue 15).

The app and the batch commands call:

* :func:`load_model` (a :class:`Model`, or :class:`ModelError`): ``Model.card``,
  ``Model.tag(paragraph)`` and ``Model.doubt(paragraphs)``;
* :func:`train_model` (or :class:`TrainingError`), :func:`evaluate_model`,
  :func:`suggest_into_layer`; the app trains with :func:`train_in_subprocess`, since
  crfsuite holds the GIL while it trains.

No Textual here; python-crfsuite is wrapped in :mod:`tui.core.recommender.crf`.
"""

from tui.core.recommender.background import train_in_subprocess
from tui.core.recommender.data import DEFAULT_STATUSES
from tui.core.recommender.evaluate import Evaluation, evaluate_model
from tui.core.recommender.model import Model, ModelCard, ModelError, TaggedSpan, load_model
from tui.core.recommender.scores import LabelScores, Scores
from tui.core.recommender.suggest import SuggestCounts, suggest_into_layer
from tui.core.recommender.train import (
    DEFAULT_ITERATIONS,
    MIN_SPANS,
    RETRAIN_ITERATIONS,
    TrainingError,
    train_model,
)

__all__ = [
    "DEFAULT_ITERATIONS",
    "DEFAULT_STATUSES",
    "MIN_SPANS",
    "RETRAIN_ITERATIONS",
    "Evaluation",
    "LabelScores",
    "Model",
    "ModelCard",
    "ModelError",
    "Scores",
    "SuggestCounts",
    "TaggedSpan",
    "TrainingError",
    "evaluate_model",
    "load_model",
    "suggest_into_layer",
    "train_in_subprocess",
    "train_model",
]
