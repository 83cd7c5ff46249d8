"""The annual survey of victims followed by associations, from a published release.

The survey of the MIPROF (Mission interministérielle pour la protection des femmes contre les
violences et la lutte contre la traite des êtres humains), run with the ministry's statistics
service (SSMSI) since 2016, counts the victims an association follows by form of exploitation,
sex, minor or adult, and nationality. This file gives those counts for the release's files, in
the survey's French categories (the file is for the French administration: its words are the
survey's, not interface text, and are not translated).

One line per count; ``tableau`` names the table, a column the table does not cross is empty.
Counts are numbers, "< 11" (the survey's mark for a count below the threshold; the release's
threshold is used) or, for a category adding several of Vigie's up when some are suppressed, the
bounds the published tables allow ("12 à 25", "au plus 25").

The survey counts the victims followed during a year: a release requested for "the files
followed during" a year (Release.followed_in) gives exactly that population, and its year fills
``annee_de_suivi``; a release over every file leaves it empty. A file is counted once, under its
main form of exploitation.
"""

from collections.abc import Mapping, Sequence

from vigie.network.csv_io import csv_write

from ..countries import countries_load
from ..dimensions import UNKNOWN
from ..models import Release
from .release_tables import CountStyle, published_tables

# The tables a release must publish for this export (one- and two-way: what the engine does).
SURVEY_TABLES: tuple[tuple[str, ...], ...] = (
    (),
    ("form",),
    ("gender",),
    ("minor",),
    ("nationality",),
    ("form", "gender"),
    ("form", "minor"),
    ("gender", "minor"),
)

TABLE_TITLES = {
    (): "Ensemble des victimes",
    ("form",): "Par forme d’exploitation",
    ("gender",): "Par sexe",
    ("minor",): "Mineurs et majeurs",
    ("nationality",): "Par nationalité",
    ("form", "gender"): "Par forme d’exploitation et sexe",
    ("form", "minor"): "Par forme d’exploitation, mineurs et majeurs",
    ("gender", "minor"): "Par sexe, mineurs et majeurs",
}

HEADER = (
    "annee_de_suivi",
    "tableau",
    "forme_exploitation",
    "sexe",
    "mineur_ou_majeur",
    "nationalite_code",
    "nationalite",
    "victimes",
)

NOT_KNOWN = "Non renseigné"

# The survey's forms of exploitation (the MIPROF/SSMSI publications' categories), each the sum of
# Vigie's forms it covers.
FORM_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Exploitation sexuelle", ("sexual_exploitation", "online_sexual_exploitation")),
    # The survey separates work in a household from other work.
    ("Exploitation par le travail (hors domestique)", ("forced_labour",)),
    ("Exploitation par le travail domestique", ("domestic_servitude",)),
    ("Contrainte à commettre des délits", ("forced_criminality",)),
    ("Mendicité forcée", ("forced_begging",)),
    # Judgement: the survey has no category of its own for these; "other forms" covers them.
    ("Autres formes d’exploitation", ("forced_marriage", "sale_of_child", "organ_removal")),
    ("Non renseignée", (UNKNOWN,)),
)

SEXES = {"girl": "Féminin", "boy": "Masculin", "other": "Autre", "unknown": NOT_KNOWN}

MINORS = {"minor": "Mineur", "adult": "Majeur", UNKNOWN: NOT_KNOWN}

STYLE = CountStyle(below="< {threshold}", between="{low} à {high}", at_most="au plus {high}")


def _nationality(code: str) -> tuple[str, str]:
    if code == UNKNOWN:
        return "", "Non renseignée"
    return code, countries_load().countries[code].name_fr


def _line(table: Sequence[str], values: Mapping[str, str]) -> dict[str, str]:
    line = dict.fromkeys(HEADER, "")
    line["tableau"] = TABLE_TITLES[tuple(table)]
    for attribute, value in values.items():
        if attribute == "gender":
            line["sexe"] = SEXES[value]
        elif attribute == "minor":
            line["mineur_ou_majeur"] = MINORS[value]
        elif attribute == "nationality":
            line["nationalite_code"], line["nationalite"] = _nationality(value)
        else:
            raise ValueError(f"no survey column for dimension {attribute}")
    return line


def survey_lines(release: Release) -> list[dict[str, str]]:
    """The file's lines (column name to text), every table of SURVEY_TABLES in turn."""
    tables = published_tables(release, SURVEY_TABLES)
    lines = []
    for table in SURVEY_TABLES:
        for values, form, count in tables.counts(table, "form", FORM_GROUPS):
            line = _line(table, values)
            if form is not None:
                line["forme_exploitation"] = form
            line["victimes"] = STYLE.text(count, tables.threshold)
            line["annee_de_suivi"] = str(release.followed_in or "")
            lines.append(line)
    return lines


def survey_csv(release: Release) -> str:
    """The survey's file: ";"-separated, as French spreadsheets expect (the view adds the BOM)."""
    lines = survey_lines(release)
    return csv_write(header=HEADER, rows=([line[name] for name in HEADER] for line in lines))
