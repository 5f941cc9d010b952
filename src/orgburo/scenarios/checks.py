"""Checks of a scenario as a whole, after the schema: what one key alone cannot show.

Step ids are unique and dates in order; every body a step names is open by then; every
group is declared; every mix names attributes and values the registry knows; every
number has a source. Each issue says which step (if any) and where inside it, so the
loader can point at the line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from orgburo.core.attributes import BOOLEAN, CHOICE, CORE_ATTRIBUTES, INTEGER
from orgburo.scenarios.schema import BodySpec, Figure, Mix, Part, Scenario, Step

Where = tuple[str | int, ...]
PART_KEYS = {"admit": "into", "depart": "from", "confirm": "in", "transfer": "from"}


@dataclass(frozen=True)
class Issue:
    """One problem: the step it is in (None for the rest of the file), where, and why."""

    step: str | None
    where: Where
    reason: str


def check_scenario(scenario: Scenario) -> list[Issue]:
    """Every issue found in the scenario, in file order."""
    tree = _Tree(scenario)
    issues = list(tree.open_organization())
    issues += _mix_issues(scenario.defaults.mix, ("defaults", "mix"))
    issues += list(_timeline_issues(scenario, tree))
    issues += list(_figure_issues(scenario, tree.ever))
    return issues


class _Tree:
    """Which bodies exist and are open as the timeline is read, and the declared groups."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.open: set[str] = set()
        self.ever: set[str] = set()

    def open_organization(self) -> Iterator[Issue]:
        organization = self.scenario.organization
        for i, spec in enumerate(organization.bodies):
            yield from self.add(spec, None, ("organization", "bodies", i))
        for i, person in enumerate(organization.people):
            if person.body not in self.open:
                yield Issue(None, ("organization", "people", i, "body"), _unknown(person.body))
        for i, part in enumerate(organization.members):
            yield from self.part(part, None, ("organization", "members", i))

    def add(self, spec: BodySpec, step: str | None, where: Where) -> Iterator[Issue]:
        if spec.code in self.ever:
            yield Issue(step, (*where, "code"), f"a body with the code {spec.code!r} exists")
        if spec.parent is not None and spec.parent not in self.open:
            yield Issue(step, (*where, "parent"), _unknown(spec.parent))
        for j, group in enumerate(spec.groups):
            if group not in self.scenario.groups:
                yield Issue(step, (*where, "groups", j), _undeclared(group))
        yield from _in_step(step, _mix_issues(spec.mix, (*where, "mix")))
        self.open.add(spec.code)
        self.ever.add(spec.code)

    def body(self, code: str | None, step: str | None, where: Where) -> Iterator[Issue]:
        if code is not None and code not in self.open:
            yield Issue(step, where, _unknown(code))

    def part(self, part: Part, step: str | None, where: Where) -> Iterator[Issue]:
        yield from self.body(part.body, step, (*where, "body"))
        yield from self.body(part.of, step, (*where, "of"))
        for j, code in enumerate(part.bodies or []):
            yield from self.body(code, step, (*where, "bodies", j))
        if part.group is not None and part.group not in self.scenario.groups:
            yield Issue(step, (*where, "group"), _undeclared(part.group))
        yield from _in_step(step, _mix_issues(part.mix, (*where, "mix")))


def _in_step(step: str | None, issues: Iterator[Issue]) -> Iterator[Issue]:
    return (replace(issue, step=step) for issue in issues)


def _unknown(code: str | None) -> str:
    return f"no open body has the code {code!r} at this point of the timeline"


def _undeclared(group: str) -> str:
    return f"the group {group!r} is not declared under `groups`"


def _timeline_issues(scenario: Scenario, tree: _Tree) -> Iterator[Issue]:
    seen: set[str] = set()
    previous = scenario.organization.on
    for step in scenario.timeline:
        if step.id in seen:
            yield Issue(step.id, ("id",), f"another step already has the id {step.id!r}")
        seen.add(step.id)
        yield from _date_issues(step, previous, scenario.end)
        previous = max(previous, step.on)
        yield from _action_issues(step, tree)
        if step.parts() and not step.source and not all(p.source for p in step.parts()):
            yield Issue(step.id, ("source",), "a step with numbers must name their source")


def _date_issues(step: Step, previous: date, end: date) -> Iterator[Issue]:
    if step.on < previous:
        yield Issue(step.id, ("on",), f"{step.on} is before the previous step ({previous})")
    if step.on > end:
        yield Issue(step.id, ("on",), f"{step.on} is after the scenario's end ({end})")


def _action_issues(step: Step, tree: _Tree) -> Iterator[Issue]:
    action = step.action
    for i, spec in enumerate(step.open or []):
        yield from tree.add(spec, step.id, ("open", i))
    for name in ("body", "parent", "transfer_to", "to"):
        value = getattr(getattr(step, action), name, None)
        if isinstance(value, str) and action != "member":
            yield from tree.body(value, step.id, (action, name))
    if step.member is not None:
        yield from tree.body(step.member.body, step.id, ("member", "body"))
        yield from tree.body(step.member.to, step.id, ("member", "to"))
    for i, part in enumerate(step.parts()):
        yield from tree.part(part, step.id, (action, PART_KEYS[action], i))
    if step.admit is not None:
        yield from _in_step(step.id, _mix_issues(step.admit.mix, ("admit", "mix")))
    if step.close is not None:
        tree.open.discard(step.close.body)


def _figure_issues(scenario: Scenario, ever: set[str]) -> Iterator[Issue]:
    ids = {s.id for s in scenario.timeline}
    seen: set[str] = set()
    for i, figure in enumerate(scenario.figures):
        where: Where = ("figures", i)
        if figure.id in seen:
            yield Issue(None, (*where, "id"), f"another figure already has the id {figure.id!r}")
        seen.add(figure.id)
        for j, code in enumerate(figure.measure.bodies):
            if code not in ever:
                yield Issue(
                    None, (*where, "measure", "bodies", j), f"no body has the code {code!r}"
                )
        for j, group in enumerate(figure.measure.groups):
            if group not in scenario.groups:
                yield Issue(None, (*where, "measure", "groups", j), _undeclared(group))
        if figure.step is not None and figure.step not in ids:
            yield Issue(None, (*where, "step"), f"no step has the id {figure.step!r}")
        yield from _figure_shape(figure, where, scenario)


def _figure_shape(figure: Figure, where: Where, scenario: Scenario) -> Iterator[Issue]:
    if not scenario.organization.on <= figure.on <= scenario.end:
        yield Issue(None, (*where, "on"), "must fall within the scenario's dates")
    if figure.measure.dimension is not None and figure.measure.dimension not in CORE_ATTRIBUTES:
        yield Issue(None, (*where, "measure", "dimension"), "is not a member attribute")


def _mix_issues(mix: Mix, where: Where) -> Iterator[Issue]:
    for name, shares in mix.items():
        attribute = CORE_ATTRIBUTES.get(name)
        at = (*where, name)
        if attribute is None or attribute.type == INTEGER:
            yield Issue(None, at, f"{name!r} is not an attribute a mix can set")
        elif attribute.type == BOOLEAN:
            if not isinstance(shares, float | int) or not 0 <= shares <= 1:
                yield Issue(None, at, "a yes/no attribute takes the share that says yes, 0 to 1")
        elif not isinstance(shares, dict) or not shares or min(shares.values()) < 0:
            yield Issue(None, at, "give each value its share (not negative)")
        elif attribute.type == CHOICE:
            for value in shares:
                if value not in attribute.choices:
                    yield Issue(None, (*at, value), f"is not one of {', '.join(attribute.choices)}")
