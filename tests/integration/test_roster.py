"""Finding members: by name prefix in any case, by registry id, by attributes, page by page."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.errors import Invalid
from orgburo.members import roster as rosters
from orgburo.members import service as members
from orgburo.members.roster import RosterPage, roster
from tests.factories import member, small_tree

NAMES = ["Anna Petrova", "anton Orlov", "Иван Петров", "иванна Сидорова", "Boris Ivanov"]


@pytest.fixture(params=["small", "large"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both search plans: collecting a small subtree's members, or walking the name index."""
    registry = 0 if request.param == "large" else 10**12  # as if the subtree were tiny or huge
    monkeypatch.setattr(rosters, "registry_size", lambda session: registry)
    return str(request.param)


def populate(session: Session) -> None:
    small_tree(session)
    for i, name in enumerate(NAMES):
        person = member(
            session, f"p{i}", "N1" if i % 2 else "S1", sex="female" if i < 2 else "male"
        )
        person.name, person.name_key = name, members.name_key(name)
    member(session, "n2", "N2")
    session.flush()


def names(page: RosterPage) -> list[str]:
    return [e.person.name for e in page.entries]


def test_a_name_prefix_matches_in_any_case(session: Session, plan: str) -> None:
    populate(session)
    assert names(roster(session, body_code="CC", q="AN", actor=SYSTEM)) == [
        "Anna Petrova",
        "anton Orlov",
    ]


def test_a_cyrillic_prefix_matches_in_any_case(session: Session, plan: str) -> None:
    populate(session)
    assert names(roster(session, body_code="CC", q="ИВАН", actor=SYSTEM)) == [
        "Иван Петров",
        "иванна Сидорова",
    ]


def test_only_the_subtree_is_searched(session: Session, plan: str) -> None:
    populate(session)
    assert names(roster(session, body_code="NORTH", q="a", actor=SYSTEM)) == ["anton Orlov"]


def test_a_registry_id_finds_that_member_alone(session: Session, plan: str) -> None:
    populate(session)
    assert names(roster(session, body_code="CC", q="p4", actor=SYSTEM)) == ["Boris Ivanov"]


def test_attributes_narrow_the_search(session: Session, plan: str) -> None:
    populate(session)
    found = roster(session, body_code="CC", filters={"sex": "female"}, actor=SYSTEM)
    assert names(found) == ["Anna Petrova", "anton Orlov"]


def test_pages_continue_where_the_last_one_ended(session: Session, plan: str) -> None:
    populate(session)
    seen: list[str] = []
    after = None
    while True:
        page = roster(session, body_code="CC", after=after, limit=2, actor=SYSTEM)
        seen += names(page)
        if page.next_after is None:
            break
        after = page.next_after
    assert seen == sorted(seen, key=str.lower)
    assert len(seen) == len(NAMES) + 1


def test_a_filter_on_an_undeclared_attribute_is_refused(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="shoe: members can be searched by core attributes only"):
        roster(session, body_code="CC", filters={"shoe": "42"}, actor=SYSTEM)


def test_a_bad_filter_value_names_the_attribute(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="sex"):
        roster(session, body_code="CC", filters={"sex": "often"}, actor=SYSTEM)


def test_a_forged_cursor_is_refused(session: Session) -> None:
    populate(session)
    with pytest.raises(Invalid, match="after: is not a cursor from a previous page"):
        roster(session, body_code="CC", after="not-a-cursor", actor=SYSTEM)


def test_the_subtree_size_comes_from_the_tallies_or_the_spells(session: Session) -> None:
    populate(session)
    sizes = [rosters.subtree_size(session, bodies.get_or_raise(session, c)) for c in ("CC", "N1")]
    assert sizes == [len(NAMES) + 1, 2]
