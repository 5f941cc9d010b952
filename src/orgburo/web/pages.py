"""Rendering a page template: the one way every view and the error handler do it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from orgburo.web.auth import CSRF_FIELD, bearer_token, csrf_token


def templates(directory: Path, *, reload: bool) -> Jinja2Templates:
    """The page templates; `reload` checks each template's file for changes at every use
    (for development), otherwise a template is read and compiled once per process."""
    loader = jinja2.FileSystemLoader(directory)
    autoescape = jinja2.select_autoescape()
    env = jinja2.Environment(loader=loader, autoescape=autoescape, auto_reload=reload)
    return Jinja2Templates(env=env)


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> Response:
    """The template rendered with `context`, the signed-in actor and the CSRF token."""
    templates: Jinja2Templates = request.app.state.templates
    shared = {
        "actor": getattr(request.state, "actor", None),
        # A caller with a bearer token has no session to keep a token in (nor needs one).
        "csrf": csrf_token(request) if bearer_token(request) is None else "",
        "csrf_field": CSRF_FIELD,
    }
    return templates.TemplateResponse(
        request, template, {**shared, **context}, status_code=status_code
    )
