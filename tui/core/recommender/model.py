"""A trained model: its card, its files in the store folder, loading and tagging.

A model named ``ner`` lives in ``<store>/.models/`` (no document id can name a folder
with a dot, so it is never taken for one) as two files: ``ner.crfsuite`` (the
CRF, crfsuite's own format) and ``ner.json`` (its :class:`ModelCard`). Both are written
atomically (a temp file, then a rename), the model first; the card names the model's
sha256, so a pair from two trainings (a kill between the renames, a copied file) is
detected. Nothing is pickled: a corrupt, truncated, foreign or mismatched file is a
:class:`ModelError` with a one-line message, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.recommender.crf import CrfError, CrfTagger
from tui.core.recommender.features import FEATURE_VERSION, paragraph_features
from tui.core.recommender.paths import (
    MODELS_FOLDER,
    ModelError,
    card_path,
    check_model_name,
    model_path,
)
from tui.core.recommender.scores import LabelScores, Scores
from tui.core.recommender.tags import OUTSIDE, spans_from_tags
from tui.core.segment import Segmenter
from tui.core.store import replace_file
from tui.core.suggest import paragraphs
from tui.core.untrusted import JsonProblem, parse_json, read_regular

__all__ = [
    "CARD_FORMAT",
    "MODELS_FOLDER",
    "Model",
    "ModelCard",
    "ModelError",
    "TaggedSpan",
    "card_path",
    "check_model_name",
    "load_model",
    "model_path",
    "save_model",
]

#: What a card's ``format`` field must say.
CARD_FORMAT = "biaozhu-crf-model"
_CARD_VERSION = 1
#: How many characters :meth:`Model.doubt` looks at, at most, from a document's start.
DOUBT_CHARS = 2000

#: A span the model found: (start, end, label, confidence).
TaggedSpan = tuple[int, int, str, float]


@dataclass(frozen=True, slots=True)
class ModelCard:
    """What a model is: its labels and features, what it learnt from, how well it did.

    ``scores`` are the held-out scores (None when nothing was held out); ``documents``
    and ``spans`` count what it was trained on (the outermost layer's spans).
    """

    name: str
    labels: tuple[str, ...]
    feature_version: int
    layer: str
    documents: int
    spans: int
    trained_at: str
    scores: Scores | None
    iterations: int
    model_sha256: str

    def to_json(self) -> bytes:
        """The card as the ``.json`` file holds it."""
        record = {
            "format": CARD_FORMAT,
            "card_version": _CARD_VERSION,
            "name": self.name,
            "labels": list(self.labels),
            "feature_version": self.feature_version,
            "layer": self.layer,
            "documents": self.documents,
            "spans": self.spans,
            "trained_at": self.trained_at,
            "held_out": None if self.scores is None else self.scores.to_record(),
            "iterations": self.iterations,
            "model_sha256": self.model_sha256,
        }
        return (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")

    @staticmethod
    def from_json(raw: bytes, where: Path) -> ModelCard:
        """The card in ``raw`` (the file ``where``); ModelError naming what is wrong."""
        try:
            record = parse_json(raw.decode("utf-8"))
        except (UnicodeDecodeError, JsonProblem):
            raise ModelError(f"{where}: not a model card (not JSON)") from None
        if not isinstance(record, dict) or record.get("format") != CARD_FORMAT:
            raise ModelError(f"{where}: not a biaozhu model card")
        if record.get("card_version") != _CARD_VERSION:
            raise ModelError(f"{where}: a model card of another biaozhu version: retrain")
        try:
            return _card_from(record)
        except (KeyError, TypeError, ValueError) as error:
            raise ModelError(f"{where}: bad model card ({error})") from None


def _card_from(record: Mapping[str, Any]) -> ModelCard:
    def field(name: str, kind: type) -> Any:
        value = record[name]
        if type(value) is not kind:
            raise ValueError(f"{name!r} is not a {kind.__name__}")
        return value

    labels = field("labels", list)
    if not all(type(label) is str for label in labels):
        raise ValueError("'labels' is not a list of names")
    held_out = record.get("held_out")
    return ModelCard(
        name=field("name", str),
        labels=tuple(labels),
        feature_version=field("feature_version", int),
        layer=field("layer", str),
        documents=field("documents", int),
        spans=field("spans", int),
        trained_at=field("trained_at", str),
        scores=None if held_out is None else _scores_from(held_out),
        iterations=field("iterations", int),
        model_sha256=field("model_sha256", str),
    )


def _scores_from(record: Any) -> Scores:
    def one(item: Any) -> LabelScores:
        return LabelScores(
            float(item["precision"]), float(item["recall"]), float(item["f1"]), int(item["support"])
        )

    per_label = record["per_label"]
    if not isinstance(per_label, dict):
        raise ValueError("'per_label' is not an object")
    return Scores(one(record), {str(label): one(item) for label, item in per_label.items()})


class Model:
    """A trained model, ready to tag paragraphs (from one worker thread at a time or
    several: calls into crfsuite are serialised by a lock)."""

    def __init__(self, card: ModelCard, data: bytes, segmenter: Segmenter | None = None) -> None:
        self.card = card
        self._tagger = CrfTagger(data)
        self._segmenter = segmenter

    def tag(self, paragraph: str) -> list[TaggedSpan]:
        """The spans the model finds in ``paragraph`` (canonical text, any script) as
        (start, end, label, confidence), in offsets within it.

        The confidence is the smallest marginal probability of the span's tags: how sure
        the model is of its least sure character. A paragraph longer than 2 000
        characters, or of several lines, is tagged a piece at a time.
        """
        found: list[TaggedSpan] = []
        for start, end in paragraphs(paragraph):
            tags, marginals = self._tagger.tag(
                paragraph_features(paragraph[start:end], self._segmenter)
            )
            for span_start, span_end, label in spans_from_tags(tags):
                confidence = min(marginals[span_start:span_end])
                found.append((start + span_start, start + span_end, label, confidence))
        return found

    def doubt(self, paragraphs_of_document: Iterable[str], max_chars: int = DOUBT_CHARS) -> float:
        """How unsure the model is of a document, from 0 (sure) to 1: one minus the mean,
        over the characters it tags, of the marginal probability of the best sequence's
        tag. Only the first ``max_chars`` characters are tagged, so a long document costs
        no more than a short one (an active-learning order needs only a ranking)."""
        total = 0.0
        count = 0
        for paragraph in paragraphs_of_document:
            if count >= max_chars:
                break
            piece = paragraph[: max_chars - count]
            for start, end in paragraphs(piece):
                _, marginals = self._tagger.tag(
                    paragraph_features(piece[start:end], self._segmenter)
                )
                total += sum(marginals)
                count += len(marginals)
        return 0.0 if not count else min(1.0, max(0.0, 1.0 - total / count))

    def known_tags(self) -> list[str]:
        """The tags the CRF knows (``O``, ``B-PER``, ...)."""
        return self._tagger.labels()


def save_model(store_root: Path, card: ModelCard, data: bytes) -> None:
    """Write the model's CRF and then its card, each atomically (see the module's notes).
    ``card.model_sha256`` must be the sha256 of ``data``. Raises OSError."""
    folder = store_root / MODELS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    replace_file(model_path(store_root, card.name), data)
    replace_file(card_path(store_root, card.name), card.to_json())


def load_model(store_root: Path, name: str, segmenter: Segmenter | None = None) -> Model:
    """The model ``name`` of the store at ``store_root``.

    Raises :class:`ModelError` (one line naming the file) when either file is missing,
    unreadable, corrupt, truncated, from another version of biaozhu or its features, or
    when the two files are not from the same training.
    """
    where = card_path(store_root, name)
    card = ModelCard.from_json(_read(where, name), where)
    if card.feature_version != FEATURE_VERSION:
        raise ModelError(
            f"{where}: trained with features of version {card.feature_version}; this "
            f"biaozhu uses version {FEATURE_VERSION}: retrain (biaozhu train)"
        )
    crf = model_path(store_root, name)
    data = _read(crf, name)
    if hashlib.sha256(data).hexdigest() != card.model_sha256:
        raise ModelError(
            f"{crf}: does not match its card {where.name} (another training, or damaged): "
            "retrain (biaozhu train)"
        )
    _check_header(crf, data)
    try:
        model = Model(card, data, segmenter)
    except CrfError as error:
        raise ModelError(f"{crf}: {error}") from None
    known = {tag[2:] for tag in model.known_tags() if tag != OUTSIDE}
    if not known <= set(card.labels):
        raise ModelError(f"{crf}: its labels are not those of its card: retrain")
    return model


def _read(path: Path, name: str) -> bytes:
    try:
        return read_regular(path)
    except FileNotFoundError:
        raise ModelError(f"{path}: no model {name!r} (train one: biaozhu train)") from None
    except OSError as error:
        raise ModelError(f"{path}: cannot read: {error.strerror or error}") from None


def _check_header(path: Path, data: bytes) -> None:
    """crfsuite's header: the magic ``lCRF`` and the file's size. crfsuite trusts the
    offsets that follow, so a file that fails this is never handed to it."""
    if len(data) < 48 or data[:4] != b"lCRF":
        raise ModelError(f"{path}: not a crfsuite model")
    (size,) = struct.unpack_from("<I", data, 4)
    if size != len(data):
        raise ModelError(f"{path}: truncated or damaged crfsuite model")
