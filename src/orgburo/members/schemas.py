"""HTTP shapes of the registry."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field


class MemberRead(BaseModel):
    """A person with their current membership, if any."""

    id: str
    name: str
    body: str | None
    status: str | None
    attributes: dict[str, Any]
    died_on: date | None = None


class RosterRead(BaseModel):
    """A page of members by name; pass `next_after` as `after` for the next page."""

    members: list[MemberRead]
    limit: int
    next_after: str | None


class HistoryEntryRead(BaseModel):
    """One dated step in a member's history."""

    on: date
    kind: str
    body: str | None
    status: str | None
    detail: str


class Admission(BaseModel):
    """A person admitted to a body."""

    id: str = Field(min_length=1, max_length=100)
    name: str = Field(min_length=1, max_length=300)
    body: str
    on: date
    status: str = "candidate"
    attributes: dict[str, str | int | bool | None] = Field(default_factory=dict)


class DatedChange(BaseModel):
    """A change that happens on a date."""

    on: date


class Transfer(DatedChange):
    """A move to another body."""

    to: str


class AttributeChange(DatedChange):
    """New attribute values."""

    attributes: dict[str, str | int | bool | None]


class Ending(DatedChange):
    """The end of a membership."""

    reason: str
    note: str | None = Field(default=None, max_length=500)


class AttributeRead(BaseModel):
    """An attribute members can carry."""

    name: str
    type: str
    choices: list[str]
    core: bool
    label: str


class AttributeCreate(BaseModel):
    """A new organization-specific attribute."""

    name: str
    type: str
    choices: list[str] | None = None
    label: str = ""
