"""The attributes popup (``@``): the attributes of the span under the cursor, one key each.

Each attribute the labels file allows on the span's label is listed with its key: a bool
one toggles (true, then unset), a values one steps through its values in order, then
back to unset (see :mod:`tui.core.relations.choices`). Each press is one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from tui.core.linebreak import text_cells
from tui.core.relations.choices import attribute_value, set_next_value
from tui.core.relations.schema import AttributeType
from tui.core.text import display_safe
from tui.screens.categories import ChooserScreen, ReaderHost, refusal, schema_of

if TYPE_CHECKING:
    from tui.core.session import Session
    from tui.core.spans import Span

__all__ = ["AttributesScreen", "open_attributes"]


def open_attributes(reader: ReaderHost) -> None:
    """Open the popup for the innermost span under the cursor, or say in one line why not."""
    schema = schema_of(reader.app)
    if not schema.attributes:
        reader.tell("no attributes: the labels file (--labels) has no [[attribute]] tables")
        return
    spans = reader.spans_at_cursor()
    session = reader.session
    why_not = refusal(session, "attributes")
    if why_not is not None or session is None:
        reader.tell(why_not or "")
        return
    if not spans:
        reader.tell("no span under the cursor (@ sets the attributes of the span there)")
        return
    span = spans[0]
    atypes = schema.attributes_for(span.label)
    if not atypes:
        reader.tell(f"no attribute of the labels file applies to {span.label}")
        return
    on_change = reader.on_change or (lambda: None)
    reader.app.push_screen(AttributesScreen(atypes, session, span, on_change))


class AttributesScreen(ChooserScreen):
    """One span's attributes; a key toggles or steps one (one undo step each)."""

    TITLE_TEXT = "Attributes 属性"
    SUBTITLE_TEXT = "key: next value · Esc closes"

    def __init__(
        self,
        atypes: tuple[AttributeType, ...],
        session: Session,
        span: Span,
        on_change: Callable[[], None],
    ) -> None:
        super().__init__("".join(a.key for a in atypes), on_change)
        self.atypes = atypes
        self.session = session
        self.span = span

    def choose(self, key: str) -> None:
        """Step the attribute on ``key``."""
        for atype in self.atypes:
            if atype.key == key:
                set_next_value(self.session, self.span, atype)

    def body(self) -> Text:
        """The span, then ``k name  value`` lines: every value, the current one marked."""
        from tui.core.annotations import excerpt

        heading = display_safe(f"{self.span.label}  {excerpt(self.span.text)}")
        lines = [Text(heading, style="bold")]
        cells = max(text_cells(display_safe(a.name)) for a in self.atypes)
        for atype in self.atypes:
            value = attribute_value(self.session, self.span.id, atype.name)
            line = Text("  ")
            line.append(atype.key, style="bold")
            name = display_safe(atype.name)
            line.append(" " + name + " " * (cells - text_cells(name)) + "  ")
            choices: tuple[object, ...] = (True,) if atype.kind == "bool" else atype.values
            for choice in choices:
                shown = "[x]" if choice is True else display_safe(str(choice))
                if choice is True and value is not True:
                    shown = "[ ]"
                line.append(shown, style="reverse" if value == choice else "")
                line.append(" ")
            if value is False:
                line.append("false", style="reverse")
            lines.append(line)
        return Text("\n").join(lines)
