"""Writing checked import rows straight into the registry, a batch at a time.

Each clean batch is copied into `persons` and `memberships` (COPY on PostgreSQL) as it
passes: no staging table, no INSERT … SELECT, so every row is written once. New persons
get their ids on the client: the sequence's next value when the import began (taken
under a lock on `persons`, so no other writer takes ids meanwhile) plus the row number,
and the sequence is moved past them at the end. Rows whose id is already registered
are looked up per batch through the unique index on `external_id`: same data, the row
is skipped (a re-import changes nothing); other data, the row is reported. The import
runs inside a savepoint, so a problem found after some batches were written undoes
them, and any dropped index with them.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Constraint, Table, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, DropConstraint

from orgburo.bulk import insert_arrow, is_large, is_postgres, rebuilt_if_large
from orgburo.census.forgetting import forget_from
from orgburo.core.attributes import CORE_ATTRIBUTES
from orgburo.errors import Problem
from orgburo.members import registered
from orgburo.members.checks import BatchCheck
from orgburo.members.models import Membership, Person

PERSONS: Table = Person.__table__  # type: ignore[assignment]
MEMBERSHIPS: Table = Membership.__table__  # type: ignore[assignment]
PERSON_COLUMNS = ["id", "external_id", "name", "name_key", *CORE_ATTRIBUTES, "extra"]
UNIQUE_EXTERNAL_ID = "uq_persons_external_id"


@dataclass
class Registration:
    """New persons and spells of one import, and what was already registered."""

    session: Session
    base: int
    existing: int
    written: int = 0
    _loads: ExitStack = field(default_factory=ExitStack)
    _probing: bool = True

    @classmethod
    def begin(cls, session: Session) -> Registration:
        """Lock out other writers of persons and take the first free id."""
        if is_postgres(session):
            session.execute(text("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE"))
        existing = session.scalar(select(func.coalesce(func.max(Person.id), 0))) or 0
        return cls(session, base=max(existing, _sequence_position(session)), existing=existing)

    def new_rows(self, check: BatchCheck, columns: dict[str, pa.Array]) -> np.ndarray:
        """Rows of a checked batch to register: clean, not repeated, not yet registered."""
        registered.fail_repeats_in_batch(check, columns["external_id"])
        if self._probing:
            known = registered.lookup(self.session, columns["external_id"], check.bad)
            registered.fail_repeats_and_conflicts(check, columns, known, self.base)
            return np.asarray(~check.bad & ~known.found_mask(len(check.bad)))
        return np.asarray(~check.bad)

    def write(self, columns: dict[str, pa.Array], new: np.ndarray, expected_rows: int) -> None:
        """Copy the new rows of a batch into persons and memberships."""
        if not new.any():
            return
        if self.written == 0:
            self._start_load(max(expected_rows, int(new.sum())))
        keep = pa.array(new)
        forget_from(self.session, pc.min(columns["joined"].filter(keep)).as_py())
        insert_arrow(self.session, PERSONS, _persons(columns, self.base).filter(keep))
        insert_arrow(self.session, MEMBERSHIPS, _memberships(columns, self.base).filter(keep))
        self.written += int(new.sum())

    def _start_load(self, expected_rows: int) -> None:
        large = is_large(expected_rows, self.existing)
        # A registry empty before a large load has nobody to look up: its unique index on
        # external_id is dropped too, and built again before the others (`repeats`).
        self._probing = not (large and self.existing == 0 and is_postgres(self.session))
        self._loads.enter_context(
            rebuilt_if_large(
                self.session,
                [PERSONS, MEMBERSHIPS],
                expected_rows,
                self.existing,
                keep=(UNIQUE_EXTERNAL_ID,),
                primary_keys=True,
            )
        )
        if not self._probing:
            self.session.execute(DropConstraint(_unique_external_id()))

    def repeats(self, limit: int) -> list[Problem]:
        """Ids repeated across batches, when batches were not looked up as they came.

        Building the unique index finds whether there are any at no extra cost; only
        when it fails (in a savepoint) are they searched for, to report each one.
        """
        if self._probing or self.written == 0:
            return []
        try:
            with self.session.begin_nested():
                self.session.execute(AddConstraint(_unique_external_id()))
        except IntegrityError:
            return registered.repeated_ids(self.session, self.base, limit)
        return []

    def finish(self) -> int:
        """Rebuild what the load dropped and move the id sequence past the new persons."""
        self._loads.close()
        if is_postgres(self.session) and self.written:
            self.session.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('persons', 'id'), "
                    "(SELECT COALESCE(MAX(id), 0) FROM persons))"
                )
            )
        return self.written


def _unique_external_id() -> Constraint:
    return next(c for c in PERSONS.constraints if c.name == UNIQUE_EXTERNAL_ID)


def _sequence_position(session: Session) -> int:
    """The last id the persons sequence handed out (0 elsewhere than PostgreSQL)."""
    if not is_postgres(session):
        return 0
    sql = "SELECT nextval(pg_get_serial_sequence('persons', 'id')) - 1"
    return int(session.scalar(text(sql)) or 0)


def _persons(columns: dict[str, pa.Array], base: int) -> pa.RecordBatch:
    rows = len(columns["row"])
    arrays = {
        "id": pc.add(columns["row"], base),
        **{n: columns[n] for n in ("external_id", "name", "name_key")},
        **{n: columns.get(n, pa.nulls(rows, _type_of(n))) for n in CORE_ATTRIBUTES},
        "extra": columns["extra"],
    }
    return pa.RecordBatch.from_pydict(arrays)


def _type_of(name: str) -> pa.DataType:
    python_type: Any = PERSONS.c[name].type.python_type
    return {bool: pa.bool_(), int: pa.int64()}.get(python_type, pa.string())


def _memberships(columns: dict[str, pa.Array], base: int) -> pa.RecordBatch:
    rows = len(columns["row"])
    return pa.RecordBatch.from_pydict(
        {
            "person_id": pc.add(columns["row"], base),
            "body_id": columns["body_id"],
            "status": columns["status"],
            "started_on": columns["joined"],
            "start_reason": pa.array(["admitted"] * rows, pa.string()),
            "name_key": columns["name_key"],
        }
    )
