"""The store holds no link between a voter and a ballot: columns, keys, rows and order.

Every ballot is cast in its own committed transaction, as through the HTTP API, so the
physical order of rows and (on PostgreSQL) the transaction ids are real.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.db import unit_of_work
from orgburo.elections import box, casting
from orgburo.elections import service as elections
from orgburo.elections.models import Ballot
from orgburo.models import Base
from tests.election_factories import election, party

VOTERS = 12


@dataclass(frozen=True)
class Poll:
    """A closed poll: the election code, and ballot ids and receipts in the order cast."""

    code: str
    cast_ids: list[uuid.UUID]
    receipts: list[str]


def _cast_all(engine: Engine, code: str, slips: list[str], names: list[str]) -> list[str]:
    receipts = []
    for i, slip in enumerate(slips):
        with unit_of_work(engine) as session:
            marks = [names[i % len(names)]]
            receipt = casting.cast(session, code=code, credential=slip, marks=marks, actor=SYSTEM)
        receipts.append(receipt.code.replace("-", ""))
    return receipts


@pytest.fixture
def poll(fresh_engine: Engine) -> Poll:
    with unit_of_work(fresh_engine) as session:
        people = party(session, full=VOTERS)
        made, issued = election(session, people, method="irv", seats=1, candidates=3)
        code, names = made.code, [p.name for p in people[:3]]
        slips = [i.credential for i in issued]
    receipts = _cast_all(fresh_engine, code, slips, names)
    with unit_of_work(fresh_engine) as session:
        by_receipt = {b.receipt: b.id for b in session.scalars(select(Ballot))}
    with unit_of_work(fresh_engine) as session:
        elections.close_poll(session, code=code, actor=SYSTEM)
    return Poll(code, [by_receipt[r] for r in receipts], receipts)


def test_the_ballots_table_has_no_column_that_names_a_voter_or_a_time(
    fresh_engine: Engine, poll: Poll
) -> None:
    inspector = inspect(fresh_engine)
    columns = {c["name"]: str(c["type"]) for c in inspector.get_columns("election_ballots")}
    assert set(columns) == {"id", "election_id", "marks", "spoiled", "receipt"}
    assert not any("TIME" in kind.upper() or "DATE" in kind.upper() for kind in columns.values())
    keys = inspector.get_foreign_keys("election_ballots")
    assert [(k["constrained_columns"], k["referred_table"]) for k in keys] == [
        (["election_id"], "elections")
    ]


def test_the_set_of_voters_has_no_time_and_no_ballot(fresh_engine: Engine, poll: Poll) -> None:
    inspector = inspect(fresh_engine)
    assert [c["name"] for c in inspector.get_columns("election_credential_uses")] == [
        "credential_id"
    ]
    keys = inspector.get_foreign_keys("election_credential_uses")
    assert [k["referred_table"] for k in keys] == ["election_credentials"]


def test_only_named_votes_may_refer_to_a_ballot(fresh_engine: Engine, poll: Poll) -> None:
    inspector = inspect(fresh_engine)
    referring = {
        table
        for table in inspector.get_table_names()
        for key in inspector.get_foreign_keys(table)
        if key["referred_table"] == "election_ballots"
    }
    assert referring == {"election_named_votes"}
    with fresh_engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM election_named_votes")) == 0


def test_no_row_outside_the_box_holds_a_ballot_id_or_a_receipt(
    fresh_engine: Engine, poll: Poll
) -> None:
    secrets = {b.hex for b in poll.cast_ids} | {str(b) for b in poll.cast_ids}
    secrets |= set(poll.receipts)
    with fresh_engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == "election_ballots":
                continue
            for row in connection.execute(select(table)):
                found = [v for v in row if any(s in str(v) for s in secrets)]
                assert not found, f"{table.name} holds {found}"


def test_the_box_is_not_stored_in_the_order_of_voting(fresh_engine: Engine, poll: Poll) -> None:
    physical = _physical_order(fresh_engine)
    assert physical != poll.cast_ids
    assert physical == sorted(poll.cast_ids, key=lambda b: b.hex)


def test_readers_get_the_box_in_the_order_of_the_random_ids(
    fresh_engine: Engine, poll: Poll
) -> None:
    with Session(fresh_engine) as session:
        made = elections.get_or_raise(session, poll.code)
        read = [b.id for b in box.ballots(session, made)]
    assert read == sorted(poll.cast_ids, key=lambda b: b.hex)
    assert read != poll.cast_ids


def test_on_postgresql_every_sealed_ballot_carries_the_same_transaction_id(
    fresh_engine: Engine, poll: Poll
) -> None:
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("transaction ids on rows are PostgreSQL's")
    with fresh_engine.connect() as connection:
        ballots = set(connection.scalars(text("SELECT xmin::text FROM election_ballots")))
        uses = set(connection.scalars(text("SELECT xmin::text FROM election_credential_uses")))
    assert len(ballots) == 1
    assert uses == ballots


def test_no_audit_entry_is_written_per_ballot(fresh_engine: Engine, poll: Poll) -> None:
    with fresh_engine.connect() as connection:
        actions = list(connection.scalars(text("SELECT action FROM audit_entries")))
    assert not [a for a in actions if "cast" in a or "ballot" in a]
    assert "election.closed" in actions


def _physical_order(engine: Engine) -> list[uuid.UUID]:
    query = {
        "postgresql": "SELECT id FROM election_ballots ORDER BY ctid",
        "sqlite": "SELECT id FROM election_ballots",  # WITHOUT ROWID: the key's order
    }[engine.dialect.name]
    with engine.connect() as connection:
        return [uuid.UUID(str(v)) for v in connection.scalars(text(query))]
