"""Exact-span precision, recall and F1, micro-averaged and per label."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tui.core.recommender.tags import Extent

__all__ = ["LabelScores", "ScoreCounter", "Scores"]


@dataclass(frozen=True, slots=True)
class LabelScores:
    """Precision, recall and F1 of one label (or of all), and how many gold spans it has."""

    precision: float
    recall: float
    f1: float
    support: int

    @staticmethod
    def of(found: int, predicted: int, gold: int) -> LabelScores:
        """Scores from counts: ``found`` spans right, ``predicted`` made, ``gold`` to find.

        Nothing predicted is a precision of 0 (not undefined), nothing to find a recall of 0.
        """
        precision = found / predicted if predicted else 0.0
        recall = found / gold if gold else 0.0
        total = precision + recall
        return LabelScores(
            precision, recall, 2 * precision * recall / total if total else 0.0, gold
        )

    def to_record(self) -> dict[str, float | int]:
        """A JSON-safe dict (rounded to four places)."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
        }


@dataclass(frozen=True, slots=True)
class Scores:
    """Exact-span scores: a predicted span counts only with the gold span's very extent and
    label. ``micro`` pools every label's counts; ``per_label`` by label, sorted."""

    micro: LabelScores
    per_label: Mapping[str, LabelScores] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The scores as plain-text lines: ``precision``, ``recall``, ``f1`` then a table."""
        lines = [
            f"precision: {self.micro.precision:.3f}",
            f"recall: {self.micro.recall:.3f}",
            f"f1: {self.micro.f1:.3f}",
        ]
        if self.per_label:
            width = max(len(label) for label in self.per_label)
            lines.append(f"  {'label':<{width}}  precision  recall     f1  spans")
            for label, scores in self.per_label.items():
                lines.append(
                    f"  {label:<{width}}  {scores.precision:9.3f}  {scores.recall:6.3f}  "
                    f"{scores.f1:5.3f}  {scores.support:5,}"
                )
        return lines

    def to_record(self) -> dict[str, object]:
        """A JSON-safe dict, as the model card keeps it."""
        return {
            **self.micro.to_record(),
            "per_label": {label: s.to_record() for label, s in self.per_label.items()},
        }


class ScoreCounter:
    """Counts right, predicted and gold spans, document by document, into :class:`Scores`."""

    def __init__(self) -> None:
        self.found: Counter[str] = Counter()
        self.predicted: Counter[str] = Counter()
        self.gold: Counter[str] = Counter()

    def add(self, gold: Iterable[Extent], predicted: Iterable[Extent]) -> None:
        """Count one document's (or paragraph's) gold and predicted spans."""
        gold_set, predicted_set = set(gold), set(predicted)
        self.gold.update(label for _, _, label in gold_set)
        self.predicted.update(label for _, _, label in predicted_set)
        self.found.update(label for _, _, label in gold_set & predicted_set)

    def scores(self) -> Scores:
        """The scores of everything counted so far."""
        labels = sorted(set(self.gold) | set(self.predicted))
        per_label = {
            label: LabelScores.of(self.found[label], self.predicted[label], self.gold[label])
            for label in labels
        }
        micro = LabelScores.of(self.found.total(), self.predicted.total(), self.gold.total())
        return Scores(micro, per_label)
