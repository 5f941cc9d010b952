"""Shapes of accounts in the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel


class RoleRead(BaseModel):
    """A role held on a body."""

    role: str
    body: str


class MeRead(BaseModel):
    """The signed-in account: name, whether it administers, its member id and roles."""

    name: str
    is_admin: bool
    member: str | None
    roles: list[RoleRead]
