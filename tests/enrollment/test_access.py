"""Who may see and act on a campaign: its reach, and the officers of the bodies in it."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.actors import SYSTEM, Actor
from orgburo.enrollment import campaigns, figures, meetings, reads, recommendations, service
from orgburo.enrollment.models import Application
from orgburo.enrollment.service import Applicant
from orgburo.errors import PermissionDenied
from tests.factories import PASSWORD, body

from .helpers import MARCH, WORKER, apply, campaign, meeting, spec


def officer(session: Session, name: str, role: str, scope: str) -> Actor:
    accounts.create(session, name=name, password=PASSWORD, actor=SYSTEM)
    accounts.grant(session, name=name, role=role, body_code=scope, actor=SYSTEM)
    return accounts.actor_for(session, accounts.get_or_raise(session, name))


def apply_as(session: Session, actor: Actor, ref: str, body: str, on: date = MARCH) -> Application:
    return service.apply(
        session,
        campaign_code="LE",
        body_code=body,
        received_on=on,
        applicant=Applicant(name=f"Applicant {ref}", attributes=WORKER, ref=ref),
        actor=actor,
    )


def test_a_campaign_of_the_centre_reaches_a_regional_secretary(session: Session) -> None:
    campaign(session)
    north = officer(session, "north", "secretary", "NORTH")
    assert campaigns.view(session, code="LE", actor=north).code == "LE"
    assert [c.code for c in campaigns.list_campaigns(session, actor=north)] == ["LE"]


def test_a_campaign_of_another_region_is_neither_listed_nor_shown(session: Session) -> None:
    campaign(session, code="SO", body_code="SOUTH")
    north = officer(session, "north", "secretary", "NORTH")
    assert campaigns.list_campaigns(session, actor=north) == []
    with pytest.raises(PermissionDenied, match="campaign: .*'SOUTH'"):
        campaigns.view(session, code="SO", actor=north)


def test_a_secretary_takes_applications_in_their_subtree_only(session: Session) -> None:
    campaign(session)
    north = officer(session, "north", "secretary", "NORTH")
    assert apply_as(session, north, "A1", "N1").ref == "A1"
    with pytest.raises(PermissionDenied, match="body: 'S1'"):
        apply_as(session, north, "A2", "S1")
    assert session.scalar(select(func.count()).select_from(Application)) == 1


def test_an_outside_body_is_refused_before_the_date_is_checked(session: Session) -> None:
    campaign(session)
    north = officer(session, "north", "secretary", "NORTH")
    with pytest.raises(PermissionDenied):
        apply_as(session, north, "A3", "S1", on=date(1930, 1, 1))


def test_a_control_commission_reads_but_does_not_act(session: Session) -> None:
    campaign(session)
    body(session, "NCC", "NORTH", kind="commission")
    commission = officer(session, "ncc", "control_commission", "NCC")
    apply(session, "A1")
    assert service.view(session, campaign_code="LE", ref="A1", actor=commission).ref == "A1"
    with pytest.raises(PermissionDenied):
        recommendations.recommend(
            session,
            campaign_code="LE",
            ref="A1",
            recommender_id="R1",
            given_on=MARCH,
            actor=commission,
        )


def test_applications_listed_to_a_regional_officer_are_their_regions(session: Session) -> None:
    campaign(session)
    apply(session, "A1", body="N1")
    apply(session, "B1", body="S1")
    north = officer(session, "north", "secretary", "NORTH")
    listed = reads.applications(session, campaign_code="LE", actor=north)
    assert [a.ref for a in listed.applications] == ["A1"]
    everything = reads.applications(session, campaign_code="LE", actor=SYSTEM)
    assert [a.ref for a in everything.applications] == ["A1", "B1"]
    with pytest.raises(PermissionDenied):
        reads.applications(session, campaign_code="LE", body_code="SOUTH", actor=north)


def test_an_application_of_another_region_is_not_shown(session: Session) -> None:
    campaign(session)
    apply(session, "B1", body="S1")
    north = officer(session, "north", "secretary", "NORTH")
    with pytest.raises(PermissionDenied):
        service.view(session, campaign_code="LE", ref="B1", actor=north)


def test_meetings_are_held_and_read_by_the_officers_of_their_body(session: Session) -> None:
    campaign(session)
    apply(session, "A1")
    held = meeting(session)
    south = officer(session, "south", "secretary", "SOUTH")
    with pytest.raises(PermissionDenied):
        reads.meeting(session, held.id, actor=south)
    with pytest.raises(PermissionDenied):
        meetings.hold_meeting(
            session,
            campaign_code="LE",
            body_code="N1",
            held_on=date(1924, 3, 11),
            members_present=3,
            actor=south,
        )


def test_campaign_wide_figures_belong_to_the_proclaiming_body(session: Session) -> None:
    campaign(session)
    north = officer(session, "north", "secretary", "NORTH")
    with pytest.raises(PermissionDenied):
        figures.figures(session, campaign_code="LE", actor=north)
    assert figures.figures(session, campaign_code="LE", actor=SYSTEM).code == "LE"


def test_proclaiming_a_campaign_needs_the_officers_of_its_body(session: Session) -> None:
    campaign(session)
    north = officer(session, "north", "secretary", "NORTH")
    with pytest.raises(PermissionDenied, match="body: 'CC'"):
        campaigns.create(session, spec=spec(code="LE2"), actor=north)
    made = campaigns.create(session, spec=spec(code="LN", body_code="NORTH"), actor=north)
    assert made.code == "LN"
