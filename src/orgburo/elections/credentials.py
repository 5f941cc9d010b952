"""One-time voting credentials, who may stand, and sealing the box when the poll closes.

A credential is 120 random bits written as 24 letters and digits (in groups of four on
the slip). Only its SHA-256 is stored, with the person it was issued to: the store can
say who holds a credential and whether it was used, never what it was used for, because
a ballot carries no reference to it.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, delete, insert, select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.congresses import service as congresses
from orgburo.congresses.delegates import member_statuses
from orgburo.congresses.models import Congress
from orgburo.core.ballot_box import group
from orgburo.elections.models import Ballot, Credential, CredentialUse, Election, NamedVote
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.models import Person
from orgburo.offices import seats

TOKEN_BYTES = 15


@dataclass(frozen=True)
class Issued:
    """A credential as handed to its voter: shown once, never stored in the clear."""

    person: Person
    credential: str


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def new_token() -> str:
    """24 random base32 characters (120 bits)."""
    return base64.b32encode(secrets.token_bytes(TOKEN_BYTES)).decode("ascii")


def normal(token: str) -> str:
    """A credential as typed: case, spaces and dashes do not matter."""
    return "".join(c for c in token.upper() if c.isalnum())


def digest(token: str) -> str:
    """What the store keeps of a credential."""
    return hashlib.sha256(normal(token).encode("ascii", "replace")).hexdigest()


def issue(session: Session, election: Election, people: Sequence[Person]) -> list[Issued]:
    """A new live credential for each person in `election`, written in one batch."""
    tokens = [new_token() for _ in people]
    session.add_all(
        Credential(election_id=election.id, person_id=p.id, digest=digest(t))
        for p, t in zip(people, tokens, strict=True)
    )
    session.flush()
    return [Issued(p, group(t)) for p, t in zip(people, tokens, strict=True)]


def find(session: Session, election: Election, token: str) -> Credential | None:
    """The live credential of this election that `token` opens, if any."""
    query = select(Credential).where(
        Credential.digest == digest(token),
        Credential.election_id == election.id,
        Credential.revoked.is_(False),
    )
    return session.scalar(query)


def find_with_use(
    session: Session, election: Election, token: str
) -> tuple[Credential, bool] | None:
    """The live credential `token` opens and whether it was used, in one query."""
    query = (
        select(Credential, CredentialUse.credential_id)
        .outerjoin(CredentialUse, CredentialUse.credential_id == Credential.id)
        .where(
            Credential.digest == digest(token),
            Credential.election_id == election.id,
            Credential.revoked.is_(False),
        )
    )
    row = session.execute(query).first()
    return None if row is None else (row[0], row[1] is not None)


def used(session: Session, credential: Credential) -> bool:
    """Whether the credential has been used to vote."""
    return session.get(CredentialUse, credential.id) is not None


def reissue(session: Session, *, election: Election, person_id: str, actor: Actor) -> Issued:
    """Revoke a voter's unused credential (lost slip) and issue a new one."""
    congress = session.get(Congress, election.congress_id)
    assert congress is not None
    congresses.require_change(session, actor, congress)
    if election.status != "open":
        raise Conflict(f"election: {election.code!r} is {election.status}, not open")
    person = members.get_or_raise(session, person_id, "person")
    query = select(Credential).where(
        Credential.election_id == election.id,
        Credential.person_id == person.id,
        Credential.revoked.is_(False),
    )
    old = session.scalar(query)
    if old is None:
        raise Invalid.one("person", f"{person_id!r} is not entitled to vote in {election.code!r}")
    if used(session, old):
        raise Conflict(f"person: {person_id!r} has already voted in {election.code!r}")
    old.revoked = True
    session.flush()
    issued = issue(session, election, [person])[0]
    audit.record(
        session,
        actor=actor,
        action="election.credential_reissued",
        target=("election", election.code),
        after={"person": person.external_id},
        person_id=person.id,
    )
    return issued


def eligible_candidate(
    session: Session, election: Election, congress: Congress, person_id: str
) -> Person:
    """The person, if they may stand: a plenum elects from its organ's seat holders, a
    congress from the full members of its organization on the day of the election."""
    person = members.get_or_raise(session, person_id, "person")
    body = session.get(Body, congress.body_id)
    assert body is not None
    on = election.held_on
    if congress.kind == "plenum":
        held = {s.person_id for s in seats.holders_on(session, body, on)}
        if person.id not in held:
            reason = f"holds no seat on {body.code} on {on}: a plenum elects from its members"
            raise Invalid.one("person", f"{person_id!r} {reason}")
    elif "full" not in member_statuses(session, person, body, on):
        raise Invalid.one("person", f"{person_id!r} is not a full member of {body.code} on {on}")
    return person


def seal_box(session: Session, election: Election) -> int:
    """Rewrite the box in the order of its random ids, in this one transaction.

    On PostgreSQL rows lie in the order they were written and carry the id of the
    transaction that wrote them, which is also the transaction that marked the voter's
    credential used. Deleting and writing every ballot again, in id order, leaves rows in
    random order, all written by this transaction. The set of used credentials is
    rewritten in credential order the same way. Returns the number of ballots.
    """
    in_box = select(Ballot.id).where(Ballot.election_id == election.id)
    ballots = [row._asdict() for row in session.execute(_columns(Ballot, in_box))]
    named = [row._asdict() for row in session.execute(_columns(NamedVote, in_box))]
    issued = select(Credential.id).where(Credential.election_id == election.id)
    query = select(CredentialUse.credential_id).where(CredentialUse.credential_id.in_(issued))
    uses = [{"credential_id": c} for c in session.scalars(query.order_by("credential_id"))]
    options = {"synchronize_session": False}
    for table, where in (
        (NamedVote, NamedVote.ballot_id.in_(in_box)),
        (Ballot, Ballot.election_id == election.id),
        (CredentialUse, CredentialUse.credential_id.in_(issued)),
    ):
        session.execute(delete(table).where(where), execution_options=options)
    for table, rows in ((Ballot, ballots), (NamedVote, named), (CredentialUse, uses)):
        if rows:
            session.execute(insert(table), rows)
    session.expire_all()
    return len(ballots)


def _columns(table: type[Ballot] | type[NamedVote], in_box: Select[Any]) -> Select[Any]:
    """Every column of the box's rows of `table`, in ballot-id order."""
    key = table.id if table is Ballot else table.ballot_id  # type: ignore[union-attr]
    columns = [getattr(table, c.key) for c in table.__table__.columns]
    return select(*columns).where(key.in_(in_box)).order_by(key)
