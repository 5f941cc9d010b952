"""Rules against Python's own evaluation of the same text, on random rules and applicants."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orgburo.core.rules import Rule, compile_rule, render

from .strategies import CATALOG, RULES, VALUES, applicants


def python_says(text: str, values: dict[str, Any]) -> bool:
    return bool(eval(text, {"__builtins__": {}}, dict(values)))  # the oracle


@given(RULES, applicants())
def test_a_rule_passes_exactly_when_python_says_its_text_is_true(
    text: str, values: dict[str, Any]
) -> None:
    verdict = compile_rule(text, CATALOG).evaluate(values)
    assert verdict.known
    assert verdict.passed == python_says(text, values)


@given(RULES, applicants(unknown=True), st.data())
def test_a_verdict_reached_despite_unknown_values_holds_whatever_they_are(
    text: str, values: dict[str, Any], data: st.DataObject
) -> None:
    verdict = compile_rule(text, CATALOG).evaluate(values)
    completed = {n: data.draw(VALUES[n]) if v is None else v for n, v in values.items()}
    if verdict.known:
        assert verdict.passed == python_says(text, completed)
    else:
        assert not verdict.passed


@given(RULES, applicants(unknown=True))
def test_an_unknown_verdict_names_a_missing_value(text: str, values: dict[str, Any]) -> None:
    verdict = compile_rule(text, CATALOG).evaluate(values)
    if not verdict.known:
        missing = {n for n, v in values.items() if v is None}
        assert all(any(f"{n} is unknown" in r for n in missing) for r in verdict.reasons)


@given(RULES, applicants())
def test_a_failed_rule_names_the_attributes_that_failed_it(
    text: str, values: dict[str, Any]
) -> None:
    rule = compile_rule(text, CATALOG)
    verdict = rule.evaluate(values)
    if not verdict.passed:
        assert verdict.reasons
        assert all(any(n in r for n in rule.names) or "always" in r for r in verdict.reasons)


@given(RULES)
def test_canonical_text_compiles_back_to_the_same_rule(text: str) -> None:
    rule = compile_rule(text, CATALOG)
    again: Rule = compile_rule(str(rule), CATALOG)
    assert again.node == rule.node
    assert render(again.node) == str(rule)


@given(RULES, applicants())
def test_canonical_text_means_what_the_written_text_means(
    text: str, values: dict[str, Any]
) -> None:
    canonical = str(compile_rule(text, CATALOG))
    assert python_says(canonical, values) == python_says(text, values)
