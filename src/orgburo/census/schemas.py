"""HTTP shapes of the census."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class CellRead(BaseModel):
    """Members with these values."""

    values: dict[str, str]
    count: int
    share: float


class CensusRead(BaseModel):
    """Composition of a subtree on a date."""

    body: str
    at: date
    by: list[str]
    total: int
    cells: list[CellRead]


class CellChangeRead(BaseModel):
    """One cell on two dates."""

    values: dict[str, str]
    before: int
    after: int
    difference: int
    share_before: float
    share_after: float


class CensusChangeRead(BaseModel):
    """Composition of a subtree on two dates, cell by cell."""

    body: str
    start: date
    end: date
    by: list[str]
    total_before: int
    total_after: int
    cells: list[CellChangeRead]


class DimensionRead(BaseModel):
    """A dimension the census can break members down by."""

    name: str
    label: str
