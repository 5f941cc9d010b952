"""A rule evaluated over whole columns at once (Arrow compute), for bulk imports.

The same Kleene logic as `Rule.evaluate`: a comparison with an unknown (null) value is
null, `and`/`or` use Arrow's Kleene kernels, and `not` keeps null. The result is a
boolean array where true means "passes", false "fails" and null "unknown"; only rows
that do not pass need `Rule.evaluate` to say why. A property test checks both agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce

import pyarrow as pa
import pyarrow.compute as pc

from orgburo.core.attributes import BOOLEAN, INTEGER, Attribute
from orgburo.core.rules import And, Compare, Constant, Flag, Node, Not, Or

COMPARE = {
    "==": pc.equal,
    "!=": pc.not_equal,
    "<": pc.less,
    "<=": pc.less_equal,
    ">": pc.greater,
    ">=": pc.greater_equal,
}


def arrow_type(attribute: Attribute) -> pa.DataType:
    """How a typed column of this attribute is held in Arrow."""
    return {BOOLEAN: pa.bool_(), INTEGER: pa.int64()}.get(attribute.type, pa.string())


def evaluate(
    node: Node, columns: Mapping[str, pa.Array], catalog: Mapping[str, Attribute], rows: int
) -> pa.Array:
    """Pass (true), fail (false) or unknown (null) for every row."""
    if isinstance(node, Constant):
        return pa.array([node.value] * rows, pa.bool_())
    if isinstance(node, Not):
        return pc.invert(evaluate(node.part, columns, catalog, rows))
    if isinstance(node, And | Or):
        kernel = pc.and_kleene if isinstance(node, And) else pc.or_kleene
        return reduce(kernel, (evaluate(p, columns, catalog, rows) for p in node.parts))
    column = _column(node.name, columns, catalog, rows)
    if isinstance(node, Flag):
        return column
    return _compare(node, column)


def _column(
    name: str, columns: Mapping[str, pa.Array], catalog: Mapping[str, Attribute], rows: int
) -> pa.Array:
    wanted = arrow_type(catalog[name])
    found = columns.get(name)
    return pa.nulls(rows, wanted) if found is None else found.cast(wanted)


def _compare(node: Compare, column: pa.Array) -> pa.Array:
    if node.op in ("in", "not in"):
        values = node.value if isinstance(node.value, tuple) else (node.value,)
        inside = pc.is_in(column, value_set=pa.array(list(values), column.type))
        known = pc.if_else(pc.is_null(column), pa.scalar(None, pa.bool_()), inside)
        return known if node.op == "in" else pc.invert(known)
    return COMPARE[node.op](column, pa.scalar(node.value, column.type))
