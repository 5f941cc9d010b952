"""Finding members: by name prefix in any case, by registry id, by attributes, page by page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.errors import Invalid
from orgburo.members import bulk_changes
from orgburo.members import importer as members_importer
from orgburo.members import roster as rosters
from orgburo.members import service as members
from orgburo.members.models import Membership, Person
from orgburo.members.roster import RosterPage, roster
from tests.factories import member, small_tree

IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
ON = date(1921, 6, 1)
NAMES = ["Anna Petrova", "anton Orlov", "Иван Петров", "иванна Сидорова", "Boris Ivanov"]


@pytest.fixture(params=["small", "large"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both search plans: collecting a small subtree's members, or walking the name index."""
    registry = 0 if request.param == "large" else 10**12  # as if the subtree were tiny or huge
    monkeypatch.setattr(rosters, "registry_size", lambda session: registry)
    rosters.RECENT_SIZES.clear()
    return str(request.param)


def populate(session: Session) -> None:
    small_tree(session)
    for i, name in enumerate(NAMES):
        sex = "female" if i < 2 else "male"
        member(session, f"p{i}", "N1" if i % 2 else "S1", name=name, sex=sex)
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


def test_every_spell_carries_its_persons_name_key(session: Session) -> None:
    """Admitted one by one or imported, transferred one by one or many at once: the
    roster finds members by the name key their spells carry."""
    populate(session)
    members_importer.import_file(session, IMPORTS / "members.csv", actor=SYSTEM)
    members.transfer(session, external_id="p0", to_body_code="N2", on=ON, actor=SYSTEM)
    bulk_changes.transfer_many(
        session, external_ids=["p1", "p3"], to_body_code="S1", on=ON, actor=SYSTEM
    )
    spells = select(Membership.name_key, Person.name_key).join(
        Person, Person.id == Membership.person_id
    )
    pairs = session.execute(spells).all()
    assert len(pairs) > len(NAMES) + 3
    assert all(spell == person for spell, person in pairs)
    assert names(roster(session, body_code="S1", q="ANTON", actor=SYSTEM)) == ["anton Orlov"]
