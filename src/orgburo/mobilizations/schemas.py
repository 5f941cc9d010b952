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
            term=self.term,
            term_months=self.term_months,
            criteria=self.criteria,
            exemptions=self.exemptions,
            roles=tuple(
                RoleLineSpec(r.role, r.count, r.destination, r.requirement) for r in self.roles
            ),
        )
