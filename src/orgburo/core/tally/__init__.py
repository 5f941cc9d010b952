"""Counting elections: BLT ballots in, the elected and a full count sheet out.

Pure: no I/O beyond parsing text handed in. Methods, each `count(election, *, seats, seed)`:
for/against, block vote, Scottish STV (SSI 2007/42), Meek STV and instant runoff.
"""

from __future__ import annotations

from collections.abc import Callable

from orgburo.core.tally import block, for_against, irv, meek, scottish_stv
from orgburo.core.tally.ballots import Ballot, Election, ForAgainstBallot
from orgburo.core.tally.blt import parse_blt
from orgburo.core.tally.result import Result, Stage

Method = Callable[..., Result]

METHODS: dict[str, Method] = {
    for_against.METHOD: for_against.count,
    block.METHOD: block.count,
    scottish_stv.METHOD: scottish_stv.count,
    meek.METHOD: meek.count,
    irv.METHOD: irv.count,
}
"""Every counting method by its CLI name."""

__all__ = [
    "METHODS",
    "Ballot",
    "Election",
    "ForAgainstBallot",
    "Method",
    "Result",
    "Stage",
    "parse_blt",
]
