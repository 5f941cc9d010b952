"""Delegates and their credentials, and who sits and votes at a sitting.

The credentials check accepts a delegate who, per the registry on the day the sitting
opens, was a member of the organization that elected them (a membership spell covering
that day, in a body then in the organization's subtree): a full member for a voting
mandate, a full member or candidate for a consultative one. Delegates beyond their
organization's quota are rejected in the order they were registered.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.congresses import service as congresses
from orgburo.congresses.models import VOTES, Congress, Delegate, DelegateQuota
from orgburo.errors import Conflict, Invalid
from orgburo.members import service as members
from orgburo.members.models import Membership, Person
from orgburo.offices import seats


def add(
    session: Session,
    *,
    code: str,
    person_id: str,
    organization: str,
    vote: str,
    actor: Actor,
) -> Delegate:
    """Register a delegate elected by `organization`, pending the credentials check."""
    congress = congresses.get_or_raise(session, code)
    congresses.require_change(session, actor, congress)
    if congress.kind == "plenum":
        raise Invalid.one("congress", "a plenum has no delegates: its full seat holders sit")
    if vote not in VOTES:
        raise Invalid.one("vote", f"{vote!r} is not one of {', '.join(VOTES)}")
    person = members.get_or_raise(session, person_id, "person")
    body = bodies.get_or_raise(session, organization, "organization")
    if _delegate(session, congress, person) is not None:
        raise Conflict(f"person: {person_id!r} is already a delegate to {code!r}")
    delegate = Delegate(congress_id=congress.id, person_id=person.id, body_id=body.id, vote=vote)
    session.add(delegate)
    session.flush()
    after: dict[str, object] = {
        "person": person.external_id,
        "organization": body.code,
        "vote": vote,
    }
    _audit(session, actor, "congress.delegate_added", congress, after, person.id)
    return delegate


def _delegate(session: Session, congress: Congress, person: Person) -> Delegate | None:
    query = select(Delegate).where(
        Delegate.congress_id == congress.id, Delegate.person_id == person.id
    )
    return session.scalar(query)


def roll(session: Session, *, code: str, actor: Actor) -> Sequence[tuple[Delegate, Person, Body]]:
    """The delegates of a sitting, for whoever may read the convening body."""
    congress = congresses.get_or_raise(session, code)
    congresses.require_read(session, actor, congress)
    return listing(session, congress)


def listing(session: Session, congress: Congress) -> Sequence[tuple[Delegate, Person, Body]]:
    """The delegates with their persons and organizations, in order of registration."""
    query = (
        select(Delegate, Person, Body)
        .join(Person, Person.id == Delegate.person_id)
        .join(Body, Body.id == Delegate.body_id)
        .where(Delegate.congress_id == congress.id)
        .order_by(Delegate.id)
    )
    return [(d, p, b) for d, p, b in session.execute(query)]


def check_credentials(session: Session, *, code: str, actor: Actor) -> list[Delegate]:
    """Accept or reject every delegate of the congress, each with the reason."""
    congress = congresses.get_or_raise(session, code)
    congresses.require_change(session, actor, congress)
    limits = _limits(session, congress)
    used: Counter[tuple[int, str]] = Counter()
    checked = []
    for delegate, person, body in listing(session, congress):
        reason = _membership_problem(session, person, body, congress.opens_on, delegate.vote)
        if reason is None:
            reason = _quota_problem(limits, used, delegate, body)
        delegate.credentials = "rejected" if reason else "accepted"
        delegate.reason = reason
        checked.append(delegate)
    session.flush()
    accepted = sum(d.credentials == "accepted" for d in checked)
    after: dict[str, object] = {"accepted": accepted, "rejected": len(checked) - accepted}
    _audit(session, actor, "congress.credentials_checked", congress, after)
    return checked


def _limits(session: Session, congress: Congress) -> dict[tuple[int, str], int] | None:
    query = select(DelegateQuota).where(DelegateQuota.congress_id == congress.id)
    rows = session.scalars(query).all()
    if not rows:
        return None  # no quotas set: only membership is checked
    limits = {(q.body_id, "voting"): q.voting for q in rows}
    limits.update({(q.body_id, "consultative"): q.consultative for q in rows})
    return limits


def _quota_problem(
    limits: dict[tuple[int, str], int] | None,
    used: Counter[tuple[int, str]],
    delegate: Delegate,
    body: Body,
) -> str | None:
    if limits is None:
        return None
    key = (body.id, delegate.vote)
    allowed = limits.get(key)
    if allowed is None:
        return f"{body.code} has no delegate quota at this congress"
    if used[key] >= allowed:
        return f"over {body.code}'s quota of {allowed} {delegate.vote} delegates"
    used[key] += 1
    return None


def _membership_problem(
    session: Session, person: Person, body: Body, on: date, vote: str
) -> str | None:
    statuses = set(member_statuses(session, person, body, on))
    if not statuses:
        return f"not a member of {body.code} on {on}"
    if vote == "voting" and "full" not in statuses:
        return f"a candidate, not a full member, of {body.code} on {on}: consultative vote only"
    return None


def member_statuses(session: Session, person: Person, body: Body, on: date) -> Sequence[str]:
    """The person's statuses in spells covering `on` in bodies then under `body`."""
    query = (
        select(Membership.status)
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .where(
            Membership.person_id == person.id,
            Membership.started_on <= on,
            or_(Membership.ended_on.is_(None), Membership.ended_on > on),
            BodyLink.ancestor_id == body.id,
            *bodies.links_valid(on),
        )
    )
    return session.scalars(query).all()


def electorate(session: Session, congress: Congress) -> list[Person]:
    """Who votes at the sitting: accepted voting delegates, or a plenum's full seat holders."""
    if congress.kind == "plenum":
        organ = session.get(Body, congress.body_id)
        assert organ is not None
        held = seats.holders_on(session, organ, congress.opens_on, kind="full")
        ids = [s.person_id for s in held]
    else:
        query = select(Delegate.person_id).where(
            Delegate.congress_id == congress.id,
            Delegate.vote == "voting",
            Delegate.credentials == "accepted",
        )
        ids = list(session.scalars(query))
    if not ids:
        return []
    found = session.scalars(select(Person).where(Person.id.in_(ids)).order_by(Person.name_key))
    return list(found)


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    congress: Congress,
    after: dict[str, object],
    person_id: int | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("congress", congress.code),
        after=after,
        body_id=congress.body_id,
        person_id=person_id,
    )
