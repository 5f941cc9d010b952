"""The real elections in tests/data/elections: ids, metadata, ballots, official stage sheets."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from orgburo.core.tally import Election, parse_blt

DATA = Path(__file__).resolve().parents[2] / "data" / "elections"


def ids(folder: str = "*") -> list[str]:
    """Every election id (the name of its .json), optionally in one folder."""
    return sorted(p.stem for p in DATA.glob(f"{folder}/*.json"))


def folder_of(election_id: str) -> str:
    """The folder an election sits in (stv_scotland, irv_us, ...)."""
    return _json_path(election_id).parent.name


@cache
def meta(election_id: str) -> dict[str, Any]:
    """The election's JSON: rule, seats, official elected list and notes."""
    data: dict[str, Any] = json.loads(_json_path(election_id).read_text(encoding="utf-8"))
    return data


@cache
def election(election_id: str) -> Election:
    """The election's ballots, parsed from its BLT file."""
    return parse_blt(blt_path(election_id).read_text(encoding="utf-8"))


def blt_path(election_id: str) -> Path:
    """Where the election's BLT file is."""
    return _json_path(election_id).with_suffix(".blt")


def official_stages(election_id: str) -> list[dict[str, Any]]:
    """The official count sheet: per stage, totals by candidate and status changes."""
    path = _json_path(election_id).with_name(f"{election_id}.stages.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [_stage(row) for row in rows]


def _stage(row: dict[str, str]) -> dict[str, Any]:
    changes = [c.strip().split(":", 1) for c in row.pop("status_changes").split(";") if c.strip()]
    number = int(row.pop("stage"))
    return {
        "number": number,
        "totals": {name: Decimal(value) for name, value in row.items()},
        "elected": {name for kind, name in changes if kind == "elected"},
        "excluded": {name for kind, name in changes if kind == "excluded"},
    }


def _json_path(election_id: str) -> Path:
    (path,) = DATA.glob(f"*/{election_id}.json")
    return path
