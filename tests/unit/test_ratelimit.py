"""Failed sign-ins are limited per account and per address, in a sliding window."""

from __future__ import annotations

from orgburo.accounts.ratelimit import FailureWindow, LoginLimiter
from tests.factories import Clock


def test_a_key_is_blocked_after_its_limit_of_failures() -> None:
    window = FailureWindow(limit=3, window=60, clock=Clock())
    for _ in range(3):
        window.fail("anna")
    assert window.blocked_for("anna") == 60


def test_a_key_below_its_limit_may_try() -> None:
    window = FailureWindow(limit=3, window=60, clock=Clock())
    window.fail("anna")
    window.fail("anna")
    assert window.blocked_for("anna") == 0


def test_failures_leave_the_window_as_time_passes() -> None:
    clock = Clock()
    window = FailureWindow(limit=2, window=60, clock=clock)
    window.fail("anna")
    clock.now += 30
    window.fail("anna")
    clock.now += 31
    assert window.blocked_for("anna") == 0


def test_keys_without_recent_failures_take_no_memory() -> None:
    clock = Clock()
    window = FailureWindow(limit=2, window=60, clock=clock)
    window.fail("anna")
    clock.now += 61
    window.blocked_for("anna")
    assert window._failures == {}


def test_a_success_clears_the_account_but_not_the_address() -> None:
    limiter = LoginLimiter(FailureWindow(2, clock=Clock()), FailureWindow(2, clock=Clock()))
    limiter.fail("anna", "10.0.0.1")
    limiter.fail("anna", "10.0.0.1")
    limiter.succeed("anna")
    assert limiter.blocked_for("boris", "10.0.0.1") > 0
    assert limiter.blocked_for("anna", "10.0.0.2") == 0
