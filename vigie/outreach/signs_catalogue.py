"""The catalogue of signs that an online advertisement may concern a minor: its data
(``catalogue/signs.yaml``), loading and validation, and the text folding its matchers use.

Versioned and validated like the indicator and rights catalogues (vigie/identification/
catalogue.py, vigie/rights/catalogue.py): a broken file stops start-up with a message naming the
sign and the key, instead of silently never raising an ad. The evaluation of an ad:
:mod:`vigie.outreach.signs`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from vigie.core.catalogue_checks import CatalogueChecks
from vigie.core.data_files import yaml_file_read

DEFAULT_PATH = Path(__file__).resolve().parent / "catalogue" / "signs.yaml"

Kind = Literal["declared_age", "vocabulary", "emoji", "school", "worker_judgement", "other"]
Weight = Literal["strong", "medium", "weak"]

KINDS: tuple[Kind, ...] = (
    "declared_age",
    "vocabulary",
    "emoji",
    "school",
    "worker_judgement",
    "other",
)
TEXT_KINDS: tuple[Kind, ...] = ("vocabulary", "school", "other")
WEIGHTS: tuple[Weight, ...] = ("strong", "medium", "weak")

# Priority of an ad in the worker's list: 0 no sign, then the strongest sign's weight.
WEIGHT_PRIORITY: dict[Weight, int] = {"weak": 1, "medium": 2, "strong": 3}
PRIORITY_NONE = 0
PRIORITY_STRONG = 3
# Civil Code art. 388: a minor is a person under 18. The law, not a tuning choice: kept in code.
MAJORITY_AGE = 18
# Sanity bound: an age of 170 in the catalogue is a typo, not a rule.
MAX_AGE = 99

# Code points the ad may add to an emoji without changing which one it is: text/emoji variation
# selectors and the five skin-tone modifiers (U+1F3FB to U+1F3FF).
_EMOJI_DECORATIONS = frozenset({"\ufe0e", "\ufe0f"} | {chr(c) for c in range(0x1F3FB, 0x1F400)})
# Typographic apostrophes read as the ASCII one, so "j’ai" matches a term written "j'ai".
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'"}

_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_ID = re.compile(r"(?P<kind>[a-z_]+)\.[a-z][a-z0-9_]*")

_ROOT_KEYS = frozenset({"version", "sources", "signs"})
_COMMON_KEYS = frozenset({"id", "kind", "weight", "label", "why", "source", "reference"})
# Keys each kind needs (required) and may have (optional) besides the common ones.
_KIND_KEYS: dict[Kind, tuple[frozenset[str], frozenset[str]]] = {
    "declared_age": (frozenset({"age", "with_other_sign"}), frozenset()),
    "vocabulary": (frozenset(), frozenset({"terms", "patterns"})),
    "school": (frozenset(), frozenset({"terms", "patterns"})),
    "other": (frozenset(), frozenset({"terms", "patterns"})),
    "emoji": (frozenset({"emojis"}), frozenset()),
    "worker_judgement": (frozenset({"flag"}), frozenset()),
}


# --- Catalogue --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeRule:
    """A declared age from ``low`` to ``high`` (inclusive; None: no bound)."""

    low: int | None
    high: int | None
    with_other_sign: bool

    def covers(self, age: int) -> bool:
        return (self.low is None or age >= self.low) and (self.high is None or age <= self.high)


@dataclass(frozen=True)
class Sign:
    id: str
    kind: Kind
    weight: Weight
    label: dict[str, str]
    why: dict[str, str]
    source: str
    reference: str
    # Text kinds: one compiled alternation of the terms and patterns, on folded text.
    matcher: re.Pattern[str] | None = None
    terms: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    emojis: frozenset[str] = frozenset()
    age: AgeRule | None = None
    flag: str = ""


@dataclass(frozen=True)
class SignsCatalogue:
    version: str
    sources: dict[str, str]
    signs: dict[str, Sign]  # in file order: the order signs are shown in at equal weight

    @property
    def worker_flags(self) -> frozenset[str]:
        """The boxes a worker can tick on an ad (worker_judgement signs)."""
        return frozenset(s.flag for s in self.signs.values() if s.kind == "worker_judgement")


class SignsCatalogueError(ValueError):
    """The catalogue file is unreadable or breaks a rule; the message names the sign and key."""


# The checks every catalogue makes (vigie/core/catalogue_checks.py).
_CHECKS = CatalogueChecks(SignsCatalogueError)
_fail = _CHECKS.fail
_keys_checked = _CHECKS.keys
_text = _CHECKS.text
_choice = _CHECKS.choice
_languages = _CHECKS.languages
_version = _CHECKS.version
_sources = _CHECKS.sources


def signs_catalogue() -> SignsCatalogue:
    """The bundled catalogue, loaded and validated once, then cached."""
    return _load_bundled()


def signs_catalogue_check() -> None:
    """Validate the bundled catalogue at start-up (OutreachConfig.ready): fail fast, by name."""
    signs_catalogue()


def signs_catalogue_load(path: Path) -> SignsCatalogue:
    """Load and validate another catalogue file (a team's own list, the tests); not cached."""
    return signs_catalogue_parse(yaml_file_read(Path(path), error=SignsCatalogueError))


@functools.cache
def _load_bundled() -> SignsCatalogue:
    return signs_catalogue_load(DEFAULT_PATH)


def signs_catalogue_parse(data: object) -> SignsCatalogue:
    """Validate already-parsed YAML data (the tests build broken catalogues with it)."""
    if not isinstance(data, dict):
        raise SignsCatalogueError(
            "catalogue: the file must hold a mapping (version, sources, signs)"
        )
    root = _keys_checked(data, "catalogue", _ROOT_KEYS)
    version = _version(root["version"])
    sources = _sources(root["sources"])
    signs = _signs(root["signs"], sources)
    return SignsCatalogue(version=version, sources=sources, signs=signs)


# --- The signs --------------------------------------------------------------------------------


def _signs(value: object, sources: dict[str, str]) -> dict[str, Sign]:
    if not isinstance(value, list) or not value:
        raise _fail("catalogue", "signs", "must be a non-empty list")
    signs: dict[str, Sign] = {}
    # A term or emoji in two signs would explain one finding twice, with two weights.
    owners: dict[str, str] = {}
    for position, item in enumerate(value):
        sign = _sign(item, position, sources)
        entry = f"sign {sign.id!r}"
        if sign.id in signs:
            raise _fail(entry, "id", "duplicate id")
        for key, values in (
            ("terms", sign.terms),
            ("emojis", tuple(sorted(sign.emojis))),
            ("flag", (sign.flag,) if sign.flag else ()),
        ):
            for item_value in values:
                marker = f"{key}:{_fold(item_value) if key == 'terms' else item_value}"
                if marker in owners:
                    raise _fail(entry, key, f"{item_value!r} is already in sign {owners[marker]!r}")
                owners[marker] = sign.id
        signs[sign.id] = sign
    return signs


def _sign(item: object, position: int, sources: dict[str, str]) -> Sign:
    entry = f"signs[{position}]"
    if not isinstance(item, dict):
        raise SignsCatalogueError(f"{entry}: must be a mapping")
    raw_id = item.get("id")
    if isinstance(raw_id, str) and raw_id:
        entry = f"sign {raw_id!r}"
    kind = _choice(item.get("kind"), entry, "kind", KINDS)
    required, optional = _KIND_KEYS[kind]
    fields = _keys_checked(item, entry, _COMMON_KEYS | required, optional)
    sign_id = _text(fields["id"], entry, "id")
    match = _ID.fullmatch(sign_id)
    if match is None or match["kind"] != kind:
        raise _fail(entry, "id", f"must read '{kind}.<slug>' with lowercase letters, digits and _")
    source = fields["source"]
    if source not in sources:
        raise _fail(
            entry, "source", f"unknown source {source!r} (expected one of: {', '.join(sources)})"
        )
    sign = Sign(
        id=sign_id,
        kind=kind,
        weight=_choice(fields["weight"], entry, "weight", WEIGHTS),
        label=_languages(fields["label"], entry, "label"),
        why=_languages(fields["why"], entry, "why"),
        source=cast(str, source),
        reference=_text(fields["reference"], entry, "reference"),
    )
    if kind == "declared_age":
        return dataclasses.replace(sign, age=_age_rule(fields, entry))
    if kind == "emoji":
        return dataclasses.replace(sign, emojis=_emojis(fields["emojis"], entry))
    if kind == "worker_judgement":
        flag = _text(fields["flag"], entry, "flag")
        if not _SLUG.fullmatch(flag):
            raise _fail(entry, "flag", "must be lowercase letters, digits and _")
        return dataclasses.replace(sign, flag=flag)
    terms = _strings(fields.get("terms", []), entry, "terms")
    patterns = _strings(fields.get("patterns", []), entry, "patterns")
    if not terms and not patterns:
        raise _fail(entry, "terms", "a text sign needs at least one term or pattern")
    return dataclasses.replace(
        sign, matcher=_matcher(terms, patterns, entry), terms=terms, patterns=patterns
    )


def _strings(value: object, entry: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(entry, key, "must be a list of strings")
    items: list[str] = []
    for position, item in enumerate(value):
        text = _text(item, entry, f"{key}[{position}]")
        if text in items:
            raise _fail(entry, f"{key}[{position}]", f"{text!r} is listed twice")
        items.append(text)
    return tuple(items)


def _age_rule(fields: dict[str, object], entry: str) -> AgeRule:
    age = fields["age"]
    if not isinstance(age, dict) or not age or not set(age) <= {"min", "max"}:
        raise _fail(entry, "age", f"must be a mapping with min and/or max, got {age!r}")
    bounds: dict[str, int] = {}
    for bound, number in age.items():
        # bool is an int in Python: `max: yes` must not read as 1.
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_AGE:
            raise _fail(
                entry, f"age.{bound}", f"must be a whole number from 0 to {MAX_AGE}, got {number!r}"
            )
        bounds[str(bound)] = number
    low, high = bounds.get("min"), bounds.get("max")
    if low is not None and high is not None and low > high:
        raise _fail(entry, "age", f"min {low} is above max {high}")
    with_other = fields["with_other_sign"]
    if not isinstance(with_other, bool):
        raise _fail(entry, "with_other_sign", f"must be true or false, got {with_other!r}")
    return AgeRule(low=low, high=high, with_other_sign=with_other)


def _emojis(value: object, entry: str) -> frozenset[str]:
    items = _strings(value, entry, "emojis")
    if not items:
        raise _fail(entry, "emojis", "must list at least one emoji")
    code_points: set[str] = set()
    for position, item in enumerate(items):
        base = "".join(c for c in item if c not in _EMOJI_DECORATIONS)
        if len(base) != 1 or unicodedata.category(base) != "So":
            raise _fail(
                entry,
                f"emojis[{position}]",
                f"must be one emoji code point (a symbol), got {item!r}",
            )
        if base in code_points:
            raise _fail(entry, f"emojis[{position}]", f"{item!r} is listed twice")
        code_points.add(base)
    return frozenset(code_points)


def _matcher(terms: tuple[str, ...], patterns: tuple[str, ...], entry: str) -> re.Pattern[str]:
    alternatives: list[str] = []
    folded_terms: set[str] = set()
    for position, term in enumerate(terms):
        folded = _fold(term)
        if folded in folded_terms:
            raise _fail(entry, f"terms[{position}]", f"{term!r} repeats a term (case, accents)")
        folded_terms.add(folded)
        # Any run of spaces in the ad matches the single space of a phrase.
        alternatives.append(r"\s+".join(re.escape(word) for word in folded.split()))
    for position, pattern in enumerate(patterns):
        here = f"patterns[{position}]"
        if _strip_accents(pattern) != pattern:
            raise _fail(entry, here, "patterns run on folded text: write them without accents")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as problem:
            raise _fail(entry, here, f"not a valid regular expression: {problem}") from problem
        if compiled.fullmatch(""):
            raise _fail(entry, here, "matches the empty text, so it would match every ad")
        alternatives.append(f"(?:{pattern})")
    # Word boundaries on both sides: "petite" is not found in "petites", nor "ado" in "adorable".
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


# --- Text folding -----------------------------------------------------------------------------


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _strip_accents(_APOSTROPHES.get(char, char)).casefold()


def _fold(text: str) -> str:
    return "".join(_fold_char(c) for c in text)


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each folded character the index of the ad character it came from,
    so that a match is shown to the worker as written in the ad ("Lycéenne", not "lyceenne")."""
    pieces: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        folded = _fold_char(char)
        pieces.append(folded)
        origins.extend([index] * len(folded))
    return "".join(pieces), origins


# --- Evaluation -------------------------------------------------------------------------------
