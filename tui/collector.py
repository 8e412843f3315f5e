"""When the cyclic garbage collector walks the whole heap: while the user is idle.

Python starts a full collection by itself every few young ones. With a document of 100 000
spans open, Textual's caches and the frames' own garbage made one take 10–15 ms, landing
on a key now and then (a label key at 30–40 ms instead of 12). The young generations are
still collected as Python decides (well under a millisecond); the full collection waits
until no key or mouse event has come for :data:`IDLE_SECONDS`, or until
:data:`MOST_PENDING` young collections have gone by without one, so a user who never
stops still has their garbage collected, just less often.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

__all__ = ["IDLE_SECONDS", "MOST_PENDING", "IdleCollector"]

#: Seconds without input after which a full collection may run.
IDLE_SECONDS = 1.0
#: Collections of the middle generation after which a full one runs, idle or not (Python's
#: own rule is 10, and then only once enough has piled up).
MOST_PENDING = 100
#: A full-collection threshold Python never reaches by itself.
_NEVER = 1 << 30


class IdleCollector:
    """Holds full collections back while input comes, and runs them when it stops.

    Call :meth:`start` once, :meth:`input_seen` on every key or mouse event, :meth:`tick`
    every so often (a timer), and :meth:`stop` to give Python back its own rule.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Take full collections over from Python."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, _NEVER)

    def stop(self) -> None:
        """Give full collections back to Python."""
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        """A key or mouse event came: the user is busy."""
        self._last_input = self._clock()

    def tick(self) -> bool:
        """Run a full collection if it is due; whether one ran."""
        pending = gc.get_count()[2]
        if pending == 0:
            return False  # nothing reached the oldest generation since the last one
        idle = self._clock() - self._last_input >= IDLE_SECONDS
        if not (idle or pending >= MOST_PENDING):
            return False
        gc.collect()
        return True
