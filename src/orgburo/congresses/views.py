"""Pages of sittings: the list, a sitting with its quotas and elections, its delegates,
and the electoral chain."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from orgburo.bodies.models import Body
from orgburo.congresses import chain, delegates
from orgburo.congresses import service as congresses
from orgburo.elections import service as elections
from orgburo.web.charts import bar_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/congresses", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every sitting, latest first."""
    return render(request, "congresses/list.html", {"sittings": congresses.all_sittings(session)})


@router.get("/congresses/{code}", response_class=HTMLResponse)
def congress_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """A sitting: its norm, each organization's delegates (with a chart), its elections."""
    congress = congresses.get_or_raise(session, code)
    quotas = congresses.quotas(session, congress)
    verdicts = Counter(d.credentials for d, _, _ in delegates.listing(session, congress))
    context = {
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
    }
    return render(request, "congresses/congress.html", context)


@router.get("/congresses/{code}/delegates", response_class=HTMLResponse)
def delegates_page(code: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """The delegates and the credentials verdict on each (readers of the convening body)."""
    congress = congresses.get_or_raise(session, code)
    context = {"congress": congress, "delegates": delegates.roll(session, code=code, actor=actor)}
    return render(request, "congresses/delegates.html", context)


@router.get("/chain", response_class=HTMLResponse)
def chain_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Which sitting elects which organ's seats or office, with seats and method."""
    return render(request, "congresses/chain.html", {"links": chain.describe_all(session)})
