"""What a ballot may say, the voter's receipt, and the ballot box written as a BLT file.

Pure: no storage. A ballot's marks are candidate positions on the ballot paper (0-based):

* ranked methods (`stv-scottish`, `meek`, `irv`): preferences in order, any number of them;
  a ballot with none is blank (cast, but not a valid vote);
* `block`: the candidates voted for, at most as many as there are seats;
* `for-against`: the candidates kept; every other name on the paper is crossed out.

The box is written as one BLT line per ballot, in the order of the random ballot ids, so
`orgburo tally` reads it exactly as the count did (see docs/ballot-secrecy.md).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from orgburo.errors import Invalid

RANKED = ("stv-scottish", "meek", "irv")
UNORDERED = ("block", "for-against")
METHODS = (*UNORDERED, *RANKED)


@dataclass(frozen=True)
class Paper:
    """The ballot paper: the method, the candidates in paper order and the seats."""

    method: str
    candidates: tuple[str, ...]
    seats: int


def check_marks(paper: Paper, marks: Sequence[str]) -> tuple[int, ...]:
    """The marks as candidate positions; Invalid names the mark and why it is refused.

    Refused: a name not on the paper (not nominated), the same name twice, and more marks
    than the method allows (block: more than the seats). Unordered marks are returned in
    paper order, so equal ballots are written equally.
    """
    where = {name: i for i, name in enumerate(paper.candidates)}
    unknown = [m for m in marks if m not in where]
    if unknown:
        names = ", ".join(repr(m) for m in unknown)
        raise Invalid.one("marks", f"{names} is not a candidate on this ballot")
    positions = [where[m] for m in marks]
    if len(set(positions)) != len(positions):
        raise Invalid.one("marks", "a candidate is marked more than once")
    if paper.method == "block" and len(positions) > paper.seats:
        reason = f"too many marks: {len(positions)} for {paper.seats} seats (vote for up to"
        raise Invalid.one("marks", f"{reason} {paper.seats})")
    if paper.method in UNORDERED:
        return tuple(sorted(positions))
    return tuple(positions)


def receipt_code(ballot_id: uuid.UUID, nonce: bytes) -> str:
    """SHA-256 of the ballot's random id and the voter's secret nonce, as hex."""
    return hashlib.sha256(ballot_id.bytes + nonce).hexdigest()


def normal_receipt(text: str) -> str:
    """A receipt as typed by a voter: spaces, dashes and case do not matter."""
    return "".join(c for c in text.lower() if c in "0123456789abcdef")


def group(code: str, size: int = 4) -> str:
    """A long code in groups, easier to read aloud and to copy: `ab12-cd34-...`."""
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def marks_text(positions: Iterable[int]) -> str:
    """Positions stored as BLT numbers (1-based), separated by spaces."""
    return " ".join(str(p + 1) for p in positions)


def parse_marks_text(text: str) -> tuple[int, ...]:
    """Stored BLT numbers back to 0-based positions."""
    return tuple(int(p) - 1 for p in text.split())


def blt(paper: Paper, ballots: Iterable[str], title: str) -> str:
    """The BLT file of a box: header, one line per ballot (`1 prefs 0`), names, title."""
    lines = [f"{len(paper.candidates)} {paper.seats}"]
    lines.extend(f"1 {marks} 0" if marks else "1 0" for marks in ballots)
    lines.append("0")
    lines.extend(_quoted(name) for name in paper.candidates)
    lines.append(_quoted(title))
    return "\n".join(lines) + "\n"


def one_line(text: str) -> str:
    """Text as one BLT line can hold it: every run of whitespace (line breaks too) one space."""
    return " ".join(text.split())


def _quoted(text: str) -> str:
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
