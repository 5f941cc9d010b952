"""Rendering a page template: the one way every view and the error handler do it."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """The template rendered with `context`."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, template, context, status_code=status_code)
