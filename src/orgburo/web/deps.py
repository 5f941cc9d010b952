"""Dependencies shared by every route: the request's unit of work and its actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.db import unit_of_work
from orgburo.web.auth import calling_actor, sent_csrf


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


# "function" scope: the transaction ends when the route returns, before the answer is sent.
# With the default ("request") the commit would come after the response, so a client that
# follows a redirect or reads back at once could see the store as it was, and a failed
# commit could never reach the client as an error.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def get_actor(
    request: Request, session: SessionDep, csrf: Annotated[str | None, Depends(sent_csrf)]
) -> Actor:
    """The signed-in user as an actor; anonymous requests stop here with NotSignedIn."""
    actor = calling_actor(request, session, csrf)
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]
