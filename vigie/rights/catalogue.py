"""The rights catalogue: load and validate the versioned YAML file.

Pure Python, no Django import, like the indicator catalogue (vigie/identification/catalogue.py):
the pure plan evaluation (plan.py) and the tests use it without settings. The data lives in
``catalogue/rights.yaml``. Every rule the plan relies on is checked here -- the vocabulary of
conditions, deadlines and automatic states, both languages everywhere, known identification
actions, each of which must open at least one right -- so that a broken file stops start-up with
a message naming the right and the key, instead of silently dropping a child's right from every
plan.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias, cast

from vigie.core.catalogue_checks import CatalogueChecks
from vigie.core.data_files import yaml_file_read
from vigie.identification.engine import ACTIONS, FORMS

DEFAULT_PATH = Path(__file__).resolve().parent / "catalogue" / "rights.yaml"


# The case statuses (vigie/cases/models/case.py CaseStatus; a test keeps both lists equal).
CASE_STATUSES: tuple[str, ...] = (
    "open",
    "identified",
    "protected",
    "transition",
    "transferred",
    "closed",
)

# Conditions a right can name in `applies_when` (their meaning, and the date each one starts
# from, are in plan.py: FLAG_TESTS).
FLAGS: tuple[str, ...] = (
    "minor",
    "unaccompanied",
    "no_legal_representative",
    "presumed_victim",
    "at_risk",
    "foreign_national",
    "nationality_unknown",
    "age_disputed",
    "appeal_pending",
    "assessed_adult",
    "drug_dependence",
    "defendant_proceeding",
    "victim_proceeding",
    "placement_unsafe",
    "compensation_awarded",
    "disability",
    "pregnant_or_parent",
)

# Facts of the file that set a right's state by themselves (plan.py: AUTOMATIC_TESTS).
AUTOMATIC_RULES: tuple[str, ...] = (
    "ad_hoc_administrator_appointed",
    "ad_hoc_administrator_requested",
    "current_placement",
    "schooling",
    "victim_proceeding",
    "non_punishment",
    "compensation",
    "age_appeal",
)

# What a {days: N} deadline counts from: the day the right opened, or the filing of the pending
# age appeal.
DEADLINE_ANCHORS: tuple[str, ...] = ("opened", "appeal_filed")

# Sanity bounds: a typo of 3000 days for 30, or an age of 180, is an error, not a rule.
MAX_DAYS = 3660
MAX_AGE = 25
# RightItem.right_id / catalogue_version column sizes.
MAX_ID_LENGTH = 50
MAX_VERSION_LENGTH = 20

_SLUG = re.compile(r"[a-z][a-z0-9_]*")

_ROOT_KEYS = frozenset({"version", "sources", "rights"})
_RIGHT_KEYS = frozenset(
    {
        "id",
        "label",
        "help",
        "evidence",
        "legal_basis",
        "seed",
        "opened_by_actions",
        "applies_when",
        "deadline",
        "deadline_basis",
        "automatic",
    }
)
_SEED_KEYS = frozenset({"source", "paragraph", "excerpt"})


# --- Conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    name: str


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


@dataclass(frozen=True)
class FormsAny:
    forms: frozenset[str]


@dataclass(frozen=True)
class AgeAtLeast:
    years: int


@dataclass(frozen=True)
class AgeBelow:
    years: int


@dataclass(frozen=True)
class StatusIn:
    statuses: frozenset[str]


Condition: TypeAlias = Flag | AllOf | AnyOf | Not | FormsAny | AgeAtLeast | AgeBelow | StatusIn


# --- Deadlines --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DaysAfter:
    days: int
    anchor: str = "opened"


@dataclass(frozen=True)
class FromBirthday:
    """``age``-th birthday (presumed) plus ``days`` (negative: before)."""

    age: int
    days: int = 0


@dataclass(frozen=True)
class CiviDeadline:
    """``days_before`` the legal deadline of a claim to the CIVI (CPP art. 706-5)."""

    days_before: int


@dataclass(frozen=True)
class EarliestOf:
    rules: tuple[Deadline, ...]


@dataclass(frozen=True)
class LatestOf:
    rules: tuple[Deadline, ...]


@dataclass(frozen=True)
class FirstOf:
    rules: tuple[Deadline, ...]


Deadline: TypeAlias = DaysAfter | FromBirthday | CiviDeadline | EarliestOf | LatestOf | FirstOf


# --- Catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    source: str
    paragraph: str
    excerpt: str


@dataclass(frozen=True)
class Right:
    id: str
    label: dict[str, str]
    help: dict[str, str]
    evidence: dict[str, str]
    legal_basis: str
    seed: Seed
    opened_by_actions: tuple[str, ...]
    applies_when: Condition
    deadline: Deadline
    deadline_basis: dict[str, str]
    automatic: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    version: str
    sources: dict[str, str]
    rights: dict[str, Right]  # in file order: the order plans are shown in

    def rights_for_action(self, action: str) -> tuple[str, ...]:
        return tuple(r.id for r in self.rights.values() if action in r.opened_by_actions)


class CatalogueError(ValueError):
    """The catalogue file is unreadable or breaks a rule; the message names the right and key."""


# The checks every catalogue makes (vigie/core/catalogue_checks.py).
_CHECKS = CatalogueChecks(CatalogueError)
_fail = _CHECKS.fail
_keys_checked = _CHECKS.keys
_text = _CHECKS.text
_languages = _CHECKS.languages
_sources = _CHECKS.sources


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate a catalogue; by default the bundled one, loaded once and then cached."""
    if path is None or Path(path).resolve() == DEFAULT_PATH:
        return _load_bundled()
    return _load(Path(path))


@functools.cache
def _load_bundled() -> Catalogue:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Catalogue:
    return parse_catalogue(yaml_file_read(path, error=CatalogueError))


def parse_catalogue(data: object) -> Catalogue:
    """Validate already-parsed YAML data (the tests build broken catalogues with it)."""
    if not isinstance(data, dict):
        raise CatalogueError("catalogue: the file must hold a mapping (version, sources, rights)")
    root = _keys_checked(data, "catalogue", _ROOT_KEYS)
    version = _text(root["version"], "catalogue", "version")
    if len(version) > MAX_VERSION_LENGTH:
        raise _fail("catalogue", "version", f"at most {MAX_VERSION_LENGTH} characters")
    sources = _sources(root["sources"])
    rights = _rights(root["rights"], sources)
    unmapped = [
        action
        for action in ACTIONS
        if not any(action in r.opened_by_actions for r in rights.values())
    ]
    if unmapped:
        raise _fail(
            "catalogue",
            "opened_by_actions",
            f"no right is opened by the identification action(s) {', '.join(unmapped)}: "
            "every action must open at least one right",
        )
    return Catalogue(version=version, sources=sources, rights=rights)


# --- Validation helpers -----------------------------------------------------------------------


def _integer(value: object, entry: str, key: str, *, low: int, high: int) -> int:
    # bool is an int in Python: `days: yes` must not read as one day.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _fail(entry, key, f"must be a whole number from {low} to {high}, got {value!r}")
    return value


def _names(
    value: object, entry: str, key: str, known: tuple[str, ...], *, empty: bool
) -> tuple[str, ...]:
    if not isinstance(value, list) or (not empty and not value):
        raise _fail(entry, key, "must be a list" + ("" if empty else " with at least one item"))
    names: list[str] = []
    for position, item in enumerate(value):
        if item not in known:
            raise _fail(
                entry,
                f"{key}[{position}]",
                f"unknown value {item!r} (expected one of: {', '.join(known)})",
            )
        if item in names:
            raise _fail(entry, f"{key}[{position}]", f"{item!r} is listed twice")
        names.append(cast(str, item))
    return tuple(names)


def _rights(value: object, sources: dict[str, str]) -> dict[str, Right]:
    if not isinstance(value, list) or not value:
        raise _fail("catalogue", "rights", "must be a non-empty list")
    rights: dict[str, Right] = {}
    for position, item in enumerate(value):
        right = _right(item, position, sources)
        if right.id in rights:
            raise _fail(f"right {right.id!r}", "id", "duplicate id")
        rights[right.id] = right
    return rights


def _right(item: object, position: int, sources: dict[str, str]) -> Right:
    entry = f"rights[{position}]"
    if not isinstance(item, dict):
        raise CatalogueError(f"{entry}: must be a mapping")
    raw_id = item.get("id")
    if isinstance(raw_id, str) and raw_id:
        entry = f"right {raw_id!r}"
    fields = _keys_checked(item, entry, _RIGHT_KEYS)
    right_id = _text(fields["id"], entry, "id")
    if not _SLUG.fullmatch(right_id) or len(right_id) > MAX_ID_LENGTH:
        raise _fail(
            entry, "id", f"must be lowercase letters, digits and _, at most {MAX_ID_LENGTH} long"
        )
    return Right(
        id=right_id,
        label=_languages(fields["label"], entry, "label"),
        help=_languages(fields["help"], entry, "help"),
        evidence=_languages(fields["evidence"], entry, "evidence"),
        legal_basis=_text(fields["legal_basis"], entry, "legal_basis"),
        seed=_seed(fields["seed"], entry, sources),
        opened_by_actions=_names(
            fields["opened_by_actions"], entry, "opened_by_actions", ACTIONS, empty=True
        ),
        applies_when=_condition(fields["applies_when"], entry, "applies_when"),
        deadline=_deadline(fields["deadline"], entry, "deadline"),
        deadline_basis=_languages(fields["deadline_basis"], entry, "deadline_basis"),
        automatic=_names(fields["automatic"], entry, "automatic", AUTOMATIC_RULES, empty=True),
    )


def _seed(value: object, entry: str, sources: dict[str, str]) -> Seed:
    if not isinstance(value, dict):
        raise _fail(entry, "seed", "must be a mapping with source, paragraph and excerpt")
    fields = _keys_checked(value, f"{entry}: seed", _SEED_KEYS)
    source = fields["source"]
    if source not in sources:
        raise _fail(
            entry,
            "seed.source",
            f"unknown source {source!r} (expected one of: {', '.join(sources)})",
        )
    return Seed(
        source=cast(str, source),
        paragraph=_text(fields["paragraph"], entry, "seed.paragraph"),
        excerpt=_text(fields["excerpt"], entry, "seed.excerpt"),
    )


def _single(value: object, entry: str, key: str, what: str) -> tuple[str, object]:
    if not isinstance(value, dict) or len(value) != 1:
        raise _fail(
            entry, key, f"{what} must be a name or a mapping with exactly one key, got {value!r}"
        )
    ((name, argument),) = value.items()
    return str(name), argument


def _condition(value: object, entry: str, key: str) -> Condition:
    if isinstance(value, str):
        if value not in FLAGS:
            raise _fail(
                entry, key, f"unknown condition {value!r} (expected one of: {', '.join(FLAGS)})"
            )
        return Flag(value)
    name, argument = _single(value, entry, key, "a condition")
    here = f"{key}.{name}"
    if name in ("all", "any"):
        if not isinstance(argument, list) or not argument:
            raise _fail(entry, here, "must be a non-empty list of conditions")
        items = tuple(
            _condition(item, entry, f"{here}[{position}]") for position, item in enumerate(argument)
        )
        return AllOf(items) if name == "all" else AnyOf(items)
    if name == "not":
        return Not(_condition(argument, entry, here))
    if name == "forms_any":
        return FormsAny(frozenset(_names(argument, entry, here, FORMS, empty=False)))
    if name == "status_in":
        return StatusIn(frozenset(_names(argument, entry, here, CASE_STATUSES, empty=False)))
    if name == "age_at_least":
        return AgeAtLeast(_integer(argument, entry, here, low=0, high=MAX_AGE))
    if name == "age_below":
        return AgeBelow(_integer(argument, entry, here, low=1, high=MAX_AGE))
    raise _fail(
        entry,
        here,
        "unknown condition (expected a condition name, or all, any, not, forms_any, "
        "status_in, age_at_least, age_below)",
    )


def _deadline(value: object, entry: str, key: str) -> Deadline:
    if not isinstance(value, dict) or not value:
        raise _fail(
            entry, key, f"must be a mapping (days, birthday, civi, earliest_of, ...), got {value!r}"
        )
    keys = frozenset(str(k) for k in value)
    if keys <= {"days", "from"} and "days" in keys:
        anchor = value.get("from", "opened")
        if anchor not in DEADLINE_ANCHORS:
            raise _fail(
                entry,
                f"{key}.from",
                f"unknown value {anchor!r} (expected one of: {', '.join(DEADLINE_ANCHORS)})",
            )
        days = _integer(value["days"], entry, f"{key}.days", low=0, high=MAX_DAYS)
        return DaysAfter(days=days, anchor=cast(str, anchor))
    if "birthday" in keys:
        extra = keys - {"birthday"}
        if len(extra) > 1 or not extra <= {"days_before", "days_after"}:
            raise _fail(
                entry, key, "a birthday deadline takes at most one of days_before or days_after"
            )
        age = _integer(value["birthday"], entry, f"{key}.birthday", low=1, high=MAX_AGE)
        days = 0
        if "days_before" in keys:
            days = -_integer(
                value["days_before"], entry, f"{key}.days_before", low=0, high=MAX_DAYS
            )
        if "days_after" in keys:
            days = _integer(value["days_after"], entry, f"{key}.days_after", low=0, high=MAX_DAYS)
        return FromBirthday(age=age, days=days)
    name, argument = _single(value, entry, key, "a deadline")
    here = f"{key}.{name}"
    if name == "civi":
        if not isinstance(argument, dict) or set(argument) != {"days_before"}:
            raise _fail(entry, here, "must be {days_before: N}")
        return CiviDeadline(
            days_before=_integer(
                argument["days_before"], entry, f"{here}.days_before", low=0, high=MAX_DAYS
            )
        )
    if name in ("earliest_of", "latest_of", "first_of"):
        if not isinstance(argument, list) or len(argument) < 2:
            raise _fail(entry, here, "must be a list of at least two deadlines")
        rules = tuple(
            _deadline(item, entry, f"{here}[{position}]") for position, item in enumerate(argument)
        )
        if name == "earliest_of":
            return EarliestOf(rules)
        return LatestOf(rules) if name == "latest_of" else FirstOf(rules)
    raise _fail(
        entry,
        here,
        "unknown deadline (expected days, birthday, civi, earliest_of, latest_of or first_of)",
    )
