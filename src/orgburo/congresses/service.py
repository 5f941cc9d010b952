"""Convening sittings and apportioning delegates.

A congress (or conference) is convened by a body; its lower organizations are the body's
open sub-bodies on the census date, less the elected organs. Each sends voting delegates
for its full members and consultative delegates for its candidates, by the congress's
norm (`orgburo.core.delegates`), counted by the census service. A plenum is a sitting of
an elected organ: no delegates, its full seat holders vote.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.census import service as census
from orgburo.congresses.models import SITTING_KINDS, Congress, DelegateQuota, ElectoralLink
from orgburo.core.delegates import Norm, delegates
from orgburo.core.tree import check_code
from orgburo.errors import Conflict, Invalid, NotFound


def get(session: Session, code: str) -> Congress | None:
    """The sitting with this code, if any."""
    return session.scalar(select(Congress).where(Congress.code == code))


def get_or_raise(session: Session, code: str, field: str = "congress") -> Congress:
    """The sitting with this code, or NotFound naming the field."""
    congress = get(session, code)
    if congress is None:
        raise NotFound(f"{field}: no congress, conference or plenum has the code {code!r}")
    return congress


def require_read(session: Session, actor: Actor, congress: Congress) -> None:
    """PermissionDenied unless the actor may read the convening body."""
    access.require_read_body(session, actor, _body(session, congress), "congress")


def require_change(session: Session, actor: Actor, congress: Congress) -> None:
    """PermissionDenied unless the actor may change the convening body (its sittings,
    their delegates and elections)."""
    access.require_change_body(session, actor, _body(session, congress), "congress")


def _body(session: Session, congress: Congress) -> Body:
    body = session.get(Body, congress.body_id)
    assert body is not None
    return body


def all_sittings(session: Session) -> Sequence[Congress]:
    """Every sitting, latest first."""
    return session.scalars(select(Congress).order_by(Congress.opens_on.desc(), Congress.code)).all()


def norm_of(congress: Congress, consultative: bool = False) -> Norm | None:
    """The congress's norm for voting (or consultative) delegates, if it has one."""
    value = congress.consultative_norm if consultative else congress.voting_norm
    if congress.norm is None or value is None:
        return None
    return Norm(congress.norm, value, congress.method or "hamilton")


def create(
    session: Session,
    *,
    code: str,
    name: str,
    kind: str,
    body_code: str,
    opens_on: date,
    actor: Actor,
    closes_on: date | None = None,
    norm: Norm | None = None,
    consultative_norm: int | None = None,
) -> Congress:
    """Convene a congress or conference of `body_code`, or a plenum of the organ `body_code`."""
    body = bodies.get_or_raise(session, body_code)
    access.require_change_body(session, actor, body)
    check_code(code)
    _check_sitting(kind, name, opens_on, closes_on, norm)
    if get(session, code) is not None:
        raise Conflict(f"code: a sitting with the code {code!r} already exists")
    congress = Congress(
        code=code,
        name=name.strip(),
        kind=kind,
        body_id=body.id,
        opens_on=opens_on,
        closes_on=closes_on,
        norm=norm.kind if norm else None,
        voting_norm=norm.value if norm else None,
        consultative_norm=consultative_norm if norm else None,
        method=norm.method if norm else None,
    )
    session.add(congress)
    session.flush()
    _audit(session, actor, "congress.convened", congress, describe(congress))
    return congress


def _check_sitting(
    kind: str, name: str, opens_on: date, closes_on: date | None, norm: Norm | None
) -> None:
    if kind not in SITTING_KINDS:
        raise Invalid.one("kind", f"{kind!r} is not one of {', '.join(SITTING_KINDS)}")
    if not name.strip():
        raise Invalid.one("name", "must not be empty")
    if closes_on is not None and closes_on < opens_on:
        raise Invalid.one("closes_on", f"{closes_on} is before the opening ({opens_on})")
    if kind == "plenum" and norm is not None:
        raise Invalid.one("norm", "a plenum has no delegates: its full seat holders sit")


def describe(congress: Congress) -> dict[str, object]:
    """The sitting's fields, as the audit trail records them."""
    return {
        "code": congress.code,
        "name": congress.name,
        "kind": congress.kind,
        "body_id": congress.body_id,
        "opens_on": congress.opens_on,
        "closes_on": congress.closes_on,
        "norm": congress.norm,
        "voting_norm": congress.voting_norm,
        "consultative_norm": congress.consultative_norm,
        "method": congress.method,
    }


def lower_organizations(session: Session, congress: Congress, on: date) -> list[Body]:
    """The convening body's sub-bodies open on `on`, less the organs the chain elects."""
    organs = select(ElectoralLink.organ_id).where(ElectoralLink.organ_id.is_not(None))
    query = select(Body).where(
        Body.parent_id == congress.body_id,
        Body.opened_on <= on,
        (Body.closed_on.is_(None)) | (Body.closed_on > on),
        Body.id.not_in(organs),
    )
    return list(session.scalars(query.order_by(Body.code)))


def apportion(
    session: Session, *, code: str, actor: Actor, census_on: date | None = None
) -> list[DelegateQuota]:
    """Set each lower organization's delegates by the norm, from the census on `census_on`.

    The census date defaults to the opening day, or today if the congress is still ahead.
    Quotas set before are replaced.
    """
    congress = get_or_raise(session, code)
    require_change(session, actor, congress)
    voting = norm_of(congress)
    if voting is None:
        raise Invalid.one("norm", f"{code!r} has no delegate norm (a plenum has no delegates)")
    on = census_on or min(congress.opens_on, date.today())
    organizations = lower_organizations(session, congress, on)
    if not organizations:
        raise Invalid.one("body", "the convening body has no sub-bodies to send delegates")
    counts = [_members(session, body, on, actor) for body in organizations]
    quotas = _quotas(congress, organizations, counts, voting)
    session.execute(delete(DelegateQuota).where(DelegateQuota.congress_id == congress.id))
    session.add_all(quotas)
    congress.census_on = on
    session.flush()
    after = {"census_on": on, "voting": sum(q.voting for q in quotas)}
    _audit(session, actor, "congress.apportioned", congress, after)
    return quotas


def _members(session: Session, body: Body, on: date, actor: Actor) -> tuple[int, int]:
    composition = census.census(session, body_code=body.code, by=["status"], at=on, actor=actor)
    return composition.count("full"), composition.count("candidate")


def _quotas(
    congress: Congress, organizations: list[Body], counts: list[tuple[int, int]], voting: Norm
) -> list[DelegateQuota]:
    full = delegates([c[0] for c in counts], voting)
    consultative_norm = norm_of(congress, consultative=True)
    if consultative_norm is None:
        advisory = tuple(0 for _ in counts)
    else:
        advisory = delegates([c[1] for c in counts], consultative_norm)
    return [
        DelegateQuota(
            congress_id=congress.id,
            body_id=body.id,
            full_members=n_full,
            candidates=n_cand,
            voting=v,
            consultative=c,
        )
        for body, (n_full, n_cand), v, c in zip(organizations, counts, full, advisory, strict=True)
    ]


def quotas(session: Session, congress: Congress) -> Sequence[tuple[DelegateQuota, Body]]:
    """The congress's quotas with their organizations, by organization code."""
    query = (
        select(DelegateQuota, Body)
        .join(Body, Body.id == DelegateQuota.body_id)
        .where(DelegateQuota.congress_id == congress.id)
        .order_by(Body.code)
    )
    return [(q, b) for q, b in session.execute(query)]


def _audit(
    session: Session, actor: Actor, action: str, congress: Congress, after: dict[str, object]
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("congress", congress.code),
        after=after,
        body_id=congress.body_id,
    )
