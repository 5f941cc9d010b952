"""The published ballot box: every ballot with its receipt, and the same box as a BLT file.

The box is published once the poll has closed (publishing it while votes come in would
show which ballot arrived when). Ballots are listed in the order of their random ids.
The BLT file holds one line per ballot that is not spoiled, in that order, and is the
very text the count reads: `orgburo tally` on it gives the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from orgburo.core.ballot_box import Paper, blt, group, normal_receipt, parse_marks_text
from orgburo.elections import service as elections
from orgburo.elections.casting import RECEIPT_LENGTH, paper
from orgburo.elections.models import Ballot, Election
from orgburo.errors import Conflict, Invalid, NotFound


@dataclass(frozen=True)
class Entry:
    """One published ballot: its id, receipt, the names marked (in order), spoiled or not."""

    ballot_id: str
    receipt: str
    marks: tuple[str, ...]
    spoiled: bool


def ballots(session: Session, election: Election) -> Sequence[Ballot]:
    """The election's ballots, in the order of their random ids (never insertion order)."""
    query = select(Ballot).where(Ballot.election_id == election.id).order_by(Ballot.id)
    return session.scalars(query).all()


def published(session: Session, code: str) -> Election:
    """The election, if its box may be published (the poll has closed)."""
    election = elections.get_or_raise(session, code)
    if election.status in ("draft", "open"):
        raise Conflict(f"election: the box of {code!r} is published when the poll closes")
    return election


def title(election: Election) -> str:
    """The title written into the BLT file."""
    return f"{election.title} ({election.code})"


def blt_text(session: Session, election: Election, the_paper: Paper | None = None) -> str:
    """The box as BLT: the ballots that are not spoiled, one line each, in id order."""
    lines = [b.marks for b in ballots(session, election) if not b.spoiled]
    return blt(the_paper or paper(session, election), lines, title(election))


def entries(session: Session, election: Election) -> list[Entry]:
    """Every ballot as published, spoiled ones included."""
    names = paper(session, election).candidates
    return [_entry(b, names) for b in ballots(session, election)]


def _entry(ballot: Ballot, names: tuple[str, ...]) -> Entry:
    marks = tuple(names[p] for p in parse_marks_text(ballot.marks))
    return Entry(ballot.id.hex, group(ballot.receipt), marks, ballot.spoiled)


def find_receipt(session: Session, *, code: str, receipt: str) -> Entry:
    """The ballot a receipt code points to; the voter checks its marks are theirs."""
    election = elections.get_or_raise(session, code)
    wanted = normal_receipt(receipt)
    if len(wanted) != RECEIPT_LENGTH:
        reason = f"must be {RECEIPT_LENGTH} hexadecimal digits, as printed on the receipt"
        raise Invalid.one("receipt", reason)
    query = select(Ballot).where(Ballot.election_id == election.id, Ballot.receipt == wanted)
    ballot = session.scalar(query)
    if ballot is None:
        raise NotFound(f"receipt: no ballot in the box of {code!r} has this receipt")
    return _entry(ballot, paper(session, election).candidates)


def vacuum(engine: Engine) -> None:
    """PostgreSQL: reclaim the row versions a close left behind (in the order of voting)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM election_ballots, election_credential_uses"))


def recount_command(election: Election) -> str:
    """The command that recounts the published BLT file."""
    return f"orgburo tally --method {election.method} --seed {election.seed} {election.code}.blt"
