"""Where a store keeps its models, and which names a model may have: for callers that
only ask whether a model is there (the app at start), without loading crfsuite or jieba.
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["MODELS_FOLDER", "ModelError", "card_path", "check_model_name", "model_path"]

#: The folder of the store holding models (a dot name: no document id can take it).
MODELS_FOLDER = ".models"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")


class ModelError(Exception):
    """A model cannot be used; the one-line message names the file and the problem."""


def check_model_name(name: str) -> None:
    """Raise :class:`ModelError` unless ``name`` can name a model's files (letters,
    digits, ``_``, ``.``, ``-``; up to 64; not starting with a dot or dash)."""
    if not _NAME.fullmatch(name):
        raise ModelError(f"{name!r:.70} cannot name a model: use letters, digits, _ . - (up to 64)")


def model_path(store_root: Path, name: str) -> Path:
    """Where the model ``name`` of the store at ``store_root`` keeps its CRF."""
    check_model_name(name)
    return store_root / MODELS_FOLDER / f"{name}.crfsuite"


def card_path(store_root: Path, name: str) -> Path:
    """Where the model ``name`` of the store at ``store_root`` keeps its card."""
    check_model_name(name)
    return store_root / MODELS_FOLDER / f"{name}.json"
