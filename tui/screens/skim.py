"""The skim screen: only the sentences holding spans, document after document.

A reviewer reads the annotations of many documents in one scroll; ``Enter`` opens the
document at that sentence, ``Esc`` goes back. A screen may offer several views of the
spans (review: the gold layer, or every layer); ``L`` goes round them. Sentences are
plain text (never markup), made safe for the terminal, with each span on its label's
colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tui.core import keyhints
from tui.core.labels import Label
from tui.core.palette import readable_on
from tui.core.skim import SkimLine
from tui.core.text import display_safe
from tui.widgets.status_bar import KeyHints

__all__ = ["SkimDocument", "SkimScreen", "SkimTarget", "SkimView"]

#: Characters of a sentence shown before it is cut with an ellipsis.
_SHOWN = 120


@dataclass(frozen=True, slots=True)
class SkimDocument:
    """One document's sentences with spans, and where it is in the list."""

    index: int
    doc_id: str
    text: str
    lines: Sequence[SkimLine]


@dataclass(frozen=True, slots=True)
class SkimView:
    """One way of skimming: its name in the header, and how its sentences are read."""

    name: str
    collect: Callable[[Callable[[], bool]], Sequence[SkimDocument]]


@dataclass(frozen=True, slots=True)
class SkimTarget:
    """Where Enter asked to go: a document (its list index) and an offset in it."""

    index: int
    offset: int


class SkimScreen(Screen[SkimTarget | None]):
    """Every sentence holding spans, grouped by document; Enter jumps there."""

    DEFAULT_CSS = """
    SkimScreen #skim-header {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    SkimScreen OptionList, SkimScreen OptionList:focus {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_skim", "Back"),
        Binding("L", "next_view", "Gold / every layer"),
        Binding("j", "move(1)", "Next sentence", show=False),
        Binding("k", "move(-1)", "Previous sentence", show=False),
        Binding("g", "move_to(0)", "First sentence", show=False),
        Binding("G", "move_to(-1)", "Last sentence", show=False),
    ]

    def __init__(
        self,
        views: Sequence[SkimView],
        labels: Sequence[Label],
        note: str = "",
    ) -> None:
        """Each view's ``collect(cancelled)`` reads the documents' sentences; it runs in a
        worker thread (reading 50 documents' stores takes a while) and stops when
        cancelled. The first view is shown first."""
        super().__init__()
        self.views = list(views)
        self.view = 0
        self.documents: Sequence[SkimDocument] = ()
        self.labels = {label.name: label.colour for label in labels}
        self.note = note
        self.targets: list[SkimTarget | None] = []
        #: Whether the sentences have been read and listed.
        self.ready = False

    def compose(self) -> ComposeResult:
        """A header line, then the sentences (once read)."""
        yield Static(self._header("reading the documents…"), id="skim-header")
        yield OptionList()
        yield KeyHints(keyhints.SKIM_LAYERS if len(self.views) > 1 else keyhints.SKIM)

    def on_mount(self) -> None:
        """Read the sentences without holding up the keys."""
        self.run_worker(self._read, thread=True, group="skim", exclusive=True)

    def action_next_view(self) -> None:
        """``L``: the next view of the spans (review: gold, or every layer), read anew."""
        if len(self.views) < 2:
            self.notify("only one view here", timeout=3)
            return
        self.view = (self.view + 1) % len(self.views)
        self.ready = False
        self.targets = []
        self.query_one(OptionList).clear_options()
        self.query_one("#skim-header", Static).update(self._header("reading the documents…"))
        self.run_worker(self._read, thread=True, group="skim", exclusive=True)

    def _read(self) -> None:
        worker = get_current_worker()
        documents = self.views[self.view].collect(lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, documents)

    def _show(self, documents: Sequence[SkimDocument]) -> None:
        self.documents = documents
        count = sum(len(document.lines) for document in documents)
        found = f"{_counted(count, 'sentence')} in {_counted(len(documents), 'document')}"
        self.query_one("#skim-header", Static).update(self._header(found))
        options = self.query_one(OptionList)
        options.add_options(self._options())
        options.highlighted = 1 if len(self.targets) > 1 else None
        self.ready = True

    def _header(self, found: str) -> Text:
        parts = ["略读 skim", found]
        if len(self.views) > 1:
            parts.append(f"{self.views[self.view].name} (L: {self._next_name()})")
        if self.note:
            parts.append(self.note)
        return Text(" · ".join(parts), no_wrap=True)  # the keys are on the hint line

    def _next_name(self) -> str:
        return self.views[(self.view + 1) % len(self.views)].name

    def _options(self) -> list[Option]:
        options: list[Option] = []
        for document in self.documents:
            title = Text(display_safe(document.doc_id), style="bold")
            options.append(Option(title, disabled=True))
            self.targets.append(None)
            for line in document.lines:
                options.append(Option(self._sentence(document.text, line)))
                self.targets.append(SkimTarget(document.index, line.spans[0][0]))
        return options

    def _sentence(self, text: str, line: SkimLine) -> Text:
        """``  1,234  sentence`` with each span on its label's colour."""
        end = min(line.end, line.start + _SHOWN)
        shown = display_safe(text[line.start : end]).replace("\n", " ").replace("\t", " ")
        # Only the offset is dim (a Text's own style would dim the sentence and its spans).
        sentence = Text(no_wrap=True, overflow="ellipsis")
        sentence.append(f"{line.start:>9,}  ", style="dim")
        body = Text(shown + ("…" if end < line.end else ""))
        for start, stop, label in line.spans:
            colour = self.labels.get(label, "#888888")
            style = Style(bgcolor=colour, color=readable_on(colour))
            body.stylize(style, max(0, start - line.start), max(0, min(stop, end) - line.start))
        sentence.append_text(body)
        return sentence

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a sentence: open its document there."""
        target = self.targets[event.option_index]
        if target is not None:
            self.dismiss(target)

    def action_move(self, step: int) -> None:
        """``j`` / ``k``: the next or previous sentence, as the arrow keys."""
        options = self.query_one(OptionList)
        if step > 0:
            options.action_cursor_down()
        else:
            options.action_cursor_up()

    def action_move_to(self, end: int) -> None:
        """``g`` / ``G``: the first or the last sentence."""
        options = self.query_one(OptionList)
        if end == 0:
            options.action_first()
        else:
            options.action_last()

    def action_dismiss_skim(self) -> None:
        """Back to where skimming began."""
        self.dismiss(None)


def _counted(count: int, noun: str) -> str:
    """``1 sentence``, ``2 sentences``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
