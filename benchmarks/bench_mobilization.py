"""Mobilization benchmark: a call-up apportioned, selected and assigned on PostgreSQL.

Run:  python benchmarks/bench_mobilization.py [--members 1000000] [--bodies 20000]
                                              [--share 0.065] [--roles 50] [--sample 200]
                                              [--keep] [--reuse]

A database `orgburo_bench_mobilization` is created (and dropped) on
ORGBURO_TEST_POSTGRES_URL. With --keep, the generated organization is also kept as a
template database (one per size); with --reuse, a run clones the kept one instead of
generating it again (a file copy of seconds rather than minutes of generation).

Set-up, not timed: a generated organization of --members members in --bodies bodies, one
destination, --roles role types, and a decree of its
root calling up --share of the members (the target case is 1.3 million of 20 million,
6.5%), 5% of it responsible personnel, with criteria, an exemption, and one role line
per role type whose counts add up to the quota and whose requirements vary.

Timed, each in its own transaction as the commands run them: `apportion` (the eligible
count per body and the split level by level), `select` (the scored pool read as arrays,
every body's proposals chosen at once) and `assign` (fits read, classes, min-cost flow,
seats written back); then `call-up`, the same three in one command from one read of the
pool (`orgburo mobilize call-up`), on a store as it was before the steps: cloned again
from the kept organization when there is one (--keep or --reuse), or else a second
decree alike in the same store (which then holds the first one's entries too). The
target at 20 million members in 400,000 primary organizations is under 60 s for a
call-up apportioned, selected and assigned.

Peer: the same counting and selection done with one SQL query per primary organization
(a COUNT for its eligible members, then its best-ranked members with ORDER BY score
LIMIT n), as a per-body loop would. It is timed on --sample organizations taken evenly
from all of them, and extrapolated to every primary organization.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine, create_engine, func, select, text

from orgburo.actors import SYSTEM
from orgburo.bodies.models import Body
from orgburo.db import make_engine, unit_of_work
from orgburo.generate import service as generator
from orgburo.members.models import Membership, Person
from orgburo.migrations import upgrade
from orgburo.mobilizations import assignment, catalogs, decrees, quotas, selection
from orgburo.mobilizations.call_up import call_up
from orgburo.mobilizations.models import Quota
from orgburo.mobilizations.pool import eligible, pool_of
from orgburo.mobilizations.scoring import score_columns
from orgburo.mobilizations.specs import DecreeSpec, QuotaSpec, RoleLineSpec, SubQuotaSpec

ADMIN_URL = os.environ.get(
    "ORGBURO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASE = "orgburo_bench_mobilization"
ISSUED = date(1924, 6, 1)
REQUIREMENTS = (
    "",
    "red_army",
    "trade_union",
    "red_army and trade_union",
    'occupation == "worker"',
    "party_schooling or responsible_position",
    "age <= 35",
    'industry in ["metal", "transport"]',
    "komsomol or age <= 25",
    'red_army and social_situation == "worker"',
)


def main() -> None:
    """Parse options, set up, time the three steps and the peer, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--share", type=float, default=0.065)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the organization generated")
    parser.add_argument("--reuse", action="store_true", help="clone the organization kept")
    parser.add_argument(
        "--call-up-only", action="store_true", help="time the call-up alone, not the steps"
    )
    args = parser.parse_args()
    kept = kept_name(args)
    reused = args.reuse and exists_store(kept)
    engine = cloned_store(kept) if reused else fresh_store()
    try:
        run(engine, args, reused, kept if args.keep and not reused else None)
    finally:
        engine.dispose()
        drop_store()


def kept_name(args: argparse.Namespace) -> str:
    """The template database an organization of this size is kept in."""
    return f"{DATABASE}_{args.members}_{args.bodies}"


def run(engine: Engine, args: argparse.Namespace, reused: bool, keep: str | None) -> None:
    """Set up (unless reused; kept as `keep` if named), then the timed steps and the peer
    (unless --call-up-only), and the call-up."""
    if reused:
        print(f"set-up: {args.members:,} members in {args.bodies:,} bodies, kept from before")
    else:
        took = timed(lambda: organization(engine, args.members, args.bodies))
        print(
            f"set-up: {args.members:,} members in {args.bodies:,} bodies generated in {took:.1f} s"
        )
        if keep is not None:
            engine.dispose()  # a template database must have no connections
            keep_store(keep)
    total = round(args.members * args.share)
    ours = 0.0
    if not args.call_up_only:
        ours = steps(engine, args, total)
    code = "BENCH"
    if ours and (keep is not None or reused):
        engine.dispose()
        engine = cloned_store(keep or kept_name(args))
    elif ours:
        code = "BENCH1"
    decree(engine, code, total, args.roles)
    one = timed(lambda: step(engine, "call-up", code))
    print(f"call-up    {one:6.1f} s (one command)")
    if ours:
        print(f"call-up against the three steps: {ours / one:.2f}x")
    engine.dispose()


def steps(engine: Engine, args: argparse.Namespace, total: int) -> float:
    """The decree, the three steps timed one by one, and the peer; their total seconds."""
    decree(engine, "BENCH", total, args.roles)
    print(f"decree: {total:,} called up ({args.share:.1%}), {args.roles} role lines")
    timings = {
        "apportion": lambda: step(engine, "apportion"),
        "select": lambda: step(engine, "select"),
        "assign": lambda: step(engine, "assign"),
    }
    seconds = {name: timed(work) for name, work in timings.items()}
    for name, took in seconds.items():
        print(f"{name:10s} {took:6.1f} s")
    ours = sum(seconds.values())
    print(f"apportion + select + assign: {ours:.1f} s")
    peer(engine, args.sample, seconds["apportion"] + seconds["select"])
    return ours


def timed(work: Callable[[], object]) -> float:
    """Wall seconds of `work`."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def fresh_store() -> Engine:
    """An empty, migrated PostgreSQL database of our own."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    engine = make_engine(admin.url.set(database=DATABASE).render_as_string(hide_password=False))
    upgrade(engine)
    return engine


def exists_store(name: str) -> bool:
    """Whether a database of that name exists."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        found = connection.scalar(
            text("SELECT count(*) FROM pg_database WHERE datname = :n"), {"n": name}
        )
    admin.dispose()
    return bool(found)


def cloned_store(kept: str) -> Engine:
    """Our database, a copy of the organization kept by an earlier --keep run, brought up
    to the current schema (the copy may predate a migration)."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{DATABASE}" TEMPLATE "{kept}"'))
    admin.dispose()
    engine = make_engine(admin.url.set(database=DATABASE).render_as_string(hide_password=False))
    upgrade(engine)
    return engine


def keep_store(kept: str) -> None:
    """Keep the organization just generated (before the decree) for --reuse."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{kept}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{kept}" TEMPLATE "{DATABASE}"'))
    admin.dispose()


def drop_store() -> None:
    """Remove the benchmark database."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def organization(engine: Engine, members: int, bodies: int) -> None:
    """A generated organization, analyzed."""
    with unit_of_work(engine) as session:
        generator.generate(session, members=members, bodies=bodies, seed=1, actor=SYSTEM)
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def decree(engine: Engine, code: str, total: int, roles: int) -> None:
    """One destination, the role types (unless there), and the decree of the root."""
    with unit_of_work(engine) as session:
        if not catalogs.destinations(session):
            catalogs.add_destination(
                session, code="FRONT", name="Front", kind="front", actor=SYSTEM
            )
            for i in range(roles):
                catalogs.add_role(session, code=f"R{i:02d}", name=f"Role {i}", actor=SYSTEM)
        root = session.scalar(select(Body.code).where(Body.parent_id.is_(None)))
        counts = [total // roles + (1 if i < total % roles else 0) for i in range(roles)]
        spec = DecreeSpec(
            code=code,
            title="Benchmark call-up",
            issuing_body=root or "ROOT",
            issued_on=ISSUED,
            basis="mass",
            destination="FRONT",
            quota=QuotaSpec(
                total=total,
                subquotas=(SubQuotaSpec("responsible", "responsible_position", total // 20),),
            ),
            term="temporary",
            term_months=4,
            criteria='sex == "male" and age >= 18',
            exemptions="age > 60",
            roles=tuple(
                RoleLineSpec(f"R{i:02d}", n, requirement=REQUIREMENTS[i % len(REQUIREMENTS)])
                for i, n in enumerate(counts)
            ),
        )
        decrees.issue(session, spec=spec, actor=SYSTEM)


def step(engine: Engine, name: str, code: str = "BENCH") -> None:
    """One of the three steps, or the call-up, in its own transaction, with its outcome
    printed."""
    with unit_of_work(engine) as session:
        if name == "call-up":
            called = call_up(session, code=code, on=ISSUED, actor=SYSTEM, accept_shortfall=True)
            done: object = {"apportioned": called.apportioned, "proposed": called.proposed}
        elif name == "apportion":
            done = quotas.apportion(session, code="BENCH", actor=SYSTEM, accept_shortfall=True)
        elif name == "select":
            done = selection.propose(session, code="BENCH", on=ISSUED, actor=SYSTEM)
        else:
            done = assignment.assign(session, code="BENCH", actor=SYSTEM)
            done = {k: v for k, v in vars(done).items() if k != "lines"}
    print(f"  {name}: {done}")


def peer(engine: Engine, sample: int, ours: float) -> None:
    """Count and select body by body, one query each, on a sample; extrapolate."""
    with unit_of_work(engine) as session:
        decree_row = decrees.get_or_raise(session, "BENCH")
        pool = pool_of(session, decree_row)
        demanded = dict(
            session.execute(
                select(Quota.body_id, Quota.own_demanded).where(
                    Quota.decree_id == decree_row.id,
                    Quota.subquota_id.is_(None),
                    Quota.own_demanded > 0,
                )
            ).all()
        )
        cells = sorted(demanded)
        chosen = cells[:: max(len(cells) // sample, 1)][:sample]
        score = score_columns(pool, ISSUED)
        started = time.perf_counter()
        for body_id in chosen:
            session.scalar(eligible(pool, func.count()).where(Membership.body_id == body_id))
            session.execute(
                eligible(pool, Person.id, score.total.label("score"))
                .where(Membership.body_id == body_id)
                .order_by(score.total.desc(), Person.id)
                .limit(demanded[body_id])
            ).all()
        took = time.perf_counter() - started
    per_body = took / max(len(chosen), 1)
    estimate = per_body * len(cells)
    print(
        f"peer (one COUNT and one ORDER BY ... LIMIT per primary organization): "
        f"{per_body * 1000:.1f} ms a body on {len(chosen)} of {len(cells):,}, "
        f"about {estimate:.0f} s for all (extrapolated)"
    )
    print(f"apportion + select: {ours:.1f} s, {estimate / ours:.1f}x faster than the peer")


if __name__ == "__main__":
    sys.exit(main())
