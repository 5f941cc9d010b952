"""The member attributes the rules and the census use, and how their values are checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from orgburo.errors import Invalid

SOCIAL_CATEGORIES = ("worker", "peasant", "employee", "other")
STATUSES = ("candidate", "full")
SEXES = ("male", "female")
BOOLEAN_WORDS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}

TEXT, INTEGER, BOOLEAN, CHOICE = "text", "integer", "boolean", "choice"
ATTRIBUTE_TYPES = (TEXT, INTEGER, BOOLEAN, CHOICE)


@dataclass(frozen=True)
class Attribute:
    """A member attribute: its name, type, allowed values, and whether it is tallied."""

    name: str
    type: str
    choices: tuple[str, ...] = ()
    tallied: bool = False
    core: bool = True
    label: str = ""


CORE_ATTRIBUTES: dict[str, Attribute] = {
    a.name: a
    for a in (
        Attribute("social_situation", CHOICE, SOCIAL_CATEGORIES, True, label="Social situation"),
        Attribute("occupation", CHOICE, SOCIAL_CATEGORIES, True, label="Current occupation"),
        Attribute("sex", CHOICE, SEXES, True, label="Sex"),
        Attribute("birth_year", INTEGER, (), True, label="Year of birth"),
        Attribute("nationality", TEXT, (), True, label="Nationality"),
        Attribute("industry", TEXT, (), True, label="Industry"),
        Attribute("workplace", TEXT, (), False, label="Workplace"),
        Attribute("komsomol", BOOLEAN, (), True, label="Komsomol / youth league"),
        Attribute("red_army", BOOLEAN, (), True, label="Army service"),
        Attribute("trade_union", BOOLEAN, (), True, label="Trade-union or factory-committee work"),
        Attribute("responsible_position", BOOLEAN, (), True, label="Holds a responsible post"),
        Attribute("party_schooling", BOOLEAN, (), True, label="Schooled in party courses"),
    )
}
BOOLEAN_ATTRIBUTES = tuple(n for n, a in CORE_ATTRIBUTES.items() if a.type == BOOLEAN)

AttributeValue = str | int | bool | None


def parse_value(attribute: Attribute, raw: str | int | bool | None) -> AttributeValue:
    """The typed value of `raw` for `attribute`; empty means unknown (None)."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    if attribute.type == BOOLEAN:
        return _parse_boolean(attribute.name, raw)
    if attribute.type == INTEGER:
        return _parse_integer(attribute.name, raw)
    text = str(raw).strip()
    if attribute.type == CHOICE and text not in attribute.choices:
        raise Invalid.one(attribute.name, f"{text!r} is not one of {', '.join(attribute.choices)}")
    return text


def _parse_boolean(name: str, raw: str | int | bool) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word not in BOOLEAN_WORDS:
        raise Invalid.one(name, f"{raw!r} is not a yes/no value (true, false, yes, no, 1, 0)")
    return BOOLEAN_WORDS[word]


def _parse_integer(name: str, raw: str | int | bool) -> int:
    if isinstance(raw, bool):
        raise Invalid.one(name, "expected a whole number, got a yes/no value")
    try:
        return int(str(raw).strip())
    except ValueError:
        raise Invalid.one(name, f"{raw!r} is not a whole number") from None


def check_birth_year(birth_year: int | None, today: date) -> None:
    """A birth year is plausible: not in the future and not before 1800."""
    if birth_year is not None and not 1800 <= birth_year <= today.year:
        raise Invalid.one("birth_year", f"{birth_year} is not between 1800 and {today.year}")


def tally_key(value: AttributeValue) -> str:
    """How a value is stored in census tallies: booleans as true/false, unknown as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
