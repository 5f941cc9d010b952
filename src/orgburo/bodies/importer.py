"""Loading many bodies at once from a file or from generated rows.

Rows may come in any order: parents are placed before their children. The whole file
is checked before anything is written, and every problem is reported with its row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies.models import Body, BodyEvent, BodyLink
from orgburo.bulk import insert_rows
from orgburo.census import tallies
from orgburo.core.dates import check_not_future, parse_date
from orgburo.core.tree import check_code, check_kind
from orgburo.errors import Invalid, Problem
from orgburo.tabular import ImportResult, Progress, TableReader

REQUIRED = ("code", "name", "parent", "kind", "level", "zone")
OPTIONAL = ("opened",)
UNKNOWN_OPENING = date(1900, 1, 1)
LINKS: Table = BodyLink.__table__  # type: ignore[assignment]
EVENTS: Table = BodyEvent.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class BodyRow:
    """One checked row: a body to create."""

    row: int
    code: str
    name: str
    parent: str | None
    kind: str
    level: str | None
    zone: str | None
    opened_on: date


def import_file(
    session: Session, path: Path, *, actor: Actor, progress: Progress | None = None
) -> ImportResult:
    """Import a bodies CSV or Parquet file: all of it, or nothing."""
    access.require_admin(actor, "import bodies")
    reader = TableReader(path)
    _check_header(reader.columns())
    raw = [r for batch in reader.batches(progress) for r in batch.to_pylist()]
    if reader.bad_rows:
        raise Invalid(reader.bad_rows)
    result = load(session, raw, actor=actor)
    audit.record(
        session,
        actor=actor,
        action="bodies.imported",
        target=("file", path.name),
        after={"rows": result.rows, "created": result.created, "unchanged": result.unchanged},
    )
    return result


def _check_header(columns: Sequence[str]) -> None:
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in REQUIRED + OPTIONAL]
    problems = [Problem(c, "required column is missing") for c in missing]
    problems += [Problem(c, "is not a bodies column") for c in unknown]
    if problems:
        raise Invalid(problems)


def load(session: Session, raw: Sequence[dict[str, Any]], *, actor: Actor) -> ImportResult:
    """Check and create bodies from row dictionaries (the importers' and generator's path)."""
    access.require_admin(actor, "import bodies")
    rows = _parse_rows(raw)
    existing = _existing(session, [r.code for r in rows])
    fresh = [r for r in rows if r.code not in existing]
    problems = [p for r in rows if r.code in existing for p in _differences(r, existing[r.code])]
    ordered = _parents_first(fresh, existing, problems)
    if problems:
        raise Invalid(problems)
    _create(session, ordered, existing)
    return ImportResult(rows=len(rows), created=len(ordered), unchanged=len(rows) - len(ordered))


def _parse_rows(raw: Sequence[dict[str, Any]]) -> list[BodyRow]:
    rows: list[BodyRow] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    today = date.today()
    for number, values in enumerate(raw, start=1):
        try:
            row = _parse_row(number, values, today)
        except Invalid as error:
            problems += [Problem(p.field, p.reason, number) for p in error.problems]
            continue
        if row.code in seen:
            problems.append(
                Problem("code", f"{row.code!r} already appears on row {seen[row.code]}", number)
            )
        seen[row.code] = number
        rows.append(row)
    if problems:
        raise Invalid(problems)
    return rows


def _text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    return str(value).strip() or None if value is not None else None


def _parse_row(number: int, values: dict[str, Any], today: date) -> BodyRow:
    code = check_code(_text(values, "code") or "")
    name = _text(values, "name")
    if not name:
        raise Invalid.one("name", "must not be empty")
    parent = _text(values, "parent")
    if parent is not None:
        check_code(parent, "parent")
    opened_text = _text(values, "opened")
    opened = parse_date("opened", opened_text) if opened_text else UNKNOWN_OPENING
    check_not_future("opened", opened, today)
    return BodyRow(
        number,
        code,
        name,
        parent,
        check_kind(_text(values, "kind") or ""),
        _text(values, "level"),
        _text(values, "zone"),
        opened,
    )


def _existing(session: Session, codes: Sequence[str]) -> dict[str, Body]:
    found: dict[str, Body] = {}
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        found.update({b.code: b for b in session.scalars(select(Body).where(Body.code.in_(chunk)))})
    return found


def _differences(row: BodyRow, body: Body) -> Iterable[Problem]:
    for name, wanted, stored in (
        ("name", row.name, body.name),
        ("kind", row.kind, body.kind),
        ("level", row.level, body.level),
        ("zone", row.zone, body.zone),
    ):
        if wanted != stored:
            yield Problem(
                name,
                f"{row.code!r} exists with {name} {stored!r}; change it with "
                "`orgburo bodies change`, not by import",
                row.row,
            )


def _parents_first(
    rows: list[BodyRow], existing: dict[str, Body], problems: list[Problem]
) -> list[BodyRow]:
    """Rows ordered so each parent comes before its children (a breadth-first walk)."""
    by_parent: dict[str | None, list[BodyRow]] = {}
    for row in rows:
        by_parent.setdefault(row.parent, []).append(row)
    known = {r.code for r in rows} | set(existing)
    for row in rows:
        if row.parent is not None and row.parent not in known:
            problems.append(Problem("parent", f"no body has the code {row.parent!r}", row.row))
    ordered = list(by_parent.get(None, [])) + [r for p in existing for r in by_parent.get(p, [])]
    for row in ordered:
        ordered.extend(by_parent.get(row.code, []))
    placed = {r.code for r in ordered}
    problems += [
        Problem("parent", f"{r.parent!r} is part of a cycle of parents", r.row)
        for r in rows
        if r.code not in placed and r.parent in known
    ]
    return ordered


def _create(session: Session, ordered: list[BodyRow], existing: dict[str, Body]) -> None:
    if not ordered:
        return
    parents_with_children = {r.parent for r in ordered if r.parent}
    ids = _insert_bodies(session, ordered, parents_with_children)
    ancestry = _existing_ancestry(
        session, [existing[p] for p in parents_with_children if p in existing]
    )
    links = []
    for row in ordered:
        chain = ancestry[row.parent] if row.parent else []
        ancestry[row.code] = [*chain, ids[row.code]]
        links += [(a, ids[row.code], len(chain) - i, row.opened_on) for i, a in enumerate(chain)]
        links.append((ids[row.code], ids[row.code], 0, row.opened_on))
    insert_rows(session, LINKS, ("ancestor_id", "descendant_id", "depth", "valid_from"), links)
    insert_rows(
        session,
        EVENTS,
        ("body_id", "kind", "on"),
        [(ids[r.code], "opened", r.opened_on) for r in ordered],
    )
    for code in parents_with_children & set(existing):
        if not existing[code].has_children:
            tallies.start_tallying(session, existing[code])


def _insert_bodies(session: Session, ordered: list[BodyRow], parents: set[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for generation in _generations(ordered):
        for start in range(0, len(generation), 10_000):
            chunk = generation[start : start + 10_000]
            ids.update(_ids_of(session, {r.parent for r in chunk if r.parent} - set(ids)))
            values = [
                {
                    "code": r.code,
                    "name": r.name,
                    "kind": r.kind,
                    "level": r.level,
                    "zone": r.zone,
                    "opened_on": r.opened_on,
                    "has_children": r.code in parents,
                    "parent_id": ids[r.parent] if r.parent else None,
                }
                for r in chunk
            ]
            returned = session.execute(insert(Body).returning(Body.id, Body.code), values)
            ids.update({code: id_ for id_, code in returned})
    return ids


def _generations(ordered: list[BodyRow]) -> list[list[BodyRow]]:
    """Rows split so that no row's parent is inserted in the same statement."""
    depth: dict[str, int] = {}
    generations: list[list[BodyRow]] = []
    for row in ordered:
        depth[row.code] = depth[row.parent] + 1 if row.parent in depth else 0
        if depth[row.code] == len(generations):
            generations.append([])
        generations[depth[row.code]].append(row)
    return generations


def _ids_of(session: Session, codes: set[str]) -> dict[str, int]:
    if not codes:
        return {}
    return {
        c: i for i, c in session.execute(select(Body.id, Body.code).where(Body.code.in_(codes)))
    }


def _existing_ancestry(session: Session, parents: Sequence[Body]) -> dict[str | None, list[int]]:
    ancestry: dict[str | None, list[int]] = {}
    for parent in parents:
        query = (
            select(BodyLink.ancestor_id)
            .where(BodyLink.descendant_id == parent.id, BodyLink.valid_to.is_(None))
            .order_by(BodyLink.depth.desc())
        )
        ancestry[parent.code] = list(session.scalars(query))
    return ancestry
