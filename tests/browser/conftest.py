"""A real server (uvicorn, in a thread) on a temporary SQLite store, and Chromium to drive it.

Chromium is Debian's (`/usr/bin/chromium`, installed by scripts/test when missing), driven
through Playwright; screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import Engine

from orgburo.actors import SYSTEM
from orgburo.db import make_engine, unit_of_work
from orgburo.members import importer
from orgburo.migrations import upgrade
from orgburo.web.app import create_app
from tests.factories import PASSWORD, account, small_tree

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
GIVEN = ["Ivan", "Pyotr", "Nikolai", "Anna", "Maria", "Sergei", "Olga", "Elena"]
FAMILY = ["Ivanov", "Petrov", "Sidorov", "Smirnov", "Popov", "Sokolov", "Volkov"]
HEADER = "id,name,body,status,joined,social_situation,occupation,sex,birth_year,nationality"


def members_csv(path: Path, rows: int, bodies: list[str], first_id: int = 1) -> Path:
    """A members file with a plausible mix, joined between 1917 and 1925."""
    rng = random.Random(first_id)
    lines = [HEADER]
    for i in range(first_id, first_id + rows):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        female = given in ("Anna", "Maria", "Olga", "Elena")
        social = rng.choices(["worker", "peasant", "employee", "other"], [5, 3, 2, 1])[0]
        joined = f"{rng.randint(1917, 1925)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(
            f"M{i:05d},{given} {family}{'a' if female else ''},{rng.choice(bodies)},"
            f"{rng.choice(['full', 'full', 'candidate'])},{joined},{social},{social},"
            f"{'female' if female else 'male'},{rng.randint(1870, 1905)},Russian"
        )
    path.write_text("\n".join(lines) + "\n")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The application on http://127.0.0.1:PORT with a small organization and two accounts."""
    folder = tmp_path_factory.mktemp("browser")
    engine = make_engine(f"sqlite:///{folder}/store.sqlite3")
    upgrade(engine)
    with unit_of_work(engine) as session:
        small_tree(session)
        importer.import_file(
            session, members_csv(folder / "m.csv", 600, ["N1", "N2", "S1"]), actor=SYSTEM
        )
        account(session, "secretary", roles=(("secretary", "NORTH"),))
        account(session, "admin", admin=True)
    with serving(engine) as address:
        yield address
    engine.dispose()


@contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """The application on `engine`, served by uvicorn in a thread; yields its address."""
    port = free_port()
    config = uvicorn.Config(create_app(engine), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    while not running.started:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, server: str) -> Iterator[Page]:
    """A fresh browser tab, signed out, 1280 pixels wide."""
    context = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page: Page, name: str = "secretary") -> None:
    """Sign in through the form, as a person would."""
    page.goto("/")
    page.get_by_label("Account name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
