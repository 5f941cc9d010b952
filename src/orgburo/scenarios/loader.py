"""Reading scenario and overlay files: YAML checked against the schema, errors with lines.

Every problem names the file, the line and the field (`rcpb.yaml, line 212,
timeline[14].depart.from[0].count: ...`): the YAML is composed once into nodes that
remember where they start, and each Pydantic error location is looked up among them.
After the schema, the timeline is checked as a whole: step ids are unique, dates in
order, and every body and group a step names exists by then.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from orgburo.errors import Invalid, NotFound, Problem
from orgburo.scenarios import mobilization
from orgburo.scenarios.checks import Issue, check_scenario
from orgburo.scenarios.mobilization import Call
from orgburo.scenarios.schema import Overlay, Scenario, Step

DATA = Path(__file__).with_name("data")
Where = tuple[str | int, ...]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Source:
    """A parsed YAML file: its data and the line of every key and item."""

    path: Path
    text: str
    data: Any
    lines: dict[Where, int]

    def line(self, where: Where) -> int:
        """The line of the deepest known node along `where`."""
        for end in range(len(where), -1, -1):
            if where[:end] in self.lines:
                return self.lines[where[:end]]
        return 1


@dataclass(frozen=True)
class Loaded:
    """A checked scenario, with the files it came from, their digest, and where each
    step is written (its file and path, for messages)."""

    scenario: Scenario
    sources: tuple[Source, ...]
    digest: str
    origins: dict[str, tuple[Source, Where]] = field(default_factory=dict, compare=False)
    calls: dict[str, Call] = field(default_factory=dict, compare=False)
    """The decree each mobilization step carries out, read from its data file."""

    @property
    def files(self) -> tuple[Path, ...]:
        """The files read: the scenario, then the overlay if any."""
        return tuple(s.path for s in self.sources)

    def where(self, step_id: str) -> str:
        """`file, line N` of a step (the organization for the first day's steps)."""
        source, path = self.origins.get(step_id, (self.sources[0], ("organization",)))
        return f"{source.path.name}, line {source.line(path)}"


def available() -> list[Path]:
    """The scenario files shipped with Orgburo."""
    return sorted(DATA.glob("*.yaml"))


def resolve(name: str) -> Path:
    """A scenario by name (shipped with Orgburo) or by path to a YAML file."""
    candidate = Path(name)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate
    shipped = DATA / f"{name}.yaml"
    if shipped.is_file():
        return shipped
    known = ", ".join(p.stem for p in available())
    raise NotFound(f"scenario: no scenario is called {name!r}; known: {known}")


def load(name: str) -> Loaded:
    """The scenario `name` (or at that path), checked."""
    source = read(resolve(name))
    scenario = _validated(source, Scenario)
    origins: dict[str, tuple[Source, Where]] = {
        s.id: (source, ("timeline", i)) for i, s in enumerate(scenario.timeline)
    }
    return _checked(scenario, (source,), origins)


def load_with(name: str, overlay_path: Path) -> Loaded:
    """The scenario `name` with the what-if `overlay_path` applied, checked."""
    base_source = read(resolve(name))
    base = _validated(base_source, Scenario)
    overlay_source = read(overlay_path)
    overlay = _validated(overlay_source, Overlay)
    if overlay.base != base.name:
        message = f"the overlay applies to {overlay.base!r}, not to {base.name!r}"
        raise Invalid([_problem(overlay_source, ("base",), message)])
    origins: dict[str, tuple[Source, Where]] = {
        s.id: (base_source, ("timeline", i)) for i, s in enumerate(base.timeline)
    }
    for key in ("replace", "add"):
        for i, step in enumerate(getattr(overlay, key)):
            origins[step.id] = (overlay_source, (key, i))
    merged = _apply(base, overlay, overlay_source)
    return _checked(merged, (base_source, overlay_source), origins)


class _Loader(yaml.SafeLoader):
    """Safe YAML where only true and false are booleans: `on:` is a key, not True."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read(path: Path) -> Source:
    """Parse a YAML file, keeping the line of every node."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise Invalid.one(f"{path.name}{line}", f"is not valid YAML: {problem}") from None
    finally:
        loader.dispose()
    lines: dict[Where, int] = {}
    if node is not None:
        _index(node, (), lines)
    return Source(path, text, data, lines)


def _index(node: yaml.Node, where: Where, lines: dict[Where, int]) -> None:
    lines.setdefault(where, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*where, key.value)] = key.start_mark.line + 1
            _index(value, (*where, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*where, i), lines)


def _validated(source: Source, model: type[M]) -> M:
    if not isinstance(source.data, dict):
        raise Invalid.one(source.path.name, "must be a YAML mapping of keys to values")
    try:
        return model.model_validate(source.data)
    except ValidationError as error:
        problems = [_problem(source, tuple(e["loc"]), e["msg"]) for e in error.errors()]
        raise Invalid(problems) from None


def _problem(source: Source, where: Where, message: str) -> Problem:
    known = next(
        (where[:end] for end in range(len(where), -1, -1) if where[:end] in source.lines), ()
    )
    dotted = _dotted(known) or "(file)"
    reason = message.removeprefix("Value error, ")
    return Problem(f"{source.path.name}, line {source.line(where)}, {dotted}", reason)


def _dotted(where: Where) -> str:
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text


def _apply(base: Scenario, overlay: Overlay, source: Source) -> Scenario:
    ids = [s.id for s in base.timeline]
    problems = [
        _problem(source, ("remove", i), f"no step of {base.name!r} has the id {step_id!r}")
        for i, step_id in enumerate(overlay.remove)
        if step_id not in ids
    ]
    problems += [
        _problem(source, ("replace", i, "id"), f"no step of {base.name!r} has the id {s.id!r}")
        for i, s in enumerate(overlay.replace)
        if s.id not in ids
    ]
    if problems:
        raise Invalid(problems)
    replaced = {s.id: s for s in overlay.replace}
    kept = [replaced.get(s.id, s) for s in base.timeline if s.id not in overlay.remove]
    timeline: list[Step] = sorted([*kept, *overlay.add], key=lambda s: s.on)
    figures = [f for f in base.figures if f.step not in overlay.remove]
    return base.model_copy(
        update={
            "name": overlay.name,
            "title": overlay.title,
            "description": overlay.description or base.description,
            "timeline": timeline,
            "figures": figures,
        }
    )


def _checked(
    scenario: Scenario, sources: tuple[Source, ...], origins: dict[str, tuple[Source, Where]]
) -> Loaded:
    issues = check_scenario(scenario)
    if issues:
        raise Invalid([_issue_problem(issue, sources[0], origins) for issue in issues])
    calls, texts = mobilization.calls(scenario, _text_and_data)
    digest = hashlib.sha256("\n".join([*(s.text for s in sources), *texts]).encode()).hexdigest()
    return Loaded(scenario, sources, digest, origins, calls)


def _text_and_data(path: Path) -> tuple[str, Any]:
    source = read(path)
    return source.text, source.data


def _issue_problem(issue: Issue, main: Source, origins: dict[str, tuple[Source, Where]]) -> Problem:
    if issue.step is not None and issue.step in origins:
        source, base = origins[issue.step]
        return _problem(source, (*base, *issue.where), issue.reason)
    return _problem(main, issue.where, issue.reason)
