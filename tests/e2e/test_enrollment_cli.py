"""Enrollment through the `orgburo enrollment` command, on a store that commits."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from orgburo.db import unit_of_work
from tests.e2e.conftest import Run
from tests.enrollment.helpers import organization, snapshot

CAMPAIGN = """
code: LE
name: Workers' enrollment
body: CC
opens_on: 1924-02-15
closes_on: 1924-05-15
eligibility: 'occupation == "worker" or social_situation == "peasant"'
groups:
  - {name: workers, rule: 'occupation == "worker"', target: 3}
  - {name: peasants, rule: 'social_situation == "peasant"', target: 1, ceiling: true}
"""
WORKER = ["--set", "occupation=worker", "--set", "social_situation=worker"]


def started(run: Run, engine: Engine, folder: Path) -> None:
    with unit_of_work(engine) as session:
        organization(session)
    (folder / "campaign.yaml").write_text(CAMPAIGN)
    assert run("enrollment", "create", folder / "campaign.yaml").exit_code == 0


def stored(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        return snapshot(session)


def apply(run: Run, ref: str, *values: str) -> int:
    args = ["--name", f"Applicant {ref}", "--body", "N1", "--on", "1924-03-01", "--ref", ref]
    return run("enrollment", "apply", "LE", *args, *(values or WORKER)).exit_code


def test_an_applicant_goes_from_application_to_candidate(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    started(run, fresh_engine, tmp_path)
    assert apply(run, "A1", *WORKER, "--set", "birth_year=1900") == 0
    for who in ("R1", "R2"):
        assert (
            run("enrollment", "recommend", "LE", "A1", "--by", who, "--on", "1924-03-02").exit_code
            == 0
        )
    held = run(
        "enrollment",
        "meeting",
        "LE",
        "--body",
        "N1",
        "--on",
        "1924-03-10",
        "--present",
        "3",
        "--vote",
        "A1=3/0/0",
    )
    assert held.exit_code == 0
    assert "A1: carried (3/0/0)" in held.stdout
    shown = json.loads(run("enrollment", "application", "LE", "A1").stdout)
    assert (shown["status"], shown["registry_id"]) == ("admitted", "LE-A1")
    assert run("members", "show", "LE-A1").exit_code == 0
    staged = run("enrollment", "stage", "LE", "A1", "--outcome", "confirmed", "--on", "1924-09-10")
    assert staged.exit_code == 0


def test_refusals_name_the_field_and_change_nothing(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    started(run, fresh_engine, tmp_path)
    assert apply(run, "A1") == 0
    before = stored(fresh_engine)
    ineligible = run(
        "enrollment",
        "apply",
        "LE",
        "--name",
        "X",
        "--body",
        "N1",
        "--on",
        "1924-03-01",
        "--set",
        "occupation=employee",
        "--set",
        "social_situation=employee",
    )
    assert ineligible.exit_code == 2
    assert "occupation is 'employee', not 'worker'" in ineligible.stderr
    late = run(
        "enrollment", "apply", "LE", "--name", "Y", "--body", "N1", "--on", "1924-06-01", *WORKER
    )
    assert "received_on: 1924-06-01 is outside the campaign period" in late.stderr
    candidate = run("enrollment", "recommend", "LE", "A1", "--by", "C1", "--on", "1924-03-02")
    assert "recommender: 'C1' is not a full member" in candidate.stderr
    no_quorum = run(
        "enrollment", "meeting", "LE", "--body", "N1", "--on", "1924-03-10", "--present", "2"
    )
    assert "members_present: 2 of 4 full members present; a quorum is 3" in no_quorum.stderr
    assert stored(fresh_engine) == before


def test_a_second_decision_is_refused_and_the_meeting_is_not_recorded(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    started(run, fresh_engine, tmp_path)
    assert apply(run, "A1") == 0
    first = ("enrollment", "meeting", "LE", "--body", "N1", "--present", "3")
    assert run(*first, "--on", "1924-03-10", "--vote", "A1=0/3/0:absent").exit_code == 0
    before = stored(fresh_engine)
    again = run(*first, "--on", "1924-03-17", "--vote", "A1=3/0/0")
    assert again.exit_code == 4
    assert "application: 'A1' was already decided on 1924-03-10 (refused)" in again.stderr
    assert stored(fresh_engine) == before


def test_bulk_imports_and_figures(run: Run, fresh_engine: Engine, tmp_path: Path) -> None:
    started(run, fresh_engine, tmp_path)
    (tmp_path / "apps.csv").write_text(
        "ref,name,body,received,recommenders,occupation,social_situation,birth_year\n"
        "A1,Anna,N1,1924-03-01,R1;R2,worker,worker,1900\n"
        "A2,Boris,N1,1924-03-01,R3;R4,worker,worker,1901\n"
    )
    (tmp_path / "outcomes.csv").write_text(
        "ref,held,present,for,against,abstained,reason\n"
        "A1,1924-03-10,3,3,0,0,\n"
        "A2,1924-03-10,3,1,2,0,late\n"
    )
    loaded = run("enrollment", "import-applications", "LE", tmp_path / "apps.csv")
    assert "2 rows: 2 applications, 0 unchanged, 4 recommendations" in loaded.stdout
    decided = run("enrollment", "import-outcomes", "LE", tmp_path / "outcomes.csv")
    assert "1 admitted, 1 refused" in decided.stdout
    figures = json.loads(run("enrollment", "show", "LE", "--format", "json").stdout)
    assert figures["counts"] == {"pending": 0, "admitted": 1, "refused": 1}
    assert figures["refusals"] == {"late": 1}
    assert run("enrollment", "show", "LE").exit_code == 0
    composition = run("enrollment", "composition", "LE", "--by", "status")
    assert "candidate" in composition.stdout
    given = run("enrollment", "recommendations", "R1")
    assert "Anna" in given.stdout


def test_a_rule_can_be_checked_and_tried(run: Run, fresh_engine: Engine) -> None:
    tried = run(
        "enrollment",
        "check-rule",
        'occupation == "worker" and age >= 18',
        "--set",
        "occupation=employee",
        "--set",
        "age=30",
    )
    assert tried.exit_code == 0
    assert "fails: occupation is 'employee', not 'worker'" in tried.stdout
    wrong = run("enrollment", "check-rule", 'ocupation == "worker"')
    assert wrong.exit_code == 2
    assert "did you mean 'occupation'" in wrong.stderr
