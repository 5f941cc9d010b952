"""The audit trail: every change writes an entry in its own transaction, and tampering,
including the removal of the last entries, is found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from orgburo import audit
from orgburo.actors import SYSTEM
from orgburo.audit import AuditEntry, AuditHead
from orgburo.bodies import importer as bodies_importer
from orgburo.bodies import service as bodies
from orgburo.config import get_settings
from orgburo.generate import service as generator
from orgburo.members import attributes, importer
from orgburo.members import service as members
from tests.factories import member, small_tree

ON = date(1925, 1, 1)
IMPORTS = Path(__file__).resolve().parents[1] / "data" / "imports"
Change = Callable[[Session], object]

CHANGES: dict[str, tuple[Change, str]] = {
    "open a body": (
        lambda s: bodies.create(
            s, code="N3", name="N3", kind="committee", parent_code="NORTH", actor=SYSTEM
        ),
        "body.opened",
    ),
    "move a body": (
        lambda s: bodies.move(s, code="N2", new_parent_code="SOUTH", on=ON, actor=SYSTEM),
        "body.moved",
    ),
    "rename a body": (
        lambda s: bodies.change(s, code="N2", name="Renamed", on=ON, actor=SYSTEM),
        "body.changed",
    ),
    "close a body": (lambda s: bodies.close(s, code="N2", on=ON, actor=SYSTEM), "body.closed"),
    "admit": (
        lambda s: members.admit(
            s, external_id="9", name="Nine", body_code="N1", on=ON, actor=SYSTEM
        ),
        "member.admitted",
    ),
    "confirm": (
        lambda s: members.confirm(s, external_id="1", on=ON, actor=SYSTEM),
        "member.confirmed",
    ),
    "transfer": (
        lambda s: members.transfer(s, external_id="1", to_body_code="S1", on=ON, actor=SYSTEM),
        "member.transferred",
    ),
    "change attributes": (
        lambda s: members.change_attributes(
            s, external_id="1", changes={"sex": "female"}, on=ON, actor=SYSTEM
        ),
        "member.attributes_changed",
    ),
    "end": (
        lambda s: members.end(s, external_id="1", reason="left", on=ON, actor=SYSTEM),
        "member.left",
    ),
    "declare an attribute": (
        lambda s: attributes.declare(s, name="shoe", type="text", actor=SYSTEM),
        "attribute.declared",
    ),
    "import bodies": (
        lambda s: bodies_importer.import_file(s, IMPORTS / "bodies.csv", actor=SYSTEM),
        "bodies.imported",
    ),
    "import members": (
        lambda s: importer.import_file(s, IMPORTS / "members.csv", actor=SYSTEM),
        "members.imported",
    ),
    "generate": (
        lambda s: generator.generate(s, members=5, bodies=4, seed=1, actor=SYSTEM),
        "organization.generated",
    ),
}


def populate(session: Session) -> None:
    small_tree(session)
    member(session, "1", "N1", status="candidate")


def prepare(session: Session, name: str) -> None:
    """What each change needs: the small tree, and a member unless the change imports."""
    if name == "import members":
        small_tree(session)
    elif name not in ("import bodies", "generate"):
        populate(session)


def entries(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_every_change_writes_an_audit_entry(session: Session, name: str) -> None:
    prepare(session, name)
    change, action = CHANGES[name]
    change(session)
    last = session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))
    assert last is not None
    assert (last.action, last.actor) == (action, "system")


@pytest.mark.parametrize("name", ["admit", "rename a body", "import members"])
def test_an_entry_rolls_back_with_its_change(session: Session, name: str) -> None:
    prepare(session, name)
    before = entries(session)
    change, _ = CHANGES[name]
    with session.begin_nested() as savepoint:
        change(session)
        savepoint.rollback()
    assert entries(session) == before


def test_an_untouched_trail_verifies(session: Session) -> None:
    populate(session)
    assert audit.verify_chain(session) == []


def test_an_edited_entry_is_named(session: Session) -> None:
    populate(session)
    first = session.scalar(select(func.min(AuditEntry.id)))
    session.execute(update(AuditEntry).where(AuditEntry.id == first).values(actor="someone"))
    assert [(b.entry_id, b.kind) for b in audit.verify_chain(session)] == [(first, "edited")]


def test_a_deleted_entry_in_the_middle_is_found_at_the_next_one(session: Session) -> None:
    populate(session)
    ids = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    session.execute(delete(AuditEntry).where(AuditEntry.id == ids[2]))
    breaks = audit.verify_chain(session)
    assert (ids[3], "inserted or deleted before") in [(b.entry_id, b.kind) for b in breaks]


def test_a_deleted_last_entry_is_found(session: Session) -> None:
    populate(session)
    last = session.scalar(select(func.max(AuditEntry.id)))
    session.execute(delete(AuditEntry).where(AuditEntry.id == last))
    assert [(b.entry_id, b.kind) for b in audit.verify_chain(session)] == [
        (last, "deleted at the end")
    ]


def test_a_change_after_a_deleted_last_entry_still_shows_the_gap(session: Session) -> None:
    populate(session)
    last = session.scalar(select(func.max(AuditEntry.id)))
    session.execute(delete(AuditEntry).where(AuditEntry.id == last))
    members.confirm(session, external_id="1", on=ON, actor=SYSTEM)
    kinds = [b.kind for b in audit.verify_chain(session)]
    assert kinds == ["inserted or deleted before", "count differs"]


def test_a_head_rewritten_without_the_key_is_found(session: Session) -> None:
    populate(session)
    ids = session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    previous = session.get_one(AuditEntry, ids[-2])
    session.execute(delete(AuditEntry).where(AuditEntry.id == ids[-1]))
    session.execute(
        update(AuditHead).values(last_id=previous.id, last_hash=previous.hash, entries=len(ids) - 1)
    )
    assert [b.kind for b in audit.verify_chain(session)] == ["head edited"]


def test_a_deleted_head_is_found(session: Session) -> None:
    populate(session)
    session.execute(delete(AuditHead))
    assert [b.kind for b in audit.verify_chain(session)] == ["head missing"]


def test_a_new_secret_key_needs_a_reseal(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(session)
    monkeypatch.setenv("ORGBURO_SECRET_KEY", "another secret key, long enough to be accepted")
    get_settings.cache_clear()
    try:
        assert [b.kind for b in audit.verify_chain(session)] == ["head edited"]
        audit.reseal(session)
        assert audit.verify_chain(session) == []
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
