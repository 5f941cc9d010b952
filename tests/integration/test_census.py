import contextlib
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.census import counting, tallies
from orgburo.census import service as census
from orgburo.errors import Invalid
from orgburo.members import service as members
from tests.factories import member, small_tree, tally_rows


def counts(
    session: Session, code: str, by: str, at: date | None = None
) -> dict[tuple[str, ...], int]:
    composition = census.census(session, body_code=code, by=by.split(","), at=at, actor=SYSTEM)
    return {c.values: c.count for c in composition.cells}


def populate(session: Session) -> None:
    small_tree(session)
    member(session, "1", "N1", social_situation="worker", sex="female")
    member(session, "2", "N1", social_situation="peasant")
    member(session, "3", "N2", social_situation="worker", status="candidate")
    member(session, "4", "S1", social_situation="employee")
    member(session, "5", "NORTH", social_situation="employee")


def test_census_counts_the_whole_subtree_by_one_attribute(session: Session) -> None:
    populate(session)
    assert counts(session, "NORTH", "social_situation") == {
        ("worker",): 2,
        ("peasant",): 1,
        ("employee",): 1,
    }
    assert counts(session, "CC", "social_situation")[("employee",)] == 2


def test_census_shares_add_up_to_one(session: Session) -> None:
    populate(session)
    composition = census.census(session, body_code="CC", by=["sex"], actor=SYSTEM)
    assert sum(c.share for c in composition.cells) == 1
    assert composition.cells[0].share == Fraction(4, 5)


def test_census_by_two_attributes_crosses_them(session: Session) -> None:
    populate(session)
    assert counts(session, "NORTH", "status,social_situation") == {
        ("full", "worker"): 1,
        ("full", "peasant"): 1,
        ("candidate", "worker"): 1,
        ("full", "employee"): 1,
    }
    assert counts(session, "CC", "social_situation,sex")[("worker", "female")] == 1


def test_census_of_a_past_date_sees_the_members_of_that_date(session: Session) -> None:
    populate(session)
    members.transfer(session, external_id="1", to_body_code="S1", on=date(1922, 1, 1), actor=SYSTEM)
    members.end(session, external_id="2", reason="left", on=date(1922, 1, 1), actor=SYSTEM)
    assert counts(session, "NORTH", "social_situation", at=date(1921, 1, 1)) == {
        ("worker",): 2,
        ("peasant",): 1,
        ("employee",): 1,
    }
    assert counts(session, "NORTH", "social_situation") == {("worker",): 1, ("employee",): 1}


def test_census_of_a_past_date_takes_attributes_as_they_were(session: Session) -> None:
    populate(session)
    members.change_attributes(
        session,
        external_id="1",
        changes={"social_situation": "employee"},
        on=date(1923, 1, 1),
        actor=SYSTEM,
    )
    members.change_attributes(
        session,
        external_id="1",
        changes={"social_situation": "other"},
        on=date(1924, 1, 1),
        actor=SYSTEM,
    )
    assert counts(session, "N1", "social_situation", at=date(1922, 1, 1)) == {
        ("worker",): 1,
        ("peasant",): 1,
    }
    assert counts(session, "N1", "social_situation", at=date(1923, 6, 1)) == {
        ("employee",): 1,
        ("peasant",): 1,
    }
    assert counts(session, "N1", "social_situation") == {("other",): 1, ("peasant",): 1}


def test_census_of_a_past_date_uses_the_tree_of_that_date(session: Session) -> None:
    populate(session)
    bodies.move(session, code="N2", new_parent_code="SOUTH", on=date(1922, 1, 1), actor=SYSTEM)
    assert sum(counts(session, "NORTH", "status", at=date(1921, 1, 1)).values()) == 4
    assert sum(counts(session, "NORTH", "status").values()) == 3
    assert sum(counts(session, "SOUTH", "status").values()) == 2


def test_census_by_age_bands_members_by_their_age_on_the_date(session: Session) -> None:
    populate(session)
    assert counts(session, "CC", "age", at=date(1920, 6, 1)) == {("30-39",): 5}
    assert counts(session, "CC", "age", at=date(1931, 6, 1)) == {("40-49",): 5}


def test_change_between_two_dates_pairs_the_cells(session: Session) -> None:
    populate(session)
    member(session, "6", "S1", on=date(1924, 2, 1), social_situation="worker")
    change = census.change(
        session,
        body_code="CC",
        by=["social_situation"],
        start=date(1923, 1, 1),
        end=date(1924, 6, 1),
        actor=SYSTEM,
    )
    worker = next(c for c in change.cells if c.values == ("worker",))
    assert (worker.before, worker.after, worker.difference) == (2, 3, 1)


def test_an_unknown_dimension_is_refused_with_the_known_ones(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="by: 'shoe_size' is not a dimension"):
        census.census(session, body_code="CC", by=["shoe_size"], actor=SYSTEM)


def test_a_census_date_in_the_future_is_refused(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="at: .* is in the future"):
        census.census(session, body_code="CC", by=["sex"], at=date(2999, 1, 1), actor=SYSTEM)


OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["admit", "confirm", "transfer", "change", "end", "move"]),
        st.integers(0, 7),
        st.sampled_from(["N1", "N2", "S1", "NORTH", "SOUTH", "CC"]),
        st.sampled_from(["worker", "peasant", "employee", "other"]),
    ),
    max_size=25,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_tallies_kept_step_by_step_equal_a_recount(session: Session, operations: list) -> None:  # type: ignore[type-arg]
    savepoint = session.begin_nested()
    small_tree(session)
    for day, (operation, who, where, social) in enumerate(operations):
        with contextlib.suppress(Invalid):
            apply(session, operation, str(who), where, social, date(1919, 1, 1 + day))
    kept = tally_rows(session)
    tallies.rebuild(session)
    assert kept == tally_rows(session)
    for code in ("CC", "NORTH", "SOUTH"):
        live = counting.from_spells(
            session, bodies.get_or_raise(session, code), ("social_situation",), None
        )
        assert counts(session, code, "social_situation") == dict(live)
        for at in (date(1919, 1, 5), date(1919, 1, 15)):
            body = bodies.get_or_raise(session, code)
            full = counting.from_spells(session, body, ("status", "social_situation"), at)
            assert counts(session, code, "status,social_situation", at=at) == {
                k: n for k, n in full if n
            }
    savepoint.rollback()


def apply(session: Session, operation: str, who: str, where: str, social: str, on: date) -> None:
    person = members.get(session, who)
    current = members.current_spell(session, person) if person else None
    if operation == "admit" and current is None:
        member(session, who, where, on=on, social_situation=social, status="candidate")
    elif current is None:
        return
    elif operation == "confirm" and current.status == "candidate":
        members.confirm(session, external_id=who, on=on, actor=SYSTEM)
    elif operation == "transfer":
        members.transfer(session, external_id=who, to_body_code=where, on=on, actor=SYSTEM)
    elif operation == "change":
        members.change_attributes(
            session, external_id=who, changes={"social_situation": social}, on=on, actor=SYSTEM
        )
    elif operation == "end":
        members.end(session, external_id=who, reason="left", on=on, actor=SYSTEM)
    elif operation == "move" and where in ("N1", "N2", "S1"):
        bodies.move(
            session,
            code=where,
            new_parent_code="SOUTH" if where != "S1" else "NORTH",
            on=on,
            actor=SYSTEM,
        )


def test_a_past_census_rewound_from_tallies_equals_a_full_count(session: Session) -> None:
    populate(session)
    for i in range(6, 16):
        member(
            session, str(i), "N1" if i % 2 else "S1", on=date(1924, 1, i), social_situation="worker"
        )
    members.end(session, external_id="4", reason="left", on=date(1924, 2, 1), actor=SYSTEM)
    members.change_attributes(
        session,
        external_id="1",
        changes={"social_situation": "other"},
        on=date(1924, 3, 1),
        actor=SYSTEM,
    )
    members.transfer(session, external_id="2", to_body_code="S1", on=date(1924, 3, 2), actor=SYSTEM)
    cc = bodies.get_or_raise(session, "CC")
    for at in (date(1923, 6, 1), date(1924, 1, 8), date(1924, 2, 15), date(1924, 3, 1)):
        full = dict(counting.from_spells(session, cc, ("status", "social_situation"), at))
        rewound = counts(session, "CC", "status,social_situation", at=at)
        assert rewound == {k: n for k, n in full.items() if n}
