"""Random rules over a small catalog, written as text the way a person would write them."""

from __future__ import annotations

from hypothesis import strategies as st

from orgburo.core.attributes import BOOLEAN, CHOICE, INTEGER, TEXT, Attribute

OCCUPATIONS = ("worker", "peasant", "employee", "other")
INDUSTRIES = ("metal", "textile", "mining", "food", "it's", 'say "hi"', "мясо")
CATALOG = {
    "occupation": Attribute("occupation", CHOICE, OCCUPATIONS),
    "industry": Attribute("industry", TEXT),
    "age": Attribute("age", INTEGER),
    "komsomol": Attribute("komsomol", BOOLEAN),
    "red_army": Attribute("red_army", BOOLEAN),
}
VALUES = {
    "occupation": st.sampled_from(OCCUPATIONS),
    "industry": st.sampled_from(INDUSTRIES),
    "age": st.integers(-3, 70),
    "komsomol": st.booleans(),
    "red_army": st.booleans(),
}
ORDER = ("<", "<=", ">", ">=")
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}


def listed(values: st.SearchStrategy[object]) -> st.SearchStrategy[str]:
    return st.lists(values, min_size=1, max_size=4).map(
        lambda vs: "[" + ", ".join(repr(v) for v in vs) + "]"
    )


@st.composite
def equality(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["occupation", "industry", "age", "komsomol", "red_army"]))
    value = repr(draw(VALUES[name]))
    op = draw(st.sampled_from(["==", "!="]))
    return f"{value} {op} {name}" if draw(st.booleans()) else f"{name} {op} {value}"


@st.composite
def membership(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["occupation", "industry", "age"]))
    op = draw(st.sampled_from(["in", "not in"]))
    return f"{name} {op} {draw(listed(VALUES[name]))}"


@st.composite
def ordering(draw: st.DrawFn) -> str:
    op = draw(st.sampled_from(ORDER))
    bound = draw(st.integers(-5, 70))
    if draw(st.booleans()):
        return f"{bound} {FLIP[op]} age"
    return f"age {op} {bound}"


@st.composite
def chained(draw: st.DrawFn) -> str:
    low, high = sorted(draw(st.lists(st.integers(-5, 70), min_size=2, max_size=2)))
    first, second = draw(st.sampled_from(["<", "<="])), draw(st.sampled_from(["<", "<="]))
    return f"{low} {first} age {second} {high}"


LEAVES = st.one_of(
    st.sampled_from(["komsomol", "red_army", "True", "False"]),
    equality(),
    membership(),
    ordering(),
    chained(),
)


def _combine(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    group = st.lists(children, min_size=2, max_size=3)
    return st.one_of(
        children.map(lambda c: f"not ({c})"),
        group.map(lambda cs: " and ".join(f"({c})" for c in cs)),
        group.map(lambda cs: " or ".join(f"({c})" for c in cs)),
    )


RULES = st.recursive(LEAVES, _combine, max_leaves=8)


@st.composite
def applicants(draw: st.DrawFn, unknown: bool = False) -> dict[str, object]:
    """Values for every name; with `unknown`, some are None."""
    values: dict[str, object] = {n: draw(s) for n, s in VALUES.items()}
    if unknown:
        for name in draw(st.sets(st.sampled_from(sorted(VALUES)))):
            values[name] = None
    return values
