"""Fictional directory entries for the demonstration site.

Clearly fictional everywhere: names start with "Fictif — ", ``is_fictional`` is set (the directory
shows a "fictional (demo)" tag), emails use example.org (reserved by RFC 2606), and phone numbers
come from the ranges ARCEP reserves for films and fiction, so that no demo number can
ring a real court, hospital or family.

ARCEP's fiction ranges checked with phonenumbers 9.0.43: the geographic ones are valid numbers
(01 99 00, 02 61 91, 03 53 01, 04 65 71, 05 36 49 xx xx) and are used here, each for the
départements of its zone; the mobile one (06 39 98 xx xx) is not a valid number for phonenumbers,
so it is not used. Overseas départements (974, 976) have no fiction range of their own: they get
one from the 01 zone, which stays obviously not local.
"""

import phonenumbers

from vigie.accounts.models import Organisation

from .models import ContactKind, DirectoryEntry, Need

# Fiction range (national prefix, first eight digits) per département of the demo.
_FICTION_RANGES = {
    "75": "019900",
    "93": "019900",
    "59": "035301",
    "69": "046571",
    "13": "046571",
    "06": "046571",
    "2A": "046571",
    "33": "053649",
    "35": "026191",
    "974": "019900",
    "976": "019900",
}

_HOURS_ALWAYS = "24 h/24, 7 j/7"
_HOURS_OFFICE = "lun.\u2013ven. 9 h\u201317 h"  # en dashes, as French typography writes ranges

# (kind, label in French, needs, role, hours)
_SERVICES: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    (
        ContactKind.JUVENILE_COURT,
        "Tribunal pour enfants",
        (Need.PROTECTION, Need.LEGAL, Need.AD_HOC_ADMINISTRATION),
        "Greffe des juges des enfants : assistance éducative, désignation d'un administrateur "
        "ad hoc.",
        _HOURS_OFFICE,
    ),
    (
        ContactKind.PROSECUTOR_MINORS,
        "Parquet, section des mineurs",
        (Need.PROTECTION, Need.REPORTING, Need.LEGAL),
        "Signalements, ordonnances de placement provisoire, permanence téléphonique.",
        _HOURS_ALWAYS,
    ),
    (
        ContactKind.ASE_EMERGENCY,
        "Cellule d'urgence de l'aide sociale à l'enfance",
        (Need.PROTECTION, Need.ACCOMMODATION),
        "Mise à l'abri et accueil d'urgence des mineurs en danger.",
        _HOURS_ALWAYS,
    ),
    (
        ContactKind.PJJ,
        "Protection judiciaire de la jeunesse, service territorial",
        (Need.LEGAL, Need.SCHOOLING),
        "Suivi éducatif des mineurs sous mesure judiciaire.",
        _HOURS_OFFICE,
    ),
    (
        ContactKind.UAPED,
        "UAPED du centre hospitalier",
        (Need.HEALTH, Need.PSYCHOLOGICAL, Need.REPORTING),
        "Accueil pédiatrique des enfants en danger, auditions filmées.",
        _HOURS_ALWAYS,
    ),
    (
        ContactKind.SIAO,
        "SIAO / 115",
        (Need.ACCOMMODATION,),
        "Hébergement d'urgence ; pour un mineur, orientation vers l'ASE.",
        _HOURS_ALWAYS,
    ),
    (
        ContactKind.PSYCHOTRAUMA,
        "Centre régional du psychotraumatisme",
        (Need.PSYCHOLOGICAL, Need.HEALTH),
        "Soins spécialisés des victimes de violences, consultations pour mineurs.",
        _HOURS_OFFICE,
    ),
    (
        ContactKind.ADDICTION_YOUTH,
        "Consultation jeunes consommateurs",
        (Need.ADDICTION, Need.HEALTH),
        "Accompagnement des addictions des 12\u201325 ans, sans rendez-vous le mercredi.",
        _HOURS_OFFICE,
    ),
    (
        ContactKind.POLICE_UNIT,
        "Brigade de protection des mineurs",
        (Need.REPORTING, Need.PROTECTION),
        "Enquêtes sur les infractions commises contre des mineurs.",
        _HOURS_ALWAYS,
    ),
    (
        ContactKind.ASSOCIATION,
        "Association d'aide aux victimes",
        (Need.LEGAL, Need.PSYCHOLOGICAL, Need.SCHOOLING),
        "Accompagnement juridique et social des jeunes victimes de traite.",
        _HOURS_OFFICE,
    ),
)


def _fiction_phone(departement: str, index: int) -> str:
    national = f"{_FICTION_RANGES[departement]}{index:04d}"
    number = phonenumbers.parse(national, "FR")
    # A demo number that does not parse must fail loudly, not be stored as something else.
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"Demo phone number {national} is not valid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def directory_demo_entries(*, maintained_by: Organisation) -> list[DirectoryEntry]:
    """One entry per kind of service for each demo département, UNSAVED: the caller saves them
    (``DirectoryEntry.objects.bulk_create(entries)``, or with ``ignore_conflicts=True`` when the
    demo is generated again)."""
    entries = []
    for d_index, departement in enumerate(_FICTION_RANGES):
        for s_index, (kind, label, needs, role, hours) in enumerate(_SERVICES):
            number = d_index * 100 + s_index
            entries.append(
                DirectoryEntry(
                    name=f"Fictif — {label} ({departement})",
                    kind=kind,
                    departement=departement,
                    needs=[str(n) for n in needs],
                    role=role,
                    hours=hours,
                    phone=_fiction_phone(departement, number),
                    email=f"{kind.replace('_', '-')}-{departement.lower()}@example.org",
                    address="",
                    maintained_by=maintained_by,
                    is_fictional=True,
                )
            )
    return entries
