"""Up the chain: the congress elects the committee, whose plenum elects its bureau and the
general secretary; results become seats and office terms."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.bodies import service as bodies
from orgburo.congresses import chain
from orgburo.congresses import service as congresses
from orgburo.elections import casting
from orgburo.elections import service as elections
from orgburo.errors import Invalid
from orgburo.members.models import Person
from orgburo.offices import seats
from orgburo.offices import service as offices
from tests.election_factories import close_and_count, congress, load_chain, party

PLENUM_DAY = date(1921, 3, 16)


def run_election(session: Session, code: str, candidates: list[Person], marks: list[str]) -> None:
    for person in candidates:
        elections.nominate(session, code=code, person_id=person.external_id, actor=SYSTEM)
    issued = elections.open_poll(session, code=code, actor=SYSTEM)
    for slip in issued:
        casting.cast(session, code=code, credential=slip.credential, marks=marks, actor=SYSTEM)
    close_and_count(session, elections.get_or_raise(session, code))


def elect_committee(session: Session, people: list[Person], sitting: str = "X") -> None:
    elections.from_chain(session, congress_code=sitting, actor=SYSTEM)
    full = [p.name for p in people[:3]]
    run_election(session, f"{sitting}.CC", people[:4], full)
    run_election(session, f"{sitting}.CC-CAND", people[4:6], [people[4].name])


def test_loading_the_chain_creates_organs_offices_and_links(session: Session) -> None:
    party(session)
    load_chain(session)
    cc = bodies.get_or_raise(session, "CC")
    assert (cc.kind, bodies.get_or_raise(session, "PB").parent_id) == ("committee", cc.id)
    assert offices.get_or_raise(session, "GENSEC").title == "General Secretary"
    described = [(v.elector.code, v.link.sitting, v.elects) for v in chain.describe_all(session)]
    assert ("ROOT", "congress", "Central Committee (CC), candidate seats") in described
    assert ("CC", "plenum", "General Secretary (GENSEC)") in described


def test_loading_the_chain_again_changes_nothing(session: Session) -> None:
    party(session)
    load_chain(session)
    before = [(v.elector.code, v.elects, v.link.seats) for v in chain.describe_all(session)]
    load_chain(session)
    assert [(v.elector.code, v.elects, v.link.seats) for v in chain.describe_all(session)] == before


def test_the_usual_template_loads(session: Session) -> None:
    party(session)
    data = chain.read(chain.TEMPLATE)
    chain.load(session, data=data, body_code="ROOT", opened_on=date(1918, 1, 1), actor=SYSTEM)
    assert {v.elects for v in chain.describe_all(session)} >= {"General Secretary (GENSEC)"}


def test_a_chain_naming_an_unknown_method_is_refused(session: Session) -> None:
    party(session)
    data = {"organs": [{**chain.read(chain.TEMPLATE)["organs"][0], "method": "borda"}]}
    with pytest.raises(Invalid, match="'borda' is not one of"):
        chain.load(session, data=data, body_code="ROOT", opened_on=date(1918, 1, 1), actor=SYSTEM)


def test_the_congress_elects_the_committee_and_its_seats_begin(session: Session) -> None:
    people = party(session)
    load_chain(session)
    congress(session, people)
    elect_committee(session, people)
    cc = bodies.get_or_raise(session, "CC")
    full = {s.person_id for s in seats.holders_on(session, cc, kind="full")}
    assert full == {p.id for p in people[:3]}
    assert [s.person_id for s in seats.holders_on(session, cc, kind="candidate")] == [people[4].id]


def test_a_plenum_of_the_committee_elects_the_bureau_and_the_general_secretary(
    session: Session,
) -> None:
    people = party(session)
    load_chain(session)
    congress(session, people)
    elect_committee(session, people)
    congresses.create(
        session,
        code="P1",
        name="First plenum",
        kind="plenum",
        body_code="CC",
        opens_on=PLENUM_DAY,
        actor=SYSTEM,
    )
    made = elections.from_chain(session, congress_code="P1", actor=SYSTEM)
    assert {e.code for e in made} == {"P1.PB", "P1.GENSEC"}
    run_election(session, "P1.PB", people[:3], [people[0].name, people[2].name])
    run_election(session, "P1.GENSEC", people[:2], [people[1].name])
    pb = bodies.get_or_raise(session, "PB")
    assert {s.person_id for s in seats.holders_on(session, pb)} == {people[0].id, people[2].id}
    holders = offices.holders_on(session, offices.get_or_raise(session, "GENSEC"), PLENUM_DAY)
    assert [(h.term.person_id, h.certain) for h in holders] == [(people[1].id, True)]


def test_a_plenum_elects_only_from_its_own_members(session: Session) -> None:
    people = party(session)
    load_chain(session)
    congress(session, people)
    elect_committee(session, people)
    congresses.create(
        session,
        code="P1",
        name="Plenum",
        kind="plenum",
        body_code="CC",
        opens_on=PLENUM_DAY,
        actor=SYSTEM,
    )
    elections.from_chain(session, congress_code="P1", actor=SYSTEM)
    with pytest.raises(Invalid, match="holds no seat on CC"):
        elections.nominate(session, code="P1.PB", person_id=people[7].external_id, actor=SYSTEM)


def test_the_next_congress_ends_the_seats_of_the_last(session: Session) -> None:
    people = party(session)
    load_chain(session)
    congress(session, people)
    elect_committee(session, people)
    congress(session, people[3:], code="Y")
    elections.from_chain(session, congress_code="Y", actor=SYSTEM)
    run_election(session, "Y.CC", people[3:6], [p.name for p in people[3:6]])
    cc = bodies.get_or_raise(session, "CC")
    history = [(s.person_id, s.ended_on is None, s.end_reason) for s in seats.history(session, cc)]
    ended = [h for h in history if h[2] == "term ended"]
    assert {h[0] for h in ended} == {p.id for p in people[:3]}
    current = {s.person_id for s in seats.holders_on(session, cc, kind="full")}
    assert current == {p.id for p in people[3:6]}
