"""Interchange codecs: doccano, brat, CoNLL (BIO, BMES) and Label Studio, in plain Python.

Each format reads a source into :class:`DocumentRecord` values one document at a time and
writes them back, also streaming, returning a :class:`WriteReport`. :data:`FORMATS` maps a
format's command-line name to its codec. Nothing here touches the store or the terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from tui.core.formats import brat, conll_bio, conll_bmes, doccano, label_studio
from tui.core.formats.checks import check_document
from tui.core.formats.model import (
    DocumentRecord,
    ExportMismatch,
    FormatError,
    SpanRecord,
    WriteReport,
)
from tui.core.formats.offsets import normalise_with_map
from tui.core.formats.problems import Problems

__all__ = [
    "FORMATS",
    "DocumentRecord",
    "ExportMismatch",
    "Format",
    "FormatError",
    "Reader",
    "SpanRecord",
    "WriteReport",
    "check_document",
    "normalise_with_map",
]


class Reader(Protocol):
    """A format's reader: the documents of ``source``, one at a time.

    Without ``problems`` it raises a FormatError at the first invalid item; with it, it
    records each there and leaves it out, with whatever refers to it.
    """

    def __call__(
        self, source: Path, problems: Problems | None = None, /
    ) -> Iterator[DocumentRecord]: ...


@dataclass(frozen=True, slots=True)
class Format:
    """One interchange format: how to read it, how to write it, and what it writes.

    ``out_is_folder`` says whether ``write`` fills a folder (brat) or writes one file;
    ``suffix`` is the usual file name ending for that file (empty for a folder).
    """

    name: str
    read: Reader
    write: Callable[[Iterable[DocumentRecord], Path], WriteReport]
    out_is_folder: bool
    suffix: str


FORMATS: Mapping[str, Format] = MappingProxyType(
    {
        "doccano": Format("doccano", doccano.read, doccano.write, False, ".jsonl"),
        "brat": Format("brat", brat.read, brat.write, True, ""),
        "conll-bio": Format("conll-bio", conll_bio.read, conll_bio.write, False, ".conll"),
        "conll-bmes": Format("conll-bmes", conll_bmes.read, conll_bmes.write, False, ".conll"),
        "label-studio": Format(
            "label-studio", label_studio.read, label_studio.write, False, ".json"
        ),
    }
)
