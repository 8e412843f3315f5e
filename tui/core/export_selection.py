"""Which documents an export holds: only what someone annotated (issue 11).

A document is *annotated* by an annotator when their store file of it holds a span, a status
other than new, or (gold layer) a decided disagreement; a file with only a reading position
is not. An export of an annotator with nothing annotated is refused, naming who has
annotations, so a misspelt name never makes a training set of empty documents.

- ``only="done"``: the documents the annotator marked done, spans or not (a document
  marked done without spans genuinely has no entities).
- ``only="reviewed"``: the gold layer's documents the reviewer marked reviewed (the gold
  file's status done); refused for any other annotator.
- no ``only``: every document for an annotator (today's behaviour), but for the gold layer
  only the documents reviewed at all: one never reviewed has no gold spans, and exported
  as "no entities" it would be a false negative in every training set made from it.

What is left out is counted in :attr:`Selection.notes`, one line each, for stderr.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.core.corpus import DocumentRef
from tui.core.review import GOLD
from tui.core.spans import Status
from tui.core.store import Outline, Store
from tui.core.wording import counted

__all__ = ["ONLY", "NothingToExport", "Selection", "select_documents"]

#: ``--only`` choices: documents marked done (by the annotator), or reviewed (gold).
ONLY = ("done", "reviewed")


class NothingToExport(Exception):
    """The export would hold nothing anyone annotated; ``str(error)`` says why, in one line."""


@dataclass
class Selection:
    """The documents to export, in corpus order, and what to tell the user about the rest."""

    refs: list[DocumentRef]
    notes: list[str] = field(default_factory=list)


def select_documents(
    refs: Sequence[DocumentRef], store: Store, annotator: str, only: str | None
) -> Selection:
    """The documents of ``refs`` an export of ``annotator`` holds (see the module).

    Raises :class:`NothingToExport` when ``only`` does not fit the annotator, when the
    annotator has annotated none of ``refs``, or when ``only`` leaves nothing. Raises
    :class:`~tui.core.store.StoreError` for an annotator's store file that cannot be read.
    """
    status = _wanted_status(annotator, only)
    outlines = [(ref, store.document(ref.doc_id, annotator).outline()) for ref in refs]
    if not any(_annotated(outline) for _, outline in outlines):
        raise NothingToExport(_nobody_message(refs, store, annotator))
    if status is not None:
        return _marked(outlines, annotator, status, only or "")
    if annotator == GOLD:
        return _reviewed_at_all(outlines)
    return _everything(outlines, annotator)


def _wanted_status(annotator: str, only: str | None) -> Status | None:
    """The status ``only`` asks for; refused when it does not fit the annotator."""
    if only is None:
        return None
    if only not in ONLY:
        raise NothingToExport(f"--only {only!r}: use one of {', '.join(ONLY)}")
    if only == "reviewed" and annotator != GOLD:
        raise NothingToExport(
            f"--only reviewed is for --annotator {GOLD} (the documents the reviewer marked "
            f"reviewed); for {annotator!r} use --only done"
        )
    return Status.DONE  # the reviewer's "reviewed" is the gold layer's status done


def _annotated(outline: Outline) -> bool:
    return bool(outline.keys or outline.decided) or outline.status is not Status.NEW


def _marked(
    outlines: list[tuple[DocumentRef, Outline]], annotator: str, status: Status, only: str
) -> Selection:
    """The documents ``annotator`` gave ``status``; refused when there are none."""
    kept = [ref for ref, outline in outlines if outline.status is status]
    who = "the reviewer" if annotator == GOLD else repr(annotator)
    total = counted(len(outlines), "document")
    if not kept:
        raise NothingToExport(f"nothing to export: {who} marked none of the {total} {only}")
    left = len(outlines) - len(kept)
    notes = [f"left out {left:,} of {total} not marked {only}"] if left else []
    return Selection(kept, notes)


def _reviewed_at_all(outlines: list[tuple[DocumentRef, Outline]]) -> Selection:
    """The gold layer's documents with anything reviewed; the others counted."""
    kept = [(ref, outline) for ref, outline in outlines if _annotated(outline)]
    notes = []
    left = len(outlines) - len(kept)
    if left:
        total = counted(len(outlines), "document")
        notes.append(
            f"left out {left:,} of {total} never reviewed (the gold layer has nothing of them "
            "yet: review them first)"
        )
    unfinished = sum(1 for _, outline in kept if outline.status is not Status.DONE)
    if unfinished:
        notes.append(
            f"exported {counted(unfinished, 'document')} not marked reviewed yet "
            "(--only reviewed leaves them out)"
        )
    return Selection([ref for ref, _ in kept], notes)


def _everything(outlines: list[tuple[DocumentRef, Outline]], annotator: str) -> Selection:
    """Every document; those the annotator has not touched counted."""
    untouched = sum(1 for _, outline in outlines if not _annotated(outline))
    notes = []
    if untouched:
        total = counted(len(outlines), "document")
        notes.append(
            f"exported {untouched:,} of {total} with nothing of {annotator!r} in them "
            f"(--only done keeps only those {annotator!r} marked done)"
        )
    return Selection([ref for ref, _ in outlines], notes)


def _nobody_message(refs: Sequence[DocumentRef], store: Store, annotator: str) -> str:
    """Why an export of ``annotator`` is refused, naming who has annotations instead."""
    if not refs:
        return "no documents to export"
    others = sorted({name for ref in refs for name in store.annotators(ref.doc_id)})
    others = [name for name in others if name != annotator]
    where = f"no annotations by {annotator!r} of these {counted(len(refs), 'document')}"
    if not others:
        return f"{where} in {store.root}, nor by anyone else (another --store?)"
    return f"{where} in {store.root}; annotations there are by {', '.join(map(repr, others))}"
