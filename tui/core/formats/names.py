"""File names made from untrusted document names: safe, readable, and distinct."""

from __future__ import annotations

import hashlib
import re

from tui.core.portable import is_device_name

__all__ = ["file_stem"]

_LIMIT = 80
_UNSAFE = re.compile(r"[^\w\-.]+")


def file_stem(name: str) -> str:
    """``name`` as a file name stem that stays inside its folder and reads like the name.

    Letters (CJK included), digits, ``-``, ``_`` and ``.`` stay; runs of anything else
    become ``_``; no leading dot; a Windows device name before the first dot (``con``,
    ``lpt1``…) gets a ``_``; at most 80 characters. A name that had to change gets
    8 hex digits of its hash, so two different names never share a stem.
    """
    stem = _UNSAFE.sub("_", name).lstrip(".")[:_LIMIT] or "_"
    if is_device_name(stem):  # ``con.txt``, ``nul.v1.txt`` are devices on Windows
        head, dot, rest = stem.partition(".")
        stem = f"{head}_{dot}{rest}"[:_LIMIT]
    if stem == name:
        return stem
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{stem[: _LIMIT - 9]}-{digest[:8]}"
