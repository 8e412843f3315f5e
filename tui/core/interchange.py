"""Import annotations into the corpus and the store, and export them, exactly (issue 4).

Import reads a source twice: the first pass checks everything and plans the file names,
writing nothing, so bad input is refused whole ("nothing is half-imported"), naming every
invalid item (:class:`InvalidSource`); told to skip them, it imports the rest instead,
each invalid item and whatever refers to it left out and listed in the report. The second
writes each text as a UTF-8 file ``corpus/<source name>/<name>.txt`` and its spans into the
store under the given annotator with origin ``import``, keyed by the id the document has
when the corpus folder is opened (``<source name>/<name>.txt``). Every document gets a
file of its own: a name given already (ignoring case) is renamed ``<name>-<8 hex>``, and
renamed again if the source holds that name too. A text UTF-8 cannot store (a lone
surrogate from a JSON ``\\ud800`` escape) is refused. Both passes stream, so
memory stays flat on any size of input. Importing the same source again adds nothing: a
text already in the corpus under its name is kept, and a span whose (start, end, label) is
stored is skipped.

A document's relations, chains, span attributes and categories go into the store too, in
one more write after its spans (:func:`_store_links`), each pointed at the stored span
with the (start, end, label) of the span it named; again nothing is added twice (a
relation of the same type between the same spans, a chain of the same spans, an attribute
with the same value). A link to a span the document does not have is a problem of the
source like an invalid span (:class:`InvalidSource`; left out with ``skip_invalid``).

What a format carries beyond that (doccano's extra keys, brat's event lines, the ids the
source gave spans, relations and attributes) is kept as the document's ``source`` record
in the importing annotator's store file, and written back on export, so
``export(import(x))`` gives ``x`` back.

Export reads each document's canonical text and the annotator's spans and links
(re-anchored in memory if the text changed since), checks ``text[start:end] == span.text``
for every span and stops, naming the document and the span, if one differs. ``script``
converts the text and maps every span through the variant's offset map.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, count
from pathlib import Path
from typing import Any

from tui.core.annotations import reanchor, text_sha256
from tui.core.assign_progress import WORK_ORIGINS
from tui.core.corpus import (
    CorpusError,
    DocumentError,
    DocumentRef,
    document_id,
    id_root,
    load_document,
)
from tui.core.export_selection import NothingToExport, Selector, check_annotator_known
from tui.core.formats import (
    FORMATS,
    DocumentRecord,
    Format,
    FormatError,
    SpanRecord,
    WriteReport,
)
from tui.core.formats._io import encoded
from tui.core.formats.model import AttributeRecord, ChainRecord, RelationRecord
from tui.core.formats.names import file_stem
from tui.core.formats.problems import Kind, Problem, Problems, listed, summary
from tui.core.identity import open_corpus
from tui.core.labels import name_problem
from tui.core.relations.model import Attribute, Chain, LinkEdit, Links, Relation
from tui.core.relations.stats import LinkCounts
from tui.core.script import OffsetMap, convert_with_offsets, variant_pair
from tui.core.spans import Origin, Span, Status, new_span_id, now_iso
from tui.core.store import (
    DocumentState,
    NewLinks,
    Store,
    StoreError,
    replace_file,
)
from tui.core.text import display_safe
from tui.core.untrusted import NotRegularFileError, read_regular
from tui.core.wording import counted

__all__ = [
    "SCRIPTS",
    "ExportReport",
    "ImportReport",
    "InterchangeError",
    "InvalidSource",
    "Stats",
    "collect_stats",
    "export_documents",
    "import_source",
]

#: ``--script`` choices: the text as stored, or converted to one script.
SCRIPTS = ("original", "simplified", "traditional")


class InterchangeError(Exception):
    """Import or export refused: ``str(error)`` is one line naming the file and the problem."""


class InvalidSource(InterchangeError):
    """An import refused for invalid items of its source: ``problems`` names each.

    ``str(error)`` is the one problem, or a count of them by kind and file; ``listed()``
    gives the lines naming each (none for a single problem, which the message names).
    ``fatal``: the last problem stops the import even when invalid items are skipped.
    """

    def __init__(self, problems: Sequence[Problem], *, fatal: bool = False) -> None:
        self.problems = [problem for problem in problems if problem.invalid]
        self.fatal = fatal
        super().__init__(self._message())

    def listed(self) -> list[str]:
        """One line per problem (cut short after many), when there is more than one."""
        return listed(self.problems) if len(self.problems) > 1 else []

    def _message(self) -> str:
        if self.fatal:
            hint = "; the last one stops any import, even with --skip-invalid"
        else:
            hint = " (--skip-invalid imports the rest)"
        if len(self.problems) == 1:
            return f"{self.problems[0]}" if self.fatal else f"{self.problems[0]}{hint}"
        files = len({problem.path for problem in self.problems})
        return f"{summary(self.problems)} in {counted(files, 'file')}: nothing imported{hint}"


# ---------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    """What an import did: counts, where the texts went, and what to tell the user."""

    folder: Path  # the corpus folder the texts went to
    documents: int = 0
    new_documents: int = 0
    spans: int = 0
    new_spans: int = 0
    new_links: int = 0  # relations, chains and attributes added
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)  # what --skip-invalid left out


@dataclass
class _Plan:
    """The first pass's findings: where each document goes, in source order.

    ``paths`` are relative to the corpus folder, with ``/``: they are the documents' ids
    when the corpus folder is opened.
    """

    source_folder: str  # the folder named after the source, inside the corpus
    paths: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def folder(self, corpus: Path) -> Path:
        """Where the texts went: the source's folder, unless all were there from before."""
        inside = any(path.startswith(f"{self.source_folder}/") for path in self.paths)
        return corpus / self.source_folder if inside or not self.paths else corpus


def import_source(
    source: Path,
    format_name: str,
    *,
    corpus: Path,
    store: Store,
    annotator: str,
    skip_invalid: bool = False,
) -> ImportReport:
    """Import ``source`` (format ``format_name``) into ``corpus`` and ``store``.

    A text goes to ``corpus/<source name>/<document name>.txt``, so sources whose
    documents share names (two doccano exports both numbered from 1) sit side by side,
    unless the corpus already holds the same text under the same file name (imported
    before, by an earlier import that put texts straight into ``corpus``, or from another
    annotator's export of the same documents): its spans then join that document. A source
    without documents creates nothing. Raises :class:`InterchangeError` (a
    :class:`FormatError` included) before anything is written when a text would replace a
    different text already in the corpus, or the source cannot be read on; and
    :class:`InvalidSource`, naming every problem, when any document or span is invalid,
    unless ``skip_invalid``: then those, and whatever refers to them, are left out, and
    listed in the report's ``skipped``.
    """
    codec = _codec(format_name)
    if not source.exists():
        raise InterchangeError(f"{source}: no such file or directory")
    try:
        folder = _source_folder(source, corpus)
        problems = Problems()
        plan = _checked_plan(codec, source, corpus, folder, problems)
        if problems.invalid_items() and not skip_invalid:
            raise InvalidSource(problems.items)
        report = ImportReport(plan.folder(corpus), warnings=plan.warnings, skipped=problems.items)
        if plan.paths:
            # The same problems again, left out the same way: reported by the first pass.
            documents = zip(codec.read(source, Problems()), plan.paths, strict=True)
            bulk = store.for_import()
            _import_planned(
                documents, format_name, corpus, bulk, annotator, report, len(plan.paths)
            )
    except FormatError as error:
        raise InterchangeError(str(error)) from None
    except (OSError, StoreError) as error:
        raise InterchangeError(f"import stopped: {_describe(error)}") from None
    return report


def _checked_plan(
    codec: Format, source: Path, corpus: Path, folder: str, problems: Problems
) -> _Plan:
    """The first pass, recording invalid items in ``problems``.

    A problem no reader can go on after (a file cut short, not UTF-8) is raised: alone, as
    it is; after others, as an :class:`InvalidSource` naming them all.
    """
    try:
        documents = _links_checked(codec.read(source, problems), source, problems)
        return _plan(documents, source, corpus, folder)
    except FormatError as error:
        if not problems.items:
            raise
        problems.invalid(error, Kind.DOCUMENT)
        raise InvalidSource(problems.items, fatal=True) from None


def _links_checked(
    documents: Iterable[DocumentRecord], source: Path, problems: Problems
) -> Iterator[DocumentRecord]:
    """``documents``, each link that cannot go into the store recorded in ``problems``
    (see :func:`_bad_links`). The second pass leaves those out (:func:`_valid_links`)."""
    for document in documents:
        if document.has_links:
            where = f"document {document.name!r:.60}: " if document.name else ""
            for _, message in _bad_links(document):
                error = FormatError(source, document.line or None, where + message)
                problems.invalid(error, Kind.REFERENCE)
        yield document


_Link = RelationRecord | ChainRecord | AttributeRecord


def _bad_links(document: DocumentRecord) -> Iterator[tuple[_Link | str, str]]:
    """Each link (or category) of ``document`` that cannot go into the store, and why: it
    points at a span the document does not have (readers leave out the links to the spans
    they leave out; this names what a reader let through), or a type, name, value or
    category is no name a labels file could give (:func:`name_problem`: empty, markup,
    control characters...)."""
    ids = {span.source_id for span in document.spans if span.source_id}
    link: _Link
    for link in document.relations:
        shown = f"relation {link.id or link.type!r}"
        yield from _link_problems(link, shown, (link.source_id, link.target_id), ids, link.type)
    for link in document.chains:
        yield from _link_problems(link, f"chain {link.type!r}", link.members, ids, link.type)
    for link in document.attributes:
        names = (link.name,) if link.value is True else (link.name, link.value)
        shown = f"attribute {link.name!r}"
        yield from _link_problems(link, shown, (link.span,), ids, *names)
    for category in document.categories:
        problem = name_problem(category, "category")
        if problem is not None:
            yield category, problem


def _link_problems(
    link: _Link, shown: str, ends: Iterable[str], ids: set[str], *names: object
) -> Iterator[tuple[_Link, str]]:
    """The first thing wrong with ``link``, if anything."""
    missing = next((end for end in ends if end not in ids), None)
    if missing is not None:
        yield link, f"{shown} refers to span {missing!r}, which the document does not have"
        return
    problem = next((p for name in names if (p := name_problem(name, "name")) is not None), None)
    if problem is not None or (names and names[-1] is False):
        yield link, f"{shown}: {problem or 'a value must be a name or true'}"


def _valid_links(document: DocumentRecord) -> DocumentRecord:
    """``document`` without the links :func:`_bad_links` names (the first pass did)."""
    bad = {link for link, _ in _bad_links(document)}
    if not bad:
        return document
    return replace(
        document,
        relations=tuple(link for link in document.relations if link not in bad),
        chains=tuple(link for link in document.chains if link not in bad),
        attributes=tuple(link for link in document.attributes if link not in bad),
        categories=tuple(name for name in document.categories if name not in bad),
    )


def _import_planned(
    documents: Iterable[tuple[DocumentRecord, str]],
    format_name: str,
    corpus: Path,
    bulk: Store,
    annotator: str,
    report: ImportReport,
    planned: int,
) -> None:
    """The second pass: write each text where the plan put it, and its spans into ``bulk``
    under the text's document id.

    Stopped by the disk (full, read-only), it raises an :class:`InterchangeError` saying
    which documents are in (the first ones, in source order) and that running the same
    import again completes it: what is in already is not added twice.
    """
    root = id_root(bulk.root)
    written: list[Path] = []  # the first and the last text written
    try:
        for document, path in documents:
            report.new_documents += _write_text(corpus / path, document.text)
            doc_id = document_id(corpus / path, root)
            new_links: list[int] = []
            report.new_spans += _store_spans(
                document, doc_id, format_name, bulk, annotator, new_links
            )
            report.new_links += sum(new_links)
            report.documents += 1
            report.spans += len(document.spans)
            written[min(len(written), 1) :] = [corpus / path]
    except (OSError, StoreError) as error:
        raise InterchangeError(_stopped(error, report.documents, planned, written)) from None
    finally:
        os.sync()  # new files were written without an fsync each (Store.for_import)


def _stopped(error: OSError | StoreError, done: int, planned: int, written: list[Path]) -> str:
    """What an import cut short by ``error`` says: why, what is in, how to complete it."""
    if not written:
        return (
            f"import stopped: {_describe(error)}; none of the {counted(planned, 'document')} "
            "was written"
        )
    which = f"{written[0]}" if len(written) == 1 else f"{written[0]} to {written[-1]}"
    return (
        f"import stopped: {_describe(error)}; {done:,} of {counted(planned, 'document')} "
        f"written ({which}): run the same import again to complete it (nothing is added twice)"
    )


def _codec(format_name: str) -> Format:
    try:
        return FORMATS[format_name]
    except KeyError:
        known = ", ".join(FORMATS)
        raise InterchangeError(f"unknown format {format_name!r} (use one of {known})") from None


def _source_folder(source: Path, corpus: Path) -> str:
    """The folder inside the corpus for ``source``'s texts: its file name without the
    suffix (``week2.jsonl`` → ``week2``), a brat folder's name, made safe; renamed like a
    document (:func:`_candidates`) while the corpus holds it in another case (``News``
    beside ``news``), which macOS and Windows would take for the same folder."""
    # abspath, not resolve: ``.`` and ``..`` get their folder's name, but a symbolic link
    # keeps the name the user typed.
    source = Path(os.path.abspath(source))
    stem = file_stem(source.name if source.is_dir() else source.stem)
    folders = set(_listing(corpus, dirs=True))
    folded = {folder.casefold() for folder in folders}
    candidates = _candidates(stem, text_sha256(stem))
    return next(name for name in candidates if name in folders or name.casefold() not in folded)


def _plan(
    documents: Iterable[DocumentRecord], source: Path, corpus: Path, source_folder: str
) -> _Plan:
    """Check every document and choose where it goes; raises on the first problem.

    Every document gets a file name of its own, so none is lost: a name already given
    (compared without case, as macOS and Windows do) is renamed, and the new name is
    checked again, as the source may hold a document with that very name too.
    """
    plan = _Plan(source_folder)
    existing = _existing_files(corpus, source_folder)
    taken: set[str] = set()  # the names given so far, casefolded
    for index, document in enumerate(documents):
        plan.warnings.extend(document.warnings)
        data = encoded(document.text, source, "the text", document.line or None)
        name = _own_name(document, index, text_sha256(document.text), taken)
        plan.paths.append(_placed(corpus, source_folder, existing, f"{name}.txt", data))
    return plan


def _own_name(document: DocumentRecord, index: int, sha: str, taken: set[str]) -> str:
    """The document's file stem, renamed if ``taken`` holds it; added to ``taken``.

    The source's order decides who keeps a name, so importing it again names each
    document the same way (and adds nothing).
    """
    stem = file_stem(document.name) if document.name else f"{index + 1:06d}-{sha[:12]}"
    name = next(name for name in _candidates(stem, sha) if name.casefold() not in taken)
    taken.add(name.casefold())
    return name


def _candidates(stem: str, sha: str) -> Iterator[str]:
    """``stem``, then ``stem-<8 hex of sha>``, then that with ``-2``, ``-3``…"""
    renamed = f"{stem}-{sha[:8]}"
    return chain((stem, renamed), (f"{renamed}-{number}" for number in count(2)))


def _existing_files(corpus: Path, source_folder: str) -> dict[str, list[str]]:
    """Each file name in the corpus folder and its folders (one level down), with the
    folders holding it (relative to ``corpus``; ``""`` for ``corpus`` itself).

    A text may be there already, under its own name: in the source's folder (imported
    before), in ``corpus`` itself (imports put texts there before source folders), or in
    another folder (another annotator's export of the same documents); they are listed in
    that order. One listing per folder, not a look-up per document and folder.
    """
    others = sorted(name for name in _listing(corpus, dirs=True) if name != source_folder)
    found: dict[str, list[str]] = {}
    for folder in (source_folder, "", *others):
        for name in _listing(corpus / folder, dirs=False):
            found.setdefault(name, []).append(folder)
    return found


def _listing(folder: Path, *, dirs: bool) -> list[str]:
    """The names of the visible folders (or the other entries) in ``folder``."""
    try:
        with os.scandir(folder) as entries:
            return [
                entry.name
                for entry in entries
                if not entry.name.startswith(".") and entry.is_dir() == dirs
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []


def _placed(
    corpus: Path,
    source_folder: str,
    existing: Mapping[str, Sequence[str]],
    file_name: str,
    data: bytes,
) -> str:
    """The corpus path of a text: where the corpus holds it already under ``file_name``
    (see :func:`_existing_files`), else ``<source folder>/<file_name>``."""
    folders = existing.get(file_name, ())
    for folder in folders:
        path = f"{folder}/{file_name}" if folder else file_name
        if _holds(corpus / path, data):
            return path
    path = f"{source_folder}/{file_name}"
    if os.path.lexists(corpus / path):  # a different text, or even a folder
        raise InterchangeError(
            f"{corpus / path} already holds a different text (from another source of "
            "that name?); rename the source, import into another --corpus, or move that "
            "file away"
        )
    return path


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        if path.stat().st_size != len(data):
            return False
        return read_regular(path) == data  # a FIFO there is refused, never read
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError, NotRegularFileError):
        return False


def _write_text(path: Path, text: str) -> bool:
    """Write a document's text unless the corpus has it already; whether it was new.

    The plan checked that a file already there holds the same text.
    """
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # No fsync each: the import syncs once at the end, and nothing older is at risk.
        replace_file(path, text.encode("utf-8"), sync=False)
    except OSError as error:  # it names the temporary file: name the text instead
        raise OSError(error.errno, error.strerror, str(path)) from error
    return True


def _side_record(document: DocumentRecord, format_name: str) -> dict[str, Any]:
    """What the format carries besides text and spans, to write back on export."""
    side: dict[str, Any] = {}
    if document.name:
        side["name"] = document.name
    if document.metadata:
        side["metadata"] = dict(document.metadata)
    if document.extra_lines:
        side["extra_lines"] = list(document.extra_lines)
    spans = {_span_key(span): _span_side(span) for span in document.spans}
    spans = {key: value for key, value in spans.items() if value}
    if spans:
        side["spans"] = spans
    side.update(_links_side(document))
    if side:
        side["format"] = format_name
    return side


def _span_side(span: SpanRecord) -> dict[str, Any]:
    """A span's source id and format-specific keys, when it has any."""
    side: dict[str, Any] = {}
    if span.source_id:
        side["source_id"] = span.source_id
    if span.extra:
        side["extra"] = dict(span.extra)
    return side


def _links_side(document: DocumentRecord) -> dict[str, Any]:
    """The source's ids of relations and attributes (and Label Studio's extra relation
    keys), by what they link, and the categories in source order: for export."""
    keys = _source_span_keys(document.spans)
    relations: dict[str, Any] = {}
    for relation in document.relations:
        source, target = keys.get(relation.source_id), keys.get(relation.target_id)
        if source is None or target is None or not (relation.id or relation.extra):
            continue
        kept: dict[str, Any] = {"id": relation.id} if relation.id else {}
        if relation.extra:
            kept["extra"] = dict(relation.extra)
        relations.setdefault(_relation_key(relation.type, source, target), kept)
    attributes = {
        f"{keys[attribute.span]}/{attribute.name}": attribute.id
        for attribute in document.attributes
        if attribute.id and attribute.span in keys
    }
    side: dict[str, Any] = {}
    if relations:
        side["relations"] = relations
    if attributes:
        side["attributes"] = attributes
    if document.categories:
        side["categories"] = list(document.categories)
    return side


def _source_span_keys(spans: Iterable[SpanRecord]) -> dict[str, str]:
    """Each source id to the key of the first span with it (a brat entity's first
    fragment, a Label Studio result's first label)."""
    keys: dict[str, str] = {}
    for span in spans:
        if span.source_id:
            keys.setdefault(span.source_id, _span_key(span))
    return keys


def _relation_key(relation_type: str, source_key: str, target_key: str) -> str:
    return f"{relation_type}\t{source_key}\t{target_key}"


def _links_to_add(document: DocumentRecord, annotator: str, added: list[int]) -> NewLinks:
    """What :meth:`DocumentStore.merge_spans` adds of the document's links, in the same
    write as its spans: each link points at the stored span with the (start, end, label)
    of the span it named; links the first pass named (:func:`_bad_links`) are left out,
    and so are those stored already. How many are new is appended to ``added``."""
    document = _valid_links(document)

    def new_links(by_key: Mapping[tuple[int, int, str], str], links: Links) -> LinkEdit | None:
        stored = {f"{start}:{end}:{label}": span for (start, end, label), span in by_key.items()}
        ids = {
            source_id: stored[key]
            for source_id, key in _source_span_keys(document.spans).items()
            if key in stored
        }
        new = _new_links(document, ids, links, annotator)
        added.append(len(new))
        categories = links.categories | set(document.categories)
        changed = categories if categories != links.categories else None
        return LinkEdit.of(put=new, categories=changed) if new or changed is not None else None

    return new_links


def _new_links(
    document: DocumentRecord, ids: Mapping[str, str], links: Links, annotator: str
) -> list[Relation | Chain | Attribute]:
    """The document's relations, chains and attributes (on stored span ``ids``) that
    ``links`` does not hold yet."""
    stamp = now_iso()
    new: list[Relation | Chain | Attribute] = []
    relations = {(r.type, r.source, r.target) for r in links.relations}
    for record in document.relations:
        if record.source_id in ids and record.target_id in ids:
            key = (record.type, ids[record.source_id], ids[record.target_id])
            if key not in relations:
                relations.add(key)
                new.append(Relation(new_span_id(), *key, annotator, stamp, stamp))
    chains = {c.members for c in links.chains}
    for chain_record in document.chains:
        members = tuple(ids[m] for m in chain_record.members if m in ids)
        if len(members) == len(chain_record.members) and members not in chains:
            chains.add(members)
            new.append(Chain(new_span_id(), chain_record.type, members, annotator, stamp, stamp))
    values = {(a.span, a.name): a.value for a in links.attributes}
    for attribute in document.attributes:
        if attribute.span in ids:
            key2 = (ids[attribute.span], attribute.name)
            if key2 not in values or values[key2] != attribute.value:
                values[key2] = attribute.value
                new.append(Attribute(*key2, attribute.value))
    return new


def _span_key(span: SpanRecord | Span) -> str:
    """Spans are told apart by offsets and label (the same triple twice is refused)."""
    return f"{span.start}:{span.end}:{span.label}"


def _store_spans(
    document: DocumentRecord,
    doc_id: str,
    format_name: str,
    store: Store,
    annotator: str,
    new_links: list[int],
) -> int:
    """Add the document's spans not stored yet, its links (how many were new goes to
    ``new_links``) and its source record, in one write; how many spans were new."""
    sha = text_sha256(document.text)
    stamp = now_iso()
    spans = [_span(record, doc_id, sha, annotator, stamp) for record in document.spans]
    side = _side_record(document, format_name) or None
    links = _links_to_add(document, annotator, new_links) if document.has_links else None
    return store.document(doc_id, annotator).merge_spans(spans, sha, side, links)


def _span(record: SpanRecord, doc_id: str, sha: str, annotator: str, stamp: str) -> Span:
    return Span(
        id=new_span_id(),
        doc_id=doc_id,
        doc_sha256=sha,
        start=record.start,
        end=record.end,
        text=record.text,
        label=record.label,
        annotator=annotator,
        created=stamp,
        modified=stamp,
        note=record.note,
        origin=Origin.IMPORT,
        group=record.group,
    )


# ---------------------------------------------------------------------------- export


@dataclass
class ExportReport:
    """What an export wrote, and what it could not (every dropped span named).

    ``notes`` say which documents were left out or hold nothing of the annotator (see
    :mod:`tui.core.export_selection`), one line each.
    """

    documents: int
    spans: int
    dropped: list[str]
    warnings: list[str]
    notes: list[str] = field(default_factory=list)


def export_documents(
    paths: Sequence[Path],
    format_name: str,
    out: Path,
    *,
    store: Store,
    annotator: str,
    script: str = "original",
    variant: str = "s2t",
    only: str | None = None,
) -> ExportReport:
    """Write the documents under ``paths`` with ``annotator``'s spans to ``out``.

    Which documents: see :mod:`tui.core.export_selection` (``only`` is ``"done"``,
    ``"reviewed"`` or None). Raises :class:`InterchangeError` naming the document (and
    span) when a document cannot be read, a store file is corrupt, or a span's text
    differs from the text at its offsets, and when the export would hold nothing anyone
    annotated; the output is then left as it was (files are written aside and moved in).
    """
    codec = _codec(format_name)
    if script not in SCRIPTS:
        raise InterchangeError(f"unknown script {script!r} (use one of {', '.join(SCRIPTS)})")
    config = _script_config(script, variant)
    _check_out(codec, out)
    warnings: list[str] = []
    try:
        check = open_corpus(paths, store, write=False)
        refs = check.refs
        if not refs:
            raise InterchangeError(f"no documents under {', '.join(map(str, paths))}")
        warnings += check.lines(store)
        check_annotator_known(refs, store, annotator)
        selector = Selector(refs, store, annotator, only)
        records = _selected_records(refs, store, annotator, selector, config, warnings)
        report: WriteReport = _write_aside(codec, records, out)
    except (CorpusError, FormatError, NothingToExport) as error:
        raise InterchangeError(str(error)) from None
    except (OSError, StoreError) as error:
        raise InterchangeError(f"export stopped: {_describe(error)}") from None
    warnings += report.warnings
    return ExportReport(
        report.documents, report.spans, list(report.dropped), warnings, selector.notes()
    )


def _check_out(codec: Format, out: Path) -> None:
    """Refuse an existing folder as the output file of a one-file format, naming it."""
    if not codec.out_is_folder and out.is_dir():
        example = out / f"export{codec.suffix}"
        raise InterchangeError(
            f"{out} is a folder, and {codec.name} writes one file: give a file name, "
            f"such as {example}"
        )


def _selected_records(
    refs: Iterable[DocumentRef],
    store: Store,
    annotator: str,
    selector: Selector,
    config: str | None,
    warnings: list[str],
) -> Iterator[DocumentRecord]:
    """The records of the documents ``selector`` keeps, one store read each.

    Ends by raising :class:`NothingToExport` if nothing annotated went by: the writer is
    still writing aside then, so nothing reaches ``--out``.
    """
    for ref in refs:
        state = store.document(ref.doc_id, annotator).load()
        if selector.keep(state):
            yield _export_record(ref, state, store, config, warnings)
    selector.finish()


def _script_config(script: str, variant: str) -> str | None:
    """The OpenCC config that turns stored text into ``script``; None to keep it."""
    if script == "original":
        return None
    try:
        to_traditional, to_simplified = variant_pair(variant)
    except ValueError as error:
        raise InterchangeError(str(error)) from None
    return to_traditional if script == "traditional" else to_simplified


def _export_record(
    ref: DocumentRef, state: DocumentState, store: Store, config: str | None, warnings: list[str]
) -> DocumentRecord:
    """The document under ``ref`` with the spans of ``state`` (its annotator's)."""
    try:
        text = load_document(ref).text
    except DocumentError as error:
        raise InterchangeError(f"cannot export {ref.name}: {error}") from None
    spans = _checked_spans(ref.name, text, state.spans, warnings)
    side = state.source or _source_record(ref.doc_id, store)
    span_sides: Mapping[str, Mapping[str, Any]] = side.get("spans", {})
    linked = _linked_span_ids(state.links)
    records = [
        _span_record(span, span_sides.get(_span_key(span), {}), span.id in linked) for span in spans
    ]
    document = DocumentRecord(
        name=str(side.get("name", "")) or _default_name(ref.name),
        text=text,
        spans=tuple(records),
        metadata=side.get("metadata", {}),
        extra_lines=tuple(side.get("extra_lines", ())),
    )
    if linked or state.links.categories:
        document = _with_links(document, spans, state.links, side)
    return _converted(document, config) if config is not None else document


def _linked_span_ids(links: Links) -> set[str]:
    """The ids of the spans a relation, chain or attribute points at."""
    ids = {end for relation in links.relations for end in (relation.source, relation.target)}
    ids.update(member for chain_link in links.chains for member in chain_link.members)
    ids.update(attribute.span for attribute in links.attributes)
    return ids


def _with_links(
    document: DocumentRecord, spans: Sequence[Span], links: Links, side: Mapping[str, Any]
) -> DocumentRecord:
    """``document`` with ``links`` as records on its spans' source ids; a link to a span
    not exported (one that could not be placed after its text changed) is left out."""
    source_ids = {
        span.id: record.source_id for span, record in zip(spans, document.spans, strict=True)
    }
    keys = {span.id: _span_key(span) for span in spans}
    relation_sides: Mapping[str, Any] = _mapping(side.get("relations"))
    relations = []
    for relation in links.relations:
        if relation.source in source_ids and relation.target in source_ids:
            key = _relation_key(relation.type, keys[relation.source], keys[relation.target])
            kept = _mapping(relation_sides.get(key))
            relations.append(
                RelationRecord(
                    source_ids[relation.source],
                    source_ids[relation.target],
                    relation.type,
                    id=str(kept.get("id", "")),
                    extra=_mapping(kept.get("extra")),
                )
            )
    chains = [
        ChainRecord(tuple(source_ids[member] for member in chain_link.members), chain_link.type)
        for chain_link in links.chains
        if all(member in source_ids for member in chain_link.members)
    ]
    attribute_ids: Mapping[str, Any] = _mapping(side.get("attributes"))
    attributes = [
        AttributeRecord(
            source_ids[attribute.span],
            attribute.name,
            attribute.value,
            id=str(attribute_ids.get(f"{keys[attribute.span]}/{attribute.name}", "")),
        )
        for attribute in links.attributes
        if attribute.span in source_ids
    ]
    return replace(
        document,
        relations=tuple(relations),
        chains=tuple(chains),
        attributes=tuple(attributes),
        categories=_ordered_categories(links.categories, side.get("categories")),
    )


def _ordered_categories(categories: frozenset[str], source_order: object) -> tuple[str, ...]:
    """``categories`` in the source's order (as imported), then the others sorted."""
    first = source_order if isinstance(source_order, list) else []
    known = [name for name in dict.fromkeys(first) if name in categories]
    return (*known, *sorted(categories.difference(known)))


def _mapping(value: object) -> Mapping[str, Any]:
    """``value`` if it is a dict (a source record read back from the store), else empty."""
    return value if isinstance(value, dict) else {}


def _default_name(doc_id: str) -> str:
    """A document id without its text suffix: ``news/第1回.txt`` → ``news/第1回``."""
    stem, dot, suffix = doc_id.rpartition(".")
    return stem if dot and suffix.lower() in ("txt", "text", "md") else doc_id


def _checked_spans(
    doc_id: str, text: str, spans: Sequence[Span], warnings: list[str]
) -> list[Span]:
    """``spans`` on ``text`` (moved there if the text changed), each one checked against it."""
    if spans:
        sha = text_sha256(text)
        if any(span.doc_sha256 != sha for span in spans):
            spans, _ = reanchor(spans, text, sha)
    kept: list[Span] = []
    for span in spans:
        if span.flagged:
            warnings.append(
                f"{doc_id}: span {span.id} {span.label} {span.text!r} left out: it could "
                "not be placed after the document changed"
            )
            continue
        if span.end > len(text) or text[span.start : span.end] != span.text:
            found = text[span.start : span.end]
            raise InterchangeError(
                f"{doc_id}: span {span.id} {span.label} {span.start}-{span.end} holds "
                f"{span.text[:40]!r} but the text there is {found[:40]!r}; nothing exported"
            )
        kept.append(span)
    return kept


def _span_record(span: Span, side: Mapping[str, Any], linked: bool) -> SpanRecord:
    """The record of ``span``: a ``linked`` span without a source id is given its store id,
    for its links to point at (formats write their own ids in its place)."""
    extra = side.get("extra")
    return SpanRecord(
        start=span.start,
        end=span.end,
        label=span.label,
        text=span.text,
        note=span.note,
        group=span.group,
        source_id=str(side.get("source_id", "")) or (span.id if linked else ""),
        extra=extra if isinstance(extra, dict) else {},
    )


def _source_record(doc_id: str, store: Store) -> Mapping[str, Any]:
    """The import's source record of a document, kept by whichever annotator imported it."""
    for annotator in store.annotators(doc_id):
        try:
            source = store.document(doc_id, annotator).load().source
        except StoreError:
            continue  # another annotator's bad file does not stop this export
        if source:
            return source
    return {}


def _converted(document: DocumentRecord, config: str) -> DocumentRecord:
    """The document in another script, every span moved through the offset map."""
    text = document.text
    safe = display_safe(text)  # OpenCC mangles control characters; this is one for one
    converted = convert_with_offsets(config, safe)
    shown = _restore_controls(text, safe, converted.text, converted.offsets)
    spans = []
    for span in document.spans:
        start, end = converted.offsets.display_span(span.start, span.end)
        spans.append(_moved(span, start, end, shown[start:end]))
    return replace(document, text=shown, spans=tuple(spans))


def _moved(span: SpanRecord, start: int, end: int, text: str) -> SpanRecord:
    return replace(span, start=start, end=end, text=text)


def _restore_controls(text: str, safe: str, shown: str, offsets: OffsetMap) -> str:
    """Put back the control characters :func:`display_safe` replaced before converting."""
    if safe == text:
        return shown
    characters = list(shown)
    for index, (original, placeholder) in enumerate(zip(text, safe, strict=True)):
        if original != placeholder:
            start, end = offsets.display_range(index)
            if end - start == 1 and characters[start] == placeholder:
                characters[start] = original
    return "".join(characters)


def _write_aside(codec: Format, records: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write into a temporary file or folder beside ``out``, then move it into place.

    Problems name ``out`` (or the file in it), never the temporary file or folder.
    """
    out = out.absolute()
    if codec.out_is_folder and out.exists() and not out.is_dir():
        raise InterchangeError(f"{out} exists and is not a folder")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InterchangeError(f"cannot write {out}: {_describe(error)}") from None
    aside = _aside(codec, out)
    try:
        report = codec.write(records, aside)
        _move_in(aside, out)
    except FormatError as error:
        named = FormatError(_renamed(error.path, aside, out), error.line, error.message)
        raise InterchangeError(str(named)) from None
    except OSError as error:
        if isinstance(error.filename, str):
            error.filename = _renamed(error.filename, aside, out)
        raise InterchangeError(f"export stopped: {_describe(error)}") from None
    finally:
        if aside.is_dir():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.unlink(missing_ok=True)
    return report


def _aside(codec: Format, out: Path) -> Path:
    """A new empty temporary file (or folder, for a folder format) beside ``out``."""
    try:
        if codec.out_is_folder:
            return Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        handle, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as error:  # its file name is a random one: say which output it was for
        raise InterchangeError(f"cannot write {out}: {error.strerror or error}") from None
    os.close(handle)
    return Path(name)


def _move_in(aside: Path, out: Path) -> None:
    """Put what was written aside at ``out``: the file, or each file of the folder."""
    if not aside.is_dir():
        os.replace(aside, out)
        return
    for written in sorted(aside.rglob("*")):
        target = out / written.relative_to(aside)
        if written.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(written, target)


def _renamed(path: str, aside: Path, out: Path) -> str:
    """``path`` with the temporary ``aside`` (or a file in it) named as ``out`` instead."""
    if path == str(aside) or path.startswith(f"{aside}{os.sep}"):
        return f"{out}{path[len(str(aside)) :]}"
    return path


# ---------------------------------------------------------------------------- stats


@dataclass
class Stats:
    """Counts over a corpus and its store."""

    documents: int = 0
    spans: int = 0
    by_label: Counter[str] = field(default_factory=Counter)
    by_annotator: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)  # (annotator, status)
    problems: list[str] = field(default_factory=list)
    #: Relations, chains, categories and attributes.
    links: LinkCounts = field(default_factory=LinkCounts)
    #: The ``created`` stamps of the spans each annotator made (their active work).
    stamps: dict[str, list[str]] = field(default_factory=dict)
    #: Each file read: (document id, annotator) → its span count and status.
    work: dict[tuple[str, str], tuple[int, Status]] = field(default_factory=dict)


def collect_stats(paths: Sequence[Path], store: Store) -> Stats:
    """Documents, spans per label and per annotator, and each annotator's status counts."""
    check = open_corpus(paths, store, write=False)
    stats = Stats(problems=check.lines(store))
    for ref in check.refs:
        stats.documents += 1
        for annotator in store.annotators(ref.doc_id):
            try:
                state = store.document(ref.doc_id, annotator).load()
            except StoreError as error:
                stats.problems.append(str(error))
                continue
            stats.spans += len(state.spans)
            stats.by_annotator[annotator] += len(state.spans)
            stats.by_label.update(span.label for span in state.spans)
            stats.stamps.setdefault(annotator, []).extend(
                span.created for span in state.spans if span.origin in WORK_ORIGINS
            )
            stats.statuses[annotator, state.status.value] += 1
            stats.work[ref.doc_id, annotator] = (len(state.spans), state.status)
            stats.links.add(state.links)
            stats.problems += [f"{ref.name}: {annotator!r}: {p}" for p in state.links.problems]
    return stats


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    return str(error)
