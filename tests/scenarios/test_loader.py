"""Reading scenario files: problems name the file, the line and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgburo.errors import Invalid, NotFound
from orgburo.scenarios import loader
from tests.scenarios.conftest import DATA, REFERENCE

TINY = (DATA / "tiny.yaml").read_text()


def problems_of(tmp_path: Path, text: str, name: str = "broken.yaml") -> list[str]:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(Invalid) as raised:
        loader.load(str(path))
    return [str(p) for p in raised.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def test_the_reference_scenario_loads_and_names_its_sources() -> None:
    scenario = loader.load(REFERENCE).scenario
    assert scenario.organization.on.year == 1917
    assert (
        len([b for b in scenario.organization.bodies if b.level == "guberniia"])
        + len([b for s in scenario.timeline for b in s.open or [] if b.level == "guberniia"])
        == 40
    )
    assert all(s.source for s in scenario.timeline if s.parts())


def test_a_misspelt_key_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    text = TINY.replace("    title: The purge\n", "    title: The purge\n    reasons: many\n")
    assert problems_of(tmp_path, text) == [
        f"broken.yaml, line {line_of(text, 'reasons: many')}, timeline[5].reasons: "
        "Extra inputs are not permitted"
    ]


def test_a_bad_number_is_reported_at_its_own_line(tmp_path: Path) -> None:
    text = TINY.replace("{group: cells, count: 200}", "{group: cells, count: many}")
    [problem] = problems_of(tmp_path, text)
    assert problem.startswith(
        f"broken.yaml, line {line_of(text, 'count: many')}, timeline[5].depart.from[0].count:"
    )


def test_a_step_naming_a_closed_body_is_refused_with_the_line(tmp_path: Path) -> None:
    late = (
        "  - id: too-late\n    on: 1921-06-01\n    title: Too late\n"
        "    change: {body: EAST, zone: rear}\n"
    )
    text = TINY.replace("figures:\n", late + "figures:\n")
    assert problems_of(tmp_path, text) == [
        f"broken.yaml, line {line_of(text, 'change: {body: EAST, zone: rear}')}, "
        "timeline[9].change.body: no open body has the code 'EAST' at this point of the timeline"
    ]


def test_steps_out_of_date_order_are_refused(tmp_path: Path) -> None:
    purge = "    on: 1920-01-01\n    title: The purge"
    text = TINY.replace(purge, purge.replace("1920", "1919"))
    [problem] = problems_of(tmp_path, text)
    assert "timeline[5].on: 1919-01-01 is before the previous step (1919-08-01)" in problem


def test_on_is_a_key_and_not_a_yes_no_value() -> None:
    source = loader.read(DATA / "tiny.yaml")
    assert source.data["organization"]["on"].year == 1918


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, "name: tiny\ntitle: [unclosed\n")
    assert problem.startswith("broken.yaml, line 3: is not valid YAML")


def test_an_unknown_scenario_is_not_found() -> None:
    with pytest.raises(NotFound, match="no scenario is called 'nowhere'"):
        loader.load("nowhere")


def test_an_overlay_removes_replaces_and_adds_steps_by_id() -> None:
    loaded = loader.load_with(str(DATA / "tiny.yaml"), DATA / "tiny_no_purge.yaml")
    ids = [s.id for s in loaded.scenario.timeline]
    assert "purge" not in ids
    assert ids.index("late-growth") == ids.index("east-moves") + 1
    assert loaded.scenario.name == "tiny_no_purge"


def test_an_overlay_naming_an_unknown_step_points_at_its_line(tmp_path: Path) -> None:
    overlay = tmp_path / "fork.yaml"
    overlay.write_text("base: tiny\nname: fork\ntitle: Fork\nremove: [purge, nothing]\n")
    with pytest.raises(Invalid) as raised:
        loader.load_with(str(DATA / "tiny.yaml"), overlay)
    assert [str(p) for p in raised.value.problems] == [
        "fork.yaml, line 4, remove[1]: no step of 'tiny' has the id 'nothing'"
    ]


def test_an_overlay_for_another_scenario_is_refused(tmp_path: Path) -> None:
    overlay = tmp_path / "fork.yaml"
    overlay.write_text("base: other\nname: fork\ntitle: Fork\n")
    with pytest.raises(Invalid, match="the overlay applies to 'other', not to 'tiny'"):
        loader.load_with(str(DATA / "tiny.yaml"), overlay)
