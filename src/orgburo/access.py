"""Who may read and change what: every access rule of the application, in one place.

Services call these functions; the HTTP API, the pages and the command line only pass
the actor along, so no entrypoint can skip a rule.

- A system administrator reads and changes everything and manages accounts.
- Officers of a body (secretary, bureau member) read and change that body's subtree.
- Members of a control commission read the subtree of the body their commission is
  attached to (acting on discipline comes with the discipline cases).
- An ordinary member reads their own record.

"Body B is in the subtree of S" is one lookup in the closure table (`body_links`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Exists, Select, SQLColumnExpression, bindparam, event, exists, select
from sqlalchemy.orm import ORMExecuteState, Session

from orgburo.actors import Actor
from orgburo.bodies.models import Body, BodyLink
from orgburo.errors import PermissionDenied
from orgburo.members.models import Membership, Person

SECRETARY = "secretary"
BUREAU_MEMBER = "bureau_member"
CONTROL_COMMISSION = "control_commission"
OFFICER_ROLES = (SECRETARY, BUREAU_MEMBER)
ROLES = (*OFFICER_ROLES, CONTROL_COMMISSION)
MEMO = "orgburo.access"

# Asked on every request, so built once below (architecture.md, "Statements built once").


def _under_roots(body_id: SQLColumnExpression[int]) -> Exists:
    """Whether the body is today in the subtree of one of the bound `roots`."""
    return exists().where(
        BodyLink.descendant_id == body_id,
        BodyLink.valid_to.is_(None),
        BodyLink.ancestor_id.in_(bindparam("roots", expanding=True)),
    )


_IN_SUBTREE = select(_under_roots(bindparam("body_id")))
# Read in the same statement as the body (`remember_readable`): a round trip fewer.
BODY_UNDER_ROOTS = _under_roots(Body.id)


def _home_body_of(person_id: SQLColumnExpression[int]) -> Select[int]:
    """The body of the person's open spell, or else of their latest one."""
    return (
        select(Membership.body_id)
        .where(Membership.person_id == person_id)
        .order_by(Membership.ended_on.is_not(None), Membership.started_on.desc())
        .limit(1)
    )


_HOME_BODY = _home_body_of(bindparam("person_id"))
# Read in the same statement as the person (`remember_home`): a round trip fewer.
HOME_BODY_OF_PERSON = _home_body_of(Person.id).scalar_subquery()


def in_subtree(session: Session, body_id: int, roots: Iterable[int]) -> bool:
    """Whether `body_id` is today in the subtree of one of `roots` (itself included)."""
    wanted = frozenset(roots)
    if not wanted:
        return False
    key = ("subtree", body_id, wanted)
    if key not in _memo(session):
        found = session.scalar(_IN_SUBTREE, {"body_id": body_id, "roots": sorted(wanted)})
        _memo(session)[key] = bool(found)
    return bool(_memo(session)[key])


def _memo(session: Session) -> dict[tuple[object, ...], object]:
    """Answers already looked up in this transaction (a page asks the same ones again)."""
    memo: dict[tuple[object, ...], object] = session.info.setdefault(MEMO, {})
    return memo


@event.listens_for(Session, "do_orm_execute")
def _forget_on_change(state: ORMExecuteState) -> None:
    if not state.is_select:  # an UPDATE or INSERT may move a body or a member
        state.session.info.pop(MEMO, None)


@event.listens_for(Session, "after_flush")
def _forget_after_flush(session: Session, _context: object) -> None:
    session.info.pop(MEMO, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_after_transaction(session: Session, _transaction: object) -> None:
    session.info.pop(MEMO, None)


def _scopes(actor: Actor, roles: Sequence[str]) -> list[int]:
    return [g.scope_id for g in actor.grants if g.role in roles]


def read_roots(actor: Actor) -> list[int]:
    """The tops of the subtrees the actor may read (to bind as `roots`)."""
    return sorted(set(_scopes(actor, ROLES)))


def remember_readable(session: Session, actor: Actor, body_id: int, found: bool) -> None:
    """Keep whether the body lies under `read_roots(actor)`, read beside the body
    (`BODY_UNDER_ROOTS`), for this transaction's access checks."""
    _memo(session)[("subtree", body_id, frozenset(read_roots(actor)))] = found


def may_read_body(session: Session, actor: Actor, body_id: int) -> bool:
    """Administrators, and officers or control commissions whose subtree holds the body."""
    return actor.is_admin or in_subtree(session, body_id, _scopes(actor, ROLES))


def may_change_body(session: Session, actor: Actor, body_id: int) -> bool:
    """Administrators, and officers whose subtree holds the body."""
    return actor.is_admin or in_subtree(session, body_id, _scopes(actor, OFFICER_ROLES))


def require_read_body(session: Session, actor: Actor, body: Body, field: str = "body") -> None:
    """PermissionDenied unless the actor may see the body and its subtree."""
    if not may_read_body(session, actor, body.id):
        raise PermissionDenied(f"{field}: {body.code!r} is outside the bodies you may see")


def require_change_body(session: Session, actor: Actor, body: Body, field: str = "body") -> None:
    """PermissionDenied unless the actor may change the body's subtree."""
    if not may_change_body(session, actor, body.id):
        raise PermissionDenied(f"{field}: {body.code!r} is outside the bodies you may change")


def may_read_reach(session: Session, actor: Actor, body_id: int) -> bool:
    """Whether something that reaches over a body's subtree (a campaign it proclaimed, a
    decree it issued) concerns the actor: they read the body, or one of their scopes
    lies inside its subtree, where the campaign or decree is carried out."""
    if may_read_body(session, actor, body_id):
        return True
    return any(in_subtree(session, scope, (body_id,)) for scope in _scopes(actor, ROLES))


def require_read_reach(session: Session, actor: Actor, body: Body, what: str) -> None:
    """PermissionDenied unless `what`, issued by `body`, reaches into the actor's bodies."""
    if not may_read_reach(session, actor, body.id):
        raise PermissionDenied(f"{what}: it was issued by {body.code!r}, outside your bodies")


def readable_scopes(actor: Actor) -> list[int] | None:
    """The roots of the subtrees the actor reads; None for an administrator (everything)."""
    return None if actor.is_admin else sorted(set(_scopes(actor, ROLES)))


def changeable_scopes(actor: Actor) -> list[int] | None:
    """The roots of the subtrees the actor changes; None for an administrator."""
    return None if actor.is_admin else sorted(set(_scopes(actor, OFFICER_ROLES)))


def require_admin(actor: Actor, action: str) -> None:
    """PermissionDenied unless the actor administers the system."""
    if not actor.is_admin:
        raise PermissionDenied(f"actor: only an administrator may {action}")


def home_body_id(session: Session, person: Person) -> int | None:
    """The body a person belongs to now, or belonged to last; None if never a member."""
    key = ("home", person.id)
    if key not in _memo(session):
        _memo(session)[key] = session.scalar(_HOME_BODY, {"person_id": person.id})
    found = _memo(session)[key]
    return found if isinstance(found, int) else None


def remember_home(session: Session, person_id: int, body_id: int | None) -> None:
    """Keep the home body read beside a person (`HOME_BODY_OF_PERSON`) for this
    transaction's access checks."""
    _memo(session)[("home", person_id)] = body_id


def may_read_person(session: Session, actor: Actor, person: Person) -> bool:
    """The person themself, or whoever may read the body they belong (or last belonged) to."""
    if actor.is_admin or (actor.person_id is not None and actor.person_id == person.id):
        return True
    body_id = home_body_id(session, person)
    return body_id is not None and may_read_body(session, actor, body_id)


def may_change_person(session: Session, actor: Actor, person: Person) -> bool:
    """Whoever may change the body the person belongs (or last belonged) to."""
    if actor.is_admin:
        return True
    body_id = home_body_id(session, person)
    return body_id is not None and may_change_body(session, actor, body_id)


def require_read_person(session: Session, actor: Actor, person: Person) -> None:
    """PermissionDenied unless the actor may see the person's record."""
    if not may_read_person(session, actor, person):
        raise PermissionDenied(f"id: {person.external_id!r} is outside the members you may see")


def require_change_person(session: Session, actor: Actor, person: Person) -> None:
    """PermissionDenied unless the actor may change the person's record."""
    if not may_change_person(session, actor, person):
        raise PermissionDenied(f"id: {person.external_id!r} is outside the members you may change")


def top_bodies(session: Session, actor: Actor) -> Sequence[Body]:
    """Where the actor's view of the tree starts: the roots, or the tops of their scopes."""
    if actor.is_admin:
        query = select(Body).where(Body.parent_id.is_(None))
    else:
        scopes = set(_scopes(actor, ROLES))
        covered = [s for s in scopes if not in_subtree(session, s, scopes - {s})]
        query = select(Body).where(Body.id.in_(covered))
    return session.scalars(query.order_by(Body.closed_on.is_not(None), Body.code)).all()
