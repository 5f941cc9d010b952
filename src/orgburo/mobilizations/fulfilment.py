"""Decreed against sent against arrived, grouped by sending body, destination, role or month.

* decreed: by body, each sub-body's part of the quota (for a sub-body holding a decree's
  whole scope, the whole quota); by destination and role, the role lines' counts, and
  the part of the quota no line covers at the decree's destination under "(no role)";
  by month, the quota in the month the decree was issued.
* sent: members dispatched, arrived or returned, in the month they were dispatched;
* arrived: members arrived or returned, in the month they arrived.
Members are counted under the sub-body whose subtree holds the body that sent them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import Invalid

from . import decrees
from .models import Decree, Destination, Entry, Quota, RoleLine, RoleType

BY = ("body", "destination", "role", "month")
NO_ROLE = "(no role)"


@dataclass(frozen=True)
class FulfilmentRow:
    """One group: its key, a label for people, and the three figures."""

    key: str
    label: str
    decreed: int
    sent: int
    arrived: int


@dataclass(frozen=True)
class Fulfilment:
    """Fulfilment figures of some decrees, grouped one way, with the totals."""

    by: str
    body: str | None
    decrees: tuple[str, ...]
    rows: tuple[FulfilmentRow, ...]
    total: FulfilmentRow


@dataclass(frozen=True)
class ChartSeries:
    """Labels along the x axis and one series per figure, ready for a line or bar chart."""

    title: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]


def fulfilment(
    session: Session,
    *,
    by: str,
    actor: Actor,
    decree_codes: Sequence[str] = (),
    body_code: str | None = None,
) -> Fulfilment:
    """Decreed, sent and arrived for the decrees named (default every decree one may read)."""
    if by not in BY:
        raise Invalid.one("by", f"{by!r} is not one of {', '.join(BY)}")
    chosen = _decrees(session, actor, decree_codes)
    ids = [d.id for d in chosen]
    if by == "body":
        body = _body(session, actor, chosen, body_code)
        rows = _by_body(session, ids, body)
    else:
        body = None
        rows = {"destination": _by_destination, "role": _by_role, "month": _by_month}[by](
            session, chosen
        )
    total = FulfilmentRow(
        "",
        "total",
        sum(r.decreed for r in rows),
        sum(r.sent for r in rows),
        sum(r.arrived for r in rows),
    )
    return Fulfilment(
        by, body.code if body else None, tuple(d.code for d in chosen), tuple(rows), total
    )


def fulfilment_series(report: Fulfilment) -> ChartSeries:
    """The figures as three series (decreed, sent, arrived) over the groups."""
    rows = report.rows
    return ChartSeries(
        title=f"Decreed, sent and arrived by {report.by}",
        labels=tuple(r.label for r in rows),
        series=(
            ("decreed", tuple(r.decreed for r in rows)),
            ("sent", tuple(r.sent for r in rows)),
            ("arrived", tuple(r.arrived for r in rows)),
        ),
    )


def _decrees(session: Session, actor: Actor, codes: Sequence[str]) -> list[Decree]:
    if codes:
        found = [decrees.get_or_raise(session, c) for c in codes]
        for decree in found:
            decrees.require_read(session, actor, decree)
        return found
    return [v.decree for v in decrees.list_decrees(session, actor=actor)]


def _body(session: Session, actor: Actor, chosen: list[Decree], code: str | None) -> Body:
    if code is None:
        scopes = {d.scope_body_id for d in chosen}
        if len(scopes) != 1:
            raise Invalid.one("body", "name the body whose sub-bodies to group by")
        found = session.get_one(Body, scopes.pop())
    else:
        found = bodies.get_or_raise(session, code)
    access.require_read_body(session, actor, found)
    return found


def _children(session: Session, body: Body) -> list[Body]:
    query = select(Body).where(Body.parent_id == body.id).order_by(Body.code)
    return list(session.scalars(query))


def _by_body(session: Session, ids: list[int], body: Body) -> list[FulfilmentRow]:
    kids = _children(session, body)
    decreed = _decreed_under(session, ids, [k.id for k in kids])
    sent, arrived = _sent_under(session, ids, [k.id for k in kids])
    rows = [FulfilmentRow(k.code, k.name, decreed[k.id], sent[k.id], arrived[k.id]) for k in kids]
    own = _own_row(session, ids, body)
    return rows + ([own] if own.decreed or own.sent else [])


def _decreed_under(session: Session, ids: list[int], kids: list[int]) -> Counter[int]:
    inside = select(Quota.body_id, func.sum(Quota.demanded)).where(
        Quota.decree_id.in_(ids), Quota.subquota_id.is_(None), Quota.body_id.in_(kids)
    )
    found: Counter[int] = Counter()
    for body_id, n in session.execute(inside.group_by(Quota.body_id)):
        found[body_id] += int(n or 0)
    holding = (
        select(BodyLink.ancestor_id, func.sum(Quota.demanded))
        .join(Decree, Decree.scope_body_id == BodyLink.descendant_id)
        .join(Quota, (Quota.decree_id == Decree.id) & (Quota.body_id == Decree.scope_body_id))
        .where(
            Decree.id.in_(ids),
            Quota.subquota_id.is_(None),
            BodyLink.ancestor_id.in_(kids),
            BodyLink.depth > 0,
            BodyLink.valid_to.is_(None),
        )
        .group_by(BodyLink.ancestor_id)
    )
    for body_id, n in session.execute(holding):
        found[body_id] += int(n or 0)
    return found


def _sent_under(session: Session, ids: list[int], kids: list[int]) -> tuple[Counter[int], ...]:
    query = (
        select(
            BodyLink.ancestor_id,
            func.count(Entry.dispatched_on),
            func.count(Entry.arrived_on),
        )
        .join(Entry, Entry.body_id == BodyLink.descendant_id)
        .where(
            Entry.decree_id.in_(ids), BodyLink.ancestor_id.in_(kids), BodyLink.valid_to.is_(None)
        )
        .group_by(BodyLink.ancestor_id)
    )
    sent: Counter[int] = Counter()
    arrived: Counter[int] = Counter()
    for body_id, s, a in session.execute(query):
        sent[body_id], arrived[body_id] = int(s), int(a)
    return sent, arrived


def _own_row(session: Session, ids: list[int], body: Body) -> FulfilmentRow:
    decreed = session.scalar(
        select(func.sum(Quota.own_demanded)).where(
            Quota.decree_id.in_(ids), Quota.subquota_id.is_(None), Quota.body_id == body.id
        )
    )
    sent, arrived = session.execute(
        select(func.count(Entry.dispatched_on), func.count(Entry.arrived_on)).where(
            Entry.decree_id.in_(ids), Entry.body_id == body.id
        )
    ).one()
    return FulfilmentRow(body.code, f"{body.name} (own members)", int(decreed or 0), sent, arrived)


def _demanded(session: Session, decree: Decree) -> int:
    found = session.scalar(
        select(Quota.demanded).where(
            Quota.decree_id == decree.id,
            Quota.body_id == decree.scope_body_id,
            Quota.subquota_id.is_(None),
        )
    )
    return int(found if found is not None else decree.total or 0)


def _line_counts(session: Session, decree: Decree) -> list[tuple[str, str, str, str]]:
    """(role code, role name, destination code, count) of each role line."""
    query = (
        select(RoleType.code, RoleType.name, Destination.code, RoleLine.count)
        .join(RoleType, RoleType.id == RoleLine.role_id)
        .join(Destination, Destination.id == RoleLine.destination_id)
        .where(RoleLine.decree_id == decree.id)
        .order_by(RoleLine.position)
    )
    return [(r[0], r[1], r[2], str(r[3])) for r in session.execute(query)]


def _decreed_by_line(
    session: Session, chosen: list[Decree], pick: int
) -> tuple[Counter[str], dict[str, str]]:
    """Decreed per destination (pick 2) or role (pick 0), the uncovered rest included."""
    decreed: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for decree in chosen:
        lines = _line_counts(session, decree)
        for line in lines:
            decreed[line[pick]] += int(line[3])
            labels[line[pick]] = line[pick + 1] if pick == 0 else line[pick]
        rest = _demanded(session, decree) - sum(int(line[3]) for line in lines)
        if rest > 0:
            home = session.get_one(Destination, decree.destination_id).code
            decreed[home if pick == 2 else NO_ROLE] += rest
    return decreed, labels


def _sent_by(
    session: Session, chosen: list[Decree], column: Any
) -> tuple[Counter[str], Counter[str]]:
    query = (
        select(column, func.count(Entry.dispatched_on), func.count(Entry.arrived_on))
        .select_from(Entry)
        .join(Decree, Decree.id == Entry.decree_id)
        .outerjoin(RoleLine, RoleLine.id == Entry.role_line_id)
        .outerjoin(RoleType, RoleType.id == RoleLine.role_id)
        .join(
            Destination,
            Destination.id == func.coalesce(RoleLine.destination_id, Decree.destination_id),
        )
        .where(Entry.decree_id.in_([d.id for d in chosen]))
        .group_by(column)
    )
    sent: Counter[str] = Counter()
    arrived: Counter[str] = Counter()
    for key, s, a in session.execute(query):
        sent[key or NO_ROLE], arrived[key or NO_ROLE] = int(s), int(a)
    return sent, arrived


def _by_destination(session: Session, chosen: list[Decree]) -> list[FulfilmentRow]:
    decreed, labels = _decreed_by_line(session, chosen, 2)
    sent, arrived = _sent_by(session, chosen, Destination.code)
    names: dict[str, str] = dict(session.execute(select(Destination.code, Destination.name)).all())
    return _rows(decreed, sent, arrived, {**labels, **names})


def _by_role(session: Session, chosen: list[Decree]) -> list[FulfilmentRow]:
    decreed, labels = _decreed_by_line(session, chosen, 0)
    sent, arrived = _sent_by(session, chosen, RoleType.code)
    return _rows(decreed, sent, arrived, labels)


def _by_month(session: Session, chosen: list[Decree]) -> list[FulfilmentRow]:
    decreed: Counter[str] = Counter()
    for decree in chosen:
        decreed[_month(decree.issued_on)] += _demanded(session, decree)
    ids = [d.id for d in chosen]
    sent = _count_months(session, ids, Entry.dispatched_on)
    arrived = _count_months(session, ids, Entry.arrived_on)
    return _rows(decreed, sent, arrived, {})


def _count_months(session: Session, ids: list[int], column: Any) -> Counter[str]:
    query = (
        select(column, func.count())
        .where(Entry.decree_id.in_(ids), column.is_not(None))
        .group_by(column)
    )
    found: Counter[str] = Counter()
    for day, n in session.execute(query):
        found[_month(day)] += int(n)
    return found


def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _rows(
    decreed: Counter[str], sent: Counter[str], arrived: Counter[str], labels: dict[str, str]
) -> list[FulfilmentRow]:
    keys = sorted(set(decreed) | set(sent) | set(arrived))
    return [FulfilmentRow(k, labels.get(k, k), decreed[k], sent[k], arrived[k]) for k in keys]
