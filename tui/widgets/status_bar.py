"""The status line under the reading pane, and the key-hint line under everything.

Both are single lines drawn with the Line API and never trigger a layout: a status update
on every keystroke must cost one short line over SSH, not a re-layout of the screen
(which repaints the reader's padding and scrollbar on every row). When only the cursor
position changes and its width stays the same, only the right-hand field is repainted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.core.keyhints import Hint, Panel, fit_hints
from tui.core.labels import Label
from tui.core.linebreak import text_cells
from tui.core.palette import readable_on
from tui.core.statusline import SEPARATOR, fit_status
from tui.core.text import display_safe


class StatusBar(Widget):
    """Document name and script on the left; position and word on the right."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
        color: $text;
    }
    StatusBar > .status-bar--position {
        color: $text-muted;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"status-bar--position"}

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document = ""
        #: The right side whole (see :meth:`show_position`).
        self.position = ""
        self._parts: tuple[str, ...] = ()
        self._essential = 0

    def show_document(self, name: str, script: str) -> None:
        """Name the document (untrusted text: shown verbatim, controls made visible)."""
        document = f"{display_safe(name)}  [{script}]" if name else ""
        if document != self.document:
            self.document = document
            self.refresh()

    def show_position(self, parts: Sequence[str], essential: int = 1) -> None:
        """Show the right side's ``parts``, most important first: the first ``essential``
        (save mark, mode, cursor position) stay; the rest go from the end when they do not
        fit (see :func:`tui.core.statusline.fit_status`)."""
        safe = tuple(display_safe(part) for part in parts)
        if safe == self._parts and essential == self._essential:
            return
        self._parts, self._essential = safe, essential
        self.position = SEPARATOR.join(safe)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        """The one line: document on the left, position on the right."""
        width = self.size.width
        style = self.rich_style
        if y != 0:
            return Strip.blank(width, style)
        left, right = fit_status(self.document, self._parts, self._essential, max(0, width - 2))
        right_cells = text_cells(right)
        gap = max(0, width - 1 - text_cells(left) - right_cells - 1)
        position_style = style + self.get_component_rich_style("status-bar--position")
        segments = [
            Segment(" " + left + " " * gap, style),
            Segment(right, position_style),
            Segment(" ", style),
        ]
        return Strip(segments).crop_extend(0, width, style)


class KeyHints(Widget):
    """A line of the focused panel's most useful keys (``?`` lists them all).

    The hints are :mod:`tui.core.keyhints` data; entries that do not fit the width are
    left out whole, the least useful first.
    """

    DEFAULT_CSS = """
    KeyHints {
        height: 1;
        color: $text-muted;
    }
    KeyHints > .key-hints--key {
        color: $accent;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"key-hints--key"}

    def __init__(self, panel: Panel | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.panel = panel

    def show(self, panel: Panel) -> None:
        """Show ``panel``'s keys."""
        if panel != self.panel:
            self.panel = panel
            self.refresh()

    @property
    def shown(self) -> list[Hint]:
        """The entries that fit the line now."""
        return fit_hints(self.panel, self.size.width) if self.panel is not None else []

    def render_line(self, y: int) -> Strip:
        """Keys in the accent colour, each followed by what it does."""
        style = self.rich_style
        key_style = style + self.get_component_rich_style("key-hints--key")
        segments = [Segment(" ", style)]
        for key, description in self.shown:
            segments += [Segment(key, key_style), Segment(f" {description}  ", style)]
        return Strip(segments).crop_extend(0, self.size.width, style)


class LabelBar(Widget):
    """The labels, each on its own colour with its key: what 1–9 will do.

    Every label is always shown: with its whole description when all fit on one line (a
    wide terminal), else with the description's first word when those fit, else key and
    name only, and on a second line when even those do not fit.
    """

    DEFAULT_CSS = """
    LabelBar {
        height: 1;
    }
    """

    def __init__(self, labels: Sequence[Label], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = tuple(labels)
        self._lines: list[list[tuple[str, str, Label]]] = []
        self._laid_out_for = -1

    def on_resize(self) -> None:
        """Lay the labels out again for the new width (one line, or two)."""
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.size.width
        if width == self._laid_out_for:
            return
        self._laid_out_for = width
        self._lines = label_lines(self.labels, width)
        self.styles.height = max(1, len(self._lines))

    def render_line(self, y: int) -> Strip:
        """`` 1 PER 人名 `` per label, in the label's colours."""
        self._lay_out()
        style = self.rich_style
        segments = [Segment(" ", style)]
        for key, shown, label in self._lines[y] if y < len(self._lines) else []:
            colour = Style(bgcolor=label.colour, color=readable_on(label.colour))
            segments.append(Segment(key, style + Style(bold=True)))
            segments.append(Segment(shown, style + colour))
            segments.append(Segment(" ", style))
        return Strip(segments).crop_extend(0, self.size.width, style)


#: How much of each description the label bar tries, in order: all of it, its first word,
#: none (names only, wrapped onto more lines when needed).
_DESCRIPTION_FITS = ("whole", "first word", "none")


def label_lines(labels: Sequence[Label], width: int) -> list[list[tuple[str, str, Label]]]:
    """The label bar's lines for ``width`` cells: each item is (key, `` NAME description ``,
    label). The most description that keeps every label on one line; names only, wrapped
    as needed, when not even the first words fit."""
    lines: list[list[tuple[str, str, Label]]] = []
    for fit in _DESCRIPTION_FITS:
        lines = _wrap_items([_label_item(label, fit) for label in labels], width)
        if len(lines) == 1:
            break
    return lines


def _label_item(label: Label, fit: str) -> tuple[str, str, Label]:
    words = label.description.split()
    description = {"whole": " ".join(words), "first word": words[0] if words else ""}
    shown = f" {display_safe(label.name)} {display_safe(description.get(fit, ''))} "
    return label.key, shown.replace("  ", " "), label


def _wrap_items(
    items: list[tuple[str, str, Label]], width: int
) -> list[list[tuple[str, str, Label]]]:
    """``items`` in lines of at most ``width`` cells (a leading space, one after each)."""
    lines: list[list[tuple[str, str, Label]]] = [[]]
    used = 1
    for item in items:
        cells = text_cells(item[0]) + text_cells(item[1]) + 1
        if lines[-1] and used + cells > width:
            lines.append([])
            used = 1
        lines[-1].append(item)
        used += cells
    return lines
