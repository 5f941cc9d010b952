"""The reference scenario reproduces the published figures (docs/figures.md)."""

from __future__ import annotations

import pytest

from orgburo.scenarios import service
from orgburo.scenarios.figures import FigureValue
from tests.scenarios.conftest import REFERENCE, Replayed

SCENARIO = service.load(REFERENCE).scenario
DERIVED = [f.id for f in SCENARIO.figures if f.kind == "derived"]
INPUTS = [f.id for f in SCENARIO.figures if f.kind == "input"]


def measured(reference: Replayed, figure_id: str) -> FigureValue:
    return reference.values()[figure_id]


def describe(value: FigureValue) -> str:
    return (
        f"{value.figure.id}: Orgburo {value.value:,.4g}, published {value.figure.published:,.4g}"
        f" (allowed {value.allowed:,.4g}, range {value.figure.range})"
    )


@pytest.mark.parametrize("figure_id", DERIVED)
def test_each_derived_figure_is_computed_within_its_tolerance(
    reference: Replayed, figure_id: str
) -> None:
    value = measured(reference, figure_id)
    assert value.within, describe(value)


@pytest.mark.parametrize("figure_id", INPUTS)
def test_each_typed_in_figure_is_given_back_by_the_census(
    reference: Replayed, figure_id: str
) -> None:
    value = measured(reference, figure_id)
    assert value.within, describe(value)


def test_the_scenario_has_derived_figures_of_both_kinds() -> None:
    derived = [f for f in SCENARIO.figures if f.kind == "derived"]
    assert any(f.is_share for f in derived)
    assert any(not f.is_share for f in derived)


def test_no_derived_count_is_typed_into_the_scenario() -> None:
    typed = {p.count or p.reach for s in SCENARIO.timeline for p in s.parts()}
    typed |= {p.count or p.reach for p in SCENARIO.organization.members}
    for figure in SCENARIO.figures:
        if figure.kind == "derived" and not figure.is_share:
            assert int(figure.published) not in typed, figure.id


def test_no_derived_share_is_typed_into_a_mix() -> None:
    shares: set[float] = set()
    mixes = [SCENARIO.defaults.mix, *[s.admit.mix for s in SCENARIO.timeline if s.admit]]
    mixes += [p.mix for s in SCENARIO.timeline for p in s.parts()]
    for mix in mixes:
        for values in mix.values():
            shares |= set(values.values()) if isinstance(values, dict) else {values}
    for figure in SCENARIO.figures:
        if figure.kind == "derived" and figure.is_share:
            assert figure.published not in shares, figure.id
