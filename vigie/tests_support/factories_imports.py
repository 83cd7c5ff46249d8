"""Fictional spreadsheets for the import tests and the benchmark: children's files that never
existed, written as an organisation's former tool would export them."""

import csv
import io
import random
from collections.abc import Iterator, Sequence

CASES_HEADER = (
    "Référence",
    "Prénom",
    "Nom",
    "Date de naissance",
    "Sexe",
    "Nationalité",
    "MNA",
    "Département",
    "Formes d'exploitation",
    "Date d'identification",
)
CASES_MAPPING = {
    "external_id": "Référence",
    "first_name": "Prénom",
    "last_name": "Nom",
    "birth_date": "Date de naissance",
    "gender": "Sexe",
    "nationality": "Nationalité",
    "unaccompanied": "MNA",
    "departement": "Département",
    "exploitation_forms": "Formes d'exploitation",
    "identified_on": "Date d'identification",
}
FIRST_NAMES = ("Amina", "Ionut", "Fatou", "Elena", "Moussa", "Blessing", "Karim", "Maria")
LAST_NAMES = ("Fictif", "Exemple", "Essai", "Démo", "Modèle", "Témoin")
COUNTRIES = ("NG", "Roumanie", "MA", "Côte d'Ivoire", "DZ", "Bulgarie", "FR", "Guinée")
GENDERS = ("fille", "garçon", "F", "G", "inconnu")
FORMS = (
    "prostitution",
    "mendicité forcée",
    "forced_criminality; forced_begging",
    "",
    "travail forcé",
)
DEPARTEMENTS = ("75", "93", "13", "69", "2A", "974", "6")


def case_row(number: int, *, rng: random.Random | None = None) -> list[str]:
    """One fictional child: reference, names, birth date (DD/MM/YYYY or ISO), and the rest."""
    # Fictional data, reproducible on purpose: not a security use of randomness.
    draw = rng or random.Random(number)  # noqa: S311  # nosec B311
    year = 2007 + draw.randrange(10)
    born = f"{draw.randint(1, 28):02d}/{draw.randint(1, 12):02d}/{year}"
    if number % 3 == 0:
        day, month, born_year = born.split("/")
        born = f"{born_year}-{month}-{day}"
    identified = f"{2024 + draw.randrange(2)}-{draw.randint(1, 12):02d}-{draw.randint(1, 28):02d}"
    return [
        f"ANC-{number:07d}",
        draw.choice(FIRST_NAMES),
        f"{draw.choice(LAST_NAMES)} {number}",
        born,
        draw.choice(GENDERS),
        draw.choice(COUNTRIES),
        draw.choice(("oui", "non", "")),
        draw.choice(DEPARTEMENTS),
        draw.choice(FORMS),
        identified,
    ]


def case_rows(count: int, *, start: int = 0, seed: int = 1) -> Iterator[list[str]]:
    # Fictional data, reproducible on purpose: not a security use of randomness.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    for number in range(start, start + count):
        yield case_row(number, rng=rng)


def csv_bytes(
    rows: Iterator[Sequence[str]] | Sequence[Sequence[str]],
    *,
    header: Sequence[str] = CASES_HEADER,
    separator: str = ";",
    bom: bool = True,
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return ("\ufeff" if bom else "").encode() + text.encode()


def xlsx_bytes(
    rows: Iterator[Sequence[object]] | Sequence[Sequence[object]],
    *,
    header: Sequence[str] = CASES_HEADER,
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mapping_create(*, organisation, target="cases", name="Ancien outil", columns=None):  # type: ignore[no-untyped-def]
    from vigie.imports.models import ImportMapping  # the benchmark writes files before setup

    return ImportMapping.objects.create(
        organisation=organisation, target=target, name=name, columns=columns or CASES_MAPPING
    )
