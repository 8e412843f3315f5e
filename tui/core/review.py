"""Review: every annotator's spans of a document as layers, and the reviewer's gold layer.

Each annotator's store file of a document is one layer. The reviewer's decisions are kept
like any layer, under the annotator name :data:`GOLD`, each span attributed to the
reviewer. Reading layers never writes; one annotator's corrupt file is named and left
out, and the others are still reviewed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from tui.core.agreement import DocumentLayers, SpanKey
from tui.core.corpus import DocumentError, DocumentRef, load_document
from tui.core.store import Store, StoreError

__all__ = [
    "GOLD",
    "LayerProblems",
    "ReviewerError",
    "check_reviewer",
    "corpus_layers",
    "document_layers",
    "orphaned_documents",
]

#: The annotator name the reviewer's decisions are stored under (``export --annotator gold``).
GOLD = "gold"


class ReviewerError(Exception):
    """The reviewer cannot review under that name; ``str(error)`` says why, in one line."""


@dataclass
class LayerProblems:
    """Files that could not be read while collecting layers, one message each."""

    messages: list[str] = field(default_factory=list)


def document_layers(
    store: Store, doc_id: str, problems: LayerProblems
) -> dict[str, frozenset[SpanKey]]:
    """Every annotator's spans of ``doc_id`` (the gold layer left out).

    A file that cannot be read is reported in ``problems`` and left out.
    """
    layers: dict[str, frozenset[SpanKey]] = {}
    for annotator in store.annotators(doc_id):
        if annotator == GOLD:
            continue
        try:
            layers[annotator] = store.document(doc_id, annotator).span_keys()
        except StoreError as error:
            problems.messages.append(str(error))
    return layers


def corpus_layers(
    refs: Iterable[DocumentRef], store: Store, problems: LayerProblems
) -> Iterator[DocumentLayers]:
    """The layers of each document under ``refs``, one document at a time.

    A document that cannot be read is reported in ``problems`` and skipped: agreement
    counts its characters, so it needs the text's length.
    """
    for ref in refs:
        layers = document_layers(store, ref.doc_id, problems)
        if not layers:
            continue
        try:
            length = len(load_document(ref).text)
        except DocumentError as error:
            problems.messages.append(f"{ref.doc_id}: {error}")
            continue
        yield DocumentLayers(ref.doc_id, length, layers)


def orphaned_documents(store: Store, refs: Iterable[DocumentRef]) -> list[str]:
    """Documents the store holds annotations for that are not in the corpus (never deleted)."""
    known = {ref.doc_id for ref in refs}
    return [doc_id for doc_id in store.document_ids() if doc_id not in known]


def check_reviewer(reviewer: str, store: Store, refs: Iterable[DocumentRef]) -> None:
    """Refuse a reviewer name that is an annotator's (their layer and decisions would mix)."""
    if reviewer == GOLD:
        raise ReviewerError(f"{GOLD!r} names the gold layer itself; choose your own name")
    for ref in refs:
        if reviewer in store.annotators(ref.doc_id):
            raise ReviewerError(
                f"{reviewer!r} annotated {ref.doc_id}; review under another name "
                "(--reviewer NAME), so your decisions stay apart from your annotations"
            )
