"""Which documents an export holds: only what someone annotated (issue 11).

A document is *annotated* by an annotator when their store file of it holds a span, a status
other than new, or (gold layer) a decided disagreement; a file with only a reading position
is not. An export of an annotator with nothing annotated is refused, naming who has
annotations, so a misspelt name never makes a training set of empty documents.

- ``only="done"``: the documents the annotator marked done, spans or not (a document
  marked done without spans genuinely has no entities).
- ``only="reviewed"``: the gold layer's documents the reviewer marked reviewed (the gold
  file's status done); refused for any other annotator.
- no ``only``: every document for an annotator (as before), but for the gold layer only
  the documents reviewed at all: one never reviewed has no gold spans, and exported as
  "no entities" it would be a false negative in every training set made from it.

The export streams: a :class:`Selector` decides document by document from the state the
export loads anyway (one read per file), and :meth:`Selector.finish` refuses, at the end
and before anything is moved into place, an export that held nothing annotated. What was
left out is counted in :meth:`Selector.notes`, one line each, for stderr.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from tui.core.corpus import DocumentRef
from tui.core.review import GOLD
from tui.core.spans import Status
from tui.core.store import DocumentState, Store
from tui.core.wording import counted

__all__ = ["ONLY", "NothingToExport", "Selector", "check_annotator_known"]

#: ``--only`` choices: documents marked done (by the annotator), or reviewed (gold).
ONLY = ("done", "reviewed")


class NothingToExport(Exception):
    """The export would hold nothing anyone annotated; ``str(error)`` says why, in one line."""


def check_annotator_known(refs: Sequence[DocumentRef], store: Store, annotator: str) -> None:
    """Refuse at once an annotator without a single store file of ``refs`` (a misspelt
    name, the wrong ``--store``), naming who has annotations there."""
    # lexists: a broken link in place of a file is reported by the reader, not ignored.
    if not any(os.path.lexists(store.path_for(ref.doc_id, annotator)) for ref in refs):
        raise NothingToExport(_nobody_message(refs, store, annotator))


class Selector:
    """Decides, one document at a time, whether an export of ``annotator`` holds it."""

    def __init__(
        self, refs: Sequence[DocumentRef], store: Store, annotator: str, only: str | None
    ) -> None:
        """Raises :class:`NothingToExport` when ``only`` does not fit the annotator."""
        self._refs, self._store, self._annotator = refs, store, annotator
        self._only = _checked_only(annotator, only)
        self._seen = self._annotated = self._kept = 0
        self._kept_unfinished = 0  # kept but not marked done (reviewed, for gold)

    def keep(self, state: DocumentState) -> bool:
        """Whether the export holds the document whose saved state is ``state``."""
        self._seen += 1
        links = state.links
        annotated = (
            bool(state.spans or state.decided or links.relations or links.categories)
            or state.status is not Status.NEW
        )
        self._annotated += annotated
        if self._only is not None:
            kept = state.status is Status.DONE
        else:
            kept = annotated or self._annotator != GOLD
        self._kept += kept
        self._kept_unfinished += kept and state.status is not Status.DONE
        return kept

    def finish(self) -> None:
        """Refuse an export that holds nothing annotated (called after the last document)."""
        if not self._annotated:
            raise NothingToExport(_nobody_message(self._refs, self._store, self._annotator))
        if not self._kept:
            who = "the reviewer" if self._annotator == GOLD else repr(self._annotator)
            raise NothingToExport(
                f"nothing to export: {who} marked none of the {self._total} {self._only}"
            )

    def notes(self) -> list[str]:
        """What was left out, or exported without anything of the annotator, one line each."""
        left, total = self._seen - self._kept, self._total
        if self._only is not None:
            return [f"left out {left:,} of {total} not marked {self._only}"] if left else []
        if self._annotator == GOLD:
            return self._gold_notes(left)
        untouched = self._seen - self._annotated
        if not untouched:
            return []
        name = repr(self._annotator)
        return [
            f"exported {untouched:,} of {total} with nothing of {name} in them "
            f"(--only done keeps only those {name} marked done)"
        ]

    def _gold_notes(self, left: int) -> list[str]:
        notes = []
        if left:
            notes.append(
                f"left out {left:,} of {self._total} never reviewed (the gold layer has "
                "nothing of them yet: review them first)"
            )
        if self._kept_unfinished:
            notes.append(
                f"exported {counted(self._kept_unfinished, 'document')} not marked reviewed "
                "yet (--only reviewed leaves them out)"
            )
        return notes

    @property
    def _total(self) -> str:
        return counted(self._seen, "document")


def _checked_only(annotator: str, only: str | None) -> str | None:
    """``only``, refused when it is unknown or does not fit the annotator."""
    if only is not None and only not in ONLY:
        raise NothingToExport(f"--only {only!r}: use one of {', '.join(ONLY)}")
    if only == "reviewed" and annotator != GOLD:
        raise NothingToExport(
            f"--only reviewed is for --annotator {GOLD} (the documents the reviewer marked "
            f"reviewed); for {annotator!r} use --only done"
        )
    return only  # for gold, "done" is "reviewed": the reviewer marks a document done


def _nobody_message(refs: Sequence[DocumentRef], store: Store, annotator: str) -> str:
    """Why an export of ``annotator`` is refused, naming who has annotations instead."""
    others = sorted({name for ref in refs for name in store.annotators(ref.doc_id)})
    others = [name for name in others if name != annotator]
    where = f"no annotations by {annotator!r} of these {counted(len(refs), 'document')}"
    if not others:
        return f"{where} in {store.root}, nor by anyone else (another --store?)"
    return f"{where} in {store.root}; annotations there are by {', '.join(map(repr, others))}"
