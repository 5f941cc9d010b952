"""Values remembered for a few seconds: answers that may lag the store a little.

Each value is kept for `seconds` at most and then asked for again; when the store of
them is full it starts over rather than track ages. For answers that are costly to ask
for on every request and harmless when briefly out of date: who a credential stands for
(forgotten at once when this process changes accounts), or how large a subtree is (which
only chooses between plans that give the same rows).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class Recent(Generic[V]):
    """Values by key, each kept for `seconds` at most."""

    def __init__(self, seconds: float, size: int, clock: Callable[[], float] | None = None) -> None:
        self.seconds, self.size = seconds, size
        self.clock = clock or _monotonic
        self.kept: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> V | None:
        """The value kept under `key`, unless it is older than `seconds`."""
        found = self.kept.get(key)
        return found[1] if found is not None and found[0] > self.clock() else None

    def put(self, key: Hashable, value: V) -> V:
        """Keep `value` under `key` and return it."""
        if len(self.kept) >= self.size:
            self.kept.clear()
        self.kept[key] = (self.clock() + self.seconds, value)
        return value

    def get_or_put(self, key: Hashable, ask: Callable[[], V]) -> V:
        """The value kept under `key`, or else `ask()`'s, kept from now on."""
        found = self.get(key)
        return self.put(key, ask()) if found is None else found

    def clear(self) -> None:
        """Forget every value."""
        self.kept.clear()


def _monotonic() -> float:
    return time.monotonic()  # looked up at each call, so a test may move the clock
