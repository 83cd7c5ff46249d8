"""The indicator catalogue: load and validate the versioned YAML file.

Pure Python, no Django import: the screening engine, the ``vigie screen`` command and the tests
use it without settings. The data lives in ``catalogue/indicators.yaml``: the ILO / European
Commission operational indicators of trafficking in children (Delphi survey, 2009; WCMS_105023)
and the French field indicators the seed reports describe. Every rule the rest of the code relies
on (the six dimensions, the id scheme, both languages everywhere) is checked here, so a broken
file stops start-up with a message naming the entry and the field instead of misleading a screening.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from vigie.core.catalogue_checks import CatalogueChecks
from vigie.core.data_files import yaml_file_read

DEFAULT_PATH = Path(__file__).resolve().parent / "catalogue" / "indicators.yaml"

Group = Literal["recruitment", "exploitation"]
Strength = Literal["strong", "medium", "weak"]

LISTS: tuple[str, ...] = ("child_labour", "child_sexual", "french_field")
STRENGTHS: tuple[Strength, ...] = ("strong", "medium", "weak")
# official: the English label was checked against the source; adapted: the wording is ours.
WORDINGS: tuple[str, ...] = ("official", "adapted")

# The six elements of the trafficking definition (Palermo Protocol art. 3) as the ILO / EC lists
# split them, in the brochure's order: (id, group, means). Only "exploitative conditions" proves
# the purpose; the five others prove a means (deception, coercion, abuse of vulnerability).
DIMENSION_TABLE: tuple[tuple[str, Group, bool], ...] = (
    ("deceptive_recruitment", "recruitment", True),
    ("coercive_recruitment", "recruitment", True),
    ("recruitment_abuse_of_vulnerability", "recruitment", True),
    ("exploitative_conditions", "exploitation", False),
    ("coercion_at_destination", "exploitation", True),
    ("abuse_of_vulnerability_at_destination", "exploitation", True),
)
DIMENSION_IDS: tuple[str, ...] = tuple(row[0] for row in DIMENSION_TABLE)


_SLUG = re.compile(r"[a-z][a-z0-9_]*")
_ID = re.compile(r"(?P<list>[a-z_]+)\.(?P<dimension>[a-z_]+)\.(?P<slug>[a-z][a-z0-9_]*)")

_ROOT_KEYS = frozenset({"version", "sources", "dimensions", "indicators"})
_DIMENSION_KEYS = frozenset({"id", "group", "means", "label"})
_INDICATOR_KEYS = frozenset(
    {"id", "list", "dimension", "strength", "label", "help", "source", "reference", "wording"}
)
_INDICATOR_OPTIONAL_KEYS = frozenset({"note"})


@dataclass(frozen=True)
class Dimension:
    id: str
    group: Group
    means: bool
    label: dict[str, str]


@dataclass(frozen=True)
class Indicator:
    id: str
    list: str
    dimension: str
    strength: Strength
    label: dict[str, str]
    help: dict[str, str]
    source: str
    reference: str
    wording: str
    note: str


@dataclass(frozen=True)
class Catalogue:
    version: str
    sources: dict[str, str]
    dimensions: dict[str, Dimension]  # in the catalogue's (and the brochure's) order
    indicators: dict[str, Indicator]  # in file order


class CatalogueError(ValueError):
    """The catalogue file is unreadable or breaks a rule; the message names the entry and field."""


# The checks every catalogue makes (vigie/core/catalogue_checks.py).
_CHECKS = CatalogueChecks(CatalogueError, noun="field")
_fail = _CHECKS.fail
_keys_checked = _CHECKS.keys
_text = _CHECKS.text
_choice = _CHECKS.choice
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
    return _parse(yaml_file_read(path, error=CatalogueError))


def _parse(data: object) -> Catalogue:
    if not isinstance(data, dict):
        raise CatalogueError("catalogue: the file must hold a mapping (version, sources, ...)")
    root = _keys_checked(data, "catalogue", _ROOT_KEYS)
    version = _text(root["version"], "catalogue", "version")
    sources = _sources(root["sources"])
    dimensions = _dimensions(root["dimensions"])
    indicators = _indicators(root["indicators"], sources)
    return Catalogue(version=version, sources=sources, dimensions=dimensions, indicators=indicators)


def _dimensions(value: object) -> dict[str, Dimension]:
    if not isinstance(value, list):
        raise _fail("catalogue", "dimensions", "must be a list")
    ids = [item.get("id") if isinstance(item, dict) else None for item in value]
    if ids != list(DIMENSION_IDS):
        raise _fail(
            "dimensions",
            "id",
            f"must be exactly {', '.join(DIMENSION_IDS)} in this order, got {ids!r}",
        )
    dimensions: dict[str, Dimension] = {}
    for item, (dimension_id, group, means) in zip(value, DIMENSION_TABLE, strict=True):
        entry = f"dimension {dimension_id!r}"
        fields = _keys_checked(item, entry, _DIMENSION_KEYS)
        if fields["group"] != group:
            raise _fail(entry, "group", f"must be {group!r}, got {fields['group']!r}")
        if fields["means"] is not means:
            raise _fail(entry, "means", f"must be {str(means).lower()}, got {fields['means']!r}")
        dimensions[dimension_id] = Dimension(
            id=dimension_id,
            group=group,
            means=means,
            label=_languages(fields["label"], entry, "label"),
        )
    return dimensions


def _indicators(value: object, sources: dict[str, str]) -> dict[str, Indicator]:
    if not isinstance(value, list) or not value:
        raise _fail("catalogue", "indicators", "must be a non-empty list")
    indicators: dict[str, Indicator] = {}
    for position, item in enumerate(value):
        indicator = _indicator(item, position, sources)
        if indicator.id in indicators:
            raise _fail(f"indicator {indicator.id!r}", "id", "duplicate id")
        indicators[indicator.id] = indicator
    return indicators


def _indicator(item: object, position: int, sources: dict[str, str]) -> Indicator:
    entry = f"indicators[{position}]"
    if not isinstance(item, dict):
        raise CatalogueError(f"{entry}: must be a mapping")
    raw_id = item.get("id")
    if isinstance(raw_id, str) and raw_id:
        entry = f"indicator {raw_id!r}"
    fields = _keys_checked(item, entry, _INDICATOR_KEYS, _INDICATOR_OPTIONAL_KEYS)
    indicator_id = _text(fields["id"], entry, "id")
    list_id = _choice(fields["list"], entry, "list", LISTS)
    dimension = _choice(fields["dimension"], entry, "dimension", DIMENSION_IDS)
    match = _ID.fullmatch(indicator_id)
    if match is None or match["list"] != list_id or match["dimension"] != dimension:
        raise _fail(
            entry,
            "id",
            f"must read '<list>.<dimension>.<slug>', here '{list_id}.{dimension}.<slug>' "
            "with a slug of lowercase letters, digits and _",
        )
    strength = _choice(fields["strength"], entry, "strength", STRENGTHS)
    source = _choice(fields["source"], entry, "source", tuple(sources))
    note = fields.get("note", "")
    if not isinstance(note, str):
        raise _fail(entry, "note", f"must be a string, got {note!r}")
    return Indicator(
        id=indicator_id,
        list=list_id,
        dimension=dimension,
        strength=strength,
        label=_languages(fields["label"], entry, "label"),
        help=_languages(fields["help"], entry, "help"),
        source=source,
        reference=_text(fields["reference"], entry, "reference"),
        wording=_choice(fields["wording"], entry, "wording", WORDINGS),
        note=note,
    )
