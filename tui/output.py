"""Every line the command line prints goes out through here, made safe for a terminal.

Messages name files, folders, document ids, labels and notes: any of them can hold
``ESC ] 52`` (write the clipboard), ``ESC ] 0`` (set the title) or a bidi override. Each
line is passed through :func:`tui.core.text.display_safe` (one character for one, so
columns still line up) on its way to stdout or stderr, argparse's own messages included.
Cheap to import: no Textual, nothing else from the project but the sanitiser.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tui.core.text import display_safe

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

__all__ = ["SafeArgumentParser", "say", "warn"]


def say(text: str) -> None:
    """Print ``text`` (one or more lines) on stdout, control characters made visible."""
    print(display_safe(text))


def warn(text: str) -> None:
    """Print ``text`` on stderr, control characters made visible."""
    print(display_safe(text), file=sys.stderr)


class SafeArgumentParser(argparse.ArgumentParser):
    """An argument parser whose usage, help and errors are made safe like :func:`say`.

    ``biaozhu 'x<ESC>]0;t<BEL>'`` is echoed in "unrecognized arguments: …"; its
    subcommand parsers are of this class too (argparse makes them like their parent).
    """

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        super()._print_message(display_safe(message), file)
