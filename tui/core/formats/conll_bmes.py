"""``conll-bmes``: one character a line, tagged B-X, M-X, E-X, S-X or O (see :mod:`.conll`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from tui.core.formats import conll
from tui.core.formats.model import DocumentRecord, WriteReport
from tui.core.formats.problems import Problems

__all__ = ["read", "write"]


def read(source: Path, problems: Problems | None = None) -> Iterator[DocumentRecord]:
    """The documents of a BMES-tagged CoNLL file."""
    return conll.read(source, conll.BMES, problems)


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write ``documents`` to ``out`` with BMES tags."""
    return conll.write(documents, out, conll.BMES)
