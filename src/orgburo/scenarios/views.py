"""Pages of scenarios: the list, and a scenario with its charts, figures and timeline."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from orgburo.mobilizations.fulfilment import ChartSeries
from orgburo.scenarios import figures, service
from orgburo.scenarios.series import Series
from orgburo.web.charts import line_chart, time_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/scenarios", response_class=HTMLResponse)
def scenarios_page(request: Request, actor: ActorDep) -> Response:
    """The scenarios shipped with Orgburo."""
    return render(request, "scenarios/list.html", {"scenarios": service.catalog()})


@router.get("/scenarios/{name}", response_class=HTMLResponse)
def scenario_page(name: str, request: Request, session: SessionDep, actor: ActorDep) -> Response:
    """A scenario: membership and composition over time, its figures, its timeline."""
    loaded = service.load(name)
    readable = service.may_measure(session, loaded, actor)
    found = service.figures(session, loaded, actor) if readable else None
    drawn = service.series(session, loaded, actor) if found else None
    calls = service.callups(session, loaded, actor) if found else None
    context = {
        "scenario": loaded.scenario,
        "record": service.replayed(session, loaded.scenario.name),
        "readable": readable,
        "values": found[1] if found else [],
        "charts": (charts(drawn) if drawn else []) + ([callup_chart(calls)] if calls else []),
        "shown": figures.shown,
        "orgburo": figures.orgburo,
        "tolerance": figures.tolerance,
        "agreement": figures.agreement,
    }
    return render(request, "scenarios/scenario.html", context)


def charts(series: Series) -> list[Markup]:
    """Membership and composition over time, as inline SVG."""
    title = series.scenario.title
    return [
        time_chart(
            series.membership(),
            f"{title}: membership",
            points=series.published_membership(),
        ),
        time_chart(
            series.composition(),
            f"{title}: social situation",
            points=series.published_composition(),
            percent=True,
        ),
    ]


def callup_chart(series: ChartSeries) -> Markup:
    """The scenario's call-ups by month, decreed against sent against arrived."""
    return line_chart(series.labels, series.series, series.title)
