"""Accounts: creating them, roles, tokens, signing in, passwords, and the actor they act as."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.accounts.models import ApiToken
from orgburo.accounts.ratelimit import LoginLimiter
from orgburo.actors import SYSTEM, Actor
from orgburo.audit import AuditEntry
from orgburo.errors import Conflict, Invalid, NotSignedIn, PermissionDenied, TooManyAttempts
from tests.factories import PASSWORD, body, member, small_tree


def sign_in(session: Session, name: str, password: str, limiter: LoginLimiter) -> object:
    return accounts.authenticate(
        session, name=name, password=password, address="10.0.0.1", limiter=limiter
    )


def test_a_user_signs_in_with_the_right_password(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    assert sign_in(session, "anna", PASSWORD, LoginLimiter()) is accounts.get(session, "anna")


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    limiter = LoginLimiter()
    with pytest.raises(NotSignedIn) as wrong:
        sign_in(session, "anna", "not the password", limiter)
    with pytest.raises(NotSignedIn) as unknown:
        sign_in(session, "nobody", PASSWORD, limiter)
    assert str(wrong.value) == str(unknown.value) == "password: the name or the password is wrong"


def test_too_many_failures_block_even_the_right_password(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    limiter = LoginLimiter()
    for _ in range(5):
        with pytest.raises(NotSignedIn):
            sign_in(session, "anna", "guess", limiter)
    with pytest.raises(TooManyAttempts, match="password: too many failed attempts"):
        sign_in(session, "anna", PASSWORD, limiter)


def test_passwords_are_stored_hashed(session: Session) -> None:
    user = accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")


def test_a_short_password_is_refused(session: Session) -> None:
    with pytest.raises(Invalid, match="password: must be at least 10 characters"):
        accounts.create(session, name="anna", password="short", actor=SYSTEM)


def test_only_an_administrator_creates_accounts(session: Session) -> None:
    with pytest.raises(PermissionDenied, match="only an administrator may create accounts"):
        accounts.create(session, name="anna", password=PASSWORD, actor=Actor(name="someone"))


def test_two_accounts_cannot_share_a_name(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    with pytest.raises(Conflict, match="name: an account called 'anna' already exists"):
        accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)


def test_an_account_can_belong_to_a_member(session: Session) -> None:
    small_tree(session)
    person = member(session, "42", "N1")
    accounts.create(session, name="anna", password=PASSWORD, member_id="42", actor=SYSTEM)
    actor = accounts.actor_for(session, accounts.get_or_raise(session, "anna"))
    assert actor.person_id == person.id


def test_a_token_finds_its_user_and_only_its_hash_is_stored(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    token = accounts.issue_token(session, name="anna", actor=SYSTEM, label="script")
    assert accounts.user_for_token(session, token) is accounts.get(session, "anna")
    assert token not in session.scalars(select(ApiToken.token_hash)).all()


def test_a_made_up_token_finds_nobody(session: Session) -> None:
    assert accounts.user_for_token(session, "obt_made-up") is None


def test_a_user_may_not_issue_tokens_for_someone_else(session: Session) -> None:
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    accounts.create(session, name="boris", password=PASSWORD, actor=SYSTEM)
    boris = accounts.actor_for(session, accounts.get_or_raise(session, "boris"))
    with pytest.raises(PermissionDenied):
        accounts.issue_token(session, name="anna", actor=boris)


def test_a_password_change_ends_the_other_sessions(session: Session) -> None:
    user = accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    anna = accounts.actor_for(session, user)
    epoch = user.session_epoch
    accounts.change_password(
        session, name="anna", current=PASSWORD, new="a brand new password", actor=anna
    )
    assert user.session_epoch == epoch + 1
    assert sign_in(session, "anna", "a brand new password", LoginLimiter()) is user


def test_a_password_change_needs_the_current_password(session: Session) -> None:
    user = accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    with pytest.raises(Invalid, match="current: is not the account's password"):
        accounts.change_password(
            session,
            name="anna",
            current="wrong",
            new="a brand new password",
            actor=accounts.actor_for(session, user),
        )


def test_roles_are_granted_listed_and_revoked(session: Session) -> None:
    small_tree(session)
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    accounts.grant(session, name="anna", role="secretary", body_code="NORTH", actor=SYSTEM)
    assert [a.roles for a in accounts.accounts(session, actor=SYSTEM)] == [
        (("secretary", "NORTH"),)
    ]
    accounts.revoke(session, name="anna", role="secretary", body_code="NORTH", actor=SYSTEM)
    assert [a.roles for a in accounts.accounts(session, actor=SYSTEM)] == [()]


def test_an_unknown_role_is_refused_with_the_known_ones(session: Session) -> None:
    small_tree(session)
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    with pytest.raises(Invalid, match="role: 'tsar' is not one of secretary, bureau_member"):
        accounts.grant(session, name="anna", role="tsar", body_code="NORTH", actor=SYSTEM)


def test_a_commission_role_covers_the_body_the_commission_is_attached_to(
    session: Session,
) -> None:
    small_tree(session)
    commission = body(session, "NCC", "NORTH", kind="commission")
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    accounts.grant(session, name="anna", role="control_commission", body_code="NCC", actor=SYSTEM)
    actor = accounts.actor_for(session, accounts.get_or_raise(session, "anna"))
    assert [(g.body_id, g.scope_id) for g in actor.grants] == [
        (commission.id, commission.parent_id)
    ]


def test_every_account_change_is_in_the_audit_trail(session: Session) -> None:
    small_tree(session)
    accounts.create(session, name="anna", password=PASSWORD, actor=SYSTEM)
    accounts.grant(session, name="anna", role="secretary", body_code="NORTH", actor=SYSTEM)
    accounts.issue_token(session, name="anna", actor=SYSTEM)
    accounts.revoke(session, name="anna", role="secretary", body_code="NORTH", actor=SYSTEM)
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_type == "user").order_by(AuditEntry.id)
    ).all()
    assert actions == ["user.created", "user.granted", "user.token_issued", "user.revoked"]
