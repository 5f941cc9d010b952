"""Reading integer columns as arrays: the same values on both stores, NULLs refused."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import case, func, literal, select
from sqlalchemy.orm import Session

from orgburo import bulk
from orgburo.bodies.models import Body
from tests.factories import small_tree


def test_integer_columns_come_back_as_arrays_by_label(session: Session) -> None:
    small_tree(session)
    query = select(
        Body.id.label("id"),
        func.length(Body.code).label("width"),
        (Body.id * -3 - 2_000_000_000).label("far"),
    ).order_by(Body.id)
    arrays = bulk.read_integers(session, query)
    rows = session.execute(query).all()
    assert list(arrays) == ["id", "width", "far"]
    for i, name in enumerate(arrays):
        assert arrays[name].dtype == np.int64
        assert arrays[name].tolist() == [row[i] for row in rows]


def test_no_rows_give_empty_arrays(session: Session) -> None:
    arrays = bulk.read_integers(session, select(Body.id.label("id")).where(Body.id < 0))
    assert arrays["id"].tolist() == []


def test_a_null_is_refused_naming_its_column(session: Session) -> None:
    small_tree(session)
    gap = case((Body.parent_id.is_(None), literal(None)), else_=Body.id).label("gap")
    with pytest.raises(ValueError, match="'gap' has NULLs"):
        bulk.read_integers(session, select(Body.id.label("id"), gap))


def test_a_tables_estimated_rows_are_the_planners_after_analyze(session: Session) -> None:
    small_tree(session)
    table = Body.__table__
    bulk.analyze(session, table)  # type: ignore[arg-type]
    estimate = bulk.estimated_rows(session, table)  # type: ignore[arg-type]
    if bulk.is_postgres(session):
        assert estimate == session.scalar(select(func.count()).select_from(Body))
    else:
        assert estimate is None  # SQLite keeps no such estimate
