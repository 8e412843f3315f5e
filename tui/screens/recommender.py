"""The learning recommender in the app: the model's suggestions, retraining in the
background, and the doubt order of the list (issue 15).

At start the store's model (``[recommender] model``, default ``ner``) is loaded in a
worker; when it exists and knows only the annotator's labels, ``z`` shows its suggestions
beside jieba's, and the list gets a doubt column (worked out in the background). Every
``retrain_every`` spans added, changed or removed, and when a document is marked done, the
model is trained again in a child process (crfsuite holds the GIL: a thread would stall
the keys), from the layer the labels file names (default: the annotator's own), once it
has ``min_spans`` spans; the new model replaces the old one when it is saved. ``U`` puts
the list in doubt order: the documents not done the model is least sure of first.
The core is :mod:`tui.core.recommender`; this keeps the app's state and runs the work.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from tui.core.recommender.source import (
    ModelSource,
    RetrainPolicy,
    changed_spans,
    fits,
)
from tui.core.spans import Status

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from textual.app import App

    from tui.core.assign import AnnotatorQueue
    from tui.core.corpus import DocumentRef
    from tui.core.labels import Label
    from tui.core.recommender.model import Model
    from tui.core.recommender_config import RecommenderConfig
    from tui.core.session import Session
    from tui.core.store import Store
    from tui.core.suggest import SuggestionSource
    from tui.widgets.document_list import DocumentList, ListHeader
    from tui.widgets.reader_view import ReaderView

__all__ = ["Recommender", "RecommenderHost"]


class RecommenderHost(Protocol):
    """What the recommender needs of its screen (:class:`MainScreen`)."""

    refs: list[DocumentRef]
    annotator: str
    labels: tuple[Label, ...]
    #: The annotator's place in the store's assignment (blind: their own layer only).
    queue: AnnotatorQueue

    @property
    def reader(self) -> ReaderView:
        """The reading pane (Textual's services are reached through it)."""
        ...

    @property
    def store(self) -> Store:
        """The annotation store (the model lives in it)."""
        ...

    @property
    def documents(self) -> DocumentList:
        """The document list."""
        ...

    @property
    def list_header(self) -> ListHeader:
        """The list's column header."""
        ...

    def suggestion_sources_changed(self) -> None:
        """The sources of ``z`` changed (a model came or went): start their work anew."""
        ...

    def update_status_line(self) -> None:
        """Show the status line anew (it says what the model is doing)."""
        ...


class Recommender:
    """The model of one screen, its retraining and the list's doubt."""

    def __init__(self, host: RecommenderHost, config: RecommenderConfig) -> None:
        self.host = host
        self.config = config
        self.model: Model | None = None
        self.policy = RetrainPolicy(config.retrain_every)
        #: Why there is no model yet, for the status line and ``U`` (None: say nothing).
        self.waiting: str | None = None
        #: The session and spans version last counted, and its status then.
        self._counted: tuple[Session, int, Status] | None = None
        self._loaded_at = 0.0

    # -- the model -------------------------------------------------------------------------

    def start(self) -> None:
        """Load the store's model in the background (after the first paint), if it has
        one: without, crfsuite and the model's jieba are never loaded."""
        from tui.core.recommender.paths import card_path

        reader = self.host.reader  # the DOM is read here: never from the worker
        root, app = self.host.store.root, reader.app
        if card_path(root, self.config.model).exists():
            reader.run_worker(lambda: self._load(root, app), thread=True, group="model")

    def _load(self, root: Path, app: App[object]) -> None:
        from tui.core.recommender.model import ModelError, load_model

        try:
            model = load_model(root, self.config.model)
        except ModelError as error:
            app.call_from_thread(self._no_model, str(error))
            return
        app.call_from_thread(self._use, model, False)

    def _no_model(self, why: str) -> None:
        """A model file that cannot be used: said once; training will replace it."""
        self.host.reader.notify(f"{why}; a new one is trained as you label", timeout=8)

    def _use(self, model: Model, trained: bool) -> None:
        """Suggest with ``model`` from now on (when it knows only the annotator's labels),
        and work out the list's doubt with it."""
        names = [label.name for label in self.host.labels]
        if self.host.queue.blind and model.card.layer != self.host.annotator:
            # Blind: a model learnt from another's layer would suggest their spans.
            self.policy.note(done=True)  # the next change trains one on the annotator's
            return
        if not fits(model, names):
            extra = ", ".join(sorted(set(model.card.labels) - set(names)))
            self.host.reader.notify(
                f"model {self.config.model!r} knows labels this labels file has not "
                f"({extra}): not used; it is trained again as you label",
                severity="warning",
                timeout=8,
            )
            self.policy.note(done=True)  # the next change trains one of these labels
            return
        self.model, self._loaded_at = model, time.monotonic()
        self.waiting = None
        self.host.suggestion_sources_changed()
        self._work_out_doubts(model)
        if trained:
            self.host.reader.notify(f"model trained: {self.summary()}", timeout=5)

    def sources(self) -> list[SuggestionSource]:
        """The model as a suggestion source (none without a model)."""
        return [ModelSource(self.model)] if self.model is not None else []

    def summary(self) -> str:
        """``ner 14:05 F1 0.84``: the model's name, when it was trained, its held-out F1."""
        if self.model is None:
            return ""
        card = self.model.card
        when = _clock(card.trained_at)
        f1 = "" if card.scores is None else f" F1 {card.scores.micro.f1:.2f}"
        return f"{card.name} {when}{f1}"

    def status_part(self) -> str | None:
        """The status line's word on the model: training, or when it was trained and how
        well it did (None when there is nothing to say)."""
        if self.policy.training:
            return "training…"
        if self.model is not None:
            return self.summary()
        return self.waiting

    # -- retraining ------------------------------------------------------------------------

    def after_change(self, session: Session | None) -> None:
        """Count the spans changed since the last look and a document marked done; train
        when it is due (called after every key: cheap when nothing changed)."""
        if session is None or session.read_only is not None:
            return
        counted = self._counted
        self._counted = (session, session.version, session.status)
        if counted is None or counted[0] is not session:
            return
        if counted[1] != session.version:
            changes = session.changes_since(counted[1])
            self.policy.note(changed_spans(changes) if changes is not None else 1)
        if counted[2] is not Status.DONE and session.status is Status.DONE:
            self.policy.note(done=True)
        if self.policy.due:
            self.train()

    def train(self) -> None:
        """Train in a child process now (a worker waits for it)."""
        self.policy.started()
        self.host.update_status_line()
        reader, host = self.host.reader, self.host  # the DOM is read here, not in the worker
        root, app, refs = host.store.root, reader.app, list(host.refs)
        # Blind: only the annotator's own layer (not another's, nor the reviewers' gold).
        layer = host.annotator if host.queue.blind else self.config.layer or host.annotator
        reader.run_worker(
            lambda: self._train(root, app, refs, layer), thread=True, group="training"
        )

    def _train(self, root: Path, app: App[object], refs: list[DocumentRef], layer: str) -> None:
        from tui.core.recommender.background import train_in_subprocess
        from tui.core.recommender.model import ModelError, load_model
        from tui.core.recommender.train import TrainingError

        config = self.config
        try:
            train_in_subprocess(
                root,
                refs,
                layer,
                name=config.model,
                statuses=config.statuses,
                min_spans=config.min_spans,
            )
            model = load_model(root, config.model)
        except (TrainingError, ModelError) as error:
            app.call_from_thread(self._not_trained, str(error))
            return
        app.call_from_thread(self._trained, model)

    def _trained(self, model: Model) -> None:
        self.policy.finished()
        self._use(model, True)
        self.host.update_status_line()

    def _not_trained(self, why: str) -> None:
        """Too few spans yet: the status line says how many are needed; anything else is
        a warning (the previous model, if any, is still used)."""
        self.policy.finished()
        too_few = "needed before the first training" in why  # train_model's words
        if too_few:
            self.waiting = f"model: {self.config.min_spans} spans needed"
        self.host.update_status_line()
        if not too_few:
            self.host.reader.notify(f"training failed: {why}", severity="warning", timeout=8)

    # -- doubt -----------------------------------------------------------------------------

    def _work_out_doubts(self, model: Model) -> None:
        """The model's doubt of every listed document, in a worker, shown as it comes."""
        host = self.host
        refs: Sequence[DocumentRef] = list(host.refs)
        app = host.reader.app
        header = host.list_header

        def work() -> None:
            from textual.worker import get_current_worker

            from tui.core.corpus import DocumentError, load_document

            worker = get_current_worker()
            batch: dict[int, float] = {}
            sent = time.monotonic()
            for index, ref in enumerate(refs):
                if worker.is_cancelled or self.model is not model:
                    return
                try:
                    text = load_document(ref).text
                except DocumentError:
                    continue
                batch[index] = model.doubt(text.split("\n"))
                if time.monotonic() - sent > 0.2:
                    app.call_from_thread(self._show_doubts, header, batch)
                    batch, sent = {}, time.monotonic()
            app.call_from_thread(self._show_doubts, header, batch)

        host.reader.run_worker(work, thread=True, group="doubt", exclusive=True)

    def _show_doubts(self, header: ListHeader, doubts: dict[int, float]) -> None:
        self.host.documents.update_doubts(doubts)
        if not header.doubt:
            header.doubt = True
            header.refresh()

    def toggle_order(self) -> None:
        """``U``: the list in doubt order (least sure first), or back in its own order."""
        documents, reader = self.host.documents, self.host.reader
        if self.model is None:
            reader.tell(
                self.waiting or "no model yet: it is trained as you label (or biaozhu train)"
            )
            return
        on = documents.toggle_doubt_order()
        reader.tell("least sure first (U: back)" if on else "list in its own order")


def _clock(stamp: str) -> str:
    """``14:05`` today, ``12-03`` another day: when a model was trained, in local time."""
    try:
        when = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return "?"
    today = datetime.now().astimezone().date()
    return when.strftime("%H:%M") if when.date() == today else when.strftime("%m-%d")
