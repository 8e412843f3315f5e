"""The trained model as a suggestion source, and when the app trains it again.

:class:`ModelSource` is a :class:`~tui.core.suggest.SuggestionSource` like jieba's tags:
the reader asks it paragraph by paragraph, from the view outward, and each suggestion
carries the source :data:`MODEL` and the model's confidence. :class:`RetrainPolicy` counts
the spans an annotator adds, changes or removes, and says when a new training is due:
after ``every`` of them, or when a document is marked done.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from tui.core.annotations import Change
from tui.core.recommender.model import Model
from tui.core.suggest import Suggestion

__all__ = ["MODEL", "ModelSource", "RetrainPolicy", "changed_spans", "fits"]

#: The source name of the model's suggestions (the status line shows it).
MODEL = "model"


class ModelSource:
    """Suggestions from a trained model, with its confidence (see ``Model.tag``)."""

    def __init__(self, model: Model) -> None:
        self.model = model

    def suggest(self, paragraph: str) -> list[Suggestion]:
        """The model's spans in ``paragraph`` (offsets within it)."""
        return [
            Suggestion(start, end, label, MODEL, round(confidence, 3))
            for start, end, label, confidence in self.model.tag(paragraph)
        ]


def fits(model: Model, labels: Collection[str]) -> bool:
    """Whether the model suggests only labels the annotator has (a model of another label
    set is not used: it would suggest labels no key can give)."""
    return set(model.card.labels) <= set(labels)


def changed_spans(changes: Iterable[Change]) -> int:
    """How many distinct spans ``changes`` added, changed or removed."""
    touched: set[str] = set()
    for change in changes:
        touched.update(span.id for span in change.put)
        touched.update(change.deleted)
    return len(touched)


@dataclass
class RetrainPolicy:
    """When to train again: after ``every`` changed spans, or a document marked done;
    never while a training runs."""

    every: int
    changed: int = 0
    training: bool = False
    marked_done: bool = False

    def note(self, spans: int = 0, *, done: bool = False) -> None:
        """``spans`` more spans changed; ``done``: a document was marked done."""
        self.changed += spans
        self.marked_done = self.marked_done or done

    @property
    def due(self) -> bool:
        """Whether a training should start now."""
        return not self.training and (self.changed >= self.every or self.marked_done)

    def started(self) -> None:
        """A training started: what changed so far is in it."""
        self.training, self.changed, self.marked_done = True, 0, False

    def finished(self) -> None:
        """The training ended (with a model or not)."""
        self.training = False
