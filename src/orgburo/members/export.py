"""Writing a subtree's current members to CSV or Parquet, in the import file layout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.core.attributes import CORE_ATTRIBUTES
from orgburo.members.attributes import catalog
from orgburo.members.models import Membership, Person
from orgburo.tabular import file_format

BATCH = 50_000


def member_rows(session: Session, body_code: str) -> Iterator[list[dict[str, Any]]]:
    """Current members of the subtree, in batches of import-layout dictionaries."""
    body = bodies.get_or_raise(session, body_code)
    custom = [n for n, a in catalog(session).items() if not a.core]
    query = (
        select(Person, Body.code, Membership.status, Membership.started_on)
        .join(Membership, and_(Membership.person_id == Person.id, Membership.ended_on.is_(None)))
        .join(
            BodyLink,
            and_(
                BodyLink.descendant_id == Membership.body_id,
                BodyLink.ancestor_id == body.id,
                BodyLink.valid_to.is_(None),
            ),
        )
        .join(Body, Body.id == Membership.body_id)
        .order_by(Person.id)
        .execution_options(yield_per=BATCH)
    )
    batch: list[dict[str, Any]] = []
    for person, code, status, started in session.execute(query):
        batch.append(_row(person, code, status, started, custom))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _row(person: Person, code: str, status: str, started: Any, custom: list[str]) -> dict[str, Any]:
    row = {
        "id": person.external_id,
        "name": person.name,
        "body": code,
        "status": status,
        "joined": started,
    }
    row.update({n: getattr(person, n) for n in CORE_ATTRIBUTES})
    row.update({n: (person.extra or {}).get(n) for n in custom})
    return row


def export_members(session: Session, body_code: str, path: Path) -> int:
    """Write the subtree's current members to `path`; returns how many."""
    fmt = file_format(path, "output")
    written = 0
    writer: Any = None
    try:
        for rows in member_rows(session, body_code):
            table = pa.Table.from_pylist(rows)
            if writer is None:
                writer = (
                    pq.ParquetWriter(path, table.schema)
                    if fmt == "parquet"
                    else pacsv.CSVWriter(path, table.schema)
                )
            writer.write_table(table.cast(writer.schema) if fmt == "parquet" else table)
            written += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    if writer is None:
        path.write_text(
            ",".join(["id", "name", "body", "status", "joined", *CORE_ATTRIBUTES]) + "\n"
        )
    return written
