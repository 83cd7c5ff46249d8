"""The rights catalogue: the bundled file is complete, and a broken one is refused by name."""

import copy
import functools
from typing import Any

import pytest
import yaml

from vigie.cases.models import CaseStatus, ExploitationForm
from vigie.identification.engine import ACTIONS
from vigie.rights.catalogue import (
    AUTOMATIC_RULES,
    CASE_STATUSES,
    DEFAULT_PATH,
    FLAGS,
    CatalogueError,
    load_catalogue,
    parse_catalogue,
)
from vigie.rights.labels import AUTOMATIC_REASON_LABELS
from vigie.rights.plan import AUTOMATIC_REASONS, AUTOMATIC_TESTS, FLAG_TESTS

# The rights the issue asks for, at least (issue 5, "The rights plan"), plus the three that give
# every identification action a right of its own.
REQUIRED_RIGHTS = {
    "ad_hoc_administrator",
    "safe_accommodation",
    "health_care",
    "psychological_care",
    "addiction_care",
    "schooling_or_training",
    "identity_documents",
    "bank_account",
    "lawyer_and_complaint",
    "non_punishment",
    "compensation_claim",
    "residence_permit",
    "transition_to_adulthood",
    "age_dispute_follow_up",
    "child_protection_alert",
    "juvenile_judge_referral",
    "online_content_removal",
}

ACTION_RIGHTS = {
    "treat_as_minor": ("age_dispute_follow_up",),
    "appoint_ad_hoc_administrator": ("ad_hoc_administrator",),
    "safe_accommodation": ("safe_accommodation",),
    "alert_child_protection": ("child_protection_alert",),
    "refer_juvenile_judge": ("juvenile_judge_referral",),
    "access_to_care": ("health_care", "psychological_care"),
    "non_punishment_review": ("non_punishment",),
    "file_complaint_sexual_offence": ("lawyer_and_complaint",),
    "addiction_care": ("addiction_care",),
    "report_online_content": ("online_content_removal",),
}


@functools.cache
def _bundled_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _raw() -> dict[str, Any]:
    return copy.deepcopy(_bundled_data())


def _right(data: dict[str, Any], right_id: str) -> dict[str, Any]:
    return next(item for item in data["rights"] if item["id"] == right_id)


# --- the bundled catalogue --------------------------------------------------------------------


def test_the_bundled_catalogue_holds_every_required_right():
    catalogue = load_catalogue()
    assert catalogue.version == "2026.1"
    assert set(catalogue.rights) >= REQUIRED_RIGHTS


def test_every_identification_action_opens_its_matching_rights():
    catalogue = load_catalogue()
    assert set(ACTION_RIGHTS) == set(ACTIONS)
    for action, right_ids in ACTION_RIGHTS.items():
        assert catalogue.rights_for_action(action) == right_ids, action


def test_every_right_cites_its_law_and_a_seed_paragraph_in_both_languages():
    catalogue = load_catalogue()
    for right in catalogue.rights.values():
        assert right.legal_basis.strip()
        assert right.seed.source in catalogue.sources
        assert right.seed.paragraph.startswith(("§", "«"))
        for texts in (right.label, right.help, right.evidence, right.deadline_basis):
            assert set(texts) == {"fr", "en"}


def test_the_vocabularies_match_the_case_file_and_the_plan():
    assert set(CASE_STATUSES) == set(CaseStatus.values)
    assert set(FLAG_TESTS) == set(FLAGS)
    assert set(AUTOMATIC_TESTS) == set(AUTOMATIC_RULES)
    assert set(AUTOMATIC_REASON_LABELS) == set(AUTOMATIC_REASONS)
    forms = {f for r in load_catalogue().rights.values() for f in _forms(r.applies_when)}
    assert forms <= set(ExploitationForm.values)


def _forms(condition) -> set[str]:
    found = set(getattr(condition, "forms", ()))
    for item in getattr(condition, "items", ()):
        found |= _forms(item)
    return found


def test_the_bundled_catalogue_is_loaded_once():
    assert load_catalogue() is load_catalogue()
    assert load_catalogue(DEFAULT_PATH) is load_catalogue()


# --- broken catalogues ------------------------------------------------------------------------


def _set(path: str, value: Any):
    """A mutation of the ad hoc administrator's entry: ``path`` is dotted keys."""

    def mutate(data: dict[str, Any]) -> None:
        target = _right(data, "ad_hoc_administrator")
        *parents, last = path.split(".")
        for key in parents:
            target = target[key]
        target[last] = value

    return mutate


def _delete(key: str):
    def mutate(data: dict[str, Any]) -> None:
        del _right(data, "ad_hoc_administrator")[key]

    return mutate


def _root(key: str, value: Any):
    def mutate(data: dict[str, Any]) -> None:
        data[key] = value

    return mutate


def _duplicate(data: dict[str, Any]) -> None:
    data["rights"].append(copy.deepcopy(_right(data, "ad_hoc_administrator")))


def _drop_action(data: dict[str, Any]) -> None:
    _right(data, "online_content_removal")["opened_by_actions"] = []


BROKEN = [
    ("missing-key", _delete("deadline"), "right 'ad_hoc_administrator': key 'deadline': missing"),
    (
        "unknown-key",
        _set("priority", 1),
        "right 'ad_hoc_administrator': key 'priority': unknown key",
    ),
    ("one-language", _set("label", {"fr": "Administrateur"}), "key 'label.en': missing"),
    ("empty-text", _set("help.en", "  "), "key 'help.en': must be a non-empty string"),
    ("bad-id", _set("id", "Ad-Hoc"), "right 'Ad-Hoc': key 'id': must be lowercase"),
    ("duplicate", _duplicate, "right 'ad_hoc_administrator': key 'id': duplicate id"),
    (
        "unknown-condition",
        _set("applies_when", {"all": ["minor", "orphan"]}),
        "key 'applies_when.all[1]': unknown condition 'orphan'",
    ),
    (
        "two-keys-condition",
        _set("applies_when", {"all": ["minor"], "any": ["unaccompanied"]}),
        "key 'applies_when': a condition must be a name or a mapping with exactly one key",
    ),
    (
        "empty-all",
        _set("applies_when", {"all": []}),
        "key 'applies_when.all': must be a non-empty list of conditions",
    ),
    (
        "unknown-form",
        _set("applies_when", {"forms_any": ["pickpocketing"]}),
        "key 'applies_when.forms_any[0]': unknown value 'pickpocketing'",
    ),
    (
        "unknown-status",
        _set("applies_when", {"status_in": ["archived"]}),
        "key 'applies_when.status_in[0]': unknown value 'archived'",
    ),
    (
        "absurd-age",
        _set("applies_when", {"age_at_least": 180}),
        "key 'applies_when.age_at_least': must be a whole number from 0 to 25, got 180",
    ),
    (
        "boolean-days",
        _set("deadline", {"days": True}),
        "key 'deadline.days': must be a whole number from 0 to 3660, got True",
    ),
    (
        "negative-days",
        _set("deadline", {"days": -3}),
        "key 'deadline.days': must be a whole number",
    ),
    (
        "unknown-anchor",
        _set("deadline", {"days": 3, "from": "birth"}),
        "key 'deadline.from': unknown value 'birth'",
    ),
    (
        "birthday-two-offsets",
        _set("deadline", {"birthday": 18, "days_before": 3, "days_after": 2}),
        "a birthday deadline takes at most one of days_before or days_after",
    ),
    (
        "unknown-deadline",
        _set("deadline", {"weeks": 2}),
        "key 'deadline.weeks': unknown deadline",
    ),
    (
        "lonely-earliest",
        _set("deadline", {"earliest_of": [{"days": 3}]}),
        "key 'deadline.earliest_of': must be a list of at least two deadlines",
    ),
    (
        "nested-deadline",
        _set("deadline", {"first_of": [{"days": 3}, {"civi": {"days": 2}}]}),
        "key 'deadline.first_of[1].civi': must be {days_before: N}",
    ),
    (
        "unknown-action",
        _set("opened_by_actions", ["appoint_guardian"]),
        "key 'opened_by_actions[0]': unknown value 'appoint_guardian'",
    ),
    (
        "twice-the-same-action",
        _set("opened_by_actions", ["appoint_ad_hoc_administrator"] * 2),
        "key 'opened_by_actions[1]': 'appoint_ad_hoc_administrator' is listed twice",
    ),
    (
        "unknown-automatic",
        _set("automatic", ["hotel_detector"]),
        "key 'automatic[0]': unknown value 'hotel_detector'",
    ),
    (
        "unknown-source",
        _set("seed.source", "wikipedia"),
        "key 'seed.source': unknown source 'wikipedia'",
    ),
    (
        "action-without-right",
        _drop_action,
        "no right is opened by the identification action(s) report_online_content",
    ),
    ("long-version", _root("version", "2026.1-" + "x" * 30), "key 'version': at most 20"),
    ("no-rights", _root("rights", []), "catalogue: key 'rights': must be a non-empty list"),
]


@pytest.mark.parametrize(
    ("mutate", "message"), [pytest.param(m, msg, id=i) for i, m, msg in BROKEN]
)
def test_a_broken_catalogue_is_refused_with_the_right_and_key_named(mutate, message):
    data = _raw()
    mutate(data)
    with pytest.raises(CatalogueError) as raised:
        parse_catalogue(data)
    assert message in str(raised.value)


def test_the_unmodified_copy_is_accepted():
    # The control for the test above: the mutations, not the copying, break the catalogue.
    assert parse_catalogue(_raw()).rights.keys() == load_catalogue().rights.keys()


def test_a_file_that_is_not_yaml_or_not_safe_is_refused(tmp_path):
    broken = tmp_path / "rights.yaml"
    broken.write_text("version: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(broken)
    # The safe loader builds no Python object from a tag.
    broken.write_text("version: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(broken)
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "missing.yaml")
