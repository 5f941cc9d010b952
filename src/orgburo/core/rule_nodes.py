"""The parsed form of a rule: a tree of frozen nodes, and its canonical text.

`orgburo.core.rules` builds these trees from rule text and evaluates them; other
modules may walk them to translate a rule into column or SQL expressions.
"""

from __future__ import annotations

from dataclasses import dataclass

Literal = str | int | bool
Value = str | int | bool | None


@dataclass(frozen=True)
class Compare:
    """`name op value`: an attribute compared with a literal, or tested against a list."""

    name: str
    op: str
    value: Literal | tuple[Literal, ...]


@dataclass(frozen=True)
class Flag:
    """A yes/no attribute standing alone: `komsomol`."""

    name: str


@dataclass(frozen=True)
class Constant:
    """True (everyone passes) or False (nobody does)."""

    value: bool


@dataclass(frozen=True)
class Not:
    """The opposite of `part`."""

    part: Node


@dataclass(frozen=True)
class And:
    """Every part holds."""

    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    """At least one part holds."""

    parts: tuple[Node, ...]


Node = Compare | Flag | Constant | Not | And | Or


def names_in(node: Node) -> set[str]:
    """Every attribute name the rule reads."""
    if isinstance(node, Compare | Flag):
        return {node.name}
    if isinstance(node, Not):
        return names_in(node.part)
    if isinstance(node, And | Or):
        return set().union(*(names_in(p) for p in node.parts))
    return set()


def render(node: Node) -> str:
    """The rule as canonical text; it compiles back to the same tree."""
    if isinstance(node, Compare):
        value = (
            "[" + ", ".join(_python(v) for v in node.value) + "]"
            if isinstance(node.value, tuple)
            else _python(node.value)
        )
        return f"{node.name} {node.op} {value}"
    if isinstance(node, Flag):
        return node.name
    if isinstance(node, Constant):
        return repr(node.value)
    if isinstance(node, Not):
        return f"not {_wrapped(node.part)}"
    joiner = " and " if isinstance(node, And) else " or "
    return joiner.join(_wrapped(p) for p in node.parts)


def _wrapped(node: Node) -> str:
    return f"({render(node)})" if isinstance(node, And | Or) else render(node)


def _python(value: Literal) -> str:
    return repr(value)
