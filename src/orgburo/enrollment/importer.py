"""Importing a campaign's applications in bulk from CSV or Parquet: all of it, or nothing.

Rows stream through in batches. Each batch is checked column by column (Arrow compute):
required cells, dates inside the campaign period, attribute values, and eligibility,
evaluated over whole columns; only rows that fail are evaluated one by one to say which
condition failed. Group rules are evaluated the same way. The checked rows go to a
staging table where the checks that need the store run in SQL (`application_staging`).
Re-importing a file skips the applications already stored with the same data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import reduce
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import Actor
from orgburo.core.attributes import Attribute
from orgburo.core.rules import Rule
from orgburo.errors import Invalid, Problem
from orgburo.members import checks
from orgburo.members.attributes import catalog
from orgburo.tabular import Progress, TableReader

from . import application_writes, campaigns, columns
from .application_staging import ApplicationStaging
from .models import Campaign
from .rule_columns import evaluate

REQUIRED = ("ref", "name", "body", "received")
OPTIONAL = ("registry_id", "joint", "recommenders")


@dataclass(frozen=True)
class ApplicationsResult:
    """What an applications import did."""

    rows: int
    created: int
    unchanged: int
    recommendations: int


def import_applications(
    session: Session,
    *,
    campaign_code: str,
    path: Path,
    actor: Actor,
    progress: Progress | None = None,
    batch_rows: int = 100_000,
) -> ApplicationsResult:
    """Import a campaign's applications file (columns in docs/file-formats.md)."""
    campaign = campaigns.to_change(session, code=campaign_code, actor=actor)
    reader = TableReader(path, batch_rows)
    known = catalog(session)
    with unreadable_as_invalid():
        header = reader.columns()
        columns.check_header(header, REQUIRED, [*OPTIONAL, *known])
        plan = [known[c] for c in header if c in known]
        batches = reader.batches(progress)
        result = load(session, campaign, batches, plan, extra_problems=reader.bad_rows)
    audit.record(
        session,
        actor=actor,
        action="enrollment.applications_imported",
        target=("campaign", campaign.code),
        after={"file": path.name, "sha256": digest(path), **vars(result)},
        body_id=campaign.body_id,
    )
    return result


@contextmanager
def unreadable_as_invalid() -> Iterator[None]:
    """A file Arrow cannot read (bad encoding, not really Parquet) is the user's error."""
    try:
        yield
    except (pa.ArrowException, UnicodeDecodeError, OSError) as error:
        raise Invalid.one("file", f"cannot be read: {error}") from None


def digest(path: Path) -> str:
    """SHA-256 of a file, as the audit trail records imports."""
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def load(
    session: Session,
    campaign: Campaign,
    batches: Iterable[pa.RecordBatch],
    plan: list[Attribute],
    *,
    extra_problems: Sequence[Problem] = (),
) -> ApplicationsResult:
    """Check, stage and write application rows; raise Invalid listing every problem."""
    rules = campaigns.rules(session, campaign)
    known = campaigns.rule_catalog(session)
    staging = ApplicationStaging.create(session, campaign, plan, [g for g, _ in rules.groups])
    problems: list[Problem] = []
    rows = hidden = 0
    for batch in batches:
        check = checks.BatchCheck(batch, rows + 1, problems)
        typed = _checked(check, campaign, plan)
        values = _rule_values(typed, plan)
        _check_eligible(check, rules.eligibility, values, known)
        matched = [_passes(rule, values, known, batch.num_rows) for _, rule in rules.groups]
        staging.add(_staged(typed, plan, matched, rules), check.bad)
        hidden += check.hidden
        rows += batch.num_rows
    problems += extra_problems
    with columns.hash_joins(session):
        if not problems:
            problems += staging.problems(checks.MAX_PROBLEMS)
        if problems:
            problems.sort(key=lambda p: (p.row is None, p.row or 0))
            more = [Problem("(file)", f"{hidden} more problems not listed")] if hidden else []
            raise Invalid(problems + more)
        created, recommended = application_writes.register(staging)
    return ApplicationsResult(rows, created, rows - created, recommended)


def _checked(
    check: checks.BatchCheck, campaign: Campaign, plan: list[Attribute]
) -> dict[str, pa.Array]:
    today = date.today()
    received = columns.dates(check, "received", today)
    columns.within(check, "received", received, campaign.opens_on, campaign.closes_on)
    first = check.first_row
    typed: dict[str, pa.Array] = {
        "row": pa.array(range(first, first + check.batch.num_rows), pa.int64()),
        "ref": checks.required_text(check, "ref"),
        "name": checks.required_text(check, "name"),
        "body_code": checks.required_text(check, "body"),
        "received": received,
        "registry_id": columns.optional(check, "registry_id", 100),
        "joint_ref": columns.optional(check, "joint", 64),
        "recommenders": columns.optional(check, "recommenders", 2000),
    }
    attributes = {a.name: checks.attribute(check, a, today) for a in plan}
    if "birth_year" in attributes:
        checks.born_before_joining(check, received, attributes["birth_year"])
    typed.update({f"attr_{n}": v for n, v in attributes.items()})
    return typed


def _rule_values(typed: Mapping[str, pa.Array], plan: list[Attribute]) -> dict[str, pa.Array]:
    values = {a.name: typed[f"attr_{a.name}"] for a in plan}
    if "birth_year" in values:
        values["age"] = pc.subtract(pc.year(typed["received"]), values["birth_year"])
    return values


def _passes(
    rule: Rule, values: Mapping[str, pa.Array], known: Mapping[str, Attribute], rows: int
) -> np.ndarray:
    verdicts = evaluate(rule.node, values, known, rows)
    return np.asarray(pc.fill_null(verdicts, False).to_numpy(zero_copy_only=False), dtype=bool)


def _check_eligible(
    check: checks.BatchCheck,
    rule: Rule,
    values: Mapping[str, pa.Array],
    known: Mapping[str, Attribute],
) -> None:
    """Mark every ineligible row, and say for each which condition failed."""
    failing = np.flatnonzero(~_passes(rule, values, known, check.batch.num_rows))
    check.bad[failing] = True
    room = max(checks.MAX_PROBLEMS - len(check.problems), 0)
    names = sorted(rule.names & values.keys())
    shown = failing[:room]
    picked = {n: values[n].take(pa.array(shown, pa.int64())).to_pylist() for n in names}
    for position, i in enumerate(shown):
        verdict = rule.evaluate({n: picked[n][position] for n in names})
        check.problems += [
            Problem(field, f"not eligible: {reason}", check.first_row + int(i))
            for field, reason in zip(verdict.fields, verdict.reasons, strict=True)
        ]
    check.hidden += len(failing) - len(shown)


def _staged(
    typed: dict[str, pa.Array],
    plan: list[Attribute],
    matched: list[np.ndarray],
    rules: campaigns.Rules,
) -> dict[str, pa.Array]:
    priority = [m for m, (g, _) in zip(matched, rules.groups, strict=True) if g.priority]
    rows = len(typed["row"])
    staged = dict(typed)
    staged["birth_year"] = typed.get("attr_birth_year", pa.nulls(rows, pa.int64()))
    staged["priority"] = pa.array(reduce(np.logical_or, priority, np.zeros(rows, dtype=bool)))
    staged["existing"] = pa.array(np.zeros(rows, dtype=bool))
    staged.update({f"g_{i}": pa.array(m) for i, m in enumerate(matched)})
    return staged
