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

from pathlib import Path

from tui.core.text import DecodeError, decode_document, display_safe
from tui.core.untrusted import open_regular

__all__ = [
    "MAX_GUIDELINES_BYTES",
    "NO_GUIDELINES",
    "GuidelinesError",
    "read_guidelines",
    "unfollowed_link",
]

#: Guidelines are written by hand: a few hundred KiB is a long manual already. A larger
#: file would take the renderer seconds to lay out, so it is refused before it is read.
MAX_GUIDELINES_BYTES = 512 * 1024

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


def unfollowed_link(href: str) -> str:
    """What the app says when a link other than one to a heading is clicked: it is named,
    never opened (a guidelines file may point anywhere, including at local files)."""
    return f"links are not followed here: {href}"
