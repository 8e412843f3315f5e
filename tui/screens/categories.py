"""The categories popup (``C``): the open document's categories, one key each.

Each category of the labels file is listed under its group with its key; its key toggles
it (see :mod:`tui.core.relations.choices`), Esc closes. Keys are the schema's own: while
the popup is open they choose categories, even ``q`` (Esc first, then ``q`` quits).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.relations.choices import ordered_categories, toggle_category
from tui.core.relations.schema import DEFAULT_SCHEMA, Schema
from tui.core.text import display_safe

if TYPE_CHECKING:
    from textual.app import App

    from tui.core.session import Session
    from tui.core.spans import Span

__all__ = [
    "CategoriesHost",
    "CategoriesScreen",
    "ChooserScreen",
    "ReaderHost",
    "open_categories",
    "schema_of",
]


class ReaderHost(Protocol):
    """What the popups need of the reading pane."""

    session: Session | None
    on_change: Callable[[], None] | None

    @property
    def app(self) -> App[Any]:
        """The app (its schema)."""
        ...

    def spans_at_cursor(self) -> list[Span]:
        """The spans under the cursor, innermost first."""
        ...

    def tell(self, message: str) -> None:
        """Say in one line why a key did nothing."""


class CategoriesHost(Protocol):
    """What the popup needs of the screen it opens over (the main screen)."""

    @property
    def app(self) -> App[Any]:
        """The app (its schema)."""
        ...

    @property
    def reader(self) -> ReaderHost:
        """The reading pane (its session, and where to say why not)."""
        ...

    def update_status_line(self) -> None:
        """Show the change on the status line (and in the list)."""


def schema_of(app: App[Any]) -> Schema:
    """The schema the app was started with (labels alone when it has none)."""
    schema = getattr(app, "schema", None)
    return schema if isinstance(schema, Schema) else DEFAULT_SCHEMA


def refusal(session: Session | None, what: str) -> str | None:
    """Why ``what`` cannot change now (no document, read-only), or None."""
    if session is None:
        return f"open a document first: {what} belong to the open document"
    if session.read_only is not None:
        return f"read-only ({session.read_only}): {what} cannot change"
    return None


def open_categories(screen: CategoriesHost) -> None:
    """Open the popup over ``screen`` for its open document, or say in one line why not."""
    schema = schema_of(screen.app)
    reader = screen.reader
    if not schema.categories:
        reader.tell("no categories: the labels file (--labels) has no [[category]] tables")
        return
    session = reader.session
    why_not = refusal(session, "categories")
    if why_not is not None or session is None:
        reader.tell(why_not or "")
        return
    screen.app.push_screen(CategoriesScreen(schema, session, screen.update_status_line))


class ChooserScreen(ModalScreen[None]):
    """A small popup of lines, each chosen by a one-character key of the schema's."""

    DEFAULT_CSS = """
    ChooserScreen {
        align: center middle;
    }
    ChooserScreen > VerticalScroll {
        width: auto;
        min-width: 40;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $accent;
        border-title-align: center;
        border-subtitle-align: center;
        background: $surface;
        padding: 0 1;
    }
    ChooserScreen Static {
        width: auto;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    #: The popup's title (on its border).
    TITLE_TEXT = ""
    #: What its keys do (under it).
    SUBTITLE_TEXT = "Esc closes"

    def __init__(self, keys: str, on_change: Callable[[], None]) -> None:
        super().__init__()
        #: The keys the popup answers (each one character).
        self.keys = keys
        self.on_change = on_change

    def compose(self) -> ComposeResult:
        """One block of text, drawn anew after each change."""
        with VerticalScroll() as scroll:
            scroll.border_title = self.TITLE_TEXT
            scroll.border_subtitle = self.SUBTITLE_TEXT
            yield Static(self.body(), markup=False)

    def body(self) -> Text:
        """The lines of the popup."""
        raise NotImplementedError

    def choose(self, key: str) -> None:
        """Act on ``key``, one of :attr:`keys`."""
        raise NotImplementedError

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """The schema's keys are this popup's: the app's ``q`` does not take them."""
        return character is not None and character in self.keys

    def on_key(self, event: events.Key) -> None:
        """A schema key chooses; the line and the status line show the change."""
        if event.character is None or event.character not in self.keys:
            return
        event.stop()
        event.prevent_default()
        self.choose(event.character)
        self.query_one(Static).update(self.body())
        self.on_change()


class CategoriesScreen(ChooserScreen):
    """The document's categories by group; a key toggles one (one undo step each)."""

    TITLE_TEXT = "Categories 分类"
    SUBTITLE_TEXT = "key: on/off · Esc closes"

    def __init__(self, schema: Schema, session: Session, on_change: Callable[[], None]) -> None:
        super().__init__("".join(c.key for c in schema.categories), on_change)
        self.schema = schema
        self.session = session

    def choose(self, key: str) -> None:
        """Toggle the category on ``key``."""
        category = self.schema.category_for_key(key)
        if category is not None:
            toggle_category(self.session, self.schema, category)

    def body(self) -> Text:
        """Each group's title (``one of`` when exclusive), then ``[x] k name`` lines."""
        chosen = self.session.links.categories
        lines: list[Text] = []
        for group in self.schema.category_groups():
            first = group[0]
            if first.group:
                how = "any of" if first.multi else "one of"
                lines.append(Text(display_safe(f"{first.group} ({how})"), style="bold"))
            for category in group:
                on = category.name in chosen
                mark = ("[x]" if on else "[ ]") if category.multi else ("(•)" if on else "( )")
                line = Text(f"  {mark} ")
                line.append(category.key, style="bold")
                line.append(" " + display_safe(category.name), style="bold" if on else "")
                lines.append(line)
        listed = ordered_categories((c.name for c in self.schema.categories), chosen)
        unknown = [name for name in listed if self.schema.category(name) is None]
        if unknown:  # read from a file another tool wrote: shown, not chosen here
            lines.append(Text(display_safe("also (not in the labels file): " + ", ".join(unknown))))
        return Text("\n").join(lines)
