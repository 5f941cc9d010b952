"""The electoral chain as data: which sitting elects which organ's seats or which office.

A chain file (YAML; `chain.yaml` beside this module is the usual party template):

```yaml
organs:
  - code: CC                  # an elected organ: a body, created under its elector
    name: Central Committee
    kind: committee           # a kind of body
    elected_by: congress      # `congress` or `conference` of the chain's body, or an organ
    seats: {full: 25, candidate: 15}
    method: for-against       # a counting method (core.tally)
    mode: secret              # or open (named votes)
offices:
  - code: GENSEC
    title: General Secretary
    elected_by: CC            # a plenum of this organ elects it
    method: irv
```

Loading it for a body creates the organs (as bodies) and offices that do not exist yet
and sets the links: loading again replaces the links, so it is idempotent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import service as bodies
from orgburo.bodies.models import Body
from orgburo.congresses.models import Congress, ElectoralLink
from orgburo.core.ballot_box import METHODS
from orgburo.elections.models import MODES
from orgburo.errors import Invalid
from orgburo.offices import service as offices
from orgburo.offices.models import Office

TEMPLATE = Path(__file__).with_name("chain.yaml")
SITTINGS = ("congress", "conference")


@dataclass(frozen=True)
class LinkView:
    """A link with its elector, organ or office resolved, for pages and the CLI."""

    link: ElectoralLink
    elector: Body
    organ: Body | None
    office: Office | None

    @property
    def elects(self) -> str:
        """What the link elects, in words."""
        if self.office is not None:
            return f"{self.office.title} ({self.office.code})"
        assert self.organ is not None
        return f"{self.organ.name} ({self.organ.code}), {self.link.seat_kind} seats"


def read(path: Path) -> dict[str, Any]:
    """The chain document in a file, or Invalid naming the reason."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise Invalid.one("file", f"{path.name} is not readable YAML: {error}") from None
    return parse(text, path.name)


def parse(text: str, name: str = "the chain", field: str = "file") -> dict[str, Any]:
    """The chain document in YAML text (a file's, or a form's), or Invalid naming the reason."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise Invalid.one(field, f"{name} is not readable YAML: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("organs"), list):
        raise Invalid.one("organs", f"{name} must hold a list under 'organs'")
    return data


def load(
    session: Session, *, data: dict[str, Any], body_code: str, opened_on: date, actor: Actor
) -> list[ElectoralLink]:
    """Create the chain's organs and offices under `body_code` and set its links."""
    access.require_admin(actor, "load the electoral chain")
    root = bodies.get_or_raise(session, body_code)
    organs: dict[str, Body] = {}
    links: list[ElectoralLink] = []
    for i, entry in enumerate(data["organs"]):
        elector, sitting = _elector(session, entry, root, organs, f"organs[{i}]")
        organ = _organ(session, entry, elector, opened_on, actor, f"organs[{i}]")
        organs[organ.code] = organ
        links.extend(_organ_links(entry, elector, sitting, organ, f"organs[{i}]"))
    for i, entry in enumerate(data.get("offices") or []):
        elector, sitting = _elector(session, entry, root, organs, f"offices[{i}]")
        office = _office(session, entry, elector, actor, f"offices[{i}]")
        links.append(_link(entry, elector, sitting, f"offices[{i}]", office_id=office.id))
    _replace_links(session, links)
    after = {"links": len(links), "organs": sorted(organs)}
    audit.record(
        session, actor=actor, action="chain.loaded", target=("body", root.code), after=after
    )
    return links


def _elector(
    session: Session, entry: Any, root: Body, organs: dict[str, Body], where: str
) -> tuple[Body, str]:
    if not isinstance(entry, dict) or not entry.get("code") or not entry.get("elected_by"):
        raise Invalid.one(where, "needs a code and `elected_by`")
    by = str(entry["elected_by"])
    if by in SITTINGS:
        return root, by
    organ = organs.get(by) or bodies.get(session, by)
    if organ is None:
        raise Invalid.one(f"{where}.elected_by", f"{by!r} is not a sitting or an organ above it")
    return organ, "plenum"


def _organ(
    session: Session, entry: dict[str, Any], parent: Body, on: date, actor: Actor, where: str
) -> Body:
    found = bodies.get(session, str(entry["code"]))
    if found is not None:
        return found
    if not entry.get("name"):
        raise Invalid.one(f"{where}.name", "an organ needs a name")
    return bodies.create(
        session,
        code=str(entry["code"]),
        name=str(entry["name"]),
        kind=str(entry.get("kind") or "committee"),
        parent_code=parent.code,
        opened_on=max(on, parent.opened_on),
        actor=actor,
    )


def _office(
    session: Session, entry: dict[str, Any], elector: Body, actor: Actor, where: str
) -> Office:
    found = offices.get(session, str(entry["code"]))
    if found is not None:
        return found
    if not entry.get("title"):
        raise Invalid.one(f"{where}.title", "an office needs a title")
    return offices.create(
        session,
        code=str(entry["code"]),
        title=str(entry["title"]),
        body_code=elector.code,
        actor=actor,
    )


def _organ_links(
    entry: dict[str, Any], elector: Body, sitting: str, organ: Body, where: str
) -> list[ElectoralLink]:
    seats = entry.get("seats")
    if not isinstance(seats, dict) or not seats.get("full"):
        raise Invalid.one(f"{where}.seats", "give the seats as {full: N, candidate: M}")
    return [
        _link(entry, elector, sitting, where, organ_id=organ.id, kind=kind, seats=int(seats[kind]))
        for kind in ("full", "candidate")
        if seats.get(kind)
    ]


def _link(
    entry: dict[str, Any],
    elector: Body,
    sitting: str,
    where: str,
    *,
    organ_id: int | None = None,
    office_id: int | None = None,
    kind: str = "full",
    seats: int = 1,
) -> ElectoralLink:
    method, mode = str(entry.get("method") or "for-against"), str(entry.get("mode") or "secret")
    if method not in METHODS:
        raise Invalid.one(f"{where}.method", f"{method!r} is not one of {', '.join(METHODS)}")
    if mode not in MODES:
        raise Invalid.one(f"{where}.mode", f"{mode!r} is not one of {', '.join(MODES)}")
    if seats < 1 or (method == "irv" and seats != 1):
        raise Invalid.one(f"{where}.seats", f"{seats} seats cannot be filled by {method}")
    return ElectoralLink(
        elector_id=elector.id,
        sitting=sitting,
        organ_id=organ_id,
        office_id=office_id,
        seat_kind=kind,
        seats=seats,
        method=method,
        mode=mode,
    )


def _replace_links(session: Session, links: list[ElectoralLink]) -> None:
    for link in links:
        same = select(ElectoralLink.id).where(
            ElectoralLink.organ_id == link.organ_id
            if link.organ_id
            else ElectoralLink.office_id == link.office_id,
            ElectoralLink.seat_kind == link.seat_kind,
        )
        session.execute(delete(ElectoralLink).where(ElectoralLink.id.in_(same.scalar_subquery())))
    session.add_all(links)
    session.flush()


def links_for(session: Session, congress: Congress) -> Sequence[ElectoralLink]:
    """The links a sitting acts on: its body's congress links, or its organ's plenum links."""
    sitting = "plenum" if congress.kind == "plenum" else congress.kind
    query = select(ElectoralLink).where(
        ElectoralLink.elector_id == congress.body_id, ElectoralLink.sitting == sitting
    )
    return session.scalars(query.order_by(ElectoralLink.id)).all()


def describe_all(session: Session) -> list[LinkView]:
    """Every link of every chain, resolved, in order of loading."""
    found = []
    for link in session.scalars(select(ElectoralLink).order_by(ElectoralLink.id)):
        elector = session.get(Body, link.elector_id)
        assert elector is not None
        organ = session.get(Body, link.organ_id) if link.organ_id else None
        office = session.get(Office, link.office_id) if link.office_id else None
        found.append(LinkView(link, elector, organ, office))
    return found
