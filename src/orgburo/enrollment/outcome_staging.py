"""The staging table of a meeting-outcomes import and the checks that need the store.

Each row is one meeting's vote on one application. Rows of the same body, kind and day
are one meeting and must agree on its attendance. The checks, in SQL over the whole
file: the application exists and is still undecided (a second decision is refused; the
same vote imported again is skipped), the meeting is not before the application, an
open meeting has a quorum of the organization's full members on the day, an admission
has its recommendations or a supporting workers' meeting, no group ceiling is passed,
and the person to be admitted is not a member already.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    String,
    Table,
    and_,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from orgburo.bulk import insert_arrow
from orgburo.errors import Problem
from orgburo.members.models import Person

from . import outcome_checks
from .columns import analyze, temporary
from .models import (
    OPEN_MEETING,
    Application,
    Campaign,
    Meeting,
    Vote,
)

COLUMNS: list[tuple[str, Any]] = [
    ("row", BigInteger),
    ("ref", String),
    ("kind", String),
    ("held", Date),
    ("present", BigInteger),
    ("non_party", BigInteger),
    ("votes_for", BigInteger),
    ("votes_against", BigInteger),
    ("abstained", BigInteger),
    ("carried", Boolean),
    ("reason", String),
    ("workplace", String),
    ("app_id", BigInteger),
    ("body_id", BigInteger),
    ("received", Date),
    ("existing", Boolean),
    ("registry", String),
    ("known_person", Boolean),
]
RAW = 12  # the first columns come from the file; the others from the store


@dataclass
class OutcomeStaging:
    """Checked outcome rows of one import, on the session's connection."""

    session: Session
    campaign: Campaign
    raw: Table
    table: Table
    rolls: Table | None = None

    @classmethod
    def create(cls, session: Session, campaign: Campaign) -> OutcomeStaging:
        """Empty staging tables: the file's rows, and the rows joined with the store."""
        name = f"staging_outcomes_{uuid.uuid4().hex[:8]}"
        raw = temporary(session, f"{name}_raw", [Column(n, t()) for n, t in COLUMNS[:RAW]])
        table = temporary(session, name, [Column(n, t()) for n, t in COLUMNS])
        return cls(session, campaign, raw, table)

    def add(self, columns: dict[str, pa.Array], bad: np.ndarray) -> None:
        """Stage the rows of a checked batch that had no problems."""
        names = [n for n, _ in COLUMNS[:RAW]]
        batch = pa.RecordBatch.from_arrays([columns[n] for n in names], names=names)
        insert_arrow(self.session, self.raw, batch.filter(pa.array(~bad)))

    @property
    def s(self) -> Any:
        """The staging table's columns."""
        return self.table.c

    def fresh(self, kind: str | None = None) -> Any:
        """Rows to be written (not already stored), of one kind if given."""
        condition = ~self.s.existing
        return condition if kind is None else and_(condition, self.s.kind == kind)

    # Checks --------------------------------------------------------------------------

    def problems(self, limit: int) -> list[Problem]:
        """Every problem only the store can see, each kind up to `limit`."""
        found = self._known(limit)
        if found:
            return found
        analyze(self.session, self.table)
        found = self._repeated(limit) + self._decided(limit) + self._dates(limit)
        found += self._attendance(limit)
        if not found:
            found += outcome_checks.problems(self, limit)
        return found

    def _known(self, limit: int) -> list[Problem]:
        """Each row joined with its application, and whether the person it would admit is in
        the registry already (one insert, cheaper than updates)."""
        r = self.raw.c
        ours = and_(Application.campaign_id == self.campaign.id, Application.ref == r.ref)
        registry = func.coalesce(Application.registry_id, literal(f"{self.campaign.code}-") + r.ref)
        joined = (
            select(
                *[r[n] for n, _ in COLUMNS[:RAW]],
                Application.id,
                Application.body_id,
                Application.received_on,
                literal(False),
                registry,
                Person.id.is_not(None),
            )
            .outerjoin(Application, ours)
            .outerjoin(Person, Person.external_id == registry)
        )
        names = [n for n, _ in COLUMNS]
        self.session.execute(insert(self.table).from_select(names, joined))
        s = self.s
        query = select(s.row, s.ref).where(s.app_id.is_(None)).order_by(s.row).limit(limit)
        return [
            Problem("ref", f"campaign {self.campaign.code!r} has no application {ref!r}", row)
            for row, ref in self.session.execute(query)
        ]

    def _repeated(self, limit: int) -> list[Problem]:
        s = self.s
        ranked = select(
            s.row, s.ref, s.kind, func.min(s.row).over(partition_by=(s.ref, s.kind)).label("first")
        ).subquery()
        query = select(ranked).where(ranked.c.row != ranked.c.first).order_by(ranked.c.row)
        return [
            Problem("ref", f"{ref!r} is {_verb(kind)} again: a second decision (row {first})", row)
            for row, ref, kind, first in self.session.execute(query.limit(limit))
        ]

    def _decided(self, limit: int) -> list[Problem]:
        """The same vote already stored is skipped; any other earlier vote is a problem."""
        s = self.s
        earlier = (
            select(Vote.id)
            .join(Meeting, Meeting.id == Vote.meeting_id)
            .where(Vote.application_id == s.app_id, Vote.kind == s.kind)
        )
        if not self.session.scalar(select(earlier.exists())):
            return []  # nothing decided yet
        same = earlier.where(
            Meeting.held_on == s.held,
            Meeting.body_id == s.body_id,
            Vote.votes_for == s.votes_for,
            Vote.votes_against == s.votes_against,
            Vote.abstained == s.abstained,
        )
        self.session.execute(update(self.table).values(existing=same.exists()))
        query = (
            select(s.row, s.ref, s.kind, Meeting.held_on)
            .join(Vote, and_(Vote.application_id == s.app_id, Vote.kind == s.kind))
            .join(Meeting, Meeting.id == Vote.meeting_id)
            .where(~s.existing)
            .order_by(s.row)
            .limit(limit)
        )
        return [
            Problem("ref", f"{ref!r} was already {_verb(kind)} on {held}", row)
            for row, ref, kind, held in self.session.execute(query)
        ]

    def _dates(self, limit: int) -> list[Problem]:
        s = self.s
        query = select(s.row, s.held, s.received).where(s.held < s.received).order_by(s.row)
        return [
            Problem(
                "held",
                f"the meeting ({held}) is before the application was received ({received})",
                row,
            )
            for row, held, received in self.session.execute(query.limit(limit))
        ]

    def _attendance(self, limit: int) -> list[Problem]:
        """Rows of one meeting agree on its attendance, in the file and with the store."""
        s = self.s
        key = (s.body_id, s.kind, s.held)
        ranked = select(
            s.row,
            func.min(s.row).over(partition_by=key).label("first"),
            func.min(s.present).over(partition_by=key).label("low"),
            func.max(s.present).over(partition_by=key).label("high"),
            func.min(s.non_party).over(partition_by=key).label("few"),
            func.max(s.non_party).over(partition_by=key).label("many"),
        ).subquery()
        r = ranked.c
        query = select(r.row, r.first).where(
            r.row != r.first, or_(r.low != r.high, r.few != r.many)
        )
        found = [
            Problem("present", f"the same meeting has other attendance on row {first}", row)
            for row, first in self.session.execute(query.order_by(r.row).limit(limit))
        ]
        stored = (
            select(s.row, Meeting.members_present, Meeting.non_party_present)
            .join(Meeting, self.same_meeting())
            .where(
                self.fresh(),
                or_(Meeting.members_present != s.present, Meeting.non_party_present != s.non_party),
            )
        )
        found += [
            Problem("present", f"this meeting is stored with {p} present ({n} non-party)", row)
            for row, p, n in self.session.execute(stored.order_by(s.row).limit(limit))
        ]
        return found

    def same_meeting(self) -> Any:
        """The stored meeting of a staged row: same campaign, body, kind and day."""
        s = self.s
        return and_(
            Meeting.campaign_id == self.campaign.id,
            Meeting.body_id == s.body_id,
            Meeting.kind == s.kind,
            Meeting.held_on == s.held,
        )


def _verb(kind: str) -> str:
    return "decided" if kind == OPEN_MEETING else "considered by a workers' general meeting"
