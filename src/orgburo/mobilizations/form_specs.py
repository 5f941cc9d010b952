"""The "issue a decree" form as a DecreeSpec: the bodies left out typed as `RA, UKR`, the
quota's fields by kind, sub-quotas typed one per line as `name | rule | count`, zone
shares typed as `front=50%, threatened=100%, default=20%`, and role lines typed one per
line as `role | count | destination | requirement`.

Every problem of the typed text is collected and reported at once, under the service's
field names (`quota.zones`, `quota.subquotas[1].count`, `roles[1].count`), so the page
shows them where the service's own problems would go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from orgburo.core.dates import parse_date
from orgburo.errors import Invalid, Problem
from orgburo.web.forms import typed_lines, whole_number

from .models import ABSOLUTE, DELEGATE_SHARE, ZONE_SHARE
from .specs import DecreeSpec, QuotaSpec, RoleLineSpec, SubQuotaSpec

DEFAULT_ZONE = "default"
"""The zone-share key that gives the share of bodies in no listed zone."""
T = TypeVar("T")


def decree_spec(typed: Mapping[str, str]) -> DecreeSpec:
    """The decree typed into the form; Invalid with every problem of the typed text."""
    problems: list[Problem] = []
    on = _collect(problems, lambda: parse_date("issued_on", typed.get("issued_on", "")))
    months = _collect(problems, lambda: whole_number("term_months", typed.get("term_months", "")))
    quota = _collect(problems, lambda: quota_spec(typed))
    roles = _collect(problems, lambda: role_lines(typed.get("roles", "")))
    if problems or on is None or quota is None or roles is None:
        raise Invalid(problems)
    return DecreeSpec(
        code=typed.get("code", "").strip(),
        title=typed.get("title", ""),
        issuing_body=typed.get("issuing_body", "").strip(),
        scope=typed.get("scope", "").strip() or None,
        excluded=codes(typed.get("excluded", "")),
        issued_on=on,
        basis=typed.get("basis", ""),
        destination=typed.get("destination", "").strip(),
        term=typed.get("term", ""),
        term_months=months,
        quota=quota,
        criteria=typed.get("criteria", ""),
        exemptions=typed.get("exemptions", ""),
        roles=roles,
    )


def codes(text: str) -> tuple[str, ...]:
    """Body codes typed separated by commas (`RA, UKR`), blanks skipped."""
    return tuple(code for code in (part.strip() for part in text.split(",")) if code)


def _collect(problems: list[Problem], parse: Callable[[], T]) -> T | None:
    try:
        return parse()
    except Invalid as error:
        problems.extend(error.problems)
        return None


def quota_spec(typed: Mapping[str, str]) -> QuotaSpec:
    """The quota of the kind chosen, from only the fields that kind uses."""
    kind = typed.get("quota_kind", ABSOLUTE)
    if kind == ZONE_SHARE:
        default, zones = zone_shares(typed.get("zones", ""))
        return QuotaSpec(kind=kind, default_share=default, zones=zones)
    if kind == DELEGATE_SHARE:
        congress = typed.get("congress", "").strip() or None
        return QuotaSpec(kind=kind, congress=congress, share=typed.get("share", "").strip() or None)
    total = whole_number("quota.total", typed.get("total", ""))
    return QuotaSpec(kind=kind, total=total, subquotas=subquota_lines(typed.get("subquotas", "")))


def zone_shares(text: str) -> tuple[str | None, dict[str, str]]:
    """`front=50%, threatened=100%, default=20%` as (default share, {zone: share})."""
    default, zones, problems = None, {}, []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        zone, sep, share = (p.strip() for p in item.partition("="))
        if not (sep and zone and share):
            problems.append(Problem("quota.zones", f"{item!r} must look like zone=share"))
        elif zone == DEFAULT_ZONE:
            default = share
        else:
            zones[zone] = share
    if problems:
        raise Invalid(problems)
    return default, zones


def subquota_lines(text: str) -> tuple[SubQuotaSpec, ...]:
    """Sub-quotas typed one per line: `name | rule | count` ("including 100 responsible
    personnel": `responsible | responsible_position | 100`)."""
    return typed_lines(text, "quota.subquotas", 3, _subquota_line)


def _subquota_line(field: str, parts: list[str]) -> SubQuotaSpec:
    name, rule, count = parts
    number = _count(f"{field}.count", count, "each sub-quota needs its count")
    return SubQuotaSpec(name, rule, number)


def role_lines(text: str) -> tuple[RoleLineSpec, ...]:
    """Role lines typed one per line: `role | count | destination | requirement` (the
    destination and requirement may be left out or empty)."""
    return typed_lines(text, "roles", 4, _role_line)


def _role_line(field: str, parts: list[str]) -> RoleLineSpec:
    role, count, destination, requirement = parts
    number = _count(f"{field}.count", count, "each role line needs its count")
    return RoleLineSpec(role, number, destination or None, requirement)


def _count(field: str, text: str, missing: str) -> int:
    number = whole_number(field, text)
    if number is None:
        raise Invalid.one(field, missing)
    return number
