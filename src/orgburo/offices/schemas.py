"""HTTP shapes of offices, terms and organ seats."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class OfficeCreate(BaseModel):
    """A new office."""

    code: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=200)
    body: str | None = None
    note: str | None = Field(None, max_length=1000)


class OfficeRead(BaseModel):
    """An office."""

    code: str
    title: str
    body: str | None
    note: str | None


class TermRead(BaseModel):
    """A term in an office."""

    holder: str
    registry_id: str | None
    title: str
    started_on: date
    start_precision: str
    ended_on: date | None
    end_precision: str
    end_reason: str | None
    source: str | None
    note: str | None
    election: str | None


class HoldingRead(TermRead):
    """A term in force on a date; `certain` is false when imprecise dates leave doubt."""

    certain: bool


class TermCreate(BaseModel):
    """A new term, ending those still open unless `succeed` is false."""

    holder: str = Field(min_length=1, max_length=300, description="Registry id or a name.")
    started_on: date
    title: str | None = Field(None, max_length=200)
    source: str | None = Field(None, max_length=500)
    succeed: bool = True


class SeatRead(BaseModel):
    """A seat on an elected organ."""

    organ: str
    person: str
    name: str
    kind: str
    started_on: date
    ended_on: date | None
    end_reason: str | None
    election: str | None


class Ending(BaseModel):
    """When and why a term or a seat ends."""

    on: date = Field(description="First day out of office.")
    reason: str = Field(min_length=1, max_length=80)
