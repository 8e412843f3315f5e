"""The ``[recommender]`` table of a labels file: how the app trains its model (issue 15).

::

    [recommender]
    model = "ner"                       # the model's name (store/.models/ner.crfsuite)
    retrain_every = 50                  # retrain after this many new or changed spans
    layer = ""                          # learn from: "" the annotator's own layer, or a
                                        # layer's name ("gold": the reviewers' decisions)
    min_spans = 20                      # spans needed before the first training
    statuses = ["in progress", "done"]  # documents learnt from, by the annotator's status

Every field is optional. A bad value raises :class:`tui.core.labels.LabelError` with one
line naming the file and the line, as the other tables do. Kept out of
:mod:`tui.core.recommender` so reading a labels file never imports crfsuite or jieba
(only :mod:`tui.core.recommender.paths`, which imports neither).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tui.core.labels import LabelError
from tui.core.recommender.paths import ModelError, check_model_name
from tui.core.spans import Status

__all__ = ["RecommenderConfig", "parse_recommender"]

_FIELDS = ("model", "retrain_every", "layer", "min_spans", "statuses")


@dataclass(frozen=True, slots=True)
class RecommenderConfig:
    """The recommender's settings (the module's notes); the defaults without a table."""

    model: str = "ner"
    retrain_every: int = 50
    #: "" for the annotator's own layer, else the layer learnt from ("gold", a name).
    layer: str = ""
    min_spans: int = 20
    statuses: tuple[Status, ...] = (Status.IN_PROGRESS, Status.DONE)


def parse_recommender(document: Mapping[str, Any], source: str, filename: str) -> RecommenderConfig:
    """The ``[recommender]`` table of a parsed labels file (the defaults without one)."""
    table = document.get("recommender")
    if table is None:
        return RecommenderConfig()
    at = _line(source, filename, r"\[[ \t]*recommender[ \t]*\]", 0) or filename
    if not isinstance(table, dict):
        raise LabelError(f"{at}: [recommender] must be a table")
    after = _offset(source, r"\[[ \t]*recommender[ \t]*\]")
    for field in table:
        if field not in _FIELDS:
            where = _line(source, filename, rf"{re.escape(field)}[ \t]*=", after) or at
            raise LabelError(
                f"{where}: [recommender]: unknown field {field[:40]!r} "
                f"(expected {', '.join(_FIELDS)})"
            )

    def bad(field: str, wanted: str) -> LabelError:
        where = _line(source, filename, rf"{field}[ \t]*=", after) or at
        return LabelError(
            f"{where}: [recommender]: {field} must be {wanted}, not {table[field]!r:.40}"
        )

    defaults = RecommenderConfig()
    model = table.get("model", defaults.model)
    try:
        check_model_name(model if isinstance(model, str) else "")  # "" is no name
    except ModelError:
        raise bad("model", "a name of letters, digits, _ . - (up to 64)") from None
    layer = table.get("layer", defaults.layer)
    if not (isinstance(layer, str) and len(layer) <= 200 and layer == layer.strip()):
        raise bad("layer", 'an annotator\'s name, "gold", or "" for your own')
    numbers = {}
    for field in ("retrain_every", "min_spans"):
        value = table.get(field, getattr(defaults, field))
        if type(value) is not int or not 1 <= value <= 1_000_000:
            raise bad(field, "a whole number from 1 to 1000000")
        numbers[field] = value
    statuses = table.get("statuses", [status.value for status in defaults.statuses])
    known = {status.value for status in Status}
    if not (isinstance(statuses, list) and statuses and all(s in known for s in statuses)):
        raise bad("statuses", 'a list of "new", "in progress", "done"')
    return RecommenderConfig(
        model=model,
        retrain_every=numbers["retrain_every"],
        layer=layer,
        min_spans=numbers["min_spans"],
        statuses=tuple(Status(s) for s in dict.fromkeys(statuses)),
    )


def _offset(source: str, pattern: str) -> int:
    found = re.search(rf"^[ \t]*{pattern}", source, re.MULTILINE)
    return 0 if found is None else found.start()


def _line(source: str, filename: str, pattern: str, after: int) -> str | None:
    """``file line N`` of the first line from ``after`` that starts with ``pattern``."""
    found = re.compile(rf"^[ \t]*{pattern}", re.MULTILINE).search(source, after)
    if found is None:
        return None
    return f"{filename} line {source.count(chr(10), 0, found.start()) + 1}"
