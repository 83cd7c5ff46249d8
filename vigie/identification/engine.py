"""Screening engine: from what a frontline worker observed to a presumption and protective actions.

Pure Python (no Django import) and deterministic, so that the case file, the ``vigie screen``
command and the tests all run the same rules (issue 4, rules 1-5). The result is a *presumption*
that triggers protection; formal identification belongs to the authorities.

Order used when comparing assessments (``ASSESSMENT_RANK``): ``no_indication`` and
``insufficient_information`` share the lowest rank -- both mean "nothing found", they differ only in
whether the whole grid was gone through, which is not a situation nor an indicator -- then
``at_risk``, then ``presumed_victim``.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .wording import (
    ACTION_LABELS,
    ACTION_REASONS,
    ACTION_SOURCES,
    ASSESSMENT_SENTENCES,
    CLOSING,
    DRUG_DEPENDENCE_LABEL,
    ELEMENT_LABELS,
    FOLLOW_UP_SENTENCES,
    FORM_LABELS,
    MINORITY_SENTENCES,
    RULE_SOURCE_KEYS,
    RULE_TEXTS,
    SITUATION_LABELS,
    SOURCES,
    VULNERABILITY_LABELS,
    WHY_PRESUMED,
    Text,
)

if TYPE_CHECKING:
    from vigie.identification.catalogue import Catalogue

LANGS: Final = ("fr", "en")

# Situation vocabulary, in the issue's order, and the form of exploitation each one means.
# The two act situations (recruitment, transport, harbouring: Penal Code art. 225-4-1) have none.
SITUATION_FORMS: Final[dict[str, str | None]] = {
    "prostitution": "sexual_exploitation",
    "online_sexual_exploitation": "online_sexual_exploitation",
    "offences_under_constraint": "forced_criminality",
    "begging": "forced_begging",
    "labour": "forced_labour",
    "domestic_work": "domestic_servitude",
    "forced_marriage": "forced_marriage",
    "sold_or_given_away": "sale_of_child",
    "organ_removal": "organ_removal",
    "moved_by_third_party": None,
    "housed_by_third_party": None,
}

SITUATIONS: Final = tuple(SITUATION_FORMS)

FORMS: Final = tuple(form for form in SITUATION_FORMS.values() if form)

ACT_SITUATIONS: Final = frozenset({"moved_by_third_party", "housed_by_third_party"})

# Rule 2: for a minor these situations are exploitation in themselves (Penal Code 225-4-1 II).
MINOR_VICTIM_SITUATIONS: Final = (
    "prostitution",
    "online_sexual_exploitation",
    "offences_under_constraint",
    "begging",
    "forced_marriage",
    "sold_or_given_away",
    "organ_removal",
)

# Rule 2: work for others needs an act or an exploitation element to become a presumption.
MINOR_WORK_SITUATIONS: Final = ("labour", "domestic_work")

ASSESSMENTS: Final = ("presumed_victim", "at_risk", "insufficient_information", "no_indication")

ASSESSMENT_RANK: Final = {
    "no_indication": 0,
    "insufficient_information": 0,
    "at_risk": 1,
    "presumed_victim": 2,
}

MINOR_STATUSES: Final = ("yes", "presumed", "no")

ACTIONS: Final = (
    "treat_as_minor",
    "appoint_ad_hoc_administrator",
    "safe_accommodation",
    "alert_child_protection",
    "refer_juvenile_judge",
    "access_to_care",
    "non_punishment_review",
    "file_complaint_sexual_offence",
    "addiction_care",
    "report_online_content",
)

INPUT_FIELDS: Final = (
    "age",
    "age_doubt",
    "situations",
    "indicators",
    "unaccompanied",
    "drug_dependence",
    "disability",
    "complete",
)

BOOLEAN_FIELDS: Final = (
    "age_doubt",
    "unaccompanied",
    "drug_dependence",
    "disability",
    "complete",
)

MAJORITY_AGE: Final = 18  # Civil Code art. 388

YOUNG_ADULT_MAX_AGE: Final = 21  # Issue 4 rule 3; Collective 2022 §V (care up to 21)

SEXUAL_MAJORITY_AGE: Final = 15  # Penal Code 222-23-1, 222-29-2 (law of 21 April 2021)

# Beyond a human lifespan an age is a typing error. Adults are screened too (a young adult, a
# mother), so the bound is not the child-protection age range.
MAX_AGE: Final = 120


# --- Public API ---


class ScreeningInputError(ValueError):
    """Invalid screening input; ``str()`` is one line naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class ScreeningInput:
    """Validated input; lists are de-duplicated and in vocabulary / catalogue order."""

    age: int | None = None
    age_doubt: bool = False
    situations: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()
    unaccompanied: bool = False
    drug_dependence: bool = False
    disability: bool = False
    complete: bool = False


@dataclass(frozen=True)
class DimensionResult:
    id: str
    group: str
    means: bool
    label: Text
    indicators: tuple[str, ...]
    strong: int
    medium: int
    weak: int

    @property
    def positive(self) -> bool:
        return dimension_positive(strong=self.strong, medium=self.medium, weak=self.weak)


def screen(data: Mapping[str, Any], *, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """Validate ``data`` (raises ScreeningInputError) and screen it against the catalogue."""
    if catalogue is None:
        from vigie.identification.catalogue import load_catalogue

        catalogue = load_catalogue()
    return screening_result(validate_input(data, catalogue), catalogue)


def screening_result(screening: ScreeningInput, catalogue: Catalogue) -> dict[str, Any]:
    """Rules 1 to 5 applied to a validated input; the output JSON documented by the schema."""
    minor = minor_status(screening)
    dimensions = dimensions_evaluate(screening, catalogue)
    positive = [dimension for dimension in dimensions if dimension.positive]
    assessed = _assess(screening, minor, dimensions)
    assessment = assessed.level or "insufficient_information"
    forms = [form for form in FORMS if form in {SITUATION_FORMS[s] for s in screening.situations}]
    actions = actions_for(screening, minor, assessment)

    rules = [_minority_rule(screening, minor)]
    if positive:
        rules.append(_rule("ilo_dimension_rule", dimensions=_dimension_labels(positive)))
    rules.extend(assessed.rules)
    vulnerable = [name for name in ("unaccompanied", "disability") if getattr(screening, name)]
    if vulnerable:
        rules.append(
            _rule("vulnerability", vulnerabilities=_listing(VULNERABILITY_LABELS, vulnerable))
        )
    rules.extend(_action_rule(action) for action in actions)

    return {
        "assessment": assessment,
        "minor": minor,
        "forms": forms,
        "dimensions": [
            {
                "id": dimension.id,
                "group": dimension.group,
                "means": dimension.means,
                "label": dict(dimension.label),
                "positive": dimension.positive,
                "indicators": list(dimension.indicators),
                "counts": {
                    "strong": dimension.strong,
                    "medium": dimension.medium,
                    "weak": dimension.weak,
                },
            }
            for dimension in dimensions
        ],
        "rules": rules,
        "actions": actions,
        "explanation": _explanation(screening, minor, assessment, forms, positive, actions),
        "catalogue_version": catalogue.version,
    }


# --- Input validation ---


def validate_input(data: object, catalogue: Catalogue) -> ScreeningInput:
    """Check the input against the vocabulary and the catalogue (the JSON Schema says the same
    except that indicator ids are only checked against the catalogue here)."""
    if not isinstance(data, Mapping):
        raise ScreeningInputError("input", "must be a JSON object")
    for key in data:
        if key not in INPUT_FIELDS:
            hint = _suggestion(key, INPUT_FIELDS) if isinstance(key, str) else ""
            raise ScreeningInputError(str(key), f"unknown field{hint}")
    age = data.get("age")
    if isinstance(age, bool) or not isinstance(age, int | float | None):
        raise ScreeningInputError("age", f"must be a whole number of years, got {_shown(age)}")
    if isinstance(age, float):
        # JSON Schema's "integer" accepts 15.0; so do we.
        if not age.is_integer():
            raise ScreeningInputError("age", f"must be a whole number of years, got {age!r}")
        age = int(age)
    if age is not None and not 0 <= age <= MAX_AGE:
        raise ScreeningInputError("age", f"must be between 0 and {MAX_AGE}, got {age}")
    flags = {}
    for field in BOOLEAN_FIELDS:
        value = data.get(field, False)
        if not isinstance(value, bool):
            raise ScreeningInputError(field, f"must be true or false, got {_shown(value)}")
        flags[field] = value
    return ScreeningInput(
        age=age,
        situations=_ids(data, "situations", SITUATIONS, "situation"),
        indicators=_ids(data, "indicators", tuple(catalogue.indicators), "indicator"),
        **flags,
    )


def _ids(data: Mapping[str, Any], field: str, known: tuple[str, ...], kind: str) -> tuple[str, ...]:
    value = data.get(field, [])
    if not isinstance(value, list | tuple):
        raise ScreeningInputError(field, f"must be a list of {kind} ids, got {_shown(value)}")
    present = set()
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ScreeningInputError(f"{field}[{index}]", f"must be a string, got {_shown(item)}")
        if item not in known:
            hint = _suggestion(item, known)
            raise ScreeningInputError(f"{field}[{index}]", f"unknown {kind} {item!r}{hint}")
        present.add(item)
    return tuple(known_id for known_id in known if known_id in present)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggestion(value: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- Rules 1 to 5 ---


def minor_status(screening: ScreeningInput) -> str:
    """Rule 1, presumption of minority: "no" only for a known age of 18 or more not in doubt."""
    if screening.age is None or screening.age_doubt:
        return "presumed"
    return "yes" if screening.age < MAJORITY_AGE else "no"


def dimension_positive(*, strong: int, medium: int, weak: int) -> bool:
    """ILO / EC 2009 rule: two strong, or one strong and one medium or weak, or three medium,
    or two medium and one weak. Weak indicators alone never suffice."""
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


def dimensions_evaluate(
    screening: ScreeningInput, catalogue: Catalogue
) -> tuple[DimensionResult, ...]:
    chosen = [catalogue.indicators[indicator_id] for indicator_id in screening.indicators]
    results = []
    for dimension in catalogue.dimensions.values():
        mine = [indicator for indicator in chosen if indicator.dimension == dimension.id]
        strengths = [indicator.strength for indicator in mine]
        results.append(
            DimensionResult(
                id=dimension.id,
                group=dimension.group,
                means=dimension.means,
                label={lang: dimension.label.get(lang) or dimension.id for lang in LANGS},
                indicators=tuple(indicator.id for indicator in mine),
                strong=strengths.count("strong"),
                medium=strengths.count("medium"),
                weak=strengths.count("weak"),
            )
        )
    return tuple(results)


@dataclass
class _Assessment:
    """The highest level reached by the rules that fired, and those rules in firing order."""

    level: str | None = None
    rules: tuple[dict[str, Any], ...] = ()

    def reach(self, level: str, rule: dict[str, Any]) -> None:
        if self.level is None or ASSESSMENT_RANK[level] > ASSESSMENT_RANK[self.level]:
            self.level = level
        self.rules = (*self.rules, rule)


def _assess(
    screening: ScreeningInput, minor: str, dimensions: tuple[DimensionResult, ...]
) -> _Assessment:
    """Rules 2 to 4."""
    situations = screening.situations
    positive = [dimension for dimension in dimensions if dimension.positive]
    recruitment = any(dimension.group == "recruitment" for dimension in positive)
    exploitation = any(dimension.group == "exploitation" for dimension in positive)
    means = any(dimension.means for dimension in positive)
    act = recruitment or any(situation in ACT_SITUATIONS for situation in situations)
    anything = bool(situations or screening.indicators or screening.drug_dependence)
    result = _Assessment()

    if minor in ("yes", "presumed"):
        # Rule 2 (Penal Code 225-4-1 II): for a minor no means of coercion is required.
        victim = [s for s in situations if s in MINOR_VICTIM_SITUATIONS]
        work = [s for s in situations if s in MINOR_WORK_SITUATIONS]
        if victim:
            result.reach(
                "presumed_victim",
                _rule(
                    "minor_exploitation_situation", situations=_listing(SITUATION_LABELS, victim)
                ),
            )
        if work:
            established = act or exploitation
            result.reach(
                "presumed_victim" if established else "at_risk",
                _rule(
                    "minor_work_with_act_or_exploitation"
                    if established
                    else "minor_work_without_act_or_exploitation",
                    situations=_listing(SITUATION_LABELS, work),
                ),
            )
        if not victim and not work and act and exploitation:
            result.reach("presumed_victim", _rule("minor_act_and_exploitation"))
    elif screening.age is not None and screening.age <= YOUNG_ADULT_MAX_AGE and anything:
        # Rule 3: a young adult needs the three elements of the adult offence (225-4-1 I). The
        # purpose of exploitation is a form of exploitation observed or a positive exploitation
        # dimension.
        purpose = exploitation or any(SITUATION_FORMS[s] for s in situations)
        if act and purpose and means:
            result.reach("presumed_victim", _rule("young_adult_three_elements"))
        else:
            elements = {"act": act, "exploitation": purpose, "means": means}
            found = [ELEMENT_LABELS[name] for name, present in elements.items() if present]
            result.reach(
                "at_risk",
                _rule(
                    "young_adult_missing_elements",
                    found={
                        lang: ", ".join(label[lang] for label in found) or "-" for lang in LANGS
                    },
                ),
            )

    if result.level is None:
        # Rule 4: unaccompanied and disability alone do not change the assessment.
        if anything:
            result.reach("at_risk", _rule("indication_present"))
        elif screening.complete:
            result.reach("no_indication", _rule("no_indication_complete_grid"))
        else:
            result.reach("insufficient_information", _rule("insufficient_information"))
    return result


def actions_for(screening: ScreeningInput, minor: str, assessment: str) -> list[str]:
    """Rule 5, in the issue's order. Child-only actions never go to an adult."""
    is_minor = minor in ("yes", "presumed")
    victim = assessment == "presumed_victim"
    situations = screening.situations
    sexual = "prostitution" in situations or "online_sexual_exploitation" in situations
    due = {
        "treat_as_minor": minor == "presumed",
        "appoint_ad_hoc_administrator": is_minor and screening.unaccompanied,
        # Never a hotel: Collective 2022 §IX.2, CASF L. 221-2-3.
        "safe_accommodation": is_minor and (screening.unaccompanied or victim),
        "alert_child_protection": is_minor and assessment in ("at_risk", "presumed_victim"),
        "refer_juvenile_judge": is_minor and victim,
        "access_to_care": victim,
        "non_punishment_review": "offences_under_constraint" in situations,
        # A stated age under 15 counts even when disputed: the doubt benefits the child.
        "file_complaint_sexual_offence": screening.age is not None
        and screening.age < SEXUAL_MAJORITY_AGE
        and sexual,
        "addiction_care": screening.drug_dependence,
        "report_online_content": "online_sexual_exploitation" in situations,
    }
    return [action for action in ACTIONS if due[action]]


# --- Rule entries and explanation ---


def _minority_rule(screening: ScreeningInput, minor: str) -> dict[str, Any]:
    if minor == "presumed":
        return _rule("presumption_of_minority")
    age = {lang: str(screening.age) for lang in LANGS}
    return _rule("minor_by_stated_age" if minor == "yes" else "adult_by_stated_age", age=age)


def _action_rule(action: str) -> dict[str, Any]:
    entry = _rule("action", action=ACTION_LABELS[action], reason=ACTION_REASONS[action])
    return {**entry, "id": f"action_{action}", "source": _french(ACTION_SOURCES[action])}


def _rule(rule_id: str, **values: Text) -> dict[str, Any]:
    """A rule entry; each placeholder value is given in both languages."""
    fr, en = RULE_TEXTS[rule_id]
    return {
        "id": rule_id,
        "source": _french(SOURCES[RULE_SOURCE_KEYS[rule_id]]),
        "detail": {
            "fr": _french(fr % {key: value["fr"] for key, value in values.items()}),
            "en": en % {key: value["en"] for key, value in values.items()},
        },
    }


def _explanation(
    screening: ScreeningInput,
    minor: str,
    assessment: str,
    forms: list[str],
    positive: list[DimensionResult],
    actions: list[str],
) -> Text:
    """A short plain paragraph per language, for the social worker and the child's file."""
    vulnerabilities = [
        VULNERABILITY_LABELS[name]
        for name in ("unaccompanied", "disability")
        if getattr(screening, name)
    ]
    if screening.drug_dependence:
        vulnerabilities.append(DRUG_DEPENDENCE_LABEL)
    sentences = [
        MINORITY_SENTENCES["unknown" if screening.age is None else minor],
        ASSESSMENT_SENTENCES[assessment],
    ]
    if assessment == "presumed_victim":
        sentences.append(WHY_PRESUMED[minor != "no"])
    if positive:
        sentences.append(FOLLOW_UP_SENTENCES["dimensions"])
    if vulnerabilities:
        sentences.append(FOLLOW_UP_SENTENCES["vulnerabilities"])
    if actions:
        sentences.append(FOLLOW_UP_SENTENCES["actions"])
    sentences.append(CLOSING[assessment in ("presumed_victim", "at_risk")])

    dimensions = _dimension_labels(positive)
    explanation = {}
    for index, lang in enumerate(LANGS):
        listed = ", ".join(FORM_LABELS[form][lang] for form in forms)
        values = {
            "age": str(screening.age),
            "forms": f" ({listed})" if listed else "",
            "dimensions": dimensions[lang],
            "vulnerabilities": ", ".join(label[lang] for label in vulnerabilities),
            "actions": (" ; " if lang == "fr" else "; ").join(
                ACTION_LABELS[action][lang] for action in actions
            ),
        }
        paragraph = " ".join(sentence[index] % values for sentence in sentences)
        explanation[lang] = _french(paragraph) if lang == "fr" else paragraph
    return explanation


def _dimension_labels(dimensions: list[DimensionResult]) -> Text:
    return {
        lang: ", ".join(_lower_first(d.label.get(lang) or d.id) for d in dimensions)
        for lang in LANGS
    }


def _listing(labels: Mapping[str, Text], ids: tuple[str, ...] | list[str]) -> Text:
    return {lang: ", ".join(labels[item][lang] for item in ids) for lang in LANGS}


def _lower_first(text: str) -> str:
    # "Deceptive recruitment" reads better mid-sentence in lower case; acronyms are kept.
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _french(text: str) -> str:
    """French typography: no-break spaces before « : », « ; », « » » and after « « »."""
    spaced = text.replace(" :", "\u00a0:").replace(" ;", "\u202f;")
    return spaced.replace("« ", "«\u00a0").replace(" »", "\u00a0»")
