"""Loading many members at once: CSV or Parquet files, and generated organizations.

The rows stream through in batches: each batch is checked column by column in Arrow,
its bodies are looked up (`directory`), its ids among the people already registered
(`registered`), and its new rows are copied straight into persons and memberships
(`registration`). The whole import runs in a savepoint of the caller's transaction: a
problem anywhere undoes every batch written, so an import lands whole or not at all.
Re-importing a file skips the people already registered with the same data.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import BigInteger, Column, MetaData, String, Table, func, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.bulk import LOAD_SETTINGS, analyze, insert_arrow, rebuilt_if_large, settings
from orgburo.census import batch_counts, tallies
from orgburo.core.attributes import CORE_ATTRIBUTES, Attribute
from orgburo.errors import Invalid, Problem
from orgburo.members import checks
from orgburo.members.attributes import catalog
from orgburo.members.directory import BodyDirectory
from orgburo.members.registration import Registration
from orgburo.tabular import ImportResult, Progress, TableReader, read_ahead

REQUIRED = (
    "id",
    "name",
    "body",
    "status",
    "joined",
    "social_situation",
    "occupation",
    "sex",
    "birth_year",
    "nationality",
)


def import_file(
    session: Session,
    path: Path,
    *,
    actor: Actor,
    progress: Progress | None = None,
    batch_rows: int = 100_000,
    within: str | None = None,
) -> ImportResult:
    """Import a members CSV or Parquet file: all of it, or nothing.

    With `within`, every row must name a body in that body's subtree (an officer's
    import); without it the import may touch any body, which only an administrator may.
    """
    scope = import_scope(session, within=within, actor=actor) if within else None
    if scope is None:
        access.require_admin(actor, "import members into any body")
    reader = TableReader(path, batch_rows)
    known = catalog(session)
    plan = column_plan(reader.columns(), known)
    with ThreadPoolExecutor(1) as pool:
        # hashlib lets go of the interpreter lock: the digest costs no time of the load's.
        digest = pool.submit(_digest, path)
        result = load(
            session,
            reader.batches(progress),
            plan,
            actor=actor,
            extra_problems=reader.bad_rows,
            within=scope,
            expected_rows=reader.estimated_rows(),
        )
    audit.record(
        session,
        actor=actor,
        action="members.imported",
        target=("file", path.name),
        body_id=scope.id if scope else None,
        after={
            "sha256": digest.result(),
            "rows": result.rows,
            "created": result.created,
            "unchanged": result.unchanged,
        },
    )
    return result


def import_scope(session: Session, *, within: str, actor: Actor) -> Body:
    """The body whose subtree an import may write to, if the actor may change it."""
    body = bodies.get_or_raise(session, within)
    access.require_change_body(session, actor, body)
    return body


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def column_plan(columns: Sequence[str], known: dict[str, Attribute]) -> list[Attribute]:
    """The attribute columns of a file, after checking its header."""
    problems = [Problem(c, "required column is missing") for c in REQUIRED if c not in columns]
    problems += [
        Problem(c, "is not a known attribute; declare it with `orgburo attributes add`")
        for c in columns
        if c not in REQUIRED and c not in known
    ]
    repeated = {c for c in columns if list(columns).count(c) > 1}
    problems += [Problem(c, "appears more than once in the header") for c in sorted(repeated)]
    if problems:
        raise Invalid(problems)
    return [known[c] for c in columns if c in known]


def load(
    session: Session,
    batches: Iterable[pa.RecordBatch],
    plan: list[Attribute],
    *,
    actor: Actor,
    extra_problems: Sequence[Problem] = (),
    within: Body | None = None,
    expected_rows: int = 0,
) -> ImportResult:
    """Check and register rows; raise Invalid listing every problem found.

    `expected_rows` (an estimate is enough) decides before the first write whether the
    registry's indexes are rebuilt after the load (`bulk.rebuilt_if_large`).
    """
    if within is None:
        access.require_admin(actor, "import members into any body")
    with session.begin_nested(), settings(session, **LOAD_SETTINGS):
        return _load(session, batches, plan, extra_problems, within, expected_rows)


def _load(
    session: Session,
    batches: Iterable[pa.RecordBatch],
    plan: list[Attribute],
    extra_problems: Sequence[Problem],
    within: Body | None,
    expected_rows: int,
) -> ImportResult:
    directory = BodyDirectory(session, within)
    registration = Registration.begin(session)
    problems: list[Problem] = []
    hidden = rows = 0
    counts: list[Future[pa.Table]] = []
    today = date.today()
    with ThreadPoolExecutor(1) as counter:
        for check, columns in read_ahead(_prepared(batches, plan, problems, today)):
            columns |= directory.resolve(check, columns["body_code"], columns["joined"])
            new = registration.new_rows(check, columns)
            registration.write(columns, new, expected_rows)
            # Counted on the side while the next batch is written.
            counts.append(counter.submit(batch_counts.count_batch, columns, new))
            hidden += check.hidden
            rows += check.batch.num_rows
    problems += [*extra_problems, *registration.repeats(checks.MAX_PROBLEMS)]
    if problems:
        problems.sort(key=lambda p: (p.row is None, p.row or 0))
        more = [Problem("(file)", f"{hidden} more problems not listed")] if hidden else []
        raise Invalid(problems + more)
    created = registration.finish()
    _count(session, batch_counts.merge([c.result() for c in counts]))
    return ImportResult(rows=rows, created=created, unchanged=rows - created)


def _prepared(
    batches: Iterable[pa.RecordBatch], plan: list[Attribute], problems: list[Problem], today: date
) -> Iterator[tuple[checks.BatchCheck, dict[str, pa.Array]]]:
    """Each batch with its check and its columns checked one by one (Arrow only, no store)."""
    rows = 0
    for batch in batches:
        check = checks.BatchCheck(batch, rows + 1, problems)
        yield check, _checked(check, plan, today)
        rows += batch.num_rows


def _count(session: Session, counts: pa.Table) -> None:
    """Add the counts of the new members to the census tallies."""
    table = Table(
        f"import_counts_{uuid.uuid4().hex[:8]}",
        MetaData(),
        Column("body_id", BigInteger),
        *[Column(n, String) for n in ("status", "dimension", "value")],
        Column("n", BigInteger),
        prefixes=["TEMPORARY"],
    )
    table.create(session.connection())
    for batch in counts.to_batches():
        insert_arrow(session, table, batch)
    analyze(session, table)
    held = session.scalar(select(func.count()).select_from(tallies.TALLY_TABLE)) or 0
    # Each tally row inserted would check its body's foreign key on its own.
    with rebuilt_if_large(session, [tallies.TALLY_TABLE], counts.num_rows, held):
        tallies.count_counted(session, table.select().subquery())
    table.drop(session.connection())


def _checked(check: checks.BatchCheck, plan: list[Attribute], today: date) -> dict[str, pa.Array]:
    columns: dict[str, pa.Array] = {
        "row": pa.array(range(check.first_row, check.first_row + check.batch.num_rows), pa.int64()),
        "external_id": checks.required_text(check, "id"),
        "name": checks.required_text(check, "name"),
        "body_code": checks.required_text(check, "body"),
        "status": checks.status(check),
        "joined": checks.joined(check, today),
    }
    columns["name_key"] = pc.utf8_lower(columns["name"])  # as `models.name_key` does
    typed = {a.name: checks.attribute(check, a, today) for a in plan}
    if "birth_year" in typed:
        checks.born_before_joining(check, columns["joined"], typed["birth_year"])
    columns.update({n: v for n, v in typed.items() if n in CORE_ATTRIBUTES})
    custom = {n: v for n, v in typed.items() if n not in CORE_ATTRIBUTES}
    columns["extra"] = _as_json(custom, check.batch.num_rows)
    return columns


def _as_json(custom: dict[str, pa.Array], rows: int) -> pa.Array:
    if not custom:
        return pa.array(["{}"] * rows, pa.string())
    values = {n: v.to_pylist() for n, v in custom.items()}
    return pa.array(
        [
            json.dumps(
                {n: values[n][i] for n in custom if values[n][i] is not None}, sort_keys=True
            )
            for i in range(rows)
        ],
        pa.string(),
    )
