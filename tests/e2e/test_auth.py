"""Signing in and out over HTTP: sessions, CSRF, tokens, rate limits and the secret key."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import Engine, delete

from orgburo import recent
from orgburo.accounts import service as accounts
from orgburo.accounts.models import RoleGrantRow
from orgburo.actors import SYSTEM
from orgburo.config import get_settings
from orgburo.db import unit_of_work
from orgburo.errors import Invalid
from orgburo.web import auth
from orgburo.web.app import create_app
from tests.factories import PASSWORD, account, small_tree

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def browser(fresh_engine: Engine) -> Iterator[TestClient]:
    """A client that keeps cookies, like a browser, with an account 'anna' to sign in as."""
    with unit_of_work(fresh_engine) as session:
        small_tree(session)
        account(session, "anna", roles=(("secretary", "NORTH"),))
    with TestClient(create_app(fresh_engine), follow_redirects=False) as client:
        yield client


def csrf_of(client: TestClient, path: str = "/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def sign_in(client: TestClient, password: str = PASSWORD, next: str = "/") -> Response:
    form = {"name": "anna", "password": password, "next": next, "csrf_token": csrf_of(client)}
    return client.post("/login", data=form)


def test_an_anonymous_page_visit_is_sent_to_sign_in(browser: TestClient) -> None:
    response = browser.get("/bodies/NORTH")
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/login?next=/bodies/NORTH",
    )


def test_an_anonymous_api_call_is_refused_with_401(browser: TestClient) -> None:
    response = browser.get("/api/bodies")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/login", "/api/health", "/docs", "/openapi.json"])
def test_a_few_addresses_are_public(browser: TestClient, path: str) -> None:
    assert browser.get(path).status_code == 200


def test_signing_in_goes_on_to_the_page_asked_for(browser: TestClient) -> None:
    response = sign_in(browser, next="/bodies/N1")
    assert (response.status_code, response.headers["location"]) == (303, "/bodies/N1")
    assert browser.get("/bodies/N1").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax(browser: TestClient) -> None:
    cookie = sign_in(browser).headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie


def test_signing_in_never_leaves_the_site(browser: TestClient) -> None:
    assert sign_in(browser, next="//evil.example/").headers["location"] == "/"


def test_a_wrong_password_is_shown_beside_the_field(browser: TestClient) -> None:
    response = sign_in(browser, password="not the password")
    assert response.status_code == 401
    assert 'id="password-error"' in response.text


def test_repeated_failures_are_answered_with_429(browser: TestClient) -> None:
    for _ in range(5):
        sign_in(browser, password="a guess")
    assert sign_in(browser).status_code == 429


def test_a_sign_in_without_the_csrf_token_is_refused(browser: TestClient) -> None:
    browser.get("/login")
    response = browser.post("/login", data={"name": "anna", "password": PASSWORD})
    assert response.status_code == 403


def test_a_form_posted_without_the_csrf_token_is_refused(browser: TestClient) -> None:
    sign_in(browser)
    assert browser.post("/logout").status_code == 403


def test_a_script_using_the_session_sends_the_csrf_header(browser: TestClient) -> None:
    sign_in(browser)
    token = csrf_of(browser, "/account")
    body = {"code": "N9", "name": "N9", "kind": "committee", "parent": "NORTH"}
    assert browser.post("/api/bodies", json=body).status_code == 403
    assert (
        browser.post("/api/bodies", json=body, headers={"X-CSRF-Token": token}).status_code == 201
    )


def test_a_bearer_token_needs_no_csrf_token(fresh_engine: Engine, client: TestClient) -> None:
    body = {"code": "R", "name": "Root", "kind": "committee"}
    assert client.post("/api/bodies", json=body).status_code == 201


def test_a_made_up_bearer_token_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/api/me", headers={"Authorization": "Bearer obt_made-up"})
    assert response.status_code == 401


def test_a_revoked_role_is_gone_at_the_next_request(
    browser: TestClient, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        token = accounts.issue_token(session, name="anna", actor=SYSTEM)
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get("/api/me", headers=bearer).json()["roles"] != []
    with unit_of_work(fresh_engine) as session:
        accounts.revoke(session, name="anna", role="secretary", body_code="NORTH", actor=SYSTEM)
    assert browser.get("/api/me", headers=bearer).json()["roles"] == []


def test_a_change_made_by_another_process_is_seen_within_a_few_seconds(
    browser: TestClient, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unit_of_work(fresh_engine) as session:
        token = accounts.issue_token(session, name="anna", actor=SYSTEM)
    bearer = {"Authorization": f"Bearer {token}"}
    assert browser.get("/api/me", headers=bearer).json()["roles"] != []
    with fresh_engine.begin() as connection:  # as the command line of another process would
        connection.execute(delete(RoleGrantRow))
    assert browser.get("/api/me", headers=bearer).json()["roles"] != []
    later = time.monotonic() + auth.ACTOR_SECONDS
    monkeypatch.setattr(recent.time, "monotonic", lambda: later)
    assert browser.get("/api/me", headers=bearer).json()["roles"] == []


def test_signing_out_ends_the_session(browser: TestClient) -> None:
    sign_in(browser)
    browser.post("/logout", data={"csrf_token": csrf_of(browser, "/account")})
    assert browser.get("/account").status_code == 303


def test_a_password_change_ends_the_other_sessions(
    browser: TestClient, fresh_engine: Engine
) -> None:
    with TestClient(create_app(fresh_engine), follow_redirects=False) as other:
        sign_in(other)
        sign_in(browser)
        form = {
            "current": PASSWORD,
            "new": "a new long password",
            "repeat": "a new long password",
            "csrf_token": csrf_of(browser, "/account"),
        }
        assert "Password changed" in browser.post("/account/password", data=form).text
        assert browser.get("/account").status_code == 200
        assert other.get("/account").status_code == 303


def test_a_password_change_with_a_wrong_current_password_says_so(browser: TestClient) -> None:
    sign_in(browser)
    form = {
        "current": "wrong",
        "new": "a new long password",
        "repeat": "a new long password",
        "csrf_token": csrf_of(browser, "/account"),
    }
    response = browser.post("/account/password", data=form)
    assert response.status_code == 422
    assert "is not the account&#39;s password" in response.text


def test_a_user_makes_an_api_token_on_their_account_page(browser: TestClient) -> None:
    sign_in(browser)
    page = browser.post(
        "/account/tokens", data={"label": "s", "csrf_token": csrf_of(browser, "/account")}
    ).text
    token = re.search(r'<code class="token">([^<]+)</code>', page)
    assert token
    me = browser.get("/api/me", headers={"Authorization": f"Bearer {token.group(1)}"}).json()
    assert me["roles"] == [{"role": "secretary", "body": "NORTH"}]


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ORGBURO_DEV_MODE", "false")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_the_placeholder_secret_is_refused_outside_development(
    production: None, fresh_engine: Engine
) -> None:
    with pytest.raises(Invalid, match="ORGBURO_SECRET_KEY"):
        create_app(fresh_engine)


def test_a_real_secret_is_accepted_outside_development(
    production: None, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORGBURO_SECRET_KEY", "x" * 40)
    get_settings.cache_clear()
    assert create_app(fresh_engine).title == "Orgburo"
