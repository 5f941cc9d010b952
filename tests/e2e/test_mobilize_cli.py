"""Mobilizations through the `orgburo mobilize` command, on a store that commits."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from orgburo.db import unit_of_work
from tests.e2e.conftest import Run
from tests.mobilizations.helpers import organization, snapshot

DECREE = """
code: D1
title: Call-up for the Western Front
issuing_body: CC
issued_on: 1920-04-26
basis: individual
destination: WEST
term: temporary
term_months: 4
criteria: 'sex == "male"'
quota:
  kind: absolute
  total: 6
  subquotas: [{name: responsible, rule: responsible_position, count: 2}]
roles:
  - {role: commissar, count: 2, requirement: red_army and responsible_position}
  - {role: instructor, count: 3, destination: RAIL}
"""


def stored(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return snapshot(session)


def issued(run: Run, engine: Engine, folder: Path) -> None:
    with unit_of_work(engine) as session:
        organization(session)
    (folder / "decree.yaml").write_text(DECREE)
    assert run("mobilize", "decree", "issue", folder / "decree.yaml").exit_code == 0


def test_a_decree_goes_from_issue_to_arrival(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    issued(run, fresh_engine, tmp_path)
    split = run("mobilize", "apportion", "D1", "--method", "webster")
    assert "D1: 6 demanded of 8 eligible over 6 bodies (webster)" in split.stdout
    assert (
        "6 proposed, 2 for responsible"
        in run("mobilize", "select", "D1", "--on", "1920-05-01").stdout
    )
    assert "6 members accepted" in run("mobilize", "accept", "D1", "--on", "1920-05-01").stdout
    assert "assigned" in run("mobilize", "assign", "D1").stdout
    assert run("mobilize", "order", "D1", "--body", "CC", "--on", "1920-05-02").exit_code == 0
    listed = json.loads(run("mobilize", "entries", "D1", "--format", "json").stdout)
    first = listed[0]["id"]
    (tmp_path / "ids.csv").write_text("id\n" + first + "\n")
    sent = run("mobilize", "dispatch", "D1", "--file", tmp_path / "ids.csv", "--on", "1920-05-05")
    assert "1 members dispatched" in sent.stdout
    assert run("mobilize", "arrive", "D1", first, "--on", "1920-05-09").exit_code == 0
    figures = run("mobilize", "fulfilment", "--by", "month", "--decree", "D1", "--format", "csv")
    assert "1920-05,1920-05,0,1,1" in figures.stdout
    shown = json.loads(run("mobilize", "decree", "show", "D1", "--format", "json").stdout)
    assert shown["method"] == "webster"
    assert sum(q["demanded"] for q in shown["quotas"]) == 6
    assert "score" in run("mobilize", "explain", "D1", first).stdout
    assert "mobilization.arrived" in run("members", "show", first).stdout


def test_a_decree_is_called_up_in_one_command(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    issued(run, fresh_engine, tmp_path)
    done = run("mobilize", "call-up", "D1", "--on", "1920-05-01", "--method", "webster")
    assert done.exit_code == 0, done.stdout
    assert "D1: 6 demanded of 8 eligible over 6 bodies (webster)" in done.stdout
    assert "6 proposed, 2 for responsible" in done.stdout
    assert "5 of 6 members assigned" in done.stdout
    before = stored(fresh_engine)
    again = run("mobilize", "call-up", "D1", "--on", "1920-05-01")
    assert again.exit_code != 0
    assert "has proposals already" in again.stdout + again.stderr
    assert stored(fresh_engine) == before


def test_refusals_name_the_field_and_change_nothing(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    issued(run, fresh_engine, tmp_path)
    before = stored(fresh_engine)
    unknown = run(
        "mobilize",
        "decree",
        "issue",
        "--code",
        "D2",
        "--title",
        "X",
        "--issuer",
        "NORTH",
        "--scope",
        "S1",
        "--on",
        "1920-05-01",
        "--basis",
        "mass",
        "--destination",
        "MOON",
        "--months",
        "3",
        "--total",
        "5",
        "--role",
        "cook=1",
    )
    assert unknown.exit_code == 2
    assert "scope: 'S1' is outside the subtree" in unknown.stderr
    assert "roles[0].role: no role type has the code 'cook'" in unknown.stderr
    too_many = run(
        "mobilize",
        "decree",
        "issue",
        "--code",
        "D3",
        "--title",
        "X",
        "--issuer",
        "CC",
        "--on",
        "1920-05-01",
        "--basis",
        "mass",
        "--destination",
        "WEST",
        "--months",
        "3",
        "--total",
        "50",
    )
    assert too_many.exit_code == 0
    after_issue = stored(fresh_engine)
    short = run("mobilize", "apportion", "D3")
    assert short.exit_code == 2
    assert "quota[N1]" in short.stderr
    assert stored(fresh_engine) == after_issue
    assert before["mobilization_quotas"] == after_issue["mobilization_quotas"]
    assert run("mobilize", "apportion", "D3", "--accept-shortfall").exit_code == 0


def test_catalogs_and_endings(run: Run, fresh_engine: Engine, tmp_path: Path) -> None:
    issued(run, fresh_engine, tmp_path)
    assert (
        run(
            "mobilize", "destinations", "add", "FUEL", "--name", "Fuel", "--kind", "labour"
        ).exit_code
        == 0
    )
    assert "FUEL" in run("mobilize", "destinations", "list").stdout
    assert run("mobilize", "roles", "add", "inspector", "--name", "Inspector").exit_code == 0
    assert "inspector" in run("mobilize", "roles", "list").stdout
    ended = run(
        "mobilize",
        "end-kind",
        "--body",
        "CC",
        "--from",
        "1931-01-01",
        "--kind",
        "labour",
        "--note",
        "no more campaigns",
    )
    assert "mobilizations to the labour sector ended from 1931-01-01" in ended.stdout
    late = run(
        "mobilize",
        "decree",
        "issue",
        "--code",
        "D9",
        "--title",
        "Fuel",
        "--issuer",
        "CC",
        "--on",
        "1931-03-25",
        "--basis",
        "mass",
        "--destination",
        "FUEL",
        "--term",
        "permanent",
        "--total",
        "1",
    )
    assert late.exit_code == 2
    assert "ended mobilizations to the labour sector" in late.stderr
    assert "D1" in run("mobilize", "decree", "list").stdout


def test_a_decree_leaves_out_the_bodies_given_in_its_file_or_by_exclude(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    issued(run, fresh_engine, tmp_path)
    (tmp_path / "d2.yaml").write_text(
        DECREE.replace("code: D1", "code: D2").replace("total: 6", "total: 4") + "excluded: [N1]\n"
    )
    assert run("mobilize", "decree", "issue", tmp_path / "d2.yaml").exit_code == 0
    shown = json.loads(run("mobilize", "decree", "show", "D2", "--format", "json").stdout)
    assert shown["excluded"] == ["N1"]
    options = ("--code", "D3", "--exclude", "NORTH", "--total", "2")
    assert run("mobilize", "decree", "issue", tmp_path / "decree.yaml", *options).exit_code == 0
    split = run("mobilize", "apportion", "D3", "--accept-shortfall")
    assert "over 3 bodies" in split.stdout
    assert "not counting NORTH" in run("mobilize", "decree", "show", "D3").stdout
    before = stored(fresh_engine)
    outside = run(
        "mobilize",
        "decree",
        "issue",
        tmp_path / "decree.yaml",
        "--code",
        "D4",
        "--scope",
        "NORTH",
        "--exclude",
        "S1",
    )
    assert outside.exit_code == 2
    assert "excluded[0]: 'S1' is outside the subtree of the scope 'NORTH'" in outside.stderr
    assert stored(fresh_engine) == before
