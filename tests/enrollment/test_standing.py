"""Recommenders' standing: the bulk path's SQL gives the one-at-a-time answer."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Column, Date, Integer, String, insert, select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.core.enrollment import standing_since, whole_months
from orgburo.enrollment.bulk_recommendations import standing
from orgburo.enrollment.columns import temporary
from orgburo.enrollment.recommendations import spells_of
from orgburo.members import service as members
from tests import factories

START = date(1918, 1, 1)


def history(session: Session, rng: random.Random, who: str) -> None:
    """A random life in the organization: admissions, confirmations, transfers, breaks."""
    on = START + timedelta(days=rng.randrange(300))
    body = rng.choice(["N1", "N2", "S1"])
    status = rng.choice(["candidate", "full"])
    members.admit(
        session, external_id=who, name=who, body_code=body, on=on, status=status, actor=SYSTEM
    )
    for _ in range(rng.randrange(4)):
        on += timedelta(days=rng.randrange(0, 400))
        step = rng.choice(["confirm", "transfer", "break"])
        spell = members.current_spell(session, members.get_or_raise(session, who))
        if step == "confirm" and spell is not None and spell.status == "candidate":
            members.confirm(session, external_id=who, on=on, actor=SYSTEM)
        elif step == "transfer" and spell is not None:
            target = rng.choice([b for b in ("N1", "N2", "S1") if b != body])
            members.transfer(session, external_id=who, to_body_code=target, on=on, actor=SYSTEM)
            body = target
        elif step == "break" and spell is not None:
            members.end(session, external_id=who, reason="left", on=on, actor=SYSTEM)
            on += timedelta(days=rng.randrange(1, 200))
            members.admit(
                session,
                external_id=who,
                name=who,
                body_code=body,
                on=on,
                status="full",
                actor=SYSTEM,
            )


def test_bulk_standing_equals_the_standing_of_one_member_at_a_time(session: Session) -> None:
    factories.small_tree(session)
    rng = random.Random(5)
    people = [f"P{i}" for i in range(25)]
    for who in people:
        history(session, rng, who)
    asked = [
        (i, who, START + timedelta(days=rng.randrange(2200))) for i, who in enumerate(people * 4)
    ]
    pairs = temporary(
        session,
        "asked_pairs",
        [Column("row", Integer), Column("recommender_id", String), Column("given_on", Date)],
    )
    session.execute(
        insert(pairs), [{"row": r, "recommender_id": w, "given_on": d} for r, w, d in asked]
    )
    rows = standing(session, select(pairs).subquery())
    found = {(r.row, r.since, r.months) for r in session.execute(select(rows))}
    spells = spells_of(session, [members.get_or_raise(session, who).id for who in people])
    expected = set()
    for row, who, on in asked:
        since = standing_since(spells.get(members.get_or_raise(session, who).id, []), on)
        expected.add((row, since, whole_months(since, on) if since else None))
    assert found == expected
