"""Every real election in tests/data/elections is recounted and checked against its result."""

from __future__ import annotations

import pytest

from orgburo.core.tally import METHODS, Result

from .elections_corpus import election, folder_of, ids, meta, official_stages

METHODS_FOR_FOLDER = {
    "stv_scotland": ("stv-scottish",),
    "irv_us": ("irv",),
    # Irish rules draw actual papers at random, which an aggregated file cannot replay; the
    # json's check: a Scottish (WIGM, 5 d.p.) count elects the same four, and so does Meek.
    "stv_ireland": ("stv-scottish", "meek"),
    # Minneapolis WIGM at 4 d.p.: any WIGM variant and Meek give the same three.
    "stv_us": ("stv-scottish", "meek"),
    # GNOME's own method is not stated; the same seven win under Meek and Scottish STV.
    "stv_org": ("meek", "stv-scottish"),
}
ORDERED_PREFIX = {
    "ie_dublin_north_2002": 2,  # Sargent then Ryan; Glennon and Wright filled the last two
    "us_minneapolis_2013_park_board": 1,  # Erwin first; Young and Forney in the same round
    "gnome_2018_board": 0,  # published as a set
}
CASES = [(i, m) for i in ids() for m in METHODS_FOR_FOLDER[folder_of(i)]]


def counted(election_id: str, method: str) -> Result:
    return METHODS[method](election(election_id))


@pytest.mark.parametrize(("election_id", "method"), CASES)
def test_the_method_the_rule_names_elects_the_official_winners(
    election_id: str, method: str
) -> None:
    official = meta(election_id)["elected"]
    elected = list(counted(election_id, method).elected)
    ordered = ORDERED_PREFIX.get(election_id, len(official))
    assert elected[:ordered] == official[:ordered]
    assert set(elected) == set(official)


@pytest.mark.parametrize("election_id", ids("stv_scotland"))
def test_scottish_count_reproduces_every_official_stage_total(election_id: str) -> None:
    result = counted(election_id, "stv-scottish")
    official = official_stages(election_id)
    assert len(result.stages) == len(official)
    for ours, theirs in zip(result.stages, official, strict=True):
        assert dict(zip(result.candidates, ours.totals, strict=True)) == theirs["totals"], (
            f"stage {theirs['number']}"
        )


@pytest.mark.parametrize("election_id", ids("stv_scotland"))
def test_scottish_count_elects_and_excludes_at_the_official_stages(election_id: str) -> None:
    result = counted(election_id, "stv-scottish")
    for ours, theirs in zip(result.stages, official_stages(election_id), strict=True):
        assert (set(ours.elected), set(ours.excluded)) == (theirs["elected"], theirs["excluded"])
    elected_at = {name: s.number for s in result.stages for name in s.elected}
    assert elected_at == meta(election_id)["elected_at_stage"]


@pytest.mark.parametrize("election_id", ids("stv_scotland"))
def test_scottish_count_uses_the_official_quota(election_id: str) -> None:
    assert counted(election_id, "stv-scottish").quota == meta(election_id)["quota"]


def test_equal_surpluses_go_in_order_of_the_most_recent_stage_at_which_they_differed() -> None:
    result = counted("renfrewshire_2017_ward3", "stv-scottish")
    assert result.elected[:2] == ("JIM SHARKEY (Lab)", "Neill GRAHAM (C)")
    assert result.stages[6].action.startswith("surplus of JIM SHARKEY (Lab)")
    assert (result.total(7, "JIM SHARKEY (Lab)"), result.total(7, "Neill GRAHAM (C)")) == (
        1202,
        1311,
    )
    assert any("at stage 5, the most recent stage" in note for note in result.stages[5].notes)


@pytest.mark.parametrize("election_id", ids("irv_us"))
def test_instant_runoff_reproduces_the_published_final_round(election_id: str) -> None:
    info = meta(election_id)
    final = info.get("official_final_round") or info["final_round_sequential_irv_on_this_blt"]
    result = counted(election_id, "irv")
    totals = dict(zip(result.candidates, result.stages[-1].totals, strict=True))
    assert {name: totals[name] for name in final} == final


def test_burlington_first_round_equals_the_official_report() -> None:
    result = counted("us_burlington_2009_mayor", "irv")
    first = dict(zip(result.candidates, result.stages[0].totals, strict=True))
    assert first == meta("us_burlington_2009_mayor")["official_round1"]


@pytest.mark.parametrize("election_id", ["us_minneapolis_2013_mayor", "us_minneapolis_2017_mayor"])
def test_one_at_a_time_exclusion_follows_the_official_batch_eliminations(election_id: str) -> None:
    batches = meta(election_id)["rctab_elimination_order"]
    batch_of = {name: i for i, group in enumerate(batches) for name in group.split("; ")}
    result = counted(election_id, "irv")
    order = [batch_of[name] for stage in result.stages for name in stage.excluded]
    assert order == sorted(order)
    assert set(order) == set(range(1, len(batches)))


def test_dublin_north_first_preferences_equal_the_official_quota_basis() -> None:
    result = counted("ie_dublin_north_2002", "stv-scottish")
    assert result.valid == meta("ie_dublin_north_2002")["valid_ballots"]
    assert result.quota == meta("ie_dublin_north_2002")["quota"]


def test_park_board_quota_equals_the_published_quota() -> None:
    result = counted("us_minneapolis_2013_park_board", "stv-scottish")
    assert result.quota == meta("us_minneapolis_2013_park_board")["quota_rctab"]
