"""Counting failed sign-ins per account and per client address, in this process.

A sliding window: a key that failed `limit` times in the last `window` seconds is
refused until the oldest of those failures leaves the window. The counts live in the
server process (one process, or one per worker: each worker counts on its own), which
is enough to make password guessing slow; a reverse proxy can add a global limit.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

PER_ACCOUNT = 5
PER_ADDRESS = 20
WINDOW_SECONDS = 15 * 60


@dataclass
class FailureWindow:
    """Failures of each key within the last `window` seconds."""

    limit: int
    window: float = WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def blocked_for(self, key: str) -> float:
        """Seconds until `key` may try again; 0 when it may now."""
        with self._lock:
            recent = self._recent(key)
            if len(recent) < self.limit:
                return 0.0
            return recent[0] + self.window - self.clock()

    def fail(self, key: str) -> None:
        """Count one failure of `key`."""
        with self._lock:
            recent = self._recent(key)
            recent.append(self.clock())
            self._failures[key] = recent

    def forget(self, key: str) -> None:
        """Clear the failures of `key` (after a successful sign-in)."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        recent = self._failures.get(key, deque())
        horizon = self.clock() - self.window
        while recent and recent[0] <= horizon:
            recent.popleft()
        if not recent:
            self._failures.pop(key, None)  # keys without recent failures take no memory
        return recent


@dataclass
class LoginLimiter:
    """Separate windows for account names and client addresses."""

    accounts: FailureWindow = field(default_factory=lambda: FailureWindow(PER_ACCOUNT))
    addresses: FailureWindow = field(default_factory=lambda: FailureWindow(PER_ADDRESS))

    def blocked_for(self, name: str, address: str) -> float:
        """Seconds until this account may try again from this address."""
        return max(self.accounts.blocked_for(name), self.addresses.blocked_for(address))

    def fail(self, name: str, address: str) -> None:
        """Count a failed attempt against both the account and the address."""
        self.accounts.fail(name)
        self.addresses.fail(address)

    def succeed(self, name: str) -> None:
        """A successful sign-in clears the account's failures (not the address's)."""
        self.accounts.forget(name)
