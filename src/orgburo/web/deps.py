"""Dependencies shared by every route: the request's unit of work and its actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.actors import Actor
from orgburo.db import unit_of_work
from orgburo.web.auth import calling_user, sent_csrf


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_actor(
    request: Request, session: SessionDep, csrf: Annotated[str | None, Depends(sent_csrf)]
) -> Actor:
    """The signed-in user as an actor; anonymous requests stop here with NotSignedIn."""
    user = calling_user(request, session, csrf)
    actor = accounts.actor_for(session, user)
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
