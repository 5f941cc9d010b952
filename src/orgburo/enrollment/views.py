"""Pages of enrollment campaigns: the list and each campaign's dashboard."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy.orm import Session

from orgburo import access
from orgburo.actors import Actor
from orgburo.census.formats import label
from orgburo.core.census import CompositionChange
from orgburo.web.charts import bar_chart, line_chart, stacked_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

from . import campaigns, figures
from .figures import Figures

router = APIRouter(include_in_schema=False)


@router.get("/enrollment", response_class=HTMLResponse)
def campaigns_page(request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """Every campaign reaching into the actor's bodies, and the form that proclaims one."""
    return render(request, "enrollment/campaigns.html", campaigns_context(session, actor))


def campaigns_context(session: Session, actor: Actor) -> dict[str, Any]:
    """The campaigns list page: the campaigns and an empty proclamation form."""
    found = campaigns.list_campaigns(session, actor=actor)
    return {
        "rows": [(c, campaigns.body_of(session, c)) for c in found],
        "may_proclaim": access.changeable_scopes(actor) != [],
        "typed": {},
        "errors": {},
        "today": date.today().isoformat(),
    }


@router.get("/enrollment/{code}", response_class=HTMLResponse)
def dashboard(
    code: str,
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    by: str = Query("social_situation", max_length=80),
    body: str | None = Query(None, max_length=64),
) -> Response:
    """A campaign's figures: targets, weeks, refusals, bodies and the census before and after."""
    found = figures.figures(session, campaign_code=code, body_code=body or None, actor=actor)
    change = figures.composition(session, campaign_code=code, by=[by], actor=actor)
    context = {
        "f": found,
        "by": by,
        "change": change,
        "charts": charts(found, change),
        "shares": shares(change),
    }
    return render(request, "enrollment/dashboard.html", context)


def charts(found: Figures, change: CompositionChange) -> dict[str, Markup]:
    """The dashboard's charts, drawn on the server."""
    targets = [
        (
            g.name,
            [
                ("admitted", g.admitted),
                ("to reach the target", max((g.target or 0) - g.admitted, 0)),
            ],
        )
        for g in found.groups
        if g.target
    ]
    weekly = [
        (f"week {w.number}", [("admitted", w.admitted), ("refused", w.refused)])
        for w in found.weeks
    ]
    series = [
        (g.name, [w.admitted_so_far.get(g.name, 0) for w in found.weeks]) for g in found.groups
    ]
    composition = [
        (label(c.values[0]), [("before", c.before), ("after", c.after)]) for c in change.cells
    ]
    drawn = {
        "targets": stacked_chart(targets, "Admissions against targets"),
        "weeks": stacked_chart(weekly, "Decisions by campaign week"),
        "progress": line_chart(
            [str(w.number) for w in found.weeks], series, "Admitted so far, by group and week"
        ),
        "composition": stacked_chart(
            composition, f"Members by {change.after.dimensions[0]}, before and after"
        ),
    }
    if found.refusals:
        drawn["refusals"] = bar_chart(found.refusals, "Refusals by reason")
    return drawn


def shares(change: CompositionChange) -> list[tuple[str, float, float]]:
    """Each value's share of the membership before and after, in per cent."""
    return [
        (label(c.values[0]), float(c.share_before) * 100, float(c.share_after) * 100)
        for c in change.cells
    ]
