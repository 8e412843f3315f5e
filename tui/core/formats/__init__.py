"""Interchange codecs for annotation formats, in plain Python (no store, no terminal).

This package holds the in-memory model every codec reads into and writes from, and the
offset maps and checks the codecs share.
"""

from __future__ import annotations

from tui.core.formats.checks import check_document
from tui.core.formats.model import (
    DocumentRecord,
    ExportMismatch,
    FormatError,
    SpanRecord,
    WriteReport,
)
from tui.core.formats.offsets import normalise_with_map

__all__ = [
    "DocumentRecord",
    "ExportMismatch",
    "FormatError",
    "SpanRecord",
    "WriteReport",
    "check_document",
    "normalise_with_map",
]
