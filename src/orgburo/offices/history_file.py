"""Loading the recorded history of offices from a YAML file.

```yaml
offices:
  - code: SECRETARIAT_HEAD          # created if missing
    title: Head of the Secretariat
    body: ROOT                      # optional: the body the office belongs to
    terms:
      - holder: A. Person           # a name; `registry_id` links a registry person
        title: Technical secretary  # the title borne (default: the office's)
        from: 1917-04               # YYYY, YYYY-MM or YYYY-MM-DD: the precision is kept
        to: 1918                    # optional; the first day out of office
        end_reason: died            # optional
        source: where it comes from
        conflict: what other sources say
```

Loading is idempotent: the terms the file gives replace the office's recorded terms
(terms that came from an election are kept), so loading again changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete
from sqlalchemy.orm import Session

from orgburo.actors import Actor
from orgburo.errors import Invalid, Problem
from orgburo.members import service as members
from orgburo.offices import service as offices
from orgburo.offices.models import Office, OfficeTerm

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Loaded:
    """What a load did: offices created or found, terms written."""

    offices: int
    terms: int


def read(path: Path) -> dict[str, Any]:
    """The YAML document, or Invalid naming the file and the reason."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise Invalid.one("file", f"{path.name} is not readable YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("offices"), list):
        raise Invalid.one("offices", f"{path.name} must hold a list under 'offices'")
    return data


def load(session: Session, *, data: dict[str, Any], actor: Actor) -> Loaded:
    """Create the offices the data names and replace their recorded terms."""
    written = 0
    for index, entry in enumerate(data["offices"]):
        office = _office(session, entry, index, actor)
        session.execute(
            delete(OfficeTerm).where(
                OfficeTerm.office_id == office.id, OfficeTerm.election_id.is_(None)
            )
        )
        for term_index, raw in enumerate(entry.get("terms") or []):
            start, ended = _term(session, raw, f"offices[{index}].terms[{term_index}]")
            term = offices.start_term(
                session, office=office, start=start, actor=actor, succeed=False
            )
            if ended is not None:
                offices.end_term(
                    session,
                    term=term,
                    ended_on=ended[0],
                    precision=ended[1],
                    reason=str(raw.get("end_reason") or "ended"),
                    actor=actor,
                )
            written += 1
    return Loaded(len(data["offices"]), written)


def _office(session: Session, entry: Any, index: int, actor: Actor) -> Office:
    where = f"offices[{index}]"
    if not isinstance(entry, dict) or not entry.get("code") or not entry.get("title"):
        raise Invalid.one(where, "each office needs a code and a title")
    found = offices.get(session, str(entry["code"]))
    if found is not None:
        return found
    return offices.create(
        session,
        code=str(entry["code"]),
        title=str(entry["title"]),
        body_code=entry.get("body"),
        note=entry.get("note"),
        actor=actor,
    )


def _term(
    session: Session, raw: Any, where: str
) -> tuple[offices.TermStart, tuple[date, str] | None]:
    if not isinstance(raw, dict) or not raw.get("holder") or raw.get("from") is None:
        raise Invalid.one(where, "each term needs a holder and a 'from' date")
    started, precision = partial_date(raw["from"], f"{where}.from")
    ended = partial_date(raw["to"], f"{where}.to") if raw.get("to") is not None else None
    person = members.get(session, str(raw["registry_id"])) if raw.get("registry_id") else None
    start = offices.TermStart(
        holder_name=str(raw["holder"]),
        started_on=started,
        title=raw.get("title"),
        person=person,
        start_precision=precision,
        source=_text(raw.get("source")),
        note=_note(raw),
    )
    return start, ended


def partial_date(value: Any, field: str) -> tuple[date, str]:
    """A date given as YYYY, YYYY-MM or YYYY-MM-DD: its first day and its precision."""
    if isinstance(value, date):
        return value, "day"
    match = _PARTIAL.match(str(value).strip())
    if match is None:
        raise Invalid([Problem(field, f"{value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")])
    year, month, day = match.groups()
    precision = "day" if day else "month" if month else "year"
    try:
        return date(int(year), int(month or 1), int(day or 1)), precision
    except ValueError:
        raise Invalid([Problem(field, f"{value!r} is not a real date")]) from None


def _note(raw: dict[str, Any]) -> str | None:
    parts = [_text(raw.get("note")), _text(raw.get("conflict"))]
    conflict = parts[1]
    if conflict:
        parts[1] = f"Conflict: {conflict}"
    return " ".join(p for p in parts if p) or None


def _text(value: Any) -> str | None:
    return str(value).strip() if value else None
