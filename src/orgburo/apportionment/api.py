"""HTTP API of apportionment: `POST /api/apportion`."""

from __future__ import annotations

from fastapi import APIRouter

from orgburo.apportionment import service
from orgburo.apportionment.schemas import AllocationRead, ApportionmentRead, ApportionmentRequest
from orgburo.web.errors import ERRORS

router = APIRouter(prefix="/api", tags=["apportionment"], responses=ERRORS)


@router.post("/apportion", response_model=ApportionmentRead)
def apportion(payload: ApportionmentRequest) -> ApportionmentRead:
    """Split `seats` over `parties` by `method`; an infeasible request answers 422."""
    parties = [
        service.PartyRow(
            p.name, service.parse_weight(p.weight, f"parties[{i}].weight"), p.min, p.max
        )
        for i, p in enumerate(payload.parties)
    ]
    result = service.apportion_parties(method=payload.method, seats=payload.seats, parties=parties)
    return ApportionmentRead(
        method=result.method,
        seats=result.seats,
        allocations=[AllocationRead(name=a.name, seats=a.seats) for a in result.allocations],
        ties=list(result.ties),
    )
