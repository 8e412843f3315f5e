"""Test documents: the seed texts repeated up to a given size in bytes (UTF-8)."""

from __future__ import annotations

from pathlib import Path

MIB = 1 << 20
SEEDS = Path("seeds")
DATA = Path(__file__).resolve().parent / "data"


def seed_text(seeds: Path = SEEDS) -> str:
    """All ``seeds/*.txt`` files in name order, joined by blank lines."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    if not texts:
        raise FileNotFoundError(f"no *.txt files in {seeds}")
    return "\n\n".join(text.strip("\n") for text in texts)


def _fits(path: Path, size: int) -> bool:
    """Whether ``path`` exists with ``size`` bytes, give or take one cut UTF-8 character."""
    return path.is_file() and size - 4 < path.stat().st_size <= size


def build_document(size: int, name: str, seeds: Path = SEEDS, folder: Path = DATA) -> Path:
    """Write (or reuse) ``folder/name``: the seed text repeated to at most ``size`` bytes.

    The file is cut at a character boundary, so it is up to 3 bytes short of ``size``.
    """
    path = folder / name
    if _fits(path, size):
        return path
    unit = (seed_text(seeds) + "\n\n").encode("utf-8")
    body = (unit * (size // len(unit) + 1))[:size]
    body = body.decode("utf-8", errors="ignore").encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(body)
    partial.replace(path)
    return path


def marker_text(path: Path, skip_first: int = 1) -> str:
    """A short text from the top of ``path`` that the list's title column cannot show.

    The list shows a document's first line as its title, so the marker is the start of the
    first short line after the first ``skip_first`` lines (short enough to fit one row of
    the reading pane unwrapped, so its bytes are contiguous in the frame).
    """
    with path.open(encoding="utf-8") as file:
        head = file.read(4000)
    lines = [line.strip() for line in head.splitlines() if line.strip()]
    title = lines[0] if lines else ""
    for line in lines[skip_first:]:
        if 6 <= len(line) <= 30 and line[:6] not in title:
            return line[:6]
    raise ValueError(f"no marker line near the top of {path}")
