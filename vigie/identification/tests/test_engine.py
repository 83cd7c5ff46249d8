"""The screening engine on its own: the ILO dimension rule, input validation, and properties that
must hold for every input (identification issue, rules 1-5). No database, no Django."""

import ast
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from vigie.identification import engine
from vigie.identification.catalogue import Catalogue, Dimension, Indicator, load_catalogue
from vigie.identification.engine import (
    ACTIONS,
    ASSESSMENT_RANK,
    SITUATIONS,
    ScreeningInputError,
    dimension_positive,
    screen,
    validate_input,
)

SCHEMA_DIR = Path(engine.__file__).parent / "schema"
INPUT_SCHEMA = json.loads((SCHEMA_DIR / "screening-input.schema.json").read_text())
OUTPUT_SCHEMA = json.loads((SCHEMA_DIR / "screening-output.schema.json").read_text())
INPUT_VALIDATOR = jsonschema.Draft202012Validator(INPUT_SCHEMA)
OUTPUT_VALIDATOR = jsonschema.Draft202012Validator(OUTPUT_SCHEMA)

CHILD_ONLY_ACTIONS = {
    "treat_as_minor",
    "appoint_ad_hoc_administrator",
    "safe_accommodation",
    "alert_child_protection",
    "refer_juvenile_judge",
    "file_complaint_sexual_offence",
}
DIMENSIONS = (
    ("deceptive_recruitment", "recruitment", True),
    ("coercive_recruitment", "recruitment", True),
    ("recruitment_abuse_of_vulnerability", "recruitment", True),
    ("exploitative_conditions", "exploitation", False),
    ("coercion_at_destination", "exploitation", True),
    ("abuse_of_vulnerability_at_destination", "exploitation", True),
)
PER_STRENGTH = {"strong": 2, "medium": 3, "weak": 4}


def handmade_catalogue() -> Catalogue:
    """Six dimensions, each with 2 strong, 3 medium and 4 weak indicators named
    ``test.<dimension>.<strength>_<n>``: the rules are tested apart from the real catalogue."""
    dimensions = {
        id_: Dimension(id=id_, group=group, means=means, label={"fr": id_, "en": id_})
        for id_, group, means in DIMENSIONS
    }
    indicators = {}
    for dimension in dimensions:
        for strength, count in PER_STRENGTH.items():
            for n in range(1, count + 1):
                id_ = f"test.{dimension}.{strength}_{n}"
                indicators[id_] = Indicator(
                    id=id_,
                    list="test",
                    dimension=dimension,
                    strength=strength,
                    label={"fr": id_, "en": id_},
                    help={"fr": "", "en": ""},
                    source="test",
                    reference="",
                    wording="",
                    note="",
                )
    return Catalogue(
        version="test-1",
        sources={"test": "hand-built"},
        dimensions=dimensions,
        indicators=indicators,
    )


HANDMADE = handmade_catalogue()
REAL = load_catalogue()


def picked(dimension: str, strong: int = 0, medium: int = 0, weak: int = 0) -> list[str]:
    """Ids of the first ``strong`` strong, ``medium`` medium and ``weak`` weak indicators."""
    counts = {"strong": strong, "medium": medium, "weak": weak}
    return [f"test.{dimension}.{s}_{n}" for s, count in counts.items() for n in range(1, count + 1)]


def run(**data):
    return screen(data, catalogue=HANDMADE)


# --- The ILO dimension rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("strong", "medium", "weak", "positive"),
    [
        (2, 0, 0, True),  # two strong
        (1, 1, 0, True),  # one strong and one medium
        (1, 0, 1, True),  # one strong and one weak
        (0, 3, 0, True),  # three medium
        (0, 2, 1, True),  # two medium and one weak
        (0, 0, 0, False),
        (1, 0, 0, False),  # one strong alone
        (0, 2, 0, False),
        (0, 1, 1, False),
        (0, 1, 4, False),  # one medium and any number of weak
        (0, 0, 4, False),  # weak alone never suffice
    ],
)
def test_dimension_rule(strong, medium, weak, positive):
    assert dimension_positive(strong=strong, medium=medium, weak=weak) is positive
    result = run(indicators=picked("exploitative_conditions", strong, medium, weak), complete=True)
    (dimension,) = [d for d in result["dimensions"] if d["id"] == "exploitative_conditions"]
    assert dimension["positive"] is positive
    assert dimension["counts"] == {"strong": strong, "medium": medium, "weak": weak}
    assert dimension["indicators"] == picked("exploitative_conditions", strong, medium, weak)
    assert ("ilo_dimension_rule" in [rule["id"] for rule in result["rules"]]) is positive


@given(st.integers(0, 20))
def test_weak_indicators_alone_never_make_a_dimension(weak):
    assert not dimension_positive(strong=0, medium=0, weak=weak)


@given(
    st.tuples(st.integers(0, 5), st.integers(0, 5), st.integers(0, 5)),
    st.sampled_from(["strong", "medium", "weak"]),
)
def test_one_more_indicator_never_makes_a_dimension_negative(counts, strength):
    strong, medium, weak = counts
    more = {"strong": strong, "medium": medium, "weak": weak}
    more[strength] += 1
    if dimension_positive(strong=strong, medium=medium, weak=weak):
        assert dimension_positive(**more)


def test_dimensions_come_in_catalogue_order_each_listing_only_its_own_indicators():
    chosen = picked("coercion_at_destination", strong=1) + picked("deceptive_recruitment", weak=1)
    result = run(indicators=list(reversed(chosen)))
    assert [d["id"] for d in result["dimensions"]] == [id_ for id_, _, _ in DIMENSIONS]
    by_id = {d["id"]: d["indicators"] for d in result["dimensions"]}
    assert by_id["coercion_at_destination"] == picked("coercion_at_destination", strong=1)
    assert by_id["deceptive_recruitment"] == picked("deceptive_recruitment", weak=1)
    assert by_id["exploitative_conditions"] == []


# --- Rules 1 to 5 at their edges --------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "doubt", "minor"),
    [
        (None, False, "presumed"),
        (None, True, "presumed"),
        (17, False, "yes"),
        (17, True, "presumed"),
        (18, False, "no"),
        (18, True, "presumed"),
        (40, True, "presumed"),
        (0, False, "yes"),
    ],
)
def test_presumption_of_minority(age, doubt, minor):
    result = run(age=age, age_doubt=doubt)
    assert result["minor"] == minor
    assert ("treat_as_minor" in result["actions"]) is (minor == "presumed")


@pytest.mark.parametrize(
    ("age", "assessment"),
    [(17, "presumed_victim"), (18, "at_risk"), (21, "at_risk"), (22, "at_risk")],
)
def test_a_form_without_means_is_enough_only_for_a_minor(age, assessment):
    assert run(age=age, situations=["begging", "moved_by_third_party"])["assessment"] == assessment


@pytest.mark.parametrize(
    ("age", "assessment"), [(18, "presumed_victim"), (21, "presumed_victim"), (22, "at_risk")]
)
def test_young_adults_need_act_exploitation_and_means(age, assessment):
    means = picked("coercion_at_destination", strong=2)
    data = {"age": age, "situations": ["labour", "moved_by_third_party"], "indicators": means}
    assert run(**data)["assessment"] == assessment
    # Without the means element the young adult is only at risk.
    assert run(age=age, situations=["labour", "moved_by_third_party"])["assessment"] == "at_risk"


def test_for_a_young_adult_deceptive_recruitment_is_both_act_and_means():
    result = run(
        age=20, situations=["prostitution"], indicators=picked("deceptive_recruitment", strong=2)
    )
    assert result["assessment"] == "presumed_victim"
    assert result["actions"] == ["access_to_care"]


def test_for_a_young_adult_exploitative_conditions_are_not_a_means():
    conditions = picked("exploitative_conditions", strong=2)
    result = run(age=19, situations=["labour", "housed_by_third_party"], indicators=conditions)
    assert result["assessment"] == "at_risk"
    (rule,) = [rule for rule in result["rules"] if rule["id"] == "young_adult_missing_elements"]
    assert rule["detail"]["en"].endswith("established: act, exploitation.")


@pytest.mark.parametrize(
    ("data", "assessment"),
    [
        ({"situations": ["labour"]}, "at_risk"),
        ({"situations": ["domestic_work", "housed_by_third_party"]}, "presumed_victim"),
        (
            {"situations": ["labour"], "indicators": picked("coercive_recruitment", strong=2)},
            "presumed_victim",
        ),
        (
            {"situations": ["labour"], "indicators": picked("exploitative_conditions", medium=3)},
            "presumed_victim",
        ),
        (
            {"situations": ["labour"], "indicators": picked("exploitative_conditions", medium=2)},
            "at_risk",
        ),
        ({"situations": ["moved_by_third_party"]}, "at_risk"),
        (
            {
                "situations": ["moved_by_third_party"],
                "indicators": picked("coercion_at_destination", 1, 1),
            },
            "presumed_victim",
        ),
        (
            {
                "indicators": picked("recruitment_abuse_of_vulnerability", 0, 2, 1)
                + picked("abuse_of_vulnerability_at_destination", 2)
            },
            "presumed_victim",
        ),
        ({"indicators": picked("deceptive_recruitment", 2)}, "at_risk"),
        ({"indicators": picked("deceptive_recruitment", weak=4)}, "at_risk"),
        ({"drug_dependence": True}, "at_risk"),
        ({"unaccompanied": True, "disability": True}, "insufficient_information"),
        ({"unaccompanied": True, "disability": True, "complete": True}, "no_indication"),
    ],
)
def test_minor_rules(data, assessment):
    assert run(age=15, **data)["assessment"] == assessment


@pytest.mark.parametrize(
    ("age", "doubt", "complaint"),
    [
        (14, False, True),
        (14, True, True),
        (0, False, True),
        (15, False, False),
        (None, True, False),
    ],
)
def test_sexual_offence_complaint_follows_the_stated_age_even_in_doubt(age, doubt, complaint):
    for situation in ("prostitution", "online_sexual_exploitation"):
        result = run(age=age, age_doubt=doubt, situations=[situation])
        assert ("file_complaint_sexual_offence" in result["actions"]) is complaint
    assert "file_complaint_sexual_offence" not in run(age=age, situations=["begging"])["actions"]


def test_adult_actions_are_never_child_only():
    data = {
        "age": 30,
        "situations": ["offences_under_constraint", "online_sexual_exploitation"],
        "unaccompanied": True,
        "drug_dependence": True,
    }
    assert run(**data)["actions"] == [
        "non_punishment_review",
        "addiction_care",
        "report_online_content",
    ]


def test_explanation_says_presumption_and_not_formal_identification():
    result = run(age=16, situations=["prostitution"])
    assert "présomption" in result["explanation"]["fr"]
    assert "identification formelle" in result["explanation"]["fr"]
    assert "presumption" in result["explanation"]["en"]
    assert "not a formal identification" in result["explanation"]["en"]
    assert "exploitation sexuelle" in result["explanation"]["fr"]
    assert "juvenile judge" in result["explanation"]["en"]


def test_every_rule_entry_names_its_source():
    result = run(
        age=14,
        situations=list(SITUATIONS),
        unaccompanied=True,
        disability=True,
        drug_dependence=True,
    )
    assert result["actions"] == [a for a in ACTIONS if a != "treat_as_minor"]
    for rule in result["rules"]:
        assert rule["source"].strip()
        assert rule["detail"]["fr"].strip() and rule["detail"]["en"].strip()
    assert {f"action_{a}" for a in result["actions"]} <= {rule["id"] for rule in result["rules"]}


def test_the_engine_imports_no_django():
    tree = ast.parse(Path(engine.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported, "the walk found no import at all"
    assert not {name for name in imported if name.split(".")[0] == "django"}
    assert {name for name in imported if name.startswith("vigie")} == {
        "vigie.identification.catalogue"
    }


# --- Input validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"situations": ["prostitution", "labour", "begin"]},
            "situations[2]: unknown situation 'begin'",
        ),
        ({"situations": "prostitution"}, "situations: must be a list"),
        ({"situations": [3]}, "situations[0]: must be a string, got 3"),
        (
            {"indicators": ["test.nowhere.strong_1"]},
            "indicators[0]: unknown indicator 'test.nowhere.strong_1'",
        ),
        ({"indicators": [None]}, "indicators[0]: must be a string"),
        ({"age": True}, "age: must be a whole number of years, got True"),
        ({"age": "15"}, "age: must be a whole number of years, got '15'"),
        ({"age": 15.5}, "age: must be a whole number of years, got 15.5"),
        ({"age": -1}, "age: must be between 0 and 120, got -1"),
        ({"age": 999}, "age: must be between 0 and 120, got 999"),
        ({"age_doubt": "yes"}, "age_doubt: must be true or false, got 'yes'"),
        ({"unaccompanied": None}, "unaccompanied: must be true or false, got None"),
        ({"complete": 1}, "complete: must be true or false, got 1"),
        ({"drug_dependence": 0}, "drug_dependence: must be true or false, got 0"),
        ({"disability": []}, "disability: must be true or false, got []"),
        ({"agee": 12}, "agee: unknown field; did you mean 'age'?"),
        ({"name": "Amina"}, "name: unknown field"),
    ],
)
def test_invalid_input_names_the_field_in_one_line(data, message):
    with pytest.raises(ScreeningInputError) as caught:
        validate_input(data, HANDMADE)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(caught.value.field + ": ")
    assert isinstance(caught.value, ValueError)
    # Only the engine knows which well-formed indicator ids exist in the catalogue.
    assert INPUT_VALIDATOR.is_valid(data) is ("unknown indicator" in message)


def test_a_typo_in_a_situation_gets_a_suggestion():
    with pytest.raises(ScreeningInputError, match=r"did you mean 'begging'\?$"):
        validate_input({"situations": ["beging"]}, HANDMADE)


@pytest.mark.parametrize("data", [[], "prostitution", None, 3])
def test_the_input_must_be_an_object(data):
    with pytest.raises(ScreeningInputError, match=r"^input: must be a JSON object$"):
        validate_input(data, HANDMADE)


def test_a_long_wrong_value_is_shortened_in_the_message():
    with pytest.raises(ScreeningInputError) as caught:
        validate_input({"age": "x" * 500}, HANDMADE)
    assert len(str(caught.value)) < 120


def test_accepted_inputs_are_normalised():
    screening = validate_input(
        {
            "age": 15.0,
            "situations": ["labour", "begging", "labour"],
            "indicators": picked("coercion_at_destination", 1) * 2,
        },
        HANDMADE,
    )
    assert screening.age == 15 and isinstance(screening.age, int)
    assert screening.situations == ("begging", "labour")
    assert screening.indicators == tuple(picked("coercion_at_destination", 1))
    assert validate_input({}, HANDMADE) == validate_input(
        {"age": None, "situations": [], "complete": False}, HANDMADE
    )


def test_input_schema_vocabulary_is_the_engines():
    properties = INPUT_SCHEMA["properties"]
    assert tuple(properties) == engine.INPUT_FIELDS
    assert tuple(properties["situations"]["items"]["enum"]) == SITUATIONS
    assert properties["age"]["maximum"] == engine.MAX_AGE


def test_every_real_indicator_id_fits_the_input_schema():
    for indicator_id in REAL.indicators:
        assert INPUT_VALIDATOR.is_valid({"indicators": [indicator_id]}), indicator_id


def test_output_schema_vocabulary_is_the_engines():
    properties = OUTPUT_SCHEMA["properties"]
    assert tuple(properties["assessment"]["enum"]) == engine.ASSESSMENTS
    assert tuple(properties["minor"]["enum"]) == engine.MINOR_STATUSES
    assert tuple(properties["forms"]["items"]["enum"]) == engine.FORMS
    assert tuple(OUTPUT_SCHEMA["$defs"]["action"]["enum"]) == ACTIONS
    rule_ids = properties["rules"]["items"]["properties"]["id"]["anyOf"][0]["enum"]
    assert set(rule_ids) == set(engine.RULE_TEXTS) - {"action"}


# --- Properties ---------------------------------------------------------------------------

AGES = (
    st.none()
    | st.sampled_from([0, 6, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 30])
    | st.integers(0, 120)
)


def screenings(catalogue: Catalogue):
    return st.fixed_dictionaries(
        {},
        optional={
            "age": AGES,
            "age_doubt": st.booleans(),
            "situations": st.lists(st.sampled_from(SITUATIONS), max_size=5),
            "indicators": st.lists(st.sampled_from(sorted(catalogue.indicators)), max_size=10),
            "unaccompanied": st.booleans(),
            "drug_dependence": st.booleans(),
            "disability": st.booleans(),
            "complete": st.booleans(),
        },
    )


CATALOGUES = st.sampled_from([HANDMADE, REAL])
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.data(), CATALOGUES)
def test_adding_a_situation_or_an_indicator_never_lowers_the_assessment(data, catalogue):
    before = data.draw(screenings(catalogue))
    situations = data.draw(st.lists(st.sampled_from(SITUATIONS), max_size=3))
    indicators = data.draw(st.lists(st.sampled_from(sorted(catalogue.indicators)), max_size=8))
    assume(situations or indicators)
    after = {
        **before,
        "situations": [*before.get("situations", []), *situations],
        "indicators": [*before.get("indicators", []), *indicators],
    }
    rank_before = ASSESSMENT_RANK[screen(before, catalogue=catalogue)["assessment"]]
    rank_after = ASSESSMENT_RANK[screen(after, catalogue=catalogue)["assessment"]]
    assert rank_after >= rank_before
    # Something added is always something found.
    assert rank_after >= ASSESSMENT_RANK["at_risk"]


@PROPERTY
@given(st.data(), CATALOGUES)
def test_doubt_never_yields_minor_no(data, catalogue):
    screening = {**data.draw(screenings(catalogue)), "age_doubt": True}
    assert screen(screening, catalogue=catalogue)["minor"] == "presumed"
    unknown_age = {
        key: value for key, value in data.draw(screenings(catalogue)).items() if key != "age"
    }
    assert screen(unknown_age, catalogue=catalogue)["minor"] != "no"


@PROPERTY
@given(st.data(), CATALOGUES)
def test_identical_input_gives_identical_output_whatever_the_list_order(data, catalogue):
    screening = data.draw(screenings(catalogue))
    shuffled = {
        key: data.draw(st.permutations(value)) if isinstance(value, list) else value
        for key, value in reversed(list(screening.items()))
    }
    first = json.dumps(screen(screening, catalogue=catalogue), sort_keys=False, ensure_ascii=False)
    assert (
        json.dumps(screen(screening, catalogue=catalogue), sort_keys=False, ensure_ascii=False)
        == first
    )
    assert (
        json.dumps(screen(shuffled, catalogue=catalogue), sort_keys=False, ensure_ascii=False)
        == first
    )


@PROPERTY
@given(st.data(), CATALOGUES)
def test_output_always_validates_and_keeps_its_orders(data, catalogue):
    screening = data.draw(screenings(catalogue))
    assert INPUT_VALIDATOR.is_valid(screening)
    result = screen(screening, catalogue=catalogue)
    OUTPUT_VALIDATOR.validate(result)
    assert list(result) == [
        "assessment",
        "minor",
        "forms",
        "dimensions",
        "rules",
        "actions",
        "explanation",
        "catalogue_version",
    ]
    assert result["actions"] == [a for a in ACTIONS if a in result["actions"]]
    assert result["forms"] == [f for f in engine.FORMS if f in result["forms"]]
    assert [d["id"] for d in result["dimensions"]] == list(catalogue.dimensions)
    if result["minor"] == "no":
        assert not CHILD_ONLY_ACTIONS & set(result["actions"])
    assert "identification formelle" in result["explanation"]["fr"]
    assert "formal identification" in result["explanation"]["en"]


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 200),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-5, max_value=200),
    st.text(max_size=5),
    st.lists(st.integers(0, 3), max_size=2),
)


@PROPERTY
@given(st.data())
def test_the_engine_accepts_exactly_what_the_input_schema_accepts(data):
    # Indicator ids are drawn from the catalogue or are malformed, since only the engine
    # knows which well-formed ids exist.
    indicator = (
        st.sampled_from(sorted(HANDMADE.indicators))
        | st.sampled_from(["", "Test.X", "a b", "x."])
        | JUNK
    )
    field = {
        "age": AGES | JUNK,
        "age_doubt": st.booleans() | JUNK,
        "situations": st.lists(st.sampled_from(SITUATIONS) | JUNK, max_size=3) | JUNK,
        "indicators": st.lists(indicator, max_size=3) | JUNK,
        "unaccompanied": st.booleans() | JUNK,
        "drug_dependence": st.booleans() | JUNK,
        "disability": st.booleans() | JUNK,
        "complete": st.booleans() | JUNK,
        "comment": JUNK,
    }
    screening = data.draw(st.fixed_dictionaries({}, optional=field))
    try:
        validate_input(screening, HANDMADE)
    except ScreeningInputError:
        accepted = False
    else:
        accepted = True
    assert accepted is INPUT_VALIDATOR.is_valid(screening)


@PROPERTY
@given(st.data(), CATALOGUES)
def test_complete_only_tells_the_two_lowest_apart(data, catalogue):
    # no_indication and insufficient_information share the lowest rank: both mean nothing was
    # found; `complete` (not a situation nor an indicator) only says whether the grid was finished.
    screening = data.draw(screenings(catalogue))
    finished = screen({**screening, "complete": True}, catalogue=catalogue)
    unfinished = screen({**screening, "complete": False}, catalogue=catalogue)
    lowest = {"no_indication", "insufficient_information"}
    if finished["assessment"] in lowest:
        assert (finished["assessment"], unfinished["assessment"]) == (
            "no_indication",
            "insufficient_information",
        )
    else:
        assert finished["assessment"] == unfinished["assessment"]
    assert finished["actions"] == unfinished["actions"]
    assert ASSESSMENT_RANK["no_indication"] == ASSESSMENT_RANK["insufficient_information"]
