"""Values remembered for a few seconds."""

from __future__ import annotations

from orgburo.recent import Recent
from tests.factories import Clock


def test_a_value_is_kept_for_its_seconds_and_then_asked_for_again() -> None:
    clock = Clock()
    recent: Recent[int] = Recent(seconds=60, size=10, clock=clock)
    assert recent.put("district", 4089) == 4089
    clock.now = 1059.9  # put at 1000.0
    assert recent.get("district") == 4089
    clock.now = 1060.0
    assert recent.get("district") is None


def test_a_full_store_starts_over() -> None:
    recent: Recent[int] = Recent(seconds=60, size=2)
    recent.put("a", 1)
    recent.put("b", 2)
    recent.put("c", 3)
    assert (recent.get("a"), recent.get("b"), recent.get("c")) == (None, None, 3)
