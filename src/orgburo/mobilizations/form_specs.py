"""The "issue a decree" form as a DecreeSpec: the quota's fields by kind, zone shares typed
as `front=50%, threatened=100%, default=20%`, and role lines typed one per line as
`role | count | destination | requirement`.

Every problem of the typed text is collected and reported at once, under the service's
field names (`quota.zones`, `roles[1].count`), so the page shows them where the service's
own problems would go.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from orgburo.core.dates import parse_date
from orgburo.errors import Invalid, Problem
from orgburo.web.forms import whole_number

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
    return QuotaSpec(kind=kind, total=total, subquotas=_subquotas(typed))


def _subquotas(typed: Mapping[str, str]) -> tuple[SubQuotaSpec, ...]:
    name = typed.get("subquota_name", "").strip()
    rule = typed.get("subquota_rule", "").strip()
    count = typed.get("subquota_count", "").strip()
    if not (name or rule or count):
        return ()
    number = whole_number("quota.subquotas[0].count", count)
    if number is None:
        raise Invalid.one("quota.subquotas[0].count", "a sub-quota needs its count")
    return (SubQuotaSpec(name, rule, number),)


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


def role_lines(text: str) -> tuple[RoleLineSpec, ...]:
    """Role lines typed one per line: `role | count | destination | requirement` (the
    destination and requirement may be left out or empty)."""
    found, problems = [], []
    lines = [line for line in text.splitlines() if line.strip()]
    for i, line in enumerate(lines):
        parts = [p.strip() for p in line.split("|", 3)]
        parts += [""] * (4 - len(parts))
        try:
            count = whole_number(f"roles[{i}].count", parts[1])
        except Invalid as error:
            problems += error.problems
            continue
        if count is None:
            problems.append(Problem(f"roles[{i}].count", "each role line needs its count"))
            continue
        found.append(RoleLineSpec(parts[0], count, parts[2] or None, parts[3]))
    if problems:
        raise Invalid(problems)
    return tuple(found)
