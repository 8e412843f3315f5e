"""brat standoff: a folder of ``NAME.txt`` texts, each with a ``NAME.ann`` of annotations.

Read: the folder's top level (not sub-folders), or one ``.txt`` or ``.ann`` path. A ``.txt``
without an ``.ann`` is a document without spans; an ``.ann`` without its ``.txt`` is an
error. Files whose name starts with a dot are skipped, and a link to a file outside the
folder is an error rather than something to follow (each of these a problem of that
document). The ``.txt`` is UTF-8; offsets in the ``.ann`` are code points of it as stored
(brat is Python), mapped onto the canonical text.

``.ann`` lines:

- ``T1<TAB>LABEL START END<TAB>TEXT`` is a span. A discontinuous one,
  ``T1<TAB>LABEL 0 5;16 23<TAB>TEXT``, becomes one span per fragment, all with
  ``group="T1"``, and a warning. TEXT must match the offsets (fragments joined by a space;
  a space where the text has a line break is accepted, as TEXT is one line).
- ``#1<TAB>AnnotatorNotes T1<TAB>note`` becomes the note of span T1.
- ``R1<TAB>TYPE Arg1:T1 Arg2:T2`` between two spans is a :class:`RelationRecord` (id kept),
  ``*<TAB>TYPE T1 T2 ...`` an equivalence of spans a :class:`ChainRecord`, and
  ``A1<TAB>NAME T1`` (a flag, value True) or ``A1<TAB>NAME T1 VALUE`` (``M`` too) on a span
  an :class:`AttributeRecord` (id kept).
- Every other line (events ``E``, normalisations ``N``, notes on relations, relations or
  attributes on events, a second relation, equivalence or attribute saying what one before
  said) is kept verbatim in ``extra_lines``. Each id a line points at must be in the file,
  and its own id used once.

Problems go to a :class:`~tui.core.formats.problems.Problems` collector (without one, the
first is raised): an invalid ``T`` line is left out, and so is every line that points at
it, directly or through another line left out (a note on a relation on it), each named.

Write: ``NAME.txt`` (canonical text, UTF-8, ``\\n``) and ``NAME.ann`` into the output folder,
NAME made safe by :func:`tui.core.formats.names.file_stem` (``document-N`` for a document without a
name, ``-2``... appended to repeats). Spans keep their source id when it is a usable ``T``
id, so the verbatim lines still point at them; others get ``T1``, ``T2``... in span order.
Lines are written in the order T, notes, R, ``*``, A/M, then the verbatim lines; relations
and attributes keep their ids when usable (fresh ``R``/``A`` ids otherwise), and a link to
a span that is not written is left out with a warning. Note ids ``#N`` are renumbered; line
breaks in TEXT and notes are written as spaces.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.formats._io import encoded, iter_lines, read_text, write_file
from tui.core.formats.checks import (
    WarningLog,
    Where,
    check_document,
    checked_label,
    checked_note,
    describe,
    quote,
    resolve_fragments,
)
from tui.core.formats.model import (
    AttributeRecord,
    ChainRecord,
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    WriteReport,
)
from tui.core.formats.names import file_stem
from tui.core.formats.offsets import SourceText
from tui.core.formats.problems import Kind, Problems
from tui.core.labels import name_problem
from tui.core.untrusted import MAX_OFFSET

__all__ = ["read", "write"]

_T_ID = re.compile(r"T\S+")
_R_ID = re.compile(r"R\S+")
_A_ID = re.compile(r"[AM]\S+")
#: Ids a kept line can point at: entities, events, relations.
_REFERABLE = re.compile(r"[TER]\S+")
_NOTE = "AnnotatorNotes"
_T_LINE = "expected ID<TAB>LABEL START END<TAB>TEXT"


def read(source: Path, problems: Problems | None = None) -> Iterator[DocumentRecord]:
    """The documents of a brat folder (sorted by name), or of one ``.txt``/``.ann`` path.

    Without ``problems``, the first invalid line raises a FormatError; with it, each is
    recorded there and left out, with the lines pointing at it.
    """
    problems = Problems(strict=True) if problems is None else problems
    for text_path, ann_path in _pairs(source, problems):
        yield _document(text_path, ann_path, problems)


def _pairs(source: Path, problems: Problems) -> list[tuple[Path, Path | None]]:
    if source.is_dir():
        return _folder_pairs(source, problems)
    if source.suffix == ".ann" and source.is_file():
        return [(_text_for(source), source)]
    if source.suffix == ".txt" and source.is_file():
        ann = source.with_suffix(".ann")
        return [(source, ann if ann.is_file() else None)]
    if not source.exists():
        raise FormatError(source, None, "no such file or folder")
    raise FormatError(source, None, "expected a folder of .txt and .ann files, or one of them")


def _text_for(ann: Path) -> Path:
    text = ann.with_suffix(".txt")
    if not text.is_file():
        raise FormatError(ann, None, f"no text file {text.name!r} next to it")
    return text


def _folder_pairs(folder: Path, problems: Problems) -> list[tuple[Path, Path | None]]:
    """The readable pairs of ``folder``; a document whose text or annotations cannot be
    read, or an ``.ann`` without its text, is a problem, and left out whole."""
    texts: dict[str, Path] = {}
    anns: dict[str, Path] = {}
    errors: list[FormatError] = []
    for entry in _entries(folder):
        if entry.name.startswith(".") or entry.suffix not in (".txt", ".ann"):
            continue
        problem = _unreadable(entry, folder)
        if problem is not None:
            errors.append(FormatError(entry, None, problem))
        else:
            (texts if entry.suffix == ".txt" else anns)[entry.stem] = entry
    bad = {Path(error.path).stem for error in errors}
    for stem, ann in anns.items():
        if stem not in texts and stem not in bad:
            errors.append(FormatError(ann, None, f"no text file {stem + '.txt'!r} next to it"))
    for error in sorted(errors, key=lambda error: error.path):
        problems.invalid(error, Kind.DOCUMENT)
    bad |= {Path(error.path).stem for error in errors}
    return [(texts[stem], anns.get(stem)) for stem in sorted(texts) if stem not in bad]


def _unreadable(entry: Path, folder: Path) -> str | None:
    """Why the file ``entry`` of ``folder`` is not read, or None."""
    # realpath: Path.resolve raises RuntimeError on a link loop (Python 3.11).
    if not Path(os.path.realpath(entry)).is_relative_to(os.path.realpath(folder)):
        return "links to a file outside the folder: not read"
    if not entry.is_file():  # a FIFO would block, a folder or a loop cannot be read
        return "not a regular file: not read"
    return None


def _entries(folder: Path) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:
        raise FormatError(folder, None, f"cannot list: {error.strerror}") from error


def _document(text_path: Path, ann_path: Path | None, problems: Problems) -> DocumentRecord:
    text = SourceText(read_text(text_path))
    if ann_path is None:
        return DocumentRecord(text_path.stem, text.canonical, ())
    ann = _AnnReader(ann_path, text, Problems(strict=problems.strict))
    ann.read()
    links = _Links.of(ann.extra_lines, set(ann.entities), ann.where_of, ann.problems)
    problems.take(ann.problems)
    return DocumentRecord(
        name=text_path.stem,
        text=text.canonical,
        spans=tuple(ann.spans()),
        extra_lines=tuple(links.verbatim),
        warnings=ann.warnings.as_tuple(),
        relations=tuple(links.relations),
        chains=tuple(links.chains),
        attributes=tuple(links.attributes),
    )


@dataclass(slots=True)
class _Links:
    """The checked lines that link spans, as records; the rest, verbatim."""

    relations: list[RelationRecord] = field(default_factory=list)
    chains: list[ChainRecord] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)
    verbatim: list[str] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        lines: Iterable[str],
        entities: set[str],
        where_of: Callable[[str], Where],
        problems: Problems,
    ) -> _Links:
        """Sort ``lines`` (checked already) into records and verbatim lines.

        Only links between spans (``entities``) become records, and only the first of
        several saying the same thing (the store keeps one): the others stay verbatim. A
        link whose type, name or value no labels file could give (markup, a control
        character) is a problem, left out.
        """
        links = cls()
        seen: set[object] = set()
        for line in lines:
            record = _link_record(line, entities)
            key = _link_key(record)
            if record is None or key in seen:
                links.verbatim.append(line)
                continue
            problem = _name_problem(record)
            if problem is not None:
                own_id = quote(line.partition("\t")[0])
                problems.invalid(where_of(line).error(f"{own_id}: {problem}"), Kind.REFERENCE)
                continue
            seen.add(key)
            if isinstance(record, RelationRecord):
                links.relations.append(record)
            elif isinstance(record, ChainRecord):
                links.chains.append(record)
            else:
                links.attributes.append(record)
        return links


_Link = RelationRecord | ChainRecord | AttributeRecord


def _name_problem(record: _Link) -> str | None:
    """Why a link's type, name or value cannot be stored, or None."""
    if isinstance(record, AttributeRecord):
        names = [record.name] if record.value is True else [record.name, record.value]
    else:
        names = [record.type]
    return next((p for name in names if (p := name_problem(name, "name")) is not None), None)


def _link_key(record: _Link | None) -> object:
    """What makes two links the same for the store (ids aside)."""
    if isinstance(record, RelationRecord):
        return ("R", record.type, record.source_id, record.target_id)
    if isinstance(record, ChainRecord):
        return ("*", record.members)
    if isinstance(record, AttributeRecord):
        return ("A", record.span, record.name)
    return None


def _link_record(line: str, entities: set[str]) -> _Link | None:
    """The record a relation, equivalence or attribute line on spans stands for, or None."""
    own_id, _, rest = line.partition("\t")
    if "\t" in rest:  # nothing of these has a text field
        return None
    tokens = rest.split(" ")
    if not all(tokens):  # doubled spaces: written back verbatim, as they were
        return None
    if own_id.startswith("R") and len(tokens) == 3:
        ends = [token.partition(":") for token in tokens[1:]]
        if [end[0] for end in ends] == ["Arg1", "Arg2"] and {ends[0][2], ends[1][2]} <= entities:
            return RelationRecord(ends[0][2], ends[1][2], tokens[0], id=own_id)
    elif own_id == "*" and len(tokens) >= 3 and set(tokens[1:]) <= entities:
        members = tuple(tokens[1:])
        if len(set(members)) == len(members):
            return ChainRecord(members, tokens[0])
    elif own_id[:1] in ("A", "M") and len(tokens) in (2, 3) and tokens[1] in entities:
        value: str | bool = tokens[2] if len(tokens) == 3 else True
        return AttributeRecord(tokens[1], tokens[0], value, id=own_id)
    return None


@dataclass(slots=True)
class _Entity:
    """One ``T`` line: its id, label and canonical fragments."""

    id: str
    label: str
    fragments: list[tuple[int, int]]
    note: str = ""


@dataclass(slots=True)
class _AnnReader:
    """Reads one ``.ann`` file against its text."""

    path: Path
    text: SourceText
    problems: Problems
    entities: dict[str, _Entity] = field(default_factory=dict)
    #: Ids of ``T`` lines left out as invalid.
    left_out: set[str] = field(default_factory=set)
    #: Lines other than spans and span notes, with their line numbers.
    others: list[tuple[int, str]] = field(default_factory=list)
    extra_lines: list[str] = field(default_factory=list)
    warnings: WarningLog = field(default_factory=WarningLog)
    pending_notes: list[tuple[str, str, str, int]] = field(default_factory=list)

    def read(self) -> None:
        """Read every line; notes are attached, and the other lines' ids checked, once all
        spans are known."""
        for number, line in iter_lines(self.path):
            if not line.strip():
                continue
            where = Where(str(self.path), number)
            if line.startswith("T"):
                self._checked_entity(line, where)
            elif line.startswith("#"):
                self._checked_note(line, where)
            else:
                self.others.append((number, line))
        self._attach_notes()
        self.extra_lines = _References(self.path, self.problems).kept(
            self.others, set(self.entities), self.left_out
        )

    def where_of(self, line: str) -> Where:
        """Where ``line`` (one of the lines read besides spans and notes) is in the file."""
        number = next((n for n, text in self.others if text == line), None)
        return Where(str(self.path), number)

    def _checked_entity(self, line: str, where: Where) -> None:
        """Read a ``T`` line; an invalid one is recorded and its id left out."""
        try:
            self._entity(line, where)
        except FormatError as error:
            self.problems.invalid(error)
            entity_id = line.split("\t", 1)[0]
            if entity_id not in self.entities:
                self.left_out.add(entity_id)

    def _checked_note(self, line: str, where: Where) -> None:
        try:
            self._note(line, where)
        except FormatError as error:
            self.problems.invalid(error, Kind.REFERENCE)

    def spans(self) -> Iterator[SpanRecord]:
        """One span per fragment of every entity, in file order."""
        canonical = self.text.canonical
        for entity in self.entities.values():
            group = entity.id if len(entity.fragments) > 1 else ""
            for start, end in entity.fragments:
                yield SpanRecord(
                    start,
                    end,
                    entity.label,
                    canonical[start:end],
                    note=entity.note,
                    group=group,
                    source_id=entity.id,
                )

    def _entity(self, line: str, where: Where) -> None:
        parts = line.split("\t", 2)
        if len(parts) != 3:
            raise where.error(_T_LINE)
        entity_id, middle, given = parts
        if entity_id in self.entities or entity_id in self.left_out:
            raise where.error(f"id {quote(entity_id)} is used twice")
        raw_label, _, offsets = middle.partition(" ")
        label = checked_label(raw_label, where, self.warnings)
        fragments, reading = resolve_fragments(
            self.text, _fragments(offsets, where), given, label, where, newline_as_space=True
        )
        if reading:
            self.warnings.once("reading", where.warning(f"offsets read as {reading}"))
        if len(fragments) > 1:
            self.warnings.add(
                where.warning(
                    f"discontinuous span {entity_id} {quote(label)} read as"
                    f" {len(fragments)} fragments of group {entity_id}"
                )
            )
        self.entities[entity_id] = _Entity(entity_id, label, fragments)

    def _note(self, line: str, where: Where) -> None:
        parts = line.split("\t", 2)
        kind, _, target = parts[1].partition(" ") if len(parts) == 3 else ("", "", "")
        if kind == _NOTE:
            note = checked_note(parts[2], where, whose=quote(target.strip()))
            self.pending_notes.append((target.strip(), note, line, where.line or 0))
        else:
            self.others.append((where.line or 0, line))

    def _attach_notes(self) -> None:
        for target, note, line, number in self.pending_notes:
            entity = self.entities.get(target)
            if entity is not None and not entity.note:
                entity.note = note
            else:
                # Notes on relations, events, on a span left out or a second note on a
                # span: kept as they are (or left out) with the other lines.
                self.others.append((number, line))


@dataclass(slots=True)
class _References:
    """Checks the lines that point at ids (relations, events, attributes, notes...)."""

    path: Path
    problems: Problems

    def kept(
        self, numbered: Sequence[tuple[int, str]], entities: set[str], left_out: set[str]
    ) -> list[str]:
        """The lines to keep, in file order; each other one is recorded as a problem.

        A line is invalid when its own id is used before, when an id it points at is in no
        line of the file, or when it points at itself through other lines; it is left out
        (not a problem of its own) when what it points at is.
        """
        lines = [(number, _ExtraLine.parse(text)) for number, text in numbered]
        present = entities | left_out | {line.own_id for _, line in lines}
        invalid = self._invalid_lines(lines, present)
        known = set(entities)
        kept = _resolved(lines, known, invalid)
        dropped = set(left_out) | {lines[index][1].own_id for index in invalid}
        settled = kept | invalid
        self._leave_out_dependents(lines, settled, dropped)
        for index, (number, line) in enumerate(lines):
            if index not in settled:  # in a cycle, or pointing into one
                target = next(target for target in line.targets if target not in known)
                self._invalid(number, f"{quote(line.own_id)} refers to {target} in a cycle")
        return [lines[index][1].text for index in sorted(kept)]

    def _invalid_lines(
        self, lines: Sequence[tuple[int, _ExtraLine]], present: set[str]
    ) -> set[int]:
        """Lines whose own id was used before, or that point at an id not in the file."""
        invalid: set[int] = set()
        seen: set[str] = set()
        for index, (number, line) in enumerate(lines):
            missing = [] if present.issuperset(line.targets) else line.targets_missing(present)
            if line.own_id != "*" and line.own_id in seen:
                self._invalid(number, f"id {quote(line.own_id)} is used twice")
            elif missing:
                self._invalid(
                    number,
                    f"{quote(line.own_id)} refers to {missing[0]}, which the file does not have",
                )
                seen.add(line.own_id)
            else:
                seen.add(line.own_id)
                continue
            invalid.add(index)
        return invalid

    def _leave_out_dependents(
        self, lines: Sequence[tuple[int, _ExtraLine]], settled: set[int], dropped: set[str]
    ) -> None:
        """Record each line pointing at a dropped id (growing ``dropped``) as left out."""
        grew = bool(dropped)
        while grew:
            grew = False
            for index, (number, line) in enumerate(lines):
                target = None if index in settled else line.targets_in(dropped)
                if target is None:
                    continue
                settled.add(index)
                dropped.add(line.own_id)
                grew = True
                message = f"{quote(line.own_id)} refers to {target}, which is left out"
                self.problems.left_out(Where(str(self.path), number).error(message))

    def _invalid(self, number: int, message: str) -> None:
        self.problems.invalid(Where(str(self.path), number).error(message), Kind.REFERENCE)


def _resolved(
    lines: Sequence[tuple[int, _ExtraLine]], known: set[str], invalid: set[int]
) -> set[int]:
    """The indices of the lines whose targets are all ``known`` (which grows with their
    own ids: events and relations may point at ones further down)."""
    kept: set[int] = set()
    waiting = [index for index in range(len(lines)) if index not in invalid]
    while waiting:  # one pass when every line comes after what it points at
        still = []
        for index in waiting:
            line = lines[index][1]
            if known.issuperset(line.targets):
                kept.add(index)
                known.add(line.own_id)
            else:
                still.append(index)
        if len(still) == len(waiting):
            break
        waiting = still
    return kept


_OFFSET_DIGITS = len(str(MAX_OFFSET))


def _fragments(offsets: str, where: Where) -> list[tuple[int, int]]:
    fragments = []
    for piece in offsets.split(";"):
        numbers = piece.split()
        if len(numbers) != 2 or not all(n.isascii() and n.isdigit() for n in numbers):
            raise where.error(f"bad offsets {quote(offsets)}: {_T_LINE}")
        # Length first: int() of a 4 300-digit string raises, and no text is that long.
        if any(len(n) > _OFFSET_DIGITS for n in numbers):
            raise where.error(f"bad offsets {quote(offsets)}: offset too large")
        fragments.append((int(numbers[0]), int(numbers[1])))
    return fragments


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write each document as ``NAME.txt`` and ``NAME.ann`` into the folder ``out``."""
    report = WriteReport()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise FormatError(out, None, f"cannot create folder: {error.strerror}") from error
    stems: set[str] = set()
    for index, doc in enumerate(documents, start=1):
        check_document(doc, path=str(out), index=index)
        what = describe(doc, index)
        stem = _unique_stem(doc, index, stems, out, report)
        ann = "".join(line + "\n" for line in _ann_lines(doc, what, report))
        # Encode both before writing either, so a failure leaves no half pair behind.
        text_bytes, ann_bytes = encoded(doc.text, out, what), encoded(ann, out, what)
        write_file(out / f"{stem}.txt", text_bytes)
        write_file(out / f"{stem}.ann", ann_bytes)
        report.documents += 1
        report.spans += len(doc.spans)
    return report


def _unique_stem(
    doc: DocumentRecord, index: int, taken: set[str], out: Path, report: WriteReport
) -> str:
    base = file_stem(doc.name or f"document-{index}")
    stem = base
    for number in itertools.count(2):
        if stem.casefold() not in taken:  # macOS and Windows would take Doc for doc
            break
        stem = f"{base}-{number}"
    if stem != base:
        report.warnings.append(f"{describe(doc, index)}: written as {stem}.txt (name repeated)")
    # file_stem cannot leave the folder; check anyway, as the name is untrusted input.
    if Path(stem).name != stem or stem in (".", ".."):
        raise FormatError(out, None, f"{describe(doc, index)}: refusing to write outside")
    taken.add(stem.casefold())
    return stem


def _ann_lines(doc: DocumentRecord, what: str, report: WriteReport) -> list[str]:
    entities = _entities(doc.spans)
    extra = [_ExtraLine.parse(line) for line in doc.extra_lines]
    referenced = {target for line in extra for target in line.targets}
    ids = _entity_ids(entities, doc, what, report, avoid=referenced)
    note_ids = _fresh_ids("#", {line.split("\t", 1)[0] for line in doc.extra_lines})
    written = _written_ids(entities, ids)
    links = _LinkWriter(written, {line.own_id for line in extra}, what, report)
    link_lines = links.lines(doc)
    lines, notes = [], []
    for entity_id, spans in zip(ids, entities, strict=True):
        fragments = ";".join(f"{span.start} {span.end}" for span in spans)
        text = " ".join(span.text for span in spans).replace("\n", " ")
        lines.append(f"{entity_id}\t{spans[0].label} {fragments}\t{text}")
        note = next((span.note for span in spans if span.note), "")
        if note:
            notes.append(f"{next(note_ids)}\t{_NOTE} {entity_id}\t{_one_line(note)}")
            if _one_line(note) != note:
                report.warnings.append(
                    f"{what}: line breaks in the note of {entity_id} written as spaces"
                )
    kept = _kept_extra_lines(extra, set(ids) | links.own_ids, what, report)
    return [*lines, *notes, *link_lines, *kept]


def _written_ids(entities: Sequence[Sequence[SpanRecord]], ids: Sequence[str]) -> dict[str, str]:
    """Each span source id (and group) of the entities, to the ``T`` id it is written as;
    the first entity holding an id keeps it."""
    written: dict[str, str] = {}
    for entity_id, spans in zip(ids, entities, strict=True):
        for span in spans:
            for source_id in (span.source_id, span.group):
                if source_id:
                    written.setdefault(source_id, entity_id)
    return written


@dataclass(slots=True)
class _LinkWriter:
    """Writes a document's relations, chains and attributes as ``R``, ``*``, ``A`` lines.

    ``written`` maps span source ids to the ``T`` ids written; ``taken`` holds the ids of
    the verbatim lines, which links never reuse. ``own_ids`` collects the ids written, for
    the verbatim lines that point at them (a note on ``R1``).
    """

    written: dict[str, str]
    taken: set[str]
    what: str
    report: WriteReport
    own_ids: set[str] = field(default_factory=set)

    def lines(self, doc: DocumentRecord) -> list[str]:
        """The ``R``, ``*`` and ``A`` lines, in that order."""
        relations = [
            r for r in doc.relations if self._ends(f"relation {r.type}", r.source_id, r.target_id)
        ]
        chains = [c for c in doc.chains if self._ends(f"equivalence {c.type}", *c.members)]
        attributes = [a for a in doc.attributes if self._ends(f"attribute {a.name}", a.span)]
        relation_ids = self._ids([r.id for r in relations], _R_ID, "R")
        attribute_ids = self._ids([a.id for a in attributes], _A_ID, "A")
        lines = [
            f"{own}\t{r.type} Arg1:{self.written[r.source_id]} Arg2:{self.written[r.target_id]}"
            for own, r in zip(relation_ids, relations, strict=True)
        ]
        lines += [
            f"*\t{c.type} {' '.join(self.written[member] for member in c.members)}" for c in chains
        ]
        for own, attribute in zip(attribute_ids, attributes, strict=True):
            value = "" if attribute.value is True else f" {attribute.value}"
            lines.append(f"{own}\t{attribute.name} {self.written[attribute.span]}{value}")
        return lines

    def _ends(self, what: str, *ends: str) -> bool:
        """Whether every span ``ends`` names is written; if not, a warning says so."""
        missing = [end for end in ends if end not in self.written]
        if missing:
            self.report.warnings.append(
                f"{self.what}: left out {what}: span {quote(missing[0])} not among the spans"
                " exported"
            )
        return not missing

    def _ids(self, wanted: Sequence[str], usable: re.Pattern[str], prefix: str) -> list[str]:
        """The source ids where usable and not taken, else fresh ``prefix`` ids."""
        kept = []
        for own in wanted:
            good = bool(usable.fullmatch(own)) and own not in self.taken
            kept.append(own if good else "")
            if good:
                self.taken.add(own)
        fresh = _fresh_ids(prefix, self.taken)
        ids = [own or next(fresh) for own in kept]
        self.own_ids.update(ids)
        return ids


@dataclass(slots=True)
class _ExtraLine:
    """A kept ``.ann`` line (relation, event, attribute...) and the ids it points at."""

    text: str
    own_id: str
    targets: tuple[str, ...]

    @classmethod
    def parse(cls, line: str) -> _ExtraLine:
        """Read the ids of ``line`` by its kind (the letter its id starts with)."""
        own_id, _, rest = line.partition("\t")
        tokens = rest.partition("\t")[0].split()
        kind = own_id[:1]
        if kind in ("A", "M", "N", "#"):  # TYPE TARGET [value]: one target
            candidates = tokens[1:2]
        elif kind == "E":  # TYPE:TRIGGER ROLE:ARG ...: the trigger and every argument
            candidates = tokens
        else:  # R: TYPE Arg1:X Arg2:Y; *: Equiv X Y ...
            candidates = tokens[1:]
        targets = [token.rpartition(":")[2] for token in candidates]
        return cls(line, own_id, tuple(filter(_REFERABLE.fullmatch, targets)))

    def targets_missing(self, ids: set[str]) -> list[str]:
        """The ids this line points at that are not in ``ids``."""
        return [target for target in self.targets if target not in ids]

    def targets_in(self, ids: set[str]) -> str | None:
        """The first id this line points at that is in ``ids``, or None."""
        return next((target for target in self.targets if target in ids), None)


def _kept_extra_lines(
    lines: Sequence[_ExtraLine], entity_ids: set[str], what: str, report: WriteReport
) -> list[str]:
    """The lines whose targets are all written; each line left out is named in a warning.

    Exporting another layer than the imported one (a reviewer's gold, say) leaves out
    spans that relations and events of the source point at: such a line would dangle.
    """
    known = set(entity_ids)
    kept = [False] * len(lines)
    grew = True
    while grew:  # events and relations may point at ones further down
        grew = False
        for index, line in enumerate(lines):
            if not kept[index] and all(target in known for target in line.targets):
                kept[index], grew = True, True
                known.add(line.own_id)
    for line, written in zip(lines, kept, strict=True):
        if not written:
            missing = ", ".join(target for target in line.targets if target not in known)
            report.warnings.append(
                f"{what}: left out {quote(line.text)}: {missing} not among the spans exported"
            )
    return [line.text for line, written in zip(lines, kept, strict=True) if written]


def _entities(spans: Sequence[SpanRecord]) -> list[list[SpanRecord]]:
    """Spans grouped into brat entities: fragments of one group and label form one."""
    entities: dict[object, list[SpanRecord]] = {}
    for position, span in enumerate(spans):
        key = ("group", span.group, span.label) if span.group else position
        entities.setdefault(key, []).append(span)
    return list(entities.values())


def _entity_ids(
    entities: Sequence[Sequence[SpanRecord]],
    doc: DocumentRecord,
    what: str,
    report: WriteReport,
    avoid: set[str],
) -> list[str]:
    """A ``T`` id per entity: its source id where usable, else a fresh one.

    Fresh ids also ``avoid`` the ids the kept lines point at, so that a relation whose
    span is not exported is left out rather than pinned on another span.
    """
    wanted = [_wanted_id(spans) for spans in entities]
    taken: set[str] = set()
    kept: list[str | None] = []
    for entity_id in wanted:
        if entity_id is not None and entity_id not in taken:
            taken.add(entity_id)
            kept.append(entity_id)
        else:
            kept.append(None)
    fresh = _fresh_ids("T", taken | avoid)
    ids = []
    for entity_id, kept_id in zip(wanted, kept, strict=True):
        if kept_id is None and entity_id is not None and doc.extra_lines:
            report.warnings.append(
                f"{what}: span id {entity_id} occurs twice; lines referring to it mean the first"
            )
        ids.append(kept_id or next(fresh))
    return ids


def _wanted_id(spans: Sequence[SpanRecord]) -> str | None:
    for candidate in (spans[0].group, spans[0].source_id):
        if _T_ID.fullmatch(candidate):
            return candidate
    return None


def _fresh_ids(prefix: str, taken: set[str]) -> Iterator[str]:
    """``prefix1``, ``prefix2``... skipping the ids in ``taken`` (which it then extends)."""
    for number in itertools.count(1):
        candidate = f"{prefix}{number}"
        if candidate not in taken:
            taken.add(candidate)
            yield candidate


def _one_line(note: str) -> str:
    return note.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
