"""A CTDC-compatible aggregate file, from a published release (never from rows).

Variables and coding are those of the CTDC Global Synthetic Data codebook (IOM Counter
Trafficking Data Collaborative, version 2, February 2024): yearOfRegistration, gender, ageBroad,
citizenship (ISO 3166-1 alpha-3), CountryOfExploitation, the types of exploitation coded 1 or
NULL. Only the variables Vigie records are written.

One line per count: ``table`` names the variables it is disaggregated by; a variable the table
does not cross is left empty (all its values), and "NULL" is CTDC's "missing data". Counts are
numbers, "<11" (CTDC's mark for a count below the threshold; the release's threshold is used),
or, for a line adding several of Vigie's categories up when some are suppressed, the bounds the
published tables allow ("12 to 25", "at most 25").

A file is counted once, under its main form of exploitation (vigie/monitoring/dimensions.py):
CTDC's types are not exclusive, so a file exploited in two ways has 1 in one type here.
"""

from collections.abc import Mapping, Sequence

from vigie.network.csv_io import csv_write

from ..countries import countries_load
from ..dimensions import UNKNOWN
from ..models import Release
from .release_tables import CountStyle, ReleaseTables, published_tables

# The tables a release must publish for this export (one- and two-way: what the engine does).
CTDC_TABLES: tuple[tuple[str, ...], ...] = (
    (),
    ("year",),
    ("gender",),
    ("age_ctdc",),
    ("nationality",),
    ("form",),
    ("age_ctdc", "gender"),
    ("form", "gender"),
    ("age_ctdc", "form"),
    ("form", "year"),
)

NULL = "NULL"
# Every Vigie file was identified in France. CTDC's variable is "the country where a victim is
# first supported/assisted, identified and/or referred" (codebook, variable 5).
COUNTRY_OF_EXPLOITATION = "FRA"

TYPE_COLUMNS = (
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourDomesticWork",
    "typeOfSexProstitution",
)

HEADER = (
    "table",
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    *TYPE_COLUMNS,
    "count",
)

# The CTDC variable each dimension of a release becomes.
VARIABLES = {
    "year": "yearOfRegistration",
    "gender": "gender",
    "age_ctdc": "ageBroad",
    "nationality": "citizenship",
    "form": "typeOfExploitation",  # a group of columns: TYPE_COLUMNS
}

GENDERS = {
    # Codebook variable 2 has Man, Woman and Trans/Transgender/NonConforming, for children too.
    "girl": "Woman",
    "boy": "Man",
    # Judgement: Vigie's "other" is a gender outside the two; CTDC groups those in one value.
    "other": "Trans/Transgender/NonConforming",
    "unknown": NULL,
}

# Codebook variable 3. The codebook's text prints "0—8"; CTDC's data files write "0--8",
# "09--17" (zero-padded), and so does this file.
AGE_BANDS = {
    "0-8": "0--8",
    "9-17": "09--17",
    "18-20": "18--20",
    "21-23": "21--23",
    "24-26": "24--26",
    "27-29": "27--29",
    "30-38": "30--38",
    "39-47": "39--47",
    "48+": "48+",
    UNKNOWN: NULL,
}

# Vigie's forms of exploitation as CTDC codes them (variables 15-23). Several forms share a
# coding: their counts are added up. Only "1" is written, never "0": the codebook codes these
# variables "1 or NULL", and a file's other forms are not known here (main form only).
FORM_GROUPS: tuple[tuple[Mapping[str, str], tuple[str, ...]], ...] = (
    ({"isSexualExploit": "1", "typeOfSexProstitution": "1"}, ("sexual_exploitation",)),
    # Judgement: online sexual exploitation (webcam, images, sextortion) is sexual exploitation;
    # it fits neither of CTDC's two sexual types (pornography excludes a participating audience).
    ({"isSexualExploit": "1"}, ("online_sexual_exploitation",)),
    # Judgement: forced begging is forced labour, as IOM classified it (CTDC's former
    # typeOfLabourBegging) and as ILO Convention 29 defines forced labour.
    ({"isForcedLabour": "1"}, ("forced_labour", "forced_begging")),
    ({"isForcedLabour": "1", "typeOfLabourDomesticWork": "1"}, ("domestic_servitude",)),
    # Codebook variable 17: "other types of exploitation, including forced marriage, forced
    # military, and organ removal". Judgement: forced criminality and the sale of children go
    # there too, as in the HTCDS export (vic_TypeOfExploitation "Other").
    (
        {"isOtherExploit": "1"},
        ("forced_criminality", "forced_marriage", "sale_of_child", "organ_removal"),
    ),
    ({}, (UNKNOWN,)),
)

STYLE = CountStyle(below="<{threshold}", between="{low} to {high}", at_most="at most {high}")


def _first_year(tables: ReleaseTables) -> str:
    return min(value for value in tables.values("year") if value.isdigit())


def _value(attribute: str, value: str, first_year: str) -> str:
    if attribute == "year":
        return value if value.isdigit() else f"before {first_year}"
    if attribute == "gender":
        return GENDERS[value]
    if attribute == "age_ctdc":
        return AGE_BANDS[value]
    if attribute == "nationality":
        return NULL if value == UNKNOWN else countries_load().countries[value].alpha3
    raise ValueError(f"no CTDC variable for dimension {attribute}")


def _line(table: Sequence[str], values: Mapping[str, str], first_year: str) -> dict[str, str]:
    line = dict.fromkeys(HEADER, "")
    line["table"] = " x ".join(VARIABLES[name] for name in table) or "total"
    line["CountryOfExploitation"] = COUNTRY_OF_EXPLOITATION
    for attribute, value in values.items():
        line[VARIABLES[attribute]] = _value(attribute, value, first_year)
    return line


def ctdc_lines(release: Release) -> list[dict[str, str]]:
    """The file's lines (column name to text), every table of CTDC_TABLES in turn."""
    tables = published_tables(release, CTDC_TABLES)
    first_year = _first_year(tables)
    lines = []
    for table in CTDC_TABLES:
        for values, coding, count in tables.counts(table, "form", FORM_GROUPS):
            line = _line(table, values, first_year)
            if coding is not None:
                line.update(dict.fromkeys(TYPE_COLUMNS, NULL) | dict(coding))
            line["count"] = STYLE.text(count, tables.threshold)
            lines.append(line)
    return lines


def ctdc_csv(release: Release) -> str:
    """The CTDC-compatible file: comma-separated, as CTDC's own files (plain ASCII, no BOM)."""
    lines = ctdc_lines(release)
    return csv_write(
        header=HEADER, rows=([line[name] for name in HEADER] for line in lines), separator=","
    )
