"""Census counts of an import batch, taken in Arrow while the batch is in memory.

Counting each batch as it passes costs milliseconds; counting the same rows again in
SQL after loading them costs a scan per attribute. The counts match `tallies.tally_key`:
booleans as true/false, unknown as ''.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orgburo.census.tallies import TALLIED

KEYS = ["body_code", "status", "dimension", "value"]


def count_batch(columns: dict[str, pa.Array], keep: np.ndarray) -> pa.Table:
    """(body_code, status, dimension, value, n) over the rows of a batch marked `keep`."""
    rows = int(keep.sum())
    base = pa.table({"body_code": columns["body_code"], "status": columns["status"]}).filter(keep)
    parts = []
    for dimension in TALLIED:
        raw = columns.get(dimension, pa.nulls(len(keep), pa.string()))
        value = _as_key(raw).filter(pa.array(keep))
        counted = (
            base.append_column("value", value)
            .group_by(["body_code", "status", "value"])
            .aggregate([([], "count_all")])
        )
        parts.append(counted.append_column("dimension", pa.array([dimension] * counted.num_rows)))
    if not parts or rows == 0:
        return empty()
    return (
        pa.concat_tables(parts)
        .rename_columns({"count_all": "n"})
        .select(["body_code", "status", "dimension", "value", "n"])
    )


def _as_key(values: pa.Array) -> pa.Array:
    if pa.types.is_boolean(values.type):
        text = pc.if_else(values, "true", "false")
    else:
        text = pc.cast(values, pa.string())
    return pc.fill_null(text, "")


def merge(tables: list[pa.Table]) -> pa.Table:
    """One table with the counts of several batches added together."""
    if not tables:
        return empty()
    summed = pa.concat_tables(tables).group_by(KEYS).aggregate([("n", "sum")])
    return summed.rename_columns({"n_sum": "n"}).select([*KEYS, "n"])


def empty() -> pa.Table:
    """Counts of no rows."""
    return pa.table({k: pa.array([], pa.string()) for k in KEYS} | {"n": pa.array([], pa.int64())})
