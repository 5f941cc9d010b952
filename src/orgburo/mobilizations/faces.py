"""What the API and the pages share: service results as response models, and the few
values both parse (an apportionment method, fulfilment as CSV)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

from orgburo.bodies.models import Body
from orgburo.core.apportionment import Method
from orgburo.errors import Invalid

from .assignment import Assigned
from .call_up import CalledUp
from .decrees import DecreeView
from .fulfilment import Fulfilment
from .models import Quota
from .quotas import Apportioned
from .reads import EntryRow, Explanation, QuotaTable
from .schemas import (
    ApportionedRead,
    AssignedRead,
    CalledUpRead,
    DecreeRead,
    EntryRead,
    ExplanationRead,
    FulfilmentRead,
    FulfilmentRowRead,
    LineFillRead,
    LineFitRead,
    ProposedRead,
    QuotaRowRead,
    RoleLineRead,
    ScoreRead,
    SubQuotaRead,
    SubQuotaSplit,
)
from .selection import Proposed

METHODS = tuple(m.value for m in Method)
FULFILMENT_COLUMNS = ("key", "label", "decreed", "sent", "arrived")


def method_of(text: str) -> Method:
    """The apportionment method named, or Invalid naming `method`."""
    if text not in METHODS:
        raise Invalid.one("method", f"{text!r} is not one of {', '.join(METHODS)}")
    return Method(text)


def quota_row(quota: Quota, body: Body) -> QuotaRowRead:
    """One body's quota row."""
    return QuotaRowRead(
        body=body.code,
        name=body.name,
        demanded=quota.demanded,
        own_demanded=quota.own_demanded,
        eligible=quota.eligible,
        own_eligible=quota.own_eligible,
        shortfall=quota.shortfall,
    )


def decree_read(view: DecreeView, table: QuotaTable | None = None) -> DecreeRead:
    """A decree, with the quotas of a quota table when given one."""
    d = view.decree
    return DecreeRead(
        code=d.code,
        title=d.title,
        issuing_body=view.issuing_body,
        scope=view.scope,
        excluded=list(view.excluded),
        issued_on=d.issued_on,
        basis=d.basis,
        destination=view.destination,
        destination_kind=view.destination_kind,
        term=d.term,
        term_months=d.term_months,
        quota_kind=d.quota_kind,
        total=d.total,
        share=d.share,
        zones=view.zones,
        congress=view.congress,
        criteria=d.criteria,
        exemptions=d.exemptions,
        method=d.method,
        floor=d.floor,
        shortfall_accepted=d.shortfall_accepted,
        subquotas=[SubQuotaRead(name=s.name, rule=s.rule, count=s.count) for s in view.subquotas],
        roles=[RoleLineRead.model_validate(asdict(line)) for line in view.lines],
        quota=quota_row(*table.body) if table and table.body else None,
        quotas=[quota_row(q, b) for q, b in table.children] if table else [],
    )


def apportioned_read(done: Apportioned) -> ApportionedRead:
    """The outcome of apportioning."""
    return ApportionedRead(
        decree=done.decree,
        method=done.method.value,
        demanded=done.demanded,
        eligible=done.eligible,
        shortfall=done.shortfall,
        bodies=done.bodies,
        short_bodies=done.short_bodies,
        subquotas=[SubQuotaSplit(name=n, demanded=d, shortfall=s) for n, d, s in done.subquotas],
    )


def assigned_read(done: Assigned) -> AssignedRead:
    """The outcome of an assignment."""
    return AssignedRead(
        decree=done.decree,
        members=done.members,
        assigned=done.assigned,
        classes=done.classes,
        total_fit=done.total_fit,
        lines=[
            LineFillRead(position=f.position, count=f.count, held=f.held, assigned=f.assigned)
            for f in done.lines
        ],
    )


def proposed_read(done: Proposed) -> ProposedRead:
    """The outcome of selecting."""
    return ProposedRead(
        decree=done.decree, proposed=done.proposed, by_subquota=dict(done.by_subquota)
    )


def called_up_read(done: CalledUp) -> CalledUpRead:
    """The outcome of a call-up in one command."""
    return CalledUpRead(
        apportioned=apportioned_read(done.apportioned),
        proposed=proposed_read(done.proposed),
        assigned=None if done.assigned is None else assigned_read(done.assigned),
    )


def entry_read(row: EntryRow) -> EntryRead:
    """One called-up member."""
    return EntryRead.model_validate(asdict(row))


def explanation_read(found: Explanation) -> ExplanationRead:
    """A member's score parts and fit for every role line."""
    parts = found.score
    return ExplanationRead(
        entry=entry_read(found.entry),
        score=ScoreRead(
            roles=parts.roles,
            standing=parts.standing,
            training=parts.training,
            age=parts.age,
            total=parts.total,
        ),
        lines=[LineFitRead.model_validate(asdict(line)) for line in found.lines],
    )


def fulfilment_read(report: Fulfilment) -> FulfilmentRead:
    """Fulfilment figures as the API answers them."""
    return FulfilmentRead(
        by=report.by,
        body=report.body,
        decrees=list(report.decrees),
        rows=[FulfilmentRowRead.model_validate(asdict(r)) for r in report.rows],
        total=FulfilmentRowRead.model_validate(asdict(report.total)),
    )


def fulfilment_csv(report: Fulfilment) -> str:
    """The rows and the total as CSV with a header."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FULFILMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(r) for r in (*report.rows, report.total))
    return buffer.getvalue()
