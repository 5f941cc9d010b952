"""Offices: the recorded heads of the secretariat answer "who held it on date X"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.errors import Invalid
from orgburo.offices import history_file
from orgburo.offices import service as offices

HEADS = (
    Path(__file__).resolve().parents[2]
    / "src/orgburo/scenarios/data/offices/secretariat_heads.yaml"
)


@pytest.fixture
def heads(session: Session) -> offices.Office:
    history_file.load(session, data=history_file.read(HEADS), actor=SYSTEM)
    return offices.get_or_raise(session, "SECRETARIAT_HEAD")


def held(session: Session, office: offices.Office, on: date) -> list[tuple[str, str, bool]]:
    return [
        (h.term.holder_name, h.term.title, h.certain)
        for h in offices.holders_on(session, office, on)
    ]


@pytest.mark.parametrize(
    ("on", "holder", "title"),
    [
        (date(1919, 6, 1), "Elena Stasova", "Responsible secretary"),
        (date(1920, 6, 1), "Nikolay Krestinsky", "Responsible secretary"),
        (date(1921, 3, 16), "Vyacheslav Molotov", "Responsible secretary"),
        (date(1925, 1, 1), "Joseph Stalin", "General Secretary"),
        (date(1940, 1, 1), "Joseph Stalin", "Secretary of the Central Committee (senior)"),
        (date(1953, 3, 10), "Georgy Malenkov", "Senior secretary"),
        (date(1953, 9, 10), "Nikita Khrushchev", "First Secretary"),
        (date(1965, 1, 1), "Leonid Brezhnev", "First Secretary"),
        (date(1970, 1, 1), "Leonid Brezhnev", "General Secretary"),
        (date(1983, 6, 1), "Yuri Andropov", "General Secretary"),
        (date(1984, 6, 1), "Konstantin Chernenko", "General Secretary"),
        (date(1990, 1, 1), "Mikhail Gorbachev", "General Secretary"),
        (date(1991, 8, 26), "Vladimir Ivashko", "Acting General Secretary"),
    ],
)
def test_the_loaded_history_names_who_held_the_office_on_a_date(
    session: Session, heads: offices.Office, on: date, holder: str, title: str
) -> None:
    assert held(session, heads, on) == [(holder, title, True)]


def test_on_the_day_of_a_handover_only_the_successor_holds_it(
    session: Session, heads: offices.Office
) -> None:
    assert held(session, heads, date(1922, 4, 3)) == [("Joseph Stalin", "General Secretary", True)]


def test_nobody_holds_it_between_a_death_and_the_next_election(
    session: Session, heads: offices.Office
) -> None:
    assert held(session, heads, date(1982, 11, 11)) == []
    assert held(session, heads, date(1953, 6, 1)) == []


def test_imprecise_dates_give_possible_holders_not_certain_ones(
    session: Session, heads: offices.Office
) -> None:
    assert held(session, heads, date(1918, 6, 1)) == [
        ("Elena Stasova", "Technical secretary", False),
        ("Yakov Sverdlov", "Chairman of the Secretariat (de facto)", False),
    ]


def test_a_date_known_to_the_month_is_certain_after_that_month(
    session: Session, heads: offices.Office
) -> None:
    assert held(session, heads, date(1917, 4, 10)) == [
        ("Elena Stasova", "Technical secretary", False)
    ]
    assert held(session, heads, date(1917, 6, 1)) == [
        ("Elena Stasova", "Technical secretary", True)
    ]


def test_conflicting_sources_are_kept_beside_the_adopted_date(
    session: Session, heads: offices.Office
) -> None:
    khrushchev = next(t for t in offices.terms(session, heads) if "Khrushchev" in t.holder_name)
    assert khrushchev.started_on == date(1953, 9, 7)
    assert "14 Sep 1953" in str(khrushchev.note)
    assert "Conflict" in str(khrushchev.note)


def test_loading_the_history_again_changes_nothing(session: Session, heads: offices.Office) -> None:
    before = [(t.holder_name, t.started_on, t.ended_on) for t in offices.terms(session, heads)]
    history_file.load(session, data=history_file.read(HEADS), actor=SYSTEM)
    after = [(t.holder_name, t.started_on, t.ended_on) for t in offices.terms(session, heads)]
    assert after == before
    assert len(after) == 15


def test_a_new_term_ends_the_open_one_on_its_first_day(session: Session) -> None:
    office = offices.create(session, code="CHAIR", title="Chair", actor=SYSTEM)
    first = offices.TermStart(holder_name="A", started_on=date(1920, 1, 1))
    offices.start_term(session, office=office, start=first, actor=SYSTEM)
    second = offices.TermStart(holder_name="B", started_on=date(1921, 1, 1))
    offices.start_term(session, office=office, start=second, actor=SYSTEM)
    terms = [(t.holder_name, t.ended_on, t.end_reason) for t in offices.terms(session, office)]
    assert terms == [("A", date(1921, 1, 1), "succeeded"), ("B", None, None)]


def test_a_partial_date_must_be_a_real_date() -> None:
    with pytest.raises(Invalid, match="'1919-13' is not a real date"):
        history_file.partial_date("1919-13", "from")
    assert history_file.partial_date(1918, "from") == (date(1918, 1, 1), "year")
