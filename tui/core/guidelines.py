"""The annotation guidelines: a Markdown file the lead writes, read for display in the app.

The file is untrusted like any document: it may be missing, a folder or a FIFO, binary,
huge, in GB18030, or full of terminal escapes and markup. :func:`read_guidelines` turns
every such case into a :class:`GuidelinesError` whose text is one line naming the file,
and returns text that is safe to hand to a Markdown renderer: newlines normalised and
control characters made visible (:func:`tui.core.text.display_safe`), so nothing in the
file reaches the terminal as a control sequence. Markdown syntax is kept: the renderer
builds its styled text without parsing Rich markup, and the app follows no link.
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.text import DecodeError, decode_document, display_safe
from tui.core.untrusted import open_regular

__all__ = [
    "MAX_GUIDELINES_BYTES",
    "MAX_SHOWN_BLOCKS",
    "NO_GUIDELINES",
    "GuidelinesError",
    "read_guidelines",
    "shown_part",
    "unfollowed_link",
]

#: Guidelines are written by hand: a few hundred KiB is a long manual already. A larger
#: file would take the renderer seconds to lay out, so it is refused before it is read.
MAX_GUIDELINES_BYTES = 512 * 1024

#: Textual lays out each paragraph, list item and table row as widgets of their own, some
#: 10 ms apiece on a busy 2-core machine (list items cost most: 1 000 of them took 9 s).
#: Past this many blocks the rest of the file is left out, and the screen says so.
MAX_SHOWN_BLOCKS = 400

#: A line that starts a block of its own even right after another line: a list item, a
#: heading, a table row, a quote.
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+][ \t]|[0-9]+[.)][ \t]|#|\||>)")

#: A line that opens or closes a fenced code block, and its fence.
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")

#: What the guidelines key says when the app was started without a guidelines file.
NO_GUIDELINES = "no guidelines file: start biaozhu with --guidelines FILE.md to read one here"


class GuidelinesError(Exception):
    """The guidelines cannot be shown; ``str(error)`` is one line naming the file."""


def read_guidelines(path: Path) -> str:
    """The Markdown text of the guidelines file ``path``, safe for the terminal.

    Decoded as documents are (UTF-8 with or without BOM, GB18030, Big5; see
    :func:`tui.core.text.decode_document`). Raises :class:`GuidelinesError` when the file
    is missing, unreadable, not a regular file, larger than
    :data:`MAX_GUIDELINES_BYTES` or not text.
    """
    try:
        with open_regular(path) as file:
            data = file.read(MAX_GUIDELINES_BYTES + 1)  # no more: the file may be huge
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise GuidelinesError(f"{path}: cannot read the guidelines: {reason}") from error
    if len(data) > MAX_GUIDELINES_BYTES:
        limit = MAX_GUIDELINES_BYTES // 1024
        raise GuidelinesError(f"{path}: the guidelines are larger than {limit} KiB")
    try:
        text = decode_document(data).text
    except DecodeError as error:
        raise GuidelinesError(f"{path}: cannot show the guidelines: {error}") from error
    return display_safe(text)


def shown_part(text: str, max_blocks: int = MAX_SHOWN_BLOCKS) -> tuple[str, int]:
    """The start of ``text`` that holds at most ``max_blocks`` Markdown blocks, cut at a
    line boundary, and how many lines are left out (0: the whole text).

    A block starts at a line after a blank one, or at a list item, heading, table row or
    quote. Lines in a fenced code block may count too: the estimate errs on the short side.
    """
    lines = text.splitlines(keepends=True)
    blocks = 0
    after_blank = True
    fence = ""  # the fence of the code block the line is in ("" outside one)
    for index, line in enumerate(lines):
        blank = not line.strip()
        if not blank and (after_blank or _BLOCK_START.match(line)):
            blocks += 1
            if blocks > max_blocks:
                closing = f"\n{fence}\n" if fence else ""  # what follows is not code
                return "".join(lines[:index]) + closing, len(lines) - index
        if found := _FENCE.match(line):
            fence = "" if fence and found.group(1).startswith(fence) else fence or found.group(1)
        after_blank = blank
    return text, 0


def unfollowed_link(href: str) -> str:
    """What the app says when a link other than one to a heading is clicked: it is named,
    never opened (a guidelines file may point anywhere, including at local files)."""
    return f"links are not followed here: {href}"
