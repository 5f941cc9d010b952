"""HTTP shapes of sittings, quotas, delegates and the electoral chain."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class CongressCreate(BaseModel):
    """A congress or conference of a body, or a plenum of an organ."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    kind: str = Field("congress", description="congress, conference or plenum.")
    body: str = Field(description="Convening body, or the organ for a plenum.")
    opens_on: date
    closes_on: date | None = None
    norm: str | None = Field(None, description="per-members or total (none for a plenum).")
    voting: int | None = Field(None, ge=1, description="Members per delegate, or the total.")
    consultative: int | None = Field(None, ge=1, description="The same, for candidates.")
    method: str = Field("hamilton", description="Apportionment method of a `total` norm.")


class CongressRead(BaseModel):
    """A sitting."""

    code: str
    name: str
    kind: str
    body: str
    opens_on: date
    closes_on: date | None
    norm: str | None
    census_on: date | None


class Apportioning(BaseModel):
    """When to count the members (default: the opening day, or today)."""

    census_on: date | None = None


class QuotaRead(BaseModel):
    """One organization's delegates and the members they stand for."""

    organization: str
    full_members: int
    candidates: int
    voting: int
    consultative: int


class DelegateCreate(BaseModel):
    """A delegate elected by an organization."""

    person: str = Field(description="Registry id.")
    organization: str = Field(description="Code of the organization that elected them.")
    vote: str = Field("voting", description="voting or consultative.")


class DelegateRead(BaseModel):
    """A delegate and the credentials verdict."""

    person: str
    name: str
    organization: str
    vote: str
    credentials: str
    reason: str | None


class ChainLoad(BaseModel):
    """Load a chain (the usual template when `chain` is omitted) for a body."""

    body: str
    opened_on: date | None = Field(None, description="Opening day of new organs (today).")
    chain: dict[str, Any] | None = None


class LinkRead(BaseModel):
    """One link of the chain."""

    elector: str
    sitting: str
    elects: str
    seat_kind: str
    seats: int
    method: str
    mode: str
