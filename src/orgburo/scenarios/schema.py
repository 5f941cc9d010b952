"""The scenario file format: a starting organization and a dated timeline of decisions.

Counts are written at full size; a replay at a smaller scale multiplies them. Every
step that carries a number names its source. See docs/scenarios.md for the format in
prose; these models are what the loader checks a file against.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

Mix = dict[str, dict[str, float] | float]
"""Attribute shares of synthesized members: a choice attribute maps each value to its
share (shares are normalized); a yes/no attribute takes the share that says yes."""

SLUG = r"^[a-z0-9][a-z0-9_.\-]{0,62}$"
ACTIONS = (
    "open",
    "move",
    "change",
    "close",
    "admit",
    "depart",
    "confirm",
    "transfer",
    "member",
    "mobilization",
)


class Model(BaseModel):
    """Strict about unknown keys, so a misspelt key is an error with its line."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class BirthYears(Model):
    """Years of birth drawn from a normal distribution, clipped."""

    mean: float
    sd: float = Field(ge=0)
    min: int = Field(ge=1800)
    max: int


class Defaults(Model):
    """How members are synthesized unless a body or a step says otherwise."""

    mix: Mix = {}
    birth_year: BirthYears
    min_age: int = Field(16, ge=0, le=100)
    given_names: list[str] = Field(min_length=1)
    family_names: list[str] = Field(min_length=1)


class BodySpec(Model):
    """A body to open, with what allocations need: its weight, groups and member mix."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    kind: str = "committee"
    parent: str | None = None
    level: str | None = None
    zone: str | None = None
    opened: date | None = None
    weight: float = Field(1.0, ge=0)
    groups: list[str] = []
    mix: Mix = {}
    source: str | None = None
    note: str | None = None


class Part(Model):
    """Where members are counted or synthesized: one body, several, or a named group.

    `count` is how many (at full size); `reach` is the total the part (or the subtree of
    `of`) should have after the step, the step making up the difference. `split` says
    how a part's number is shared among its bodies: by their `weight`, their current
    `size`, or `equal`ly.
    """

    body: str | None = None
    bodies: list[str] | None = None
    group: str | None = None
    count: int | None = Field(None, ge=0)
    reach: int | None = Field(None, ge=0)
    of: str | None = None
    split: Literal["weight", "size", "equal"] | None = None
    mix: Mix = {}
    source: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_place_and_one_number(self) -> Self:
        if sum(x is not None for x in (self.body, self.bodies, self.group)) != 1:
            raise ValueError("name exactly one of body, bodies or group")
        if (self.count is None) == (self.reach is None):
            raise ValueError("give exactly one of count or reach")
        return self


class Admit(Model):
    """Synthesized admissions, loaded in bulk like an imported file."""

    into: list[Part] = Field(min_length=1)
    status: Literal["candidate", "full"] = "full"
    since: date | None = None
    mix: Mix = {}
    birth_year: BirthYears | None = None


class Depart(Model):
    """Memberships ended in bulk: chosen in proportion within each body and category."""

    from_: list[Part] = Field(alias="from", min_length=1)
    reason: Literal["left", "expelled", "died"] = "left"
    status: Literal["candidate", "full"] | None = None


class Confirm(Model):
    """Candidates made full members in bulk, the longest-serving first."""

    in_: list[Part] = Field(alias="in", min_length=1)
    admitted_before: date | None = None


class Transfer(Model):
    """Members moved in bulk to another body, chosen in proportion within each body."""

    from_: list[Part] = Field(alias="from", min_length=1)
    to: str


class Move(Model):
    """A body and its subtree placed under a new parent."""

    body: str
    parent: str


class Change(Model):
    """A body renamed, or its level or zone changed."""

    body: str
    name: str | None = None
    level: str | None = None
    zone: str | None = None


class Close(Model):
    """A body closed; its members are transferred first when `transfer_to` is given."""

    body: str
    transfer_to: str | None = None


class MemberChange(Model):
    """One named person's change, through the registry's individual services."""

    action: Literal["admit", "confirm", "transfer", "end", "update"]
    id: str = Field(min_length=1, max_length=100)
    name: str | None = None
    body: str | None = None
    status: Literal["candidate", "full"] = "full"
    attributes: dict[str, str | int | bool] = {}
    to: str | None = None
    reason: Literal["left", "expelled", "died"] | None = None
    note: str | None = None


class Mobilization(Model):
    """A decree from a data file under `data/mobilizations/`, carried out by the
    mobilization services (docs/scenarios.md)."""

    file: str = Field(pattern=r"^[A-Za-z0-9_.\-]+\.ya?ml$")
    decree: str = Field(min_length=1)


class Step(Model):
    """One dated decision: exactly one action, with a title and the source of its numbers."""

    id: str = Field(pattern=SLUG)
    on: date
    title: str = Field(min_length=1)
    source: str | None = None
    note: str | None = None
    open: list[BodySpec] | None = None
    move: Move | None = None
    change: Change | None = None
    close: Close | None = None
    admit: Admit | None = None
    depart: Depart | None = None
    confirm: Confirm | None = None
    transfer: Transfer | None = None
    member: MemberChange | None = None
    mobilization: Mobilization | None = None

    @model_validator(mode="after")
    def _exactly_one_action(self) -> Self:
        given = [a for a in ACTIONS if getattr(self, a) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one action of {', '.join(ACTIONS)}; got {given}")
        return self

    @property
    def action(self) -> str:
        """The name of the step's action."""
        return next(a for a in ACTIONS if getattr(self, a) is not None)

    def parts(self) -> list[Part]:
        """The parts of a counted action (admit, depart, confirm, transfer), else none."""
        if self.admit:
            return self.admit.into
        if self.depart:
            return self.depart.from_
        if self.confirm:
            return self.confirm.in_
        return self.transfer.from_ if self.transfer else []


class Organization(Model):
    """The organization on the first day: its bodies, named people and members."""

    on: date
    bodies: list[BodySpec] = Field(min_length=1)
    people: list[MemberChange] = []
    members: list[Part] = []
    source: str | None = None


class Mobilized(Model):
    """Members called up, as the fulfilment report counts them by month: `decreed`,
    `sent` (dispatched) or `arrived`, under some decrees (default all), in the months
    from `since` to the figure's date."""

    count: Literal["decreed", "sent", "arrived"]
    decrees: list[str] = []
    since: date | None = None


class Measure(Model):
    """What Orgburo counts for a figure: the census total of the subtrees of some bodies
    (named, or every body of some groups), or the share among them of the members with
    `value` of `dimension`; or members called up (`mobilized`), as a count, or as a share
    of the members of the bodies named."""

    bodies: list[str] = []
    groups: list[str] = []
    status: Literal["candidate", "full"] | None = None
    dimension: str | None = None
    value: str | None = None
    mobilized: Mobilized | None = None

    @model_validator(mode="after")
    def _something_to_count(self) -> Self:
        if not self.bodies and not self.groups and self.mobilized is None:
            raise ValueError("name the bodies or groups to count")
        if (self.dimension is None) != (self.value is None):
            raise ValueError("a share needs both dimension and value")
        return self


class Figure(Model):
    """A published figure and how Orgburo's value for it is measured."""

    id: str = Field(pattern=SLUG)
    what: str
    on: date
    published: float
    shown: str | None = None
    range: tuple[float, float] | None = None
    tolerance: float = Field(0, ge=0)
    slack: int = Field(1, ge=0)
    kind: Literal["input", "derived"]
    status: Literal["V", "D", "R?"]
    source: str
    step: str | None = None
    measure: Measure
    note: str | None = None
    gap: str | None = None
    """Why the scenario is known not to reproduce this figure; the table says so."""

    @property
    def is_share(self) -> bool:
        """Whether the figure is a share (else a count of members)."""
        m = self.measure
        return m.dimension is not None or (m.mobilized is not None and bool(m.bodies or m.groups))


class Scenario(Model):
    """A whole scenario file."""

    name: str = Field(pattern=SLUG)
    title: str
    description: str = ""
    end: date
    seed: int = 1
    sources: dict[str, str] = {}
    groups: dict[str, str] = {}
    defaults: Defaults
    organization: Organization
    timeline: list[Step] = []
    figures: list[Figure] = []
    not_reproduced: list[str] = []


class Overlay(Model):
    """A what-if: a scenario with steps removed, replaced (by id) or added."""

    base: str
    name: str = Field(pattern=SLUG)
    title: str
    description: str = ""
    remove: list[str] = []
    replace: list[Step] = []
    add: list[Step] = []
