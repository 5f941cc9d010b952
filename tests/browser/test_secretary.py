"""A secretary's day in Chromium: sign in, browse, search, open a member, import, count."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from orgburo.config import get_settings
from tests.browser.conftest import members_csv, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_signing_in_opens_the_secretarys_dashboard(page: Page) -> None:
    sign_in(page)
    expect(page).to_have_url(re.compile(r"/bodies/NORTH$"))
    expect(page.get_by_role("heading", name="North", exact=True)).to_be_visible()
    expect(page.locator("#trend svg")).to_be_visible()
    screenshot(page, "dashboard")


def test_a_wrong_password_is_explained_beside_the_field(page: Page) -> None:
    page.goto("/login")
    page.get_by_label("Account name").fill("secretary")
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#password-error")).to_contain_text("the name or the password is wrong")
    screenshot(page, "login-refused")


def test_the_tree_opens_a_branch_in_place(page: Page) -> None:
    sign_in(page)
    page.goto("/bodies")
    page.get_by_role("button", name="Open North").click()
    expect(page.get_by_role("link", name="N1")).to_be_visible()
    screenshot(page, "tree")


def test_searching_by_name_prefix_narrows_the_list_as_one_types(page: Page) -> None:
    sign_in(page)
    page.goto("/bodies/NORTH/members")
    page.get_by_label("Name starts with, or registry id").press_sequentially("olg", delay=40)
    expect(page.locator("#roster tbody tr").first).to_contain_text("Olga")
    names = page.locator("#roster tbody td:nth-child(2)").all_inner_texts()
    assert names
    assert all(n.lower().startswith("olg") for n in names)
    screenshot(page, "search")


def test_opening_a_member_shows_the_history_and_the_forms(page: Page) -> None:
    sign_in(page)
    page.goto("/bodies/NORTH/members")
    page.locator("#roster tbody a").first.click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    page.get_by_label("Attribute", exact=True).select_option("nationality")
    page.get_by_label("New value").fill("Latvian")
    page.get_by_role("button", name="Record").click()
    expect(page.locator("ol.timeline")).to_contain_text("nationality: Russian → Latvian")
    screenshot(page, "member")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Imports read 200 rows at a time, so the progress bar has steps to show."""
    monkeypatch.setenv("ORGBURO_IMPORT_BATCH_ROWS", "200")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def test_an_import_shows_its_progress_until_it_is_done(
    page: Page, tmp_path: Path, small_batches: None
) -> None:
    sign_in(page)
    page.goto("/bodies/NORTH/import")
    page.get_by_label("File (.csv or .parquet)").set_input_files(
        str(members_csv(tmp_path / "new.csv", 3000, ["N1", "N2"], first_id=50_000))
    )
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Import of new.csv")).to_be_visible()
    screenshot(page, "import-running")
    expect(page.locator("#progress")).to_contain_text("3,000 members registered", timeout=30_000)
    screenshot(page, "import-done")


def test_the_census_page_draws_the_composition(page: Page) -> None:
    sign_in(page)
    page.goto("/census?body=NORTH&by=social_situation")
    chart = page.locator("svg.chart")
    expect(chart).to_have_attribute("aria-label", re.compile("NORTH on .* by social_situation"))
    expect(chart).to_contain_text("worker")
    screenshot(page, "census")


def test_a_body_outside_the_secretarys_subtree_is_refused(page: Page) -> None:
    sign_in(page)
    response = page.goto("/bodies/SOUTH")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("outside the bodies you may see")
    screenshot(page, "refused")
