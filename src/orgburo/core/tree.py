"""Rules about the tree of bodies that need no storage."""

from __future__ import annotations

import re
from collections.abc import Collection

from orgburo.errors import Invalid

# Kinds are the organizational roles the rules refer to; level names ("guberniia",
# "raion", "branch") are free data, because every organization names its tiers itself.
BODY_KINDS = (
    "congress",
    "conference",
    "committee",
    "bureau",
    "secretariat",
    "commission",
    "department",
    "primary_organization",
    "group",
)

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")


def check_code(code: str, field: str = "code") -> str:
    """A body code: 1-64 letters, digits, `_ . : -`, starting with a letter or digit."""
    if not _CODE.match(code):
        raise Invalid.one(field, f"{code!r} is not a valid code (letters, digits, _ . : -)")
    return code


def check_kind(kind: str) -> str:
    """One of BODY_KINDS."""
    if kind not in BODY_KINDS:
        raise Invalid.one("kind", f"{kind!r} is not a kind of body; use one of {BODY_KINDS}")
    return kind


def check_not_own_descendant(new_parent_id: int, subtree_ids: Collection[int]) -> None:
    """A body cannot move under itself or under one of its own sub-bodies."""
    if new_parent_id in subtree_ids:
        raise Invalid.one("parent", "the move would make the body its own ancestor (a cycle)")
