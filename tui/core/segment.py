"""Word boundaries from jieba, on the simplified shadow of the text (DESIGN §5).

jieba costs ~100 ms to import and ~0.5 s (+135 MB) to initialise, so nothing here happens
at import time: :meth:`Segmenter.warm_up` is meant to run in a background worker after the
first paint. jieba's default cache lives in the shared ``/tmp`` and is loaded with
``marshal``; we give it a private per-user cache directory instead.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path
from typing import Any

_WORD_CHAR_LIMIT = 64  # no real word is longer; guards against pathological tokens


def default_cache_dir() -> Path:
    """The per-user cache directory (``$XDG_CACHE_HOME/biaozhu`` or ``~/.cache/biaozhu``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "biaozhu"


class Segmenter:
    """A lazily initialised jieba tokenizer with a private cache directory."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir or default_cache_dir()
        self._lock = threading.Lock()
        self._tokenizer: Any = None

    @property
    def ready(self) -> bool:
        """Whether jieba is loaded, so that segmenting will not stall."""
        return self._tokenizer is not None

    def warm_up(self) -> None:
        """Import and initialise jieba (idempotent, thread-safe)."""
        if self._tokenizer is not None:
            return
        with self._lock:
            if self._tokenizer is not None:
                return
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.tmp_dir = str(self._private_dir())
            tokenizer.initialize()
            self._tokenizer = tokenizer

    def _private_dir(self) -> Path:
        self._cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self._cache_dir

    def word_starts(self, shadow: str) -> list[int]:
        """Start offsets of the words of ``shadow``, followed by ``len(shadow)``.

        ``shadow`` is simplified text (see :func:`tui.core.script.simplified_shadow`) of the
        same length as the canonical text, so the offsets are canonical offsets too.
        """
        self.warm_up()
        starts: list[int] = []
        position = 0
        for token in self._tokenizer.cut(shadow, HMM=True):
            for piece_start in range(0, len(token), _WORD_CHAR_LIMIT):
                starts.append(position + piece_start)
            position += len(token)
        starts.append(len(shadow))
        return starts
