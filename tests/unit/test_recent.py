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


def test_a_value_is_asked_for_only_when_none_is_kept() -> None:
    recent: Recent[int] = Recent(seconds=60, size=10)
    asked: list[str] = []
    assert recent.get_or_put("registry", lambda: asked.append("once") or 1_000_000) == 1_000_000
    assert recent.get_or_put("registry", lambda: asked.append("twice") or 0) == 1_000_000
    assert asked == ["once"]
