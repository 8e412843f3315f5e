"""Review's relation candidates: the relations annotators made that gold lacks (issue 14).

The review screen stops at each with ``J`` / ``K`` as at span disagreements (at its first
end in the text); with the cursor on an end of one and no span disagreement to decide
there, the version bar names it (who made it, both ends, the type), the reader marks its
ends, ``c`` shows the next one at the cursor, ``a`` accepts it into gold and ``X`` rejects
it. Each is one undo step. The logic is :mod:`tui.core.relations.review`'s; this module
keeps the open document's state and turns keys into calls on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.core.relations.describe import document_links
from tui.core.relations.review import (
    RelationCandidate,
    RelationReview,
    accepting,
    agreed_records,
    rejecting,
    relation_layers,
    undirected_types,
)
from tui.core.version_bar import VersionEntry

if TYPE_CHECKING:
    from tui.core.corpus import DocumentRef
    from tui.core.relations.schema import Schema
    from tui.core.review import LayerProblems
    from tui.core.session import Session
    from tui.core.store import Store

__all__ = ["RelationReviewer"]


class RelationReviewer:
    """The open document's relation candidates and the one shown at the cursor."""

    def __init__(self, schema: Schema, reviewer: str) -> None:
        self.reviewer = reviewer
        #: The relation types compared unordered.
        self.undirected = undirected_types(schema)
        #: Whether there is anything to review: the labels file declares relation types.
        self.active = bool(schema.relations)
        self.review: RelationReview | None = None
        #: Which candidate at the cursor is shown: (cursor, index among those there).
        self._shown = (-1, 0)
        self._pending: tuple[RelationCandidate, ...] = ()
        self._pending_key: tuple[object, ...] | None = None

    def load(
        self,
        store: Store,
        ref: DocumentRef,
        session: Session,
        problems: LayerProblems,
        *,
        first: bool,
    ) -> None:
        """Read the annotators' relations of the document opened in ``session``; on a
        ``first`` review, gold starts with the relations every annotator made."""
        self.review, self._pending_key, self._shown = None, None, (-1, 0)
        if not self.active:
            return
        review = RelationReview(relation_layers(store, ref, problems), self.undirected)
        self.review = review
        if first and review.agreed:
            spans = session.annotations.spans
            session.queue(None, agreed_records(review, spans, self.reviewer))

    # -- what is left ----------------------------------------------------------------------

    def pending(self, session: Session | None) -> tuple[RelationCandidate, ...]:
        """The candidates still to decide, in text order (worked out again only when gold's
        spans or links changed)."""
        if self.review is None or session is None:
            return ()
        links = document_links(session)
        key = (id(session), session.version, id(links))
        if key != self._pending_key:
            gold = self.review.gold_keys(session.annotations.spans, links)
            self._pending = self.review.pending(gold, links.verdicts)
            self._pending_key = key
        return self._pending

    def at(self, session: Session | None, cursor: int) -> list[RelationCandidate]:
        """The candidates with an end under ``cursor``."""
        return [found for found in self.pending(session) if found.touches(cursor)]

    def shown(self, session: Session | None, cursor: int) -> RelationCandidate | None:
        """The candidate at the cursor the bar shows (``c`` shows the next)."""
        here = self.at(session, cursor)
        if not here:
            return None
        return here[self._index(cursor) % len(here)]

    def show_first(self) -> None:
        """Show the first candidate at the cursor (``J`` / ``K`` arrived there)."""
        self._shown = (-1, 0)

    def next_shown(self, session: Session | None, cursor: int) -> bool:
        """Show the next candidate at the cursor; False when there is none."""
        here = self.at(session, cursor)
        if not here:
            return False
        self._shown = (cursor, (self._index(cursor) + 1) % len(here))
        return True

    def _index(self, cursor: int) -> int:
        """Which of the candidates at ``cursor`` is shown (the first, arriving there)."""
        return self._shown[1] if self._shown[0] == cursor else 0

    def stop(self, session: Session | None, cursor: int, step: int) -> int | None:
        """Where the next (``step`` 1) or previous (-1) candidate after ``cursor`` is."""
        positions = [found.position for found in self.pending(session)]
        if step > 0:
            return next((at for at in positions if at > cursor), None)
        return next((at for at in reversed(positions) if at < cursor), None)

    # -- deciding --------------------------------------------------------------------------

    def accept(self, session: Session, candidate: RelationCandidate) -> str | None:
        """Put ``candidate`` in gold (one undo step); the reason when it cannot be."""
        decided = accepting(
            candidate, session.annotations.spans, self.reviewer, session.links.state
        )
        if isinstance(decided, str):
            return decided
        names = ", ".join(candidate.annotators)
        session.change_links(*decided, f"accept {candidate.type} ({names})")
        return None

    def reject(self, session: Session, candidate: RelationCandidate) -> None:
        """Reject ``candidate``: never offered again in this document (one undo step)."""
        session.change_links(*rejecting(candidate, session.links.state), f"reject {candidate.type}")

    # -- showing ---------------------------------------------------------------------------

    def bar(self, session: Session, cursor: int, text: str) -> tuple[str, list[VersionEntry]]:
        """The version bar's state (``⇄ 2/5``) and entry for the candidate shown."""
        candidate = self.shown(session, cursor)
        assert candidate is not None
        pending = self.pending(session)
        state = f"⇄ {pending.index(candidate) + 1}/{len(pending)}"
        directed = candidate.type not in self.undirected
        link = f"{candidate.type} {'→' if directed else '—'}"
        ends = tuple((label, text[start:end]) for start, end, label in candidate.key[:2])
        return state, [VersionEntry(0, candidate.annotators, ends, link=link)]
