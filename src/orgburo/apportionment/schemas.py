"""HTTP shapes of an apportionment."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictFloat, StrictInt, StrictStr

from orgburo.core.apportionment import MAX_SEATS, Method

MAX_PARTIES = 1_000_000

WeightIn = Annotated[
    Annotated[StrictInt, Field(ge=0)]
    | Annotated[StrictFloat, Field(ge=0, allow_inf_nan=False)]
    | Annotated[StrictStr, Field(pattern=r"^\d{1,30}(\.\d{1,12})?$")],
    Field(
        description='A number; a decimal is taken exactly as written ("12.5" or 12.5 is 25/2).',
        examples=[1200, "12.5"],
    ),
]


class PartyWeight(BaseModel):
    """One party: its name, its weight, and optionally the fewest and most seats it may get."""

    name: str = Field(min_length=1, max_length=200)
    weight: WeightIn
    min: int | None = Field(default=None, ge=0, le=MAX_SEATS, description="Floor: fewest seats.")
    max: int | None = Field(default=None, ge=0, description="Cap: most seats.")


class ApportionmentRequest(BaseModel):
    """Seats to split over parties by a method."""

    method: Method
    seats: int = Field(ge=0, le=MAX_SEATS)
    parties: list[PartyWeight] = Field(max_length=MAX_PARTIES)


class AllocationRead(BaseModel):
    """The seats one party got."""

    name: str
    seats: int


class ApportionmentRead(BaseModel):
    """Seats per party in request order; `ties` names the parties a tie-break decided between."""

    method: Method
    seats: int
    allocations: list[AllocationRead]
    ties: list[str] = Field(
        description="Parties tied for the last seats (empty when the result is unique); the "
        "larger weight, then the earlier party, got them."
    )
