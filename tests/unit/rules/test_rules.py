"""The rule language: what it accepts, what it refuses and how it explains a verdict."""

from __future__ import annotations

import pytest

from orgburo.core.attributes import CORE_ATTRIBUTES, INTEGER, Attribute
from orgburo.core.rules import And, Compare, Flag, Not, compile_rule
from orgburo.errors import Invalid

CATALOG = {**CORE_ATTRIBUTES, "age": Attribute("age", INTEGER)}
BENCH = 'occupation == "worker" and industry in ["metal", "textile", "mining"] and age >= 18'


def refusal(text: str) -> str:
    with pytest.raises(Invalid) as caught:
        compile_rule(text, CATALOG, field="eligibility")
    (problem,) = caught.value.problems
    assert problem.field == "eligibility"
    return problem.reason


def test_a_rule_is_parsed_into_a_tree_of_plain_conditions() -> None:
    rule = compile_rule(BENCH, CATALOG)
    assert rule.node == And(
        (
            Compare("occupation", "==", "worker"),
            Compare("industry", "in", ("metal", "textile", "mining")),
            Compare("age", ">=", 18),
        )
    )
    assert rule.names == {"occupation", "industry", "age"}


def test_a_value_written_first_is_turned_round() -> None:
    assert compile_rule("18 <= age", CATALOG).node == Compare("age", ">=", 18)


def test_a_chained_comparison_is_both_comparisons() -> None:
    node = compile_rule("18 <= age < 30", CATALOG).node
    assert node == And((Compare("age", ">=", 18), Compare("age", "<", 30)))


def test_a_yes_no_attribute_can_stand_alone_and_be_negated() -> None:
    assert compile_rule("not responsible_position", CATALOG).node == Not(
        Flag("responsible_position")
    )


def test_an_empty_rule_lets_everyone_pass() -> None:
    assert compile_rule("  ", CATALOG).evaluate({}).passed


def test_a_failed_comparison_says_what_the_value_was_and_what_was_wanted() -> None:
    verdict = compile_rule('occupation == "worker"', CATALOG).evaluate({"occupation": "employee"})
    assert not verdict.passed
    assert verdict.reason == "occupation is 'employee', not 'worker'"


def test_every_failed_condition_of_a_conjunction_is_named() -> None:
    verdict = compile_rule(BENCH, CATALOG).evaluate(
        {"occupation": "worker", "industry": "food", "age": 16}
    )
    assert verdict.reasons == (
        "industry is 'food', not one of 'metal', 'textile', 'mining'",
        "age is 16, not at least 18",
    )


def test_a_failed_alternative_names_both_sides() -> None:
    verdict = compile_rule("komsomol or red_army", CATALOG).evaluate(
        {"komsomol": False, "red_army": False}
    )
    assert verdict.reason == "komsomol is false and red_army is false"


def test_a_failed_negation_says_what_was_true() -> None:
    verdict = compile_rule("not responsible_position", CATALOG).evaluate(
        {"responsible_position": True}
    )
    assert verdict.reason == "responsible_position is true"


def test_a_passing_rule_says_why_it_passed() -> None:
    verdict = compile_rule("komsomol or red_army", CATALOG).evaluate(
        {"komsomol": False, "red_army": True}
    )
    assert verdict.passed
    assert verdict.reason == "red_army is true"


def test_an_unknown_value_fails_the_rule_and_is_named() -> None:
    verdict = compile_rule(BENCH, CATALOG).evaluate({"occupation": "worker", "age": 30})
    assert (verdict.passed, verdict.known) == (False, False)
    assert verdict.reason == "industry is unknown"


def test_a_known_failure_outweighs_an_unknown_value() -> None:
    verdict = compile_rule(BENCH, CATALOG).evaluate({"occupation": "peasant", "age": 30})
    assert verdict.known
    assert verdict.reason == "occupation is 'peasant', not 'worker'"


def test_a_known_success_outweighs_an_unknown_value() -> None:
    verdict = compile_rule("komsomol or red_army", CATALOG).evaluate({"red_army": True})
    assert verdict.passed


def test_a_misspelt_attribute_is_refused_with_a_suggestion() -> None:
    assert refusal('ocupation == "worker"') == (
        "column 1: 'ocupation' is not a known attribute; did you mean 'occupation'?"
    )


def test_a_value_outside_the_choices_is_refused() -> None:
    assert "'workr' is not one of worker, peasant, employee, other" in refusal(
        'occupation == "workr"'
    )


def test_a_value_of_the_wrong_type_is_refused() -> None:
    assert (
        refusal('age >= "eighteen"') == "column 8: 'age' holds whole numbers, not 'eighteen' (text)"
    )


def test_a_number_is_not_a_yes_no_value() -> None:
    assert "'komsomol' holds True or False" in refusal("komsomol == 1")


def test_ordering_is_refused_for_text() -> None:
    assert "use == != in not in" in refusal('occupation < "worker"')


def test_a_text_attribute_cannot_stand_alone_as_a_condition() -> None:
    assert "not yes/no" in refusal("occupation")


def test_function_calls_are_refused_and_never_run() -> None:
    assert "a function call is not allowed" in refusal('__import__("os").system("true")')


def test_arithmetic_is_refused() -> None:
    assert refusal("age + 1 > 18") == "column 1: compare one attribute with a value"


def test_attribute_against_attribute_is_refused() -> None:
    assert "compare one attribute with a value" in refusal("komsomol == red_army")


def test_identity_tests_are_refused() -> None:
    assert "only == != < <= > >= in and not in" in refusal("industry is None")


def test_an_empty_list_is_refused() -> None:
    assert "the list after 'in' is empty" in refusal("industry in []")


def test_a_syntax_error_is_reported_against_the_field() -> None:
    assert refusal("age >= 18 and")


def test_a_very_long_rule_is_refused() -> None:
    assert "longer than" in refusal(" or ".join(["komsomol"] * 400))


def test_deep_nesting_is_refused_not_crashed() -> None:
    assert refusal("(" * 500 + "komsomol" + ")" * 500)


def test_declared_attributes_can_be_used_in_rules() -> None:
    catalog = {**CATALOG, "trade": Attribute("trade", "text", core=False)}
    rule = compile_rule('trade in ["fitter", "turner"]', catalog)
    assert rule.evaluate({"trade": "turner"}).passed


def test_each_reason_names_the_attributes_it_concerns() -> None:
    rule = compile_rule(f"({BENCH}) and (komsomol or red_army)", CATALOG)
    verdict = rule.evaluate(
        {"occupation": "employee", "industry": "metal", "age": 30, "komsomol": False}
        | {"red_army": False}
    )
    assert verdict.fields == ("occupation", "komsomol, red_army")


def test_an_unknown_alternative_is_named_beside_the_failed_one() -> None:
    verdict = compile_rule('occupation == "worker" or komsomol', CATALOG).evaluate(
        {"occupation": "employee"}
    )
    assert (verdict.known, verdict.reason) == (
        False,
        "occupation is 'employee', not 'worker' and komsomol is unknown",
    )
