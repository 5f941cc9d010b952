"""Dependencies shared by every route: the request's unit of work and its actor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.db import unit_of_work


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the route returns, rolled back on error."""
    with unit_of_work(request.app.state.engine) as session:
        yield session


def get_actor(request: Request) -> Actor:
    """Who is acting. Until accounts exist, every web change is attributed to 'web'."""
    host = request.client.host if request.client else "unknown"
    return Actor(name=f"web:{host}")


SessionDep = Annotated[Session, Depends(get_session)]
ActorDep = Annotated[Actor, Depends(get_actor)]
