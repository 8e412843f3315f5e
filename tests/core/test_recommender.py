"""The recommender's core: tags, training, the model files, scoring and pre-annotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.recommender_fixture import document_lines, make_corpus
from tui.core.corpus import DocumentRef
from tui.core.recommender import crf
from tui.core.recommender import model as model_module
from tui.core.recommender.background import train_in_subprocess
from tui.core.recommender.evaluate import evaluate_model
from tui.core.recommender.model import ModelError, load_model
from tui.core.recommender.scores import ScoreCounter
from tui.core.recommender.suggest import suggest_into_layer
from tui.core.recommender.tags import bioes_tags, outermost, spans_from_tags
from tui.core.recommender.train import TrainingError, train_model
from tui.core.script import convert
from tui.core.spans import AnnotatorError, Origin, Status
from tui.core.store import Store

ITERATIONS = 15


# -- tags ----------------------------------------------------------------------------------


def test_nested_spans_keep_the_outermost_layer() -> None:
    spans = [(3, 5, "LOC"), (3, 7, "ORG"), (0, 2, "PER"), (6, 9, "X")]
    assert outermost(spans) == [(0, 2, "PER"), (3, 7, "ORG")]


def test_bioes_tags_read_back_as_the_same_spans() -> None:
    spans = [(0, 1, "A"), (2, 5, "B"), (5, 7, "C")]
    tags = bioes_tags(8, spans)
    assert tags == ["S-A", "O", "B-B", "I-B", "E-B", "B-C", "E-C", "O"]
    assert spans_from_tags(tags) == spans


def test_a_broken_run_of_tags_is_no_span() -> None:
    assert spans_from_tags(["B-A", "O", "B-A", "I-B", "E-B", "I-A", "S-C"]) == [(6, 7, "C")]


# -- scores --------------------------------------------------------------------------------


def test_exact_span_scores_by_hand() -> None:
    counter = ScoreCounter()
    counter.add([(0, 2, "PER"), (3, 5, "LOC")], [(0, 2, "PER"), (3, 5, "ORG"), (6, 8, "LOC")])
    counter.add([(0, 3, "PER")], [(0, 3, "PER")])
    scores = counter.scores()
    # 2 right of 4 predicted, of 3 to find.
    assert (scores.micro.precision, scores.micro.recall) == (0.5, 2 / 3)
    assert scores.micro.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert scores.per_label["PER"].f1 == 1.0
    assert (scores.per_label["LOC"].precision, scores.per_label["LOC"].recall) == (0.0, 0.0)
    assert scores.per_label["ORG"].support == 0
    assert "f1: 0.571" in scores.lines()


# -- training ------------------------------------------------------------------------------


@pytest.fixture
def trained(tmp_path: Path) -> tuple[Store, list[DocumentRef]]:
    store, refs = make_corpus(tmp_path)
    train_model(store, refs, "alice", iterations=ITERATIONS)
    return store, refs


def test_too_few_spans_is_a_clear_message_and_no_model(tmp_path: Path) -> None:
    store, refs = make_corpus(tmp_path, documents=1)  # 16 spans
    with pytest.raises(TrainingError, match=r"16 spans in 'alice''s layer.*20 are needed"):
        train_model(store, refs, "alice")
    assert not (store.root / ".models").exists()


def test_documents_not_started_are_not_learnt_from(tmp_path: Path) -> None:
    store, refs = make_corpus(tmp_path, status=Status.NEW)
    with pytest.raises(TrainingError, match="0 spans"):
        train_model(store, refs, "alice")
    model = train_model(store, refs, "alice", statuses=None, iterations=ITERATIONS)
    assert model.card.documents == 6


def test_a_trained_model_is_saved_with_its_card_and_tags_either_script(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    store, _ = trained
    model = load_model(store.root, "ner")
    card = model.card
    assert (card.name, card.labels, card.layer, card.documents) == (
        "ner",
        ("LOC", "PER"),
        "alice",
        6,
    )
    assert card.iterations == ITERATIONS and card.spans > 0
    card_file = json.loads((store.root / ".models" / "ner.json").read_text("utf-8"))
    assert card_file["model_sha256"] == card.model_sha256 and "f1" in card_file["held_out"]
    for text in ("王小明在上海工作。", convert("s2t", "王小明在上海工作。")):
        found = {(s, e, label) for s, e, label, _ in model.tag(text)}
        assert found == {(0, 3, "PER"), (4, 6, "LOC")}
    assert all(0 < p <= 1 for *_, p in model.tag("王小明在上海工作。"))
    assert 0 <= model.doubt(["王小明在上海工作。"]) < model.doubt(["ABCDEFG 123 !?"]) <= 1


def test_a_long_paragraph_is_tagged_a_piece_at_a_time(
    trained: tuple[Store, list[DocumentRef]], monkeypatch: pytest.MonkeyPatch
) -> None:
    model = load_model(trained[0].root, "ner")
    lengths: list[int] = []
    features = model_module.paragraph_features

    def recording(paragraph: str, segmenter: object = None) -> list[list[str]]:
        lengths.append(len(paragraph))
        return features(paragraph)

    monkeypatch.setattr(model_module, "paragraph_features", recording)
    line = "王小明在上海工作。" * 1200  # 10 800 characters on one line
    found = model.tag(line)
    assert max(lengths) <= 2000 and sum(lengths) == len(line)
    assert (9 * 1199, 9 * 1199 + 3, "PER") in {(s, e, label) for s, e, label, _ in found}


def test_labels_that_differ_from_the_models_are_retrained_and_said(
    trained: tuple[Store, list[DocumentRef]], tmp_path: Path
) -> None:
    store, refs = trained
    for ref in refs:
        document = store.document(ref.doc_id, "alice")
        document.apply([], [s.id for s in document.load().spans if s.label == "LOC"])
    lines: list[str] = []
    model = train_model(store, refs, "alice", iterations=ITERATIONS, progress=lines.append)
    assert any("differ from the model's (LOC, PER): retraining" in line for line in lines)
    assert load_model(store.root, "ner").card.labels == model.card.labels == ("PER",)


def test_training_killed_half_way_leaves_the_previous_model(
    trained: tuple[Store, list[DocumentRef]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, refs = trained
    before = load_model(store.root, "ner").card

    def killed(sequences: object, path: Path, **_: object) -> None:
        path.write_bytes(b"lCRF half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr("tui.core.recommender.train.train_crf", killed)
    with pytest.raises(KeyboardInterrupt):
        train_model(store, refs, "alice", iterations=ITERATIONS)
    assert load_model(store.root, "ner").card == before
    assert sorted(p.name for p in (store.root / ".models").iterdir()) == [
        "ner.crfsuite",
        "ner.json",
    ]


# -- bad model files -----------------------------------------------------------------------


def test_a_missing_model_is_a_message(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"ner\.json: no model 'ner' \(train one"):
        load_model(tmp_path, "ner")


def test_a_truncated_model_file_is_a_message(trained: tuple[Store, list[DocumentRef]]) -> None:
    path = trained[0].root / ".models" / "ner.crfsuite"
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(ModelError, match=r"ner\.crfsuite: does not match its card.*retrain"):
        load_model(trained[0].root, "ner")


def test_a_truncated_model_its_card_agrees_with_is_still_refused(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    import hashlib

    models = trained[0].root / ".models"
    cut = (models / "ner.crfsuite").read_bytes()[:1000]
    (models / "ner.crfsuite").write_bytes(cut)
    card = json.loads((models / "ner.json").read_text("utf-8"))
    card["model_sha256"] = hashlib.sha256(cut).hexdigest()
    (models / "ner.json").write_text(json.dumps(card), "utf-8")
    with pytest.raises(ModelError, match="truncated or damaged"):
        load_model(trained[0].root, "ner")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"feature_version": 99}, "features of version 99"),
        ({"card_version": 7}, "another biaozhu version"),
        ({"format": "something"}, "not a biaozhu model card"),
        ({"labels": "PER"}, "bad model card"),
    ],
)
def test_a_card_from_another_version_or_program_is_a_message(
    trained: tuple[Store, list[DocumentRef]], change: dict[str, object], message: str
) -> None:
    path = trained[0].root / ".models" / "ner.json"
    path.write_text(json.dumps(json.loads(path.read_text("utf-8")) | change), "utf-8")
    with pytest.raises(ModelError, match=message):
        load_model(trained[0].root, "ner")


def test_a_card_that_is_not_json_is_a_message(trained: tuple[Store, list[DocumentRef]]) -> None:
    (trained[0].root / ".models" / "ner.json").write_bytes(b"\x80garbage")
    with pytest.raises(ModelError, match="not a model card"):
        load_model(trained[0].root, "ner")


def test_a_model_name_that_is_no_file_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot name a model"):
        load_model(tmp_path, "../x")


# -- evaluating and suggesting -------------------------------------------------------------


def test_evaluate_scores_the_model_against_a_layer(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    store, refs = trained
    model = load_model(store.root, "ner")
    evaluation = evaluate_model(model, store, refs, "alice")
    assert evaluation.documents == 6
    assert evaluation.scores.micro.support == 6 * 16
    assert evaluation.scores.micro.f1 > 0.9
    assert set(evaluation.scores.per_label) == {"LOC", "PER"}


def test_suggest_fills_a_layer_once_and_respects_rejections(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    store, refs = trained
    model = load_model(store.root, "ner")
    bob = store.document(refs[0].doc_id, "bob")
    text, spans = document_lines(0)
    first_per = next(span for span in spans if span[2] == "PER")
    bob.set_rejected([first_per])
    counts = suggest_into_layer(store, refs, model, "bob")
    assert counts.documents == 6 and counts.rejected == 1
    saved = bob.load().spans
    assert {(s.start, s.end, s.label) for s in saved} == set(spans) - {first_per}
    assert all(s.origin is Origin.MODEL and s.confidence is not None for s in saved)
    assert all(s.text == text[s.start : s.end] for s in saved)
    again = suggest_into_layer(store, refs, model, "bob")
    assert again.added == 0 and again.overlapping > 0
    assert len(bob.load().spans) == len(saved)


def test_suggest_leaves_done_documents_and_the_gold_layer_alone(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    store, refs = trained
    model = load_model(store.root, "ner")
    counts = suggest_into_layer(store, refs, model, "alice")  # alice marked them done
    assert (counts.done, counts.added) == (6, 0)
    with pytest.raises(AnnotatorError):
        suggest_into_layer(store, refs, model, "gold")


def test_a_document_of_megabytes_is_suggested_in_paragraphs(
    tmp_path: Path, trained: tuple[Store, list[DocumentRef]], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, refs = trained
    model = load_model(store.root, "ner")
    big = refs[0].path.parent / "big.txt"
    line = "王小明在上海工作。" * 50
    big.write_text((line + "\n") * 12_000, encoding="utf-8")  # 5.4 million characters
    sizes: list[int] = []

    def tag(paragraph: str) -> list[tuple[int, int, str, float]]:
        sizes.append(len(paragraph))
        return [(0, 3, "PER", 0.9)]  # the real tagger is tested above; this is about size

    monkeypatch.setattr(model, "tag", tag)
    ref = DocumentRef(refs[0].doc_id.replace("d0.txt", "big.txt"), big)
    counts = suggest_into_layer(store, [ref], model, "bob")
    assert max(sizes) <= 2000 and counts.added == 12_000


def test_training_in_a_child_process(tmp_path: Path) -> None:
    store, refs = make_corpus(tmp_path)
    lines: list[str] = []
    card = train_in_subprocess(
        store.root, refs, "alice", iterations=ITERATIONS, progress=lines.append
    )
    assert load_model(store.root, "ner").card == card
    assert any(line.startswith("iteration") for line in lines)
    with pytest.raises(TrainingError, match="are needed"):
        train_in_subprocess(store.root, refs, "nobody")


def test_the_crf_wrapper_refuses_bytes_that_are_no_model() -> None:
    with pytest.raises(crf.CrfError):
        crf.CrfTagger(b"not a model at all")


def test_the_held_out_split_is_the_same_every_time_and_about_its_share() -> None:
    from tui.core.recommender.data import Example, held_out

    examples = [Example(f"doc{n % 7}", n, "文本", ()) for n in range(2000)]
    first = [held_out(example, 0.1) for example in examples]
    assert first == [held_out(example, 0.1) for example in examples]
    assert 150 < sum(first) < 250
    assert not any(held_out(example, 0) for example in examples)


def test_the_models_folder_is_never_taken_for_a_document(tmp_path: Path) -> None:
    store, refs = make_corpus(tmp_path, documents=2)
    train_model(store, refs, "alice", iterations=5)
    assert sorted(store.document_ids()) == sorted(ref.doc_id for ref in refs)


def test_evaluate_names_the_layers_labels_the_model_never_learnt(
    trained: tuple[Store, list[DocumentRef]],
) -> None:
    from tests.core.test_review import annotate

    store, refs = trained
    annotate(store, refs[0].path.parent, refs[0].path.name, "carol", [(0, 2, "ORG")])
    store.document(refs[0].doc_id, "carol").set_status(Status.DONE)
    evaluation = evaluate_model(load_model(store.root, "ner"), store, refs, "carol")
    assert evaluation.unknown_labels == {"ORG"} and evaluation.documents == 1


def test_the_outermost_layer_agrees_with_the_pairwise_rule() -> None:
    import random
    from itertools import pairwise

    chooser = random.Random(7)
    spans = []
    for _ in range(300):
        start = chooser.randrange(200)
        spans.append((start, start + chooser.randrange(1, 12), chooser.choice("AB")))
    kept = outermost(spans)
    assert all(a[1] <= b[0] for a, b in pairwise(kept))  # no overlap
    longest_first = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0], s[2]))
    expected: list[tuple[int, int, str]] = []
    for span in longest_first:
        if not any(span[0] < other[1] and other[0] < span[1] for other in expected):
            expected.append(span)
    assert kept == sorted(expected)
