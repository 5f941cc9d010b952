"""A real server in a subprocess for load and crash tests, and a large open poll to vote in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import httpx
from sqlalchemy import Engine, insert, select

from orgburo.actors import SYSTEM
from orgburo.congresses import service as congresses
from orgburo.db import unit_of_work
from orgburo.elections import service as elections
from orgburo.members.models import Person
from orgburo.offices import seats
from tests.factories import body

DAY = date(1921, 3, 8)


@dataclass(frozen=True)
class BigPoll:
    """An open poll: its code, the candidates' names, and one credential per voter."""

    code: str
    candidates: list[str]
    credentials: list[str]


def big_poll(engine: Engine, voters: int, candidates: int = 10, seats_: int = 3) -> BigPoll:
    """A plenum of an organ with `voters` seat holders electing `seats_` of `candidates`."""
    with unit_of_work(engine) as session:
        body(session, "ROOT")
        organ = body(session, "BIG", "ROOT", kind="committee")
        rows = [
            {"external_id": f"V{i:05d}", "name": f"Voter {i:05d}", "name_key": f"voter {i:05d}"}
            for i in range(voters)
        ]
        session.execute(insert(Person), rows)
        people = list(session.scalars(select(Person).order_by(Person.external_id)))
        seats.fill(session, organ=organ, kind="full", people=people, on=DAY, actor=SYSTEM)
        congresses.create(
            session,
            code="P",
            name="Plenum",
            kind="plenum",
            body_code="BIG",
            opens_on=DAY,
            actor=SYSTEM,
        )
        terms = elections.Terms(method="block", seats=seats_, seed=1)
        elections.create(
            session, code="E", title="Bureau", congress_code="P", terms=terms, actor=SYSTEM
        )
        for person in people[:candidates]:
            elections.nominate(session, code="E", person_id=person.external_id, actor=SYSTEM)
        issued = elections.open_poll(session, code="E", actor=SYSTEM)
        names = [p.name for p in people[:candidates]]
    return BigPoll("E", names, [i.credential for i in issued])


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(url: str) -> Iterator[Server]:
    """Uvicorn serving the app on `url`'s store; stopped (or already killed) at the end."""
    running = Server.start(url)
    try:
        yield running
    finally:
        running.stop()


@dataclass
class Server:
    """A uvicorn process and its address."""

    process: subprocess.Popen[bytes]
    base: str

    @classmethod
    def start(cls, url: str) -> Server:
        """Start uvicorn on a free port and wait until it answers."""
        port = free_port()
        env = {**os.environ, "ORGBURO_DATABASE_URL": url}
        command = [
            sys.executable, "-m", "uvicorn", "--factory", "orgburo.web.app:create_app",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ]  # fmt: skip
        process = subprocess.Popen(command, env=env)
        running = cls(process, f"http://127.0.0.1:{port}")
        running.wait_ready()
        return running

    def wait_ready(self, seconds: float = 30) -> None:
        """Poll until the server answers, or fail."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                httpx.get(f"{self.base}/api/elections", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise TimeoutError("the server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, nothing."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop it if it still runs."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
