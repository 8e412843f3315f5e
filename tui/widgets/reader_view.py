"""The reading pane: a Line API view over a :class:`~tui.core.reader.ReaderModel`.

Only the visual lines on screen are built, one :class:`~textual.strip.Strip` each, cached
by (block, line, width, script, cursor). A cursor move that does not scroll repaints just
the old and the new cursor line, so a keystroke costs a few hundred bytes over SSH
(DESIGN §7). Document text is turned into plain segments and never parsed as markup.
"""

from __future__ import annotations

import bisect
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.highlight import HIT, SHADED_WORD, Piece, line_runs, overlay_runs
from tui.core.labels import DEFAULT_LABELS, Label, label_for_key
from tui.core.linebreak import text_cells
from tui.core.marks import (
    CANDIDATE,
    DIMMED,
    OVERLAY_PREFIXES,
    SUGGESTION,
    MarkIndex,
    ReviewFocus,
    collect_marks,
)
from tui.core.palette import readable_on
from tui.core.selection import Selection
from tui.core.spans import Span
from tui.core.text import display_safe

if TYPE_CHECKING:  # a document brings these in; the first paint does not need them
    from tui.core.reader import ReaderModel, Row
    from tui.core.review import ReviewDocument
    from tui.core.session import Session
    from tui.widgets.reader_hooks import ReaderHooks

# The text is followed by a blank cell and the one-cell scroll indicator. Textual's own
# scrollbar cost ~5 ms of every full frame; drawn inside each row it costs one segment.
_INDICATOR_CELLS = 2
_WHEEL_LINES = 3
# Line counting runs in slices of at most this long, with a pause between them: a key
# arriving meanwhile waits for one slice at most.
_COUNT_SLICE = 0.004
_COUNT_PAUSE = 0.002
#: What a drawn line depends on (see _row_strip): numbers, and the marks of its block.
_StripKey = tuple[object, ...]


class ReaderView(ScrollView, can_focus=True):
    """Shows one document, with a cursor, and turns movement keys into model calls."""

    DEFAULT_CSS = """
    ReaderView {
        overflow-x: hidden;
        overflow-y: hidden;
        padding: 0 0 0 1;
    }
    ReaderView > .reader--cursor {
        background: $accent;
        color: $text;
    }
    ReaderView > .reader--selection {
        text-style: reverse;
    }
    ReaderView > .reader--track {
        color: $panel-lighten-2;
    }
    ReaderView > .reader--thumb {
        color: $accent;
    }
    ReaderView > .reader--message {
        color: $text-muted;
    }
    ReaderView > .reader--hit {
        background: $warning-darken-2;
        color: $text;
        text-style: bold;
    }
    /* A hit in a span keeps the label's colour: the span is drawn reversed, not covered. */
    ReaderView > .reader--span-hit {
        text-style: bold reverse;
    }
    ReaderView > .reader--word {
        background: $panel-lighten-1;
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "reader--cursor",
        "reader--hit",
        "reader--span-hit",
        "reader--word",
        "reader--message",
        "reader--selection",
        "reader--track",
        "reader--thumb",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "move('right')", "Next character", show=False),
        Binding("left,h", "move('left')", "Previous character", show=False),
        Binding("down,j", "move('down')", "Next line", show=False),
        Binding("up,k", "move('up')", "Previous line", show=False),
        Binding("w", "move('next_word')", "Next word", show=False),
        Binding("b", "move('previous_word')", "Previous word", show=False),
        Binding("E", "move('end_of_word')", "End of word"),
        Binding("full_stop", "move('end_of_sentence')", "End of sentence"),
        Binding("right_parenthesis", "move('next_sentence')", "Next sentence", show=False),
        Binding("left_parenthesis", "move('previous_sentence')", "Previous sentence", show=False),
        Binding("right_curly_bracket", "move('next_paragraph')", "Next paragraph", show=False),
        Binding(
            "left_curly_bracket", "move('previous_paragraph')", "Previous paragraph", show=False
        ),
        Binding("pagedown,space", "move('page_down')", "Page down", show=False),
        Binding("pageup,ctrl+b", "move('page_up')", "Page up", show=False),
        Binding("g,ctrl+home", "move('go_start')", "Start of document", show=False),
        Binding("G,ctrl+end", "move('go_end')", "End of document", show=False),
        Binding("home,0", "move('line_start')", "Start of line", show=False),
        Binding("end,dollar_sign", "move('line_end')", "End of line", show=False),
        Binding("t", "toggle_script", "Toggle 简⇄繁"),
        Binding("v", "select", "Select (again: end)"),
        Binding("1", "label(1)", "Label 1–9 (or word)"),
        *[Binding(str(n), f"label({n})", "", show=False) for n in range(2, 10)],
        Binding("x", "delete_span", "Delete span"),
        Binding("r", "relabel", "Relabel (then 1–9)"),
        Binding("e", "edit_note", "Note on span"),
        Binding("at", "attributes", "Attributes of the span (labels file)"),
        Binding("greater_than_sign", "jump_span(1)", "Next span"),
        Binding("less_than_sign", "jump_span(-1)", "Previous span"),
        Binding("m", "place_span", "Re-place ⚑ span here"),
        Binding("L", "link('start')", "Link the span: move to another, its key (labels file)"),
        Binding("apostrophe", "link('hints')", "Letters on the spans in view: type one to go"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+r", "redo", "Redo"),
        Binding("escape", "escape", "Cancel selection", show=False),
    ]

    #: Actions listed under "Annotate" in the help.
    ANNOTATING: ClassVar[frozenset[str]] = frozenset(
        {"select", "label", "delete_span", "relabel", "edit_note", "jump_span", "place_span"}
        | {"attributes"}
        | {"link"}  # relations and chains (tui.screens.linking)
        | {"occurrences"}  # every place of a span's text (the screen's key)
        | {"undo", "redo"}  # the history
    )

    #: Move names a key may ask for, and the ReaderModel method each one calls.
    MOVES: ClassVar[dict[str, str]] = {
        "right": "move_right",
        "left": "move_left",
        "down": "move_down",
        "up": "move_up",
        **{
            name: name
            for name in (
                "next_word",
                "previous_word",
                "end_of_word",
                "end_of_sentence",
                "next_sentence",
                "previous_sentence",
                "next_paragraph",
                "previous_paragraph",
                "page_down",
                "page_up",
                "go_start",
                "go_end",
                "line_start",
                "line_end",
            )
        },
    }

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.model: ReaderModel | None = None
        self._message = ""
        self._strips: OrderedDict[_StripKey, Strip] = OrderedDict()
        self._rows: list[Row] | None = None
        self._syncing_scroll = False
        self._counted_generation = -1
        self._count_steps: Iterator[None] | None = None
        #: Called after every cursor, view or script change. A direct call rather than a
        #: message, so that the status line repaints in the same frame as the text.
        self.on_change: Callable[[], None] | None = None
        self._style_cache: tuple[Style, Style, Style, Style] | None = None
        self._thumb_key: tuple[tuple[int, int], int, int] | None = None
        self._thumb = (0, 0)
        self._cursor_key: tuple[int, int, int] | None = None
        self._cursor_cache = (-1, -1, -1, -1)
        #: The annotator's spans of the open document (None: reading only).
        self.session: Session | None = None
        self.labels: tuple[Label, ...] = DEFAULT_LABELS
        #: The selection made with ``v``.
        self.visual = Selection()
        #: After ``r``: the next label key relabels the span under the cursor.
        self.relabelling = False
        #: The id of the span chosen in the spans panel to be put on a selection (``m``).
        self.placing: str | None = None
        #: What is drawn over the text, and the (spans, overlays) versions it was found for.
        self._marks: MarkIndex | None = None
        self._marks_version: tuple[int, int] | None = None
        self._label_styles: dict[tuple[str, bool], Style] = {}
        #: In review: the annotators' layers; their spans the gold layer lacks are drawn
        #: as candidates (underlined in the label's colour).
        self.review: ReviewDocument | None = None
        #: In review: which version of which disagreement is drawn in full (see ReviewFocus).
        self.review_focus: ReviewFocus | None = None
        #: Search hits to highlight, as sorted canonical (start, end).
        self.hits: list[tuple[int, int]] = []
        #: Suggested spans (start, end, label), drawn in italics until accepted.
        self.suggestions: list[tuple[int, int, str]] = []
        #: Word view: every other jieba word shaded, so the segmentation shows.
        self.word_view = False
        #: Bumped when hits, suggestions or the word view change (cached strips go stale).
        self._overlay_version = 0
        #: Link mode and hint letters: takes keys before the bindings, draws over lines.
        self.linker: ReaderHooks | None = None

    # -- content ---------------------------------------------------------------------------

    def show_document(self, model: ReaderModel, session: Session | None = None) -> None:
        """Display ``model`` (already loaded), sized to this pane, with ``session``'s spans."""
        self.model = model
        self.session = session
        self.visual.clear()
        self.placing = None
        self.hits, self.suggestions = [], []
        self._overlay_version += 1
        self._marks_version = None
        self._message = ""
        self._strips.clear()
        size = self._text_size()
        model.resize(size.width, size.height)
        self._redraw()

    def show_message(self, message: str) -> None:
        """Replace the document with a one-paragraph message (shown as plain text)."""
        self.model = None
        self.session = None
        self._message = display_safe(message)  # it names the file: untrusted
        self._redraw()

    @property
    def layout_settled(self) -> bool:
        """Laid out for this pane's width, with every line counted (scrollbar exact)."""
        model = self.model
        if model is None:
            return True
        return (
            model.width == self._text_size().width
            and model.layout_generation == self._counted_generation
            and self._count_steps is None
            and model.lines.complete
        )

    def _text_size(self) -> Size:
        region = self.scrollable_content_region
        return Size(max(1, region.width - _INDICATOR_CELLS), max(1, region.height))

    def on_resize(self) -> None:
        """Re-lay out for the new width and height."""
        if self.model is not None:
            size = self._text_size()
            self.model.resize(size.width, size.height)
        self._redraw()

    # -- keys ------------------------------------------------------------------------------

    def action_move(self, move: str) -> None:
        """Run the model move ``move`` (one of :attr:`MOVES`) and repaint what changed."""
        model = self.model
        method = self.MOVES.get(move)
        if model is None or method is None:
            return
        before = (model.top, model.cursor_row())
        self.visual.move(model, method)
        self._after_change(before)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the character under the pointer."""
        offset = event.get_content_offset(self)
        model = self.model
        if model is None or offset is None:
            return
        before = (model.top, model.cursor_row())
        if offset.x >= model.width + _INDICATOR_CELLS - 1:
            # A click on the scroll indicator: jump there, the cursor follows.
            line = model.lines.total * offset.y // max(1, model.height)
            model.scroll_to_line(max(0, line - model.height // 2))
            self._redraw()
            return
        model.move_to_cell(offset.y, offset.x)
        self._after_change(before)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        """The wheel scrolls the view; the cursor stays in it."""
        self._scroll_by(_WHEEL_LINES)
        event.stop()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        """The wheel scrolls the view; the cursor stays in it."""
        self._scroll_by(-_WHEEL_LINES)
        event.stop()

    def _scroll_by(self, lines: int) -> None:
        if self.model is not None:
            self.model.scroll_to_line(max(0, self.model.scroll_y + lines))
            self._redraw()

    def on_key(self, event: events.Key) -> None:
        """While linking or showing hint letters, the link controller has the key first."""
        if self.linker is not None and self.linker.take(event.key):
            event.stop()
            event.prevent_default()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Keys the link controller takes now: the screen's and app's bindings stand aside."""
        return self.linker is not None and self.linker.wants(key)

    def action_link(self, what: str) -> None:
        """``L`` link from the span here, ``'`` hint letters (see tui.screens.linking)."""
        if hasattr(self.screen, "action_link"):
            self.screen.action_link(what)

    # -- annotating ------------------------------------------------------------------------

    def selection(self) -> tuple[int, int] | None:
        """The canonical ``[start, end)`` selected: what is drawn and what a label takes."""
        model = self.model
        return self.visual.extent(model.cursor, model.text) if model is not None else None

    def action_select(self) -> None:
        """``v``: start a selection here; again: end it here; a third time: start anew."""
        if self.model is not None:
            self.visual.toggle(self.model.cursor)
            self._repaint()

    def action_escape(self) -> None:
        """Cancel the selection, else a re-placing; without either, go back to the list."""
        if self.visual.active:
            self.visual.clear()
        elif self.placing is not None:
            self.placing = None
        else:
            if hasattr(self.screen, "action_back_to_list"):
                self.screen.action_back_to_list()
            return
        self._repaint()

    def mode_label(self) -> str:
        """What the next keys will do, for the status line: relabel, re-place, select."""
        model, session = self.model, self.session
        if model is None or session is None:
            return ""
        parts = ["relabel: press 1–9"] if self.relabelling else []
        if self.linker is not None and (linking := self.linker.mode_label()):
            parts.append(linking)
        if self.placing is not None and (span := session.annotations.get(self.placing)):
            finish = "m: here" if self.visual.active else "select with v, then m"
            parts.append(f"re-place {span.text[:8].replace(chr(10), ' ')} {span.label} ({finish})")
        if self.visual.active:
            parts.append(self.visual.describe(model.cursor, model.text))
        return " · ".join(parts)

    def start_placing(self, span_id: str) -> None:
        """Put span ``span_id`` on the selection: now if there is one, else on ``m``."""
        self.placing = span_id
        self.focus()
        if self.visual.active:
            self.action_place_span()
        else:
            self._repaint()

    def action_place_span(self) -> None:
        """``m``: the span chosen in the spans panel takes the selection's text (one undo)."""
        session, span_id, extent = self.session, self.placing, self.selection()
        if session is None or span_id is None or extent is None:
            return
        # Done once moved, or when the span was deleted (or undone away) meanwhile.
        gone = session.annotations.get(span_id) is None
        if gone or session.move(span_id, *extent) is not None:
            self.placing = None
        self.visual.clear()
        self._repaint()

    def action_label(self, number: int) -> None:
        """Label the selection, or else the word under the cursor, with label ``number``."""
        model, session = self.model, self.session
        label = label_for_key(self.labels, str(number))
        if model is None or session is None:
            return
        if label is None:
            keys = f"1–{len(self.labels)}" if len(self.labels) > 1 else "1"
            self.tell(f"no label on {number} (labels are on {keys}; ? lists them)")
            self.relabelling = False
            return
        if self.relabelling:
            self.relabelling = False
            session.relabel_at(model.cursor, label.name)
            self._repaint()
            return
        target = self.selection() if self.visual.active else self._word_range(model)
        self.visual.clear()
        if target is not None:
            stacking = {known.name for known in self.labels if known.stack}
            session.label(*target, label.name, stacking)  # relabels a span of that extent
        self._repaint()

    def tell(self, message: str) -> None:
        """A short answer to a key that had nothing to act on (plain text, not markup)."""
        self.app.notify(message, timeout=3, markup=False)

    def _word_range(self, model: ReaderModel) -> tuple[int, int] | None:
        word = model.word_at_cursor()
        if word is not None:
            return word.start, word.end
        if model.length and not model.text[model.cursor].isspace():
            return model.cursor, model.cursor + 1  # punctuation: just that character
        return None

    def action_delete_span(self) -> None:
        """Delete the innermost span under the cursor; on a suggestion, reject it."""
        if self.model is not None and self.session is not None:
            suggestion = self.suggestion_at_cursor()
            if suggestion is None and not self.spans_at_cursor():
                self.tell("no span under the cursor to delete")
                return
            if suggestion is not None and not self.spans_at_cursor():
                self.session.reject([suggestion])  # the screen stops showing it
            else:
                self.session.delete_at(self.model.cursor)
            self._repaint()

    def action_relabel(self) -> None:
        """Wait for a label key, then give the span under the cursor that label."""
        if self.spans_at_cursor():
            self.relabelling = True
            self._notify_change()
        elif self.session is not None:
            self.tell("no span under the cursor to relabel")

    def action_edit_note(self) -> None:
        """Write or change the note of the innermost span under the cursor."""
        spans = self.spans_at_cursor()
        session = self.session
        if session is None:
            return
        if not spans:
            self.tell("no span under the cursor (e writes the note of the span there)")
            return
        span = spans[0]
        from tui.screens.note import NoteScreen

        def save(note: str | None) -> None:
            if note is not None:
                session.set_note(span.id, note)
                self._repaint()

        self.app.push_screen(NoteScreen(span.text, span.label, span.note), save)

    def action_attributes(self) -> None:
        """Set the attributes of the innermost span under the cursor in a popup."""
        from tui.screens.attributes import open_attributes

        open_attributes(self)

    def action_jump_span(self, direction: int) -> None:
        """To the start of the next (1) or previous (-1) span."""
        model, session = self.model, self.session
        if model is None or session is None:
            return
        annotations = session.annotations
        if direction > 0:
            span = annotations.next_start(model.cursor)
        else:
            span = annotations.previous_start(model.cursor)
        if span is not None:
            before = (model.top, model.cursor_row())
            model.move_to(span.start)
            self._after_change(before)

    def action_undo(self) -> None:
        """Undo the last edit."""
        if self.session is not None:
            self.session.undo()
            self._repaint()

    def action_redo(self) -> None:
        """Redo the last undone edit."""
        if self.session is not None:
            self.session.redo()
            self._repaint()

    def set_overlays(
        self,
        *,
        hits: list[tuple[int, int]] | None = None,
        suggestions: list[tuple[int, int, str]] | None = None,
        word_view: bool | None = None,
        review_focus: ReviewFocus | None = None,
    ) -> None:
        """Change what is drawn over the text (each argument left None stays as it is)."""
        if review_focus is not None:
            if review_focus == self.review_focus:
                return  # the cursor moved within the same focus: nothing to redraw
            self.review_focus = review_focus
        if hits is not None:
            self.hits = hits
        if suggestions is not None:
            self.suggestions = suggestions
        if word_view is not None:
            self.word_view = word_view
        self._overlay_version += 1
        self._repaint()

    def suggestion_at_cursor(self) -> tuple[int, int, str] | None:
        """The suggestion covering the cursor (the shortest), if any."""
        if self.model is None:
            return None
        cursor = self.model.cursor
        covering = [s for s in self.suggestions if s[0] <= cursor < s[1]]
        return min(covering, key=lambda s: s[1] - s[0], default=None)

    def refresh_view(self) -> None:
        """Scroll to the cursor and redraw (after the cursor was moved from outside)."""
        if self.model is not None:
            self.model.ensure_cursor_visible()
        self._redraw()

    def _repaint(self) -> None:
        """The spans or the selection changed: repaint the lines that look different now.

        A line whose drawing is cached under its current key (its block's marks, the
        selection, the cursor…) looks as it did; redrawing only the others keeps a label
        key's frame small (a screen full of spans cost the compositor ~6 ms a key, and
        the terminal a whole screen of bytes).
        """
        model = self.model
        if model is None:
            self.refresh()
        else:
            width = model.width
            for y, row in enumerate(self._visible_rows()):
                if self._strip_key(row, y, width)[0] not in self._strips:
                    self.refresh(Region(0, y, self.size.width, 1))
        self._notify_change()

    def spans_at_cursor(self) -> list[Span]:
        """The spans covering the cursor, innermost first."""
        if self.model is None or self.session is None:
            return []
        return self.session.annotations.at(self.model.cursor)

    def action_toggle_script(self) -> None:
        """Flip the displayed script; the cursor stays on the same character."""
        if self.model is not None:
            self.model.toggle_script()
            self._redraw()

    def _after_change(self, before: tuple[tuple[int, int], tuple[int, int]]) -> None:
        model = self.model
        assert model is not None
        old_top, old_row = before
        if model.top != old_top:
            self._redraw()
            return
        changed = {old_row, model.cursor_row()}
        low, high = min(changed), max(changed)
        for index, row in enumerate(self._visible_rows()):
            # A selection being extended changes every row between its old and new end.
            key = (row.block, row.line)
            if key in changed or (self.visual.extending and low <= key <= high):
                self.refresh(Region(0, index, self.size.width, 1))
        self._notify_change()

    def _redraw(self) -> None:
        self._rows = None
        self._sync_scroll()
        self.refresh()
        self._notify_change()
        self.call_after_refresh(self._start_line_count)

    # -- background layout ---------------------------------------------------------------

    def _start_line_count(self) -> None:
        """Make every block's line count exact in idle slices, so the scrollbar is right."""
        model = self.model
        if model is None or model.layout_generation == self._counted_generation:
            return
        self._counted_generation = model.layout_generation
        self._count_steps = model.count_lines_in_steps()
        self.set_timer(_COUNT_PAUSE, self._count_slice)

    def _count_slice(self) -> None:
        steps = self._count_steps
        if steps is None:
            return
        deadline = time.perf_counter() + _COUNT_SLICE
        for _ in steps:
            if time.perf_counter() > deadline:
                self._sync_scroll()
                self.set_timer(_COUNT_PAUSE, self._count_slice)
                return
        self._count_steps = None
        self._sync_scroll()

    def _notify_change(self) -> None:
        if self.on_change is not None:
            self.on_change()

    # -- scrolling -------------------------------------------------------------------------

    def _sync_scroll(self) -> None:
        model = self.model
        target = model.scroll_y if model is not None else 0
        total = model.lines.total if model is not None else 0
        # Estimates may fall short of where the view really is: never let Textual clamp
        # the scroll position, or the clamp would read as the user scrolling.
        height = max(total, target + self.scrollable_content_region.height)
        virtual = Size(self.scrollable_content_region.width, height)
        if virtual != self.virtual_size:  # assigning it costs a layout, even unchanged
            self.virtual_size = virtual
        if round(self.scroll_y) != target:
            self._syncing_scroll = True
            try:
                self.set_scroll(None, target)
            finally:
                self._syncing_scroll = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Follow the mouse wheel and the scrollbar: move the view, the cursor follows."""
        model = self.model
        if model is not None and not self._syncing_scroll and round(new_value) != model.scroll_y:
            model.scroll_to_line(round(new_value))
            self._rows = None
            self._notify_change()
        super().watch_scroll_y(old_value, new_value)

    # -- rendering -------------------------------------------------------------------------

    def _visible_rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = self.model.rows() if self.model is not None else []
        return self._rows

    def render_line(self, y: int) -> Strip:
        """Draw visual line ``y`` of the view."""
        if self.model is None:
            return self._message_line(y, self.scrollable_content_region.width)
        width = self.model.width  # the text width, kept in step by on_resize
        rows = self._visible_rows()
        if y >= len(rows):
            base = self._styles()[0]
            return Strip([Segment(" " * (width + 1), base), self._indicator(y)], width + 2)
        strip = self._row_strip(rows[y], y, width)
        return strip if self.linker is None else self.linker.decorate(rows[y], strip)

    def _message_line(self, y: int, width: int) -> Strip:
        if y != 1 or not self._message:
            return Strip.blank(width, self.rich_style)
        style = self.get_component_rich_style("reader--message")
        return Strip([Segment(self._message, style)]).crop_extend(0, width, self.rich_style)

    def _row_strip(self, row: Row, y: int, width: int) -> Strip:
        key, cursor, thumb = self._strip_key(row, y, width)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._build_strip(row, cursor, width, thumb)
            self._strips[key] = strip
            if len(self._strips) > 512:
                self._strips.popitem(last=False)
        return strip

    def _strip_key(self, row: Row, y: int, width: int) -> tuple[_StripKey, tuple[int, int], bool]:
        """What line ``y`` showing ``row`` looks like (its drawing is cached under that
        key), with the cursor's display range on it ((-1, -1): elsewhere) and whether the
        scroll indicator's thumb is on it."""
        model = self.model
        assert model is not None
        cursor = (-1, -1)
        cursor_block, cursor_line, cursor_start, cursor_end = self._cursor_place(model)
        if (cursor_block, cursor_line) == (row.block, row.line):
            cursor = (cursor_start, cursor_end)
        thumb = self._is_thumb(y)
        track = self._thumb != (0, 0)
        selection = self._block_selection(row.block) or (-1, -1)
        # The block's marks, not the spans' version: after an edit only the lines whose
        # marks changed are drawn again (every visible line was, at 100 000 spans ~30 ms).
        marks = tuple(self._marks_in(row.block))
        key = (
            row.block,
            row.line,
            width,
            model.generation,
            marks,
            self._overlay_version,
            *selection,
            *cursor,
            thumb,
            track,
        )
        return key, cursor, thumb

    def _cursor_place(self, model: ReaderModel) -> tuple[int, int, int, int]:
        """``(block, line, display start, display end)`` of the cursor, once per move."""
        key = (id(model), model.cursor, model.generation)
        if self._cursor_key != key:
            block, line = model.cursor_row()
            _, start, end = model.cursor_display_range()
            self._cursor_key, self._cursor_cache = key, (block, line, start, end)
        return self._cursor_cache

    def _styles(self) -> tuple[Style, Style, Style, Style]:
        """Text, cursor, track and thumb styles (a widget's style costs ~0.4 ms to compute)."""
        if self._style_cache is None:
            base = self.rich_style
            self._style_cache = (
                base,
                base + self.get_component_rich_style("reader--cursor"),
                base + self.get_component_rich_style("reader--track"),
                base + self.get_component_rich_style("reader--thumb"),
            )
        return self._style_cache

    def _is_thumb(self, y: int) -> bool:
        """Whether row ``y`` of the scroll indicator is part of its thumb."""
        model = self.model
        if model is None:
            return False
        key = (model.top, model.lines.total, model.height)
        if self._thumb_key != key:
            from tui.core.reader import thumb_rows

            self._thumb_key, self._thumb = key, thumb_rows(model.scroll_y, *key[1:])
        start, end = self._thumb
        return start <= y < end

    def _indicator(self, y: int) -> Segment:
        """The scroll indicator's cell on row ``y``."""
        return self._indicator_cell(self._is_thumb(y))

    def _indicator_cell(self, thumb: bool) -> Segment:
        """A bold thumb cell, or a thin track (blank when the whole text fits)."""
        _, _, track_style, thumb_style = self._styles()
        if thumb:
            return Segment("┃", thumb_style)
        return Segment("│" if self._thumb != (0, 0) else " ", track_style)

    def _build_strip(self, row: Row, cursor: tuple[int, int], width: int, thumb: bool) -> Strip:
        model = self.model
        assert model is not None
        text = model.view(row.block).text
        base, cursor_style, _, _ = self._styles()
        selection = self._block_selection(row.block)
        runs = line_runs(row.start, row.end, self._pieces(row.block), selection)
        segments: list[Segment] = []
        cells = 0
        for run, flags in overlay_runs(runs, self._overlays(row.block)):
            style = self._run_style(run.label, run.depth, run.selected, run.over)
            if flags & SHADED_WORD and run.label is None:
                style = style + self.get_component_rich_style("reader--word")
            if flags & HIT:  # in a span: its text style only, so the label's colour shows
                style = style + (
                    self.get_component_rich_style("reader--hit")
                    if run.label is None
                    else self.get_component_rich_style("reader--span-hit", partial=True)
                )
            for start, end, on_cursor in _split(run.start, run.end, cursor):
                shown = text[start:end]
                segments.append(Segment(shown, cursor_style if on_cursor else style))
                cells += text_cells(shown)
        if cursor[0] >= 0 and cursor[0] == cursor[1]:  # an empty line or the text's end
            segments.append(Segment(" ", cursor_style))
            cells += 1
        indicator = self._indicator_cell(thumb)
        if cells > width:  # one character wider than a very narrow pane
            text_strip = Strip(segments).crop_extend(0, width + 1, base)
            return Strip([*text_strip, indicator], width + 2)
        segments.append(Segment(" " * (width - cells + 1), base))
        segments.append(indicator)
        return Strip(segments, width + 2)

    def _run_style(self, label: str | None, depth: int, selected: bool, over: str | None) -> Style:
        style = self._styles()[0] if label is None else self._mark_style(label, depth > 1)
        if over is not None and not over.startswith(DIMMED):
            # A candidate or suggestion over a span: the span keeps its colour, underlined.
            style = style + _OVER_SPAN
        if selected:  # its text style only: a span in it still shows its label's colour
            style = style + self.get_component_rich_style("reader--selection", partial=True)
        return style

    def _mark_style(self, label: str, nested: bool) -> Style:
        """A span: its label's colour as background (nested ones also underlined and bold).
        A candidate (review): underlined and bold in the colour; a faint one (another
        version than the one shown, or a decided disagreement's) dim in it. A suggestion:
        italic and underlined in it, never bold."""
        key = (label, nested)
        style = self._label_styles.get(key)
        if style is None:
            name = label.lstrip("".join(OVERLAY_PREFIXES))
            colour = next((each.colour for each in self.labels if each.name == name), "#888888")
            if label.startswith(DIMMED):
                look = Style(color=colour, dim=True)
            elif label.startswith(CANDIDATE):
                look = Style(color=colour, underline=True, bold=True)
            elif label.startswith(SUGGESTION):
                look = Style(color=colour, italic=True, underline=True)
            else:
                look = Style(
                    bgcolor=colour, color=readable_on(colour), underline=nested, bold=nested
                )
            style = self._label_styles[key] = self._styles()[0] + look
        return style

    def _overlays(self, block: int) -> list[tuple[int, int, int]]:
        """Search hits and (in word view) every other word of ``block``, display offsets."""
        model = self.model
        assert model is not None
        overlays: list[tuple[int, int, int]] = []
        if self.hits:
            base, end = model.blocks.starts[block], model.blocks.end(block)
            first = bisect.bisect_left(self.hits, (base, -1))
            if first:  # a hit that starts before the block may reach into it
                first -= 1
            for start, stop in self.hits[first:]:
                if start >= max(end, base + 1):
                    break
                if stop > base:
                    overlays.append((*self._to_display(block, start, stop), HIT))
        if self.word_view and model.segmenter.ready:
            starts = model.word_starts(block)
            view = model.view(block)
            for index in range(1, len(starts) - 1, 2):
                shown = view.offsets.display_span(starts[index], starts[index + 1])
                overlays.append((*shown, SHADED_WORD))
        return overlays

    def _marks_in(self, block: int) -> list[tuple[int, int, str, str]]:
        """What to draw in ``block``: the session's placed spans, suggestions, and in
        review the annotators' spans the gold layer lacks (candidates); canonical offsets."""
        model, session = self.model, self.session
        if model is None or session is None:
            return []
        version = (session.version, self._overlay_version)
        if self._marks is None or self._marks_version != version:
            since = self._marks_version
            edits = session.changes_since(since[0]) if since and since[1] == version[1] else None
            if self._marks is not None and edits is not None and self.review is None:
                self._marks.follow(edits)  # only spans changed: follow them
            else:
                spans = session.annotations.spans  # flagged ones are left out there
                marks = collect_marks(spans, self.suggestions, self.review, self.review_focus)
                self._marks = MarkIndex(marks)
            self._marks_version = version
        return self._marks.in_block(model.blocks, block)

    def _pieces(self, block: int) -> list[Piece]:
        """The spans of ``block`` in display offsets (in review, candidates too)."""
        return [
            Piece(*self._to_display(block, start, end), label, mark_id)
            for start, end, label, mark_id in self._marks_in(block)
        ]

    def _block_selection(self, block: int) -> tuple[int, int] | None:
        """The part of the selection inside ``block``, in display offsets."""
        selection = self.selection()
        model = self.model
        if selection is None or model is None:
            return None
        start, end = model.blocks.starts[block], model.blocks.end(block)
        if selection[1] <= start or selection[0] >= max(end, start + 1):
            return None
        return self._to_display(block, selection[0], selection[1])

    def _to_display(self, block: int, start: int, end: int) -> tuple[int, int]:
        """Canonical ``[start, end)`` clipped to ``block``, as display offsets in it."""
        model = self.model
        assert model is not None
        base = model.blocks.starts[block]
        length = model.block_length(block)
        local_start = min(max(start - base, 0), length)
        local_end = min(max(end - base, local_start), length)
        return model.view(block).offsets.display_span(local_start, local_end)

    def notify_style_update(self) -> None:
        """Theme or CSS changed: cached strips and styles carry old colours."""
        self._strips.clear()
        self._style_cache = None
        self._label_styles.clear()
        super().notify_style_update()


#: What a candidate or suggestion over a span adds to the span's look.
_OVER_SPAN = Style(underline=True, bold=True)


def _split(start: int, end: int, cursor: tuple[int, int]) -> list[tuple[int, int, bool]]:
    """``[start, end)`` cut where the cursor's cells begin and end."""
    low, high = max(start, cursor[0]), min(end, cursor[1])
    if low >= high:
        return [(start, end, False)]
    parts = [(start, low, False), (low, high, True), (high, end, False)]
    return [part for part in parts if part[0] < part[1]]
