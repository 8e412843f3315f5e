"""jieba segmentation: lazy, with a private cache, and boundaries that cover the text."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from tui.core.segment import Segmenter, default_cache_dir


@pytest.fixture(scope="module")
def private(tmp_path_factory: pytest.TempPathFactory) -> tuple[Segmenter, Path]:
    cache = tmp_path_factory.mktemp("user") / "cache"
    segmenter = Segmenter(cache_dir=cache)
    assert not segmenter.ready
    segmenter.warm_up()
    return segmenter, cache


def test_importing_the_module_does_not_load_jieba() -> None:
    code = "import sys, tui.core.segment; print('jieba' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False"


def test_cache_is_written_to_a_private_directory(private: tuple[Segmenter, Path]) -> None:
    segmenter, cache = private
    assert segmenter.ready
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert any(path.name.endswith(".cache") for path in cache.iterdir())


def test_default_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "biaozhu"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path(os.path.expanduser("~")) / ".cache" / "biaozhu"


@pytest.mark.parametrize(
    ("text", "boundary"),
    [("察布查尔县干部为各族群众解难题", 4), ("基层减负轻装上阵", 2), ("", None)],
)
def test_word_starts_cover_the_text(
    private: tuple[Segmenter, Path], text: str, boundary: int | None
) -> None:
    segmenter, _ = private
    starts = segmenter.word_starts(text)
    assert starts[0] == 0 and starts[-1] == len(text)
    assert all(a < b for a, b in pairwise(starts))
    if boundary is not None:
        assert boundary in starts


def test_pathological_tokens_are_cut(private: tuple[Segmenter, Path]) -> None:
    segmenter, _ = private
    starts = segmenter.word_starts("a" * 200)
    assert max(b - a for a, b in pairwise(starts)) <= 64


def test_a_tagger_kept_to_some_tags_tells_those_tags_as_the_full_one_does(
    segmenter: Segmenter, tmp_path: Path
) -> None:
    seed = next((Path(__file__).resolve().parents[2] / "seeds").glob("000_*.txt"))
    text = seed.read_text(encoding="utf-8")[:3000]
    wanted = {"nr", "ns", "nt", "nrfg"}
    kept = Segmenter(cache_dir=tmp_path, tags=wanted)

    def told(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        return [token for token in tokens if token[2] in wanted]

    full = segmenter.pos_tokens(text)
    assert told(kept.pos_tokens(text)) == told(full) and told(full)
    assert [token[:2] for token in kept.pos_tokens(text)] == [token[:2] for token in full]


def test_the_tagger_model_is_imported_without_jiebas_own_word_tag_table() -> None:
    """jieba.posseg's import builds a 38 MB table for a tagger biaozhu never uses."""
    probe = (
        "from tui.core.segment import Segmenter\n"
        "import jieba\n"
        "segmenter = Segmenter(tags=frozenset({'nr', 'ns', 'nt'}))\n"
        "segmenter.warm_up_tagger()\n"
        "import jieba.posseg\n"
        "assert jieba.posseg.dt.word_tag_tab == {}, len(jieba.posseg.dt.word_tag_tab)\n"
        "assert 'get_dict_file' not in vars(jieba.dt)  # jieba's own tokenizer as it was\n"
        "print(segmenter.pos_tokens('张三在北京工作。')[:1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(0, 2, 'nr')]"
