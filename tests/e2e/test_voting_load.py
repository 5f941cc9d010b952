"""Load and faults: 2,000 voters at once through the HTTP API of a real server on
PostgreSQL, and a server killed mid-poll that loses no acknowledged ballot."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest
from sqlalchemy import Engine, func, select

from orgburo.actors import SYSTEM
from orgburo.db import unit_of_work
from orgburo.elections import counting
from orgburo.elections import service as elections
from orgburo.elections.models import Ballot, CredentialUse
from tests.e2e.voting_server import BigPoll, big_poll, server

VOTERS = 2_000
CONCURRENCY = 200
DOUBLES = 100


@dataclass
class Outcome:
    """What the voters saw: receipts by voter, refusals, and latencies."""

    receipts: dict[int, str] = field(default_factory=dict)
    refused: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def marks_of(poll: BigPoll, voter: int) -> list[str]:
    """Voter i's block ballot: up to three names, a fixed pattern, some blank."""
    if voter % 17 == 0:
        return []
    names = poll.candidates
    return [names[voter % len(names)], names[(voter * 7 + 3) % len(names)]][: 1 + voter % 2]


async def _cast(
    client: httpx.AsyncClient, poll: BigPoll, voter: int, gate: asyncio.Semaphore, out: Outcome
) -> None:
    body = {"credential": poll.credentials[voter], "marks": sorted(set(marks_of(poll, voter)))}
    async with gate:
        began = time.perf_counter()
        response = await client.post(f"/api/elections/{poll.code}/ballots", json=body)
        out.seconds.append(time.perf_counter() - began)
    if response.status_code == 201:
        assert voter not in out.receipts, "a credential voted twice"
        out.receipts[voter] = response.json()["receipt"]
    else:
        out.refused[response.status_code] += 1
        if response.status_code != 409:
            out.errors.append(response.text)


async def _everyone(base: str, poll: BigPoll) -> tuple[Outcome, float]:
    out, gate = Outcome(), asyncio.Semaphore(CONCURRENCY)
    # one connection per voter, as voters on their own phones: no keep-alive reuse
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=120) as client:
        voters = [*range(VOTERS), *range(DOUBLES)]  # the first hundred try twice
        began = time.perf_counter()
        await asyncio.gather(*(_cast(client, poll, v, gate, out) for v in voters))
        return out, time.perf_counter() - began


def _expected(poll: BigPoll) -> dict[str, int]:
    votes = Counter(name for v in range(VOTERS) for name in set(marks_of(poll, v)))
    return {name: votes[name] for name in poll.candidates}


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_thousand_voters_at_once_each_counted_exactly_once(fresh_engine: Engine) -> None:
    poll = big_poll(fresh_engine, VOTERS)
    url = fresh_engine.url.render_as_string(hide_password=False)
    with server(url) as running, ThreadPoolExecutor(1) as own_loop:
        # a thread of its own: another test (Playwright) may leave a loop running here
        out, wall = own_loop.submit(lambda: asyncio.run(_everyone(running.base, poll))).result()
    assert out.refused == Counter({409: DOUBLES}), out.errors[:3]
    assert len(out.receipts) == VOTERS
    with unit_of_work(fresh_engine) as session:
        elections.close_poll(session, code=poll.code, actor=SYSTEM)
        result = counting.count(session, code=poll.code, actor=SYSTEM)
        boxed = set(session.scalars(select(Ballot.receipt)))
    assert (result.cast, result.electorate) == (VOTERS, VOTERS)
    assert {r.replace("-", "") for r in out.receipts.values()} == boxed
    assert result.sheet is not None
    totals = {n: int(float(v)) for n, v in result.sheet["stages"][0]["totals"].items()}
    assert totals == _expected(poll)
    _report(out, wall)


def _report(out: Outcome, wall: float) -> None:
    cuts = statistics.quantiles(out.seconds, n=100)
    print(
        f"\n{VOTERS} voters (+{DOUBLES} doubles), {CONCURRENCY} at once: {wall:.2f} s, "
        f"{(VOTERS + DOUBLES) / wall:.0f} requests/s, latency p50 {cuts[49] * 1000:.0f} ms, "
        f"p95 {cuts[94] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"
    )


KILLED_VOTERS = 300
KILL_AFTER = 100


def _cast_and_signal(base: str, poll: BigPoll, enough: threading.Event) -> dict[int, str]:
    """Cast for KILLED_VOTERS voters, 32 at a time; set `enough` after KILL_AFTER receipts."""
    acknowledged: dict[int, str] = {}
    limits = httpx.Limits(max_connections=32, max_keepalive_connections=0)
    client = httpx.Client(base_url=base, limits=limits, timeout=30)

    def one(voter: int) -> None:
        body = {"credential": poll.credentials[voter], "marks": marks_of(poll, voter)[:1]}
        try:
            response = client.post(f"/api/elections/{poll.code}/ballots", json=body)
        except httpx.TransportError:
            return  # in flight when the server died: unknown to the voter
        if response.status_code == 201:
            acknowledged[voter] = response.json()["receipt"]
            if len(acknowledged) >= KILL_AFTER:
                enough.set()

    with client, ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(one, range(KILLED_VOTERS)))
    return acknowledged


@pytest.mark.slow
def test_a_server_killed_mid_poll_loses_no_acknowledged_ballot(fresh_engine: Engine) -> None:
    poll = big_poll(fresh_engine, KILLED_VOTERS)
    url = fresh_engine.url.render_as_string(hide_password=False)
    kill = threading.Event()
    with server(url) as running:
        killer = threading.Thread(target=lambda: kill.wait(60) and running.kill())
        killer.start()
        acknowledged = _cast_and_signal(running.base, poll, kill)
        killer.join()
    assert KILL_AFTER <= len(acknowledged) < KILLED_VOTERS
    with server(url) as restarted, httpx.Client(base_url=restarted.base) as client:
        for receipt in acknowledged.values():
            found = client.post(f"/api/elections/{poll.code}/receipts", json={"receipt": receipt})
            assert found.status_code == 200, receipt
    with unit_of_work(fresh_engine) as session:
        ballots = session.scalar(select(func.count()).select_from(Ballot))
        uses = session.scalar(select(func.count()).select_from(CredentialUse))
    assert ballots == uses
    assert ballots is not None
    assert ballots >= len(acknowledged)


def _close_after(engine: Engine, code: str, ready: threading.Event, closed: list[int]) -> None:
    ready.wait(60)
    with unit_of_work(engine) as session:
        closed.append(elections.close_poll(session, code=code, actor=SYSTEM))


@pytest.mark.slow
def test_a_close_during_voting_keeps_every_acknowledged_ballot_and_no_later_one(
    fresh_engine: Engine,
) -> None:
    poll = big_poll(fresh_engine, KILLED_VOTERS)
    url = fresh_engine.url.render_as_string(hide_password=False)
    ready, closed = threading.Event(), []
    closer = threading.Thread(target=_close_after, args=(fresh_engine, poll.code, ready, closed))
    closer.start()
    with server(url) as running:
        acknowledged = _cast_and_signal(running.base, poll, ready)
    closer.join()
    with unit_of_work(fresh_engine) as session:
        boxed = set(session.scalars(select(Ballot.receipt)))
    assert KILL_AFTER <= len(acknowledged) < KILLED_VOTERS
    assert {r.replace("-", "") for r in acknowledged.values()} == boxed
    assert closed == [len(boxed)]
