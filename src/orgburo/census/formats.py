"""A composition as records, CSV, JSON or an Arrow table: one layout for every face."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pyarrow as pa

from orgburo.core.census import Composition, CompositionChange

SHARE_DIGITS = 4


def label(value: str) -> str:
    """How a tally value reads to a person."""
    return "(unknown)" if value == "" else value


def records(composition: Composition) -> list[dict[str, Any]]:
    """One dictionary per cell: the dimensions' values, count and share."""
    return [
        {
            **dict(zip(composition.dimensions, c.values, strict=True)),
            "count": c.count,
            "share": round(float(c.share), SHARE_DIGITS),
        }
        for c in composition.cells
    ]


def change_records(change: CompositionChange) -> list[dict[str, Any]]:
    """One dictionary per cell with the counts and shares on both dates."""
    dims = change.after.dimensions
    return [
        {
            **dict(zip(dims, c.values, strict=True)),
            "before": c.before,
            "after": c.after,
            "difference": c.difference,
            "share_before": round(float(c.share_before), SHARE_DIGITS),
            "share_after": round(float(c.share_after), SHARE_DIGITS),
        }
        for c in change.cells
    ]


def as_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """CSV text with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def as_json(composition: Composition) -> str:
    """The composition as a JSON document."""
    return json.dumps(
        {
            "body": composition.body,
            "at": composition.at.isoformat(),
            "by": list(composition.dimensions),
            "total": composition.total,
            "cells": records(composition),
        },
        indent=2,
    )


def as_arrow(rows: list[dict[str, Any]], columns: list[str]) -> pa.Table:
    """An Arrow table for Parquet or CSV export."""
    return pa.Table.from_pylist(rows, schema=None) if rows else pa.table({c: [] for c in columns})
