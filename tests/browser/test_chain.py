"""The electoral chain in Chromium, through the pages only: an administrator loads the
chain, convenes the congress, registers and checks its delegates, runs the election of
the Central Committee while delegates vote on the phone page with their credentials;
then a plenum of the Committee elects its bureaus, its secretariat and the General
Secretary, who is then shown holding office. Last, no page an administrator or the
public sees pairs a voter with a ballot.

The organization is `party()`: ROOT > (R1 > C1, R2 > C2), eight full members
F000..F007 ("Member F000"...) and two candidates K000, K001.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from orgburo.db import make_engine, unit_of_work
from orgburo.migrations import upgrade
from tests.browser.conftest import screenshot, serving, sign_in
from tests.election_factories import party
from tests.factories import account

pytestmark = pytest.mark.browser
TODAY = date.today().isoformat()
Marking = Callable[[Page], None]


@pytest.fixture(scope="module")
def chain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own, so that the other browser tests' changes cannot move a quota."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('chain')}/store.sqlite3")
    upgrade(engine)
    with unit_of_work(engine) as session:
        party(session)
        account(session, "admin", admin=True)
    with serving(engine) as address:
        yield address
    engine.dispose()


@pytest.fixture
def admin(browser: Browser, chain_server: str) -> Iterator[Page]:
    """The administrator, signed in through the form, on a desk-sized screen."""
    context = browser.new_context(base_url=chain_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    sign_in(tab, "admin")
    yield tab
    context.close()


@pytest.fixture
def phone(browser: Browser, chain_server: str) -> Iterator[Page]:
    """The delegates' phone, passed from hand to hand: a small screen, nobody signed in."""
    context = browser.new_context(
        base_url=chain_server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    yield context.new_page()
    context.close()


@dataclass
class Ledger:
    """What the voters were handed and kept, to look for on every page afterwards."""

    credentials: list[str] = field(default_factory=list)
    receipts: dict[str, list[str]] = field(default_factory=dict)


def name(person: str) -> str:
    return f"Member {person}"


# -- the administrator's steps --------------------------------------------------------


def load_the_usual_chain(admin: Page) -> None:
    admin.goto("/chain")
    admin.get_by_label("Body whose congress heads the chain").fill("ROOT")
    admin.get_by_role("button", name="Load the chain").click()
    expect(admin).to_have_url(re.compile(r"/chain$"))
    links = admin.locator("#chain")
    expect(links).to_contain_text("Central Committee (CC), full seats")
    expect(links).to_contain_text("General Secretary (GENSEC)")


def convene(admin: Page, *, code: str, title: str, kind: str, body: str, per: str = "") -> None:
    admin.goto("/congresses")
    admin.get_by_label("Kind", exact=True).select_option(kind)
    admin.get_by_label("Convening body (for a plenum, the organ)").fill(body)
    admin.get_by_label("Code", exact=True).fill(code)
    admin.get_by_label("Name", exact=True).fill(title)
    if per:
        admin.get_by_label("Delegate norm (none for a plenum)").select_option("per-members")
        admin.get_by_label("Full members per voting delegate, or the total").fill(per)
    admin.get_by_role("button", name="Convene").click()
    expect(admin).to_have_url(re.compile(f"/congresses/{code}$"))
    expect(admin.get_by_role("heading", name=title)).to_be_visible()


def register_delegates(admin: Page, code: str, people: dict[str, str]) -> None:
    admin.goto(f"/congresses/{code}/delegates")
    for person, organization in people.items():
        admin.get_by_label("Registry id").fill(person)
        admin.get_by_label("Elected by (organization code)").fill(organization)
        admin.get_by_role("button", name="Register").click()
        expect(admin.locator("#delegates")).to_contain_text(person)
    admin.get_by_role("button", name="Check credentials").click()


def create_elections_from_chain(admin: Page, code: str, expected: list[str]) -> None:
    admin.goto(f"/congresses/{code}")
    admin.get_by_role("button", name="Create the elections the chain gives").click()
    for election in expected:
        expect(admin.get_by_role("link", name=f"Run {election}", exact=True)).to_be_visible()


def nominate(admin: Page, election: str, people: list[str]) -> None:
    admin.goto(f"/elections/{election}/run")
    for person in people:
        admin.get_by_label("Registry id").fill(person)
        admin.get_by_role("button", name="Nominate").click()
        expect(admin.locator("#paper")).to_contain_text(name(person))
    expect(admin.locator("#paper li")).to_have_count(len(people))


def open_poll(admin: Page, election: str, ledger: Ledger, shot: str = "") -> dict[str, str]:
    """Open the poll; the credential of each voter, by registry id, as the slips show it."""
    admin.goto(f"/elections/{election}/run")
    admin.get_by_role("button", name="Open the poll and issue credentials").click()
    expect(admin.get_by_role("heading", name=re.compile("^Credentials for"))).to_be_visible()
    if shot:
        screenshot(admin, shot)
    rows = admin.locator("#credentials tbody tr").all()
    slips = {r.locator("td").first.inner_text(): r.locator("code").inner_text() for r in rows}
    ledger.credentials.extend(slips.values())
    return slips


def close_and_count(admin: Page, election: str, voted: int, entitled: int) -> None:
    admin.goto(f"/elections/{election}/run")
    status = admin.locator("#status")
    expect(status).to_contain_text(f"{voted} of {entitled} voters have voted")
    admin.get_by_role("button", name="Close the poll").click()
    expect(status).to_contain_text("Status: closed")
    admin.get_by_role("button", name="Count the votes").click()
    expect(admin).to_have_url(re.compile(f"/elections/{re.escape(election)}$"))
    expect(admin.get_by_role("heading", name="Result")).to_be_visible()


def elected(page: Page) -> list[str]:
    return page.locator("section[aria-labelledby=result] ol li").all_inner_texts()


# -- the voters' steps ----------------------------------------------------------------


def vote(voter: Page, election: str, credential: str, mark: Marking, shot: str = "") -> str:
    """Cast a ballot on the phone page; the receipt it shows."""
    voter.goto(f"/vote?election={election}")
    voter.get_by_label("Your credential, as printed on your slip").fill(credential)
    voter.get_by_role("button", name="Show my ballot").click()
    mark(voter)
    if shot:
        screenshot(voter, f"{shot}-ballot")
    voter.get_by_role("button", name="Cast my ballot").click()
    expect(voter.get_by_role("heading", name="Your ballot is in the box")).to_be_visible()
    if shot:
        screenshot(voter, f"{shot}-receipt")
    return voter.locator("#receipt").inner_text()


def keep_all(voter: Page) -> None:
    expect(voter.get_by_role("radiogroup").first).to_be_visible()


def cross_out(*people: str) -> Marking:
    def mark(voter: Page) -> None:
        for person in people:
            group = voter.get_by_role("radiogroup", name=name(person), exact=True)
            group.get_by_label("cross out").check()

    return mark


def tick(*people: str) -> Marking:
    def mark(voter: Page) -> None:
        for person in people:
            voter.get_by_label(name(person), exact=True).check()

    return mark


def rank(*people: str) -> Marking:
    def mark(voter: Page) -> None:
        for preference, person in enumerate(people, start=1):
            voter.get_by_label(name(person), exact=True).select_option(str(preference))

    return mark


def poll(
    admin: Page,
    phone: Page,
    ledger: Ledger,
    election: str,
    ballots: dict[str, Marking],
) -> None:
    """Open the poll, let each voter in `ballots` vote, close and count it."""
    slips = open_poll(admin, election, ledger)
    receipts = [vote(phone, election, slips[voter], mark) for voter, mark in ballots.items()]
    ledger.receipts[election] = receipts
    close_and_count(admin, election, voted=len(ballots), entitled=len(slips))


# -- the chain ------------------------------------------------------------------------


def the_congress_elects_the_central_committee(admin: Page, phone: Page, ledger: Ledger) -> None:
    load_the_usual_chain(admin)
    convene(admin, code="X10", title="Tenth Congress", kind="congress", body="ROOT", per="1")
    admin.get_by_role("button", name="Apportion delegates").click()
    voting = admin.locator("#quotas tbody td:nth-child(4)")
    expect(voting).to_have_text(["4", "4"])  # R1 and R2 each have four full members
    screenshot(admin, "chain-congress")

    delegates = {f"F00{i}": ("R1", "R2")[i % 2] for i in range(6)}
    register_delegates(admin, "X10", {**delegates, "K000": "R1"})
    rows = admin.locator("#delegates tbody tr")
    expect(rows.filter(has_text="F000")).to_contain_text("accepted")
    expect(rows.filter(has_text="K000")).to_contain_text("a candidate, not a full member")
    expect(rows.filter(has_text="accepted")).to_have_count(6)
    screenshot(admin, "chain-delegates")

    create_elections_from_chain(admin, "X10", ["X10.CC", "X10.CC-CAND"])
    admin.get_by_role("link", name="Run X10.CC", exact=True).click()
    admin.get_by_label("Registry id").fill("K000")
    admin.get_by_role("button", name="Nominate").click()
    expect(admin.locator("#nominate-person-error")).to_contain_text("is not a full member")
    nominate(admin, "X10.CC", ["F000", "F001", "F002", "F003"])

    slips = open_poll(admin, "X10.CC", ledger, shot="chain-slips")
    assert sorted(slips) == sorted(delegates)
    ballots = {
        "F000": keep_all,
        "F001": keep_all,
        "F002": cross_out("F003"),
        "F003": cross_out("F003"),
        "F004": cross_out("F003", "F002"),
    }  # F005 does not vote
    receipts = [vote(phone, "X10.CC", slips["F000"], keep_all, shot="chain-phone")]
    a_second_ballot_with_the_same_credential_is_refused(phone, slips["F000"])
    receipts += [vote(phone, "X10.CC", slips[p], m) for p, m in list(ballots.items())[1:]]
    ledger.receipts["X10.CC"] = receipts
    close_and_count(admin, "X10.CC", voted=5, entitled=6)

    expect(admin.locator("section[aria-labelledby=result]")).to_contain_text(
        "5 ballots of 6 voters (0 spoiled, 0 blank). Quorum met."
    )
    assert sorted(elected(admin)[:2]) == [name("F000"), name("F001")]
    assert elected(admin)[2:] == [name("F002")]  # F003 had votes for on 2 of 5 ballots only
    expect(admin.get_by_role("heading", name="Count sheet")).to_be_visible()
    expect(admin.locator(".sheet")).to_contain_text(name("F003"))
    screenshot(admin, "chain-result-cc")

    admin.goto("/organs/CC")
    expect(admin.locator("#seats li")).to_have_count(3)
    expect(admin.locator("#seats")).to_contain_text(f"F002 · full since {TODAY}")


def a_second_ballot_with_the_same_credential_is_refused(voter: Page, credential: str) -> None:
    voter.goto("/vote?election=X10.CC")
    voter.get_by_label("Your credential, as printed on your slip").fill(credential)
    voter.get_by_role("button", name="Show my ballot").click()
    expect(voter.locator("#vote-credential-error")).to_contain_text("has already been used")


def the_plenum_elects_the_organs_and_the_general_secretary(
    admin: Page, phone: Page, ledger: Ledger
) -> None:
    convene(admin, code="P1", title="First plenum", kind="plenum", body="CC")
    organs = ["P1.PB", "P1.OB", "P1.SEC", "P1.GENSEC"]
    create_elections_from_chain(admin, "P1", organs)

    admin.goto("/elections/P1.PB/run")
    admin.get_by_label("Registry id").fill("F004")
    admin.get_by_role("button", name="Nominate").click()
    expect(admin.locator("#nominate-person-error")).to_contain_text("holds no seat on CC")

    nominate(admin, "P1.PB", ["F000", "F001", "F002"])
    poll(admin, phone, ledger, "P1.PB", {"F000": keep_all, "F001": cross_out("F002")})
    assert sorted(elected(admin)) == [name("F000"), name("F001")]  # F002: 1 of 2 is no majority

    nominate(admin, "P1.OB", ["F001", "F002"])
    poll(admin, phone, ledger, "P1.OB", {"F001": keep_all, "F002": keep_all})
    assert sorted(elected(admin)) == [name("F001"), name("F002")]

    nominate(admin, "P1.SEC", ["F000", "F002"])
    both = tick("F000", "F002")
    poll(admin, phone, ledger, "P1.SEC", {"F000": both, "F002": both})
    assert sorted(elected(admin)) == [name("F000"), name("F002")]

    nominate(admin, "P1.GENSEC", ["F000", "F001"])
    ballots = {"F000": rank("F001", "F000"), "F001": rank("F001"), "F002": rank("F000", "F001")}
    poll(admin, phone, ledger, "P1.GENSEC", ballots)
    assert elected(admin) == [name("F001")]

    admin.goto("/organs/PB")
    expect(admin.locator("#seats li")).to_have_count(2)


def the_general_secretary_holds_office(admin: Page) -> None:
    admin.goto("/offices")
    row = admin.locator("#offices tbody tr").filter(has_text="General Secretary")
    expect(row.locator("td").nth(1)).to_have_text(name("F001"))
    expect(row.locator("td").nth(2)).to_have_text(TODAY)
    row.get_by_role("link", name="General Secretary").click()
    admin.get_by_label("Who held it on").fill(TODAY)
    admin.get_by_role("button", name="Ask").click()
    expect(admin.get_by_role("status")).to_have_text(f"{name('F001')}, General Secretary")
    screenshot(admin, "chain-office")


# -- secrecy from the pages' side -----------------------------------------------------


def no_page_pairs_a_voter_with_a_ballot(admin: Page, ledger: Ledger) -> None:
    """Receipts name ballots: they appear in the published box, which names no voter, and
    on no other page; a credential appears on no page after the slips."""
    elections = list(ledger.receipts)
    pages = [f"/elections/{e}" for e in elections] + [f"/elections/{e}/run" for e in elections]
    pages += ["/congresses/X10", "/congresses/X10/delegates", "/congresses/P1", "/elections"]
    pages += ["/organs/CC", "/offices/GENSEC", "/bodies/ROOT/audit", "/chain"]
    receipts = [r for found in ledger.receipts.values() for r in found]
    for address in pages:
        admin.goto(address)
        html = admin.content()
        shown = [code for code in receipts + ledger.credentials if code in html]
        assert not shown, f"{address} shows {shown}"

    admin.goto("/elections/X10.CC/box")
    headings = admin.locator("main table thead th").all_inner_texts()
    assert headings == ["Receipt", "Marks"]
    box = admin.locator("main").inner_text()
    assert all(receipt in box for receipt in ledger.receipts["X10.CC"])
    assert name("F004") not in box  # voted, stood for nothing: nothing here can name them
    assert name("F005") not in box
    assert not any(credential in admin.content() for credential in ledger.credentials)
    screenshot(admin, "chain-box")


def test_the_chain_runs_from_congress_to_general_secretary_in_the_browser(
    admin: Page, phone: Page
) -> None:
    ledger = Ledger()
    the_congress_elects_the_central_committee(admin, phone, ledger)
    the_plenum_elects_the_organs_and_the_general_secretary(admin, phone, ledger)
    the_general_secretary_holds_office(admin)
    no_page_pairs_a_voter_with_a_ballot(admin, ledger)
