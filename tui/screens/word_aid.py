"""The word panel's controller: ``i`` shows it, ``I`` moves into it, the cursor feeds it.

A small controller of :class:`~tui.screens.main.MainScreen`. The panel
(:class:`~tui.widgets.word_panel.WordPanel`) is built on first use, and so is the
dictionary behind it (CC-CEDICT and pypinyin: about a second and 120 MB, read in a
worker). What the panel says comes from :mod:`tui.core.dictionary`.

Focus: ``i`` opens the panel and leaves the focus in the reader, which keeps every key
(the wheel scrolls the panel). ``I`` (or a click in the panel) moves the focus into it,
where ``j`` ``k`` ``↑`` ``↓`` ``PgUp`` ``PgDn`` ``g`` ``G`` scroll; ``Esc``, ``I`` or
``Tab`` go back to the text, and ``i`` there closes the panel and goes back too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.dictionary import Dictionary
    from tui.screens.aids_host import AidsHost
    from tui.widgets.word_panel import WordPanel

__all__ = ["WordAid"]

#: What the panel shows, as the screen knows it: word start, end and text, whether the
#: dictionary was read (or failed), and the width its lines were wrapped to.
_Shown = tuple[int, int, str, bool, int]


class WordAid:
    """Opens, fills and focuses one screen's word panel."""

    def __init__(self, host: AidsHost, *, after_load: Callable[[], None]) -> None:
        self.host = host
        #: Called (in the app's thread) once the dictionary is read: the screen freezes
        #: the heap, as pypinyin's phrase tables are millions of lists.
        self._after_load = after_load
        #: The panel, mounted on first use.
        self.panel: WordPanel | None = None
        self._dictionary: Dictionary | None = None
        #: None: not asked for yet; "": loading or loaded; else why it cannot be read.
        self._problem: str | None = None
        self._shown: _Shown | None = None

    @property
    def is_open(self) -> bool:
        """Whether the panel is on screen."""
        return self.panel is not None and not self.panel.has_class("-hidden")

    async def toggle(self) -> None:
        """Show the panel (the reader keeps the focus), or hide it."""
        if self.is_open:
            assert self.panel is not None
            if self.panel.has_focus:
                self.host.reader.focus()  # a hidden widget cannot keep the focus
            self.panel.add_class("-hidden")
            return
        await self._show()

    async def enter(self) -> None:
        """Move into the panel to scroll it with keys (showing it first if needed)."""
        panel = await self._show() if not self.is_open else self.panel
        if panel is not None:
            panel.focus()

    async def _show(self) -> WordPanel:
        from tui.widgets.word_panel import WordPanel

        if self.panel is None:  # built on first use, like the dictionary behind it
            self.panel = WordPanel(id="word-panel")
            reading = self.host.reader.screen.query_one("#reading")
            await reading.mount(self.panel, after="#text-and-spans")
        self.panel.remove_class("-hidden")
        if self._problem is None:
            self._problem = ""
            self.host.reader.screen.run_worker(self._read, thread=True, group="dictionary")
        self._shown = None
        self.update()
        return self.panel

    def rewrap(self) -> None:
        """The panel changed width: wrap its lines anew."""
        self._shown = None
        self.update()

    def _read(self) -> None:
        """Load CC-CEDICT and pypinyin (in a worker thread)."""
        from tui.core.dictionary import DictionaryError, shared_dictionary, warm_up_pinyin

        try:
            dictionary = shared_dictionary()
            # Worked out here, not on the first word without an entry (~30 ms).
            dictionary.longest_headword  # noqa: B018
            warm_up_pinyin()
        except DictionaryError as error:
            self._problem = f"no dictionary: {error}"
        else:
            self._dictionary = dictionary
        app = self.host.reader.app
        app.call_from_thread(self.update)
        app.call_from_thread(self._after_load)

    def update(self) -> None:
        """Fill the panel, if it is open, for the word now under the cursor."""
        panel = self.panel
        if panel is None or panel.has_class("-hidden"):
            return  # the usual case, on every key: no DOM query for it
        model = self.host.reader.model
        ready = self.host.segmenter.ready
        word = model.word_at_cursor() if model is not None and ready else None
        dictionary = self._dictionary
        loaded = dictionary is not None or bool(self._problem)
        width = panel.text_width
        shown = (word.start, word.end, word.shown, loaded, width) if word else None
        if shown is not None and shown == self._shown:
            return  # the cursor moved within the word
        self._shown = shown
        from tui.core.dictionary import describe_word, info_lines, message_lines

        if dictionary is None:
            message = self._problem or "reading the dictionary (CC-CEDICT)…"
            panel.show_lines(message_lines(message, width))
        elif word is None:
            waiting = model is not None and not ready
            message = "finding word boundaries…" if waiting else "no word here"
            panel.show_lines(message_lines(message, width))
        else:
            from tui.core.script import simplified_shadow

            info = describe_word(dictionary, word.shown, simplified_shadow(word.shown))
            panel.show_lines(info_lines(info, width))
