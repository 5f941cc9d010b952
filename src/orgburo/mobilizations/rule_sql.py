"""A rule translated into a SQL condition over `persons`, for set-based selection.

The translation is faithful to the rule's Kleene logic because SQL's is the same: a
comparison with NULL is NULL (unknown), AND/OR/NOT combine unknowns as `Rule.evaluate`
does, and a WHERE keeps only rows that are true, so a rule that is unknown does not
pass. Core attributes are columns of `persons`; declared ones are read from its JSON
column `extra` with the attribute's type; `age` is the decree's year less `birth_year`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, literal, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement as Element

from orgburo.core.assignment import conditions
from orgburo.core.attributes import BOOLEAN, CORE_ATTRIBUTES, INTEGER, Attribute
from orgburo.core.rules import And, Compare, Constant, Flag, Node, Not, Or, Rule
from orgburo.members.models import Person

COMPARE = {
    "==": lambda c, v: c == v,
    "!=": lambda c, v: c != v,
    "<": lambda c, v: c < v,
    "<=": lambda c, v: c <= v,
    ">": lambda c, v: c > v,
    ">=": lambda c, v: c >= v,
}


def column(name: str, catalog: Mapping[str, Attribute], year: int) -> Element[Any]:
    """The SQL value of attribute `name` for a person; NULL when unknown."""
    if name == "age":
        return literal(year) - Person.birth_year
    if name in CORE_ATTRIBUTES:
        found: Element[Any] = getattr(Person, name)
        return found
    kind = catalog[name].type
    value = Person.extra[name]
    typed: Element[Any]
    if kind == BOOLEAN:
        typed = value.as_boolean()
    elif kind == INTEGER:
        typed = value.as_integer()
    else:
        typed = value.as_string()
    return typed


def condition(node: Node, catalog: Mapping[str, Attribute], year: int) -> ColumnElement[bool]:
    """The rule's tree as a SQL boolean: true, false or NULL (unknown) for each person."""
    if isinstance(node, Constant):
        return true() if node.value else false()
    if isinstance(node, Not):
        return not_(condition(node.part, catalog, year))
    if isinstance(node, And):
        return and_(*(condition(p, catalog, year) for p in node.parts))
    if isinstance(node, Or):
        return or_(*(condition(p, catalog, year) for p in node.parts))
    value = column(node.name, catalog, year)
    if isinstance(node, Flag):
        return value == true()
    return _compare(node, value)


def _compare(node: Compare, value: Element[Any]) -> ColumnElement[bool]:
    if node.op in ("in", "not in"):
        listed = list(node.value) if isinstance(node.value, tuple) else [node.value]
        return value.in_(listed) if node.op == "in" else value.not_in(listed)
    result: ColumnElement[bool] = COMPARE[node.op](value, node.value)
    return result


def passes(rule: Rule, catalog: Mapping[str, Attribute], year: int) -> ColumnElement[bool]:
    """True only where the rule passes (false and unknown both give false): for use in
    sums and CASE expressions, where NULL would not mean "fails"."""
    return case((condition(rule.node, catalog, year), True), else_=False)


def fit_value(rule: Rule, catalog: Mapping[str, Attribute], year: int) -> ColumnElement[int]:
    """`orgburo.core.assignment.fit` in SQL: 0 if the rule fails, else 1 + conditions met."""
    met = [case((condition(c, catalog, year), 1), else_=0) for c in conditions(rule.node)]
    total: ColumnElement[int] = literal(1)
    for part in met:
        total = total + part
    return case((condition(rule.node, catalog, year), total), else_=0)
