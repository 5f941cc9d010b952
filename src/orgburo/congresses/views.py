"""Pages of sittings: the list, a sitting with its quotas and elections, its delegates,
and the electoral chain; and the forms that convene a sitting, apportion and register
its delegates, check their credentials, create its elections and load the chain.

Each form calls one service function and, when it succeeds, sends the browser back to
the page (post/redirect/get); when the service refuses, the page is shown again with
the reason beside the field it concerns.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.bodies.models import Body
from orgburo.congresses import chain, delegates
from orgburo.congresses import service as congresses
from orgburo.congresses.models import SITTING_KINDS, VOTES
from orgburo.core.apportionment import Method
from orgburo.core.dates import parse_date
from orgburo.core.delegates import NORMS, Norm
from orgburo.elections import service as elections
from orgburo.web.charts import bar_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.forms import Refused, submit, whole_number
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)
TextField = Annotated[str, Form(max_length=300)]
Errors = dict[str, dict[str, str]]


def _page(code: str) -> str:
    return f"/congresses/{quote(code)}"


@router.get("/congresses", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every sitting, latest first, and the form that convenes one."""
    return render(request, "congresses/list.html", list_context(session, actor, {}, {}))


def list_context(
    session: Session, actor: Actor, errors: dict[str, str], sent: dict[str, str]
) -> dict[str, Any]:
    """The list page: the sittings, and the convening form with what was sent and why not."""
    return {
        "sittings": congresses.all_sittings(session),
        "may_convene": actor.is_admin or bool(actor.grants),
        "kinds": SITTING_KINDS,
        "norms": NORMS,
        "methods": [m.value for m in Method],
        "err": errors,
        "sent": sent or {"opens_on": date.today().isoformat(), "kind": "congress"},
    }


@router.post("/congresses", response_class=HTMLResponse)
def convene(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    code: TextField = "",
    name: TextField = "",
    kind: TextField = "congress",
    body: TextField = "",
    opens_on: TextField = "",
    closes_on: TextField = "",
    norm: TextField = "",
    voting: TextField = "",
    consultative: TextField = "",
    method: TextField = "hamilton",
) -> Response:
    """Convene a congress or conference of a body, or a plenum of an organ."""
    sent = {
        "code": code,
        "name": name,
        "kind": kind,
        "body": body,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "norm": norm,
        "voting": voting,
        "consultative": consultative,
        "method": method,
    }

    def change() -> object:
        return congresses.create(
            session,
            code=code.strip(),
            name=name,
            kind=kind,
            body_code=body.strip(),
            opens_on=parse_date("opens_on", opens_on),
            closes_on=parse_date("closes_on", closes_on) if closes_on.strip() else None,
            norm=Norm(norm, whole_number("voting", voting) or 0, method) if norm else None,
            consultative_norm=whole_number("consultative", consultative),
            actor=actor,
        )

    def refused(err: dict[str, str], status: int) -> Response:
        context = list_context(session, actor, err, sent)
        return render(request, "congresses/list.html", context, status_code=status)

    return submit(session, change, _page(code.strip()), refused)


@router.get("/congresses/{code}", response_class=HTMLResponse)
def congress_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """A sitting: its norm, each organization's delegates (with a chart), its elections."""
    return render(request, "congresses/congress.html", congress_context(session, code, actor))


def congress_context(
    session: Session, code: str, actor: Actor, errors: Errors | None = None
) -> dict[str, Any]:
    """The sitting's page; `errors` by form, then by field."""
    congress = congresses.get_or_raise(session, code)
    quotas = congresses.quotas(session, congress)
    verdicts = Counter(d.credentials for d, _, _ in delegates.listing(session, congress))
    return {
        "congress": congress,
        "body": session.get(Body, congress.body_id),
        "norm": congresses.norm_of(congress),
        "consultative": congresses.norm_of(congress, consultative=True),
        "quotas": quotas,
        "chart": bar_chart([(b.code, q.voting) for q, b in quotas], "Voting delegates")
        if quotas
        else None,
        "verdicts": verdicts,
        "elections": elections.of_congress(session, congress),
        "may_change": access.may_change_body(session, actor, congress.body_id),
        "errors": errors or {},
    }


def _on_congress_page(
    request: Request, session: Session, code: str, actor: Actor, form: str
) -> Refused:
    """The sitting's page again, with `form`'s errors beside its fields."""

    def refused(err: dict[str, str], status: int) -> Response:
        context = congress_context(session, code, actor, {form: err})
        return render(request, "congresses/congress.html", context, status_code=status)

    return refused


@router.post("/congresses/{code}/apportion", response_class=HTMLResponse)
def apportion(
    code: str, request: Request, session: SessionDep, actor: ActorDep, census_on: TextField = ""
) -> Response:
    """Set each lower organization's delegates by the norm, from the census."""

    def change() -> object:
        on = parse_date("census_on", census_on) if census_on.strip() else None
        return congresses.apportion(session, code=code, census_on=on, actor=actor)

    refused = _on_congress_page(request, session, code, actor, "apportion")
    return submit(session, change, _page(code), refused)


@router.post("/congresses/{code}/elections", response_class=HTMLResponse)
def elections_from_chain(
    code: str, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """Create the elections the electoral chain gives this sitting."""

    def change() -> object:
        return elections.from_chain(session, congress_code=code, actor=actor)

    refused = _on_congress_page(request, session, code, actor, "elections")
    return submit(session, change, _page(code), refused)


@router.get("/congresses/{code}/delegates", response_class=HTMLResponse)
def delegates_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The delegates and the credentials verdict on each (readers of the convening body)."""
    return render(request, "congresses/delegates.html", delegates_context(session, code, actor))


def delegates_context(
    session: Session, code: str, actor: Actor, errors: Errors | None = None
) -> dict[str, Any]:
    """The delegates page, with the registration form for the body's officers."""
    congress = congresses.get_or_raise(session, code)
    return {
        "congress": congress,
        "delegates": delegates.roll(session, code=code, actor=actor),
        "organizations": [b for _, b in congresses.quotas(session, congress)],
        "votes": VOTES,
        "may_change": access.may_change_body(session, actor, congress.body_id),
        "errors": errors or {},
    }


def _on_delegates_page(
    request: Request, session: Session, code: str, actor: Actor, form: str
) -> Refused:
    """The delegates page again, with `form`'s errors beside its fields."""

    def refused(err: dict[str, str], status: int) -> Response:
        context = delegates_context(session, code, actor, {form: err})
        return render(request, "congresses/delegates.html", context, status_code=status)

    return refused


@router.post("/congresses/{code}/delegates", response_class=HTMLResponse)
def add_delegate(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    person: TextField = "",
    organization: TextField = "",
    vote: TextField = "voting",
) -> Response:
    """Register a delegate, pending the credentials check."""

    def change() -> object:
        return delegates.add(
            session,
            code=code,
            person_id=person.strip(),
            organization=organization.strip(),
            vote=vote,
            actor=actor,
        )

    refused = _on_delegates_page(request, session, code, actor, "register")
    return submit(session, change, f"{_page(code)}/delegates", refused)


@router.post("/congresses/{code}/credentials", response_class=HTMLResponse)
def check_credentials(
    code: str, request: Request, session: SessionDep, actor: ActorDep
) -> Response:
    """Accept or reject every delegate, each with the reason."""

    def change() -> object:
        return delegates.check_credentials(session, code=code, actor=actor)

    refused = _on_delegates_page(request, session, code, actor, "credentials")
    return submit(session, change, f"{_page(code)}/delegates", refused)


@router.get("/chain", response_class=HTMLResponse)
def chain_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Which sitting elects which organ's seats or office, with seats and method."""
    return render(request, "congresses/chain.html", chain_context(session, actor, {}, {}))


def chain_context(
    session: Session, actor: Actor, errors: dict[str, str], sent: dict[str, str]
) -> dict[str, Any]:
    """The chain, and for administrators the form that loads one (the usual template
    filled in, to edit)."""
    defaults = {
        "opened_on": date.today().isoformat(),
        "chain": chain.TEMPLATE.read_text(encoding="utf-8"),
    }
    return {
        "links": chain.describe_all(session),
        "may_load": actor.is_admin,
        "err": errors,
        "sent": {**defaults, **sent},
    }


@router.post("/chain", response_class=HTMLResponse)
def load_chain(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: TextField = "",
    opened_on: TextField = "",
    text: Annotated[str, Form(alias="chain", max_length=100_000)] = "",
) -> Response:
    """Load an electoral chain for a body: organs, offices, and which elects which."""
    sent = {"body": body, "opened_on": opened_on, "chain": text}

    def change() -> object:
        data = chain.parse(text, "the chain", "chain") if text.strip() else None
        return chain.load(
            session,
            data=data or chain.read(chain.TEMPLATE),
            body_code=body.strip(),
            opened_on=parse_date("opened_on", opened_on),
            actor=actor,
        )

    def refused(err: dict[str, str], status: int) -> Response:
        context = chain_context(session, actor, err, sent)
        return render(request, "congresses/chain.html", context, status_code=status)

    return submit(session, change, "/chain", refused)
