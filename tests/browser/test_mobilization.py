"""An officer runs a decree in Chromium: issue it, apportion, select and assign, accept and
exempt members of a cell, order, dispatch and arrive them, read the fulfilment chart, and
end that kind of mobilization in the region. The administrator first adds the destination
and the role type the decree names."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, screenshot, sign_in

pytestmark = pytest.mark.browser
DECREE = {
    "code": "NORTH-MOB",
    "title": "Call-up for the Northern Front",
    "issuing_body": "NORTH",
    "term_months": "3",
    "total": "30",
    "criteria": 'sex == "male"',
}


def add_catalog(page: Page) -> None:
    sign_in(page, "admin")
    page.goto("/mobilizations")
    page.locator("#destination-code").fill("NFRONT")
    page.locator("#destination-name").fill("Northern Front")
    page.get_by_role("button", name="Add the destination").click()
    page.locator("#role-code").fill("agitator")
    page.locator("#role-name").fill("Agitator")
    page.get_by_role("button", name="Add the role type").click()
    expect(page.locator("#roles")).to_contain_text("agitator")
    page.get_by_role("button", name="Sign out").click()


def issue(page: Page) -> None:
    page.get_by_role("link", name="Mobilizations").click()
    for field, value in DECREE.items():
        page.locator(f"#issue-{field}").fill(value)
    page.locator("#issue-destination").fill("NFRONT")
    page.locator("#issue-roles").fill('agitator | 10 | | occupation == "worker"\nscout | 2')
    page.locator("#issue-subquotas").fill("veterans | red_amry | 5")
    page.get_by_role("button", name="Issue the decree").click()
    expect(page.locator("#issue-roles-1-role-error")).to_contain_text("no role type")
    expect(page.locator("#issue-quota-subquotas-0-rule-error")).to_be_visible()
    page.locator("#issue-roles").fill('agitator | 10 | | occupation == "worker"')
    page.locator("#issue-subquotas").fill("")
    page.get_by_role("button", name="Issue the decree").click()
    expect(page).to_have_url(re.compile(r"/mobilizations/NORTH-MOB$"))


def end_kind(page: Page) -> None:
    page.goto("/mobilizations")
    page.locator("#ending-body").fill("NORTH")
    page.locator("#ending-from_on").fill("1921-03-21")
    page.locator("#ending-destination").select_option("NFRONT")
    page.locator("#ending-note").fill("the war is over")
    page.get_by_role("button", name="End this kind").click()
    expect(page.locator("#endings")).to_contain_text("mobilizations to 'NFRONT'")
    expect(page.locator("#endings")).to_contain_text("the war is over")


def test_an_officer_runs_a_decree_end_to_end(page: Page) -> None:
    add_catalog(page)
    sign_in(page)
    issue(page)
    expect(page.locator("#quotas")).to_contain_text("Not apportioned yet")
    page.get_by_role("button", name="Apportion").click()
    expect(page.locator("#quotas")).to_contain_text("N1")
    page.get_by_role("button", name="Propose members").click()
    page.get_by_role("button", name="Assign").click()

    page.locator("#quotas").get_by_role("link", name="Members").nth(1).click()
    expect(page).to_have_url(re.compile(r"/work\?body=N1"))
    rows = page.locator("#entries tbody tr")
    first = rows.nth(0).locator("td").first.locator("a").inner_text()
    second = rows.nth(1).locator("td").first.locator("a").inner_text()
    page.get_by_role("button", name=f"Accept {first}").click()
    page.get_by_label(f"Reason to exempt {second}").fill("needed at the factory")
    page.get_by_role("button", name=f"Exempt {second}").click()
    expect(page.locator("#entries")).to_contain_text("needed at the factory")
    for status in ("ordered", "dispatched", "arrived"):
        page.get_by_role("button", name=f"Mark all {status}").click()
    expect(page.locator("#entries")).to_contain_text("arrived")

    page.get_by_role("link", name=first).click()
    expect(page.locator("#status")).to_have_text("arrived")
    expect(page.locator("#score-parts")).to_be_visible()

    page.goto("/mobilizations/NORTH-MOB")
    expect(page.locator("#fulfilment-table tfoot")).to_have_text(re.compile(r"Total\s*30\s*1\s*1"))
    screenshot(page, "mobilization-decree")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#fulfilment-chart").screenshot(
        path=str(SCREENSHOTS / "mobilization-fulfilment-chart.png")
    )
    end_kind(page)
