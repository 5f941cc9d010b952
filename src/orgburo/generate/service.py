"""Generating an organization and writing it through the same loaders as the importers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import yaml
from sqlalchemy.orm import Session

from orgburo import access, audit
from orgburo.actors import Actor
from orgburo.bodies import importer as bodies_importer
from orgburo.errors import Invalid
from orgburo.generate.shape import cell_of_each_member, shares, tree_shape
from orgburo.members import importer as members_importer
from orgburo.members.attributes import catalog
from orgburo.tabular import Progress

DEFAULT_MIX = Path(__file__).with_name("default_mix.yaml")
BATCH = 200_000


def read_mix(path: Path | None = None) -> dict[str, Any]:
    """The attribute mix: the defaults, overridden key by key by `path`."""
    mix: dict[str, Any] = yaml.safe_load(DEFAULT_MIX.read_text())
    if path is not None:
        try:
            override = yaml.safe_load(path.read_text())
        except yaml.YAMLError as error:
            raise Invalid.one("mix", f"{path.name} is not valid YAML: {error}") from None
        if not isinstance(override, dict):
            raise Invalid.one("mix", f"{path.name} must map attribute names to mixes")
        unknown = set(override) - set(mix)
        if unknown:
            raise Invalid.one("mix", f"unknown keys {sorted(unknown)}; use {sorted(mix)}")
        mix.update(override)
    return mix


def generate(
    session: Session,
    *,
    members: int,
    bodies: int,
    seed: int,
    actor: Actor,
    mix: dict[str, Any] | None = None,
    progress: Progress | None = None,
) -> tuple[int, int]:
    """Create `bodies` bodies and `members` members; the same seed gives the same data."""
    access.require_admin(actor, "generate an organization")
    if members < 0 or bodies < 3:
        raise Invalid.one(
            "bodies" if bodies < 3 else "members", "need at least 3 bodies and 0 members"
        )
    mix = mix or read_mix()
    rng = np.random.default_rng(seed)
    shape = tree_shape(bodies, rng)
    rows = [
        {
            "code": c,
            "name": f"{lvl.title()} {c}",
            "parent": shape.codes[p] if p >= 0 else None,
            "kind": k,
            "level": lvl,
            "zone": None,
            "opened": mix["joined"]["from"],
        }
        for c, p, k, lvl in zip(shape.codes, shape.parents, shape.kinds, shape.levels, strict=True)
    ]
    created_bodies = bodies_importer.load(session, rows, actor=actor).created
    cells = [shape.codes[i] for i in shape.cells]
    plan = [catalog(session)[n] for n in _attribute_names()]
    result = members_importer.load(
        session, _member_batches(members, cells, mix, rng, progress), plan, actor=actor
    )
    audit.record(
        session,
        actor=actor,
        action="organization.generated",
        target=("seed", seed),
        after={"members": members, "bodies": bodies},
    )
    return created_bodies, result.created


def _attribute_names() -> list[str]:
    return [
        "social_situation",
        "occupation",
        "sex",
        "birth_year",
        "nationality",
        "industry",
        "komsomol",
        "red_army",
        "trade_union",
        "responsible_position",
        "party_schooling",
    ]


def _member_batches(
    members: int,
    cells: list[str],
    mix: dict[str, Any],
    rng: np.random.Generator,
    progress: Progress | None,
) -> Iterator[pa.RecordBatch]:
    where = cell_of_each_member(members, len(cells), rng)
    cell_codes = pa.array(cells)
    for start in range(0, members, BATCH):
        stop = min(start + BATCH, members)
        yield _batch(start, stop, cell_codes.take(pa.array(where[start:stop])), mix, rng)
        if progress:
            progress(stop, members)


def _pick(rng: np.random.Generator, mix: dict[str, float], n: int) -> pa.Array:
    values, p = shares(mix)
    return pa.array(values).take(pa.array(rng.choice(len(values), size=n, p=p)))


def _batch(
    start: int, stop: int, body: pa.Array, mix: dict[str, Any], rng: np.random.Generator
) -> pa.RecordBatch:
    n = stop - start
    born = mix["birth_year"]
    years = np.clip(
        rng.normal(born["mean"], born["sd"], n).round(), born["min"], born["max"]
    ).astype(np.int64)
    first, last = date.fromisoformat(mix["joined"]["from"]), date.fromisoformat(mix["joined"]["to"])
    days = rng.integers(0, (last - first).days + 1, n)
    joined = np.datetime64(first) + days.astype("timedelta64[D]")
    joined_years = joined.astype("datetime64[Y]").astype(np.int64) + 1970
    years = np.minimum(years, joined_years - 14)
    names = _names(rng, mix, n)
    columns: dict[str, pa.Array] = {
        "id": pa.array([f"M{i:09d}" for i in range(start, stop)]),
        "name": names,
        "body": body,
        "status": _pick(rng, mix["status"], n),
        "joined": pa.array(joined.astype(str)),
        "birth_year": pa.array(years.astype(str)),
    }
    for name in ("social_situation", "occupation", "sex", "nationality", "industry"):
        columns[name] = _pick(rng, mix[name], n)
    for name, p in mix["booleans"].items():
        columns[name] = pa.array(np.where(rng.random(n) < p, "true", "false"))
    return pa.RecordBatch.from_pydict(columns)


def _names(rng: np.random.Generator, mix: dict[str, Any], n: int) -> pa.Array:
    given = np.array(mix["given_names"])[rng.integers(0, len(mix["given_names"]), n)]
    family = np.array(mix["family_names"])[rng.integers(0, len(mix["family_names"]), n)]
    return pa.array(np.char.add(np.char.add(given, " "), family))
