"""The shape of a decree as a document (YAML, JSON, an HTTP body) and its conversion."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .models import ABSOLUTE, TEMPORARY
from .specs import DecreeSpec, QuotaSpec, RoleLineSpec, SubQuotaSpec

Share = str | int | float


def _share_text(value: Share | None) -> str | None:
    return None if value is None else str(value)


class SubQuotaIn(BaseModel):
    """`{name, rule, count}`: part of the quota for members meeting `rule`."""

    model_config = ConfigDict(extra="forbid")
    name: str
    rule: str
    count: int


class QuotaIn(BaseModel):
    """The quota, by kind: `total` (+ `subquotas`), `default_share` + `zones`, or
    `congress` + `share`."""

    model_config = ConfigDict(extra="forbid")
    kind: str = ABSOLUTE
    total: int | None = None
    subquotas: list[SubQuotaIn] = Field(default_factory=list)
    default_share: Share | None = None
    zones: dict[str, Share] = Field(default_factory=dict)
    congress: str | None = None
    share: Share | None = None

    def spec(self) -> QuotaSpec:
        """The quota as the service takes it."""
        return QuotaSpec(
            kind=self.kind,
            total=self.total,
            subquotas=tuple(SubQuotaSpec(s.name, s.rule, s.count) for s in self.subquotas),
            default_share=_share_text(self.default_share),
            zones={z: str(s) for z, s in self.zones.items()},
            congress=self.congress,
            share=_share_text(self.share),
        )


class RoleLineIn(BaseModel):
    """`{role, count, destination?, requirement?}`: posts to fill."""

    model_config = ConfigDict(extra="forbid")
    role: str
    count: int
    destination: str | None = None
    requirement: str = ""


class DecreeCreate(BaseModel):
    """A decree to issue (layout in docs/mobilizations.md)."""

    model_config = ConfigDict(extra="forbid")
    code: str
    title: str
    issuing_body: str
    issued_on: date
    basis: str
    destination: str
    quota: QuotaIn
    scope: str | None = None
    excluded: list[str] = Field(
        default_factory=list, description="Bodies inside the scope left out, with their subtrees."
    )
    term: str = TEMPORARY
    term_months: int | None = None
    criteria: str = ""
    exemptions: str = ""
    roles: list[RoleLineIn] = Field(default_factory=list)

    @field_validator("criteria", "exemptions", mode="before")
    @classmethod
    def _none_is_empty(cls, value: object) -> object:
        return "" if value is None else value

    def spec(self) -> DecreeSpec:
        """The decree as the service takes it."""
        return DecreeSpec(
            code=self.code,
            title=self.title,
            issuing_body=self.issuing_body,
            issued_on=self.issued_on,
            basis=self.basis,
            destination=self.destination,
            quota=self.quota.spec(),
            scope=self.scope,
            excluded=tuple(self.excluded),
            term=self.term,
            term_months=self.term_months,
            criteria=self.criteria,
            exemptions=self.exemptions,
            roles=tuple(
                RoleLineSpec(r.role, r.count, r.destination, r.requirement) for r in self.roles
            ),
        )


# --- what the HTTP API takes and answers ------------------------------------------------

CODE = 64
TEXT = 500


class DestinationCreate(BaseModel):
    """A front (`kind` front) or a sector of the labour front (`kind` labour)."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=CODE)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)


class DestinationRead(BaseModel):
    """A destination."""

    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    kind: str


class RoleCreate(BaseModel):
    """A role type that decrees can ask to fill."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(max_length=CODE)
    name: str = Field(max_length=200)


class RoleRead(BaseModel):
    """A role type."""

    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str


class QuotaRowRead(BaseModel):
    """One body's part of a quota: of its subtree, and of its own members."""

    body: str
    name: str
    demanded: int
    own_demanded: int
    eligible: int
    own_eligible: int
    shortfall: int


class SubQuotaRead(BaseModel):
    """Part of the quota for members meeting a rule."""

    name: str
    rule: str
    count: int


class RoleLineRead(BaseModel):
    """Posts a decree asks to fill."""

    position: int
    role: str
    role_name: str
    destination: str
    count: int
    requirement: str


class DecreeRead(BaseModel):
    """A decree as issued, with the quotas of one body (`quota`) and of its sub-bodies."""

    code: str
    title: str
    issuing_body: str
    scope: str
    excluded: list[str]
    issued_on: date
    basis: str
    destination: str
    destination_kind: str
    term: str
    term_months: int | None
    quota_kind: str
    total: int | None
    share: str | None
    zones: dict[str, str]
    congress: str | None
    criteria: str
    exemptions: str
    method: str | None
    floor: int
    shortfall_accepted: bool
    subquotas: list[SubQuotaRead]
    roles: list[RoleLineRead]
    quota: QuotaRowRead | None = Field(None, description="None until apportioned.")
    quotas: list[QuotaRowRead] = Field(default_factory=list)


class ApportionIn(BaseModel):
    """How to split the quota down the tree."""

    model_config = ConfigDict(extra="forbid")
    method: str = Field("hamilton", max_length=20)
    floor: int = Field(0, ge=0, le=1_000_000)
    accept_shortfall: bool = False


class SubQuotaSplit(BaseModel):
    """A sub-quota's total and shortfall after apportioning."""

    name: str
    demanded: int
    shortfall: int


class ApportionedRead(BaseModel):
    """The outcome of apportioning."""

    decree: str
    method: str
    demanded: int
    eligible: int
    shortfall: int
    bodies: int
    short_bodies: int
    subquotas: list[SubQuotaSplit]


class SelectIn(BaseModel):
    """Propose members on a date, for every body with room (or one body's subtree)."""

    model_config = ConfigDict(extra="forbid")
    on: date
    body: str | None = Field(None, max_length=CODE)


class ProposedRead(BaseModel):
    """How many members were proposed, for each sub-quota and in all."""

    decree: str
    proposed: int
    by_subquota: dict[str, int]


class LineFillRead(BaseModel):
    """A role line's count, the seats already held, and the seats assigned now."""

    position: int
    count: int
    held: int
    assigned: int


class AssignedRead(BaseModel):
    """The outcome of an assignment to role lines."""

    decree: str
    members: int
    assigned: int
    classes: int
    total_fit: int
    lines: list[LineFillRead]


class CallUpIn(ApportionIn):
    """Apportion, select and assign in one command: how to split, and the proposals' date."""

    on: date


class CalledUpRead(BaseModel):
    """The outcome of each step of a call-up; no assignment for a decree without lines."""

    apportioned: ApportionedRead
    proposed: ProposedRead
    assigned: AssignedRead | None


class MoveIn(BaseModel):
    """Move one member to a status: accepted, ordered, dispatched, arrived, returned,
    refused or exempted (the last two with a reason)."""

    model_config = ConfigDict(extra="forbid")
    to: str = Field(max_length=20)
    on: date
    reason: str | None = Field(None, max_length=TEXT)


class BulkMoveIn(MoveIn):
    """Move every entry of a body's subtree that can move (default the decree's scope), or
    the members listed (each must be able to move, or nothing moves)."""

    body: str | None = Field(None, max_length=CODE)
    ids: list[str] | None = Field(None, max_length=100_000)


class MovedRead(BaseModel):
    """How many members moved, and how many were proposed in place of the exempted."""

    decree: str
    status: str
    moved: int
    replaced: int


class SwapIn(BaseModel):
    """Replace a proposed or accepted member with another eligible member of the body."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    replacement: str = Field(alias="with", max_length=CODE)
    on: date
    reason: str | None = Field(None, max_length=TEXT)


class EntryRead(BaseModel):
    """One called-up member: who, from where, where they stand, where they go."""

    id: str
    name: str
    body: str
    status: str
    status_on: date
    subquota: str | None
    rank: int
    score: int
    role: str | None
    destination: str | None
    fit: int | None
    reason: str | None


class EntriesPage(BaseModel):
    """Entries after `offset`, at most `limit`, and whether more follow."""

    entries: list[EntryRead]
    offset: int
    limit: int
    has_more: bool


class ScoreRead(BaseModel):
    """The score's parts as points (10 per role line met, 2 per year of standing, 5 for
    military training, the age band's), and their sum (docs/mobilizations.md)."""

    roles: int
    standing: int
    training: int
    age: int
    total: int


class LineFitRead(BaseModel):
    """How the member fits a role line (0: cannot fill it), and why."""

    position: int
    role: str
    destination: str
    fit: int
    met: bool
    why: str


class ExplanationRead(BaseModel):
    """Why a member was proposed and where they fit."""

    entry: EntryRead
    score: ScoreRead
    lines: list[LineFitRead]


class EndingCreate(BaseModel):
    """End, in a body's subtree from a date, every decree matching the fields given."""

    model_config = ConfigDict(extra="forbid")
    body: str = Field(max_length=CODE)
    from_on: date
    destination: str | None = Field(None, max_length=CODE)
    destination_kind: str | None = Field(None, max_length=20)
    basis: str | None = Field(None, max_length=20)
    note: str = Field("", max_length=TEXT)


class EndingRead(BaseModel):
    """A kind of mobilization ended, in words."""

    body: str
    from_on: date
    kind: str
    note: str


class FulfilmentRowRead(BaseModel):
    """One group's decreed, sent and arrived."""

    key: str
    label: str
    decreed: int
    sent: int
    arrived: int


class FulfilmentRead(BaseModel):
    """Fulfilment of some decrees, grouped one way, with the totals."""

    by: str
    body: str | None
    decrees: list[str]
    rows: list[FulfilmentRowRead]
    total: FulfilmentRowRead
