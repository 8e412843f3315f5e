"""A thin typed wrapper over the ``git`` command (subprocess; no GitPython).

Every call runs ``git -C <work tree>`` with a fixed environment: no pager, no prompt for
credentials (a sync must fail, not hang, when a remote asks for a password), and messages
in English so the few that are read (a rejected push) read the same everywhere.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Git", "GitError", "GitResult"]


class GitError(Exception):
    """A git command failed, or git is not there; the message is one line."""


@dataclass(frozen=True, slots=True)
class GitResult:
    """What one git command said."""

    code: int
    stdout: str
    stderr: str

    @property
    def ok(self) -> bool:
        """Whether it succeeded."""
        return self.code == 0

    def first_line(self) -> str:
        """The first line git wrote on stderr that says something (else on stdout)."""
        for line in (self.stderr + "\n" + self.stdout).splitlines():
            text = line.strip()
            if text and not text.startswith(("hint:", "To ", "From ")):
                return text.removeprefix("fatal: ").removeprefix("error: ")
        return f"git exited with status {self.code}"


_ENVIRONMENT = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C", "LANGUAGE": ""}
#: What git must not take from a caller's environment: a hook or another repository's
#: command would otherwise point this one at the wrong repository.
_LEAKING = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


class Git:
    """git commands run in one work tree."""

    def __init__(self, work_tree: Path) -> None:
        self.work_tree = Path(work_tree)
        base = {k: v for k, v in os.environ.items() if k not in _LEAKING}
        self._env = {**base, **_ENVIRONMENT}

    def run(
        self,
        *args: str,
        input_bytes: bytes | None = None,
        check: bool = True,
        env: Mapping[str, str] | None = None,
    ) -> GitResult:
        """Run ``git args`` (``env``: variables to add, e.g. a temporary index); raises
        :class:`GitError` (its first line) when it fails and ``check`` is on."""
        raw = self.run_bytes(*args, input_bytes=input_bytes, env=env)
        result = GitResult(raw.code, raw.stdout.decode("utf-8", "replace"), raw.stderr)
        if check and not result.ok:
            raise GitError(f"git {args[0]}: {result.first_line()}")
        return result

    def run_bytes(
        self, *args: str, input_bytes: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> _RawResult:
        """Run ``git args`` and keep its output as bytes (blobs)."""
        try:
            done = subprocess.run(
                ["git", "-C", str(self.work_tree), *args],
                input=input_bytes if input_bytes is not None else b"",
                capture_output=True,
                env={**self._env, **(env or {})},
                check=False,
            )
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH)") from None
        return _RawResult(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))

    def text(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        """The stdout of ``git args`` without its final newline; GitError when it fails."""
        return self.run(*args, env=env).stdout.rstrip("\n")

    def lines(self, *args: str) -> list[str]:
        """The NUL-separated (``-z``) output of ``git args`` as a list."""
        return [item for item in self.run(*args).stdout.split("\0") if item]

    def revision(self, name: str) -> str | None:
        """The commit ``name`` names; None when it names none."""
        result = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return result.stdout.strip() or None if result.ok else None

    def config(self, key: str) -> str | None:
        """The value of ``key`` in the repository's configuration; None when unset."""
        result = self.run("config", "--get", key, check=False)
        return result.stdout.rstrip("\n") if result.ok else None

    def blobs(self, specs: Iterable[str]) -> Mapping[str, bytes | None]:
        """The content of each ``<revision>:<path>`` in ``specs`` (None: not there), read
        by one ``git cat-file --batch``."""
        wanted = list(dict.fromkeys(specs))
        if not wanted:
            return {}
        request = "".join(f"{spec}\n" for spec in wanted).encode("utf-8", "surrogateescape")
        raw = self.run_bytes("cat-file", "--batch", input_bytes=request)
        if raw.code != 0:
            raise GitError(f"git cat-file: {raw.stderr.strip()}")
        return _parse_batch(wanted, raw.stdout)


@dataclass(frozen=True, slots=True)
class _RawResult:
    code: int
    stdout: bytes
    stderr: str


def _parse_batch(wanted: Sequence[str], output: bytes) -> dict[str, bytes | None]:
    """``git cat-file --batch`` output: a header line per request, then the content."""
    found: dict[str, bytes | None] = {}
    position = 0
    for spec in wanted:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] != b"missing":
            size = int(header[2])
            found[spec] = output[position : position + size]
            position += size + 1  # the content ends with a newline of its own
        else:
            found[spec] = None
    return found
