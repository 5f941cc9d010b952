"""Checking a receipt against a downloaded box (JSON), offline: no store, no server."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from orgburo.core.ballot_box import normal_receipt, receipt_code
from orgburo.errors import Invalid, NotFound


def find(path: Path, receipt: str) -> dict[str, Any]:
    """The entry of the published box file whose receipt is `receipt`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ballots = data["ballots"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise Invalid.one("file", f"{path.name} is not a published box (JSON)") from None
    wanted = normal_receipt(receipt)
    for entry in ballots:
        if normal_receipt(str(entry.get("receipt", ""))) == wanted:
            return dict(entry)
    raise NotFound(f"receipt: no ballot in {path.name} has this receipt")


def proves(entry: dict[str, Any], nonce: str) -> bool:
    """Whether SHA-256(ballot id ‖ nonce) begins with the entry's receipt."""
    try:
        secret = bytes.fromhex(nonce.replace("-", "").strip())
        ballot = uuid.UUID(str(entry["ballot_id"]))
    except ValueError:
        return False
    receipt = normal_receipt(str(entry["receipt"]))
    return receipt_code(ballot, secret).startswith(receipt)
