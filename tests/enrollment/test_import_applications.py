"""Applications in bulk: the same checks as one at a time, all of the file or nothing."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from orgburo.actors import SYSTEM
from orgburo.enrollment import importer, service
from orgburo.enrollment.models import Application, CampaignGroup, GroupMatch, Recommendation
from orgburo.enrollment.service import Applicant
from orgburo.errors import Invalid

from .helpers import MARCH, apply, campaign, snapshot

HEADER = ["ref", "name", "body", "received", "registry_id", "joint", "recommenders"]
ATTRIBUTES = ["occupation", "social_situation", "birth_year", "komsomol", "industry"]
GOOD = [
    [
        "A1",
        "Anna",
        "N1",
        "1924-03-01",
        "",
        "W1",
        "R1; R2",
        "worker",
        "worker",
        "1900",
        "yes",
        "metal",
    ],
    ["A2", "Boris", "N1", "1924-03-01", "", "W1", "R3;R4", "worker", "worker", "1899", "no", ""],
    ["A3", "Vera", "S1", "1924-03-02", "X9", "", "", "peasant", "peasant", "1901", "", ""],
]


def write(folder: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    path = folder / "applications.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header or HEADER + ATTRIBUTES)
        writer.writerows(rows)
    return path


def load(session: Session, path: Path) -> importer.ApplicationsResult:
    return importer.import_applications(session, campaign_code="LE", path=path, actor=SYSTEM)


def refused(session: Session, path: Path) -> list[tuple[int | None, str, str]]:
    before = snapshot(session)
    with pytest.raises(Invalid) as caught:
        load(session, path)
    assert snapshot(session) == before
    return [(p.row, p.field, p.reason) for p in caught.value.problems]


def stored(session: Session) -> dict[str, dict[str, Any]]:
    found = session.scalars(select(Application).order_by(Application.ref))
    return {
        a.ref: {
            "name": a.name,
            "attributes": a.attributes,
            "priority": a.priority,
            "birth_year": a.birth_year,
            "registry_id": a.registry_id,
            "groups": sorted(
                session.scalars(
                    select(CampaignGroup.name)
                    .join(GroupMatch, GroupMatch.group_id == CampaignGroup.id)
                    .where(GroupMatch.application_id == a.id)
                )
            ),
        }
        for a in found
    }


def test_a_file_of_applications_is_stored_whole(session: Session, tmp_path: Path) -> None:
    campaign(session)
    result = load(session, write(tmp_path, GOOD))
    assert (result.rows, result.created, result.recommendations) == (3, 3, 4)
    a1 = stored(session)["A1"]
    assert a1["attributes"] == {
        "occupation": "worker",
        "social_situation": "worker",
        "birth_year": 1900,
        "komsomol": True,
        "industry": "metal",
    }
    assert a1["priority"]


def test_bulk_and_one_by_one_store_the_same_applications(session: Session, tmp_path: Path) -> None:
    campaign(session)
    load(session, write(tmp_path, GOOD))
    bulk = stored(session)
    session.rollback()
    campaign(session)
    for ref, name, body, _, registry, _, _, *values in GOOD:
        attributes = {k: v for k, v in zip(ATTRIBUTES, values, strict=True) if v}
        service.apply(
            session,
            campaign_code="LE",
            body_code=body,
            received_on=MARCH,
            applicant=Applicant(name, attributes, registry or None, ref),
            actor=SYSTEM,
        )
    assert stored(session) == bulk


def test_parquet_files_are_read_the_same_way(session: Session, tmp_path: Path) -> None:
    campaign(session)
    table = pa.table({h: [r[i] or None for r in GOOD] for i, h in enumerate(HEADER + ATTRIBUTES)})
    pq.write_table(table, tmp_path / "applications.parquet")
    assert load(session, tmp_path / "applications.parquet").created == 3


def test_reimporting_a_file_changes_nothing(session: Session, tmp_path: Path) -> None:
    campaign(session)
    path = write(tmp_path, GOOD)
    load(session, path)
    before = snapshot(session)
    again = load(session, path)
    assert (again.created, again.unchanged) == (0, 3)
    assert {k: v for k, v in snapshot(session).items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }


def test_an_ineligible_row_is_refused_naming_the_row_and_the_condition(
    session: Session, tmp_path: Path
) -> None:
    campaign(session)
    clerk = [
        "A4",
        "Gleb",
        "N1",
        "1924-03-01",
        "",
        "",
        "R1;R2",
        "employee",
        "employee",
        "1900",
        "",
        "",
    ]
    assert refused(session, write(tmp_path, [*GOOD, clerk])) == [
        (
            4,
            "occupation, social_situation",
            "not eligible: occupation is 'employee', not 'worker' "
            "and social_situation is 'employee', not 'peasant'",
        )
    ]


def test_rows_outside_the_period_or_scope_are_refused(session: Session, tmp_path: Path) -> None:
    campaign(session, body_code="NORTH")
    late = ["A1", "Anna", "N1", "1924-06-01", "", "", "", "worker", "worker", "1900", "", ""]
    away = ["A2", "Boris", "S1", "1924-03-01", "", "", "", "worker", "worker", "1900", "", ""]
    lost = ["A3", "Vera", "N9", "1924-03-01", "", "", "", "worker", "worker", "1900", "", ""]
    found = refused(session, write(tmp_path, [late]))
    assert found == [
        (1, "received", "1924-06-01 is outside the campaign period 1924-02-15 to 1924-05-15")
    ]
    assert refused(session, write(tmp_path, [away, lost])) == [
        (1, "body", "'S1' is not in the subtree of 'NORTH', which proclaimed the campaign"),
        (2, "body", "no body has the code 'N9'"),
    ]


def test_duplicates_in_the_file_and_in_the_store_are_found(
    session: Session, tmp_path: Path
) -> None:
    campaign(session)
    apply(session, "B1", name="Anna", registry_id="X9")
    rows = [
        GOOD[0],
        ["A1", "Other", "N1", "1924-03-01", "", "", "", "worker", "worker", "1900", "", ""],
        ["A5", "Anna", "N1", "1924-03-02", "", "", "", "worker", "worker", "1900", "", ""],
        GOOD[2],
    ]
    found = refused(session, write(tmp_path, rows))
    assert (2, "ref", "'A1' also appears on row 1") in found
    assert (3, "name", "'Anna', born 1900, also applies to 'N1' on row 1") in found
    assert (4, "registry_id", "'X9' already applied in this campaign (application 'B1')") in found


def test_recommenders_must_be_in_good_standing(session: Session, tmp_path: Path) -> None:
    campaign(session)
    rows = [
        ["A1", "Anna", "N1", "1924-03-01", "", "", "C1; R1", "worker", "worker", "1900", "", ""],
        ["A2", "Boris", "N1", "1924-03-01", "", "", "NOBODY", "worker", "worker", "1900", "", ""],
    ]
    found = refused(session, write(tmp_path, rows))
    assert found == [(2, "recommenders", "'NOBODY' is not in the registry")]
    found = refused(session, write(tmp_path, rows[:1]))
    assert found == [(1, "recommenders", "'C1' is not a full member on 1924-03-01")]


def test_bulk_standing_is_the_standing_of_one_recommendation(
    session: Session, tmp_path: Path
) -> None:
    campaign(session)
    load(session, write(tmp_path, GOOD[:1]))
    months = session.scalars(select(Recommendation.standing_months)).all()
    assert months == [50, 50]


def test_a_bad_header_is_refused_by_column(session: Session, tmp_path: Path) -> None:
    campaign(session)
    found = refused(session, write(tmp_path, [], ["ref", "name", "body", "shoe_size"]))
    assert [f for _, f, _ in found] == ["received", "shoe_size"]
