"""HTTP API of scenarios: the shipped scenarios, a timeline, and the figures in this store."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from orgburo.scenarios import service
from orgburo.scenarios.figures import FigureValue, shown
from orgburo.scenarios.replay import ReplayRecord
from orgburo.scenarios.schema import Figure, Step
from orgburo.web.deps import ActorDep, SessionDep

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])


class ScenarioSummaryRead(BaseModel):
    """A scenario in the list."""

    name: str
    title: str
    start: date
    end: date
    steps: int
    figures: int


class StepRead(BaseModel):
    """One step of a timeline, with its action's details as written in the file."""

    id: str
    on: date
    action: str
    title: str
    source: str | None
    note: str | None
    details: Any


class ReplayRead(BaseModel):
    """The replay of the scenario this store holds."""

    scale: str
    seed: int
    until: date | None
    steps: int
    last_step: str | None
    digest: str


class ScenarioRead(BaseModel):
    """A scenario and its timeline."""

    name: str
    title: str
    description: str
    start: date
    end: date
    seed: int
    sources: dict[str, str]
    steps: list[StepRead]
    replay: ReplayRead | None


class FigureRead(BaseModel):
    """A published figure and Orgburo's value in this store (null when not replayed)."""

    id: str
    what: str
    on: date
    kind: str
    status: str
    source: str
    published: float
    shown: str
    orgburo: float | None
    allowed: float | None
    within: bool | None
    gap: str | None = None
    """Why the scenario is known not to reproduce the figure (never `within`)."""


class FiguresRead(BaseModel):
    """The figures of a scenario as this store reproduces them; Orgburo's values are null
    when the store holds no replay, or the caller may not read the whole organization."""

    scenario: str
    replay: ReplayRead | None
    readable: bool
    figures: list[FigureRead]


@router.get("", response_model=list[ScenarioSummaryRead])
def list_scenarios(actor: ActorDep) -> list[ScenarioSummaryRead]:
    """The scenarios shipped with Orgburo."""
    return [ScenarioSummaryRead(**vars(s)) for s in service.catalog()]


@router.get("/{name}", response_model=ScenarioRead)
def get_scenario(name: str, session: SessionDep, actor: ActorDep) -> ScenarioRead:
    """A scenario's timeline, and the replay this store holds, if any."""
    scenario = service.load(name).scenario
    return ScenarioRead(
        name=scenario.name,
        title=scenario.title,
        description=scenario.description,
        start=scenario.organization.on,
        end=scenario.end,
        seed=scenario.seed,
        sources=scenario.sources,
        steps=[_step(s) for s in scenario.timeline],
        replay=_replay(service.replayed(session, scenario.name)),
    )


@router.get("/{name}/figures", response_model=FiguresRead)
def get_figures(name: str, session: SessionDep, actor: ActorDep) -> FiguresRead:
    """Every published figure the scenario reproduces, with Orgburo's value in this store
    (for callers who may read the census of the scenario's root)."""
    loaded = service.load(name)
    readable = service.may_measure(session, loaded, actor)
    found = service.figures(session, loaded, actor) if readable else None
    measured = {v.figure.id: v for v in found[1]} if found else {}
    return FiguresRead(
        scenario=loaded.scenario.name,
        replay=_replay(service.replayed(session, loaded.scenario.name)),
        readable=readable,
        figures=[_figure(f, measured.get(f.id)) for f in loaded.scenario.figures],
    )


def _step(step: Step) -> StepRead:
    action = getattr(step, step.action)
    details = (
        [a.model_dump(mode="json", exclude_defaults=True) for a in action]
        if isinstance(action, list)
        else action.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    )
    return StepRead(
        id=step.id,
        on=step.on,
        action=step.action,
        title=step.title,
        source=step.source,
        note=step.note,
        details=details,
    )


def _replay(record: ReplayRecord | None) -> ReplayRead | None:
    if record is None:
        return None
    return ReplayRead(
        scale=str(record.scale),
        seed=record.seed,
        until=record.until,
        steps=record.steps,
        last_step=record.last_step,
        digest=record.digest,
    )


def _figure(figure: Figure, value: FigureValue | None) -> FigureRead:
    return FigureRead(
        id=figure.id,
        what=figure.what,
        on=figure.on,
        kind=figure.kind,
        status=figure.status,
        source=figure.source,
        published=figure.published,
        shown=shown(figure),
        orgburo=value.value if value else None,
        allowed=value.allowed if value else None,
        within=value.within if value else None,
        gap=figure.gap,
    )
