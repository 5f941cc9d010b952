"""A campaign's figures as tables for the terminal."""

from __future__ import annotations

from rich.table import Table

from .figures import Figures


def figure_tables(found: Figures) -> list[Table]:
    """Totals, groups, weeks, refusals and bodies, one table each."""
    return [_totals(found), _groups(found), _weeks(found), _refusals(found), _bodies(found)]


def _totals(found: Figures) -> Table:
    table = Table("applications", "count", "share", title=f"{found.code}: {found.name}")
    for status, n in found.counts.items():
        table.add_row(status, f"{n:,}", f"{n / found.applied:.1%}" if found.applied else "")
    table.add_row("total", f"{found.applied:,}", "")
    for outcome, n in found.stage.items():
        table.add_row(f"candidate stage: {outcome.replace('_', ' ')}", f"{n:,}", "")
    return table


def _groups(found: Figures) -> Table:
    table = Table("group", "rule", "applied", "admitted", "target", "progress", title="Groups")
    for g in found.groups:
        kind = " (ceiling)" if g.ceiling else " (priority)" if g.priority else ""
        table.add_row(
            g.name + kind,
            g.rule,
            f"{sum(g.counts.values()):,}",
            f"{g.admitted:,}",
            f"{g.target:,}" if g.target else "",
            f"{float(g.progress):.1%}" if g.progress is not None else "",
        )
    return table


def _weeks(found: Figures) -> Table:
    names = [g.name for g in found.groups]
    table = Table("week", "from", "applied", "admitted", "refused", *[f"{n} so far" for n in names])
    table.title = "By campaign week"
    for w in found.weeks:
        table.add_row(
            str(w.number),
            str(w.starts_on),
            f"{w.applied:,}",
            f"{w.admitted:,}",
            f"{w.refused:,}",
            *[f"{w.admitted_so_far.get(n, 0):,}" for n in names],
        )
    return table


def _refusals(found: Figures) -> Table:
    table = Table("reason", "refused", title="Refusals")
    for reason, n in found.refusals:
        table.add_row(reason, f"{n:,}")
    return table


def _bodies(found: Figures) -> Table:
    table = Table("body", "name", "pending", "admitted", "refused", title="By body")
    for b in found.bodies:
        table.add_row(
            b.code, b.name, *[f"{b.counts[s]:,}" for s in ("pending", "admitted", "refused")]
        )
    return table
