"""What a decree is issued with: plain, frozen values that every entrypoint builds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .models import ABSOLUTE, TEMPORARY


@dataclass(frozen=True)
class SubQuotaSpec:
    """Part of an absolute quota for members meeting a rule: "including 100 responsible"."""

    name: str
    rule: str
    count: int


@dataclass(frozen=True)
class RoleLineSpec:
    """Posts to fill: a role type, how many, where (default the decree's destination), and
    who may fill them (a rule; empty: anyone called up)."""

    role: str
    count: int
    destination: str | None = None
    requirement: str = ""


@dataclass(frozen=True)
class QuotaSpec:
    """The quota: an absolute number (with sub-quotas), a share by zone, or a share of a
    congress's delegates. Shares are written "20%", "1/5" or "0.2"."""

    kind: str = ABSOLUTE
    total: int | None = None
    subquotas: Sequence[SubQuotaSpec] = ()
    default_share: str | None = None
    zones: Mapping[str, str] = field(default_factory=dict)
    congress: str | None = None
    share: str | None = None


@dataclass(frozen=True)
class DecreeSpec:
    """Everything a decree is issued with; `scope` defaults to the issuing body, and
    `excluded` names bodies strictly inside the scope left out with their subtrees."""

    code: str
    title: str
    issuing_body: str
    issued_on: date
    basis: str
    destination: str
    quota: QuotaSpec
    scope: str | None = None
    excluded: Sequence[str] = ()
    term: str = TEMPORARY
    term_months: int | None = None
    criteria: str = ""
    exemptions: str = ""
    roles: Sequence[RoleLineSpec] = ()
