"""The chain from the command line: convene, apportion, elect, count, export the box and
recount it with `orgburo tally`; offices and their recorded history."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine

from orgburo.db import unit_of_work
from tests.e2e.conftest import Run
from tests.election_factories import party


def setup_congress(run: Run, engine: Engine) -> None:
    with unit_of_work(engine) as session:
        party(session)
    steps = [
        ("chain", "load", "--body", "ROOT", "--opened", "1918-01-01"),
        ("congresses", "convene", "X", "--name", "Congress", "--body", "ROOT",
         "--opens", "1921-03-08", "--norm", "per-members", "--voting", "2"),
        ("congresses", "apportion", "X"),
        *[("congresses", "delegate", "X", p, "--organization", r)
          for p, r in (("F000", "R1"), ("F001", "R2"), ("F002", "R1"), ("F003", "R2"))],
        ("congresses", "credentials", "X"),
    ]  # fmt: skip
    for step in steps:
        result = run(*step)
        assert result.exit_code == 0, (step, result.output)


def test_an_election_from_the_command_line_recounts_from_its_exported_box(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    setup_congress(run, fresh_engine)
    made = run("elections", "create", "E", "--title", "Chair", "--congress", "X",
               "--method", "irv", "--seed", "5", "--office", "GENSEC")  # fmt: skip
    assert made.exit_code == 0, made.output
    assert run("elections", "nominate", "E", "F000", "F001", "F002").exit_code == 0
    slips = tmp_path / "slips.csv"
    assert run("elections", "open", "E", "--slips", slips).exit_code == 0
    rows = list(csv.DictReader(slips.read_text(encoding="utf-8").splitlines()))
    for i, row in enumerate(rows):
        marks = ["Member F002", "Member F001"] if i % 2 else ["Member F001"]
        voted = run("elections", "vote", "E", "--credential", row["credential"],
                    *[a for m in marks for a in ("--mark", m)])  # fmt: skip
        assert voted.exit_code == 0, voted.output
        assert voted.output.startswith("receipt: ")
    assert run("elections", "close", "E").exit_code == 0
    counted = run("elections", "count", "E")
    assert "elected: Member F001" in counted.output
    blt = tmp_path / "E.blt"
    assert run("elections", "box", "E", "--output", blt).exit_code == 0
    recount = run("tally", "--method", "irv", "--seed", "5", blt)
    assert recount.output.splitlines() == ["Member F001"]
    holders = run("offices", "holders", "GENSEC", "--on", "1921-03-09")
    assert "Member F001, General Secretary" in holders.output


def test_a_reused_credential_fails_with_exit_code_and_reason(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    setup_congress(run, fresh_engine)
    run("elections", "create", "E", "--title", "T", "--congress", "X", "--method", "block")
    run("elections", "nominate", "E", "F000")
    slips = tmp_path / "slips.csv"
    run("elections", "open", "E", "--slips", slips)
    credential = next(csv.DictReader(slips.read_text(encoding="utf-8").splitlines()))["credential"]
    assert run("elections", "vote", "E", "--credential", credential).exit_code == 0
    again = run("elections", "vote", "E", "--credential", credential)
    assert again.exit_code == 4
    assert "has already been used" in again.output


def test_a_malformed_blt_file_is_rejected_naming_the_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.blt"
    bad.write_text('2 1\n1 3 0\n0\n"A" "B"\n', encoding="utf-8")
    result = run("tally", "--method", "irv", bad)
    assert result.exit_code == 2
    assert "2: ballot: " in result.output


def test_the_shipped_history_of_the_secretariat_loads_and_answers(run: Run) -> None:
    loaded = run("offices", "load", "--scenario", "secretariat_heads")
    assert loaded.exit_code == 0, loaded.output
    assert "15 terms" in loaded.output
    assert run("offices", "load", "--scenario", "secretariat_heads").exit_code == 0
    held = run("offices", "holders", "SECRETARIAT_HEAD", "--on", "1953-09-10")
    assert held.output.strip() == "Nikita Khrushchev, First Secretary"
    shown = run("offices", "show", "SECRETARIAT_HEAD")
    assert "Conflict" in shown.output


def test_offices_are_appointed_ended_and_seats_vacated_from_the_command_line(
    run: Run, fresh_engine: Engine
) -> None:
    with unit_of_work(fresh_engine) as session:
        party(session)
    assert run("chain", "load", "--body", "ROOT", "--opened", "1918-01-01").exit_code == 0
    assert run("offices", "appoint", "GENSEC", "F000", "--on", "1922-04-03").exit_code == 0
    assert (
        run("offices", "appoint", "GENSEC", "F001", "--on", "1923-01-01", "--joint").exit_code == 0
    )
    ended = run("offices", "end-term", "GENSEC", "--on", "1924-01-01", "--reason", "removed")
    assert "2 term(s)" in ended.output
    assert "nobody held GENSEC" in run("offices", "holders", "GENSEC", "--on", "1925-01-01").output
    refused = run("offices", "vacate", "CC", "F000", "--on", "1925-01-01", "--reason", "died")
    assert refused.exit_code == 3
    assert "holds no seat on 'CC'" in refused.output


def test_a_receipt_is_checked_offline_against_the_downloaded_box(
    run: Run, fresh_engine: Engine, tmp_path: Path
) -> None:
    setup_congress(run, fresh_engine)
    run("elections", "create", "E", "--title", "T", "--congress", "X", "--method", "irv")
    run("elections", "nominate", "E", "F000", "F001")
    slips = tmp_path / "slips.csv"
    run("elections", "open", "E", "--slips", slips)
    credential = next(csv.DictReader(slips.read_text(encoding="utf-8").splitlines()))["credential"]
    voted = run("elections", "vote", "E", "--credential", credential, "--mark", "Member F001")
    receipt = voted.output.split("receipt: ")[1].split()[0]
    nonce = voted.output.split("keep it to yourself): ")[1].split()[0]
    run("elections", "close", "E")
    box = tmp_path / "box.json"
    assert run("elections", "box", "E", "--format", "json", "--output", box).exit_code == 0
    checked = run("elections", "check-receipt", box, "--receipt", receipt, "--nonce", nonce)
    assert checked.exit_code == 0, checked.output
    assert "Member F001; the receipt is this ballot's" in checked.output
    forged = run("elections", "check-receipt", box, "--receipt", receipt, "--nonce", "00" * 16)
    assert forged.exit_code == 2
