"""HTTP shapes of bodies."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class BodyRead(BaseModel):
    """A body as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    kind: str
    level: str | None
    zone: str | None
    opened_on: date
    closed_on: date | None
    has_children: bool
    parent: str | None = None


class BodyDetail(BodyRead):
    """A body with its place in the tree."""

    ancestors: list[str]
    children: list[BodyRead]


class BodyCreate(BaseModel):
    """A new body."""

    code: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    kind: str
    parent: str | None = None
    level: str | None = Field(default=None, max_length=80)
    zone: str | None = Field(default=None, max_length=80)
    opened_on: date | None = None


class BodyMove(BaseModel):
    """Where and when a body moves."""

    parent: str
    on: date


class BodyChange(BaseModel):
    """New name, level or zone from a date."""

    on: date
    name: str | None = Field(default=None, max_length=300)
    level: str | None = Field(default=None, max_length=80)
    zone: str | None = Field(default=None, max_length=80)


class BodyClose(BaseModel):
    """When a body closes."""

    on: date


class BodyEventRead(BaseModel):
    """One dated change to a body."""

    model_config = ConfigDict(from_attributes=True)

    on: date
    kind: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
