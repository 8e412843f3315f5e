"""Counting what a set of store-file changes holds: documents and spans per annotator.

Used twice by a sync: for the commit message (what this site changed) and for the report
(what came in). Two versions of each file are compared by span id: a span added, removed
or changed counts once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from tui.core.store import original_name
from tui.core.store_check import SPANS
from tui.core.wording import counted

__all__ = ["Changes", "count_changes", "is_span_file"]


@dataclass
class Changes:
    """Documents and spans changed, per annotator (by their names in the store)."""

    documents: dict[str, set[str]] = field(default_factory=dict)
    spans: dict[str, int] = field(default_factory=dict)

    def add(self, annotator: str, document: str, spans: int) -> None:
        """Count ``spans`` changed in ``annotator``'s file of ``document``."""
        self.documents.setdefault(annotator, set()).add(document)
        self.spans[annotator] = self.spans.get(annotator, 0) + spans

    def update(self, other: Changes) -> None:
        """Add ``other``'s counts to these."""
        for annotator, documents in other.documents.items():
            self.documents.setdefault(annotator, set()).update(documents)
            self.spans[annotator] = self.spans.get(annotator, 0) + other.spans.get(annotator, 0)

    @property
    def empty(self) -> bool:
        """Whether no store file changed."""
        return not self.documents

    def totals(self) -> tuple[int, int]:
        """(documents, spans) over every annotator."""
        documents = {doc for docs in self.documents.values() for doc in docs}
        return len(documents), sum(self.spans.values())

    def lines(self) -> list[str]:
        """One line per annotator: ``name: N documents, M spans``, sorted by name."""
        return [
            f"{annotator}: {counted(len(self.documents[annotator]), 'document')}, "
            f"{counted(self.spans.get(annotator, 0), 'span')}"
            for annotator in sorted(self.documents)
        ]


def is_span_file(path: str, store_rel: PurePosixPath) -> bool:
    """Whether ``path`` (relative to the repository) is a store's span file:
    ``<store>/<document folder>/<annotator>.json``, the document folder not a dot folder."""
    parts = PurePosixPath(path).parts
    prefix = store_rel.parts if str(store_rel) != "." else ()
    rest = parts[len(prefix) :]
    return (
        parts[: len(prefix)] == prefix
        and len(rest) == 2
        and rest[1].endswith(".json")
        and not rest[0].startswith(".")
    )


def count_changes(
    paths: Iterable[str], before: Mapping[str, bytes | None], after: Mapping[str, bytes | None]
) -> Changes:
    """The changes between two versions of each store file in ``paths`` (content by path;
    None or missing: no such file)."""
    changes = Changes()
    for path in paths:
        folder, name = PurePosixPath(path).parts[-2:]
        annotator = original_name(name.removesuffix(".json")) or name.removesuffix(".json")
        document = original_name(folder) or folder
        spans = _spans_changed(_spans(before.get(path)), _spans(after.get(path)))
        changes.add(annotator, document, spans)
    return changes


def _spans(raw: bytes | None) -> dict[str, Any]:
    """The span records of a store file's content, by id; {} when it holds none or cannot
    be read (a count, not a check: the merge driver and the readers check)."""
    if not raw:
        return {}
    try:
        tables = json.loads(raw)
        records = tables.get(SPANS, {}).values()
        return {record["id"]: record for record in records}
    except (ValueError, AttributeError, TypeError, KeyError):
        return {}


def _spans_changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> int:
    """Spans added, removed or changed (by id)."""
    ids = before.keys() | after.keys()
    return sum(1 for span_id in ids if before.get(span_id) != after.get(span_id))
