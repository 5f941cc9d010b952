"""A secretary runs an enrollment campaign in Chromium: proclaim it, record an application,
two recommendations, the meeting that admits, and the end of the candidate stage."""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import members_csv, screenshot, sign_in

pytestmark = pytest.mark.browser
TODAY = date.today().isoformat()


def full_members_of(body: str, tmp_path: Path) -> list[str]:
    """Registry ids of full members of `body` in the server's store (the same file)."""
    with members_csv(tmp_path / "m.csv", 600, ["N1", "N2", "S1"]).open() as handle:
        rows = list(csv.DictReader(handle))
    return [r["id"] for r in rows if (r["body"], r["status"]) == (body, "full")]


def fill(page: Page, form: str, values: dict[str, str]) -> None:
    for field, value in values.items():
        page.locator(f"#{form}-{field}").fill(value)


def test_a_secretary_runs_a_campaign_end_to_end(page: Page, tmp_path: Path) -> None:
    sign_in(page)
    page.get_by_role("link", name="Enrollment").click()
    fill(
        page,
        "proclaim",
        {
            "code": "NORTHWORK",
            "name": "Workers of the North",
            "body": "NORTH",
            "opens_on": "2025-01-01",
            "closes_on": "2025-03-31",
            "eligibility": 'occupation == "worker"',
            "recommenders_required": "2",
        },
    )
    page.locator("#proclaim-groups").fill('workers | occupation == "worker" | 10')
    page.get_by_role("button", name="Proclaim").click()
    expect(page).to_have_url(re.compile(r"/enrollment/NORTHWORK/work$"))

    fill(page, "apply", {"name": "Vera Fabrichnaya", "body": "N1", "ref": "V1"})
    page.locator("#apply-received_on").fill("2025-01-02")
    page.locator("#apply-attr-occupation").select_option("employee")
    page.get_by_role("button", name="Record the application").click()
    expect(page.locator("#apply-occupation-error")).to_contain_text("not eligible")
    screenshot(page, "enrollment-refused")
    page.locator("#apply-attr-occupation").select_option("worker")
    page.get_by_role("button", name="Record the application").click()
    expect(page).to_have_url(re.compile(r"/applications/V1$"))
    expect(page.locator("#status")).to_have_text("pending")

    for recommender in full_members_of("N1", tmp_path)[:2]:
        page.locator("#recommend-recommender").fill(recommender)
        page.locator("#recommend-given_on").fill("2025-01-03")
        page.get_by_role("button", name="Record").click()
        expect(page.get_by_text(f"{recommender} on 2025-01-03")).to_be_visible()

    page.get_by_role("link", name="applications").click()
    page.locator("#meeting-held_on").fill("2025-01-10")
    page.locator("#meeting-members_present").fill("1")
    page.get_by_label("votes for V1").fill("1")
    page.get_by_label("votes against V1").fill("0")
    page.get_by_role("button", name="Record the meeting").click()
    quorum = page.locator("#meeting-members_present-error")
    expect(quorum).to_contain_text("a quorum is")
    needed = re.search(r"a quorum is (\d+)", quorum.inner_text())
    assert needed, "the quorum refusal does not say the quorum"
    page.locator("#meeting-members_present").fill(needed.group(1))
    page.get_by_label("votes for V1").fill(needed.group(1))
    page.get_by_label("votes against V1").fill("0")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.locator("#applications")).to_contain_text("admitted 2025-01-10")
    screenshot(page, "enrollment-applications")

    page.get_by_role("link", name="V1").click()
    expect(page.locator("#status")).to_have_text("admitted")
    page.locator("#stage-outcome").select_option("confirmed")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text(f"{TODAY}: confirmed")).to_be_visible()
    screenshot(page, "enrollment-application")

    page.goto("/enrollment/NORTHWORK")
    expect(page.get_by_role("heading", name="Groups")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    screenshot(page, "enrollment-dashboard")
