"""The skim screen: only the sentences holding spans, document after document.

A reviewer reads the annotations of many documents in one scroll; ``Enter`` opens the
document at that sentence, ``Esc`` goes back. Sentences are plain text (never markup),
made safe for the terminal, with each span on its label's colour.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.labels import Label, readable_on
from tui.core.skim import SkimLine
from tui.core.text import display_safe

__all__ = ["SkimDocument", "SkimScreen", "SkimTarget"]

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
        Binding("escape,q", "dismiss_skim", "Back"),
    ]

    def __init__(
        self, documents: Sequence[SkimDocument], labels: Sequence[Label], note: str = ""
    ) -> None:
        super().__init__()
        self.documents = documents
        self.labels = {label.name: label.colour for label in labels}
        self.note = note
        self.targets: list[SkimTarget | None] = []

    def compose(self) -> ComposeResult:
        """A header line, then the sentences."""
        count = sum(len(document.lines) for document in self.documents)
        header = (
            f"略读 skim · {_counted(count, 'sentence')} in "
            f"{_counted(len(self.documents), 'document')}"
        )
        header += f" · {self.note}" if self.note else ""
        yield Static(Text(header + " · Enter opens · Esc back", no_wrap=True), id="skim-header")
        yield OptionList(*self._options())

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
        sentence = Text(f"{line.start:>9,}  ", style="dim", no_wrap=True, overflow="ellipsis")
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

    def action_dismiss_skim(self) -> None:
        """Back to where skimming began."""
        self.dismiss(None)


def _counted(count: int, noun: str) -> str:
    """``1 sentence``, ``2 sentences``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
