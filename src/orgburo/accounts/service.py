"""Accounts: creating users, granting roles, tokens, passwords, and the actor of a user.

Passwords are hashed with Argon2id (argon2-cffi's defaults). API tokens are long random
strings; only their SHA-256 is stored, which is safe for secrets of that entropy and
lets a request find its token by one index lookup.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.accounts.models import ApiToken, RoleGrantRow, User
from orgburo.accounts.ratelimit import LoginLimiter
from orgburo.actors import Actor, RoleGrant
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.errors import (
    Conflict,
    Invalid,
    NotFound,
    NotSignedIn,
    PermissionDenied,
    TooManyAttempts,
)
from orgburo.members import service as members
from orgburo.members.models import Person

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "obt_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,99}$")
HASHER = PasswordHasher()  # Argon2id, the library's defaults; tests swap in a cheaper one
# Set in `session.info` by changes to what an account may do; the web edge forgets the
# actors it keeps when such a transaction commits.
ACTORS_CHANGED = "orgburo.accounts.actors_changed"

# Every request asks these, so they are built once (architecture.md, "Statements built once").
_TOKEN_USER = select(User).join(ApiToken).where(ApiToken.token_hash == bindparam("digest"))
_GRANTS = (
    select(RoleGrantRow.role, Body).join(Body).where(RoleGrantRow.user_id == bindparam("user_id"))
)


@dataclass(frozen=True)
class Account:
    """A user as lists show it: name, administrator or not, member id, roles held."""

    name: str
    is_admin: bool
    member: str | None
    roles: tuple[tuple[str, str], ...]  # (role, body code)


def get(session: Session, name: str) -> User | None:
    """The user with this name, if any."""
    return session.scalar(select(User).where(User.name == name))


def get_or_raise(session: Session, name: str, field: str = "name") -> User:
    """The user with this name, or NotFound naming the field."""
    user = get(session, name)
    if user is None:
        raise NotFound(f"{field}: no account is called {name!r}")
    return user


def create(
    session: Session,
    *,
    name: str,
    password: str,
    actor: Actor,
    is_admin: bool = False,
    member_id: str | None = None,
) -> User:
    """Open an account; `member_id` ties it to the registry person it belongs to."""
    access.require_admin(actor, "create accounts")
    if not _NAME.match(name):
        raise Invalid.one("name", f"{name!r} must be 1-100 letters, digits or _ . @ -")
    if get(session, name) is not None:
        raise Conflict(f"name: an account called {name!r} already exists")
    person = members.get_or_raise(session, member_id, "member") if member_id else None
    if person is not None and session.scalar(select(User).where(User.person_id == person.id)):
        raise Conflict(f"member: {member_id!r} already has an account")
    user = User(
        name=name,
        password_hash=_hash(password),
        is_admin=is_admin,
        person_id=person.id if person else None,
        created_at=datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    after = {"name": name, "is_admin": is_admin, "member": member_id}
    _audit(session, actor, "user.created", user, after, person=person)
    return user


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid.one("password", f"must be at least {MIN_PASSWORD_LENGTH} characters long")
    return HASHER.hash(password)


def _audit(
    session: Session,
    actor: Actor,
    action: str,
    user: User,
    after: dict[str, object],
    body: Body | None = None,
    person: Person | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target=("user", user.name),
        after=after,
        body_id=body.id if body else None,
        person_id=person.id if person else None,
    )


def grant(session: Session, *, name: str, role: str, body_code: str, actor: Actor) -> RoleGrantRow:
    """Give a user a role on a body."""
    access.require_admin(actor, "grant roles")
    user = get_or_raise(session, name)
    body = _role_body(session, role, body_code)
    if _grant_row(session, user, role, body) is not None:
        raise Conflict(f"role: {name!r} is already {role} of {body_code!r}")
    row = RoleGrantRow(user_id=user.id, role=role, body_id=body.id, granted_at=datetime.now(UTC))
    session.add(row)
    session.info[ACTORS_CHANGED] = True
    session.flush()
    _audit(session, actor, "user.granted", user, {"role": role, "body": body.code}, body=body)
    return row


def revoke(session: Session, *, name: str, role: str, body_code: str, actor: Actor) -> None:
    """Take a role on a body away from a user."""
    access.require_admin(actor, "revoke roles")
    user = get_or_raise(session, name)
    body = bodies.get_or_raise(session, body_code)
    row = _grant_row(session, user, role, body)
    if row is None:
        raise NotFound(f"role: {name!r} is not {role} of {body_code!r}")
    session.execute(delete(RoleGrantRow).where(RoleGrantRow.id == row.id))
    session.info[ACTORS_CHANGED] = True
    _audit(session, actor, "user.revoked", user, {"role": role, "body": body.code}, body=body)


def _role_body(session: Session, role: str, body_code: str) -> Body:
    if role not in access.ROLES:
        raise Invalid.one("role", f"{role!r} is not one of {', '.join(access.ROLES)}")
    body = bodies.get_or_raise(session, body_code)
    if role == access.CONTROL_COMMISSION and body.kind != "commission":
        raise Invalid.one(
            "body", f"a control commission role is held on a commission, not a {body.kind}"
        )
    return body


def _grant_row(session: Session, user: User, role: str, body: Body) -> RoleGrantRow | None:
    query = select(RoleGrantRow).where(
        RoleGrantRow.user_id == user.id, RoleGrantRow.role == role, RoleGrantRow.body_id == body.id
    )
    return session.scalar(query)


def accounts(session: Session, *, actor: Actor) -> list[Account]:
    """Every account with its roles, by name."""
    access.require_admin(actor, "list accounts")
    roles: dict[int, list[tuple[str, str]]] = {}
    query = select(RoleGrantRow.user_id, RoleGrantRow.role, Body.code).join(Body)
    for user_id, role, code in session.execute(query.order_by(Body.code, RoleGrantRow.role)):
        roles.setdefault(user_id, []).append((role, code))
    listed = select(User, Person.external_id).outerjoin(Person, Person.id == User.person_id)
    return [
        Account(user.name, user.is_admin, member, tuple(roles.get(user.id, [])))
        for user, member in session.execute(listed.order_by(User.name))
    ]


def issue_token(session: Session, *, name: str, actor: Actor, label: str = "") -> str:
    """A new API token for the user (shown once); administrators, or the user themself."""
    user = get_or_raise(session, name)
    if not actor.is_admin and actor.user_id != user.id:
        raise PermissionDenied("name: only an administrator may issue tokens for someone else")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, token_hash=token_digest(token), label=label[:100], created_at=_now()
    )
    session.add(row)
    session.flush()
    _audit(session, actor, "user.token_issued", user, {"token": row.id, "label": row.label})
    return token


def _now() -> datetime:
    return datetime.now(UTC)


def token_digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def user_for_token(session: Session, token: str) -> User | None:
    """The user a bearer token belongs to, if it is a live token."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    return session.scalar(_TOKEN_USER, {"digest": token_digest(token)})


def authenticate(
    session: Session, *, name: str, password: str, address: str, limiter: LoginLimiter
) -> User:
    """The user whose name and password these are; failures are counted and limited."""
    wait = limiter.blocked_for(name, address)
    if wait > 0:
        minutes = max(1, round(wait / 60))
        raise TooManyAttempts(f"password: too many failed attempts; try again in {minutes} min")
    user = get(session, name)
    # An unknown name costs the same hash as a wrong password: timing tells nothing.
    stored = user.password_hash if user is not None else _dummy_hash()
    if not _verify(stored, password) or user is None:
        limiter.fail(name, address)
        raise NotSignedIn("password: the name or the password is wrong")
    limiter.succeed(name)
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return HASHER.hash("not anybody's password")


def change_password(session: Session, *, name: str, current: str, new: str, actor: Actor) -> User:
    """Change one's own password; every other session of the account ends."""
    user = get_or_raise(session, name)
    if actor.user_id != user.id:
        raise PermissionDenied("name: only the account's owner may change its password")
    if not _verify(user.password_hash, current):
        raise Invalid.one("current", "is not the account's password")
    user.password_hash = _hash(new)
    user.session_epoch += 1
    session.info[ACTORS_CHANGED] = True
    session.flush()
    _audit(session, actor, "user.password_changed", user, {"session_epoch": user.session_epoch})
    return user


def actor_for(session: Session, user: User) -> Actor:
    """The actor a signed-in user acts as, with their roles resolved to subtrees."""
    rows = session.execute(_GRANTS, {"user_id": user.id})
    grants = tuple(RoleGrant(role, body.id, _scope(role, body)) for role, body in rows)
    return Actor(
        name=f"user:{user.name}",
        user_id=user.id,
        is_admin=user.is_admin,
        grants=grants,
        person_id=user.person_id,
    )


def _scope(role: str, body: Body) -> int:
    if role == access.CONTROL_COMMISSION and body.parent_id is not None:
        return body.parent_id
    return body.id


def roles_of(session: Session, actor: Actor) -> Sequence[tuple[str, Body]]:
    """The actor's roles with their bodies, for display."""
    ids = [g.body_id for g in actor.grants]
    found = {b.id: b for b in session.scalars(select(Body).where(Body.id.in_(ids)))}
    return [(g.role, found[g.body_id]) for g in actor.grants if g.body_id in found]
