"""Web benchmark: member search and the member page over real HTTP, 200 clients at once.

Run:  python benchmarks/bench_web.py [--members 1000000] [--bodies 20000] [--clients 200]
          [--seconds 30] [--think 2.0] [--workers N] [--keep] [--reuse]

A database `orgburo_bench_web` is created on ORGBURO_TEST_POSTGRES_URL's server and filled
by `orgburo generate` (dropped at the end unless --keep; --reuse takes it as it is).
The application runs under uvicorn in a subprocess (--workers processes, default one per
CPU) on 127.0.0.1; the callers are a secretary of the largest region (with an API token),
so every request goes through the access checks. Two requests are measured:
- search: the roster fragment htmx asks for while a secretary types (`HX-Request`), for
  name prefixes and registry ids in the region, its districts and its cells;
- member page: the full page of a member of the region.
Each is measured twice: `paced`, 200 clients that each pause --think seconds on average
(exponential) before each request, as people do; and `saturated`, 200 connections
requesting back to back, which measures throughput and the queueing it causes. The
clients are wrk's (install it from Debian: `apt-get install wrk`), or, without wrk, the
same clients written with httpx (which need CPU of their own). Prints p50, p99,
requests/s and, read from /proc (Linux, database on this machine), the CPU each request
cost the server's processes and the database's backends: the stable figure on a machine
other work shares (backends that a pool closes during a run are missed). The peer is the
floor of the same server: `/api/health`, saturated, which goes through the same HTTP
server and middleware but reads nothing; the last lines give each request's server CPU
as a multiple of the floor's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.orm import Session

from orgburo.accounts import service as accounts
from orgburo.actors import SYSTEM
from orgburo.bodies.models import Body, BodyLink
from orgburo.census.models import CensusTally
from orgburo.db import make_engine, unit_of_work
from orgburo.members.models import Membership, Person
from orgburo.migrations import upgrade

ADMIN_URL = os.environ.get(
    "ORGBURO_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
DATABASE = "orgburo_bench_web"
PORT = 8791
Request = tuple[str, dict[str, str]]


def main() -> None:
    """Parse options, build the store, serve it, measure, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--bodies", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--reuse", action="store_true", help="Use the database as it is.")
    args = parser.parse_args()
    url = make_url()
    if not args.reuse:
        create_database()
        generate(url, args.members, args.bodies)
    engine = make_engine(url)
    upgrade(engine)  # a reused store may predate a migration
    try:
        token, search, pages = prepare(engine)
        with serving(url, args.workers) as (base, group):
            meter = Meter(group, engine)
            print(f"{args.clients} clients, {args.workers} workers, {os.cpu_count()} CPUs")
            print(
                f"{'request':<14}{'mode':<11}{'p50':>9}{'p99':>9}{'req/s':>9}{'errors':>8}"
                f"{'cpu/req':>10}{'db/req':>10}"
            )
            costs = {
                name: measure(name, base, token, requests, args, meter)
                for name, requests in (("search", search), ("member page", pages))
            }
            floor = measure("floor", base, token, [("/api/health", {})], args, meter, paced=False)
            for name, cost in costs.items():
                print(f"{name}: server CPU per request {cost / floor:.1f}x the floor's")
    finally:
        engine.dispose()
        if not args.keep:
            drop_database()


def make_url() -> str:
    admin = create_engine(ADMIN_URL)
    url = admin.url.set(database=DATABASE).render_as_string(hide_password=False)
    admin.dispose()
    return url


def _admin(statement: str) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(statement))
    admin.dispose()


def create_database() -> None:
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    _admin(f'CREATE DATABASE "{DATABASE}"')


def drop_database() -> None:
    _admin(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def generate(url: str, members: int, bodies: int) -> None:
    """`orgburo generate` into the benchmark database, then fresh planner statistics."""
    started = time.perf_counter()
    orgburo = str(Path(sys.executable).with_name("orgburo"))  # the console script beside it
    command = [orgburo, "generate", "--members", str(members), "--bodies", str(bodies)]
    subprocess.run(command, check=True, env={**os.environ, "ORGBURO_DATABASE_URL": url})
    print(f"generated in {time.perf_counter() - started:.0f} s")
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def prepare(engine: Engine) -> tuple[str, list[Request], list[Request]]:
    """A secretary of the largest region, and the requests to make."""
    with unit_of_work(engine) as session:
        region = session.execute(
            select(Body)
            .join(CensusTally, CensusTally.body_id == Body.id)
            .where(Body.level == "region", CensusTally.dimension == "sex")
            .group_by(Body.id)
            .order_by(func.sum(CensusTally.n).desc())
            .limit(1)
        ).scalar_one()
        if accounts.get(session, "bench") is None:
            accounts.create(session, name="bench", password="bench-password", actor=SYSTEM)
            accounts.grant(
                session, name="bench", role="secretary", body_code=region.code, actor=SYSTEM
            )
        token = accounts.issue_token(session, name="bench", actor=SYSTEM, label="bench_web")
        codes = _subtree_codes(session, region)
        people = _people(session, region)
    rng = random.Random(1)
    return token, _searches(rng, codes, people), _member_pages(rng, people)


def _subtree_codes(session: Session, region: Body) -> list[str]:
    query = (
        select(Body.code, Body.level)
        .join(BodyLink, BodyLink.descendant_id == Body.id)
        .where(BodyLink.ancestor_id == region.id, BodyLink.valid_to.is_(None))
    )
    rows = session.execute(query).all()
    districts = [c for c, level in rows if level == "district"]
    cells = [c for c, level in rows if level == "cell"]
    rng = random.Random(2)
    return (
        [region.code] * 20
        + rng.sample(districts, min(40, len(districts)))
        + rng.sample(cells, min(40, len(cells)))
    )


def _people(session: Session, region: Body) -> list[tuple[str, str]]:
    query = (
        select(Person.external_id, Person.name)
        .join(Membership, (Membership.person_id == Person.id) & Membership.ended_on.is_(None))
        .join(BodyLink, BodyLink.descendant_id == Membership.body_id)
        .where(BodyLink.ancestor_id == region.id, BodyLink.valid_to.is_(None))
        .order_by(func.random())
        .limit(2000)
    )
    return [(i, n) for i, n in session.execute(query)]


def _searches(rng: random.Random, codes: list[str], people: list[tuple[str, str]]) -> list[Request]:
    """Prefixes as typed (1 to 8 letters of a name), some whole names, ids and misses."""
    headers = {"HX-Request": "true", "HX-Target": "roster"}
    requests = []
    for _ in range(3000):
        external_id, name = rng.choice(people)
        kind = rng.random()
        if kind < 0.75:
            q = name[: rng.randint(1, 8)]
        elif kind < 0.9:
            q = external_id
        else:
            q = rng.choice(["zz", "Qx", "Ivan Zz"])
        path = f"/bodies/{rng.choice(codes)}/members?{httpx.QueryParams({'q': q})}"
        requests.append((path, headers))
    return requests


def _member_pages(rng: random.Random, people: list[tuple[str, str]]) -> list[Request]:
    return [(f"/members/{rng.choice(people)[0]}", {}) for _ in range(3000)]


@contextmanager
def serving(url: str, workers: int) -> Iterator[tuple[str, int]]:
    """uvicorn with the application on 127.0.0.1:PORT, outside development mode; the
    address, and the process group of the server and its workers."""
    env = {
        **os.environ,
        "ORGBURO_DATABASE_URL": url,
        "ORGBURO_DEV_MODE": "false",
        "ORGBURO_SECRET_KEY": os.urandom(32).hex(),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "orgburo.web.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(PORT), "--workers", str(workers)]
    command += ["--log-level", "warning", "--no-access-log", "--timeout-graceful-shutdown", "5"]
    server = subprocess.Popen(command, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{PORT}"
    try:
        _wait_until_up(base)
        yield base, server.pid
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server and its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _wait_until_up(base: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the server did not start")


@dataclass(frozen=True)
class Meter:
    """CPU seconds used so far by the server's processes and by the database's backends."""

    group: int
    engine: Engine

    def read(self) -> tuple[float, float]:
        with self.engine.connect() as connection:
            query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            backends = connection.execute(query).scalars().all()
        return _cpu(_process_group(self.group)), _cpu(backends)


def _stat(pid: int | str) -> list[str]:
    """Fields of /proc/PID/stat after the command name: state, ppid, pgrp, ... utime is [11]."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _process_group(group: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int(_stat(entry.name)[2]) == group:
                pids.append(int(entry.name))
        except OSError:  # ended meanwhile
            continue
    return pids


def _cpu(pids: Iterable[int]) -> float:
    ticks = 0
    for pid in pids:
        try:
            fields = _stat(pid)
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(
    name: str,
    base: str,
    token: str,
    requests: list[Request],
    args: argparse.Namespace,
    meter: Meter,
    paced: bool = True,
) -> float:
    """Paced and saturated runs of one kind of request, each after a short warm-up; the
    server's CPU seconds per request when saturated."""
    clients, seconds, think = args.clients, args.seconds, args.think
    auth = {"Authorization": f"Bearer {token}"}
    cost = float("nan")
    for mode, pause in (("paced", think), ("saturated", 0.0))[0 if paced else 1 :]:
        run = wrk_run if _has_wrk() else _clients_run
        run(base, auth, requests, clients, 5, pause)  # warm-up
        before = meter.read()
        p50, p99, rate, errors = run(base, auth, requests, clients, seconds, pause)
        done = max(1.0, rate * seconds)
        cost, db = ((a - b) / done for a, b in zip(meter.read(), before, strict=True))
        print(f"{name:<14}{mode:<11}{p50:>7.1f}ms{p99:>7.1f}ms{rate:>9.1f}{errors:>8}", end="")
        print(f"{cost * 1000:>8.2f}ms{db * 1000:>8.2f}ms")
    return cost


def _clients_run(
    base: str,
    auth: dict[str, str],
    requests: list[Request],
    clients: int,
    seconds: float,
    think: float,
) -> tuple[float, float, float, int]:
    return asyncio.run(clients_run(base, auth, requests, clients, seconds, think))


async def clients_run(
    base: str,
    auth: dict[str, str],
    requests: list[Request],
    clients: int,
    seconds: float,
    think: float,
) -> tuple[float, float, float, int]:
    """`clients` callers for `seconds`; (p50 ms, p99 ms, requests/s, errors)."""
    latencies: list[float] = []
    errors = [0]
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    deadline = time.perf_counter() + seconds
    async with httpx.AsyncClient(base_url=base, headers=auth, limits=limits, timeout=60) as http:

        async def caller(seed: int) -> None:
            rng = random.Random(seed)
            await asyncio.sleep(rng.uniform(0, think))
            while time.perf_counter() < deadline:
                path, headers = rng.choice(requests)
                started = time.perf_counter()
                response = await http.get(path, headers=headers)
                latencies.append(time.perf_counter() - started)
                errors[0] += response.status_code != 200
                if think:
                    await asyncio.sleep(rng.expovariate(1 / think))

        began = time.perf_counter()
        await asyncio.gather(*(caller(i) for i in range(clients)))
        elapsed = time.perf_counter() - began
    p50, p99 = np.percentile(np.array(latencies) * 1000, [50, 99])
    return float(p50), float(p99), len(latencies) / elapsed, errors[0]


def _has_wrk() -> bool:
    return subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode == 0


def wrk_run(
    base: str,
    auth: dict[str, str],
    requests: list[Request],
    clients: int,
    seconds: float,
    think: float,
) -> tuple[float, float, float, int]:
    """wrk with a Lua script cycling through the requests, each connection pausing an
    exponential `think` seconds on average before each request (wrk's latencies leave
    the pause out); (p50 ms, p99 ms, requests/s, errors)."""
    lines = ["local requests = {"]
    for path, headers in requests:
        fields = ", ".join(f'["{k}"] = "{v}"' for k, v in {**auth, **headers}.items())
        lines.append(f'  {{"{path}", {{{fields}}}}},')
    lines += [
        "}",
        "local i = 0",
        "request = function()",
        "  i = i % #requests + 1",
        '  return wrk.format("GET", requests[i][1], requests[i][2])',
        "end",
        "math.randomseed(os.time())",
        f"delay = function() return -math.log(1 - math.random()) * {think * 1000:.0f} end",
    ]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write("\n".join(lines))
    threads = str(min(4, os.cpu_count() or 1))
    command = ["wrk", "-t", threads, "-c", str(clients), "-d", f"{int(seconds)}s", "--latency"]
    output = subprocess.run(
        [*command, "-s", script.name, "--timeout", "60s", base], capture_output=True, text=True
    ).stdout
    Path(script.name).unlink()
    return _wrk_numbers(output)


def _wrk_numbers(output: str) -> tuple[float, float, float, int]:
    def latency(percent: str) -> float:
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return latency("50"), latency("99"), rate, int(bad.group(1)) if bad else 0


if __name__ == "__main__":
    main()
