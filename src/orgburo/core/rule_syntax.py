"""Reading rule text: Python's own parser, then a whitelist of what a rule may contain.

Only comparisons, `and`/`or`/`not`, literals and attribute names get through; every name
is checked against the attribute catalog and every literal against the attribute's type.
Problems name the field the rule came from and the column where they occur.
"""

from __future__ import annotations

import ast
import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from orgburo.core.attributes import BOOLEAN, CHOICE, INTEGER, TEXT, Attribute
from orgburo.core.rule_nodes import And, Compare, Constant, Flag, Literal, Node, Not, Or
from orgburo.errors import Invalid

MAX_LENGTH = 2000

ORDERING = ("<", "<=", ">", ">=")
OPERATORS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
FLIPPED = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
ALLOWED = {
    BOOLEAN: ("==", "!="),
    INTEGER: ("==", "!=", *ORDERING, "in", "not in"),
    CHOICE: ("==", "!=", "in", "not in"),
    TEXT: ("==", "!=", "in", "not in"),
}
WORDS = {
    ast.Call: "a function call",
    ast.Attribute: "a dotted name",
    ast.BinOp: "arithmetic",
    ast.Subscript: "indexing",
    ast.IfExp: "an if-else expression",
    ast.Lambda: "a lambda",
    ast.NamedExpr: "an assignment",
    ast.Dict: "a dictionary",
    ast.List: "a list",
}


def parse(source: str, field: str) -> ast.Expression:
    try:
        return ast.parse(source, mode="eval")
    except SyntaxError as error:
        where = f"column {error.offset}: " if error.offset else ""
        raise Invalid.one(field, f"{where}{error.msg}") from None
    except (RecursionError, MemoryError):
        raise Invalid.one(field, "is nested too deeply") from None
    except ValueError as error:  # e.g. a NUL character
        raise Invalid.one(field, str(error)) from None


@dataclass(frozen=True)
class Checker:
    catalog: Mapping[str, Attribute]
    field: str

    def fail(self, node: ast.AST, reason: str) -> Invalid:
        return Invalid.one(self.field, f"column {getattr(node, 'col_offset', 0) + 1}: {reason}")

    def condition(self, node: ast.expr) -> Node:
        """A node that is true or false."""
        if isinstance(node, ast.BoolOp):
            parts = tuple(self.condition(v) for v in node.values)
            return And(parts) if isinstance(node.op, ast.And) else Or(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            return self.comparison(node)
        if isinstance(node, ast.Name):
            return Flag(self.attribute(node, BOOLEAN).name)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Constant(node.value)
        if isinstance(node, ast.Constant):
            raise self.fail(node, f"{node.value!r} is not a condition")
        raise self.fail(node, f"{_describe(node)} is not allowed; use comparisons, and, or, not")

    def attribute(self, node: ast.Name, alone: str | None = None) -> Attribute:
        """The catalog entry of a name; `alone` demands a yes/no attribute."""
        attribute = self.catalog.get(node.id)
        if attribute is None:
            near = difflib.get_close_matches(node.id, list(self.catalog), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise self.fail(node, f"{node.id!r} is not a known attribute{hint}")
        if alone is not None and attribute.type != alone:
            raise self.fail(
                node,
                f"{node.id!r} is a {attribute.type} attribute, not yes/no; "
                f"compare it with a value, e.g. {node.id} == ...",
            )
        return attribute

    def comparison(self, node: ast.Compare) -> Node:
        """`a op b [op c ...]`, each link an attribute against a literal."""
        operands = [node.left, *node.comparators]
        links = [
            self.link(left, op, right)
            for left, op, right in zip(operands, node.ops, operands[1:], strict=False)
        ]
        return links[0] if len(links) == 1 else And(tuple(links))

    def link(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Compare:
        """One comparison, with the attribute put on the left."""
        symbol = OPERATORS.get(type(op))
        if symbol is None:
            raise self.fail(left, "only == != < <= > >= in and not in compare values")
        if isinstance(left, ast.Name) and not isinstance(right, ast.Name):
            return self.typed(self.attribute(left), symbol, right)
        if isinstance(right, ast.Name) and not isinstance(left, ast.Name):
            if symbol in ("in", "not in"):
                raise self.fail(left, f"write the attribute first: {right.id} {symbol} [...]")
            return self.typed(self.attribute(right), FLIPPED[symbol], left)
        raise self.fail(left, "compare one attribute with a value")

    def typed(self, attribute: Attribute, symbol: str, node: ast.expr) -> Compare:
        """The comparison, after checking the operator and the literal fit the attribute."""
        if symbol not in ALLOWED[attribute.type]:
            allowed = " ".join(ALLOWED[attribute.type])
            raise self.fail(
                node, f"{attribute.name!r} is a {attribute.type} attribute: use {allowed}"
            )
        if symbol in ("in", "not in"):
            return Compare(attribute.name, symbol, self.members(attribute, node))
        return Compare(attribute.name, symbol, self.literal(attribute, node))

    def members(self, attribute: Attribute, node: ast.expr) -> tuple[Literal, ...]:
        """The literals of the list after `in`."""
        if not isinstance(node, ast.List | ast.Tuple | ast.Set):
            raise self.fail(node, f"after 'in' write a list, e.g. {attribute.name} in [...]")
        if not node.elts:
            raise self.fail(node, "the list after 'in' is empty")
        return tuple(self.literal(attribute, e) for e in node.elts)

    def literal(self, attribute: Attribute, node: ast.expr) -> Literal:
        """A literal of the attribute's type (and one of its choices)."""
        value = _literal(node)
        if value is None:
            raise self.fail(node, f"{_describe(node)} is not a value: write text, a number or True")
        expected = {BOOLEAN: bool, INTEGER: int, CHOICE: str, TEXT: str}[attribute.type]
        if type(value) is not expected:
            raise self.fail(node, f"{attribute.name!r} holds {_kind(expected)}, not {_show(value)}")
        if attribute.type == CHOICE and value not in attribute.choices:
            choices = ", ".join(attribute.choices)
            raise self.fail(node, f"{value!r} is not one of {choices} ({attribute.name})")
        return value


def _literal(node: ast.expr) -> Literal | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | int):
        return node.value  # bool is an int
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    ):
        return -node.operand.value
    return None


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return repr(node.value)
    for kind, words in WORDS.items():
        if isinstance(node, kind):
            return words
    return type(node).__name__


def _kind(expected: type) -> str:
    return {bool: "True or False", int: "whole numbers", str: "text"}[expected]


def _show(value: Literal) -> str:
    return f"{value!r} ({_kind(type(value))})"
