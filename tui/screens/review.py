"""The review screen: every annotator's layer of a document, and the reviewer's gold layer.

The reader shows the gold layer as spans (label colours) and the annotators' spans it
lacks as candidates (underlined in the label's colour); the status line says who marked
what under the cursor. ``J`` / ``K`` go to the next / previous disagreement (on to the
next document with one), ``c`` shows the next version of the disagreement under the
cursor, ``a`` accepts that version (or the candidate span under the cursor), ``X``
rejects the whole disagreement; label keys add the reviewer's own spans, ``x`` removes
one, ``u`` undoes. A document opened for review for the first time starts with the spans
every annotator agrees on accepted. Relations the annotators disagree on are stops of
``J`` / ``K`` too, decided with the same keys (:mod:`tui.screens.relation_review`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType

from tui.core import keyhints
from tui.core.corpus import DocumentInfo, DocumentRef
from tui.core.labels import DEFAULT_LABELS, Label
from tui.core.marks import ReviewFocus
from tui.core.relations.review import RelationCandidate
from tui.core.review import (
    GOLD,
    Decision,
    Decisions,
    LayerProblems,
    Version,
    document_layers,
    gold_decided,
    layer_outlines,
    open_gold,
    review_document,
)
from tui.core.segment import Segmenter
from tui.core.version_bar import marker_entries, version_entries
from tui.screens.main import MainScreen, SkimSpans
from tui.screens.relation_review import RelationReviewer
from tui.widgets.document_list import UNREADABLE, Progress, ReviewMarks
from tui.widgets.version_bar import VersionBar

if TYPE_CHECKING:
    from textual.widget import Widget

    from tui.core.reader import ReaderModel
    from tui.core.session import Opened, Session

__all__ = ["ReviewScreen"]

#: How many of the spans under the cursor the version bar names.
_SHOWN_MARKS = 3
#: The version bar where the cursor is on no disagreement and no candidate.
_BAR_HINT = "J K: disagreements · c: next version · a: accept · X: reject"


class ReviewScreen(MainScreen):
    """:class:`MainScreen` over the gold layer, with the annotators' layers to decide on."""

    reviewing = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("J", "jump_disagreement(1)", "Next disagreement"),
        Binding("K", "jump_disagreement(-1)", "Previous disagreement"),
        Binding("c", "next_version", "Next version of it (or relation)"),
        Binding("a", "accept", "Accept version / span / relation"),
        Binding("X", "reject", "Reject the disagreement / relation"),
        Binding("A", "agreement", "Agreement panel"),
    ]

    def __init__(
        self,
        refs: list[DocumentRef],
        *,
        reviewer: str,
        variant: str,
        segmenter: Segmenter,
        store: Path,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        read_only: bool = False,
        suggesting: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            refs,
            variant=variant,
            segmenter=segmenter,
            store=store,
            annotator=reviewer,
            labels=labels,
            read_only=read_only,
            suggesting=suggesting,
        )
        self.reviewer = reviewer
        #: Which version of the disagreement under the cursor is shown: (set index, version).
        self._shown: tuple[int, int] | None = None
        #: What the open document's list marks were last worked out for.
        self._marks_key: tuple[object, ...] | None = None
        #: The decided, not stale, extents, and what they were worked out for.
        self._settled: frozenset[tuple[int, int]] = frozenset()
        self._settled_key: tuple[object, ...] | None = None

    @cached_property
    def relations(self) -> RelationReviewer:
        """The open document's relation candidates (none unless the labels file declares
        relation types)."""
        from tui.screens.categories import schema_of

        return RelationReviewer(schema_of(self.app), self.reviewer)

    def _start_background_work(self) -> None:
        """The relation review is made here, on the interface thread (it reads the app's
        schema), before the list's workers count each document's candidates."""
        self.relations  # noqa: B018
        super()._start_background_work()

    def bars_above_labels(self) -> Iterator[Widget]:
        """The version bar: who marked what at the cursor."""
        yield VersionBar()

    # -- opening ---------------------------------------------------------------------------

    def _open_annotations(self, ref: DocumentRef, text: str) -> Opened:
        """The gold layer of ``ref``, started with the agreed spans on first review."""
        problems = LayerProblems()
        review = review_document(document_layers(self.store, ref.doc_id, problems))
        self.reader.review = review
        self._shown = None
        opened = open_gold(
            self.store, ref.doc_id, self.reviewer, text, review, self.read_only_reason
        )
        first = not opened.session.saved
        self.relations.load(self.store, ref, opened.session, problems, first=first)
        for message in dict.fromkeys(problems.messages):
            self.notify(f"{message}; that layer is left out", severity="warning", markup=False)
        if first:  # a first review's agreed spans and relations: saved after the paint
            self.call_after_refresh(self._save_pending, opened.session)
        return opened

    def _save_pending(self, session: Session) -> None:
        session.retry()
        self._update_status()

    def _review_marks(self, ref: DocumentRef, info: DocumentInfo) -> ReviewMarks | None:
        """Annotators done, agreement and disagreements of one document (in a worker)."""
        from tui.core.agreement import DocumentLayers, agreement
        from tui.core.spans import Status

        outlines = layer_outlines(self.store, ref.doc_id, LayerProblems())
        layers = {name: outline.keys for name, outline in outlines.items()}
        done = sum(1 for outline in outlines.values() if outline.status is Status.DONE)
        score = agreement([DocumentLayers(ref.doc_id, info.length, layers)]).mean_exact_f1
        undecided = review_document(layers).undecided(gold_decided(self.store, ref.doc_id))
        undecided += self._undecided_relations(ref, linked=any(o.linked for o in outlines.values()))
        return ReviewMarks(done, len(layers), score, undecided)

    def _undecided_relations(self, ref: DocumentRef, *, linked: bool) -> int:
        """The relation candidates of ``ref`` left to decide (no file read when no
        annotator's file holds links)."""
        from tui.core.relations.review import undecided_relations

        if not linked or not self.relations.active:
            return 0
        undirected = self.relations.undirected
        return undecided_relations(self.store, ref, undirected, LayerProblems())

    def _refresh_undecided(self) -> None:
        """Keep the open document's "to decide" count in the list true to its decisions.

        Decisions change nothing else the list shows, and the layers are at hand: no file
        is read, so this can follow every key.
        """
        session, index, review = self.reader.session, self.current, self.reader.review
        if session is None or index is None or review is None:
            return
        relations = self.relations.pending(session)
        decided = (frozenset(session.decided), tuple(session.decided_on.items()))
        key = (id(session), decided, relations)
        marks = self.documents.entries[index].marks
        if key == self._marks_key or marks is None:
            return
        self._marks_key = key
        to_decide = review.undecided(self._decided()) + len(relations)
        self.documents.update_marks(index, marks._replace(disagreements=to_decide))

    def action_refresh_document(self) -> None:
        """Reload as the reader does; then the list's marks, as others may have worked on."""
        super().action_refresh_document()
        index = self.current
        if index is None or (info := self.documents.entries[index].info) is None:
            return
        ref = self.refs[index]

        def update() -> None:
            marks = self._review_marks(ref, info)
            if marks is not None:
                self.app.call_from_thread(self.documents.update_marks, index, marks)

        self.run_worker(update, thread=True, group="marks")

    def skim_views(self) -> list[tuple[str, SkimSpans]]:
        """Skimming in review shows the decisions (gold); ``L`` adds every annotator's."""
        return [("gold", self._gold_spans), ("gold and every layer", self._every_layer)]

    def _gold_spans(self, doc_id: str) -> frozenset[tuple[int, int, str]]:
        """The gold layer's spans: what was accepted, never what was rejected."""
        from tui.core.store import StoreError

        try:
            return self.store.document(doc_id, GOLD).span_keys()
        except StoreError:
            return frozenset()

    def _every_layer(self, doc_id: str) -> frozenset[tuple[int, int, str]]:
        """Every annotator's spans and the gold layer's."""
        layers = document_layers(self.store, doc_id, LayerProblems())
        return self._gold_spans(doc_id).union(*layers.values())

    def _progress(self, ref: DocumentRef) -> Progress | None:
        """The list shows the gold layer's count and the reviewer's status."""
        from tui.core.store import StoreError

        try:
            return self.store.summary(ref.doc_id, GOLD)
        except StoreError:
            return UNREADABLE  # listed with ⚑; opening it says why

    # -- disagreements ---------------------------------------------------------------------

    def action_jump_disagreement(self, step: int) -> None:
        """To the next (1) or previous (-1) disagreement or relation candidate; on to the
        next document's."""
        model = self.reader.model
        if model is not None and not self._stop_from(model.cursor, step):
            self._jump_to_document_with_disagreement(step)

    def _stop_from(self, offset: int, step: int) -> bool:
        """Go to the first disagreement or relation candidate after (``step`` 1) or before
        (-1) ``offset`` still to decide; False when there is none."""
        review = self.reader.review
        if review is None:
            return False
        decided = self._decided()
        if step > 0:
            found = review.next_set(offset, decided)
        else:
            found = review.previous_set(offset, decided)
        relation = self.relations.stop(self.reader.session, offset, step)
        if relation is not None and (
            found is None or _nearer(relation, review.sets[found].start, step)
        ):
            self._go_to_relation(relation)
        elif found is not None:
            self._go_to_set(found)
        return relation is not None or found is not None

    def _decided(self) -> Decisions:
        session = self.reader.session
        if session is None:
            return Decisions()
        return Decisions(frozenset(session.decided), session.decided_on)

    def _go_to_set(self, index: int) -> None:
        reader, review = self.reader, self.reader.review
        if reader.model is None or review is None:
            return
        reader.model.move_to(review.sets[index].start)
        self._shown = (index, 0)
        reader.focus()
        reader.refresh_view()

    def _go_to_relation(self, offset: int) -> None:
        reader = self.reader
        if reader.model is None:
            return
        reader.model.move_to(offset)
        self.relations.show_first()
        reader.focus()
        reader.refresh_view()

    def _jump_to_document_with_disagreement(self, step: int) -> None:
        """Open the next (or previous) document in the list that has a disagreement."""
        shown = self.documents.shown
        if self.current not in shown:
            return
        position = shown.index(self.current) + step
        while 0 <= position < len(shown):
            index = shown[position]
            if self._has_undecided(self.refs[index]):
                self.open_document(index)
                self._first_stop(step)
                return
            position += step
        self.notify(
            "no more disagreements to decide" + (" after this" if step > 0 else " before this")
        )

    def _first_stop(self, step: int) -> None:
        """In a document just opened: to its first (``step`` 1) or last disagreement."""
        self._stop_from(-1 if step > 0 else sys.maxsize, step)

    def _has_undecided(self, ref: DocumentRef) -> bool:
        """Whether a document has a disagreement or relation the gold layer has not
        decided."""
        doc_id = ref.doc_id
        outlines = layer_outlines(self.store, doc_id, LayerProblems())
        review = review_document({name: outline.keys for name, outline in outlines.items()})
        if review.sets and review.undecided(gold_decided(self.store, doc_id)) > 0:
            return True
        return self._undecided_relations(ref, linked=any(o.linked for o in outlines.values())) > 0

    def _current_versions(self) -> tuple[int, list[Version], int] | None:
        """The disagreement under the cursor, its versions, and which one is shown."""
        review, model = self.reader.review, self.reader.model
        if review is None or model is None:
            return None
        index = review.set_at(model.cursor)
        if index is None:
            return None
        versions = review.versions(index)
        shown = self._shown[1] if self._shown is not None and self._shown[0] == index else 0
        return index, versions, shown % len(versions)

    def _relation_here(self) -> RelationCandidate | None:
        """The relation candidate the bar shows at the cursor: there is one with an end
        here, and no span disagreement here left to decide (those come first: a relation
        is accepted between gold spans)."""
        model, review = self.reader.model, self.reader.review
        if model is None or review is None:
            return None
        index = review.set_at(model.cursor)
        if index is not None and not review.is_decided(index, self._decided()):
            return None
        return self.relations.shown(self.reader.session, model.cursor)

    def action_next_version(self) -> None:
        """Show the next version of the disagreement under the cursor (or the next
        relation candidate there)."""
        model = self.reader.model
        if self._relation_here() is not None and model is not None:
            self.relations.next_shown(self.reader.session, model.cursor)
            self._update_status()
            return
        current = self._current_versions()
        if current is not None:
            index, versions, shown = current
            self._shown = (index, (shown + 1) % len(versions))
            self._update_status()

    def action_accept(self) -> None:
        """Accept the shown version of the disagreement, or the candidate under the cursor."""
        session, model, review = self.reader.session, self.reader.model, self.reader.review
        if session is None or model is None or review is None:
            return
        relation = self._relation_here()
        current = self._current_versions()
        if relation is not None:
            refused = self.relations.accept(session, relation)
            if refused is not None:
                self.reader.tell(refused)
        elif current is not None:
            index, versions, shown = current
            found, version = review.sets[index], versions[shown]
            names = ", ".join(version.annotators)
            session.decide(
                found.start,
                found.end,
                version.spans,
                f"accept {names}",
                accepted_from=version.annotators,
                basis=review.fingerprint(index),
            )
        else:
            for (start, end, label), _ in review.marked_at(model.cursor):
                if session.add(start, end, label) is not None:
                    break
        self.reader.refresh_view()
        self._update_status()

    def action_reject(self) -> None:
        """Reject every span of the disagreement under the cursor (or the relation
        candidate shown there)."""
        session, current = self.reader.session, self._current_versions()
        relation = self._relation_here()
        if session is not None and relation is not None:
            self.relations.reject(session, relation)
            self.reader.refresh_view()
            self._update_status()
            return
        if session is None or current is None or self.reader.review is None:
            return
        review = self.reader.review
        found = review.sets[current[0]]
        basis = review.fingerprint(current[0])
        session.decide(found.start, found.end, (), "reject the disagreement", basis=basis)
        self.reader.refresh_view()
        self._update_status()

    def action_agreement(self) -> None:
        """Agreement among the annotators of the listed documents."""
        from tui.core.agreement_report import panel_lines
        from tui.core.relations.agreement import corpus_links
        from tui.core.review import acceptance_lines, corpus_layers
        from tui.core.text import display_safe
        from tui.screens.agreement import AgreementScreen

        refs = [self.refs[index] for index in self.documents.shown]
        store = self.store

        def figures() -> list[str]:
            problems = LayerProblems()
            layers = list(corpus_layers(refs, store, problems))
            lines = panel_lines(layers, corpus_links(refs, store, problems))
            if accepted := acceptance_lines(refs, store, problems):
                lines += ["", *(display_safe(line) for line in accepted)]
            return lines + [f"left out: {display_safe(m)}" for m in problems.messages]

        self.app.push_screen(AgreementScreen(figures))

    # -- the status line -------------------------------------------------------------------

    def extra_help(self) -> list[tuple[str, list[BindingType]]]:
        """The review keys, in a section of their own."""
        return [(keyhints.REVIEW.title, ReviewScreen.BINDINGS)]

    def reader_panel(self) -> keyhints.Panel:
        """Review's own keys (the word panel's, while it is open)."""
        panel = super().reader_panel()
        return keyhints.REVIEW if panel is keyhints.READER else panel

    def _update_status(self) -> None:
        """The version bar and what the reader draws in full follow the cursor too."""
        self._show_versions()
        super()._update_status()

    def _show_versions(self) -> None:
        """Draw the version shown in full (the others faintly) and list them in the bar."""
        review, model, reader = self.reader.review, self.reader.model, self.reader
        bars = self.query(VersionBar)
        if review is None or model is None or not bars:
            return
        current = self._current_versions()
        decided = self._settled_extents()
        team = tuple(review.layers)
        relation = self._relation_here()
        session = reader.session
        self._mark_relation_ends(relation)
        if relation is not None and session is not None:
            reader.set_overlays(review_focus=ReviewFocus(decided=decided))
            state, entries = self.relations.bar(session, model.cursor, model.text)
            bars.first().show(state, entries, team)
            return
        if current is None:
            reader.set_overlays(review_focus=ReviewFocus(decided=decided))
            marked = review.marked_at(model.cursor)[:_SHOWN_MARKS]
            if marked:
                bars.first().show("", marker_entries(marked, model.text), team)
            else:
                bars.first().show_hint(_BAR_HINT)
            return
        index, versions, shown = current
        found = review.sets[index]
        spans = versions[shown].spans
        reader.set_overlays(review_focus=ReviewFocus((found.start, found.end), spans, decided))
        decision, changed = review.decision(index, self._decided())
        state = f"{decision.value} {index + 1}/{len(review.sets)}"
        if decision is Decision.STALE:
            state += f" (since decided: {changed})"
        entries = version_entries(versions, shown, model.text)
        bars.first().show(state, entries, team)

    def _mark_relation_ends(self, relation: RelationCandidate | None) -> None:
        """The reader marks the shown relation candidate's ends (as a gold span's other
        ends are marked)."""
        ends = relation.extents if relation is not None else ()
        if ends or "linking" in self.__dict__:
            self.linking.review_ends = ends

    def _settled_extents(self) -> frozenset[tuple[int, int]]:
        """The extents of the disagreements decided and still as they were (stale ones are
        drawn like undecided ones); worked out again only when a decision or layer changes."""
        review, decided = self.reader.review, self._decided()
        if review is None:
            return frozenset()
        key = (id(review), decided.extents, tuple(decided.basis.items()))
        if self._settled_key != key:
            self._settled = frozenset(
                (found.start, found.end)
                for index, found in enumerate(review.sets)
                if review.is_decided(index, decided)
            )
            self._settled_key = key
        return self._settled

    def _decision(self, index: int) -> Decision:
        review = self.reader.review
        assert review is not None
        return review.decision(index, self._decided())[0]

    def _position_parts(self, model: ReaderModel) -> tuple[list[str], int]:
        """The usual parts, with the disagreement and version shown kept among the
        essential ones (the version bar says who marked what)."""
        parts, essential = super()._position_parts(model)
        review = self.reader.review
        if review is None:
            return parts, essential
        self._refresh_undecided()
        current = self._current_versions()
        relation = self._relation_here()
        if relation is not None:
            pending = self.relations.pending(self.reader.session)
            parts.insert(essential, f"⇄{pending.index(relation) + 1}/{len(pending)}")
            essential += 1
        elif current is not None:
            index, versions, shown = current
            state = self._decision(index).value
            parts.insert(
                essential,
                f"{state}{index + 1}/{len(review.sets)} v{shown + 1}/{len(versions)}",
            )
            essential += 1
        return parts, essential


def _nearer(offset: int, other: int, step: int) -> bool:
    """Whether ``offset`` comes before ``other`` going ``step`` (1 forward, -1 back); a
    span disagreement at the same place comes first."""
    return offset < other if step > 0 else offset > other
