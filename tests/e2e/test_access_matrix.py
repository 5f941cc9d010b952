"""The access matrix: every route x every role x inside or outside NORTH's subtree.

The expected answer comes from RULES, one rule per route of the application's route
table. A route without a rule fails `test_every_route_has_an_access_rule`, which says
what to add. Every request runs in a transaction that is rolled back, so the cases do
not see each other's changes. Callers use API tokens (which need no CSRF token); the
CSRF check of cookie sessions is tested for every unsafe route at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session
from starlette.routing import Mount

from orgburo.accounts import service as accounts
from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.congresses import service as congresses
from orgburo.core.delegates import Norm
from orgburo.db import make_engine, unit_of_work
from orgburo.elections import service as elections
from orgburo.elections.models import ElectionResult
from orgburo.enrollment import campaigns, meetings
from orgburo.enrollment import service as enrollment
from orgburo.enrollment.campaigns import CampaignSpec
from orgburo.enrollment.service import Applicant
from orgburo.members import service as members
from orgburo.members.imports import ImportJob
from orgburo.migrations import upgrade
from orgburo.mobilizations import catalogs, quotas, selection
from orgburo.mobilizations import decrees as mobilization_decrees
from orgburo.mobilizations.specs import DecreeSpec, QuotaSpec, RoleLineSpec
from orgburo.offices import service as offices
from orgburo.offices.models import OrganSeat
from orgburo.tabular import ImportResult
from orgburo.web.app import create_app
from orgburo.web.deps import get_session
from tests.factories import PASSWORD, account, body, member, small_tree

PUBLIC = "public"  # anybody, signed in or not
SIGNED_IN = "signed in"  # any account
READ = "read the body"  # administrators; officers and control commissions of its subtree
READ_PERSON = "read the member"  # as READ, and the member themself
CHANGE = "change"  # administrators; officers (secretary, bureau member) of its subtree
ADMIN = "admin"  # administrators only
OWNER = "owner"  # administrators and the account that started it (import jobs)
ACCESS = (PUBLIC, SIGNED_IN, READ, READ_PERSON, CHANGE, ADMIN, OWNER)
TODAY = date.today().isoformat()
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Rule:
    """Who may call a route, and a valid request to make (placeholders: see PLACES)."""

    access: str
    query: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    upload: bool = False
    # Values of this route's placeholders (inside NORTH, outside it) where PLACES' do not fit.
    params: dict[str, tuple[str, str]] = field(default_factory=dict)


# Sittings, elections and offices of NORTH (inside) and SOUTH (outside): see `sittings`.
SITTING = {"code": ("CN", "CS"), "org": ("N1", "S1")}
DRAFT = {"code": ("EN", "ES")}  # an election still taking nominations
POLL = {"code": ("VN", "VS")}  # an open poll
COUNTED = {"code": ("RN", "RS"), "person": ("n", "s")}  # a counted election
OFFICE = {"code": ("ON", "OS")}
# Campaigns of NORTH and SOUTH, each with an application from N1 or S1: see `campaigns`.
CAMPAIGN = {"code": ("KN", "KS"), "org": ("N1", "S1"), "ref": ("AN", "AS")}
APPLICATION = {"name": "New", "body": "{org}", "received_on": TODAY, "attributes": {}}

# Decrees of NORTH and SOUTH, each calling up every member of its scope: see `mobilizations`.
MOBILIZATION = {"code": ("MN", "MS"), "org": ("N1", "S1")}
DECREE_FORM = {
    "code": "NEWM",
    "title": "New",
    "issued_on": TODAY,
    "basis": "individual",
    "destination": "WEST",
    "term": "permanent",
    "total": "1",
}
DECREE = {
    **{k: v for k, v in DECREE_FORM.items() if k != "total"},
    "issuing_body": "{code}",
    "quota": {"total": 1},
}

RULES: dict[str, Rule] = {
    "GET /openapi.json": Rule(PUBLIC),
    "GET /docs": Rule(PUBLIC),
    "GET /docs/oauth2-redirect": Rule(PUBLIC),
    "GET /redoc": Rule(PUBLIC),
    "GET /static/{path}": Rule(PUBLIC),
    "GET /api/health": Rule(PUBLIC),
    "GET /login": Rule(PUBLIC),
    "POST /login": Rule(PUBLIC, form={"name": "admin", "password": PASSWORD}),
    "POST /logout": Rule(SIGNED_IN, form={}),
    "GET /account": Rule(SIGNED_IN),
    "POST /account/password": Rule(
        SIGNED_IN, form={"current": PASSWORD, "new": "x" * 12, "repeat": "x" * 12}
    ),
    "POST /account/tokens": Rule(SIGNED_IN, form={"label": "t"}),
    "GET /api/me": Rule(SIGNED_IN),
    "GET /": Rule(SIGNED_IN),
    "GET /bodies": Rule(SIGNED_IN),
    "GET /search": Rule(SIGNED_IN, query={"q": "Member"}),
    "GET /api/bodies": Rule(SIGNED_IN),
    "POST /api/bodies": Rule(
        CHANGE, json={"code": "NEW", "name": "New", "kind": "committee", "parent": "{code}"}
    ),
    "GET /api/bodies/{code}": Rule(READ),
    "GET /api/bodies/{code}/history": Rule(READ),
    "POST /api/bodies/{code}/move": Rule(CHANGE, json={"parent": "{sibling}", "on": TODAY}),
    "POST /api/bodies/{code}/change": Rule(CHANGE, json={"name": "Renamed", "on": TODAY}),
    "POST /api/bodies/{code}/close": Rule(CHANGE, json={"on": TODAY}),
    "GET /api/bodies/{code}/members": Rule(READ),
    "GET /api/bodies/{code}/audit": Rule(READ),
    "POST /api/members": Rule(
        CHANGE, json={"id": "new", "name": "New", "body": "{code}", "on": TODAY}
    ),
    "GET /api/members/{id}": Rule(READ_PERSON),
    "GET /api/members/{id}/history": Rule(READ_PERSON),
    "GET /api/members/{id}/audit": Rule(READ_PERSON),
    "POST /api/members/{id}/confirm": Rule(CHANGE, json={"on": TODAY}),
    "POST /api/members/{id}/transfer": Rule(CHANGE, json={"to": "{sibling}", "on": TODAY}),
    "POST /api/members/{id}/attributes": Rule(
        CHANGE, json={"attributes": {"sex": "female"}, "on": TODAY}
    ),
    "POST /api/members/{id}/end": Rule(CHANGE, json={"reason": "left", "on": TODAY}),
    "GET /api/attributes": Rule(SIGNED_IN),
    "POST /api/attributes": Rule(ADMIN, json={"name": "shoe", "type": "text"}),
    "GET /api/census": Rule(READ, query={"body": "{code}"}),
    "GET /api/census/change": Rule(READ, query={"body": "{code}", "start": "1919-01-01"}),
    "GET /api/census/dimensions": Rule(SIGNED_IN),
    "GET /census": Rule(READ, query={"body": "{code}"}),
    "GET /bodies/{code}": Rule(READ),
    "GET /bodies/{code}/children": Rule(READ),
    "GET /bodies/{code}/trend": Rule(READ),
    "GET /bodies/{code}/members": Rule(READ),
    "GET /bodies/{code}/audit": Rule(READ),
    "GET /bodies/{code}/import": Rule(CHANGE),
    "POST /bodies/{code}/import": Rule(CHANGE, upload=True),
    "GET /imports/{job_id}": Rule(OWNER),
    "GET /imports/{job_id}/progress": Rule(OWNER),
    "GET /members/{id}": Rule(READ_PERSON),
    "GET /members/{id}/audit": Rule(READ_PERSON),
    "POST /members/{id}/confirm": Rule(CHANGE, form={"on": TODAY}),
    "POST /members/{id}/transfer": Rule(CHANGE, form={"to": "{sibling}", "on": TODAY}),
    "POST /members/{id}/update": Rule(
        CHANGE, form={"attribute": "sex", "value": "female", "on": TODAY}
    ),
    "POST /members/{id}/end": Rule(CHANGE, form={"reason": "left", "on": TODAY}),
    "GET /scenarios": Rule(SIGNED_IN),
    "GET /scenarios/{name}": Rule(SIGNED_IN),
    "GET /api/scenarios": Rule(SIGNED_IN),
    "GET /api/scenarios/{name}": Rule(SIGNED_IN),
    "GET /api/scenarios/{name}/figures": Rule(SIGNED_IN),
    # Sittings: reading them is not registry data; the delegates are; changes belong to
    # the convening body's officers. The electoral chain is loaded by administrators.
    "GET /api/congresses": Rule(SIGNED_IN),
    "POST /api/congresses": Rule(
        CHANGE,
        json={
            "code": "NEWC",
            "name": "New",
            "kind": "conference",
            "body": "{code}",
            "opens_on": TODAY,
        },
    ),
    "GET /api/congresses/{code}": Rule(SIGNED_IN, params=SITTING),
    "POST /api/congresses/{code}/apportion": Rule(CHANGE, json={}, params=SITTING),
    "GET /api/congresses/{code}/quotas": Rule(SIGNED_IN, params=SITTING),
    "GET /api/congresses/{code}/delegates": Rule(READ, params=SITTING),
    "POST /api/congresses/{code}/delegates": Rule(
        CHANGE, json={"person": "{id}", "organization": "{org}"}, params=SITTING
    ),
    "POST /api/congresses/{code}/credentials": Rule(CHANGE, params=SITTING),
    "POST /api/chain": Rule(ADMIN, json={"body": "{code}"}),
    "GET /api/chain": Rule(SIGNED_IN),
    "GET /congresses": Rule(SIGNED_IN),
    "GET /congresses/{code}": Rule(SIGNED_IN, params=SITTING),
    "GET /congresses/{code}/delegates": Rule(READ, params=SITTING),
    "GET /chain": Rule(SIGNED_IN),
    # The forms of the same pages call the same services as the API, with the same rules.
    "POST /congresses": Rule(
        CHANGE,
        form={
            "code": "NEWC",
            "name": "New",
            "kind": "conference",
            "body": "{code}",
            "opens_on": TODAY,
        },
    ),
    "POST /congresses/{code}/apportion": Rule(CHANGE, form={}, params=SITTING),
    "POST /congresses/{code}/elections": Rule(CHANGE, form={}, params=SITTING),
    "POST /congresses/{code}/delegates": Rule(
        CHANGE, form={"person": "{id}", "organization": "{org}"}, params=SITTING
    ),
    "POST /congresses/{code}/credentials": Rule(CHANGE, form={}, params=SITTING),
    "POST /chain": Rule(ADMIN, form={"body": "{code}", "opened_on": TODAY}),
    # Elections: what an election is, its result, box and receipts are public; voting
    # needs only the one-time credential; running one belongs to the convening body.
    "GET /api/elections": Rule(PUBLIC),
    "POST /api/elections": Rule(
        CHANGE,
        json={"code": "NEWE", "title": "New", "congress": "{sitting}", "method": "block"},
        params={"sitting": SITTING["code"]},
    ),
    "POST /api/elections/from-chain": Rule(
        CHANGE, json={"congress": "{sitting}"}, params={"sitting": SITTING["code"]}
    ),
    "GET /api/elections/{code}": Rule(PUBLIC, params=DRAFT),
    "POST /api/elections/{code}/nominations": Rule(CHANGE, json={"person": "{id}"}, params=DRAFT),
    "DELETE /api/elections/{code}/nominations/{person}": Rule(CHANGE, params=COUNTED),
    "POST /api/elections/{code}/open": Rule(CHANGE, params=DRAFT),
    "POST /api/elections/{code}/credentials/{person}/reissue": Rule(CHANGE, params=COUNTED),
    "POST /api/elections/{code}/close": Rule(CHANGE, params=DRAFT),
    "POST /api/elections/{code}/count": Rule(CHANGE, params=DRAFT),
    "GET /api/elections/{code}/result": Rule(PUBLIC, params=COUNTED),
    "POST /api/elections/{code}/ballots": Rule(
        PUBLIC, json={"credential": "x", "marks": []}, params=POLL
    ),
    "GET /api/elections/{code}/box": Rule(PUBLIC, params=COUNTED),
    "GET /api/elections/{code}/box.blt": Rule(PUBLIC, params=COUNTED),
    "POST /api/elections/{code}/receipts": Rule(PUBLIC, json={"receipt": "x"}, params=COUNTED),
    "GET /elections": Rule(PUBLIC),
    "GET /elections/{code}": Rule(PUBLIC, params=COUNTED),
    "GET /elections/{code}/box": Rule(PUBLIC, params=COUNTED),
    "POST /elections/{code}/box": Rule(PUBLIC, form={"receipt": "x"}, params=COUNTED),
    "GET /elections/{code}/run": Rule(CHANGE, params=DRAFT),
    "POST /elections/{code}/nominations": Rule(CHANGE, form={"person": "{id}"}, params=DRAFT),
    "POST /elections/{code}/withdraw": Rule(CHANGE, form={"person": "{id}"}, params=COUNTED),
    "POST /elections/{code}/open": Rule(CHANGE, form={}, params=DRAFT),
    "POST /elections/{code}/reissue": Rule(CHANGE, form={"person": "{id}"}, params=COUNTED),
    "POST /elections/{code}/close": Rule(CHANGE, form={}, params=DRAFT),
    "POST /elections/{code}/count": Rule(CHANGE, form={}, params=DRAFT),
    "GET /vote": Rule(PUBLIC),
    "POST /vote": Rule(PUBLIC, form={"election": "{code}", "credential": "x"}, params=POLL),
    "POST /vote/cast": Rule(PUBLIC, form={"election": "{code}", "credential": "x"}, params=POLL),
    # Offices and organs: readable by any account; their holders are changed by the
    # officers of the body the office or organ belongs to.
    "GET /api/offices": Rule(SIGNED_IN),
    "POST /api/offices": Rule(CHANGE, json={"code": "NEWO", "title": "New", "body": "{code}"}),
    "GET /api/offices/{code}/terms": Rule(SIGNED_IN, params=OFFICE),
    "POST /api/offices/{code}/terms": Rule(
        CHANGE, json={"holder": "{id}", "started_on": TODAY}, params=OFFICE
    ),
    "POST /api/offices/{code}/end": Rule(
        CHANGE, json={"on": TODAY, "reason": "resigned"}, params=OFFICE
    ),
    "GET /api/offices/{code}/holders": Rule(SIGNED_IN, query={"on": TODAY}, params=OFFICE),
    "GET /api/organs/{code}/seats": Rule(SIGNED_IN),
    "POST /api/organs/{code}/seats/{person}/vacate": Rule(
        CHANGE, json={"on": TODAY, "reason": "resigned"}, params={"person": ("n", "s")}
    ),
    "GET /offices": Rule(SIGNED_IN),
    "GET /offices/{code}": Rule(SIGNED_IN, params=OFFICE),
    "GET /organs/{code}": Rule(SIGNED_IN),
    # Enrollment: a campaign concerns the officers of the bodies it reaches; applications,
    # meetings and votes belong to the officers of the body that received or held them.
    "GET /api/enrollment/campaigns": Rule(SIGNED_IN),
    "POST /api/enrollment/campaigns": Rule(
        CHANGE,
        json={
            "code": "NEWK",
            "name": "New",
            "body": "{code}",
            "opens_on": "2000-01-01",
            "closes_on": TODAY,
        },
    ),
    "GET /api/enrollment/campaigns/{code}": Rule(READ, params=CAMPAIGN),
    "POST /api/enrollment/campaigns/{code}/applications": Rule(
        CHANGE, json=APPLICATION, params=CAMPAIGN
    ),
    "POST /api/enrollment/campaigns/{code}/joint-applications": Rule(
        CHANGE,
        json={
            "ref": "J1",
            "body": "{org}",
            "received_on": TODAY,
            "applicants": [{"name": "New", "attributes": {}}],
        },
        params=CAMPAIGN,
    ),
    "GET /api/enrollment/campaigns/{code}/applications": Rule(READ, params=CAMPAIGN),
    "GET /api/enrollment/campaigns/{code}/applications/{ref}": Rule(READ, params=CAMPAIGN),
    "POST /api/enrollment/campaigns/{code}/applications/{ref}/recommendations": Rule(
        CHANGE, json={"recommender": "{id}", "given_on": TODAY}, params=CAMPAIGN
    ),
    "POST /api/enrollment/campaigns/{code}/applications/{ref}/stage": Rule(
        CHANGE, json={"outcome": "confirmed", "on": TODAY}, params=CAMPAIGN
    ),
    "POST /api/enrollment/campaigns/{code}/meetings": Rule(
        CHANGE,
        json={"body": "{org}", "held_on": TODAY, "members_present": 1, "votes": []},
        params=CAMPAIGN,
    ),
    "GET /api/enrollment/meetings/{meeting_id}": Rule(READ, params={"meeting_id": ("1", "2")}),
    "GET /api/enrollment/campaigns/{code}/figures": Rule(READ, params=CAMPAIGN),
    "GET /api/enrollment/campaigns/{code}/composition": Rule(READ, params=CAMPAIGN),
    "GET /api/enrollment/recommenders/{registry_id}": Rule(
        READ_PERSON, params={"registry_id": ("n", "s")}
    ),
    "POST /api/enrollment/campaigns/{code}/applications/import": Rule(
        CHANGE, upload=True, params=CAMPAIGN
    ),
    "POST /api/enrollment/campaigns/{code}/outcomes/import": Rule(
        CHANGE, upload=True, params=CAMPAIGN
    ),
    "GET /enrollment": Rule(SIGNED_IN),
    "GET /enrollment/{code}": Rule(READ, params=CAMPAIGN),
    "POST /enrollment": Rule(
        CHANGE,
        form={
            "code": "NEWK",
            "name": "New",
            "body": "{code}",
            "opens_on": "2000-01-01",
            "closes_on": TODAY,
        },
    ),
    "GET /enrollment/{code}/work": Rule(READ, params=CAMPAIGN),
    "POST /enrollment/{code}/applications": Rule(
        CHANGE, form={"name": "New", "body": "{org}", "received_on": TODAY}, params=CAMPAIGN
    ),
    "POST /enrollment/{code}/meetings": Rule(
        CHANGE,
        form={"body": "{org}", "held_on": TODAY, "members_present": "1"},
        params=CAMPAIGN,
    ),
    "GET /enrollment/{code}/applications/{ref}": Rule(READ, params=CAMPAIGN),
    "POST /enrollment/{code}/applications/{ref}/recommend": Rule(
        CHANGE, form={"recommender": "{id}", "given_on": TODAY}, params=CAMPAIGN
    ),
    "POST /enrollment/{code}/applications/{ref}/stage": Rule(
        CHANGE, form={"outcome": "confirmed", "on": TODAY}, params=CAMPAIGN
    ),
    # Mobilizations: a decree is read by whoever reads its scope and acted on by the officers
    # of its scope (an entry: of the body the member is called up from); destinations and
    # role types are kept by administrators.
    "GET /api/mobilizations/destinations": Rule(SIGNED_IN),
    "POST /api/mobilizations/destinations": Rule(
        ADMIN, json={"code": "NEWD", "name": "New", "kind": "front"}
    ),
    "GET /api/mobilizations/roles": Rule(SIGNED_IN),
    "POST /api/mobilizations/roles": Rule(ADMIN, json={"code": "newr", "name": "New"}),
    "GET /api/mobilizations/decrees": Rule(SIGNED_IN),
    "POST /api/mobilizations/decrees": Rule(CHANGE, json=DECREE),
    "GET /api/mobilizations/decrees/{code}": Rule(READ, params=MOBILIZATION),
    "POST /api/mobilizations/endings": Rule(CHANGE, json={"body": "{code}", "from_on": TODAY}),
    "POST /api/mobilizations/decrees/{code}/apportion": Rule(CHANGE, json={}, params=MOBILIZATION),
    "POST /api/mobilizations/decrees/{code}/select": Rule(
        CHANGE, json={"on": TODAY}, params=MOBILIZATION
    ),
    "POST /api/mobilizations/decrees/{code}/assign": Rule(CHANGE, params=MOBILIZATION),
    "POST /api/mobilizations/decrees/{code}/call-up": Rule(
        CHANGE, json={"on": TODAY}, params=MOBILIZATION
    ),
    "POST /api/mobilizations/decrees/{code}/status": Rule(
        CHANGE, json={"to": "accepted", "on": TODAY, "body": "{org}"}, params=MOBILIZATION
    ),
    "GET /api/mobilizations/decrees/{code}/entries": Rule(READ, params=MOBILIZATION),
    "GET /api/mobilizations/decrees/{code}/members/{id}": Rule(READ_PERSON, params=MOBILIZATION),
    "POST /api/mobilizations/decrees/{code}/members/{id}/status": Rule(
        CHANGE, json={"to": "accepted", "on": TODAY}, params=MOBILIZATION
    ),
    "POST /api/mobilizations/decrees/{code}/members/{id}/swap": Rule(
        CHANGE, json={"with": "{id}", "on": TODAY}, params=MOBILIZATION
    ),
    "GET /api/mobilizations/fulfilment": Rule(
        READ, query={"decree": "{code}", "by": "body"}, params=MOBILIZATION
    ),
    "GET /mobilizations": Rule(SIGNED_IN),
    "POST /mobilizations": Rule(CHANGE, form={**DECREE_FORM, "issuing_body": "{code}"}),
    "POST /mobilizations/destinations": Rule(
        ADMIN, form={"code": "NEWD", "name": "New", "kind": "front"}
    ),
    "POST /mobilizations/roles": Rule(ADMIN, form={"code": "newr", "name": "New"}),
    "POST /mobilizations/endings": Rule(CHANGE, form={"body": "{code}", "from_on": TODAY}),
    "GET /mobilizations/{code}": Rule(READ, params=MOBILIZATION),
    "POST /mobilizations/{code}/apportion": Rule(CHANGE, form={}, params=MOBILIZATION),
    "POST /mobilizations/{code}/select": Rule(CHANGE, form={"on": TODAY}, params=MOBILIZATION),
    "POST /mobilizations/{code}/assign": Rule(CHANGE, form={}, params=MOBILIZATION),
    "POST /mobilizations/{code}/call-up": Rule(CHANGE, form={"on": TODAY}, params=MOBILIZATION),
    "GET /mobilizations/{code}/work": Rule(READ, query={"body": "{org}"}, params=MOBILIZATION),
    "POST /mobilizations/{code}/move": Rule(
        CHANGE, form={"id": "{id}", "to": "accepted", "on": TODAY}, params=MOBILIZATION
    ),
    "POST /mobilizations/{code}/swap": Rule(
        CHANGE, form={"id": "{id}", "with": "{id}", "on": TODAY}, params=MOBILIZATION
    ),
    "POST /mobilizations/{code}/bulk": Rule(
        CHANGE, form={"to": "accepted", "on": TODAY, "body": "{org}"}, params=MOBILIZATION
    ),
    "GET /mobilizations/{code}/members/{id}": Rule(READ_PERSON, params=MOBILIZATION),
    "POST /api/apportion": Rule(
        PUBLIC,
        json={"method": "hare", "seats": 3, "parties": [{"name": "a", "weight": "2"}]},
    ),
}

# Values of path parameters and placeholders, inside NORTH's subtree and outside it.
# "{job_id}" inside is a job the caller started; outside, one nobody here started.
SHARED = {"path": "orgburo.css", "name": "rcpb_1917_1926"}  # a static file, a shipped scenario
PLACES: dict[str, dict[str, str]] = {
    "inside": {"code": "N1", "id": "n", "sibling": "N2", **SHARED},
    "outside": {"code": "S1", "id": "s", "sibling": "SOUTH", **SHARED},
}
ROLES = ("anonymous", "admin", "secretary", "bureau_member", "control_commission", "member", "none")
OFFICERS = ("secretary", "bureau_member")


def allowed(access: str, role: str, place: str) -> bool:
    """The rule table's answer for one role and place."""
    inside = place == "inside"
    if access == PUBLIC:
        return True
    if role == "anonymous":
        return False
    if role == "admin" or access == SIGNED_IN:
        return True
    readers = (*OFFICERS, "control_commission") + (("member",) if access == READ_PERSON else ())
    return inside and (
        (access in (READ, READ_PERSON) and role in readers)
        or (access == CHANGE and role in OFFICERS)
        or access == OWNER
    )


def route_table(app: FastAPI) -> list[str]:
    """`METHOD /path` of every route the application answers."""
    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, Mount):
            found.append(f"GET {context.path}/{{path}}")
            continue
        found += [f"{m} {context.path}" for m in sorted(context.methods or ()) if m != "HEAD"]
    return found


def test_every_route_has_an_access_rule(sqlite_engine: Engine) -> None:
    missing = [r for r in route_table(create_app(sqlite_engine)) if r not in RULES]
    example = "\n".join(f'    "{r}": Rule(READ),' for r in missing)
    assert not missing, (
        f"{len(missing)} route(s) have no access rule. Add each to RULES in {__file__},\n"
        f"choosing who may call it ({', '.join(ACCESS)}) and, for a POST, a valid request "
        "(json=..., form=..., with {code} {id} {sibling} placeholders):\n"
        f"{example}\nA path parameter that is not a body code ({{code}}) or a registry id "
        '({id}) needs its values, inside and outside NORTH: Rule(..., params={"name": '
        '("inside", "outside")}); add what those values name to `populate` (or to '
        "EXTRA_DATA), and every role x place then has to answer as the rule says."
    )


def test_every_rule_names_a_route(sqlite_engine: Engine) -> None:
    assert set(RULES) - set(route_table(create_app(sqlite_engine))) == set()


def test_every_placeholder_has_a_value() -> None:
    for route, rule in RULES.items():
        names = set(re.findall(r"{(\w+)", route + repr((rule.query, rule.json, rule.form))))
        known = set(PLACES["inside"]) | set(rule.params) | {"job_id"}
        assert names <= known, f"{route}: no value for {names - known}"


def populate(session: Session) -> dict[str, str]:
    """The tree, a member inside (n, in N1) and outside (s, in S1), and an account per role."""
    small_tree(session)
    body(session, "NCC", "NORTH", kind="commission")
    member(session, "n", "N1", status="candidate")
    member(session, "s", "S1", status="candidate")
    tokens = {"admin": account(session, "admin", admin=True)}
    for role in (*OFFICERS, "control_commission"):
        scope = "NCC" if role == "control_commission" else "NORTH"
        tokens[role] = account(session, role, roles=((role, scope),))
    tokens["member"] = account(session, "member", member_id="n")
    tokens["none"] = account(session, "none")
    for extra in EXTRA_DATA:
        extra(session)
    return tokens


# What other features' routes need in the store (campaigns, congresses...), one function
# each, called after the tree, the two members and the accounts exist.
def sittings(session: Session) -> None:
    """A conference of NORTH and one of SOUTH, each with a draft election, an open poll
    and a counted election; an office of N1 and S1; a seat of n on N1 and of s on S1."""
    for region, cell, person, x in (("NORTH", "N1", "n", "N"), ("SOUTH", "S1", "s", "S")):
        congresses.create(
            session,
            code=f"C{x}",
            name=f"Conference of {region}",
            kind="conference",
            body_code=region,
            opens_on=date.today(),
            norm=Norm("per-members", 1),
            actor=SYSTEM,
        )
        for prefix, status in (("E", "draft"), ("V", "open"), ("R", "counted")):
            made = elections.create(
                session,
                code=f"{prefix}{x}",
                title="Bureau",
                congress_code=f"C{x}",
                terms=elections.Terms(method="block", seats=1, seed=7),
                actor=SYSTEM,
            )
            made.status = status
        counted = elections.get_or_raise(session, f"R{x}")
        session.add(
            ElectionResult(
                election_id=counted.id,
                counted_at=datetime.now(UTC),
                electorate=0,
                cast=0,
                spoiled=0,
                blank=0,
                quorum_met=False,
                elected=[],
                sheet=None,
            )
        )
        offices.create(session, code=f"O{x}", title="Secretary", body_code=cell, actor=SYSTEM)
        organ = bodies.get_or_raise(session, cell)
        holder = members.get_or_raise(session, person)
        session.add(
            OrganSeat(
                body_id=organ.id, person_id=holder.id, kind="full", started_on=date(1920, 1, 1)
            )
        )
    session.flush()


def enrollment_campaigns(session: Session) -> None:
    """A campaign of NORTH and one of SOUTH, each with an application and a meeting (ids
    1 and 2) in its cell, where a full member makes the quorum."""
    for region, cell, x in (("NORTH", "N1", "N"), ("SOUTH", "S1", "S")):
        member(session, f"F{x}", cell, status="full")
        spec = CampaignSpec(
            code=f"K{x}",
            name=f"Enrollment in {region}",
            body_code=region,
            opens_on=date(2000, 1, 1),
            closes_on=date.today(),
            recommenders_required=0,
        )
        campaigns.create(session, spec=spec, actor=SYSTEM)
        applicant = Applicant(name="Applicant", attributes={}, ref=f"A{x}")
        enrollment.apply(
            session,
            campaign_code=f"K{x}",
            body_code=cell,
            received_on=date(2000, 1, 2),
            applicant=applicant,
            actor=SYSTEM,
        )
        meetings.hold_meeting(
            session,
            campaign_code=f"K{x}",
            body_code=cell,
            held_on=date(2000, 1, 3),
            members_present=1,
            actor=SYSTEM,
        )


def mobilizations(session: Session) -> None:
    """A destination, a role, and a decree of NORTH (MN) and of SOUTH (MS) whose quota
    exceeds their scopes, so every member there (n in N1, s in S1) is proposed."""
    catalogs.add_destination(session, code="WEST", name="West", kind="front", actor=SYSTEM)
    catalogs.add_role(session, code="commissar", name="Commissar", actor=SYSTEM)
    for region, x in (("NORTH", "N"), ("SOUTH", "S")):
        spec = DecreeSpec(
            code=f"M{x}",
            title=f"Call-up in {region}",
            issuing_body=region,
            issued_on=date(2000, 1, 1),
            basis="individual",
            destination="WEST",
            quota=QuotaSpec(total=50),
            term="permanent",
            roles=(RoleLineSpec("commissar", 1),),
        )
        mobilization_decrees.issue(session, spec=spec, actor=SYSTEM)
        quotas.apportion(session, code=f"M{x}", accept_shortfall=True, actor=SYSTEM)
        selection.propose(session, code=f"M{x}", on=date(2000, 1, 5), actor=SYSTEM)


EXTRA_DATA: list[Callable[[Session], object]] = [sittings, enrollment_campaigns, mobilizations]


@dataclass
class Matrix:
    """The application, the callers' tokens, and the connection each case rolls back."""

    app: FastAPI
    tokens: dict[str, str]
    connection: Connection

    def client(self, role: str) -> TestClient:
        client = TestClient(self.app, follow_redirects=False)
        if role in self.tokens:
            client.headers["Authorization"] = f"Bearer {self.tokens[role]}"
        return client


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A SQLite store whose savepoints nest inside an explicit BEGIN (pysqlite by itself
    would let the release of a savepoint commit), so every case can be rolled back."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('matrix')}/store.sqlite3")
    upgrade(engine)
    engine.dispose()
    event.listen(
        engine, "connect", lambda connection, _: setattr(connection, "isolation_level", None)
    )
    event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def matrix(store: Engine) -> Iterator[Matrix]:
    with unit_of_work(store) as session:
        tokens = populate(session)
        owners = {r: accounts.get_or_raise(session, r).id for r in tokens}
    app = create_app(store)
    for role, owner in [*owners.items(), ("nobody", -1)]:
        job = ImportJob(f"job-{role}", "N1", "m.csv", owner, state="finished")
        job.result = ImportResult(1, 1, 0)
        app.state.imports.add(job)
    with store.connect() as connection:

        def session() -> Iterator[Session]:
            yield from rolled_back(connection)

        app.dependency_overrides[get_session] = session
        yield Matrix(app, tokens, connection)


def rolled_back(connection: Connection) -> Iterator[Session]:
    """A request's session inside the case's transaction (a savepoint), as `get_session`."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def fill(value: Any, values: dict[str, str]) -> Any:
    """`value` with every {placeholder} replaced."""
    if isinstance(value, str):
        return value.format_map(values)
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value


def call(matrix: Matrix, route: str, role: str, place: str) -> tuple[int, str]:
    """Make the rule's request as `role`; (status, where a redirect points)."""
    rule, (method, path) = RULES[route], route.split(" ", 1)
    values = {**PLACES[place], "job_id": f"job-{role if place == 'inside' else 'nobody'}"}
    values.update({k: v[place == "outside"] for k, v in rule.params.items()})
    transaction = matrix.connection.begin()
    try:
        with matrix.client(role) as client:
            csrf = {} if method == "GET" else {"csrf_token": csrf_of(client)}
            response = client.request(
                method,
                fill(path, values),
                params=fill(rule.query, values),
                json=fill(rule.json, values),
                data={**fill(rule.form, values), **csrf} if rule.form is not None else None,
                files={"file": ("m.txt", b"id\n")} if rule.upload else None,
                headers={"X-CSRF-Token": csrf["csrf_token"]} if csrf else None,
            )
    finally:
        transaction.rollback()
    return response.status_code, response.headers.get("location", "")


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's (anonymous) session, from the sign-in form."""
    token = CSRF.search(client.get("/login", headers={"Authorization": ""}).text)
    assert token, "the sign-in page has no CSRF field"
    return token.group(1)


def refused(status: int, location: str) -> bool:
    """Refusals: 401, 403, 404 (a job of someone else's), or off to sign in first."""
    return status in (401, 403, 404) or (status == 303 and location.startswith("/login?next="))


@pytest.mark.parametrize("route", sorted(RULES))
def test_each_route_allows_and_refuses_as_its_rule_says(matrix: Matrix, route: str) -> None:
    wrong = []
    for role in ROLES:
        for place in PLACES:
            status, location = call(matrix, route, role, place)
            expected = allowed(RULES[route].access, role, place)
            if status >= 500 or refused(status, location) == expected:
                wrong.append(
                    f"{role} {place}: {status}, expected {'allow' if expected else 'refuse'}"
                )
    assert not wrong, f"{route} ({RULES[route].access}): " + "; ".join(wrong)


# Public routes that act on no session: a calculator, and voting, where the one-time
# credential in the request is the only authority (a forged request needs it anyway).
SESSIONLESS = {
    "POST /api/apportion",
    "POST /api/elections/{code}/ballots",
    "POST /api/elections/{code}/receipts",
    "POST /elections/{code}/box",
    "POST /vote",
    "POST /vote/cast",
}
UNSAFE = sorted(r for r in RULES if not r.startswith("GET ") and r not in SESSIONLESS)


@pytest.mark.parametrize("route", UNSAFE)
def test_each_unsafe_route_refuses_a_cookie_session_without_the_csrf_token(
    matrix: Matrix, route: str
) -> None:
    with TestClient(matrix.app, follow_redirects=False) as browser:
        form = {"name": "admin", "password": PASSWORD, "csrf_token": csrf_of(browser)}
        transaction = matrix.connection.begin()
        try:
            assert browser.post("/login", data=form).status_code == 303
            method, path = route.split(" ", 1)
            rule = RULES[route]
            values = {**PLACES["inside"], "job_id": "job-admin"}
            values.update({k: v[0] for k, v in rule.params.items()})
            response = browser.request(
                method,
                fill(path, values),
                json=fill(rule.json, values),
                data=fill(rule.form, values),
            )
        finally:
            transaction.rollback()
    assert response.status_code == 403
