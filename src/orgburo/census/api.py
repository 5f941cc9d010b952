"""HTTP API of the census."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse, Response

from orgburo.census import formats
from orgburo.census import service as census
from orgburo.census.schemas import (
    CellChangeRead,
    CellRead,
    CensusChangeRead,
    CensusRead,
    DimensionRead,
)
from orgburo.core.census import Composition, CompositionChange
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/census", tags=["census"])

BY = Query(
    "social_situation", description="One or two dimensions, comma-separated.", max_length=200
)


def change_as_read(change: CompositionChange) -> CensusChangeRead:
    """The API view of a composition on two dates."""
    dims = change.after.dimensions
    return CensusChangeRead(
        body=change.after.body,
        start=change.before.at,
        end=change.after.at,
        by=list(dims),
        total_before=change.before.total,
        total_after=change.after.total,
        cells=[
            CellChangeRead(
                values=dict(zip(dims, r.values, strict=True)),
                before=r.before,
                after=r.after,
                difference=r.difference,
                share_before=round(float(r.share_before), 4),
                share_after=round(float(r.share_after), 4),
            )
            for r in change.cells
        ],
    )


def as_read(composition: Composition) -> CensusRead:
    """The API view of a composition."""
    dims = composition.dimensions
    return CensusRead(
        body=composition.body,
        at=composition.at,
        by=list(dims),
        total=composition.total,
        cells=[
            CellRead(
                values=dict(zip(dims, c.values, strict=True)),
                count=c.count,
                share=round(float(c.share), formats.SHARE_DIGITS),
            )
            for c in composition.cells
        ],
    )


@router.get("", response_model=CensusRead, responses={200: {"content": {"text/csv": {}}}})
def get_census(
    session: SessionDep,
    actor: ActorDep,
    body: str = Query(..., description="Code of the body whose subtree is counted.", max_length=64),
    by: str = BY,
    at: date | None = Query(None, description="Date of the census (default today)."),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> CensusRead | Response:
    """Composition of a subtree on a date by one or two dimensions."""
    composition = census.census(session, body_code=body, by=by.split(","), at=at, actor=actor)
    if format == "csv":
        columns = [*composition.dimensions, "count", "share"]
        return PlainTextResponse(
            formats.as_csv(formats.records(composition), columns), media_type="text/csv"
        )
    return as_read(composition)


@router.get("/change", response_model=CensusChangeRead)
def get_change(
    session: SessionDep,
    actor: ActorDep,
    body: str = Query(..., max_length=64),
    start: date = Query(..., description="First date."),
    end: date | None = Query(None, description="Second date (default today)."),
    by: str = BY,
) -> CensusChangeRead:
    """Composition of a subtree on two dates, cell by cell."""
    change = census.change(
        session,
        body_code=body,
        by=by.split(","),
        start=start,
        end=end or date.today(),
        actor=actor,
    )
    return change_as_read(change)


@router.get("/dimensions", response_model=list[DimensionRead])
def list_dimensions(session: SessionDep, actor: ActorDep) -> list[DimensionRead]:
    """Every dimension the census can break members down by."""
    return [DimensionRead(name=n, label=label) for n, label in census.dimensions(session).items()]
