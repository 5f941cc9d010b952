"""Elections at a sitting: create, nominate, open the poll (issuing credentials), close it.

The life of an election: `draft` (nominations), `open` (the ballot paper is fixed, every
voter holds a one-time credential), `closed` (no more ballots; the box is sealed and
published) and `counted`. Casting is in `casting`, the box in `box`, the count in
`counting`. Services add and flush; the caller's unit of work commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.congresses import chain
from orgburo.congresses import service as congresses
from orgburo.congresses.delegates import electorate
from orgburo.congresses.models import Congress, ElectoralLink
from orgburo.core.ballot_box import METHODS, one_line
from orgburo.core.tree import check_code
from orgburo.elections import credentials
from orgburo.elections.models import MODES, Credential, CredentialUse, Election, Nomination
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members import service as members
from orgburo.offices import seats as organ_seats
from orgburo.offices import service as offices
from orgburo.offices.models import Office

MAX_SEED = 2**31 - 1


def get(session: Session, code: str) -> Election | None:
    """The election with this code, if any."""
    return session.scalar(select(Election).where(Election.code == code))


def get_or_raise(session: Session, code: str, field: str = "election") -> Election:
    """The election with this code, or NotFound naming the field."""
    election = get(session, code)
    if election is None:
        raise NotFound(f"{field}: no election has the code {code!r}")
    return election


def require_change(session: Session, actor: Actor, election: Election) -> None:
    """PermissionDenied unless the actor may change the body whose sitting holds the
    election (its nominations, poll, credentials and count)."""
    congress = session.get(Congress, election.congress_id)
    assert congress is not None
    congresses.require_change(session, actor, congress)


def of_congress(session: Session, congress: Congress) -> Sequence[Election]:
    """The elections of a sitting, in order of creation."""
    query = select(Election).where(Election.congress_id == congress.id)
    return session.scalars(query.order_by(Election.id)).all()


def all_elections(session: Session) -> Sequence[Election]:
    """Every election, latest first."""
    return session.scalars(select(Election).order_by(Election.id.desc())).all()


@dataclass(frozen=True)
class Terms:
    """What an election fills and how: the rules fixed when it is created."""

    method: str
    seats: int = 1
    mode: str = "secret"
    organ_code: str | None = None
    office_code: str | None = None
    seat_kind: str = "full"
    quorum: tuple[int, int] = (1, 2)
    seed: int | None = None
    held_on: date | None = None
    closes_at: datetime | None = None


def create(
    session: Session, *, code: str, title: str, congress_code: str, terms: Terms, actor: Actor
) -> Election:
    """A new election at a sitting; the seed of the lot is drawn now unless given, and recorded."""
    congress = congresses.get_or_raise(session, congress_code)
    congresses.require_change(session, actor, congress)
    check_code(code)
    _check_terms(terms)
    if not title.strip():
        raise Invalid.one("title", "must not be empty")
    if get(session, code) is not None:
        raise Conflict(f"code: an election with the code {code!r} already exists")
    organ = bodies.get_or_raise(session, terms.organ_code, "organ") if terms.organ_code else None
    office = offices.get_or_raise(session, terms.office_code) if terms.office_code else None
    election = Election(
        code=code,
        title=title.strip(),
        congress_id=congress.id,
        method=terms.method,
        seats=terms.seats,
        mode=terms.mode,
        organ_id=organ.id if organ else None,
        office_id=office.id if office else None,
        seat_kind=terms.seat_kind,
        quorum_num=terms.quorum[0],
        quorum_den=terms.quorum[1],
        seed=secrets.randbelow(MAX_SEED) if terms.seed is None else terms.seed,
        held_on=terms.held_on or congress.opens_on,
        closes_at=terms.closes_at,
        status="draft",
    )
    session.add(election)
    session.flush()
    _audit(session, actor, "election.created", election, describe(election))
    return election


def _check_terms(terms: Terms) -> None:
    if terms.method not in METHODS:
        raise Invalid.one("method", f"{terms.method!r} is not one of {', '.join(METHODS)}")
    if terms.mode not in MODES:
        raise Invalid.one("mode", f"{terms.mode!r} is not one of {', '.join(MODES)}")
    if terms.seats < 1:
        raise Invalid.one("seats", f"must be 1 or more, not {terms.seats}")
    if terms.seats != 1 and (terms.method == "irv" or terms.office_code):
        raise Invalid.one("seats", "instant runoff and offices fill exactly one seat")
    if terms.organ_code and terms.office_code:
        raise Invalid.one("office", "an election fills an organ's seats or an office, not both")
    organ_seats.check_kind(terms.seat_kind)
    num, den = terms.quorum
    if not (0 <= num < den):
        raise Invalid.one("quorum", f"must be a fraction from 0 to below 1, not {num}/{den}")
    if terms.seed is not None and not 0 <= terms.seed <= MAX_SEED:
        raise Invalid.one("seed", f"must be between 0 and {MAX_SEED}")


def describe(election: Election) -> dict[str, object]:
    """The election's rules and state, as the audit trail records them."""
    return {
        "code": election.code,
        "title": election.title,
        "method": election.method,
        "seats": election.seats,
        "mode": election.mode,
        "seat_kind": election.seat_kind,
        "quorum": f"{election.quorum_num}/{election.quorum_den}",
        "seed": election.seed,
        "held_on": election.held_on,
        "status": election.status,
    }


def from_chain(session: Session, *, congress_code: str, actor: Actor) -> list[Election]:
    """Create the elections the chain gives this sitting (those not created already)."""
    congress = congresses.get_or_raise(session, congress_code)
    congresses.require_change(session, actor, congress)
    links = chain.links_for(session, congress)
    if not links:
        raise Invalid.one("congress", f"the chain gives {congress.code!r} nothing to elect")
    made = []
    for link in links:
        organ = session.get(Body, link.organ_id) if link.organ_id else None
        office = session.get(Office, link.office_id) if link.office_id else None
        code, title = _chain_name(congress, link, organ, office)
        if get(session, code) is not None:
            continue
        terms = Terms(
            method=link.method,
            seats=link.seats,
            mode=link.mode,
            organ_code=organ.code if organ else None,
            office_code=office.code if office else None,
            seat_kind=link.seat_kind,
        )
        made.append(
            create(
                session,
                code=code,
                title=title,
                congress_code=congress.code,
                terms=terms,
                actor=actor,
            )
        )
    return made


def _chain_name(
    congress: Congress, link: ElectoralLink, organ: Body | None, office: Office | None
) -> tuple[str, str]:
    """`SITTING.OFFICE` or `SITTING.ORGAN` (`-CAND` for candidate seats), and a title."""
    if office is not None:
        return f"{congress.code}.{office.code}", office.title
    assert organ is not None
    if link.seat_kind == "full":
        return f"{congress.code}.{organ.code}", f"{organ.name}: members"
    return f"{congress.code}.{organ.code}-CAND", f"{organ.name}: candidate members"


def nominations(session: Session, election: Election) -> Sequence[Nomination]:
    """The candidates in ballot-paper order."""
    query = select(Nomination).where(Nomination.election_id == election.id)
    return session.scalars(query.order_by(Nomination.position)).all()


def nominate(
    session: Session, *, code: str, person_id: str, actor: Actor, nominated_by: str | None = None
) -> Nomination:
    """Put a person on the ballot paper; only while the election is a draft."""
    election = _draft(session, code, actor)
    congress = session.get(Congress, election.congress_id)
    assert congress is not None
    person = credentials.eligible_candidate(session, election, congress, person_id)
    taken = {n.person_id: n for n in nominations(session, election)}
    if person.id in taken:
        raise Conflict(f"person: {person_id!r} is already nominated for {code!r}")
    labels = {n.label for n in taken.values()}
    name = one_line(person.name)
    label = name if name not in labels else f"{name} ({person.external_id})"
    nomination = Nomination(
        election_id=election.id,
        person_id=person.id,
        position=len(taken) + 1,
        label=label,
        nominated_by=nominated_by or actor.name,
    )
    session.add(nomination)
    session.flush()
    after = {"person": person.external_id, "position": nomination.position}
    _audit(session, actor, "election.nominated", election, after)
    return nomination


def withdraw(session: Session, *, code: str, person_id: str, actor: Actor) -> None:
    """Take a candidate off the ballot paper before the poll opens; the rest move up."""
    election = _draft(session, code, actor)
    person = members.get_or_raise(session, person_id, "person")
    listed = list(nominations(session, election))
    gone = next((n for n in listed if n.person_id == person.id), None)
    if gone is None:
        raise NotFound(f"person: {person_id!r} is not nominated for {code!r}")
    session.delete(gone)
    session.flush()
    for position, nomination in enumerate((n for n in listed if n is not gone), start=1):
        nomination.position = position
    session.flush()
    _audit(session, actor, "election.withdrawn", election, {"person": person_id})


def _draft(session: Session, code: str, actor: Actor) -> Election:
    election = get_or_raise(session, code)
    require_change(session, actor, election)
    if election.status != "draft":
        raise Conflict(f"election: {code!r} is {election.status}; nominations closed at opening")
    return election


def open_poll(session: Session, *, code: str, actor: Actor) -> list[credentials.Issued]:
    """Fix the ballot paper and issue one credential to each voter; returns them, once."""
    election = _draft(session, code, actor)
    if not nominations(session, election):
        raise Invalid.one("nominations", f"{code!r} has no candidates")
    congress = session.get(Congress, election.congress_id)
    assert congress is not None
    voters = electorate(session, congress)
    if not voters:
        raise Invalid.one("electorate", f"{congress.code!r} has nobody entitled to vote")
    issued = credentials.issue(session, election, voters)
    election.status, election.opened_at = "open", credentials.now()
    session.flush()
    _audit(session, actor, "election.opened", election, {"credentials": len(issued)})
    return issued


def close_poll(session: Session, *, code: str, actor: Actor) -> int:
    """Stop the poll, seal the box; returns the number of ballots cast.

    The box is first locked against writers, so ballots being cast either commit before
    the close and are sealed in, or are refused (see `casting.cast`).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE election_ballots IN SHARE MODE"))
    election = lock(session, code)
    require_change(session, actor, election)
    if election.status != "open":
        raise Conflict(f"election: {code!r} is {election.status}, not open")
    election.status, election.closed_at = "closed", credentials.now()
    session.flush()
    cast = credentials.seal_box(session, election)
    _audit(session, actor, "election.closed", election, {"ballots": cast})
    return cast


def lock(session: Session, code: str) -> Election:
    """The election, locked against casting (PostgreSQL FOR UPDATE; SQLite has one writer)."""
    query = select(Election).where(Election.code == code).with_for_update()
    election = session.scalar(query.execution_options(populate_existing=True))
    if election is None:
        raise NotFound(f"election: no election has the code {code!r}")
    return election


def turnout(session: Session, election: Election) -> tuple[int, int]:
    """(voters who have voted, voters entitled)."""
    live = select(func.count()).where(
        Credential.election_id == election.id, Credential.revoked.is_(False)
    )
    used = (
        select(func.count())
        .select_from(CredentialUse)
        .join(Credential, Credential.id == CredentialUse.credential_id)
        .where(Credential.election_id == election.id)
    )
    return session.scalar(used) or 0, session.scalar(live) or 0


def _audit(
    session: Session, actor: Actor, action: str, election: Election, after: dict[str, object]
) -> None:
    audit.record(
        session, actor=actor, action=action, target=("election", election.code), after=after
    )
