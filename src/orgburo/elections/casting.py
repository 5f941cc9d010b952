"""Casting a ballot with a one-time credential, and the receipt the voter keeps.

In one transaction: the credential is marked used (a primary key, so a second use fails
even when two arrive at once) and the ballot goes into the box under a fresh random id,
with nothing that names the voter or the time. The voter gets a receipt code, a hash of
the ballot's id and a random nonce that is shown to them and then forgotten, with which
they find their ballot in the published box. Only open (named) votes record the voter,
in a table of their own.

No audit entry is written per ballot: an entry names its actor and time, and on
PostgreSQL it would also share the ballot's transaction id; the opening and the closing
of the poll are audited with their counts instead (docs/ballot-secrecy.md).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.core.ballot_box import Paper, check_marks, group, marks_text, receipt_code
from orgburo.elections import credentials
from orgburo.elections.models import (
    Ballot,
    Credential,
    CredentialUse,
    Election,
    NamedVote,
    Nomination,
)
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members.models import Person

RECEIPT_LENGTH = 20  # hex digits: 80 bits


@dataclass(frozen=True)
class Receipt:
    """What the voter takes away: the receipt code (hex, grouped) and the secret nonce that,
    with the ballot's published id, proves the receipt belongs to that ballot."""

    election: str
    code: str
    nonce: str


# Papers of open polls, which cannot change until the poll closes. The key carries the
# opening time so that a key is never reused for another paper.
_OPEN_PAPERS: dict[tuple[int, str, str], Paper] = {}


def paper(session: Session, election: Election) -> Paper:
    """The ballot paper: method, candidates in order, and the seats they can fill."""
    key = (election.id, election.code, str(election.opened_at))
    if election.status == "open" and key in _OPEN_PAPERS:
        return _OPEN_PAPERS[key]
    query = select(Nomination.label).where(Nomination.election_id == election.id)
    names = tuple(session.scalars(query.order_by(Nomination.position)))
    found = Paper(election.method, names, max(1, min(election.seats, len(names))))
    if election.status == "open":
        if len(_OPEN_PAPERS) > 1000:
            _OPEN_PAPERS.clear()
        _OPEN_PAPERS[key] = found
    return found


def open_election(session: Session, code: str) -> Election:
    """The election, if its poll is open now (checked again after the ballot is written)."""
    query = select(Election).where(Election.code == code)
    election = session.scalar(query.execution_options(populate_existing=True))
    if election is None:
        raise NotFound(f"election: no election has the code {code!r}")
    check_open(election)
    return election


def check_open(election: Election) -> None:
    """Conflict unless the poll is open and its closing time, if any, has not passed."""
    if election.status == "draft":
        raise Conflict(f"election: the poll of {election.code!r} has not opened yet")
    if election.status != "open":
        raise Conflict(f"election: the poll of {election.code!r} is closed; no ballot is accepted")
    closes_at = election.closes_at
    if closes_at is not None:
        closes_at = closes_at if closes_at.tzinfo else closes_at.replace(tzinfo=UTC)
        if credentials.now() >= closes_at:
            when = closes_at.isoformat(timespec="minutes")
            raise Conflict(f"election: the poll of {election.code!r} closed at {when}")


def check_credential(session: Session, election: Election, token: str) -> Credential:
    """The live, unused credential `token` opens; the reason otherwise."""
    found = credentials.find_with_use(session, election, token)
    if found is None:
        raise Invalid.one("credential", f"is not a valid credential for {election.code!r}")
    credential, used = found
    if used:
        raise Conflict(_USED)
    return credential


_USED = "credential: has already been used; each credential votes once"


def cast(
    session: Session,
    *,
    code: str,
    credential: str,
    marks: Sequence[str],
    actor: Actor,
    spoil: bool = False,
) -> Receipt:
    """Put one ballot in the box and mark the credential used, atomically.

    A poll closing meanwhile either waits for this ballot or makes it fail
    (`_recheck_open`); a second use of the credential fails on the primary key.
    """
    del actor  # the credential is the voter's authority; see the module docstring
    election = open_election(session, code)
    held = check_credential(session, election, credential)
    positions = _checked_marks(session, election, marks, spoil)
    ballot_id, nonce = uuid.uuid4(), secrets.token_bytes(16)
    receipt = receipt_code(ballot_id, nonce)[:RECEIPT_LENGTH]
    text = "" if spoil else marks_text(positions)
    session.add(CredentialUse(credential_id=held.id))
    session.add(
        Ballot(id=ballot_id, election_id=election.id, marks=text, spoiled=spoil, receipt=receipt)
    )
    if election.mode == "open":
        _name_voter(session, ballot_id, held.person_id)
    try:
        session.flush()  # the use's primary key refuses a second use, even a concurrent one
    except IntegrityError:
        raise Conflict(_USED) from None
    _recheck_open(session, election)
    return Receipt(election.code, group(receipt), nonce.hex())


def _recheck_open(session: Session, election: Election) -> None:
    """Check the close again, now that our ballot is written.

    Closing a poll first locks the box against writers (SQLite: the write lock;
    PostgreSQL: the ballots table in SHARE mode), so either our ballot was written before
    the close began, and the close waits for our commit and counts it, or the close has
    committed by now and this check refuses the ballot. No lock on the election row is
    needed, so casts do not queue behind one another.
    """
    session.refresh(election)
    check_open(election)


def _checked_marks(
    session: Session, election: Election, marks: Sequence[str], spoil: bool
) -> tuple[int, ...]:
    if spoil:
        if marks:
            raise Invalid.one("marks", "a spoiled ballot carries no marks")
        return ()
    return check_marks(paper(session, election), marks)


def _name_voter(session: Session, ballot_id: uuid.UUID, person_id: int) -> None:
    person = session.get(Person, person_id)
    assert person is not None
    session.add(NamedVote(ballot_id=ballot_id, person_id=person.id, voter_name=person.name))
