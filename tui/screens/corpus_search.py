"""The corpus search screen (``ctrl+f``): hits in every document, with context.

Typing searches as you go, in either script (县 finds 縣); Enter on a hit opens its
document there with the hits highlighted; Esc goes back. The index of every document's
search key is built once, in a worker, the first time the screen opens, and kept by the
screen that opened it. Context is document text: shown as plain text, never markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui.core import keyhints
from tui.core.linebreak import fit_cells
from tui.core.text import display_safe
from tui.widgets.status_bar import KeyHints

if TYPE_CHECKING:
    from tui.core.search import CorpusIndex, Hit, SearchResult

__all__ = ["CorpusHit", "CorpusSearchScreen"]

#: Hits listed at most (all are counted).
_LISTED = 500


@dataclass(frozen=True, slots=True)
class CorpusHit:
    """Where Enter asked to go: a document (its list index), an offset, and the query."""

    index: int
    offset: int
    query: str


class CorpusSearchScreen(Screen[CorpusHit | None]):
    """A search box over the hits of every listed document."""

    DEFAULT_CSS = """
    CorpusSearchScreen #corpus-header {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    CorpusSearchScreen Input, CorpusSearchScreen Input:focus {
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
    }
    CorpusSearchScreen OptionList, CorpusSearchScreen OptionList:focus {
        height: 1fr;
        border: none;
        padding: 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_search", "Back"),
        Binding("down", "to_hits", "To the hits", show=False),
    ]

    def __init__(
        self, index: Callable[[], CorpusIndex], names: Sequence[str], query: str = ""
    ) -> None:
        """``index()`` gives the corpus index; it runs in a worker (building it reads
        every document) and may return one built before. ``names[i]`` is what the list
        calls document ``i`` (its title)."""
        super().__init__()
        self.make_index = index
        self.names = names
        self.index: CorpusIndex | None = None
        #: The query last searched for.
        self.searched = query
        self.hits: list[CorpusHit] = []
        #: The last search's figures (None before the index is ready).
        self.result: SearchResult | None = None

    def compose(self) -> ComposeResult:
        """Header, search box, hits."""
        yield Static(Text("全文搜索 search all documents · reading them…"), id="corpus-header")
        yield Input(value=self.searched, placeholder="search 搜索 (简/繁 alike)", id="corpus-query")
        yield OptionList(id="corpus-hits")
        yield KeyHints(keyhints.CORPUS_QUERY)

    def on_descendant_focus(self) -> None:
        """The key hints follow the focus: the search box, or the hits."""
        typing = isinstance(self.focused, Input)
        self.query_one(KeyHints).show(keyhints.CORPUS_QUERY if typing else keyhints.CORPUS_HITS)

    def on_mount(self) -> None:
        """Build (or fetch) the index without holding up the keys."""
        self.query_one(Input).focus()
        self.run_worker(self._build, thread=True, group="corpus-index", exclusive=True)

    def _build(self) -> None:
        index = self.make_index()
        self.app.call_from_thread(self._ready, index)

    def _ready(self, index: CorpusIndex) -> None:
        self.index = index
        self._search(self.query_one(Input).value)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Search as the query changes."""
        self._search(event.value)

    def on_input_submitted(self) -> None:
        """Enter in the box: open the first hit (``↓`` goes to the list to choose another)."""
        if self.hits:
            self.dismiss(self.hits[0])
        elif self.index is not None:
            self.notify("no hit to open", timeout=3)

    def _search(self, query: str) -> None:
        self.searched = query
        if self.index is None:
            return
        result = self.index.search(query, limit=_LISTED) if query else None
        self.result = result
        options = self.query_one(OptionList)
        options.clear_options()
        self.hits = []
        if result is not None:
            options.add_options([self._option(hit) for hit in result.hits])
            self.hits = [CorpusHit(hit.index, hit.start, query) for hit in result.hits]
        self._update_header()

    def _option(self, hit: Hit) -> Option:
        """``doc  …context with the hit in reverse…``, all plain text."""
        line = Text(no_wrap=True, overflow="ellipsis")
        name = self.names[hit.index] if hit.index < len(self.names) else hit.doc_id
        line.append(fit_cells(display_safe(name), 16), style="dim")
        line.append("  ")
        before = hit.context[: hit.context_start]
        found = hit.context[hit.context_start : hit.context_start + hit.end - hit.start]
        line.append(before)
        line.append(found, style="bold reverse")
        line.append(hit.context[hit.context_start + len(found) :])
        line.truncate(max(self.app.size.width - 2, 10), overflow="ellipsis")  # one row each
        return Option(line)

    def _update_header(self) -> None:
        header = "全文搜索 search all documents"
        index, result = self.index, self.result
        if index is not None:
            header += f" · {len(index):,} documents"
            if index.problems:
                header += f" ({len(index.problems):,} unreadable)"
        if result is not None:
            header += f" · {result.total:,} hits in {result.documents:,}"
            if result.truncated:
                header += f" (first {len(result.hits):,} listed)"
        self.query_one("#corpus-header", Static).update(Text(header, no_wrap=True))

    def action_to_hits(self) -> None:
        """Move from the box to the list of hits."""
        options = self.query_one(OptionList)
        if self.hits:
            options.highlighted = options.highlighted or 0
            options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a hit: open its document there."""
        if 0 <= event.option_index < len(self.hits):
            self.dismiss(self.hits[event.option_index])

    def action_dismiss_search(self) -> None:
        """Back to the list."""
        self.dismiss(None)
