"""A model's span keeps its confidence in the store; other spans' records are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.test_store import make_span
from tui.core import store_read
from tui.core.spans import Origin, Span
from tui.core.store import CorruptStoreError, Store


def test_a_span_without_confidence_saves_no_confidence_field() -> None:
    assert "confidence" not in make_span().to_record()


def test_a_model_span_round_trips_with_its_confidence(tmp_path: Path) -> None:
    document = Store(tmp_path / "store").document("doc", "alice")
    document.put_spans([make_span(0, origin=Origin.MODEL, confidence=0.75), make_span(10)])
    spans = document.load().spans
    assert [(s.origin, s.confidence) for s in spans] == [
        (Origin.MODEL, 0.75),
        (Origin.MANUAL, None),
    ]


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize("bad", [1.5, -0.1, "high", True])
def test_a_confidence_out_of_range_is_a_corrupt_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bad: object, stream: bool
) -> None:
    if stream:
        monkeypatch.setattr(store_read, "_STREAM_FROM_BYTES", 0)
    document = Store(tmp_path / "store").document("doc", "alice")
    document.put_spans([make_span(0, origin=Origin.MODEL, confidence=0.5)])
    tables = json.loads(document.path.read_text(encoding="utf-8"))
    next(iter(tables["spans"].values()))["confidence"] = bad
    document.path.write_text(json.dumps(tables), encoding="utf-8")
    with pytest.raises(CorruptStoreError, match="confidence"):
        document.load()


def test_an_integer_confidence_reads_as_a_number() -> None:
    record = make_span(origin=Origin.MODEL).to_record() | {"confidence": 1}
    assert Span.from_record(record).confidence == 1
