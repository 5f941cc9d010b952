"""Census counts of an import batch, taken in Arrow while the batch is in memory.

Counting each batch as it passes costs milliseconds; counting the same rows again in
SQL after loading them costs a scan per attribute. Rows are counted in their nearest
tallied body (`owner_id`), so the counts of a whole file are as many rows as the owners
and values it touches, and the roll-up to every ancestor happens once, in SQL. The
counts match `tallies.tally_key`: booleans as true/false, unknown as ''.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from orgburo.census.tallies import TALLIED

KEYS = ["body_id", "status", "dimension", "value"]
_SCHEMA = pa.schema(
    [("body_id", pa.int64()), *[(k, pa.string()) for k in KEYS[1:]], ("n", pa.int64())]
)


def count_batch(columns: dict[str, pa.Array], keep: np.ndarray) -> pa.Table:
    """(body_id, status, dimension, value, n) over the rows marked `keep`, by owner_id."""
    kept = pa.array(keep)
    if not keep.any():
        return empty()
    # Dictionary-encoded keys group about twice as fast as plain strings.
    base = {
        "body_id": columns["owner_id"].filter(kept),
        "status": pc.dictionary_encode(columns["status"].filter(kept)),
    }
    rows = len(keep)
    parts = [
        _counted(base, dimension, columns.get(dimension, pa.nulls(rows, pa.string())), kept)
        for dimension in TALLIED
    ]
    return pa.concat_tables(parts)


def _counted(base: dict[str, pa.Array], dimension: str, raw: pa.Array, kept: pa.Array) -> pa.Table:
    value = pc.dictionary_encode(_as_key(raw).filter(kept))
    counted = (
        pa.table({**base, "value": value})
        .group_by(["body_id", "status", "value"])
        .aggregate([([], "count_all")])
    )
    return pa.table(
        {
            "body_id": counted.column("body_id"),
            "status": counted.column("status").cast(pa.string()),
            "dimension": pa.array([dimension] * counted.num_rows, pa.string()),
            "value": counted.column("value").cast(pa.string()),
            "n": counted.column("count_all"),
        },
        schema=_SCHEMA,
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
    return summed.rename_columns({"n_sum": "n"}).select([*KEYS, "n"]).cast(_SCHEMA)


def empty() -> pa.Table:
    """Counts of no rows."""
    return _SCHEMA.empty_table()
