"""Rules: conditions on a person's attributes, written as data and explained in words.

A rule is a short expression in Python's syntax, for example

    occupation == "worker" and industry in ["metal", "textile"] and age >= 18
    komsomol or red_army
    not responsible_position

It is parsed with Python's `ast` module, but only a whitelist is accepted: `and`, `or`,
`not`, comparisons (`== != < <= > >= in`, `not in`, chained as in `18 <= age < 30`),
literals (text, whole numbers, True, False, and lists of them after `in`) and attribute
names. Nothing is ever executed. `compile_rule` checks every name against an attribute
catalog and every literal against the attribute's type when the rule is written, so a
rule that was accepted cannot fail later on a misspelt name or a wrong type.

`Rule.evaluate` answers pass or fail and says why in words ("occupation is 'employee',
not 'worker'"). An unknown value (None) makes its comparison unknown, and unknowns
combine by Kleene's three-valued logic: `False and unknown` is False, `True or unknown`
is True, otherwise unknown. A rule that is unknown does not pass; its verdict says
which value was missing. With every value known, the result is exactly Python's.

The parsed tree (`And`, `Or`, `Not`, `Compare`, `Flag`, `Constant`, from `rule_nodes`) is
public, frozen and plain, so other modules can translate a rule into a column or SQL
expression. Parsing and checking live in `rule_syntax`; this module is the API.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from orgburo.core.attributes import Attribute
from orgburo.core.rule_nodes import (
    And,
    Compare,
    Constant,
    Flag,
    Literal,
    Node,
    Not,
    Or,
    Value,
    names_in,
    render,
)
from orgburo.core.rule_syntax import MAX_LENGTH, Checker, parse
from orgburo.errors import Invalid

__all__ = [
    "And",
    "Compare",
    "Constant",
    "Flag",
    "Literal",
    "Node",
    "Not",
    "Or",
    "Rule",
    "Value",
    "Verdict",
    "compile_rule",
    "names_in",
    "render",
]

Truth = bool | None
TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "in": lambda v, c: v in c,
    "not in": lambda v, c: v not in c,
}


@dataclass(frozen=True)
class Verdict:
    """The outcome for one person and the conditions that decided it, in words."""

    passed: bool
    known: bool
    reasons: tuple[str, ...]
    fields: tuple[str, ...]
    """For each reason, the attributes it concerns ("komsomol, red_army")."""

    @property
    def reason(self) -> str:
        """The deciding conditions as one sentence."""
        return "; ".join(self.reasons)


@dataclass(frozen=True)
class Rule:
    """A checked rule: its text as written, its parsed tree, and the names it reads."""

    text: str
    node: Node
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Value]) -> Verdict:
        """Pass or fail for these attribute values (a missing name counts as unknown)."""
        truth, reasons = _evaluate(self.node, values)
        fields = tuple(f for f, _ in reasons)
        return Verdict(truth is True, truth is not None, tuple(t for _, t in reasons), fields)

    def __str__(self) -> str:
        return render(self.node)


def compile_rule(text: str, catalog: Mapping[str, Attribute], *, field: str = "rule") -> Rule:
    """Parse and check `text`; an empty rule lets everyone pass. Invalid names `field`."""
    source = text.strip()
    if not source:
        return Rule(text, Constant(True), frozenset())
    if len(source) > MAX_LENGTH:
        raise Invalid.one(field, f"is longer than {MAX_LENGTH} characters")
    tree = parse(source, field)
    node = Checker(catalog, field).condition(tree.body)
    return Rule(text, node, frozenset(names_in(node)))


# Evaluation --------------------------------------------------------------------------

Reasons = tuple[tuple[str, str], ...]
"""(attributes concerned, why) pairs."""


def _evaluate(node: Node, values: Mapping[str, Value]) -> tuple[Truth, Reasons]:
    """Kleene truth of `node` and the conditions that decided it."""
    if isinstance(node, Compare):
        return _compare(node, values.get(node.name))
    if isinstance(node, Flag):
        return _flag(node.name, values.get(node.name))
    if isinstance(node, Constant):
        return node.value, (("rule", "always true" if node.value else "always false"),)
    if isinstance(node, Not):
        truth, reasons = _evaluate(node.part, values)
        return (None if truth is None else not truth), reasons
    outcomes = [_evaluate(p, values) for p in node.parts]
    return _and(outcomes) if isinstance(node, And) else _or(outcomes)


def _and(outcomes: list[tuple[Truth, Reasons]]) -> tuple[Truth, Reasons]:
    for wanted in (False, None):
        deciding = [r for t, r in outcomes if t is wanted]
        if deciding:
            return wanted, tuple(reason for reasons in deciding for reason in reasons)
    return True, tuple(reason for _, reasons in outcomes for reason in reasons)


def _or(outcomes: list[tuple[Truth, Reasons]]) -> tuple[Truth, Reasons]:
    for truth, reasons in outcomes:
        if truth is True:
            return True, reasons
    truth = None if any(t is None for t, _ in outcomes) else False
    fields = dict.fromkeys(f for _, reasons in outcomes for f, _ in reasons)
    text = " and ".join(_grouped(r) for _, r in outcomes)
    return truth, ((", ".join(fields), text),)


def _grouped(reasons: Reasons) -> str:
    texts = [text for _, text in reasons]
    return texts[0] if len(texts) == 1 else f"({'; '.join(texts)})"


def _flag(name: str, value: Value) -> tuple[Truth, Reasons]:
    if value is None:
        return None, ((name, f"{name} is unknown"),)
    return bool(value), ((name, f"{name} is {_word(value)}"),)


def _compare(node: Compare, value: Value) -> tuple[Truth, Reasons]:
    if value is None:
        return None, ((node.name, f"{node.name} is unknown"),)
    held = TESTS[node.op](value, node.value)
    return held, ((node.name, _explain(node, value, held)),)


def _explain(node: Compare, value: Value, held: bool) -> str:
    """Why `node` held or did not, e.g. "occupation is 'employee', not 'worker'"."""
    seen = f"{node.name} is {_word(value)}"
    if node.op in ("==", "!=") and held == (node.op == "=="):
        return seen
    if node.op in ("==", "!="):
        return f"{seen}, not {_word(node.value)}"
    if node.op in ("in", "not in"):
        listed = ", ".join(_word(v) for v in node.value)  # type: ignore[union-attr]
        inside = held == (node.op == "in")
        return f"{seen}, {'one' if inside else 'not one'} of {listed}"
    bound = _BOUNDS[node.op]
    return f"{seen}, {'' if held else 'not '}{bound} {_word(node.value)}"


_BOUNDS = {"<": "under", "<=": "at most", ">": "over", ">=": "at least"}


def _word(value: Value | tuple[Literal, ...]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)
