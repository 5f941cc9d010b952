"""Creating, moving, changing and closing bodies; reading the tree. Services add and
flush; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import bindparam, func, insert, literal, select, true, update
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body, BodyEvent, BodyLink
from orgburo.census import tallies
from orgburo.core.dates import check_not_before, check_not_future
from orgburo.core.tree import check_code, check_kind, check_not_own_descendant
from orgburo.errors import Conflict, Invalid, NotFound
from orgburo.members.models import Membership

# Built once: every page looks a body up by code, and building a statement and computing
# its cache key costs more than running it (architecture.md, "Statements built once").
_BY_CODE = select(Body).where(Body.code == bindparam("code"))
_VIEWED = select(Body, access.BODY_UNDER_ROOTS).where(Body.code == bindparam("code"))


def get(session: Session, code: str) -> Body | None:
    """The body with this code, if any."""
    return session.scalar(_BY_CODE, {"code": code})


def get_or_raise(session: Session, code: str, field: str = "body") -> Body:
    """The body with this code, or NotFound naming the field."""
    body = get(session, code)
    if body is None:
        raise _no_body(code, field)
    return body


def _no_body(code: str, field: str) -> NotFound:
    return NotFound(f"{field}: no body has the code {code!r}")


def view(session: Session, *, code: str, actor: Actor, field: str = "body") -> Body:
    """The body with this code, if the actor may see it."""
    if actor.is_admin:
        return get_or_raise(session, code, field)
    found = session.execute(_VIEWED, {"code": code, "roots": access.read_roots(actor)}).first()
    if found is None:
        raise _no_body(code, field)
    body: Body = found[0]
    access.remember_readable(session, actor, body.id, bool(found[1]))
    access.require_read_body(session, actor, body, field)
    return body


def visible_children(session: Session, *, parent_code: str | None, actor: Actor) -> Sequence[Body]:
    """Sub-bodies of `parent_code`; without one, the tops of what the actor may see."""
    if parent_code is None:
        return access.top_bodies(session, actor)
    return children(session, view(session, code=parent_code, actor=actor, field="parent").id)


def describe(body: Body) -> dict[str, Any]:
    """The body's fields as the audit trail and events record them."""
    return {
        "code": body.code,
        "name": body.name,
        "kind": body.kind,
        "level": body.level,
        "zone": body.zone,
        "parent_id": body.parent_id,
        "opened_on": body.opened_on,
        "closed_on": body.closed_on,
    }


def create(
    session: Session,
    *,
    code: str,
    name: str,
    kind: str,
    actor: Actor,
    parent_code: str | None = None,
    level: str | None = None,
    zone: str | None = None,
    opened_on: date | None = None,
) -> Body:
    """Open a new body under `parent_code` (or as a root)."""
    _check_may_open(session, parent_code, actor)
    opened_on = check_not_future("opened_on", opened_on or date.today(), date.today())
    check_code(code)
    check_kind(kind)
    _check_name(name)
    if get(session, code) is not None:
        raise Conflict(f"code: a body with the code {code!r} already exists")
    parent = _open_parent(session, parent_code, opened_on)
    body = Body(
        code=code,
        name=name.strip(),
        kind=kind,
        level=level or None,
        zone=zone or None,
        parent_id=parent.id if parent else None,
        opened_on=opened_on,
    )
    session.add(body)
    session.flush()
    _link_under(session, body, parent, opened_on)
    _record(session, body, "opened", opened_on, None, describe(body), actor)
    return body


def _check_may_open(session: Session, parent_code: str | None, actor: Actor) -> None:
    if not parent_code:
        access.require_admin(actor, "open a body at the root of the tree")
        return
    access.require_change_body(
        session, actor, get_or_raise(session, parent_code, "parent"), "parent"
    )


def _check_name(name: str) -> None:
    if not name.strip():
        raise Invalid.one("name", "must not be empty")
    if len(name) > 300:
        raise Invalid.one("name", "is longer than 300 characters")


def _open_parent(session: Session, parent_code: str | None, on: date) -> Body | None:
    if not parent_code:
        return None
    parent = get_or_raise(session, parent_code, "parent")
    if parent.closed_on is not None:
        raise Invalid.one("parent", f"{parent_code!r} was closed on {parent.closed_on}")
    check_not_before("opened_on", on, parent.opened_on, f"the opening of {parent_code!r}")
    return parent


def _link_under(session: Session, body: Body, parent: Body | None, on: date) -> None:
    session.add(BodyLink(ancestor_id=body.id, descendant_id=body.id, depth=0, valid_from=on))
    if parent is None:
        return
    session.execute(
        insert(BodyLink).from_select(
            ["ancestor_id", "descendant_id", "depth", "valid_from"],
            select(BodyLink.ancestor_id, literal(body.id), BodyLink.depth + 1, literal(on)).where(
                BodyLink.descendant_id == parent.id, BodyLink.valid_to.is_(None)
            ),
        )
    )
    if not parent.has_children:
        tallies.start_tallying(session, parent)


def _record(
    session: Session,
    body: Body,
    kind: str,
    on: date,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: Actor,
) -> None:
    clean_before = audit.jsonable(before)
    clean_after = audit.jsonable(after)
    session.add(
        BodyEvent(body_id=body.id, kind=kind, on=on, before=clean_before, after=clean_after)
    )
    audit.record(
        session,
        actor=actor,
        action=f"body.{kind}",
        target=("body", body.code),
        before=before,
        after=after,
        body_id=body.id,
    )


def subtree_ids(session: Session, body_id: int, at: date | None = None) -> Sequence[int]:
    """Ids of the body and everything under it, today or as of `at`."""
    return session.scalars(
        select(BodyLink.descendant_id).where(BodyLink.ancestor_id == body_id, *links_valid(at))
    ).all()


def links_valid(at: date | None) -> list[Any]:
    """Conditions selecting the tree links in force today or on `at`."""
    if at is None:
        return [BodyLink.valid_to.is_(None)]
    return [BodyLink.valid_from <= at, (BodyLink.valid_to.is_(None)) | (BodyLink.valid_to > at)]


def ancestors(session: Session, body_id: int) -> Sequence[Body]:
    """The body's ancestors, from the root down, not including itself."""
    query = (
        select(Body)
        .join(BodyLink, BodyLink.ancestor_id == Body.id)
        .where(BodyLink.descendant_id == body_id, BodyLink.valid_to.is_(None), BodyLink.depth > 0)
        .order_by(BodyLink.depth.desc())
    )
    return session.scalars(query).all()


def children(session: Session, body_id: int | None) -> Sequence[Body]:
    """Direct sub-bodies (roots when `body_id` is None), open ones first, by code."""
    query = select(Body).where(Body.parent_id == body_id if body_id else Body.parent_id.is_(None))
    return session.scalars(query.order_by(Body.closed_on.is_not(None), Body.code)).all()


def history(session: Session, body: Body, *, actor: Actor) -> Sequence[BodyEvent]:
    """Every dated change to the body, oldest first."""
    access.require_read_body(session, actor, body)
    query = select(BodyEvent).where(BodyEvent.body_id == body.id)
    return session.scalars(query.order_by(BodyEvent.on, BodyEvent.id)).all()


def _last_event_date(session: Session, body: Body) -> date:
    last = session.scalar(select(func.max(BodyEvent.on)).where(BodyEvent.body_id == body.id))
    return last or body.opened_on


def move(session: Session, *, code: str, new_parent_code: str, on: date, actor: Actor) -> Body:
    """Put the body and its subtree under a new parent from `on`; the old links are kept."""
    body = get_or_raise(session, code)
    new_parent = get_or_raise(session, new_parent_code, "parent")
    access.require_change_body(session, actor, body)
    access.require_change_body(session, actor, new_parent, "parent")
    _check_change_date(session, body, on)
    moved = subtree_ids(session, body.id)
    check_not_own_descendant(new_parent.id, moved)
    if new_parent.closed_on is not None:
        raise Invalid.one("parent", f"{new_parent_code!r} was closed on {new_parent.closed_on}")
    before = describe(body)
    old_parent_id = body.parent_id
    tallies.move_subtree(session, body, moved, detach=True)
    _relink(session, body, new_parent, moved, on)
    body.parent_id = new_parent.id
    _refresh_has_children(session, old_parent_id)
    tallies.move_subtree(session, body, moved, detach=False)
    _record(session, body, "moved", on, before, describe(body), actor)
    return body


def _check_change_date(session: Session, body: Body, on: date) -> None:
    check_not_future("on", on, date.today())
    check_not_before("on", on, _last_event_date(session, body), "the body's last recorded change")
    if body.closed_on is not None:
        raise Invalid.one("body", f"{body.code!r} was closed on {body.closed_on}")


def _relink(session: Session, body: Body, new_parent: Body, moved: Sequence[int], on: date) -> None:
    session.execute(
        update(BodyLink)
        .where(
            BodyLink.descendant_id.in_(moved),
            BodyLink.ancestor_id.not_in(moved),
            BodyLink.valid_to.is_(None),
        )
        .values(valid_to=on)
    )
    upper = (
        select(BodyLink.ancestor_id, BodyLink.depth)
        .where(BodyLink.descendant_id == new_parent.id, BodyLink.valid_to.is_(None))
        .subquery()
    )
    lower = (
        select(BodyLink.descendant_id, BodyLink.depth)
        .where(BodyLink.ancestor_id == body.id, BodyLink.valid_to.is_(None))
        .subquery()
    )
    session.execute(
        insert(BodyLink).from_select(
            ["ancestor_id", "descendant_id", "depth", "valid_from"],
            select(
                upper.c.ancestor_id,
                lower.c.descendant_id,
                upper.c.depth + lower.c.depth + 1,
                literal(on),
            )
            .select_from(upper)
            .join(lower, true()),  # every pair: a product
        )
    )
    if not new_parent.has_children:
        tallies.start_tallying(session, new_parent)


def _refresh_has_children(session: Session, body_id: int | None) -> None:
    if body_id is None:
        return
    still = session.scalar(
        select(func.count()).where(Body.parent_id == body_id, Body.closed_on.is_(None))
    )
    parent = session.get(Body, body_id)
    if parent is not None and not still and parent.has_children:
        tallies.stop_tallying(session, parent)


def change(
    session: Session,
    *,
    code: str,
    on: date,
    actor: Actor,
    name: str | None = None,
    level: str | None = None,
    zone: str | None = None,
) -> Body:
    """Rename a body, or change its level or zone, from `on`."""
    body = get_or_raise(session, code)
    access.require_change_body(session, actor, body)
    _check_change_date(session, body, on)
    before = describe(body)
    if name is not None:
        _check_name(name)
        body.name = name.strip()
    if level is not None:
        body.level = level or None
    if zone is not None:
        body.zone = zone or None
    session.flush()
    _record(session, body, "changed", on, before, describe(body), actor)
    return body


def close(session: Session, *, code: str, on: date, actor: Actor) -> Body:
    """Close a body that no longer has open sub-bodies or current members."""
    body = get_or_raise(session, code)
    access.require_change_body(session, actor, body)
    _check_change_date(session, body, on)
    open_children = [c.code for c in children(session, body.id) if c.closed_on is None]
    if open_children:
        raise Conflict(f"body: {code!r} still has open sub-bodies: {', '.join(open_children[:5])}")
    if _current_member_count(session, body.id):
        raise Conflict(f"body: {code!r} still has current members; transfer them first")
    before = describe(body)
    body.closed_on = on
    session.execute(
        update(BodyLink)
        .where(BodyLink.descendant_id == body.id, BodyLink.valid_to.is_(None))
        .values(valid_to=on)
    )
    _refresh_has_children(session, body.parent_id)
    _record(session, body, "closed", on, before, describe(body), actor)
    return body


def _current_member_count(session: Session, body_id: int) -> int:
    query = select(func.count()).where(Membership.body_id == body_id, Membership.ended_on.is_(None))
    return session.scalar(query) or 0
