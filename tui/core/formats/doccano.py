"""doccano JSONL: one document a line, sequence labelling, relations and classification.

Read:

- ``{"text": ..., "label": [[start, end, "LABEL"], ...]}``: spans. Strings in ``label``
  (``"label": ["正面", "体育"]``, text classification) are the document's categories.
- ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}, ...],
  "relations": [{"id", "from_id", "to_id", "type"}, ...]}`` (the relation project's
  export): spans with their entity ids as source ids, and relations between them.
- ``"cats": [...]``, a list of names beside either form: categories too.

Offsets are code points of ``text``. Every other key (``id``, ``meta``, ``Comments``...)
goes into ``metadata`` and is written back after the spans (``id`` first, as doccano
does). The document name is ``str(id)``; a document without an ``id`` key in its metadata
is written with its name as ``id`` (when it has one).

Write: the ``entities`` form (entity ids kept when they are integers, else fresh ones;
relation ids likewise) when the document has relations, its spans all carry doccano
entity ids, or its metadata holds an empty ``relations`` list (the last two: it was read
in that form), else the ``label`` form. Categories go into
``label`` as strings when the document has no spans (text classification); beside spans
they go into ``cats``, so ``label`` keeps one kind of item. doccano has no span notes,
discontinuous spans, chains or attributes: on export notes are left out and fragments
become separate spans, each with a warning in the report, and one line for the export
counts the chains and attributes left out.

Problems go to a :class:`~tui.core.formats.problems.Problems` collector (without one, the
first is raised): an invalid span item is left out, with the relations that point at its
``id``; a relation to an id no entity has, or not of the shape above, is left out; a line
that is no document (invalid JSON, no ``text``, spans not a list) is left out whole.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
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
from tui.core.formats.model import (
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    WriteReport,
    links_left_out,
)
from tui.core.formats.offsets import SourceText
from tui.core.formats.problems import Kind, Problems
from tui.core.untrusted import JsonProblem, parse_json

__all__ = ["read", "write"]

_SPAN_KEYS = ("label", "entities")
#: Keys the writer fills itself: metadata with one of these is not written over them.
_OWN_KEYS = ("text", *_SPAN_KEYS, "relations", "cats")
_RELATION_KEYS = ("id", "from_id", "to_id", "type")


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
    relations: list[RelationRecord] = []
    categories: list[str] = []
    if "entities" in record:
        spans, ids, left_out = _entity_spans(record["entities"], text, where, warnings, problems)
        # An empty list stays in metadata: it says the line was in the relation form.
        if isinstance(metadata.get("relations"), list) and metadata["relations"]:
            relations = _relations(
                metadata.pop("relations"), ids, left_out, where, (warnings, problems)
            )
    else:
        spans, categories = _label_spans(record.get("label", []), text, where, warnings, problems)
    if _is_names(metadata.get("cats")):
        categories += _categories(metadata.pop("cats"), where, warnings, problems)
    return DocumentRecord(
        name=str(record["id"]) if "id" in record else "",
        text=text.canonical,
        spans=tuple(spans),
        metadata=metadata,
        line=where.line or 0,
        warnings=warnings.as_tuple(),
        relations=tuple(relations),
        categories=tuple(dict.fromkeys(categories)),
    )


def _is_names(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _categories(
    names: list[str], where: Where, warnings: WarningLog, problems: Problems
) -> list[str]:
    """The category names that are fit to be labels; each other one is a problem."""
    kept = []
    for name in names:
        try:
            kept.append(checked_label(name, where, warnings))
        except FormatError as error:
            problems.invalid(error, Kind.REFERENCE)
    return kept


def _label_spans(
    items: object, text: SourceText, where: Where, warnings: WarningLog, problems: Problems
) -> tuple[list[SpanRecord], list[str]]:
    """The spans of a ``label`` list, and the category names (its strings)."""
    if not isinstance(items, list):
        raise where.error("'label' must be a list of [start, end, label]")
    spans = []
    names = [item for item in items if isinstance(item, str)]
    for item in items:
        if isinstance(item, str):
            continue
        try:
            spans.append(_label_span(item, text, where, warnings))
        except FormatError as error:
            problems.invalid(error)
    return spans, _categories(names, where, warnings, problems)


def _label_span(item: object, text: SourceText, where: Where, warnings: WarningLog) -> SpanRecord:
    if not isinstance(item, list) or len(item) != 3:
        raise where.error(f"each 'label' item must be [start, end, label], not {item!r:.60}")
    start, end, label = item
    return _span(text, start, end, label, where, warnings)


def _entity_spans(
    items: object, text: SourceText, where: Where, warnings: WarningLog, problems: Problems
) -> tuple[list[SpanRecord], set[object], set[object]]:
    """The spans of the entities form, the ids of the entities read, and of those left
    out as invalid."""
    if not isinstance(items, list):
        raise where.error("'entities' must be a list of objects")
    spans = []
    ids: set[object] = set()
    left_out: set[object] = set()
    for item in items:
        entity_id = item.get("id") if isinstance(item, dict) else None
        try:
            span = _entity_span(item, text, where, warnings)
        except FormatError as error:
            problems.invalid(error)
            if _usable_id(entity_id):
                left_out.add(entity_id)
            continue
        if _usable_id(entity_id) and entity_id not in ids:
            ids.add(entity_id)
            span = replace(span, source_id=str(entity_id))
        spans.append(span)
    return spans, ids, left_out


def _usable_id(value: object) -> bool:
    """Whether ``value`` can be an entity's id (a bool is no integer here)."""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def _entity_span(item: object, text: SourceText, where: Where, warnings: WarningLog) -> SpanRecord:
    if not isinstance(item, dict):
        raise where.error(f"each 'entities' item must be an object, not {item!r:.60}")
    missing = [key for key in ("start_offset", "end_offset", "label") if key not in item]
    if missing:
        raise where.error(f"entity has no {missing[0]!r}")
    start, end = item["start_offset"], item["end_offset"]
    return _span(text, start, end, item["label"], where, warnings)


def _relations(
    items: list[object],
    ids: set[object],
    left_out: set[object],
    where: Where,
    log: tuple[WarningLog, Problems],
) -> list[RelationRecord]:
    """The relations between entities read; those to an entity left out are recorded as
    left out, those to no entity, of another shape or with a bad type as invalid (a type
    with whitespace is read with ``_`` for it, as labels are)."""
    warnings, problems = log
    relations = []
    for item in items:
        shown = f"relation {item!r:.60}"
        if not _relation_shaped(item):
            problems.invalid(
                where.error(f"{shown}: expected from_id, to_id and type"), Kind.REFERENCE
            )
            continue
        assert isinstance(item, dict)
        ends = [item["from_id"], item["to_id"]]
        target = next((end for end in ends if end in left_out), None)
        if target is not None:
            problems.left_out(
                where.error(f"{shown} refers to entity {target!r}, which is left out")
            )
            continue
        missing = next((end for end in ends if end not in ids), None)
        if missing is not None:
            problems.invalid(
                where.error(f"{shown} refers to entity {missing!r}, which the line does not have"),
                Kind.REFERENCE,
            )
            continue
        try:
            relation_type = checked_label(item["type"], where, warnings)
        except FormatError as error:
            problems.invalid(where.error(f"{shown}: {error.message}"), Kind.REFERENCE)
            continue
        extra = {key: value for key, value in item.items() if key not in _RELATION_KEYS}
        relation_id = str(item["id"]) if _usable_id(item.get("id")) else ""
        relations.append(
            RelationRecord(str(ends[0]), str(ends[1]), relation_type, relation_id, extra)
        )
    return relations


def _span(
    text: SourceText, start: object, end: object, label: object, where: Where, warnings: WarningLog
) -> SpanRecord:
    name = checked_label(label, where, warnings)
    fragment = (integer(start, "start offset", where), integer(end, "end offset", where))
    # doccano gives no span text to check against: code points of the text as stored.
    [(first, last)], _ = resolve_fragments(text, [fragment], None, name, where)
    return SpanRecord(first, last, name, text.canonical[first:last])


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write ``documents`` to ``out`` as doccano JSONL, one a line (see the module for
    which form each takes)."""
    report = WriteReport()
    left_out: Counter[str] = Counter()
    with atomic_output(out) as handle:
        for index, doc in enumerate(documents, start=1):
            check_document(doc, path=str(out), index=index)
            handle.write(json_bytes(_record(doc, index, report), out, describe(doc, index)))
            handle.write(b"\n")
            report.documents += 1
            report.spans += len(doc.spans)
            left_out.update(chain=len(doc.chains), attribute=len(doc.attributes))
    warning = links_left_out(left_out, "doccano")
    if warning:
        report.warnings.append(warning)
    return report


def _record(doc: DocumentRecord, index: int, report: WriteReport) -> dict[str, object]:
    what = describe(doc, index)
    # ``id`` first, as doccano writes it, so its own export comes back byte for byte.
    record: dict[str, object] = {"id": doc.metadata["id"]} if "id" in doc.metadata else {}
    record["text"] = doc.text
    if doc.relations or _read_as_entities(doc.spans) or doc.metadata.get("relations") == []:
        record.update(_entities_form(doc, what, report))
    else:
        record["label"] = [[span.start, span.end, span.label] for span in doc.spans]
    if doc.categories and (doc.spans or "entities" in record):
        record["cats"] = list(doc.categories)
    elif doc.categories:
        record["label"] = list(doc.categories)
    record.update(_metadata(doc, index, report))
    if "id" not in record and doc.name:
        record = {"id": doc.name, **record}
    report.warnings.extend(unwritten(doc, what, "doccano", notes=True))
    return record


def _read_as_entities(spans: Sequence[SpanRecord]) -> bool:
    """Whether every span carries a doccano entity id (an integer), as read from that form."""
    return bool(spans) and all(_integer_id(span.source_id) is not None for span in spans)


def _integer_id(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _entities_form(doc: DocumentRecord, what: str, report: WriteReport) -> dict[str, object]:
    """``entities`` with ids and ``relations`` between them; a relation to a span not
    written is left out with a warning."""
    wanted = [_integer_id(span.source_id) for span in doc.spans]
    fresh = _fresh_integers({number for number in wanted if number is not None})
    ids: dict[str, int] = {}
    entities = []
    for span, number in zip(doc.spans, wanted, strict=True):
        entity_id = number if number is not None and span.source_id not in ids else next(fresh)
        ids.setdefault(span.source_id, entity_id)
        entities.append(
            {
                "id": entity_id,
                "label": span.label,
                "start_offset": span.start,
                "end_offset": span.end,
            }
        )
    wanted_relations = [_integer_id(relation.id) for relation in doc.relations]
    fresh_relations = _fresh_integers({n for n in wanted_relations if n is not None})
    relations = []
    for relation, number in zip(doc.relations, wanted_relations, strict=True):
        if relation.source_id not in ids or relation.target_id not in ids:
            report.warnings.append(
                f"{what}: left out relation {relation.type!r}: its spans are not all exported"
            )
            continue
        item: dict[str, object] = {
            "id": number if number is not None else next(fresh_relations),
            "from_id": ids[relation.source_id],
            "to_id": ids[relation.target_id],
            "type": relation.type,
        }
        relations.append({**item, **{k: v for k, v in relation.extra.items() if k not in item}})
    return {"entities": entities, "relations": relations}


def _relation_shaped(item: object) -> bool:
    """Whether ``item`` has entity ids at both ends and a type."""
    return (
        isinstance(item, dict)
        and _usable_id(item.get("from_id"))
        and _usable_id(item.get("to_id"))
        and isinstance(item.get("type"), str)
        and bool(item["type"])
    )


def _fresh_integers(taken: set[int]) -> Iterator[int]:
    """1, 2, 3... skipping ``taken`` (which it extends)."""
    for number in itertools.count(1):
        if number not in taken:
            taken.add(number)
            yield number


def _metadata(doc: DocumentRecord, index: int, report: WriteReport) -> Mapping[str, object]:
    clashing = [key for key in doc.metadata if key in _OWN_KEYS]
    if clashing == ["relations"] and doc.metadata["relations"] == []:
        # The relation form's mark (see _document): the form is written already.
        return {key: value for key, value in doc.metadata.items() if key != "relations"}
    if not clashing:
        return doc.metadata
    report.warnings.append(f"{describe(doc, index)}: metadata key {clashing[0]!r} not written")
    return {key: value for key, value in doc.metadata.items() if key not in clashing}
