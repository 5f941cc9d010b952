"""The application factory: HTTP API, pages and static files on one engine."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.middleware.sessions import SessionMiddleware

from orgburo import __version__
from orgburo.accounts import api as accounts_api
from orgburo.accounts import views as accounts_views
from orgburo.accounts.ratelimit import LoginLimiter
from orgburo.apportionment import api as apportionment_api
from orgburo.bodies import api as bodies_api
from orgburo.bodies import views as bodies_views
from orgburo.census import api as census_api
from orgburo.census import views as census_views
from orgburo.config import get_settings
from orgburo.congresses import api as congresses_api
from orgburo.congresses import views as congresses_views
from orgburo.db import default_engine
from orgburo.elections import api as elections_api
from orgburo.elections import ballots_api, officer_views, voting_views
from orgburo.elections import views as elections_views
from orgburo.enrollment import api as enrollment_api
from orgburo.enrollment import views as enrollment_views
from orgburo.enrollment import work_views as enrollment_work_views
from orgburo.members import api as members_api
from orgburo.members import imports as members_imports
from orgburo.members import views as members_views
from orgburo.mobilizations import api as mobilizations_api
from orgburo.mobilizations import views as mobilizations_views
from orgburo.mobilizations import work_views as mobilizations_work_views
from orgburo.offices import api as offices_api
from orgburo.offices import views as offices_views
from orgburo.scenarios import api as scenarios_api
from orgburo.scenarios import views as scenarios_views
from orgburo.trail import api as trail_api
from orgburo.trail import views as trail_views
from orgburo.web import errors, pages
from orgburo.web.auth import SESSION_COOKIE, RecentActors
from orgburo.web.limits import ConcurrencyLimit

HERE = Path(__file__).parent


def create_app(engine: Engine | None = None) -> FastAPI:
    """A configured application; tests pass their own engine."""
    app = FastAPI(
        title="Orgburo",
        version=__version__,
        description="Run a large membership organization built as a tree of bodies.",
        responses=errors.ERRORS,
    )
    settings = get_settings()
    settings.check_secret()
    app.state.engine = engine or default_engine()
    app.state.templates = pages.templates(HERE / "templates", reload=settings.dev_mode)
    app.state.login_limiter = LoginLimiter()
    app.state.actors = RecentActors()
    app.state.imports = members_imports.ImportJobs()
    app.add_middleware(ConcurrencyLimit)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=round(settings.session_hours * 3600),
        same_site="lax",
        https_only=not settings.dev_mode,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (
        bodies_api.router,
        members_api.router,
        census_api.router,
        bodies_views.router,
        members_views.router,
        census_views.router,
        accounts_api.router,
        accounts_views.router,
        members_imports.router,
        trail_api.router,
        trail_views.router,
        scenarios_api.router,
        scenarios_views.router,
        congresses_api.router,
        congresses_views.router,
        elections_api.router,
        ballots_api.router,
        elections_views.router,
        officer_views.router,
        voting_views.router,
        offices_api.router,
        offices_views.router,
        apportionment_api.router,
        enrollment_api.router,
        enrollment_views.router,
        enrollment_work_views.router,
        mobilizations_api.router,
        mobilizations_views.router,
        mobilizations_work_views.router,
    ):
        app.include_router(router)
    errors.install(app)
    return app
