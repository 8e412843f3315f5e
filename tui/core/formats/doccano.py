"""doccano sequence-labelling JSONL: one document a line.

Written (and read) as ``{"text": ..., "label": [[start, end, "LABEL"], ...], ...}``; the
older ``{"text": ..., "entities": [{"start_offset", "end_offset", "label"}, ...]}`` form is
read too. Offsets are code points of ``text``. Every other key (``id``, ``meta``,
``Comments``, ``relations``...) goes into ``metadata`` and is written back after ``text``
and ``label``, so a file in the ``label`` form survives a round trip up to key order. The
document name is ``str(id)``; a document without an ``id`` key in its metadata is written
with its name as ``id`` (when it has one).

doccano has no span notes and no discontinuous spans: on export notes are left out and
fragments become separate spans, each with a warning in the report.

Problems go to a :class:`~tui.core.formats.problems.Problems` collector (without one, the
first is raised): an invalid span item is left out, with the ``relations`` items of the
entities form that point at its ``id``; a line that is no document (invalid JSON, no
``text``, spans not a list) is left out whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from tui.core.formats._io import atomic_output, iter_lines, json_bytes
from tui.core.formats.checks import (
    WarningLog,
    Where,
    check_document,
    checked_label,
    describe,
    integer,
    resolve_fragments,
    string,
    unwritten,
)
from tui.core.formats.model import DocumentRecord, FormatError, SpanRecord, WriteReport
from tui.core.formats.offsets import SourceText
from tui.core.formats.problems import Kind, Problems
from tui.core.untrusted import JsonProblem, parse_json

__all__ = ["read", "write"]

_SPAN_KEYS = ("label", "entities")


def read(source: Path, problems: Problems | None = None) -> Iterator[DocumentRecord]:
    """The documents of a doccano JSONL file, one line at a time; blank lines are skipped.

    Without ``problems``, the first invalid item raises a FormatError; with it, each is
    recorded there and left out.
    """
    problems = Problems(strict=True) if problems is None else problems
    for number, line in iter_lines(source):
        if not line.strip():
            continue
        try:
            document = _document(line, Where(str(source), number), problems)
        except FormatError as error:
            problems.invalid(error, Kind.DOCUMENT)
            continue
        yield document


def _document(line: str, where: Where, problems: Problems) -> DocumentRecord:
    try:
        record = parse_json(line)
    except JsonProblem as error:
        column = "" if error.pos is None else f" (column {error.pos + 1})"
        raise where.error(f"invalid JSON: {error.reason}{column}") from error
    if not isinstance(record, dict):
        raise where.error(f"expected a JSON object, not {type(record).__name__}")
    text = SourceText(string(record.get("text"), "'text'", where))
    warnings = WarningLog()
    if "label" in record and "entities" in record:
        raise where.error("has both 'label' and 'entities': which holds the spans is unclear")
    metadata = {key: value for key, value in record.items() if key not in ("text", *_SPAN_KEYS)}
    if "entities" in record:
        spans, left_out = _entity_spans(record["entities"], text, where, warnings, problems)
        if record.get("relations"):
            warnings.add(where.warning("relations refer to entity ids, which are not kept"))
            if left_out:
                metadata["relations"] = _kept_relations(
                    record["relations"], left_out, where, problems
                )
    else:
        spans = _label_spans(record.get("label", []), text, where, warnings, problems)
    return DocumentRecord(
        name=str(record["id"]) if "id" in record else "",
        text=text.canonical,
        spans=tuple(spans),
        metadata=metadata,
        line=where.line or 0,
        warnings=warnings.as_tuple(),
    )


def _label_spans(
    items: object, text: SourceText, where: Where, warnings: WarningLog, problems: Problems
) -> list[SpanRecord]:
    if not isinstance(items, list):
        raise where.error("'label' must be a list of [start, end, label]")
    spans = []
    for item in items:
        try:
            spans.append(_label_span(item, text, where, warnings))
        except FormatError as error:
            problems.invalid(error)
    return spans


def _label_span(item: object, text: SourceText, where: Where, warnings: WarningLog) -> SpanRecord:
    if not isinstance(item, list) or len(item) != 3:
        raise where.error(f"each 'label' item must be [start, end, label], not {item!r:.60}")
    start, end, label = item
    return _span(text, start, end, label, where, warnings)


def _entity_spans(
    items: object, text: SourceText, where: Where, warnings: WarningLog, problems: Problems
) -> tuple[list[SpanRecord], list[object]]:
    """The spans of the entities form, and the ids of the entities left out as invalid."""
    if not isinstance(items, list):
        raise where.error("'entities' must be a list of objects")
    spans = []
    left_out = []
    for item in items:
        try:
            spans.append(_entity_span(item, text, where, warnings))
        except FormatError as error:
            problems.invalid(error)
            if isinstance(item, dict) and "id" in item:
                left_out.append(item["id"])
    return spans, left_out


def _entity_span(item: object, text: SourceText, where: Where, warnings: WarningLog) -> SpanRecord:
    if not isinstance(item, dict):
        raise where.error(f"each 'entities' item must be an object, not {item!r:.60}")
    missing = [key for key in ("start_offset", "end_offset", "label") if key not in item]
    if missing:
        raise where.error(f"entity has no {missing[0]!r}")
    start, end = item["start_offset"], item["end_offset"]
    return _span(text, start, end, item["label"], where, warnings)


def _kept_relations(
    relations: object, left_out: list[object], where: Where, problems: Problems
) -> object:
    """``relations`` without the items pointing at an entity left out, each recorded."""
    if not isinstance(relations, list):
        return relations
    kept = []
    for relation in relations:
        ends = (
            [relation.get(key) for key in ("from_id", "to_id")]
            if isinstance(relation, dict)
            else []
        )
        target = next((end for end in ends if end in left_out), None)
        if target is None:
            kept.append(relation)
        else:
            problems.left_out(
                where.error(
                    f"relation {relation!r:.60} refers to entity {target!r}, which is left out"
                )
            )
    return kept


def _span(
    text: SourceText, start: object, end: object, label: object, where: Where, warnings: WarningLog
) -> SpanRecord:
    name = checked_label(label, where, warnings)
    fragment = (integer(start, "start offset", where), integer(end, "end offset", where))
    # doccano gives no span text to check against: code points of the text as stored.
    [(first, last)], _ = resolve_fragments(text, [fragment], None, name, where)
    return SpanRecord(first, last, name, text.canonical[first:last])


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write ``documents`` to ``out`` as doccano JSONL (the ``label`` form), one a line."""
    report = WriteReport()
    with atomic_output(out) as handle:
        for index, doc in enumerate(documents, start=1):
            check_document(doc, path=str(out), index=index)
            handle.write(json_bytes(_record(doc, index, report), out, describe(doc, index)))
            handle.write(b"\n")
            report.documents += 1
            report.spans += len(doc.spans)
    return report


def _record(doc: DocumentRecord, index: int, report: WriteReport) -> dict[str, object]:
    record: dict[str, object] = {
        "text": doc.text,
        "label": [[span.start, span.end, span.label] for span in doc.spans],
    }
    record.update(_metadata(doc, index, report))
    if "id" not in record and doc.name:
        record["id"] = doc.name
    report.warnings.extend(unwritten(doc, describe(doc, index), "doccano", notes=True))
    return record


def _metadata(doc: DocumentRecord, index: int, report: WriteReport) -> Mapping[str, object]:
    clashing = [key for key in doc.metadata if key in ("text", *_SPAN_KEYS)]
    if not clashing:
        return doc.metadata
    report.warnings.append(f"{describe(doc, index)}: metadata key {clashing[0]!r} not written")
    return {key: value for key, value in doc.metadata.items() if key not in clashing}
