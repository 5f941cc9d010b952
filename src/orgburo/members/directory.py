"""The bodies an import names, looked up once per code and checked a batch at a time.

A file names bodies by code. Each code is looked up in the store the first time a
batch names it (one indexed query per batch for the new codes only, so a small import
into a large tree reads a few rows); after that a batch's codes become body ids, the
nearest tallied body and the problems of unknown, closed or out-of-scope bodies by
vectorized lookups in Arrow, with no join over a staging table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from orgburo.bodies.models import Body, BodyLink
from orgburo.bulk import any_of
from orgburo.census.tallies import OWNER
from orgburo.members.checks import BatchCheck

_SCHEMA = pa.schema(
    [
        ("code", pa.string()),
        ("id", pa.int64()),
        ("closed_on", pa.date32()),
        ("owner_id", pa.int64()),
        ("inside", pa.bool_()),
    ]
)


@dataclass
class BodyDirectory:
    """Codes seen so far and what the store says of them; `within` limits where rows go."""

    session: Session
    within: Body | None = None
    known: pa.Table = field(default_factory=_SCHEMA.empty_table)

    def resolve(self, check: BatchCheck, codes: pa.Array, joined: pa.Array) -> dict[str, pa.Array]:
        """body_id and owner_id of each row; unknown, closed and outside bodies are failed."""
        self._learn(pc.unique(pc.drop_null(codes)))
        at = pc.index_in(codes, value_set=self.known.column("code"))
        found = {
            name: self.known.column(name).take(at).combine_chunks() for name in _SCHEMA.names[1:]
        }
        filled = pc.is_valid(codes)
        check.fail(
            pc.and_(filled, pc.is_null(at)), "body", lambda c: f"no body has the code {c!r}", codes
        )
        closed = found["closed_on"]
        check.fail(
            pc.less_equal(closed, joined),
            "body",
            lambda c: f"{c!r} was closed on {self._closed_on(c)}",
            codes,
        )
        if self.within is not None:
            scope = self.within.code
            check.fail(
                pc.invert(found["inside"]),
                "body",
                lambda c: f"{c!r} is outside {scope!r}, where this import may write",
                codes,
            )
        return {"body_id": found["id"], "owner_id": found["owner_id"]}

    def _learn(self, codes: pa.Array) -> None:
        new = codes.filter(pc.invert(pc.is_in(codes, value_set=self.known.column("code"))))
        if len(new):
            rows = [
                row
                for condition in any_of(self.session, Body.code, new.to_pylist())
                for row in self.session.execute(self._lookup().where(condition))
            ]
            found = pa.Table.from_pylist([r._asdict() for r in rows], schema=_SCHEMA)
            self.known = pa.concat_tables([self.known, found]).combine_chunks()

    def _lookup(self) -> Any:
        inside: Any = literal(True)
        if self.within is not None:
            inside = Body.id.in_(
                select(BodyLink.descendant_id).where(
                    BodyLink.ancestor_id == self.within.id, BodyLink.valid_to.is_(None)
                )
            )
        return select(
            Body.code.label("code"),
            Body.id.label("id"),
            Body.closed_on.label("closed_on"),
            OWNER.label("owner_id"),
            inside.label("inside"),
        )

    def _closed_on(self, code: object) -> date:
        at = pc.index_in(pa.array([code], pa.string()), value_set=self.known.column("code"))
        value: date = self.known.column("closed_on").take(at)[0].as_py()
        return value
