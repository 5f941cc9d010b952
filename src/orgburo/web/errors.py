"""One mapping from Orgburo errors to HTTP responses: JSON for the API, a page otherwise.

Request validation errors (a malformed body or parameter) take the same JSON shape as
the services' `Invalid`, so every error of the API is an `ErrorRead`. A page that needs
a signed-in user sends an anonymous visitor to the sign-in page instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from orgburo.errors import Invalid, NotSignedIn, OrgburoError, Problem
from orgburo.web.pages import render


class ProblemRead(BaseModel):
    """One thing wrong with a request: the field, the reason, and the file row if any."""

    field: str
    reason: str
    row: int | None = None


class ErrorRead(BaseModel):
    """Every error the API answers with."""

    detail: str
    problems: list[ProblemRead]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorRead, "description": meaning}
    for status, meaning in (
        (400, "Bad request"),
        (401, "Not signed in"),
        (403, "Not allowed here"),
        (404, "Not found"),
        (409, "Conflicts with what is stored"),
        (422, "Invalid input"),
    )
}


def problems_of(error: OrgburoError) -> list[dict[str, object]]:
    """Field-level problems of an error, for the API and for forms."""
    if isinstance(error, Invalid):
        return [{"field": p.field, "reason": p.reason, "row": p.row} for p in error.problems]
    field, _, reason = error.message.partition(": ")
    return [{"field": field, "reason": reason or error.message, "row": None}]


def field_errors(error: OrgburoError) -> dict[str, str]:
    """Reason by field name, for showing each message beside its form field."""
    return {str(p["field"]): str(p["reason"]) for p in problems_of(error)}


def as_invalid(error: RequestValidationError) -> Invalid:
    """A request validation error as `Invalid`, naming each field by its last location."""
    problems = [
        Problem(str(e["loc"][-1]) if e.get("loc") else "request", str(e.get("msg", "invalid")))
        for e in error.errors()
    ]
    return Invalid(problems or [Problem("request", "is not valid")])


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""

    @app.exception_handler(OrgburoError)
    async def handle(request: Request, error: OrgburoError) -> Response:
        if isinstance(error, NotSignedIn) and not _is_api(request):
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            return RedirectResponse(f"/login?next={target}", status_code=303)
        if _is_api(request):
            headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, NotSignedIn) else None
            return JSONResponse(
                {"detail": str(error), "problems": problems_of(error)},
                status_code=error.http_status,
                headers=headers,
            )
        return render(
            request,
            "error.html",
            {"error": error, "problems": problems_of(error)},
            status_code=error.http_status,
        )

    @app.exception_handler(RequestValidationError)
    async def handle_validation(request: Request, error: RequestValidationError) -> Response:
        return await handle(request, as_invalid(error))

    @app.exception_handler(HTTPException)
    async def handle_http(request: Request, error: HTTPException) -> Response:
        # Raised by the framework itself: an unknown address, a body that is not JSON.
        problem = {"field": "request", "reason": str(error.detail), "row": None}
        if _is_api(request):
            body = {"detail": str(error.detail), "problems": [problem]}
            return JSONResponse(body, status_code=error.status_code, headers=error.headers)
        failure = OrgburoError(str(error.detail))
        context = {"error": failure, "problems": [problem]}
        return render(request, "error.html", context, status_code=error.status_code)
