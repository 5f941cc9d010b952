"""`orgburo scenario ...`: list, show, check, replay, measure, chart and compare scenarios."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from orgburo.actors import cli_actor
from orgburo.cli_support import console, date_option, fail, progress_bar, report, transaction
from orgburo.db import default_engine, make_engine
from orgburo.errors import Invalid, NotFound, OrgburoError
from orgburo.migrations import upgrade
from orgburo.scenarios import compare as compare_
from orgburo.scenarios import figures as figures_
from orgburo.scenarios import plots, service
from orgburo.scenarios.loader import Loaded

app = typer.Typer(help="Scenarios: replayable timelines of decisions.", no_args_is_help=True)
FORMATS = ("markdown", "table", "json")
NAME = typer.Argument(..., help="A scenario's name (see `orgburo scenario list`) or a YAML file.")
OVERLAY = typer.Option(None, "--with", exists=True, dir_okay=False, help="A what-if overlay.")
SEED = typer.Option(None, help="Random seed (default: the scenario's own).")
STORE = typer.Option(
    None, exists=True, dir_okay=False, help="Read a SQLite store that holds a replay."
)


def parse_scale(text: str) -> Fraction:
    """A scale written 0.1, 1/10 or 1:10."""
    try:
        left, colon, right = text.strip().partition(":")
        scale = Fraction(left) / Fraction(right) if colon else Fraction(left)
    except (ValueError, ZeroDivisionError):
        fail("--scale", f"{text!r} is not a scale such as 0.1, 1/10 or 1:10")
    if not 0 < scale <= 1:
        fail("--scale", f"{text!r} is not above 0 and at most 1")
    return scale


@contextmanager
def reported() -> Iterator[None]:
    """An OrgburoError is printed and ends the command with its exit code."""
    try:
        yield
    except OrgburoError as error:
        report(error)
        raise typer.Exit(error.exit_code) from None


def _loaded(name: str, overlay: Path | None) -> Loaded:
    with reported():
        return service.load_with(name, overlay) if overlay else service.load(name)


@app.command("list")
def list_() -> None:
    """The scenarios shipped with Orgburo."""
    with reported():
        summaries = service.catalog()
    table = Table("name", "title", "from", "to", "steps", "figures")
    for s in summaries:
        table.add_row(s.name, s.title, str(s.start), str(s.end), str(s.steps), str(s.figures))
    console.print(table)


@app.command("show")
def show(name: str = NAME, overlay: Path | None = OVERLAY) -> None:
    """The scenario's timeline: date, step, action and title."""
    loaded = _loaded(name, overlay)
    scenario = loaded.scenario
    table = Table("date", "step", "action", "title", title=scenario.title)
    for step in scenario.timeline:
        table.add_row(str(step.on), step.id, step.action, step.title)
    console.print(table)


@app.command("check")
def check(name: str = NAME, overlay: Path | None = OVERLAY) -> None:
    """Check a scenario file (and an overlay) against the format; list every problem."""
    loaded = _loaded(name, overlay)
    scenario = loaded.scenario
    console.print(
        f"{', '.join(p.name for p in loaded.files)}: {len(scenario.timeline)} steps, "
        f"{len(scenario.figures)} figures, {scenario.organization.on} to {scenario.end}"
    )


@app.command("run")
def run(
    name: str = NAME,
    scale: str = typer.Option("0.1", help="Size of the replay: 1 is full size, 0.1 is 1:10."),
    seed: int | None = SEED,
    until: str | None = typer.Option(None, help="Stop after the last step on or before DATE."),
    database: Path | None = typer.Option(
        None, help="Replay into this SQLite file, made anew (default: ORGBURO_DATABASE_URL)."
    ),
    overlay: Path | None = OVERLAY,
) -> None:
    """Replay a scenario into a store, through the same services users call."""
    loaded = _loaded(name, overlay)
    fraction, stop = parse_scale(scale), date_option(until, "until")
    engine = _fresh(database) if database else None
    if engine is None:
        upgrade(default_engine())
    with progress_bar("steps") as advance, transaction(engine) as session:
        service.check_empty(session)
        record = service.replay(
            session,
            loaded,
            scale=fraction,
            actor=cli_actor(),
            seed=seed,
            until=stop,
            progress=advance,
        )
    console.print(
        f"replayed {record.steps} steps of {record.scenario} at scale {scale}"
        f" (seed {record.seed}), last step {record.last_step}"
    )


def _fresh(path: Path) -> Engine:
    for stale in path.parent.glob(path.name + "*"):
        stale.unlink()
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    return engine


@contextmanager
def _replayed(loaded: Loaded, scale: str, seed: int | None, store: Path | None) -> Iterator[Engine]:
    """An engine on `store`, or on a temporary replay at `scale`."""
    if store is not None:
        engine = make_engine(f"sqlite:///{store}")
        yield engine
        engine.dispose()
        return
    fraction = parse_scale(scale)
    with tempfile.TemporaryDirectory(prefix="orgburo-scenario-") as folder:
        with progress_bar("steps") as advance, reported():
            engine, _ = service.replay_into_file(
                Path(folder) / "replay.sqlite3",
                loaded,
                scale=fraction,
                actor=cli_actor(),
                seed=seed,
                progress=advance,
            )
        yield engine
        engine.dispose()


@app.command("figures")
def figures(
    name: str = NAME,
    scale: str = typer.Option("0.01", help="Size of the replay measured (ignored with --store)."),
    seed: int | None = SEED,
    store: Path | None = STORE,
    format: str = typer.Option("markdown", help="markdown, table or json."),
) -> None:
    """Every published figure the scenario reproduces, with Orgburo's value."""
    if format not in FORMATS:
        fail("--format", f"{format!r} is not one of {', '.join(FORMATS)}")
    loaded = _loaded(name, None)
    with _replayed(loaded, scale, seed, store) as engine, transaction(engine) as session:
        found = service.figures(session, loaded, cli_actor())
        if found is None:
            raise NotFound(f"store: it holds no replay of {loaded.scenario.name!r}")
        record, values = found
    if format == "markdown":
        table = figures_.markdown(
            values, scenario=loaded.scenario, scale=record.scale, seed=record.seed
        )
        print(table, end="")
    elif format == "json":
        print(json.dumps([_as_json(v) for v in values], indent=2))
    else:
        _figure_table(values)


def _as_json(value: figures_.FigureValue) -> dict[str, object]:
    f = value.figure
    return {
        "id": f.id,
        "what": f.what,
        "on": f.on.isoformat(),
        "kind": f.kind,
        "status": f.status,
        "source": f.source,
        "published": f.published,
        "orgburo": value.value,
        "allowed": value.allowed,
        "within": value.within,
        "gap": f.gap,
    }


def show_figures(session: Session, loaded: Loaded) -> None:
    """Print the figures of a store holding a replay of the scenario, as a table."""
    found = service.figures(session, loaded, cli_actor())
    if found is not None:
        _figure_table(found[1])


def _figure_table(values: list[figures_.FigureValue]) -> None:
    table = Table("kind", "figure", "date", "published", "Orgburo", "tolerance", "agrees")
    for v in values:
        table.add_row(
            v.figure.kind,
            v.figure.what,
            str(v.figure.on),
            figures_.shown(v.figure),
            figures_.orgburo(v),
            figures_.tolerance(v),
            figures_.agreement(v),
        )
    console.print(table)


@app.command("chart")
def chart(
    name: str = NAME,
    output: Path = typer.Option(..., help="The chart file: .png or .svg."),
    scale: str = typer.Option("0.01", help="Size of the replay drawn (ignored with --store)."),
    seed: int | None = SEED,
    store: Path | None = STORE,
) -> None:
    """Membership and composition over time, as a PNG or SVG file for a slide."""
    _check_output(output)
    loaded = _loaded(name, None)
    with _replayed(loaded, scale, seed, store) as engine, transaction(engine) as session:
        drawn = service.series(session, loaded, cli_actor())
        if drawn is None:
            raise NotFound(f"store: it holds no replay of {loaded.scenario.name!r}")
        plots.draw(drawn, output)
    console.print(f"wrote {output}")


def _check_output(output: Path) -> None:
    try:
        plots.check_output(output)
    except Invalid as error:
        fail("--output", error.problems[0].reason)


@app.command("compare")
def compare(
    name: str = NAME,
    overlay: Path = typer.Option(
        ..., "--with", exists=True, dir_okay=False, help="The what-if overlay."
    ),
    scale: str = typer.Option("0.01", help="Size of both replays."),
    seed: int | None = SEED,
    output: Path | None = typer.Option(None, help="Also draw both to a .png or .svg file."),
    keep: Path | None = typer.Option(
        None, file_okay=False, help="Keep both stores in this folder."
    ),
) -> None:
    """Replay a scenario and its what-if into separate stores and compare them by date."""
    if output is not None:
        _check_output(output)
    base, fork = _loaded(name, None), _loaded(name, overlay)
    with tempfile.TemporaryDirectory(prefix="orgburo-compare-") as folder:
        with progress_bar("steps") as advance, reported():
            result = compare_.compare(
                base,
                fork,
                scale=parse_scale(scale),
                actor=cli_actor(),
                seed=seed,
                folder=keep or Path(folder),
                progress=advance,
            )
        if output is not None:
            plots.draw_comparison(result.base, result.fork, output)
    _comparison_table(result)


def _comparison_table(result: compare_.Comparison) -> None:
    base, fork = result.base.scenario.name, result.fork.scenario.name
    table = Table(
        "date",
        "members (base)",
        "members (what if)",
        "difference",
        "workers (base)",
        "workers (what if)",
        title=f"{base} (base) and {fork} (what if)",
    )
    for row in result.rows:
        table.add_row(
            str(row.on),
            f"{row.base:,.0f}",
            f"{row.fork:,.0f}",
            f"{row.difference:+,.0f}",
            f"{row.base_workers:.1%}",
            f"{row.fork_workers:.1%}",
        )
    console.print(table)
