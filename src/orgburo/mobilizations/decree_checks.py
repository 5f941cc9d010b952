"""Checking a decree before it is issued: every problem is found and reported at once."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.bodies.models import Body
from orgburo.congresses.models import Congress
from orgburo.core.attributes import Attribute
from orgburo.core.quotas import parse_share
from orgburo.core.rules import compile_rule
from orgburo.core.tree import check_code
from orgburo.errors import Invalid, Problem

from .models import (
    ABSOLUTE,
    BASES,
    DELEGATE_SHARE,
    QUOTA_KINDS,
    TEMPORARY,
    TERMS,
    ZONE_SHARE,
    Destination,
    RoleType,
)
from .specs import DecreeSpec, QuotaSpec, RoleLineSpec

MAX_TERM_MONTHS = 120


def caught(check: Callable[[], object]) -> list[Problem]:
    """The problems `check` raises as Invalid, or none."""
    try:
        check()
    except Invalid as error:
        return list(error.problems)
    return []


def body_problems(session: Session, spec: DecreeSpec) -> tuple[list[Problem], Body | None]:
    """Whether the issuing body exists, the scope lies in its subtree, and each excluded
    body lies strictly inside the scope."""
    issuer = _body(session, spec.issuing_body)
    if issuer is None:
        return [Problem("issuing_body", f"no body has the code {spec.issuing_body!r}")], None
    problems = []
    if spec.issued_on < issuer.opened_on:
        reason = f"{spec.issued_on} is before {issuer.code!r} opened ({issuer.opened_on})"
        problems.append(Problem("issued_on", reason))
    scope: Body | None = issuer
    if spec.scope is not None and spec.scope != issuer.code:
        scope = _body(session, spec.scope)
        if scope is None:
            problems.append(Problem("scope", f"no body has the code {spec.scope!r}"))
        elif not access.in_subtree(session, scope.id, [issuer.id]):
            reason = f"{scope.code!r} is outside the subtree of the issuing body {issuer.code!r}"
            problems.append(Problem("scope", reason))
    if scope is not None:
        problems += exclusion_problems(session, spec.excluded, scope)
    return problems, issuer


def exclusion_problems(session: Session, codes: Sequence[str], scope: Body) -> list[Problem]:
    """Each excluded code names a body strictly inside the scope, once."""
    problems = []
    for i, code in enumerate(codes):
        where = f"excluded[{i}]"
        body = _body(session, code)
        if body is None:
            problems.append(Problem(where, f"no body has the code {code!r}"))
        elif body.id == scope.id:
            problems.append(Problem(where, f"{code!r} is the scope itself: nobody would be left"))
        elif not access.in_subtree(session, body.id, [scope.id]):
            reason = f"{code!r} is outside the subtree of the scope {scope.code!r}"
            problems.append(Problem(where, reason))
        elif code in codes[:i]:
            problems.append(Problem(where, f"{code!r} is excluded twice"))
    return problems


def _body(session: Session, code: str) -> Body | None:
    return session.scalar(select(Body).where(Body.code == code))


def spec_problems(
    session: Session, spec: DecreeSpec, known: Mapping[str, Attribute]
) -> list[Problem]:
    """Everything else wrong with the decree: terms, quota, rules, roles."""
    problems = caught(lambda: check_code(spec.code))
    if not spec.title.strip() or len(spec.title) > 300:
        problems.append(Problem("title", "must be 1 to 300 characters"))
    if spec.basis not in BASES:
        problems.append(Problem("basis", f"{spec.basis!r} is not one of {', '.join(BASES)}"))
    problems += _term_problems(spec)
    if _code_of(session, Destination, spec.destination) is None:
        problems.append(Problem("destination", f"no destination has the code {spec.destination!r}"))
    problems += quota_problems(session, spec.quota, known)
    problems += caught(lambda: compile_rule(spec.criteria, known, field="criteria"))
    problems += caught(lambda: compile_rule(spec.exemptions, known, field="exemptions"))
    for i, line in enumerate(spec.roles):
        problems += _line_problems(session, line, i, known)
    return problems


def _term_problems(spec: DecreeSpec) -> list[Problem]:
    if spec.term not in TERMS:
        return [Problem("term", f"{spec.term!r} is not one of {', '.join(TERMS)}")]
    months = spec.term_months
    if spec.term == TEMPORARY and (months is None or not 1 <= months <= MAX_TERM_MONTHS):
        reason = f"a temporary term needs its length in months, 1 to {MAX_TERM_MONTHS}"
        return [Problem("term_months", reason)]
    if spec.term != TEMPORARY and months is not None:
        return [Problem("term_months", "a permanent term has no length")]
    return []


def quota_problems(
    session: Session, quota: QuotaSpec, known: Mapping[str, Attribute]
) -> list[Problem]:
    """The quota's own problems, by its kind."""
    if quota.kind not in QUOTA_KINDS:
        return [Problem("quota.kind", f"{quota.kind!r} is not one of {', '.join(QUOTA_KINDS)}")]
    problems = _unused_fields(quota)
    if quota.kind == ABSOLUTE:
        return problems + _absolute_problems(quota, known)
    if quota.kind == ZONE_SHARE:
        return problems + _zone_problems(quota)
    return problems + _delegate_problems(session, quota)


def _unused_fields(quota: QuotaSpec) -> list[Problem]:
    used = {
        ABSOLUTE: {"total", "subquotas"},
        ZONE_SHARE: {"default_share", "zones"},
        DELEGATE_SHARE: {"congress", "share"},
    }[quota.kind]
    given = {
        name
        for name in ("total", "subquotas", "default_share", "zones", "congress", "share")
        if getattr(quota, name) not in (None, (), [], {})
    }
    return [
        Problem(f"quota.{n}", f"has no meaning for a quota of kind {quota.kind}")
        for n in sorted(given - used)
    ]


def _absolute_problems(quota: QuotaSpec, known: Mapping[str, Attribute]) -> list[Problem]:
    if quota.total is None or quota.total < 1:
        return [Problem("quota.total", "an absolute quota needs a positive number")]
    problems = []
    for i, sub in enumerate(quota.subquotas):
        where = f"quota.subquotas[{i}]"
        if not sub.name.strip() or len(sub.name) > 100:
            problems.append(Problem(f"{where}.name", "must be 1 to 100 characters"))
        if not sub.rule.strip():
            problems.append(Problem(f"{where}.rule", "must not be empty; it says who counts"))
        problems += _rule_problems(sub.rule, known, f"{where}.rule")
        if sub.count < 1:
            problems.append(Problem(f"{where}.count", f"{sub.count} is not a positive number"))
    included = sum(max(s.count, 0) for s in quota.subquotas)
    if included > quota.total:
        reason = f"sub-quotas add up to {included}, more than the quota of {quota.total}"
        problems.append(Problem("quota.subquotas", reason))
    names = [s.name.strip() for s in quota.subquotas]
    problems += [
        Problem("quota.subquotas", f"the name {n!r} is used twice")
        for n in sorted({n for n in names if names.count(n) > 1})
    ]
    return problems


def _zone_problems(quota: QuotaSpec) -> list[Problem]:
    if quota.default_share is None and not quota.zones:
        return [Problem("quota.zones", "a share by zone needs a default share or zone shares")]
    problems = []
    if quota.default_share is not None:
        problems += caught(lambda: parse_share(quota.default_share or "", "quota.default_share"))
    for zone, share in quota.zones.items():
        if not str(zone).strip() or len(str(zone)) > 80:
            problems.append(Problem("quota.zones", f"{zone!r} is not a zone label"))
        problems += _share_problems(share, f"quota.zones.{zone}")
    return problems


def _rule_problems(rule: str, known: Mapping[str, Attribute], field: str) -> list[Problem]:
    return caught(lambda: compile_rule(rule, known, field=field))


def _share_problems(share: str, field: str) -> list[Problem]:
    return caught(lambda: parse_share(share, field))


def _delegate_problems(session: Session, quota: QuotaSpec) -> list[Problem]:
    problems = []
    if quota.congress is None or _code_of(session, Congress, quota.congress) is None:
        problems.append(Problem("quota.congress", f"no congress has the code {quota.congress!r}"))
    if quota.share is None:
        problems.append(Problem("quota.share", "a share of delegates needs the share"))
    else:
        problems += caught(lambda: parse_share(quota.share or "", "quota.share"))
    return problems


def _line_problems(
    session: Session, line: RoleLineSpec, i: int, known: Mapping[str, Attribute]
) -> list[Problem]:
    where = f"roles[{i}]"
    problems = []
    if _code_of(session, RoleType, line.role) is None:
        problems.append(Problem(f"{where}.role", f"no role type has the code {line.role!r}"))
    if line.destination is not None and _code_of(session, Destination, line.destination) is None:
        reason = f"no destination has the code {line.destination!r}"
        problems.append(Problem(f"{where}.destination", reason))
    if line.count < 1:
        problems.append(Problem(f"{where}.count", f"{line.count} is not a positive number"))
    problems += caught(lambda: compile_rule(line.requirement, known, field=f"{where}.requirement"))
    return problems


def _code_of(session: Session, model: Any, code: str) -> int | None:
    found: int | None = session.scalar(select(model.id).where(model.code == code))
    return found
