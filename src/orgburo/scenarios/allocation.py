"""How many members a step's part means for each of its bodies.

A part names its bodies (one, several, or a group, of those open on the day) and a
number at full size: a `count`, or a `reach`, the total the part's bodies (or the
subtree of `of`) should have after the step, measured by the census on the step's
date. The scaled number is split among the bodies by the Hamilton method in proportion
to their `weight`, their `size` (members now, or those who qualify), or equally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.census import service as census
from orgburo.core.rounding import scaled, split
from orgburo.errors import Invalid
from orgburo.members import bulk_changes
from orgburo.scenarios.schema import BodySpec, Part


@dataclass
class Layout:
    """What the timeline has opened so far: body specifications, groups, closed bodies."""

    specs: dict[str, BodySpec] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    closed: set[str] = field(default_factory=set)
    ids: dict[str, int] = field(default_factory=dict)
    opened: dict[str, date] = field(default_factory=dict)

    def add(self, spec: BodySpec, body_id: int, opened: date) -> None:
        """Remember a body the timeline opened, with its store id and opening date."""
        self.specs[spec.code] = spec
        self.ids[spec.code] = body_id
        self.opened[spec.code] = opened
        for group in spec.groups:
            self.groups.setdefault(group, []).append(spec.code)

    def codes(self, part: Part) -> list[str]:
        """The open bodies a part names, in the order they were opened or listed."""
        if part.body is not None:
            named = [part.body]
        elif part.bodies is not None:
            named = list(part.bodies)
        else:
            named = self.groups.get(part.group or "", [])
        return [c for c in named if c not in self.closed]


@dataclass
class Allocator:
    """Splits parts into per-body numbers, reading sizes from the store."""

    session: Session
    layout: Layout
    scale: Fraction
    actor: Actor

    def counts(
        self,
        part: Part,
        on: date,
        *,
        sign: int,
        status: str | None,
        default_split: str,
        size_status: str | None = None,
        size_on: date | None = None,
    ) -> dict[str, int]:
        """Per-body numbers for `part`: `sign` is +1 when the step adds to what `reach`
        measures and -1 when it takes away; `status` narrows the members `reach`
        measures, `size_status` and `size_on` those a split by size counts."""
        codes = self.layout.codes(part)
        if not codes:
            raise Invalid.one("part", "names no open body on this date")
        number = self._number(part, codes, on, sign, status)
        how = part.split or default_split
        weights = self._weights(how, codes, size_on or on, size_status)
        return dict(zip(codes, split(number, weights), strict=True))

    def _number(self, part: Part, codes: list[str], on: date, sign: int, status: str | None) -> int:
        if part.count is not None:
            return scaled(part.count, self.scale)
        assert part.reach is not None
        target = scaled(part.reach, self.scale)
        now = self.total([part.of] if part.of else codes, on, status)
        number = (target - now) * sign
        if number < 0:
            where = part.of or ", ".join(codes[:3]) + ("..." if len(codes) > 3 else "")
            side = "more" if sign > 0 else "fewer"
            reason = f"{where} holds {now} members at this scale, {side} than {target}"
            raise Invalid.one("reach", reason)
        return number

    def _weights(
        self, how: str, codes: list[str], on: date, status: str | None
    ) -> list[int | Fraction]:
        if how == "equal":
            return [1] * len(codes)
        if how == "weight":
            return [Fraction(str(self.layout.specs[c].weight)) for c in codes]
        sizes = self.sizes(codes, on, status)
        return [sizes.get(c, 0) for c in codes]

    def sizes(self, codes: Sequence[str], on: date, status: str | None) -> dict[str, int]:
        """Members (of `status`) whose current spell is in each body itself."""
        ids = self.ids(codes)
        counts = bulk_changes.members_per_body(
            self.session, body_ids=list(ids.values()), on=on, status=status
        )
        return {c: counts.get(i, 0) for c, i in ids.items()}

    def ids(self, codes: Sequence[str]) -> dict[str, int]:
        """Store ids of bodies by code."""
        return {c: self.layout.ids[c] for c in codes}

    def total(self, codes: Sequence[str], on: date, status: str | None) -> int:
        """The census of the bodies' subtrees on `on` (a body under another counted once)."""
        total = 0
        for code in self._tops(codes):
            composition = census.census(
                self.session, body_code=code, by=["status"], at=on, actor=self.actor
            )
            total += composition.count(status) if status else composition.total
        return total

    def _tops(self, codes: Sequence[str]) -> list[str]:
        wanted = set(codes)
        tops = []
        for code in codes:
            above = bodies.ancestors(self.session, self.layout.ids[code])
            if not any(a.code in wanted for a in above):
                tops.append(code)
        return tops
