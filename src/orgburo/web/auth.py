"""Who is calling: a bearer token, or a session cookie; and the CSRF token of a session.

Sessions live in a cookie signed with ORGBURO_SECRET_KEY (itsdangerous, through
Starlette's SessionMiddleware), HttpOnly and SameSite=Lax, Secure outside development
mode. A session holds the user's id, the account's session epoch (a password change
ends older sessions) and a random CSRF token. Every unsafe request that a cookie
authenticates must carry that token, as the `csrf_token` form field or the
`X-CSRF-Token` header; requests with a bearer token carry no cookie and need none.

The actor a credential stands for is kept for ACTOR_SECONDS (`RecentActors`), so a
caller's requests in quick succession (a secretary typing a search) cost no account
lookup. A change to accounts committed in this process forgets every kept actor at once;
one committed in another process (another worker, the command line) is seen within
ACTOR_SECONDS.
"""

from __future__ import annotations

import hmac
import secrets
import weakref

from fastapi import Request
from sqlalchemy import event
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.accounts.models import User
from orgburo.actors import Actor
from orgburo.errors import NotSignedIn, PermissionDenied
from orgburo.recent import Recent

SESSION_COOKIE = "orgburo_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACTOR_SECONDS = 5.0
KEPT_ACTORS = 10_000


class RecentActors(Recent[Actor]):
    """Actors by the credential that named them, each kept for `seconds` at most."""

    def __init__(self, seconds: float = ACTOR_SECONDS, size: int = KEPT_ACTORS) -> None:
        super().__init__(seconds, size)
        _EVERY.add(self)


_EVERY: weakref.WeakSet[RecentActors] = weakref.WeakSet()


@event.listens_for(Session, "after_commit")
def _forget_after_account_change(session: Session) -> None:
    if session.info.pop(accounts.ACTORS_CHANGED, False):
        for recent in list(_EVERY):
            recent.clear()


@event.listens_for(Session, "after_rollback")
def _nothing_changed(session: Session) -> None:
    session.info.pop(accounts.ACTORS_CHANGED, None)


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use (also before signing in)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def sent_csrf(request: Request) -> str | None:
    """The CSRF token an unsafe request carries in its header or form, if any."""
    if request.method in SAFE_METHODS:
        return None
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent


def check_csrf(request: Request, sent: str | None) -> None:
    """PermissionDenied unless an unsafe request carries the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    if not (sent and isinstance(expected, str) and hmac.compare_digest(sent, expected)):
        raise PermissionDenied(
            f"{CSRF_FIELD}: the form is stale or came from another site; reload and try again"
        )


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer ...` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def calling_actor(request: Request, session: Session, sent: str | None) -> Actor:
    """The actor behind the request, kept or looked up; NotSignedIn when there is none."""
    recent: RecentActors = request.app.state.actors
    key = _credential(request)
    actor = recent.get(key) if key is not None else None
    if actor is None:
        actor = accounts.actor_for(session, calling_user(request, session, sent))
        recent.put(key, actor)
    elif bearer_token(request) is None:  # a kept session still needs its CSRF token
        check_csrf(request, sent)
    return actor


def _credential(request: Request) -> tuple[str, object, object] | None:
    token = bearer_token(request)
    if token is not None:
        return ("token", accounts.token_digest(token), None)
    user_id, epoch = request.session.get("uid"), request.session.get("epoch")
    return ("session", user_id, epoch) if isinstance(user_id, int) else None


def calling_user(request: Request, session: Session, sent: str | None) -> User:
    """The user behind the request; NotSignedIn when there is none.

    `sent` is the CSRF token the request carried (see `sent_csrf`).
    """
    token = bearer_token(request)
    if token is not None:
        user = accounts.user_for_token(session, token)
        if user is None:
            raise NotSignedIn("authorization: the bearer token is not valid")
        return user
    user = session_user(request, session)
    if user is None:
        raise NotSignedIn("session: sign in first")
    check_csrf(request, sent)
    return user


def session_user(request: Request, session: Session) -> User | None:
    """The user the session cookie names, unless it ended (signed out, password changed)."""
    user_id, epoch = request.session.get("uid"), request.session.get("epoch")
    if not isinstance(user_id, int):
        return None
    user = session.get(User, user_id)
    return user if user is not None and user.session_epoch == epoch else None


def sign_in(request: Request, user: User) -> None:
    """Start a fresh session for `user`, with a new CSRF token."""
    request.session.clear()
    request.session.update({"uid": user.id, "epoch": user.session_epoch})
    csrf_token(request)


def sign_out(request: Request) -> None:
    """End the session: the cookie is removed."""
    request.session.clear()
