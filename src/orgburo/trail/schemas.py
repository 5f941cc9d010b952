"""HTTP shapes of the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEntryRead(BaseModel):
    """One change: who, when, what, to which target, with the values before and after."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    hash: str


class TrailRead(BaseModel):
    """A page of entries, newest first; pass `next_before` as `before` for the next page."""

    entries: list[AuditEntryRead]
    next_before: int | None
