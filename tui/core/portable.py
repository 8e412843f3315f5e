"""File names every common file system keeps apart: the Windows device names.

Windows gives ``con``, ``prn``, ``aux``, ``nul``, ``com1``…``com9`` and ``lpt1``…``lpt9``
(any case, with any suffix: ``con.txt``, ``NUL.json``) to devices, so a copy of a store or a
corpus to Windows would lose a file of such a name. Case differences are the callers' part:
:func:`tui.core.store.safe_name` encodes uppercase, imports compare names without case.
"""

from __future__ import annotations

__all__ = ["is_device_name"]

_PORTS = (f"{port}{digit}" for port in ("com", "lpt") for digit in range(10))
_DEVICES = frozenset(["con", "prn", "aux", "nul", *_PORTS])


def is_device_name(name: str) -> bool:
    """Whether Windows takes ``name`` for a device: its part before the first dot is one."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in _DEVICES
