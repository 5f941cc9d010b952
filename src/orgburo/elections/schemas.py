"""HTTP shapes of elections, ballots, the published box and results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from orgburo.errors import Invalid


class ElectionCreate(BaseModel):
    """A new election at a sitting."""

    code: str = Field(min_length=1, max_length=64)
    title: str = Field(min_length=1, max_length=300)
    congress: str = Field(description="Code of the sitting (congress, conference, plenum).")
    method: str = Field(description="for-against, block, stv-scottish, meek or irv.")
    seats: int = Field(1, ge=1, le=10_000)
    mode: str = Field("secret", description="secret, or open (the voter is named).")
    organ: str | None = Field(None, description="Code of the organ whose seats it fills.")
    office: str | None = Field(None, description="Code of the office it fills.")
    seat_kind: str = Field("full", description="full or candidate seats of the organ.")
    quorum: str = Field("1/2", description="More than this share of voters must vote.")
    seed: int | None = Field(None, description="Seed of the lot; drawn and recorded if omitted.")
    held_on: date | None = Field(None, description="Day of the vote; the sitting's by default.")
    closes_at: datetime | None = Field(None, description="No ballot is taken after this time.")


def quorum_of(text: str) -> tuple[int, int]:
    """A quorum written as a fraction `N/D`."""
    num, _, den = text.partition("/")
    try:
        return int(num), int(den)
    except ValueError:
        raise Invalid.one("quorum", f"{text!r} is not a fraction such as 1/2 or 2/3") from None


class ElectionRead(BaseModel):
    """An election: its rules, its ballot paper and where it stands."""

    code: str
    title: str
    congress: str
    method: str
    seats: int
    mode: str
    organ: str | None
    office: str | None
    seat_kind: str
    quorum: str
    seed: int
    held_on: date
    closes_at: datetime | None
    status: str
    candidates: list[str]
    voted: int
    electorate: int


class Nominee(BaseModel):
    """A person to put on the ballot paper."""

    person: str = Field(description="Registry id.")


class CredentialRead(BaseModel):
    """A voter's one-time credential, shown once to be handed over."""

    person: str
    name: str
    credential: str


class BallotCast(BaseModel):
    """A ballot: the credential and the names marked (in order of preference if ranked)."""

    credential: str = Field(min_length=1, max_length=100)
    marks: list[str] = Field(default_factory=list, max_length=1000)
    spoil: bool = Field(False, description="Cast a spoiled ballot: counted in turnout only.")


class ReceiptRead(BaseModel):
    """The voter's receipt: look it up in the published box. The nonce is shown only now:
    with the ballot's published id it proves the receipt is that ballot's."""

    election: str
    receipt: str
    nonce: str


class ReceiptLookup(BaseModel):
    """A receipt code, as printed (dashes and case do not matter)."""

    receipt: str = Field(min_length=1, max_length=100)


class BoxEntryRead(BaseModel):
    """One published ballot."""

    ballot_id: str
    receipt: str
    marks: list[str]
    spoiled: bool


class BoxRead(BaseModel):
    """The published box of a closed poll."""

    election: str
    method: str
    seed: int
    recount: str
    candidates: list[str]
    ballots: list[BoxEntryRead]


class ResultRead(BaseModel):
    """The count: turnout, quorum, the elected and the full count sheet."""

    election: str
    electorate: int
    cast: int
    spoiled: int
    blank: int
    quorum_met: bool
    elected: list[str]
    sheet: dict[str, Any] | None


class ChainElections(BaseModel):
    """Create the elections the chain gives a sitting."""

    congress: str
