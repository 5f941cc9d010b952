"""The application factory: HTTP API, pages and static files on one engine."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine

from orgburo import __version__
from orgburo.bodies import api as bodies_api
from orgburo.bodies import views as bodies_views
from orgburo.census import api as census_api
from orgburo.census import views as census_views
from orgburo.db import default_engine
from orgburo.members import api as members_api
from orgburo.members import views as members_views
from orgburo.web import errors

HERE = Path(__file__).parent


def create_app(engine: Engine | None = None) -> FastAPI:
    """A configured application; tests pass their own engine."""
    app = FastAPI(
        title="Orgburo",
        version=__version__,
        description="Run a large membership organization built as a tree of bodies.",
    )
    app.state.engine = engine or default_engine()
    app.state.templates = Jinja2Templates(directory=HERE / "templates")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (
        bodies_api.router,
        members_api.router,
        census_api.router,
        bodies_views.router,
        members_views.router,
        census_views.router,
    ):
        app.include_router(router)
    errors.install(app)
    return app
