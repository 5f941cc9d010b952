"""Pages of accounts: signing in and out, and one's own account (password, API tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from orgburo.accounts import service as accounts
from orgburo.accounts.models import User
from orgburo.errors import OrgburoError
from orgburo.web.auth import check_csrf, sent_csrf, session_user, sign_in, sign_out
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
CsrfDep = Annotated[str | None, Depends(sent_csrf)]


def _local(target: str) -> str:
    """Only paths on this site are followed after signing in (no open redirects)."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, session: SessionDep, next: str = "/") -> Response:
    """The sign-in form; a signed-in visitor goes straight on."""
    if session_user(request, session) is not None:
        return RedirectResponse(_local(next), status_code=303)
    return render(request, "accounts/login.html", {"next": _local(next), "errors": {}, "name": ""})


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: SessionDep,
    csrf: CsrfDep,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the name and password; failures are counted per account and per address."""
    context: dict[str, object] = {"next": _local(next), "name": name}
    try:
        check_csrf(request, csrf)
        user = accounts.authenticate(
            session,
            name=name,
            password=password,
            address=request.client.host if request.client else "unknown",
            limiter=request.app.state.login_limiter,
        )
    except OrgburoError as error:
        context["errors"] = field_errors(error)
        return render(request, "accounts/login.html", context, status_code=error.http_status)
    sign_in(request, user)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request, actor: ActorDep) -> Response:
    """End the session."""
    sign_out(request)
    return RedirectResponse("/login", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """One's roles, the password form and API tokens."""
    return render(request, "accounts/account.html", _account(session, actor))


def _account(session: SessionDep, actor: ActorDep, **extra: object) -> dict[str, object]:
    user = session.get_one(User, actor.user_id)
    roles = accounts.roles_of(session, actor)
    return {"user": user, "roles": roles, "errors": {}, "message": None, "token": None, **extra}


@router.post("/account/password", response_class=HTMLResponse)
def change_password(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    current: Annotated[str, Form(max_length=1000)] = "",
    new: Annotated[str, Form(max_length=1000)] = "",
    repeat: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Change one's password; other sessions of the account end, this one goes on."""
    user = session.get_one(User, actor.user_id)
    if new != repeat:
        errors = {"repeat": "does not match the new password"}
        return render(
            request, "accounts/account.html", _account(session, actor, errors=errors), 422
        )
    try:
        accounts.change_password(session, name=user.name, current=current, new=new, actor=actor)
    except OrgburoError as error:
        context = _account(session, actor, errors=field_errors(error))
        return render(request, "accounts/account.html", context, error.http_status)
    sign_in(request, user)
    return render(request, "accounts/account.html", _account(session, actor, message="changed"))


@router.post("/account/tokens", response_class=HTMLResponse)
def issue_token(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    label: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A new API token for one's scripts, shown this once."""
    user = session.get_one(User, actor.user_id)
    token = accounts.issue_token(session, name=user.name, actor=actor, label=label)
    return render(request, "accounts/account.html", _account(session, actor, token=token))
