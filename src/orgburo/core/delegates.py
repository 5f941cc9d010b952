"""Delegate norms: how many delegates each lower organization sends to a congress.

Two kinds of norm, applied separately to full members (voting delegates) and to
candidates (consultative delegates):

* `per-members` N: one delegate per N members, rounded half up (N = 1,000 and 1,500
  members give 1 and 2), and at least one for an organization with any member, so that
  none goes unrepresented;
* `total` T: T delegates apportioned over the organizations in proportion to their
  members by one of the methods of `orgburo.core.apportionment` (Hamilton, Jefferson,
  Webster, Huntington-Hill, Adams), with that module's tie-break (larger membership, then
  the order given).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orgburo.core.apportionment import ApportionmentInput, Method, apportion
from orgburo.errors import Invalid

PER_MEMBERS = "per-members"
TOTAL = "total"
NORMS = (PER_MEMBERS, TOTAL)


@dataclass(frozen=True)
class Norm:
    """`per-members` N, or a `total` apportioned by `method`."""

    kind: str
    value: int
    method: str = Method.HAMILTON.value

    def __post_init__(self) -> None:
        if self.kind not in NORMS:
            raise Invalid.one("norm", f"{self.kind!r} is not a norm; use one of {NORMS}")
        if self.value < 1:
            raise Invalid.one("norm", f"the number must be 1 or more, not {self.value}")
        if self.method not in {m.value for m in Method}:
            known = ", ".join(m.value for m in Method)
            raise Invalid.one("method", f"{self.method!r} is not a method; use one of {known}")

    def describe(self) -> str:
        """The norm in words, as pages and the CLI show it."""
        if self.kind == PER_MEMBERS:
            return f"one per {self.value:,} members (half up, at least one)"
        return f"{self.value:,} in all, by {self.method}"


def delegates(members: Sequence[int], norm: Norm) -> tuple[int, ...]:
    """Delegates per organization under `norm`, in the order of `members`."""
    if norm.kind == PER_MEMBERS:
        return tuple(_per_members(m, norm.value) for m in members)
    if not any(members):
        return tuple(0 for _ in members)
    request = ApportionmentInput(Method(norm.method), norm.value, tuple(members))
    return apportion(request).allocation


def _per_members(members: int, per: int) -> int:
    if members <= 0:
        return 0
    return max(1, (2 * members + per) // (2 * per))
