"""CoNLL-style character tagging, BIO or BMES: the engine behind ``conll-bio``/``conll-bmes``.

Layout: one token a line, ``CHAR<TAB>TAG``; one blank line between sentences; two blank
lines between documents. Tags are ``B-X``, ``I-X``, ``O`` (BIO) or ``B-X``, ``M-X``,
``E-X``, ``S-X``, ``O`` (BMES).

Reading also accepts tokens of several characters, columns separated by spaces when a line
has no tab (first column the token, last the tag), and ``-DOCSTART-`` lines, which are
skipped and end the current document. A tag sequence the scheme does not allow (``I-X``
at a sentence start or after ``B-Y``, ``M-``/``E-`` without ``B-``, ``B-`` never closed by
``E-``) is a FormatError naming the line: nothing is repaired. A document's text is its
tokens joined, with ``\\n`` between sentences; documents have no names.

Problems go to a :class:`~tui.core.formats.problems.Problems` collector (without one, the
first is raised): a span with a bad tag is left out (its tokens stay in the text, untagged),
and a document with a line that has no tag or no token is left out whole.

Writing: a sentence ends at ``\\n`` and after ``。！？!?`` (with any closing quotes or
brackets that follow), but never inside a span that is written, nor inside paired brackets
or quotes of the line (``《》「」『』“”‘’（）…``): a title such as ``《南京！南京！》`` stays
one sentence, and no entity is lost to a break. What the format cannot carry is lost:

- whitespace: characters for which ``str.isspace()`` is true are not written, so
  ``import(export(doc))`` gives the text without them, sentences joined by ``\\n``;
- line structure: every sentence break reads back as one ``\\n``, and a line break inside
  a span is not written at all;
- spans that overlap a longer (then an earlier) span or cover only whitespace: each is
  listed in ``WriteReport.dropped``; spans lose leading and trailing whitespace; notes and
  fragment groups are not written (a warning says so);
- documents without a character to write are left out, with a warning.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.formats._io import Output, atomic_output, encoded, iter_lines
from tui.core.formats.checks import (
    WarningLog,
    Where,
    check_document,
    checked_label,
    describe,
    describe_span,
    quote,
    unwritten,
)
from tui.core.formats.model import (
    DocumentRecord,
    FormatError,
    SpanRecord,
    WriteReport,
    links_left_out,
)
from tui.core.formats.problems import Kind, Problems
from tui.core.wording import counted

__all__ = ["BIO", "BMES", "Scheme", "read", "write"]

_SENTENCE_ENDS = frozenset("。！？!?")
_CLOSERS = frozenset("”’」』）》〉】〕)]\"'")
#: Brackets and quotes whose inside is never cut into two sentences (within one line).
_OPENING = frozenset("《〈「『“‘（【〔")
_CLOSING = frozenset("》〉」』”’）】〕")
_LINES_PER_WRITE = 4096


@dataclass(frozen=True, slots=True)
class Scheme:
    """A tagging scheme: its format name and the tag prefixes it uses besides ``O``."""

    name: str
    prefixes: str

    def tags(self, label: str, length: int) -> list[str]:
        """The tags of a span of ``length`` tokens labelled ``label``."""
        if self.prefixes == "BI":
            return [f"B-{label}", *[f"I-{label}"] * (length - 1)]
        if length == 1:
            return [f"S-{label}"]
        return [f"B-{label}", *[f"M-{label}"] * (length - 2), f"E-{label}"]


BIO = Scheme("conll-bio", "BI")
BMES = Scheme("conll-bmes", "BMES")


# ---------------------------------------------------------------------------- reading


def read(
    source: Path, scheme: Scheme, problems: Problems | None = None
) -> Iterator[DocumentRecord]:
    """The documents of a CoNLL file tagged with ``scheme``, one line at a time.

    Without ``problems``, the first bad tag raises a FormatError; with it, each is recorded
    there and its span (or document) left out.
    """
    problems = Problems(strict=True) if problems is None else problems
    builder = _Builder(str(source), scheme, problems)
    blank_lines = 0
    for number, line in iter_lines(source):
        if not line.strip():
            blank_lines += 1
            continue
        marker = line.startswith("-DOCSTART-")
        if marker or blank_lines >= 2:
            yield from builder.finish()
        elif blank_lines:
            builder.end_sentence()
        blank_lines = 0
        if not marker:
            builder.add(line, Where(str(source), number))
    yield from builder.finish()


@dataclass(slots=True)
class _Open:
    """A span whose last token has not been seen yet."""

    label: str
    start: int
    line: int
    spoilt: bool = False  # a bad tag is in it: left out, its other tags not checked


class _Builder:
    """Collects one document's tokens and spans, checking each tag against the scheme."""

    def __init__(self, path: str, scheme: Scheme, problems: Problems) -> None:
        self._path = path
        self._scheme = scheme
        self._problems = problems
        self._reset()

    def _reset(self) -> None:
        self._pieces: list[str] = []
        self._length = 0
        self._spans: list[tuple[int, int, str]] = []
        self._open: _Open | None = None
        self._warnings = WarningLog()
        self._first_line = 0
        self._invalid_document = False

    def add(self, line: str, where: Where) -> None:
        """Take one ``TOKEN<TAB>TAG`` line."""
        try:
            token, tag = _fields(line, where)
        except FormatError as error:
            self._problems.invalid(error, Kind.DOCUMENT)
            self._invalid_document = True
            return
        try:
            prefix, label = self._parse(tag, where)
        except FormatError as error:
            self._problems.invalid(error)
            self._spoil(where)
        else:
            if self._scheme.prefixes == "BI":
                self._bio(prefix, label, tag, where)
            else:
                self._bmes(prefix, label, len(token), tag, where)
        self._first_line = self._first_line or (where.line or 0)
        self._pieces.append(token)
        self._length += len(token)

    def end_sentence(self) -> None:
        """A blank line: the sentence ends, and reads back as a line break."""
        self._close_at_break()
        if self._pieces:
            self._pieces.append("\n")
            self._length += 1

    def finish(self) -> Iterator[DocumentRecord]:
        """The document collected so far (none if it has no tokens); start a new one."""
        self._close_at_break()
        if self._pieces and not self._invalid_document:
            text = "".join(self._pieces)
            spans = tuple(SpanRecord(s, e, label, text[s:e]) for s, e, label in self._spans)
            yield DocumentRecord(
                name="",
                text=text,
                spans=spans,
                line=self._first_line,
                warnings=self._warnings.as_tuple(),
            )
        self._reset()

    def _parse(self, tag: str, where: Where) -> tuple[str, str]:
        if tag == "O":
            return "O", ""
        prefix, dash, label = tag.partition("-")
        if not dash or prefix not in self._scheme.prefixes:
            tags = ", ".join(f"{prefix}-X" for prefix in self._scheme.prefixes)
            raise where.error(f"unknown tag {quote(tag)} ({self._scheme.name} uses {tags}, O)")
        return prefix, checked_label(label, where, self._warnings)

    def _bio(self, prefix: str, label: str, tag: str, where: Where) -> None:
        if prefix != "I":
            self._close(self._length)
            if prefix == "B":
                self._open = _Open(label, self._length, where.line or 0)
            return
        if self._open is None:
            self._problems.invalid(
                where.error(f"{quote(tag)} does not continue a span (a span starts with B-)")
            )
            self._spoil(where)
        elif self._open.label != label and not self._open.spoilt:
            self._problems.invalid(
                where.error(f"{quote(tag)} follows {quote('B-' + self._open.label)}")
            )
            self._spoil(where)

    def _bmes(self, prefix: str, label: str, size: int, tag: str, where: Where) -> None:
        if prefix in ("M", "E"):
            if self._open is None:
                self._problems.invalid(where.error(f"{quote(tag)} without B-{label} before it"))
                self._spoil(where)
            elif self._open.label != label and not self._open.spoilt:
                self._problems.invalid(
                    where.error(f"{quote(tag)} inside a span begun by B-{self._open.label}")
                )
                self._spoil(where)
            if prefix == "E":
                self._close(self._length + size)
            return
        self._refuse_unclosed(where)
        if prefix == "S":
            self._spans.append((self._length, self._length + size, label))
        elif prefix == "B":
            self._open = _Open(label, self._length, where.line or 0)

    def _close_at_break(self) -> None:
        """End of a sentence or document: BIO spans end here; BMES ones must have ended."""
        if self._scheme.prefixes == "BI":
            self._close(self._length)
        else:
            self._refuse_unclosed(None)

    def _refuse_unclosed(self, where: Where | None) -> None:
        """A BMES span still open where one must have ended: invalid, and left out."""
        if self._open is None:
            return
        label, line, spoilt = self._open.label, self._open.line, self._open.spoilt
        self._open = None
        if not spoilt:
            where = where or Where(self._path, line)
            self._problems.invalid(
                where.error(f"B-{label} at line {line} is not closed by E-{label}")
            )

    def _spoil(self, where: Where) -> None:
        """A bad tag: the span it is in (or begins) is left out, up to where it ends."""
        if self._open is None:
            self._open = _Open("", self._length, where.line or 0)
        self._open.spoilt = True

    def _close(self, end: int) -> None:
        if self._open is not None:
            if not self._open.spoilt:
                self._spans.append((self._open.start, end, self._open.label))
            self._open = None


def _fields(line: str, where: Where) -> tuple[str, str]:
    fields = line.split("\t") if "\t" in line else line.split()
    if len(fields) < 2:
        raise where.error(f"expected CHARACTER<TAB>TAG, not {quote(line)}")
    token, tag = fields[0], fields[-1].strip()
    if not token:
        raise where.error("empty token before the tag")
    return token, tag


# ---------------------------------------------------------------------------- writing


def write(documents: Iterable[DocumentRecord], out: Path, scheme: Scheme) -> WriteReport:
    """Write ``documents`` to ``out`` tagged with ``scheme``; see the module for what is lost."""
    report = WriteReport()
    left_out: Counter[str] = Counter()
    with atomic_output(out) as handle:
        for index, doc in enumerate(documents, start=1):
            check_document(doc, path=str(out), index=index)
            _write_document(doc, describe(doc, index), scheme, handle, out, report)
            left_out.update(
                relation=len(doc.relations),
                chain=len(doc.chains),
                category=len(doc.categories),
                attribute=len(doc.attributes),
            )
    # One line for the whole export: CoNLL has no place for any of these.
    warning = links_left_out(left_out, scheme.name)
    if warning:
        report.warnings.append(warning)
    return report


def _write_document(
    doc: DocumentRecord, what: str, scheme: Scheme, handle: Output, out: Path, report: WriteReport
) -> None:
    if not doc.text.strip():  # str.strip() takes what str.isspace() calls whitespace
        report.warnings.append(f"{what}: no characters to write (whitespace only): left out")
        return
    kept = _kept_spans(doc, what, report)
    starts = _sentence_starts(doc.text, _inside_spans(kept))
    tags: dict[int, str] = {}
    for span in kept:
        positions = [i for i in range(span.start, span.end) if not doc.text[i].isspace()]
        tags.update(zip(positions, scheme.tags(span.span.label, len(positions)), strict=True))
    if report.documents:
        handle.write(b"\n\n")
    for chunk in _chunks(_lines(doc.text, starts, tags)):
        handle.write(encoded(chunk, out, what))
    report.documents += 1
    report.spans += len(kept)
    report.warnings.extend(unwritten(doc, what, scheme.name, notes=True))


def _inside_spans(kept: Iterable[_Candidate]) -> frozenset[int]:
    """The offsets a sentence must not start at: inside a written span, after its start."""
    return frozenset(i for span in kept for i in range(span.start + 1, span.end))


def _sentence_starts(text: str, unbreakable: Collection[int]) -> list[int]:
    """The offset of the first written character of each sentence.

    A sentence ends at a line break and after sentence-final punctuation (and the closing
    quotes or brackets that follow it), except at an offset in ``unbreakable`` or inside
    brackets opened earlier on the same line.
    """
    starts: list[int] = []
    new_sentence, ended, depth = True, False, 0
    for index, char in enumerate(text):
        if char == "\n":
            if index not in unbreakable:
                new_sentence, ended, depth = True, False, 0
            continue
        if char.isspace():
            continue
        if ended and depth == 0 and char not in _CLOSERS and char not in _SENTENCE_ENDS:
            new_sentence = True
        if new_sentence and index not in unbreakable:  # else the sentence goes on
            starts.append(index)
        new_sentence = False
        ended = char in _SENTENCE_ENDS or (ended and char in _CLOSERS)
        depth = _depth_after(char, depth)
    return starts


def _depth_after(char: str, depth: int) -> int:
    """How many brackets are open after ``char`` (a stray closing one is ignored)."""
    if char in _OPENING:
        return depth + 1
    if char in _CLOSING and depth:
        return depth - 1
    return depth


def _lines(text: str, starts: Sequence[int], tags: dict[int, str]) -> Iterator[str]:
    breaks = set(starts[1:])
    for index, char in enumerate(text):
        if char.isspace():
            continue
        if index in breaks:
            yield "\n"
        yield f"{char}\t{tags.get(index, 'O')}\n"


def _chunks(lines: Iterator[str]) -> Iterator[str]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == _LINES_PER_WRITE:
            yield "".join(batch)
            batch.clear()
    if batch:
        yield "".join(batch)


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A span that could be written: its position in the document and written extent."""

    position: int
    start: int
    end: int
    span: SpanRecord


def _kept_spans(doc: DocumentRecord, what: str, report: WriteReport) -> list[_Candidate]:
    """The spans to write: no overlaps, longer (then earlier) first; the rest reported."""
    dropped: list[tuple[int, str]] = []
    candidates = []
    for position, span in enumerate(doc.spans):
        extent = _trimmed(doc.text, span)
        if extent is None:
            dropped.append((position, "covers only whitespace"))
        else:
            candidates.append(_Candidate(position, *extent, span))
    kept = _without_overlaps(candidates, dropped)
    for position, reason in sorted(dropped):
        report.dropped.append(f"{what}: span {describe_span(doc.spans[position])}: {reason}")
    if dropped:
        report.warnings.append(
            f"{what}: {len(dropped):,} of {counted(len(doc.spans), 'span')} not written "
            "(listed as dropped)"
        )
    return sorted(kept, key=lambda candidate: candidate.start)


def _without_overlaps(
    candidates: Sequence[_Candidate], dropped: list[tuple[int, str]]
) -> list[_Candidate]:
    kept: list[_Candidate] = []
    kept_starts: list[int] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.start, c.position)):
        # Kept spans do not overlap, so only the last one starting before the end can.
        slot = bisect_left(kept_starts, candidate.end)
        before = kept[slot - 1] if slot else None
        if before is not None and before.end > candidate.start:
            dropped.append((candidate.position, f"overlaps {describe_span(before.span)}"))
            continue
        insort(kept_starts, candidate.start)
        kept.insert(bisect_left(kept_starts, candidate.start), candidate)
    return kept


def _trimmed(text: str, span: SpanRecord) -> tuple[int, int] | None:
    """The span without leading and trailing whitespace, or None if nothing is left."""
    written = [i for i in range(span.start, span.end) if not text[i].isspace()]
    return (written[0], written[-1] + 1) if written else None
