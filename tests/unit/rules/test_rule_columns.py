"""Rules over Arrow columns give the same Kleene verdict as rules over one row."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from orgburo.core.rules import compile_rule
from orgburo.enrollment.rule_columns import arrow_type, evaluate

from .strategies import CATALOG, RULES, applicants


@settings(deadline=None)  # the first Arrow call loads its kernels
@given(RULES, st.lists(applicants(unknown=True), min_size=1, max_size=8))
def test_columns_and_rows_reach_the_same_verdicts(text: str, rows: list[dict[str, Any]]) -> None:
    rule = compile_rule(text, CATALOG)
    columns = {
        name: pa.array([r[name] for r in rows], arrow_type(attribute))
        for name, attribute in CATALOG.items()
    }
    together = evaluate(rule.node, columns, CATALOG, len(rows)).to_pylist()
    one_by_one = [(v.passed if v.known else None) for v in (rule.evaluate(r) for r in rows)]
    assert together == one_by_one


def test_a_name_missing_from_the_file_is_unknown_for_every_row() -> None:
    rule = compile_rule("komsomol or age >= 18", CATALOG)
    result = evaluate(rule.node, {"age": pa.array([20, 10])}, CATALOG, 2)
    assert result.to_pylist() == [True, None]
