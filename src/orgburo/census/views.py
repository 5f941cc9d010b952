"""The census page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from orgburo.actors import Actor
from orgburo.census import service as census
from orgburo.census.formats import label
from orgburo.core.census import Composition
from orgburo.core.dates import parse_date
from orgburo.errors import OrgburoError
from orgburo.web.charts import bar_chart, stacked_chart
from orgburo.web.deps import ActorDep, SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


def chart_for(composition: Composition) -> Markup:
    """A bar chart for one dimension, stacked bars for two."""
    title = f"{composition.body} on {composition.at} by {' and '.join(composition.dimensions)}"
    if len(composition.dimensions) == 1:
        return bar_chart([(label(c.values[0]), c.count) for c in composition.cells], title)
    groups: dict[str, list[tuple[str, int]]] = {}
    for cell in composition.cells:
        groups.setdefault(label(cell.values[0]), []).append((label(cell.values[1]), cell.count))
    return stacked_chart(list(groups.items()), title)


@router.get("/census", response_class=HTMLResponse)
def census_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    body: str = "",
    by: str = "social_situation",
    at: str = "",
    since: str = "",
) -> Response:
    """Form, chart and table; errors are shown beside the field they concern."""
    form = {"body": body, "by": by, "at": at, "since": since}
    context: dict[str, object] = {
        "form": form,
        "errors": {},
        "dimensions": census.dimensions(session),
    }
    status = 200
    if body:
        try:
            context.update(_count(session, form, actor))
        except OrgburoError as error:
            status = error.http_status
            context["errors"] = field_errors(error)
    return render(request, "census/census.html", context, status_code=status)


def _count(session: SessionDep, form: dict[str, str], actor: Actor) -> dict[str, object]:
    at = parse_date("at", form["at"]) if form["at"] else None
    composition = census.census(
        session, body_code=form["body"], by=form["by"].split(","), at=at, actor=actor
    )
    result: dict[str, object] = {"composition": composition, "chart": chart_for(composition)}
    if form["since"]:
        start = parse_date("since", form["since"])
        result["change"] = census.change(
            session,
            body_code=form["body"],
            by=form["by"].split(","),
            start=start,
            end=at or date.today(),
            actor=actor,
        )
    return result
