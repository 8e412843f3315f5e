"""The recommender (issue 15): its quality on Resume NER, and how fast it trains and tags.

Figures from :func:`recommender_figures`, each beside its yardstick: a plain character CRF
(unigrams and bigrams in a ±2 window, nothing else) with the same iterations and penalties
(100, as ``biaozhu train``; 50 for the app's background retraining):

* ``resume_test_f1`` (and ``resume_test_f1_plain_crf``): exact-span micro F1 on the test
  part of Resume NER (Zhang and Yang, "Chinese NER Using Lattice LSTM", ACL 2018) after
  training on its train part, imported into a temporary store with the project's
  ``conll-bmes`` importer (its four tag errors skipped). Read from
  ``../shared/data/resume-ner/`` beside the project (never copied in); skipped, saying so
  on stderr, when that folder is absent.
* ``train_10k_sentences_s`` (and ``_plain_crf``): :func:`train_model` on a store of 10 000
  seed sentences (100 documents of 100 lines, 2 or 3 spans each, as in
  :mod:`bench.interchange`): reading the layer, features, training, held-out scores.
* ``retrain_500_sentences_s`` (and ``_plain_crf``): the same on 500 sentences, with the
  app's retraining iterations (:data:`RETRAIN_ITERATIONS`).
* ``suggest_doc_ms`` (and ``_plain_crf``): tagging a 2 000-character seed document a
  paragraph at a time, features, marginals and confidences included (the median of
  :data:`SUGGEST_RUNS`).
* ``train_thread_loop_pace_ratio`` and ``train_thread_longest_pause_ms``: whether crfsuite
  lets go of the GIL while it trains: a tight loop in the main thread, its pace while a
  thread trains (the yardstick's features on 2 000 seed sentences) over its pace alone,
  and the longest pause it saw meanwhile. A ratio well under 1 and pauses of tenths of a
  second mean the app must train in a child process.
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from bench.data import seed_text
from bench.interchange import rows
from bench.terminal import log
from tui.core.annotations import text_sha256
from tui.core.corpus import discover, document_id, id_root
from tui.core.identity import open_corpus
from tui.core.interchange import import_source
from tui.core.recommender.crf import CrfTagger, train_crf
from tui.core.recommender.data import Example, layer_examples
from tui.core.recommender.evaluate import evaluate_model, score_examples
from tui.core.recommender.model import Model, load_model
from tui.core.recommender.suggest import model_spans
from tui.core.recommender.tags import bioes_tags, spans_from_tags
from tui.core.recommender.train import (
    DEFAULT_ITERATIONS,
    RETRAIN_ITERATIONS,
    train_examples,
    train_model,
)
from tui.core.spans import Span, Status, new_span_id, now_iso
from tui.core.store import Store
from tui.core.suggest import paragraphs

#: Where Resume NER is, from the project's root.
RESUME = Path("../shared/data/resume-ner")
SUGGEST_RUNS = 20
Figure = tuple[str, float, str]


def plain_features(text: str) -> list[list[str]]:
    """The yardstick's features: character unigrams and bigrams in a ±2 window."""
    padded = "^^" + text + "$$"
    features = []
    for i in range(len(text)):
        m2, m1, c0, p1, p2 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3], padded[i + 4]
        features.append(
            ["b", "u-2=" + m2, "u-1=" + m1, "u0=" + c0, "u1=" + p1, "u2=" + p2,
             "b-2=" + m2 + m1, "b-1=" + m1 + c0, "b0=" + c0 + p1, "b1=" + p1 + p2]
        )  # fmt: skip
    return features


def _plain_train(
    examples: Sequence[Example], folder: Path, iterations: int = DEFAULT_ITERATIONS
) -> tuple[CrfTagger, float]:
    """The yardstick trained on ``examples``, and the seconds it took (features included)."""
    began = time.perf_counter()
    path = folder / "plain.crfsuite"
    sequences = [(plain_features(e.text), bioes_tags(len(e.text), e.spans)) for e in examples]
    train_crf(sequences, path, iterations=iterations)
    return CrfTagger(path.read_bytes()), time.perf_counter() - began


def _plain_f1(tagger: CrfTagger, examples: Sequence[Example]) -> float:
    from tui.core.recommender.scores import ScoreCounter

    counter = ScoreCounter()
    for example in examples:
        tags, _ = tagger.tag(plain_features(example.text))
        counter.add(example.spans, spans_from_tags(tags))
    return counter.scores().micro.f1


def resume_figures(folder: Path = RESUME) -> list[Figure]:
    """``resume_test_f1`` and its yardstick; none when Resume NER is not there."""
    if not (folder / "train.char.bmes").is_file():
        log(f"  {folder} is absent: resume_test_f1 skipped")
        return []
    with tempfile.TemporaryDirectory(prefix="bench-resume-") as temp:
        root = Path(temp)
        store = Store(root / "store")
        for part in ("train", "test"):
            source = folder / f"{part}.char.bmes"
            import_source(source, "conll-bmes", corpus=root / part, store=store,
                          annotator="resume", skip_invalid=True)  # fmt: skip
        train = layer_examples(
            store, discover([root / "train"], id_root(store.root)), "resume", None
        )
        test = layer_examples(store, discover([root / "test"], id_root(store.root)), "resume", None)
        log(f"  resume: {len(train.examples):,} train and {len(test.examples):,} test sentences")
        began = time.perf_counter()
        model = train_examples(store.root, train.examples, name="resume", layer="resume",
                               documents=train.documents, held_out_share=0)  # fmt: skip
        log(f"  trained in {time.perf_counter() - began:.0f} s")
        f1 = score_examples(model, test.examples).micro.f1
        plain, seconds = _plain_train(train.examples, root)
        log(f"  plain CRF trained in {seconds:.0f} s")
        return [
            ("resume_test_f1", f1, "f1"),
            ("resume_test_f1_plain_crf", _plain_f1(plain, test.examples), "f1"),
        ]


def _sentence_store(root: Path, sentences: int) -> tuple[Store, list]:
    """A store of ``sentences`` seed sentences (100 a document), annotated and done."""
    corpus = root / "corpus"
    corpus.mkdir(parents=True)
    store = Store(root / "store")
    lines = list(rows(sentences))
    for number in range(0, sentences, 100):
        texts = [str(row["text"]) for row in lines[number : number + 100]]
        text = "\n".join(texts) + "\n"
        path = corpus / f"doc{number // 100:04}.txt"
        path.write_text(text, encoding="utf-8")
        doc_id, sha, stamp = document_id(path, id_root(store.root)), text_sha256(text), now_iso()
        spans, offset = [], 0
        for row, line in zip(lines[number : number + 100], texts, strict=True):
            for start, end, label in row["label"]:  # type: ignore[union-attr]
                spans.append(Span(new_span_id(), doc_id, sha, offset + start, offset + end,
                                  line[start:end], label, "bench", stamp, stamp))  # fmt: skip
            offset += len(line) + 1
        document = store.document(doc_id, "bench")
        document.put_spans(spans)
        document.set_status(Status.DONE)
    return store, open_corpus([corpus], store, write=False).refs


def training_figures(
    name: str, sentences: int, iterations: int
) -> tuple[list[Figure], Model, CrfTagger]:
    """Seconds to train on ``sentences`` seed sentences, and the yardstick's; the model
    and the yardstick."""
    with tempfile.TemporaryDirectory(prefix="bench-train-") as temp:
        store, refs = _sentence_store(Path(temp), sentences)
        began = time.perf_counter()
        train_model(store, refs, "bench", iterations=iterations)
        seconds = time.perf_counter() - began
        model = load_model(store.root, "ner")
        examples = layer_examples(store, refs, "bench").examples
        chars = sum(len(e.text) for e in examples)
        log(f"  {name}: {chars:,} characters, {seconds:.1f} s")
        plain, plain_seconds = _plain_train(examples, Path(temp), iterations)
        figures = [(name, seconds, "s"), (f"{name}_plain_crf", plain_seconds, "s")]
        evaluation = evaluate_model(model, store, refs, "bench")
        log(f"  (f1 on its own training layer: {evaluation.scores.micro.f1:.3f})")
        return figures, model, plain


def suggest_figures(model: Model, plain_tagger: CrfTagger) -> list[Figure]:
    """Milliseconds to tag a 2 000-character document, and the yardstick's."""
    text = seed_text()[:2000]
    model_spans(model, text)  # jieba and the tables loaded
    times = []
    for _ in range(SUGGEST_RUNS):
        began = time.perf_counter()
        model_spans(model, text)
        times.append((time.perf_counter() - began) * 1000)
    plain = []
    for _ in range(SUGGEST_RUNS):
        began = time.perf_counter()
        for start, end in paragraphs(text):
            plain_tagger.tag(plain_features(text[start:end]))
        plain.append((time.perf_counter() - began) * 1000)
    return [("suggest_doc_ms", statistics.median(times), "ms"),
            ("suggest_doc_ms_plain_crf", statistics.median(plain), "ms")]  # fmt: skip


def _loop_pace(seconds: float, while_alive: threading.Thread | None = None) -> tuple[float, float]:
    """Rounds a second of a tight loop run for ``seconds`` (or until ``while_alive`` ends),
    and its longest pause in milliseconds."""
    rounds, longest = 0, 0.0
    began = last = time.perf_counter()
    while (now := time.perf_counter()) - began < seconds:
        if while_alive is not None and rounds % 1000 == 0 and not while_alive.is_alive():
            break
        longest = max(longest, now - last)
        last = now
        rounds += 1
    return rounds / max(now - began, 1e-9), longest * 1000


def gil_figures(seconds: float = 3.0) -> list[Figure]:
    """The main thread's pace while a thread trains, over its pace alone (see the notes)."""
    texts = [str(row["text"]) for row in rows(2000)]
    sequences = [(plain_features(text), ["O"] * len(text)) for text in texts]
    sequences[0] = (sequences[0][0], ["S-X", *sequences[0][1][1:]])  # two tags to learn
    alone, _ = _loop_pace(seconds)
    with tempfile.TemporaryDirectory(prefix="bench-gil-") as temp:
        path = Path(temp, "gil.crfsuite")
        worker = threading.Thread(target=lambda: train_crf(sequences, path, iterations=100))
        worker.start()
        time.sleep(0.3)  # past crfsuite's set-up
        beside, longest = _loop_pace(seconds, worker)
        worker.join()
    return [("train_thread_loop_pace_ratio", beside / alone, "ratio"),
            ("train_thread_longest_pause_ms", longest, "ms")]  # fmt: skip


def recommender_figures() -> list[Figure]:
    """Every figure of this module (see its notes)."""
    figures = resume_figures()
    ten_k, _, _ = training_figures("train_10k_sentences_s", 10_000, DEFAULT_ITERATIONS)
    five_hundred, model, plain = training_figures(
        "retrain_500_sentences_s", 500, RETRAIN_ITERATIONS
    )
    return figures + ten_k + five_hundred + suggest_figures(model, plain) + gil_figures()
