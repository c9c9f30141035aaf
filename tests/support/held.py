"""A background reading held back, to play out the race of screens that read off the UI thread: the
first call reads at once, then waits until released, so its (older) answer arrives after the answer
of a reading started later."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class Held:
    def __init__(self, fn: Callable[..., Any]) -> None:
        self.fn = fn
        self.calls = 0
        self.holding = threading.Event()  # the first call has read, and waits
        self.released = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
            first = self.calls == 1
        result = self.fn(*args, **kwargs)
        if first:
            self.holding.set()
            self.released.wait(30)
        return result
