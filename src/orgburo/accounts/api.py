"""HTTP API of accounts: who the caller is; and a health check that needs no account."""

from __future__ import annotations

from fastapi import APIRouter

from orgburo.accounts import service as accounts
from orgburo.accounts.models import User
from orgburo.accounts.schemas import MeRead, RoleRead
from orgburo.members.models import Person
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api", tags=["accounts"])


@router.get("/me", response_model=MeRead)
def me(session: SessionDep, actor: ActorDep) -> MeRead:
    """The account the request is signed in as, with its roles."""
    user = session.get_one(User, actor.user_id)
    person = session.get(Person, user.person_id) if user.person_id else None
    return MeRead(
        name=user.name,
        is_admin=actor.is_admin,
        member=person.external_id if person else None,
        roles=[RoleRead(role=r, body=b.code) for r, b in accounts.roles_of(session, actor)],
    )


@router.get("/health", tags=["meta"])
def health() -> dict[str, str]:
    """Whether the application answers; needs no sign-in."""
    return {"status": "ok"}
