"""Issuing decrees, ending kinds of mobilization, and reading decrees and endings back.

A decree is issued by a body for its own subtree (the scope is the issuing body or a body
under it, less the sub-bodies it excludes with their subtrees) by an actor who may change
the issuing body. Its rules, roles and destinations
are checked when it is issued, and every problem is reported at once. A decree that
falls under a kind of mobilization a body above its scope has ended is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.congresses.models import Congress
from orgburo.core.quotas import parse_share, share_text
from orgburo.errors import Conflict, Invalid, NotFound, Problem

from . import catalogs
from .criteria import role_lines, rule_catalog, subquotas
from .decree_checks import body_problems, spec_problems
from .models import (
    BASES,
    DESTINATION_KINDS,
    Decree,
    Destination,
    Ending,
    Exclusion,
    RoleLine,
    RoleType,
    SubQuota,
    ZoneShare,
)
from .specs import DecreeSpec


@dataclass(frozen=True)
class LineView:
    """A role line as read back: codes instead of ids."""

    position: int
    role: str
    role_name: str
    destination: str
    count: int
    requirement: str


@dataclass(frozen=True)
class EndingView:
    """A kind of mobilization ended: by which body, from when, the kind in words, why."""

    body: str
    from_on: date
    kind: str
    note: str


@dataclass(frozen=True)
class DecreeView:
    """A decree with its bodies, destination, quota details and role lines by code."""

    decree: Decree
    issuing_body: str
    scope: str
    excluded: tuple[str, ...]
    destination: str
    destination_kind: str
    zones: dict[str, str]
    congress: str | None
    subquotas: tuple[SubQuota, ...]
    lines: tuple[LineView, ...]


def get(session: Session, code: str) -> Decree | None:
    """The decree with this code, if any."""
    return session.scalar(select(Decree).where(Decree.code == code))


def get_or_raise(session: Session, code: str, field: str = "decree") -> Decree:
    """The decree with this code, or NotFound naming the field."""
    decree = get(session, code)
    if decree is None:
        raise NotFound(f"{field}: no decree has the code {code!r}")
    return decree


def scope_of(session: Session, decree: Decree) -> Body:
    """The body whose subtree the decree calls up from."""
    return session.get_one(Body, decree.scope_body_id)


def require_read(session: Session, actor: Actor, decree: Decree) -> None:
    """PermissionDenied unless the decree reaches into the actor's bodies: they read its
    scope, or their bodies lie inside it (where its members are called up)."""
    access.require_read_reach(session, actor, scope_of(session, decree), "decree")


def require_change(
    session: Session, actor: Actor, decree: Decree, body: Body | None = None
) -> None:
    """PermissionDenied unless the actor may change `body` (default the decree's scope)."""
    access.require_change_body(session, actor, body or scope_of(session, decree), "decree")


def view(session: Session, *, code: str, actor: Actor) -> DecreeView:
    """The decree with everything it was issued with, for `actor` to read."""
    decree = get_or_raise(session, code)
    require_read(session, actor, decree)
    return describe_view(session, decree)


def list_decrees(session: Session, *, actor: Actor) -> list[DecreeView]:
    """The decrees reaching into the actor's bodies, the latest first."""
    query = select(Decree).order_by(Decree.issued_on.desc(), Decree.code)
    found = session.scalars(query).all()
    visible = [d for d in found if access.may_read_reach(session, actor, d.scope_body_id)]
    return [describe_view(session, d) for d in visible]


def issue(session: Session, *, spec: DecreeSpec, actor: Actor) -> Decree:
    """Issue a decree; every rule, role and destination is checked now, all at once."""
    issuer = bodies.get_or_raise(session, spec.issuing_body, "issuing_body")
    access.require_change_body(session, actor, issuer, "issuing_body")
    problems, _ = body_problems(session, spec)
    problems += spec_problems(session, spec, rule_catalog(session))
    if problems:
        raise Invalid(problems)
    scope = bodies.get_or_raise(session, spec.scope or spec.issuing_body, "scope")
    destination = catalogs.destination(session, spec.destination)
    _refuse_ended(session, spec, scope, destination)
    if get(session, spec.code) is not None:
        raise Conflict(f"code: a decree with the code {spec.code!r} already exists")
    decree = _decree(session, spec, issuer, scope, destination)
    session.add(decree)
    session.flush()
    _add_parts(session, decree, spec)
    audit.record(
        session,
        actor=actor,
        action="mobilization.decree_issued",
        target=("decree", decree.code),
        after=describe(session, decree),
        body_id=issuer.id,
    )
    return decree


def _decree(
    session: Session, spec: DecreeSpec, issuer: Body, scope: Body, destination: Destination
) -> Decree:
    quota = spec.quota
    congress = None
    if quota.congress is not None:
        congress = session.scalar(select(Congress.id).where(Congress.code == quota.congress))
    share = quota.share if quota.share is not None else quota.default_share
    return Decree(
        code=spec.code,
        title=spec.title.strip(),
        issuing_body_id=issuer.id,
        scope_body_id=scope.id,
        issued_on=spec.issued_on,
        basis=spec.basis,
        destination_id=destination.id,
        term=spec.term,
        term_months=spec.term_months,
        quota_kind=quota.kind,
        total=quota.total,
        share=None if share is None else share_text(parse_share(share)),
        congress_id=congress,
        criteria=spec.criteria.strip(),
        exemptions=spec.exemptions.strip(),
        floor=0,
        shortfall_accepted=False,
    )


def _add_parts(session: Session, decree: Decree, spec: DecreeSpec) -> None:
    for code in spec.excluded:
        session.add(Exclusion(decree_id=decree.id, body_id=bodies.get_or_raise(session, code).id))
    for zone, share in spec.quota.zones.items():
        session.add(
            ZoneShare(
                decree_id=decree.id, zone=str(zone).strip(), share=share_text(parse_share(share))
            )
        )
    for i, sub in enumerate(spec.quota.subquotas):
        session.add(
            SubQuota(
                decree_id=decree.id,
                position=i,
                name=sub.name.strip(),
                rule=sub.rule.strip(),
                count=sub.count,
            )
        )
    for i, line in enumerate(spec.roles):
        where = catalogs.destination(session, line.destination) if line.destination else None
        session.add(
            RoleLine(
                decree_id=decree.id,
                position=i,
                role_id=catalogs.role(session, line.role).id,
                destination_id=where.id if where else decree.destination_id,
                count=line.count,
                requirement=line.requirement.strip(),
            )
        )
    session.flush()


# --- ending a kind of mobilization -------------------------------------------------------


def end_kind(
    session: Session,
    *,
    body_code: str,
    from_on: date,
    actor: Actor,
    destination: str | None = None,
    destination_kind: str | None = None,
    basis: str | None = None,
    note: str = "",
) -> Ending:
    """End, in the body's subtree from `from_on`, every decree matching the fields given."""
    body = bodies.get_or_raise(session, body_code)
    access.require_change_body(session, actor, body)
    problems = _kind_problems(session, destination, destination_kind, basis)
    if problems:
        raise Invalid(problems)
    target = catalogs.destination(session, destination) if destination else None
    ending = Ending(
        body_id=body.id,
        from_on=from_on,
        destination_id=target.id if target else None,
        destination_kind=destination_kind,
        basis=basis,
        note=note.strip()[:500],
    )
    session.add(ending)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="mobilization.kind_ended",
        target=("ending", ending.id),
        after=_ending_fields(ending, destination),
        body_id=body.id,
    )
    return ending


def _kind_problems(
    session: Session, destination: str | None, kind: str | None, basis: str | None
) -> list[Problem]:
    problems = []
    if (
        destination is not None
        and session.scalar(select(Destination.id).where(Destination.code == destination)) is None
    ):
        problems.append(Problem("destination", f"no destination has the code {destination!r}"))
    if kind is not None and kind not in DESTINATION_KINDS:
        problems.append(
            Problem("destination_kind", f"{kind!r} is not one of {', '.join(DESTINATION_KINDS)}")
        )
    if basis is not None and basis not in BASES:
        problems.append(Problem("basis", f"{basis!r} is not one of {', '.join(BASES)}"))
    return problems


def endings(session: Session) -> Sequence[Ending]:
    """Every kind of mobilization ended, the earliest first."""
    return session.scalars(select(Ending).order_by(Ending.from_on, Ending.id)).all()


def list_endings(session: Session, *, actor: Actor) -> list[EndingView]:
    """The kinds ended by bodies reaching into the actor's bodies (theirs and those above
    them, whose endings bind them), the earliest first."""
    found = [e for e in endings(session) if access.may_read_reach(session, actor, e.body_id)]
    return [_ending_view(session, e) for e in found]


def _ending_view(session: Session, ending: Ending) -> EndingView:
    body = session.get_one(Body, ending.body_id).code
    return EndingView(body, ending.from_on, describe_kind(session, ending), ending.note)


def _refuse_ended(
    session: Session, spec: DecreeSpec, scope: Body, destination: Destination
) -> None:
    for ending in endings(session):
        if ending.from_on <= spec.issued_on and _covers(session, ending, scope, destination, spec):
            raise Invalid([Problem("issued_on", _ended_reason(session, ending))])


def _covers(
    session: Session, ending: Ending, scope: Body, destination: Destination, spec: DecreeSpec
) -> bool:
    return (
        (ending.destination_id is None or ending.destination_id == destination.id)
        and (ending.destination_kind is None or ending.destination_kind == destination.kind)
        and (ending.basis is None or ending.basis == spec.basis)
        and access.in_subtree(session, scope.id, [ending.body_id])
    )


def _ended_reason(session: Session, ending: Ending) -> str:
    body = session.get_one(Body, ending.body_id)
    kind = describe_kind(session, ending)
    note = f" ({ending.note})" if ending.note else ""
    return f"{body.code!r} ended {kind} in its subtree from {ending.from_on}{note}"


def describe_kind(session: Session, ending: Ending) -> str:
    """The kind of mobilization an ending covers, in words."""
    parts = []
    if ending.basis:
        parts.append(f"{ending.basis} ")
    parts.append("mobilizations")
    if ending.destination_kind:
        parts.append(f" to the {ending.destination_kind} sector")
    if ending.destination_id is not None:
        parts.append(f" to {session.get_one(Destination, ending.destination_id).code!r}")
    return "".join(parts)


def _ending_fields(ending: Ending, destination: str | None) -> dict[str, Any]:
    return {
        "from_on": ending.from_on,
        "destination": destination,
        "destination_kind": ending.destination_kind,
        "basis": ending.basis,
        "note": ending.note,
    }


# --- reading back ------------------------------------------------------------------------


def zone_shares(session: Session, decree: Decree) -> dict[str, str]:
    """Zone label -> share, for a decree by zone."""
    query = select(ZoneShare).where(ZoneShare.decree_id == decree.id).order_by(ZoneShare.zone)
    return {z.zone: z.share for z in session.scalars(query)}


def excluded_codes(session: Session, decree: Decree) -> tuple[str, ...]:
    """The codes of the bodies the decree leaves out with their subtrees, in code order."""
    query = (
        select(Body.code)
        .join(Exclusion, Exclusion.body_id == Body.id)
        .where(Exclusion.decree_id == decree.id)
        .order_by(Body.code)
    )
    return tuple(session.scalars(query))


def describe_view(session: Session, decree: Decree) -> DecreeView:
    """The decree with its references resolved to codes."""
    destination = session.get_one(Destination, decree.destination_id)
    congress = session.get(Congress, decree.congress_id) if decree.congress_id else None
    return DecreeView(
        decree=decree,
        issuing_body=session.get_one(Body, decree.issuing_body_id).code,
        scope=scope_of(session, decree).code,
        excluded=excluded_codes(session, decree),
        destination=destination.code,
        destination_kind=destination.kind,
        zones=zone_shares(session, decree),
        congress=congress.code if congress else None,
        subquotas=tuple(subquotas(session, decree)),
        lines=tuple(_line_view(session, line) for line in role_lines(session, decree)),
    )


def _line_view(session: Session, line: RoleLine) -> LineView:
    role = session.get_one(RoleType, line.role_id)
    where = session.get_one(Destination, line.destination_id)
    return LineView(line.position, role.code, role.name, where.code, line.count, line.requirement)


def describe(session: Session, decree: Decree) -> dict[str, Any]:
    """The decree as the audit trail records it."""
    shown = describe_view(session, decree)
    return {
        "code": decree.code,
        "title": decree.title,
        "issuing_body": shown.issuing_body,
        "scope": shown.scope,
        "excluded": list(shown.excluded),
        "issued_on": decree.issued_on,
        "basis": decree.basis,
        "destination": shown.destination,
        "term": decree.term,
        "term_months": decree.term_months,
        "quota": {
            "kind": decree.quota_kind,
            "total": decree.total,
            "share": decree.share,
            "zones": shown.zones,
            "congress": shown.congress,
            "subquotas": [
                {"name": s.name, "rule": s.rule, "count": s.count} for s in shown.subquotas
            ],
        },
        "criteria": decree.criteria,
        "exemptions": decree.exemptions,
        "roles": [vars(line) for line in shown.lines],
    }
