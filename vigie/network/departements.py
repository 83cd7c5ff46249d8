"""The départements of France and their régions: reference data for the directory, the places
and the "move the child far from the exploiters" search."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from vigie.core.data_files import yaml_file_read

DEPARTEMENTS_FILE = Path(__file__).with_name("data") / "departements.yaml"
DEPARTEMENT_COUNT = 101


class DepartementsError(Exception):
    """The reference file is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Region:
    code: str
    name: str


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region: Region

    @property
    def label(self) -> str:
        return f"{self.code} - {self.name}"


@cache
def departements_load(path: Path = DEPARTEMENTS_FILE) -> dict[str, Departement]:
    """Every département by INSEE code ("75", "2A", "974"), in the file's order."""
    document = yaml_file_read(path, error=DepartementsError)
    if not isinstance(document, dict):
        raise DepartementsError(f"{path}: expected a mapping with regions and departements")
    try:
        regions = {
            str(r["code"]): Region(str(r["code"]), str(r["name"])) for r in document["regions"]
        }
        departements: dict[str, Departement] = {}
        for row in document["departements"]:
            code = str(row["code"])
            if code in departements:
                raise DepartementsError(f"{path}: département {code} listed twice")
            region = regions.get(str(row["region"]))
            if region is None:
                raise DepartementsError(
                    f"{path}: département {code}: unknown région {row['region']}"
                )
            departements[code] = Departement(code, str(row["name"]), region)
    except (KeyError, TypeError) as problem:
        raise DepartementsError(f"{path}: malformed entry: {problem}") from problem
    if len(departements) != DEPARTEMENT_COUNT:
        raise DepartementsError(
            f"{path}: {len(departements)} départements, expected {DEPARTEMENT_COUNT}"
        )
    return departements


def departement_get(code: str) -> Departement | None:
    return departements_load().get(code.strip().upper())


def departement_choices() -> list[tuple[str, str]]:
    return [(d.code, d.label) for d in departements_load().values()]


def same_region(first: str, second: str) -> bool:
    a, b = departement_get(first), departement_get(second)
    return a is not None and b is not None and a.region == b.region
