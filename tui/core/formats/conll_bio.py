"""``conll-bio``: one character a line, tagged B-X, I-X or O (see :mod:`.conll`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.core.formats import conll
from tui.core.formats.model import DocumentRecord, WriteReport
from tui.core.formats.problems import Problems

__all__ = ["read", "write"]


def read(source: Path, problems: Problems | None = None) -> Iterator[DocumentRecord]:
    """The documents of a BIO-tagged CoNLL file."""
    return conll.read(source, conll.BIO, problems)


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write ``documents`` to ``out`` with BIO tags."""
    return conll.write(documents, out, conll.BIO)
