"""Pages of elections: the list, an election with its result, charts and count sheet, and
the published box with a receipt lookup."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from orgburo.elections import box, casting, counting
from orgburo.elections import service as elections
from orgburo.errors import OrgburoError
from orgburo.web.charts import bar_chart, stacked_chart
from orgburo.web.deps import SessionDep
from orgburo.web.errors import field_errors
from orgburo.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/elections", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep) -> Response:
    """Every election, latest first."""
    return render(request, "elections/list.html", {"elections": elections.all_elections(session)})


@router.get("/elections/{code}", response_class=HTMLResponse)
def election_page(code: str, request: Request, session: SessionDep) -> Response:
    """An election: rules, candidates, turnout; once counted, the result, charts and sheet."""
    election = elections.get_or_raise(session, code)
    result = counting.result_of(session, election)
    voted, entitled = elections.turnout(session, election)
    context = {
        "election": election,
        "nominations": elections.nominations(session, election),
        "voted": voted,
        "entitled": entitled,
        "result": result,
        "charts": charts(result.sheet, election.method) if result and result.sheet else [],
        "sheet": sheet_rows(result.sheet) if result and result.sheet else None,
        "recount": box.recount_command(election),
    }
    return render(request, "elections/election.html", context)


def _whole(text: str) -> int:
    return int(Decimal(text))


def charts(sheet: dict[str, Any], method: str) -> list[Markup]:
    """For/against: votes for and against each name; otherwise first and final totals."""
    stages, names = sheet["stages"], sheet["candidates"]
    first = stages[0]
    if method == "for-against":
        rows = [
            (n, [("for", _whole(first["totals"][n])), ("against", _whole(first["against"][n]))])
            for n in names
        ]
        return [stacked_chart(rows, "Votes for and against")]
    found = [
        bar_chart([(n, _whole(first["totals"][n])) for n in names], first["action"].capitalize())
    ]
    if len(stages) > 1:
        last = stages[-1]
        totals = [(n, _whole(last["totals"][n])) for n in names]
        found.append(bar_chart(totals, f"After the last stage ({len(stages)}), whole votes"))
    return found


def sheet_rows(sheet: dict[str, Any]) -> dict[str, Any]:
    """The count sheet as a table: a row per candidate, a column per stage."""
    stages = sheet["stages"]
    extra = sorted(
        {k for s in stages for k, v in s.items() if isinstance(v, dict) and k != "totals"}
    )
    return {
        "stages": stages,
        "rows": [(n, [s["totals"][n] for s in stages]) for n in sheet["candidates"]],
        "extra": [
            (k, n, [s.get(k, {}).get(n, "") for s in stages])
            for k in extra
            for n in sheet["candidates"]
        ],
    }


@router.get("/elections/{code}/box", response_class=HTMLResponse)
def box_page(code: str, request: Request, session: SessionDep) -> Response:
    """The published box of a closed poll, with a form to find a ballot by its receipt."""
    return _box(request, session, code, None, {})


@router.post("/elections/{code}/box", response_class=HTMLResponse)
def find_receipt(
    code: str,
    request: Request,
    session: SessionDep,
    receipt: Annotated[str, Form(max_length=100)],
) -> Response:
    """The box, with the ballot a receipt points to shown first."""
    try:
        found = box.find_receipt(session, code=code, receipt=receipt)
    except OrgburoError as error:
        return _box(request, session, code, None, field_errors(error), error.http_status)
    return _box(request, session, code, found, {})


def _box(
    request: Request,
    session: SessionDep,
    code: str,
    found: box.Entry | None,
    err: dict[str, str],
    status: int = 200,
) -> Response:
    election = elections.get_or_raise(session, code)
    published = election.status in ("closed", "counted")
    context = {
        "election": election,
        "published": published,
        "entries": box.entries(session, election) if published else [],
        "candidates": casting.paper(session, election).candidates,
        "found": found,
        "err": err,
        "recount": box.recount_command(election),
    }
    return render(request, "elections/box.html", context, status_code=status)
