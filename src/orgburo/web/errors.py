"""One mapping from Orgburo errors to HTTP responses: JSON for the API, a page otherwise."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from orgburo.errors import Invalid, OrgburoError
from orgburo.web.pages import render


def problems_of(error: OrgburoError) -> list[dict[str, object]]:
    """Field-level problems of an error, for the API and for forms."""
    if isinstance(error, Invalid):
        return [{"field": p.field, "reason": p.reason, "row": p.row} for p in error.problems]
    field, _, reason = error.message.partition(": ")
    return [{"field": field, "reason": reason or error.message, "row": None}]


def install(app: FastAPI) -> None:
    """Register the handler on `app`."""

    @app.exception_handler(OrgburoError)
    async def handle(request: Request, error: OrgburoError) -> Response:
        if request.url.path.startswith("/api"):
            return JSONResponse(
                {"detail": str(error), "problems": problems_of(error)},
                status_code=error.http_status,
            )
        return render(
            request,
            "error.html",
            {"error": error, "problems": problems_of(error)},
            status_code=error.http_status,
        )
