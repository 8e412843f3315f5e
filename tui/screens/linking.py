"""Link mode and hint letters in the reader: the keys of relations and chains (issue 14).

``L`` on a span starts a link from it; every movement key still moves the cursor to the
target, and ``'`` shows a letter on each span in view (typing it jumps there). Then the
relation's (or chain's) key makes the link to the span under the cursor, or Enter opens a
menu of the types that fit. A type whose key moves the cursor (``j``, ``w``…) is chosen in
the menu. Esc cancels. Outside link mode ``'`` just jumps to a span.

The rules are in :mod:`tui.core.relations.linking`; this controller turns keys into calls on
it and draws the hint letters (and, for the span under the cursor, its relations' other
ends) over the reader's lines. The reader calls :meth:`LinkController.take` before its
bindings and :meth:`LinkController.decorate` on each line it draws.
"""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING, ClassVar, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core import keyhints
from tui.core.annotations import excerpt
from tui.core.hints import assign, narrow
from tui.core.linebreak import cell_of, text_cells
from tui.core.relations.chain_marks import chain_marks, moves_a_mark
from tui.core.relations.describe import document_links
from tui.core.relations.linking import (
    Author,
    LinkChange,
    Linking,
    LinkType,
    Refusal,
    delete_chain,
    delete_relation,
    link_rows,
    names_of,
    retype_relation,
)
from tui.core.relations.model import Chain, Links, Relation
from tui.core.relations.schema import ChainType, RelationType
from tui.core.text import display_safe
from tui.screens.categories import schema_of
from tui.widgets.reader_view import ReaderView

if TYPE_CHECKING:
    from tui.core.reader import ReaderModel, Row
    from tui.core.session import Session
    from tui.core.spans import Span
    from tui.widgets.relations_panel import RelationsPanel

#: Hint letters: reversed and bold over the first cells of each span in view.
_HINT = Style(reverse=True, bold=True)
#: The other ends of the relations of the span under the cursor.
_OTHER_END = Style(underline=True, bold=True)
#: Where the link keys stand in the reader's hints: after the label keys and the selection.
_LINK_KEYS_AT = 4
#: Cells on one line to draw over: (first cell, cells, letters; "" marks an other end).
_Marks = dict[tuple[int, int], list[tuple[int, int, str]]]


class LinkHost(Protocol):
    """What the controller needs of the screen that owns it (:class:`MainScreen`; this
    module depends on the protocol, not on the screen's module: no import cycle). Textual's
    services (queries, mounting, the app) are reached through the reading pane."""

    @property
    def reader(self) -> ReaderView:
        """The reading pane."""
        ...

    def update_status_line(self) -> None:
        """Show the status line anew."""
        ...

    def show_key_hints(self) -> None:
        """Show the focused pane's keys on the bottom line."""
        ...


def link_help(screen: LinkHost) -> list[tuple[str, list[BindingType]]]:
    """The relations panel's keys for the help, when the labels file declares relations or
    chains (without them the help stays as it was)."""
    from tui.widgets.relations_panel import RelationsPanel

    schema = schema_of(screen.reader.app)
    if not (schema.relations or schema.chains):
        return []
    return [(keyhints.RELATIONS.title, RelationsPanel.BINDINGS)]


def moving_keys() -> frozenset[str]:
    """The one-character keys that move the reader's cursor (they keep moving it while a
    link is made, so a type on one of them is chosen from the menu)."""
    keys: set[str] = set()
    for binding in ReaderView.BINDINGS:
        if isinstance(binding, Binding) and binding.action.startswith(("move(", "jump_span")):
            keys |= {key for key in binding.key.split(",") if len(key) == 1}
    return frozenset(keys)


class LinkController:
    """Link mode, hint letters and the other ends' marks of one main screen's reader."""

    def __init__(self, screen: LinkHost) -> None:
        self.screen = screen
        screen.reader.linker = self
        self.schema = schema_of(screen.reader.app)
        self.linking = Linking(self.schema, reserved=moving_keys())
        #: The session the link was started in (another document cancels it).
        self._session: Session | None = None
        #: Hint code → canonical offset, while the letters are shown.
        self._hints: dict[str, int] | None = None
        self._typed = ""
        self._marks: _Marks = {}
        #: The span whose relations' other ends are marked, and the links they came from.
        self._marked: tuple[str | None, Links | None, object] = (None, None, ())
        #: The relations panel, once shown, and the (session, spans version, links) it lists.
        self._panel: RelationsPanel | None = None
        self._shown: tuple[Session, int, Links] | None = None
        #: In review: the ends of the relation candidate shown, marked instead.
        self.review_ends: tuple[tuple[int, int], ...] = ()
        #: The (reader model, session, spans version, links) the chain marks show.
        self._chain_marks: tuple[ReaderModel, Session, int, Links] | None = None

    @property
    def reader(self) -> ReaderView:
        """The reading pane."""
        return self.screen.reader

    # -- keys ------------------------------------------------------------------------------

    def act(self, what: str) -> None:
        """A key bound to the controller: ``start`` a link, show the ``hints``."""
        if what == "start":
            self.start()
        elif what == "hints":
            self.show_hints()
        elif what == "panel":
            self.toggle_panel()

    def start(self) -> None:
        """``L``: link from the span under the cursor."""
        reader = self.reader
        if reader.session is None:
            reader.tell("open a document first")
            return
        started = self.linking.start(span_here(reader))
        if isinstance(started, Refusal):
            reader.tell(started.reason)
            return
        self._session = reader.session
        reader.tell(f"{started}; Esc cancels")
        self._mode_changed()

    def cancel(self, said: str | None = None) -> None:
        """Stop linking (and drop the hint letters)."""
        self.linking.cancel()
        self._session = None
        self._drop_hints()
        if said:
            self.reader.tell(said)
        self._mode_changed()

    def wants(self, key: str) -> bool:
        """Whether :meth:`take` would take ``key`` (the screen's and app's bindings of it,
        ``q`` included, then stand aside)."""
        if self._hints is not None:
            return (len(key) == 1 and key.isalpha()) or key == "escape"
        if self.linking.active:
            return key in ("escape", "enter") or self.linking.direct(key) is not None
        return False

    def take(self, key: str) -> bool:
        """Handle ``key`` before the bindings; False: not ours, the bindings have it."""
        if self._hints is not None:
            return self._type_hint(key)
        if not self.linking.active:
            return False
        if self.reader.session is not self._session:  # another document: the source is gone
            self.cancel()
            return False
        if key == "escape":
            self.cancel("link cancelled")
            return True
        if key == "enter":
            self._open_menu()
            return True
        ltype = self.linking.direct(key)
        if ltype is None:
            return False
        self.make(ltype)
        return True

    # -- making ----------------------------------------------------------------------------

    def make(self, ltype: LinkType) -> None:
        """Link the source to the span under the cursor with ``ltype`` (or say why not)."""
        reader, session, source = self.reader, self._session, self.linking.source
        if session is None or source is None or reader.session is not session:
            self.cancel()
            return
        current = session.annotations.get(source.id)
        if current is None:
            self.cancel("the span the link started from is gone: link cancelled")
            return
        self.linking.source = current  # as it is now (relabelled meanwhile, say)
        links = document_links(session)
        made = self.linking.make(ltype, span_here(reader), links, Author(session_author(session)))
        if isinstance(made, Refusal):
            reader.tell(made.reason)
            return
        self.apply(made)
        self.cancel()

    def apply(self, change: LinkChange) -> None:
        """Record ``change`` in the open session (one undo step) and show it."""
        session = self.reader.session
        if session is not None:
            session.change_links(change.before, change.after, change.description)
        self.links_changed()

    def links_changed(self) -> None:
        """Relations or chains changed: redraw the marks, the status line and the panel."""
        self._marked = (None, None, ())
        self.reader.refresh()
        self.screen.update_status_line()  # which calls after_change

    def after_change(self) -> None:
        """After every cursor move or edit: the other ends' marks and the panel."""
        if self.linking.active and self.reader.session is not self._session:
            self.cancel()  # another document was opened: its spans are not the source's
        self._mark_chains()  # first: the other ends' cells are counted with the marks in
        self.follow_cursor()
        self._refresh_panel()

    def _mark_chains(self) -> None:
        """Number the chains' spans in the text (李四¹ … 他¹) when the spans or the links
        changed; a schema without chains shows none."""
        model, session = self.reader.model, self.reader.session
        if model is None or session is None or not self.schema.chains:
            return
        links = document_links(session)
        shown = self._chain_marks
        self._chain_marks = (model, session, session.version, links)
        if shown and shown[:2] == (model, session) and shown[3] is links:
            if shown[2] == session.version:
                return
            if not moves_a_mark(session.changes_since(shown[2]), links):
                return  # a span outside the chains was edited: the marks stay
        spans = {span.id: span for span in session.annotations.placed}
        if model.set_decorations(chain_marks(links, spans)):
            self._marked = (None, None, ())  # drawn where the text was before the marks moved it
            self.reader.refresh_view()  # the marked blocks' lines may wrap anew

    # -- the relations panel ---------------------------------------------------------------

    def toggle_panel(self) -> None:
        """``P``: show the document's relations and chains beside the text (and go there),
        or hide them."""
        if not self.linking.types:
            self.reader.tell("no relations or chains: declare them in the labels file (--labels)")
            return
        panel = self._panel
        if panel is not None:
            panel.toggle_class("-hidden")
        else:  # built on first use
            from tui.widgets.relations_panel import RelationsPanel

            panel = self._panel = RelationsPanel(self, id="relations")
            panel.remove_class("-hidden")
            self.reader.screen.query_one("#text-and-spans").mount(panel)
        if panel.has_class("-hidden"):
            self.reader.focus()
        else:
            self._shown = None
            self._refresh_panel()
            self.reader.screen.call_after_refresh(panel.focus)

    def _refresh_panel(self) -> None:
        """List the links anew in the open panel when they or the spans changed."""
        panel, session = self._panel, self.reader.session
        if panel is None or panel.has_class("-hidden"):
            return
        if session is None:
            panel.show_rows(())
            return
        links = document_links(session)
        shown = self._shown
        if shown is None or shown[0] is not session or shown[1:] != (session.version, links):
            self._shown = (session, session.version, links)
            spans = {span.id: span for span in session.annotations.placed}
            panel.show_rows(link_rows(self.schema, links, spans))

    def jump_to(self, offset: int) -> None:
        """Put the cursor on ``offset`` and go back to the text (Enter in the panel)."""
        model = self.reader.model
        if model is not None:
            model.move_to(offset)
            self.reader.focus()
            self.reader.refresh_view()

    def delete(self, link: Relation | Chain) -> None:
        """Delete a relation or a whole chain (one undo step)."""
        session = self.reader.session
        if session is None:
            return
        if isinstance(link, Relation):
            ends = (session.annotations.get(end) for end in (link.source, link.target))
            names = names_of([span for span in ends if span is not None])
            self.apply(delete_relation(session.links, link, names))
        else:
            self.apply(delete_chain(session.links, link))

    def retype(self, relation: Relation) -> None:
        """Give ``relation`` another type fitting its two spans, chosen in the menu."""
        reader, session = self.reader, self.reader.session
        if session is None:
            return
        source = session.annotations.get(relation.source)
        target = session.annotations.get(relation.target)
        if source is None or target is None:
            return
        choices = tuple(
            rtype
            for rtype in self.schema.relations
            if rtype.name != relation.type
            and self.schema.relation_allowed(rtype, source.label, target.label) is None
        )
        if not choices:
            reader.tell(f"no other relation fits {source.label} → {target.label}")
            return

        def chosen(rtype: LinkType | None) -> None:
            if not isinstance(rtype, RelationType) or reader.session is not session:
                return
            made = retype_relation(
                self.schema,
                session.links,
                document_links(session),
                relation,
                rtype,
                (source, target),
            )
            if isinstance(made, Refusal):
                reader.tell(made.reason)
            else:
                self.apply(made)

        title = f"retype {excerpt(source.text)} → {relation.type} → {excerpt(target.text)}"
        self.reader.app.push_screen(LinkMenu(choices, title), chosen)

    def _open_menu(self) -> None:
        """Enter: the types that fit the source and the span under the cursor, in a menu."""
        reader = self.reader
        target = span_here(reader)
        if target is None:
            reader.tell("no span under the cursor: move onto the target span")
            return
        choices = self.linking.choices(target)
        if not choices:
            reader.tell(self.linking.why_none(target))
            return
        source = self.linking.source
        assert source is not None
        title = f"{excerpt(source.text)} → {excerpt(target.text)}"

        def chosen(ltype: LinkType | None) -> None:
            if ltype is not None and self.linking.active:
                self.make(ltype)

        self.reader.app.push_screen(LinkMenu(choices, title), chosen)

    # -- hint letters ----------------------------------------------------------------------

    def show_hints(self) -> None:
        """``'``: a letter on each span starting in view; typing it jumps there."""
        reader, model, session = self.reader, self.reader.model, self.reader.session
        if model is None or session is None:
            return
        rows = model.rows()
        starts = _starts_in_view(session, model, rows)
        if not starts:
            reader.tell("no span in view")
            return
        self._hints, self._typed = assign(starts), ""
        self._draw_hints()
        self._mode_changed()

    def _type_hint(self, key: str) -> bool:
        if key == "escape":
            self._drop_hints()
            self._mode_changed()
            return True
        if not (len(key) == 1 and key.isalpha()):
            self._drop_hints()  # any other key: the hints go, the key does what it does
            self._mode_changed()
            return False
        assert self._hints is not None
        self._typed += key
        found, left = narrow(self._hints, self._typed)
        if found is not None:
            self._drop_hints()
            self._jump(found)
        elif not left:
            self._drop_hints()
            self.reader.tell(f"no span has the letters {self._typed}")
        else:  # the first of two letters: the rest of each code stays shown
            self._hints = {code[len(self._typed) :]: at for code, at in left.items()}
            self._typed = ""
            self._draw_hints()
            return True
        self._mode_changed()
        return True

    def _jump(self, offset: int) -> None:
        model = self.reader.model
        if model is not None:
            model.move_to(offset)
            self.reader.refresh_view()

    def _drop_hints(self) -> None:
        if self._hints is not None:
            self._hints = None
            self._marks = {}
            self._marked = (None, None, ())
            self.follow_cursor()
            self.reader.refresh()

    def _draw_hints(self) -> None:
        model = self.reader.model
        assert model is not None and self._hints is not None
        marks: _Marks = {}
        for code, offset in self._hints.items():
            for place, first, cells in _cells_of(model, offset, offset + 1):
                marks.setdefault(place, []).append((first, max(cells, len(code)), code))
        self._marks = marks
        self.reader.refresh()

    # -- the other ends --------------------------------------------------------------------

    def follow_cursor(self) -> None:
        """Mark the other ends of the relations (and chain mates) of the span under the
        cursor; only when the span or the links changed is anything redrawn."""
        reader, model, session = self.reader, self.reader.model, self.reader.session
        if self._hints is not None or model is None or session is None:
            return
        if not (self.schema.relations or self.schema.chains):
            return
        span = span_here(reader)
        links = document_links(session)
        span_id = span.id if span is not None else None
        if self._marked == (span_id, links, self.review_ends):
            return
        self._marked = (span_id, links, self.review_ends)
        ends = self.review_ends or [(o.start, o.end) for o in other_ends(session, links, span)]
        marks: _Marks = {}
        for start, end in ends:
            for place, first, cells in _cells_of(model, start, end):
                marks.setdefault(place, []).append((first, cells, ""))
        if marks or self._marks:
            self._marks = marks
            reader.refresh()

    # -- drawing ---------------------------------------------------------------------------

    def decorate(self, row: Row, strip: Strip) -> Strip:
        """``strip`` (the reader's line ``row``) with the hint letters or end marks on it."""
        marks = self._marks.get((row.block, row.line)) if self._marks else None
        if not marks:
            return strip
        for first, cells, letters in marks:
            strip = _overdraw(strip, first, cells, letters)
        return strip

    def mode_label(self) -> str:
        """The status line's word on the mode: linking, hint letters."""
        parts = []
        if self.linking.active and self.linking.source is not None:
            name = excerpt(self.linking.source.text)
            parts.append(f"link from {name}: relation key or ⏎ · Esc")
        if self._hints is not None:
            parts.append("type a letter to jump · Esc")
        return " · ".join(parts)

    def hints(self, panel: keyhints.Panel) -> keyhints.Panel:
        """The hint line's keys while the reader has focus: the link keys when linking,
        else ``panel`` with ``L`` and ``P`` when the labels file declares relations."""
        if self.linking.active:
            direct = [
                (ltype.key, ltype.name)
                for ltype in self.linking.types
                if self.linking.direct(ltype.key) is not None
            ]
            return keyhints.Panel(
                keyhints.LINKING.title,
                (*keyhints.LINKING.hints, *direct),  # the types last: cut first
                closing=(),
            )
        if not self.linking.types:
            return panel
        hints = (*panel.hints[:_LINK_KEYS_AT], *keyhints.LINK_KEYS, *panel.hints[_LINK_KEYS_AT:])
        return keyhints.Panel(panel.title, hints, panel.closing)

    def _mode_changed(self) -> None:
        self.screen.update_status_line()
        self.screen.show_key_hints()


# -------------------------------------------------------------------------------- helpers


def span_here(reader: ReaderView) -> Span | None:
    """The span under the cursor: the innermost one starting here (where hint letters
    land), else the innermost covering it."""
    spans = reader.spans_at_cursor()
    model = reader.model
    if not spans or model is None:
        return None
    return next((span for span in spans if span.start == model.cursor), spans[0])


def session_author(session: Session) -> str:
    """Who the open session's edits are by."""
    return session.annotations.annotator


def other_ends(session: Session, links: Links, span: Span | None) -> list[Span]:
    """The spans at the other end of ``span``'s relations, and its chain mates."""
    if span is None:
        return []
    ids = [r.target if r.source == span.id else r.source for r in links.of_span(span.id)]
    for chain in links.chains:
        if span.id in chain.members:
            ids += [member for member in chain.members if member != span.id]
    found = (session.annotations.get(span_id) for span_id in dict.fromkeys(ids))
    return [other for other in found if other is not None and not other.flagged]


def _starts_in_view(session: Session, model: ReaderModel, rows: list[Row]) -> list[int]:
    """The distinct start offsets of the spans that start on the lines in view."""
    if not rows:
        return []
    first, last = rows[0], rows[-1]
    low = _canonical(model, first.block, first.start)
    high = _canonical(model, last.block, last.end)
    placed = session.annotations.placed
    begin = bisect.bisect_left(placed, low, key=lambda s: s.start)
    end = bisect.bisect_left(placed, max(high, low + 1), key=lambda s: s.start)
    return sorted({span.start for span in placed[begin:end]})


def _canonical(model: ReaderModel, block: int, display: int) -> int:
    return model.blocks.starts[block] + model.view(block).offsets.to_canonical(display)


def _cells_of(model: ReaderModel, start: int, end: int) -> list[tuple[tuple[int, int], int, int]]:
    """Where canonical ``[start, end)`` is drawn: ((block, line), first cell, cells) for
    each visual line it is on."""
    found: list[tuple[tuple[int, int], int, int]] = []
    block = model.blocks.block_at(start)
    base = model.blocks.starts[block]
    stop = min(end, model.blocks.end(block)) - base
    view = model.view(block)
    local = start - base
    if stop <= local:
        return found
    display_start = view.offsets.to_display(local)
    display_end = view.offsets.to_display(stop)
    layout = model.layout(block)
    line = max(0, bisect.bisect_right(layout, display_start) - 1)
    while line < len(layout) and layout[line] < max(display_end, display_start + 1):
        line_start, line_end = model.line_range(block, line)
        low, high = max(display_start, line_start), min(display_end, line_end)
        if high > low:
            first = cell_of(view.text, line_start, low)
            found.append(((block, line), first, text_cells(view.text[low:high])))
        line += 1
    return found


def _overdraw(strip: Strip, first: int, cells: int, letters: str) -> Strip:
    """``strip`` with ``cells`` cells from ``first`` covered by ``letters`` (padded), or,
    without letters, marked as a relation's other end."""
    end = min(first + cells, strip.cell_length)
    if end <= first:
        return strip
    middle = strip.crop(first, end)
    if letters:
        style = next(iter(middle), Segment("")).style or Style()
        shown = letters[: end - first].ljust(end - first)
        middle = Strip([Segment(shown, style + _HINT)], end - first)
    else:
        middle = Strip(list(Segment.apply_style(middle, post_style=_OTHER_END)), end - first)
    return Strip.join([strip.crop(0, first), middle, strip.crop(end)])


# ---------------------------------------------------------------------------------- menu


class LinkMenu(ModalScreen[RelationType | ChainType | None]):
    """The relation and chain types that fit two spans: a type's key or Enter picks one."""

    DEFAULT_CSS = """
    LinkMenu {
        align: center middle;
    }
    LinkMenu > Vertical {
        width: 48;
        max-width: 100%;
        height: auto;
        max-height: 80%;
        border: round $accent;
        border-title-align: center;
        background: $surface;
    }
    LinkMenu OptionList, LinkMenu OptionList:focus {
        height: auto;
        max-height: 16;
        border: none;
        padding: 0;
    }
    LinkMenu Static {
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, choices: tuple[LinkType, ...], title: str) -> None:
        super().__init__()
        self.choices = choices
        self.heading = display_safe(title)

    def compose(self) -> ComposeResult:
        """The two spans, then one row a type: key, name, relation or chain."""
        with Vertical() as box:
            box.border_title = "Link 关系 · key or ⏎ · Esc"
            yield Static(Text(self.heading, no_wrap=True, overflow="ellipsis"), markup=False)
            yield OptionList(*[Option(_choice_row(ltype)) for ltype in self.choices])

    def on_mount(self) -> None:
        """Choose with the keys at once."""
        self.query_one(OptionList).focus()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """A type's key is the menu's: the app's ``q`` (quit) stands aside for it."""
        return any(ltype.key == key for ltype in self.choices)

    def on_key(self, event: events.Key) -> None:
        """A type's key picks it (before the list's own keys)."""
        for ltype in self.choices:
            if ltype.key == event.key:
                event.stop()
                self.dismiss(ltype)
                return

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a row picks its type."""
        self.dismiss(self.choices[event.option_index])

    def action_cancel(self) -> None:
        """Esc: no link."""
        self.dismiss(None)


def _choice_row(ltype: LinkType) -> Text:
    kind = "relation" if isinstance(ltype, RelationType) else "chain"
    row = Text(no_wrap=True, overflow="ellipsis")
    row.append(f" {ltype.key} ", Style(reverse=True, bold=True))
    row.append(f"  {display_safe(ltype.name)}")
    row.append(f"  {kind}", Style(dim=True))
    return row
