"""Label Studio JSON export: an array of tasks, each with its text and annotations.

A task looks like ``{"id": 1, "data": {"text": ...}, "annotations": [{"result": [...]}]}``;
a span is a result ``{"id", "from_name", "to_name", "type": "labels", "value": {"start",
"end", "text", "labels": [...]}}``. The array is parsed one task at a time.

Reading:

- Offsets are code points when ``text[start:end]`` equals ``value.text``; older front ends
  counted UTF-16 code units (off by one after each astral character), so that reading is
  tried next, with a warning; a text that matches no reading is an error.
- Only the first annotation of a task is imported; other annotations and ``predictions``
  are kept for export, with a warning. A result with several labels gives one span per
  label.
- A ``relation`` result between two labels results, with labels, gives a
  :class:`RelationRecord` per label (its other keys, ``direction``..., kept in ``extra``).
- The ``choices`` of a ``choices`` result on the whole text (no ``start`` in its value)
  are the document's categories; the result stays in the annotation, for writing the
  categories back where they were.
- A per-region ``choices`` result of one choice on a span read is an attribute of that
  span: its ``from_name``, and the choice (True when the choice is the name itself, a
  flag such as ``<Choices name="否定"><Choice value="否定"/>``). It stays in the
  annotation too.
- Results of other types (textarea, a relation without labels, choices of several...) are
  kept in the first annotation as they are.
- ``meta.text`` of a result (Label Studio's region comment) becomes the span's note; the
  result's other keys are kept in ``SpanRecord.extra`` and its id in ``source_id``.
- The name is ``str(task["id"])``. ``metadata`` holds the task's other keys verbatim, plus
  ``data`` without ``text`` (when anything is left) and ``annotations`` with the imported
  spans taken out of the first one's ``result``.

Problems go to a :class:`~tui.core.formats.problems.Problems` collector (without one, the
first is raised): an invalid labels result is left out, with the relation results
(``from_id``, ``to_id``) pointing at it; a task that is no document (not an object, no
``data.text``, annotations not a list) is left out whole. A file that is not JSON stops the
reading.

Writing puts all that back (spans first in the first annotation's ``result``, then the
relations, one result per pair of spans and ``extra``, then the other results), so a round
trip is exact up to key order. Result ids are kept; spans without one get a fresh id. Each
category is written into the ``choices`` result that held it; new ones go into the first
such result, or a new one (``from_name`` ``category``). A document without ``id`` in its
metadata is written with its name as ``id`` (when it has one). Discontinuous fragments
become separate results, with a warning; one line for the export counts the chains left
out. Attributes are written into the per-region choices result that held them, or a new
one after the other results (a flag as the choice of its own name).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.formats._io import atomic_output, json_bytes
from tui.core.formats.checks import (
    WarningLog,
    Where,
    check_document,
    checked_label,
    checked_note,
    describe,
    integer,
    quote,
    resolve_fragments,
    string,
    unwritten,
)
from tui.core.formats.jsonarray import iter_array
from tui.core.formats.model import (
    AttributeRecord,
    DocumentRecord,
    FormatError,
    RelationRecord,
    SpanRecord,
    WriteReport,
    links_left_out,
)
from tui.core.formats.offsets import SourceText
from tui.core.formats.problems import Kind, Problems

__all__ = ["read", "write"]

_VALUE_KEYS = ("start", "end", "text", "labels")
_DEFAULT_RESULT = {"from_name": "label", "to_name": "text", "type": "labels"}
_RELATION_KEYS = ("from_id", "to_id", "type", "labels")
_NEW_CHOICES = {"from_name": "category", "to_name": "text", "type": "choices"}


# ---------------------------------------------------------------------------- reading


def read(source: Path, problems: Problems | None = None) -> Iterator[DocumentRecord]:
    """The tasks of a Label Studio JSON export, parsed one at a time.

    Without ``problems``, the first invalid item raises a FormatError; with it, each is
    recorded there and left out.
    """
    problems = Problems(strict=True) if problems is None else problems
    for index, (line, task) in enumerate(iter_array(source, "tasks"), start=1):
        try:
            document = _document(task, Where(str(source), line, f"task {index}"), problems)
        except FormatError as error:
            problems.invalid(error, Kind.DOCUMENT)
            continue
        yield document


def _document(task: object, where: Where, problems: Problems) -> DocumentRecord:
    if not isinstance(task, dict):
        raise where.error(f"a task must be a JSON object, not {type(task).__name__}")
    data = task.get("data")
    if not isinstance(data, dict):
        raise where.error("the task has no 'data' object")
    text = SourceText(string(data.get("text"), "data 'text'", where))
    warnings = WarningLog()
    metadata = {key: value for key, value in task.items() if key not in ("data", "annotations")}
    data_rest = {key: value for key, value in data.items() if key != "text"}
    if data_rest:
        metadata["data"] = data_rest
    spans: list[SpanRecord] = []
    links = _Links()
    if "annotations" in task:
        spans, kept = _annotations(task["annotations"], text, where, warnings, problems)
        links = _links(kept, spans, where, warnings)
        # A bare annotation holding nothing but these spans is what writing makes anyway;
        # leaving it out keeps it from other formats' output.
        if not spans or kept != [{"result": []}]:
            metadata["annotations"] = kept
    if task.get("predictions"):
        warnings.add(where.warning("predictions are not imported (kept for export)"))
    return DocumentRecord(
        name=str(task["id"]) if "id" in task else "",
        text=text.canonical,
        spans=tuple(spans),
        metadata=metadata,
        line=where.line or 0,
        warnings=warnings.as_tuple(),
        relations=tuple(links.relations),
        categories=tuple(dict.fromkeys(links.categories)),
        attributes=tuple(links.attributes),
    )


@dataclass(slots=True)
class _Links:
    """What the first annotation's results say beyond spans."""

    relations: list[RelationRecord] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    attributes: list[AttributeRecord] = field(default_factory=list)


def _links(
    annotations: list[object], spans: Sequence[SpanRecord], where: Where, warnings: WarningLog
) -> _Links:
    """The relations between spans (taken out of the first annotation's results), the
    categories (its whole-text choices) and the span attributes (per-region choices of
    one choice); choices results stay in the annotation, for writing back in place."""
    links = _Links()
    first = annotations[0] if annotations else None
    results = first.get("result") if isinstance(first, dict) else None
    if not isinstance(results, list):
        return links
    ids = {span.source_id for span in spans if span.source_id}
    others = []
    named: set[tuple[str, str]] = set()
    for item in results:
        records = _relation_records(item, ids, where, warnings)
        if records:
            links.relations.extend(records)
            continue
        others.append(item)
        links.categories.extend(_document_choices(item))
        attribute = _region_choice(item, ids)
        if attribute is not None and (attribute.span, attribute.name) not in named:
            named.add((attribute.span, attribute.name))
            links.attributes.append(attribute)
    results[:] = others  # the annotation is this reader's own copy
    return links


def _region_choice(item: object, ids: Collection[str]) -> AttributeRecord | None:
    """The attribute a per-region choices result of one choice on a span read gives: its
    ``from_name`` and the choice (True when the choice is the name itself, a flag)."""
    if not (isinstance(item, dict) and item.get("type") == "choices"):
        return None
    value, name, region = item.get("value"), item.get("from_name"), item.get("id")
    if not (isinstance(value, dict) and "start" in value and isinstance(name, str)):
        return None
    choices = value.get("choices")
    if not (isinstance(region, str) and region in ids and isinstance(choices, list)):
        return None
    if len(choices) != 1 or not isinstance(choices[0], str) or not choices[0]:
        return None
    return AttributeRecord(region, name, True if choices[0] == name else choices[0])


def _relation_records(
    item: object, ids: set[str], where: Where, warnings: WarningLog
) -> list[RelationRecord]:
    """One record per label of a relation result between two spans read, else none."""
    if not (isinstance(item, dict) and item.get("type") == "relation"):
        return []
    ends, labels = (item.get("from_id"), item.get("to_id")), item.get("labels")
    if not (all(isinstance(end, str) and end in ids for end in ends) and labels):
        return []
    if not (isinstance(labels, list) and all(isinstance(label, str) for label in labels)):
        return []
    try:
        types = [checked_label(label, where, warnings) for label in labels]
    except FormatError:
        return []  # kept as it is, as any result the reader does not take
    extra = {key: value for key, value in item.items() if key not in _RELATION_KEYS}
    return [RelationRecord(str(ends[0]), str(ends[1]), name, extra=extra) for name in types]


def _document_choices(item: object) -> list[str]:
    """The choices of a ``choices`` result on the whole text, else none."""
    if not (isinstance(item, dict) and item.get("type") == "choices"):
        return []
    value = item.get("value")
    if not isinstance(value, dict) or "start" in value:
        return []
    choices = value.get("choices")
    if isinstance(choices, list) and all(isinstance(choice, str) for choice in choices):
        return [choice for choice in choices if choice]
    return []


def _annotations(
    annotations: object, text: SourceText, where: Where, warnings: WarningLog, problems: Problems
) -> tuple[list[SpanRecord], list[object]]:
    """The spans of the first annotation, and the annotations with those spans taken out."""
    if not isinstance(annotations, list):
        raise where.error("'annotations' must be a list")
    if not annotations:
        return [], []
    first = annotations[0]
    if not isinstance(first, dict):
        raise where.error(f"an annotation must be a JSON object, not {type(first).__name__}")
    if len(annotations) > 1:
        warnings.add(
            where.warning(
                f"only the first of {len(annotations)} annotations is imported"
                " (the others are kept for export)"
            )
        )
    result = first.get("result", [])
    if not isinstance(result, list):
        raise where.error("'result' must be a list")
    spans: list[SpanRecord] = []
    others = []
    left_out: list[object] = []  # the ids of the invalid labels results
    for item in result:
        if isinstance(item, dict) and item.get("type") == "labels":
            try:
                spans.extend(_result_spans(item, text, where, warnings))
            except FormatError as error:
                problems.invalid(error)
                left_out.append(item.get("id"))
        else:
            others.append(item)
    if left_out:
        others = _without_relations_to(others, left_out, where, problems)
    kept = {**first, "result": others} if "result" in first else first
    return spans, [kept, *annotations[1:]]


def _without_relations_to(
    results: list[object], left_out: list[object], where: Where, problems: Problems
) -> list[object]:
    """``results`` without the relations from or to a result left out, each recorded."""
    kept = []
    for item in results:
        ends = [item.get("from_id"), item.get("to_id")] if isinstance(item, dict) else []
        target = next((end for end in ends if end is not None and end in left_out), None)
        if target is None:
            kept.append(item)
            continue
        shown = " → ".join(str(end) for end in ends)
        problems.left_out(where.error(f"relation {shown} refers to {target}, which is left out"))
    return kept


def _result_spans(
    item: dict[str, object], text: SourceText, where: Where, warnings: WarningLog
) -> list[SpanRecord]:
    value = item.get("value")
    if not isinstance(value, dict):
        raise where.error("a labels result has no 'value' object")
    missing = [key for key in _VALUE_KEYS if key not in value]
    if missing:
        raise where.error(f"a labels result has no value {missing[0]!r}")
    labels = value["labels"]
    if not isinstance(labels, list) or not labels:
        raise where.error("value 'labels' must be a non-empty list")
    names = [checked_label(label, where, warnings) for label in labels]
    start = integer(value["start"], "value 'start'", where)
    end = integer(value["end"], "value 'end'", where)
    given = string(value["text"], "value 'text'", where)
    [(start, end)], reading = resolve_fragments(
        text, [(start, end)], given, names[0], where, utf16=True
    )
    if reading:
        warnings.once("reading", where.warning(f"offsets read as {reading} (converted)"))
    note, extra = _note_and_extra(item, value)
    source_id = str(item["id"]) if "id" in item else ""
    checked_note(note, where, whose=f"result {quote(source_id)}" if source_id else "")
    covered = text.canonical[start:end]
    return [
        SpanRecord(start, end, name, covered, note=note, source_id=source_id, extra=extra)
        for name in names
    ]


def _note_and_extra(
    item: Mapping[str, object], value: Mapping[str, object]
) -> tuple[str, dict[str, object]]:
    """The region comment (``meta.text``), and every other key to write back."""
    extra = {key: item_value for key, item_value in item.items() if key not in ("id", "value")}
    value_rest = {key: item_value for key, item_value in value.items() if key not in _VALUE_KEYS}
    if value_rest:
        extra["value"] = value_rest
    meta = extra.get("meta")
    if not isinstance(meta, dict) or not _is_note(meta.get("text")):
        return "", extra
    meta_rest = {key: meta_value for key, meta_value in meta.items() if key != "text"}
    if meta_rest:
        extra["meta"] = meta_rest
    else:
        del extra["meta"]
    lines = meta["text"]
    assert isinstance(lines, list)
    return "\n".join(lines), extra


def _is_note(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


# ---------------------------------------------------------------------------- writing


def write(documents: Iterable[DocumentRecord], out: Path) -> WriteReport:
    """Write ``documents`` to ``out`` as a Label Studio JSON array, one task a line."""
    report = WriteReport()
    left_out: Counter[str] = Counter()
    with atomic_output(out) as handle:
        handle.write(b"[")
        for index, doc in enumerate(documents, start=1):
            check_document(doc, path=str(out), index=index)
            what = describe(doc, index)
            handle.write(b"\n" if index == 1 else b",\n")
            handle.write(json_bytes(_task(doc, what, report), out, what))
            report.documents += 1
            report.spans += len(doc.spans)
            left_out.update(chain=len(doc.chains))
        handle.write(b"\n]\n" if report.documents else b"]\n")
    warning = links_left_out(left_out, "Label Studio")
    if warning:
        report.warnings.append(warning)
    return report


def _task(doc: DocumentRecord, what: str, report: WriteReport) -> dict[str, object]:
    metadata = dict(doc.metadata)
    task: dict[str, object] = {}
    if "id" in metadata:
        task["id"] = metadata.pop("id")
    elif doc.name:
        task["id"] = doc.name
    data = metadata.pop("data", {})
    if not isinstance(data, Mapping):
        report.warnings.append(f"{what}: metadata 'data' is not an object: not written")
        data = {}
    task["data"] = {"text": doc.text, **{key: v for key, v in data.items() if key != "text"}}
    annotations = _kept_annotations(metadata.pop("annotations", None), what, report)
    written = _annotations_out(doc, annotations, what, report)
    if written is not None:
        task["annotations"] = written
    task.update(metadata)
    return task


def _kept_annotations(kept: object, what: str, report: WriteReport) -> list[object] | None:
    """The annotations read with the document, or None if there were none (or unusable)."""
    if kept is None:
        return None
    if isinstance(kept, list) and (not kept or isinstance(kept[0], Mapping)):
        return kept
    report.warnings.append(f"{what}: metadata 'annotations' is not a list of objects: replaced")
    return None


def _annotations_out(
    doc: DocumentRecord, kept: list[object] | None, what: str, report: WriteReport
) -> list[object] | None:
    if not kept:
        results = _all_results(doc, [], set(), what, report)
        return [{"result": results}] if results else kept
    first = dict(kept[0]) if isinstance(kept[0], Mapping) else {}
    others = first.get("result", [])
    others = others if isinstance(others, list) else []
    taken = {str(item["id"]) for item in others if isinstance(item, Mapping) and "id" in item}
    first["result"] = _all_results(doc, others, taken, what, report)
    return [first, *kept[1:]]


def _all_results(
    doc: DocumentRecord, others: list[object], taken: set[str], what: str, report: WriteReport
) -> list[object]:
    """The spans' results, the relations', and ``others`` with the categories put in."""
    results, ids = _results(doc, taken, what, report)
    taken |= {str(result["id"]) for result in results}  # a new choices result's id
    relations = _relation_results(doc.relations, ids, what, report)
    regions = {str(result["id"]): result for result in results}
    attributes = _Attributes(doc.attributes, ids, regions)
    others = [item for item in map(attributes.updated, others) if item is not None]
    return [
        *results,
        *relations,
        *_with_categories(others, doc.categories, taken),
        *attributes.new_results(what, report),
    ]


@dataclass(slots=True)
class _Attributes:
    """Writes span attributes as per-region choices results: into the result that held
    the attribute when read (kept in the annotation), or a new one after the others."""

    attributes: Sequence[AttributeRecord]
    ids: Mapping[str, str]  # span source id to its result id
    regions: Mapping[str, Mapping[str, object]]  # result id to the span's result
    written: set[int] = field(default_factory=set)  # indices into attributes

    def updated(self, item: object) -> object | None:
        """``item`` as it is, unless it is a per-region choices result of one choice: then
        brought up to date (its choice, its region), or None when the document no longer
        has its attribute."""
        if not (isinstance(item, dict) and _region_choice(item, self.regions)):
            return item
        for index, attribute in enumerate(self.attributes):
            region = self.ids.get(attribute.span)
            same = (region, attribute.name) == (item["id"], item["from_name"])
            if same and region is not None and index not in self.written:
                self.written.add(index)
                return {**item, "value": self._value(item["value"], attribute, region)}
        return None

    def new_results(self, what: str, report: WriteReport) -> list[dict[str, object]]:
        """A choices result for each attribute not written into a kept one."""
        results: list[dict[str, object]] = []
        for index, attribute in enumerate(self.attributes):
            if index in self.written:
                continue
            region = self.ids.get(attribute.span)
            if region is None:
                report.warnings.append(
                    f"{what}: left out attribute {attribute.name!r}: its span is not exported"
                )
                continue
            head = {"id": region, "from_name": attribute.name, "to_name": "text"}
            value = self._value({}, attribute, region)
            results.append({**head, "type": "choices", "value": value})
        return results

    def _value(self, earlier: object, attribute: AttributeRecord, region: str) -> dict[str, object]:
        span_value = self.regions[region]["value"]
        assert isinstance(span_value, Mapping)
        value = dict(earlier) if isinstance(earlier, Mapping) else {}
        value.update({key: span_value[key] for key in ("start", "end", "text")})
        choice = attribute.name if attribute.value is True else str(attribute.value)
        value["choices"] = [choice]
        return value


def _relation_results(
    relations: Sequence[RelationRecord], ids: Mapping[str, str], what: str, report: WriteReport
) -> list[dict[str, object]]:
    """One relation result per pair of spans and ``extra``, labelled with their types."""
    grouped: dict[tuple[str, str, str], dict[str, object]] = {}
    for relation in relations:
        if relation.source_id not in ids or relation.target_id not in ids:
            report.warnings.append(
                f"{what}: left out relation {relation.type!r}: its spans are not all exported"
            )
            continue
        ends = ids[relation.source_id], ids[relation.target_id]
        key = (*ends, json.dumps(relation.extra, sort_keys=True, default=str))
        result = grouped.get(key)
        if result is None:
            extra = {"direction": "right", **relation.extra}
            result = {"from_id": ends[0], "to_id": ends[1], "type": "relation", **extra}
            result["labels"] = []
            grouped[key] = result
        labels = result["labels"]
        assert isinstance(labels, list)
        if relation.type not in labels:
            labels.append(relation.type)
    return list(grouped.values())


def _with_categories(
    others: list[object], categories: Sequence[str], taken: set[str]
) -> list[object]:
    """``others`` with each whole-text choices result holding the categories it held that
    the document still has (dropped when none is left); new ones go into the first such
    result, or a new one at the end."""
    left = list(categories)
    results: list[object] = []
    first_choices: dict[str, object] | None = None
    for item in others:
        held = _document_choices(item)
        if not held or not isinstance(item, dict):
            results.append(item)
            continue
        kept = [choice for choice in held if choice in left]
        left = [name for name in left if name not in kept]
        if kept:
            value = item["value"]
            choices = {**item, "value": {**value, "choices": kept}}
            first_choices = first_choices or choices
            results.append(choices)
    if left and first_choices is not None:
        value = first_choices["value"]
        assert isinstance(value, dict)
        value["choices"] = [*value["choices"], *left]
    elif left:
        fresh = next(f"bz{n}" for n in itertools.count(1) if f"bz{n}" not in taken)
        results.append({"id": fresh, **_NEW_CHOICES, "value": {"choices": left}})
    return results


def _results(
    doc: DocumentRecord, taken: set[str], what: str, report: WriteReport
) -> tuple[list[dict[str, object]], dict[str, str]]:
    """One result per span; spans with one id and one place (several labels) share one.

    Also each span source id to the id of the first result written for it.
    """
    spans = doc.spans
    taken |= {span.source_id for span in spans if span.source_id}
    fresh = (f"bz{n}" for n in itertools.count(1) if f"bz{n}" not in taken)
    results: list[dict[str, object]] = []
    ids: dict[str, str] = {}
    written: dict[str, tuple[SpanRecord, list[str]]] = {}
    for span in spans:
        same = written.get(span.source_id)
        if same is not None and (same[0].start, same[0].end) == (span.start, span.end):
            if span.label not in same[1]:
                same[1].append(span.label)
            continue
        result_id = span.source_id if span.source_id and same is None else next(fresh)
        if span.source_id and result_id != span.source_id:
            report.warnings.append(f"{what}: result id {span.source_id!r} given to two spans")
        labels = [span.label]
        written[result_id] = (span, labels)
        if span.source_id:
            ids.setdefault(span.source_id, result_id)
        results.append(_result(span, result_id, labels))
    report.warnings.extend(unwritten(doc, what, "Label Studio", notes=False))
    return results, ids


def _result(span: SpanRecord, result_id: str, labels: list[str]) -> dict[str, object]:
    extra = dict(span.extra)
    value_rest = extra.pop("value", None)
    meta = extra.pop("meta", None)
    result: dict[str, object] = {"id": result_id, **_DEFAULT_RESULT, **extra}
    value = dict(value_rest) if isinstance(value_rest, Mapping) else {}
    value.update(start=span.start, end=span.end, text=span.text, labels=labels)
    result["value"] = value
    if span.note:
        earlier = dict(meta) if isinstance(meta, Mapping) else {}
        result["meta"] = {**earlier, "text": span.note.split("\n")}
    elif meta is not None:
        result["meta"] = meta
    return result
