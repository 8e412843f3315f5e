"""The one module that talks to python-crfsuite (which has no type hints).

:func:`train_crf` trains a linear-chain CRF (L-BFGS with L1 and L2 penalties) into a file;
:class:`CrfTagger` tags feature sequences with a model held in memory. crfsuite's tagger
object is not thread-safe, so each :class:`CrfTagger` serialises its calls with a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pycrfsuite

__all__ = ["CrfError", "CrfTagger", "Features", "train_crf"]

#: One feature list (crfsuite attribute names) per character.
Features = Sequence[Sequence[str]]

#: L1 and L2 penalties: what the plain character CRF yardstick uses on Resume NER.
C1 = 0.05
C2 = 0.01


class CrfError(Exception):
    """crfsuite refused a model or a training set; the message says why."""


def train_crf(
    sequences: Iterable[tuple[Features, Sequence[str]]],
    path: Path,
    *,
    iterations: int,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Train on (features, tags) sequences and write the model to ``path``.

    ``progress`` is called with each iteration's number. crfsuite holds the GIL while it
    trains (see :mod:`tui.core.recommender.background`).
    """
    trainer: Any = _Trainer(progress)
    for features, tags in sequences:
        trainer.append(pycrfsuite.ItemSequence(features), list(tags))
    trainer.set_params(
        {
            "c1": C1,
            "c2": C2,
            "max_iterations": iterations,
            "feature.possible_transitions": True,
        }
    )
    try:
        trainer.train(str(path))
    except (RuntimeError, ValueError) as error:
        raise CrfError(f"crfsuite could not train: {error}") from None


class _Trainer(pycrfsuite.Trainer):  # type: ignore[misc]
    """A quiet trainer that reports each iteration's number instead of printing."""

    def __init__(self, progress: Callable[[int], None] | None) -> None:
        super().__init__(verbose=False)
        self._progress = progress

    def message(self, message: str) -> None:
        """crfsuite's log, a piece at a time: parsed for the end of each iteration."""
        event = self.logparser.feed(message)
        if event == "iteration" and self._progress is not None:
            self._progress(int(self.logparser.last_iteration.get("num", 0)))


class CrfTagger:
    """A model opened from its bytes; tags one sequence at a time, under a lock."""

    def __init__(self, data: bytes) -> None:
        # crfsuite reads the model in place, never copying it: the bytes must live as long.
        self._data = data
        self._tagger: Any = pycrfsuite.Tagger()
        try:
            self._tagger.open_inmemory(data)
        except (ValueError, OSError, RuntimeError) as error:
            raise CrfError(f"not a crfsuite model ({error})") from None
        self._lock = threading.Lock()

    def labels(self) -> list[str]:
        """The tags the model knows."""
        with self._lock:
            return list(self._tagger.labels())

    def tag(self, features: Features) -> tuple[list[str], list[float]]:
        """The best tag sequence and each tag's marginal probability under the model."""
        if not features:
            return [], []
        with self._lock:
            tagger = self._tagger
            tags: list[str] = tagger.tag(pycrfsuite.ItemSequence(features))
            marginal = tagger.marginal
            return tags, [marginal(tag, i) for i, tag in enumerate(tags)]
