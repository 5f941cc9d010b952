"""Writing a checked applications file: joint applications, applications with their
attributes as JSON, their groups and recommendations, each by one INSERT ... SELECT from
the staging table, with ids assigned while staging. A load that at least doubles the
tables rebuilds their indexes and foreign keys after instead of checking row by row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, exists, func, insert, literal, select

from orgburo.bodies.models import Body
from orgburo.bulk import rebuilt_if_large

from . import bulk_recommendations
from .application_staging import APPLICATIONS, ApplicationStaging
from .columns import advance_sequence, json_of, reserve_ids
from .models import PENDING, Application, GroupMatch, JointApplication, Recommendation


def register(staging: ApplicationStaging) -> tuple[int, int]:
    """Write the new applications, their groups and recommendations: (created, recommended)."""
    s = staging.table.c
    fresh = ~s.existing
    base = reserve_ids(staging.session, APPLICATIONS)
    _add_joints(staging)
    columns = {
        "id": literal(base) + s.row,
        "campaign_id": literal(staging.campaign.id),
        "ref": s.ref,
        "joint_id": JointApplication.id,
        "body_id": Body.id,
        "received_on": s.received,
        "registry_id": s.registry_id,
        "name": s.name,
        "birth_year": s.birth_year,
        "attributes": json_of(staging.session, staging.table, staging.attributes),
        "priority": s.priority,
        "status": literal(PENDING),
    }
    joint = and_(
        JointApplication.campaign_id == staging.campaign.id, JointApplication.ref == s.joint_ref
    )
    rows = (
        select(*columns.values())
        .join(Body, Body.code == s.body_code)
        .outerjoin(JointApplication, joint)
        .where(fresh)
    )
    created = staging.session.scalar(select(func.count()).where(fresh)) or 0
    existing = staging.session.scalar(select(func.count()).select_from(Application)) or 0
    loaded = _tables(Application, GroupMatch, Recommendation)
    with rebuilt_if_large(staging.session, loaded, created, existing):
        staging.session.execute(insert(Application).from_select(list(columns), rows))
        for i, group in enumerate(staging.groups):
            matched = select(literal(base) + s.row, literal(group.id)).where(fresh, s[f"g_{i}"])
            staging.session.execute(
                insert(GroupMatch).from_select(["application_id", "group_id"], matched)
            )
        recommended = bulk_recommendations.register(staging.session, staging, base)
    advance_sequence(staging.session, APPLICATIONS)
    return created, recommended


def _add_joints(staging: ApplicationStaging) -> None:
    s = staging.table.c
    known = exists().where(
        JointApplication.campaign_id == staging.campaign.id, JointApplication.ref == s.joint_ref
    )
    rows = (
        select(literal(staging.campaign.id), s.joint_ref, func.min(Body.id), func.min(s.received))
        .join(Body, Body.code == s.body_code)
        .where(s.joint_ref.is_not(None), ~s.existing, ~known)
        .group_by(s.joint_ref)
    )
    staging.session.execute(
        insert(JointApplication).from_select(["campaign_id", "ref", "body_id", "received_on"], rows)
    )


def _tables(*models: Any) -> list[Table]:
    return [m.__table__ for m in models]
