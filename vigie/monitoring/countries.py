"""ISO 3166 countries and their UN M49 statistical groups: a child's nationality and the regional
group that statistics publish when a country alone would be too small."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

from vigie.core.data_files import yaml_file_read

COUNTRIES_FILE = Path(__file__).with_name("data") / "countries.yaml"


class CountriesError(Exception):
    """The reference file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Named:
    code: str
    name_fr: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language (reference data carries both, not gettext)."""
        return self.name_en if (get_language() or "fr").startswith("en") else self.name_fr


@dataclass(frozen=True)
class Country(Named):
    alpha3: str  # ISO 3166-1 alpha-3: CTDC's and HTCDS's citizenship codes
    group: Named


@dataclass(frozen=True)
class Countries:
    groups: dict[str, Named]
    countries: dict[str, Country]


def _named(row: dict[str, object]) -> Named:
    return Named(str(row["code"]), str(row["name_fr"]), str(row["name_en"]))


@cache
def countries_load(path: Path = COUNTRIES_FILE) -> Countries:
    document = yaml_file_read(path, error=CountriesError)
    if not isinstance(document, dict):
        raise CountriesError(f"{path}: expected a mapping with groups and countries")
    try:
        groups = {str(row["code"]): _named(row) for row in document["groups"]}
        countries: dict[str, Country] = {}
        for row in document["countries"]:
            code = str(row["code"])
            if code in countries:
                raise CountriesError(f"{path}: country {code} listed twice")
            group = groups.get(str(row["group"]))
            if group is None:
                raise CountriesError(f"{path}: country {code}: unknown group {row['group']}")
            named = _named(row)
            countries[code] = Country(
                named.code, named.name_fr, named.name_en, str(row["alpha3"]), group
            )
    except (KeyError, TypeError) as problem:
        raise CountriesError(f"{path}: malformed entry: {problem}") from problem
    if not countries:
        raise CountriesError(f"{path}: no country")
    return Countries(groups=groups, countries=countries)
