"""The indicator catalogue: the bundled file is complete and every validation rule bites."""

import ast
import copy
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from vigie.identification.catalogue import (
    DEFAULT_PATH,
    DIMENSION_IDS,
    Catalogue,
    CatalogueError,
    load_catalogue,
)

CHILDREN_LISTS = ("child_labour", "child_sexual")
FIRST = "child_labour.deceptive_recruitment.deceived_about_work"


@functools.cache
def _bundled_data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _raw() -> dict[str, Any]:
    """A fresh, mutable copy of the bundled catalogue as plain YAML data."""
    return copy.deepcopy(_bundled_data())


def _small() -> dict[str, Any]:
    """The bundled catalogue cut to a few indicators: broken copies stay quick to write and load."""
    data = _raw()
    data["indicators"] = data["indicators"][:3]
    return data


def _indicator(data: dict[str, Any], indicator_id: str = FIRST) -> dict[str, Any]:
    return next(item for item in data["indicators"] if item["id"] == indicator_id)


def _positive(strengths: list[str]) -> bool:
    """The ILO rule: 2 strong, 1 strong + 1 other, 3 medium, or 2 medium + 1 weak."""
    strong, medium, weak = (strengths.count(s) for s in ("strong", "medium", "weak"))
    return (
        strong >= 2
        or (strong >= 1 and medium + weak >= 1)
        or medium >= 3
        or (medium >= 2 and weak >= 1)
    )


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


# --- the bundled catalogue ----------------------------------------------------------------------


def test_bundled_catalogue_loads_with_the_six_dimensions_in_order(catalogue):
    assert catalogue.version
    assert set(catalogue.sources) == {"ilo_2009", "collective_2022", "ecpat_2007"}
    assert tuple(catalogue.dimensions) == DIMENSION_IDS
    groups = [dimension.group for dimension in catalogue.dimensions.values()]
    assert groups == ["recruitment"] * 3 + ["exploitation"] * 3
    means = {d.id for d in catalogue.dimensions.values() if not d.means}
    assert means == {"exploitative_conditions"}


def test_the_default_catalogue_is_loaded_once():
    assert load_catalogue() is load_catalogue()
    assert load_catalogue(DEFAULT_PATH) is load_catalogue()


def test_a_copy_elsewhere_is_loaded_afresh(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8"), encoding="utf-8")

    copied = load_catalogue(path)

    assert copied is not load_catalogue()
    assert copied == load_catalogue()


@pytest.mark.parametrize("list_id", CHILDREN_LISTS)
@pytest.mark.parametrize("dimension", DIMENSION_IDS)
def test_every_dimension_of_the_childrens_lists_can_be_positive(catalogue, list_id, dimension):
    """Each dimension has indicators, enough of them for the ILO rule to be reachable."""
    strengths = [
        indicator.strength
        for indicator in catalogue.indicators.values()
        if indicator.list == list_id and indicator.dimension == dimension
    ]
    assert strengths, f"{list_id} has no indicator for {dimension}"
    assert _positive(strengths)


def test_ids_are_unique_and_read_list_dimension_slug(catalogue):
    raw_ids = [item["id"] for item in _raw()["indicators"]]
    assert len(raw_ids) == len(set(raw_ids)) == len(catalogue.indicators)
    for indicator in catalogue.indicators.values():
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+\.[a-z][a-z0-9_]*", indicator.id)
        assert indicator.id.startswith(f"{indicator.list}.{indicator.dimension}.")


def test_every_indicator_speaks_both_languages_in_plain_french(catalogue):
    for indicator in catalogue.indicators.values():
        for texts in (indicator.label, indicator.help):
            assert set(texts) == {"fr", "en"}, indicator.id
            assert all(text.strip() for text in texts.values()), indicator.id
            # French typography: the apostrophe is ’, never the typewriter '.
            assert "'" not in texts["fr"], indicator.id


def test_the_ilo_lists_cite_the_brochure_and_say_what_was_not_checked(catalogue):
    for indicator in catalogue.indicators.values():
        if indicator.list in CHILDREN_LISTS:
            assert indicator.source == "ilo_2009", indicator.id
            assert indicator.reference.startswith("Children, "), indicator.id
            if indicator.wording == "adapted":
                assert indicator.note, f"{indicator.id}: say why the wording is adapted"


def test_french_field_indicators_cite_a_seed_section_and_own_their_strength(catalogue):
    field = [i for i in catalogue.indicators.values() if i.list == "french_field"]
    assert field
    for indicator in field:
        assert indicator.source in {"collective_2022", "ecpat_2007"}, indicator.id
        assert indicator.reference, indicator.id
        assert indicator.wording == "adapted", indicator.id
        assert "team's assessment" in indicator.note, indicator.id


@pytest.mark.parametrize(
    "indicator_id",
    [
        "french_field.coercion_at_destination.psychotropics_supplied_by_adults",
        "french_field.exploitative_conditions.online_sexual_advertisements",
        "french_field.coercion_at_destination.sextortion",
        "french_field.coercion_at_destination.offences_under_constraint",
        "french_field.exploitative_conditions.begging_for_others",
        "french_field.abuse_of_vulnerability_at_destination.disability_dependence",
        "french_field.deceptive_recruitment.boyfriend_recruiter",
        "french_field.exploitative_conditions.hotel_or_short_term_rental",
    ],
)
def test_the_field_indicators_named_in_the_issue_are_present(catalogue, indicator_id):
    assert indicator_id in catalogue.indicators


def test_psychotropics_indicator_names_the_medicines(catalogue):
    indicator = catalogue.indicators[
        "french_field.coercion_at_destination.psychotropics_supplied_by_adults"
    ]
    for name in ("Rivotril", "Lyrica", "clonazépam", "prégabaline"):
        assert name in indicator.label["fr"]


# --- every rule refuses a broken copy -------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(field: str, value: Any, indicator_id: str = FIRST) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        _indicator(data, indicator_id)[field] = value

    return mutate


def _delete(*path: str, indicator_id: str = FIRST) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        target = _indicator(data, indicator_id)
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _duplicate_first(data: dict[str, Any]) -> None:
    data["indicators"].append(copy.deepcopy(_indicator(data)))


def _drop_dimension(data: dict[str, Any]) -> None:
    del data["dimensions"][2]


def _swap_dimensions(data: dict[str, Any]) -> None:
    dims = data["dimensions"]
    dims[0], dims[1] = dims[1], dims[0]


def _rename_dimension(data: dict[str, Any]) -> None:
    data["dimensions"][3]["id"] = "exploitation"


def _dimension_means_wrong(data: dict[str, Any]) -> None:
    data["dimensions"][3]["means"] = True


def _dimension_without_english(data: dict[str, Any]) -> None:
    del data["dimensions"][0]["label"]["en"]


def _unknown_top_level_key(data: dict[str, Any]) -> None:
    data["comment"] = "hello"


def _version_missing(data: dict[str, Any]) -> None:
    del data["version"]


BROKEN: dict[str, tuple[Mutation, tuple[str, ...]]] = {
    # name: (mutation, substrings the error message must contain)
    "unknown key": (_set("colour", "red"), (FIRST, "'colour'", "unknown key")),
    "missing key": (_delete("help"), (FIRST, "'help'", "missing")),
    "duplicate id": (_duplicate_first, (FIRST, "'id'", "duplicate")),
    "malformed id": (
        _set("id", "child_labour.deceptive_recruitment.Deceived About"),
        ("Deceived About", "'id'"),
    ),
    "id of another dimension": (
        _set("dimension", "coercive_recruitment"),
        (FIRST, "'id'", "child_labour.coercive_recruitment.<slug>"),
    ),
    "unknown dimension": (_set("dimension", "exploitation"), (FIRST, "'dimension'", "unknown")),
    "unknown list": (_set("list", "adult_labour"), (FIRST, "'list'", "adult_labour")),
    "unknown strength": (_set("strength", "very strong"), (FIRST, "'strength'", "very strong")),
    "unknown source": (_set("source", "unicef_2020"), (FIRST, "'source'", "unicef_2020")),
    "missing fr label": (_delete("label", "fr"), (FIRST, "'label.fr'", "missing")),
    "missing en label": (_delete("label", "en"), (FIRST, "'label.en'", "missing")),
    "missing fr help": (_delete("help", "fr"), (FIRST, "'help.fr'", "missing")),
    "missing en help": (_delete("help", "en"), (FIRST, "'help.en'", "missing")),
    "empty fr label": (_set("label", {"fr": " ", "en": "x"}), (FIRST, "'label.fr'", "non-empty")),
    "unknown language": (
        _set("help", {"fr": "x", "en": "x", "de": "x"}),
        (FIRST, "'help.de'", "unknown language"),
    ),
    "unknown wording": (_set("wording", "verbatim"), (FIRST, "'wording'", "verbatim")),
    "note not text": (_set("note", 3), (FIRST, "'note'", "string")),
    "dimension dropped": (_drop_dimension, ("dimensions", "'id'", "exactly")),
    "dimensions reordered": (_swap_dimensions, ("dimensions", "'id'", "in this order")),
    "dimension renamed": (_rename_dimension, ("dimensions", "'id'", "exploitation")),
    "dimension means wrong": (_dimension_means_wrong, ("'exploitative_conditions'", "'means'")),
    "dimension label missing en": (
        _dimension_without_english,
        ("'deceptive_recruitment'", "'label.en'", "missing"),
    ),
    "unknown top-level key": (_unknown_top_level_key, ("catalogue", "'comment'", "unknown key")),
    "version missing": (_version_missing, ("catalogue", "'version'", "missing")),
}


@pytest.mark.parametrize("name", list(BROKEN))
def test_a_broken_copy_is_refused_naming_the_entry_and_field(tmp_path, name):
    mutation, expected = BROKEN[name]
    data = _small()
    mutation(data)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")

    with pytest.raises(CatalogueError) as refused:
        load_catalogue(path)

    message = str(refused.value)
    for part in expected:
        assert part in message, f"{part!r} not in {message!r}"


def test_the_unbroken_small_copy_loads(tmp_path):
    """Guards the test above: without a mutation, the same dump/reload path loads."""
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(_small(), allow_unicode=True, sort_keys=False), encoding="utf-8")

    small = load_catalogue(path)

    assert list(small.indicators) == list(load_catalogue().indicators)[:3]
    assert small.indicators[FIRST] == load_catalogue().indicators[FIRST]


@pytest.mark.parametrize(
    "text",
    [
        "version: [unclosed\n",  # not YAML
        "- just\n- a list\n",  # not a mapping
        "",  # empty file
    ],
)
def test_a_file_that_is_not_a_catalogue_is_refused(tmp_path, text):
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CatalogueError):
        load_catalogue(path)


def test_a_missing_file_is_refused_with_its_path(tmp_path):
    path = tmp_path / "nowhere.yaml"

    with pytest.raises(CatalogueError, match=re.escape(str(path))):
        load_catalogue(path)


def test_catalogue_errors_are_value_errors():
    assert issubclass(CatalogueError, ValueError)


def test_the_loader_does_not_import_django():
    """The engine and the CLI load the catalogue without Django settings."""
    tree = ast.parse(Path(__file__).resolve().parents[1].joinpath("catalogue.py").read_text())
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imported += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert imported
    assert not [name for name in imported if name.split(".")[0] == "django"]
