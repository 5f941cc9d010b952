"""The shape of a generated organization: its tree and where its members sit (pure)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TreeShape:
    """Bodies as parallel arrays: code, parent index (-1 for the root), kind and level."""

    codes: list[str]
    parents: np.ndarray
    kinds: list[str]
    levels: list[str]
    cells: np.ndarray  # indices of primary organizations


def tree_shape(bodies: int, rng: np.random.Generator) -> TreeShape:
    """A root, regions, districts and cells: about 0.04%, 5% and 95% of the bodies.

    Districts are spread over regions and cells over districts with Zipf-like weights,
    so a few city organizations are huge and most are small.
    """
    bodies = max(bodies, 3)
    regions = max(1, round(bodies * 0.0004))
    districts = max(1, round(bodies * 0.05)) if bodies > regions + 2 else 1
    cells = max(1, bodies - 1 - regions - districts)
    region_parent = np.zeros(regions, dtype=np.int64)
    district_parent = 1 + _skewed_choice(rng, regions, districts)
    cell_parent = 1 + regions + _skewed_choice(rng, districts, cells)
    parents = np.concatenate([[-1], region_parent, district_parent, cell_parent])
    codes = (
        ["ROOT"]
        + [f"R{i:04d}" for i in range(regions)]
        + [f"D{i:06d}" for i in range(districts)]
        + [f"C{i:07d}" for i in range(cells)]
    )
    kinds = ["committee"] * (1 + regions + districts) + ["primary_organization"] * cells
    levels = ["centre"] + ["region"] * regions + ["district"] * districts + ["cell"] * cells
    first_cell = 1 + regions + districts
    return TreeShape(codes, parents, kinds, levels, np.arange(first_cell, first_cell + cells))


def _skewed_choice(rng: np.random.Generator, options: int, draws: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, options + 1) ** 0.8
    rng.shuffle(weights)
    return rng.choice(options, size=draws, p=weights / weights.sum())


def cell_of_each_member(members: int, cells: int, rng: np.random.Generator) -> np.ndarray:
    """Which cell each member belongs to: lognormal cell sizes, most small, a few huge."""
    sizes = rng.lognormal(mean=0.0, sigma=1.1, size=cells)
    return np.sort(rng.choice(cells, size=members, p=sizes / sizes.sum()))


def shares(mix: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """Values and normalized probabilities of a categorical mix."""
    values = list(mix)
    weights = np.array([float(mix[v]) for v in values])
    return values, weights / weights.sum()
