"""The biaozhu application object, for the command line, tests and embedding."""

from __future__ import annotations

import asyncio
import os
import signal
from typing import TYPE_CHECKING, ClassVar

# Textual ≥ 8.2.7 enables the kitty keyboard protocol, which garbles long IME commits
# (DESIGN §8). This must happen before Textual reads its constants.
os.environ.setdefault("TEXTUAL_DISABLE_KITTY_KEY", "1")

from collections.abc import Mapping, Sequence
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding, BindingType
from textual.driver import Driver
from textual.notifications import SeverityLevel

from tui.collector import IdleCollector
from tui.core.assign import AnnotatorQueue, annotator_queue
from tui.core.corpus import discover, id_root
from tui.core.labels import DEFAULT_LABELS, DEFAULT_SUGGESTIONS, Label

if TYPE_CHECKING:
    from tui.core.relations.schema import Schema
    from tui.hangup import TerminalWatch
from tui.core.script import variant_pair
from tui.core.segment import Segmenter
from tui.core.spans import check_annotator
from tui.core.text import display_safe
from tui.screens.main import MainScreen

#: What help says of ``q``: where it quits, and where it is typed instead.
QUIT_HELP = "Quit from anywhere; in a text box (filter, search, note) q is typed: Esc first"
#: What help says of ``H``.
GUIDELINES_HELP = "Guidelines (--guidelines FILE.md) from anywhere; again or Esc: close"


class ReaderApp(App[None]):
    """Read and annotate the documents found under ``paths``.

    ``paths`` are files or directories (read recursively); ``store`` is the annotation
    folder and ``annotator`` the name saved with each annotation. ``variant`` picks the
    OpenCC conversion pair for the script toggle; ``labels`` are the labels on keys 1–9.
    With ``review`` the annotator is a reviewer deciding on every annotator's layer (the
    gold layer); with ``read_only`` nothing is ever written. Raises
    :class:`~tui.core.corpus.CorpusError` for a missing path, ``ValueError`` for an
    unknown variant, :class:`~tui.core.spans.AnnotatorError` for an annotator named like
    the gold layer and :class:`~tui.core.review.ReviewerError` for a reviewer named like
    an annotator.
    """

    TITLE = "biaozhu 标注"
    ENABLE_COMMAND_PALETTE = False
    # Notifications stand above the label bar, the status line and the key hints, so
    # they never cover the status line (at 80×24 they would otherwise sit on it).
    CSS = """
    ToastRack {
        margin-bottom: 3;
    }
    ReviewScreen ToastRack {
        margin-bottom: 4;  /* the version bar too */
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "quit", show=False),
        # A priority binding reaches past modal screens (help, agreement); Textual drops
        # it where the focused widget types the key (a text box), so q is typed there.
        Binding("q", "quit", QUIT_HELP, priority=True),
        # The guidelines, like q, over every screen (and typed in a text box).
        Binding("H", "guidelines", GUIDELINES_HELP, priority=True),
    ]

    def __init__(
        self,
        paths: Sequence[Path],
        *,
        store: Path,
        annotator: str,
        variant: str = "s2t",
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        segmenter: Segmenter | None = None,
        review: bool = False,
        read_only: bool = False,
        suggesting: Mapping[str, str] | None = None,
        notices: Sequence[str] = (),
        schema: Schema | None = None,
        guidelines: Path | None = None,
    ) -> None:
        """``suggesting`` maps jieba part-of-speech tags to the labels suggested for them
        (default: :data:`tui.core.labels.DEFAULT_SUGGESTIONS`); ``notices`` are one-line
        warnings shown as toasts once the app is up (a labels file's colours); ``schema``
        the relation, chain, category and attribute types (none by default: the labels
        file's, see :mod:`tui.core.relations.schema`); ``guidelines`` the Markdown file
        ``H`` shows (read when opened: a missing file is said then, not here)."""
        super().__init__()
        variant_pair(variant)
        self.review = review
        self.read_only = read_only
        self.paths = list(paths)
        self.store = store
        self.annotator = annotator
        self.variant = variant
        self.labels = labels
        #: Relation, chain, category and attribute types (empty: span labels only).
        self.schema = schema if schema is not None else _labels_only(labels)
        self.suggesting = dict(DEFAULT_SUGGESTIONS if suggesting is None else suggesting)
        self.segmenter = segmenter or Segmenter()
        self.notices = list(notices)
        self.guidelines = guidelines
        if not review:
            check_annotator(annotator)
        self.refs = discover(self.paths, id_root(store))
        #: The annotator's queue in the store's assignment (none: the whole list).
        self.queue = AnnotatorQueue() if review else self._queue_of(annotator)
        self.collector = IdleCollector()
        self._hung_up = False
        if review:
            from tui.core.review import check_reviewer
            from tui.core.store import Store

            check_reviewer(annotator, Store(store), self.refs)

    def _queue_of(self, annotator: str) -> AnnotatorQueue:
        """The annotator's queue (:mod:`tui.core.assign`); someone not in the assignment
        reads without writing, told once as a toast."""
        queue = annotator_queue(self.store, annotator, (ref.doc_id for ref in self.refs))
        if queue.notice is not None:
            self.notices.append(queue.notice)
        if queue.read_only is not None:
            self.read_only = True
        return queue

    def on_mount(self) -> None:
        """Full garbage collections wait for a pause in the input (:mod:`tui.collector`);
        a terminal that goes away ends the app as ``q`` would (:mod:`tui.hangup`)."""
        self.collector.start()
        self.set_interval(0.5, self.collector.tick, name="idle collector")
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=15)
        if not self.is_headless:
            self._watch_terminal()

    def get_driver_class(self) -> type[Driver]:
        """Textual's terminal driver, drawing through :class:`~tui.hangup.TerminalOutput`
        on Linux and macOS (a dead terminal must not stop the app from quitting)."""
        driver_class = super().get_driver_class()
        if driver_class.__name__ == "LinuxDriver":
            from tui.hangup import TerminalDriver

            return TerminalDriver
        return driver_class

    def _watch_terminal(self) -> None:
        from tui.hangup import TerminalDriver, TerminalWatch

        driver = self._driver
        output = driver.output if isinstance(driver, TerminalDriver) else None
        watch = TerminalWatch(output=output)
        if watch.watching:
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
            self.set_interval(1.0, lambda: self._check_terminal(watch), name="terminal")

    def _check_terminal(self, watch: TerminalWatch) -> None:
        if watch.gone():
            self.hang_up()

    def hang_up(self) -> None:
        """The terminal has gone: note the reading position (every change is saved) and
        end, as ``q`` does. Once: SIGHUP and the watch may both report it."""
        if not self._hung_up:
            self._hung_up = True
            self.run_worker(self.action_quit(), group="hang up")

    def on_unmount(self) -> None:
        """Python collects garbage by its own rule again."""
        self.collector.stop()

    async def on_event(self, event: events.Event) -> None:
        """Note every key and mouse event (the user is busy), then handle it as usual."""
        if isinstance(event, events.Key | events.MouseEvent):
            self.collector.input_seen()
        await super().on_event(event)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast; every toast of every screen and widget comes through here.

        Toasts name files, labels and notes, so they are plain text (``markup`` is
        ignored: never markup) with control characters made visible (DESIGN §3).
        """
        super().notify(
            display_safe(message),
            title=display_safe(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    async def action_quit(self) -> None:
        """Quit from any screen; every change is already saved, the reading position is
        noted here."""
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                screen.leave_document()
        self.exit()

    def action_guidelines(self) -> None:
        """Open the guidelines over the current screen, or close them (``H``)."""
        from tui.screens.guidelines import toggle_guidelines

        toggle_guidelines(self, self.guidelines)

    def get_default_screen(self) -> MainScreen:
        """The list and the reading pane (over the gold layer when reviewing)."""
        if self.review:
            from tui.screens.review import ReviewScreen

            return ReviewScreen(
                self.refs,
                reviewer=self.annotator,
                variant=self.variant,
                segmenter=self.segmenter,
                store=self.store,
                labels=self.labels,
                read_only=self.read_only,
                suggesting=self.suggesting,
            )
        return MainScreen(
            self.refs,
            variant=self.variant,
            segmenter=self.segmenter,
            store=self.store,
            annotator=self.annotator,
            labels=self.labels,
            read_only=self.read_only,
            suggesting=self.suggesting,
            queue=self.queue,
        )


def _labels_only(labels: tuple[Label, ...]) -> Schema:
    """A schema of ``labels`` and nothing else (no relations, chains, categories)."""
    from tui.core.relations.schema import Schema

    return Schema(labels=labels)
