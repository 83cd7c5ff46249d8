"""From an ad to a case file: when a contact led the person to accept support.

The file is opened through the cases app's own service (vigie/cases/services/opening.py), so it
asks and checks exactly what any other file does; the form is prefilled with the online
situation (issue 10: "a case opened from the ad, identification form prefilled with the online
situation, keeping the link"). Once linked, the ad lives as long as the file: the outreach
retention (services/retention.py) only deletes ads without a case.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import Case, ExploitationForm, ReferralSource
from vigie.cases.services.opening import case_note_add, case_open
from vigie.network.departements import departement_get, departements_load

from ..models import Advertisement

MAJORITY_AGE = 18
# The cases form's limit on aliases (vigie/cases/forms.py CaseOpenForm.aliases).
ALIASES_MAX_LENGTH = 300

# The largest cities whose name is not that of their département: enough to prefill most ads'
# cities (the worker checks the value; a city not found leaves the field empty).
_CITY_DEPARTEMENTS = {
    "marseille": "13",
    "lyon": "69",
    "villeurbanne": "69",
    "toulouse": "31",
    "nice": "06",
    "nantes": "44",
    "montpellier": "34",
    "strasbourg": "67",
    "bordeaux": "33",
    "lille": "59",
    "roubaix": "59",
    "tourcoing": "59",
    "rennes": "35",
    "reims": "51",
    "toulon": "83",
    "grenoble": "38",
    "dijon": "21",
    "angers": "49",
    "nimes": "30",
    "clermont ferrand": "63",
    "le mans": "72",
    "aix en provence": "13",
    "brest": "29",
    "tours": "37",
    "amiens": "80",
    "limoges": "87",
    "annecy": "74",
    "perpignan": "66",
    "metz": "57",
    "besancon": "25",
    "orleans": "45",
    "rouen": "76",
    "mulhouse": "68",
    "caen": "14",
    "nancy": "54",
    "argenteuil": "95",
    "montreuil": "93",
    "saint denis": "93",
    "avignon": "84",
    "poitiers": "86",
}
_POSTCODE = re.compile(r"\b(\d{5})\b")


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.casefold()).split())


def departement_for_city(city: str) -> str:
    """The département of an ad's city when it can be told ("Lyon", "Paris 18e", "69003");
    empty otherwise (Corsica's postcodes, which start with 20, included)."""
    postcode = _POSTCODE.search(city)
    if postcode:
        code = postcode.group(1)
        candidate = code[:3] if code.startswith("97") else code[:2]
        if candidate != "20" and departement_get(candidate) is not None:
            return candidate
    folded = _folded(city)
    if not folded:
        return ""
    if folded in _CITY_DEPARTEMENTS:
        return _CITY_DEPARTEMENTS[folded]
    for departement in departements_load().values():
        if _folded(departement.name) == folded:
            return departement.code
    # "Paris 18e", "Lyon centre": the first word alone.
    first = folded.split()[0]
    if first == "paris":
        return "75"
    return _CITY_DEPARTEMENTS.get(first, "")


def _day(value: date) -> str:
    return str(date_format(value, "SHORT_DATE_FORMAT"))


def situation_note(ad: Advertisement) -> str:
    """The online situation in one sentence, in the active language, for the file's first note."""
    parts = [
        _("Online advertisement %(reference)s on %(site)s, seen from %(first)s to %(last)s")
        % {
            "reference": ad.reference,
            "site": ad.site,
            "first": _day(ad.first_seen_on),
            "last": _day(ad.last_seen_on),
        }
    ]
    if ad.city:
        parts.append(_("city %(city)s") % {"city": ad.city})
    if ad.declared_age is not None:
        parts.append(_("stated age %(age)s") % {"age": ad.declared_age})
    return ", ".join(parts) + "."


def case_prefill(ad: Advertisement, *, today: date | None = None) -> dict[str, Any]:
    """The case opening form's initial values for a file opened from ``ad``.

    A stated age under 18 gives an estimated birth year with the age marked disputed (minority
    presumed while in doubt); an adult age stated on an escort site proves nothing (the sites do
    not check it, seed 000 §III.4), so it is left to the note rather than written as a fact.
    """
    today = today or timezone.localdate()
    initial: dict[str, Any] = {
        "referral_source": ReferralSource.OUTREACH,
        "exploitation_forms": [ExploitationForm.ONLINE_SEXUAL_EXPLOITATION],
        "aliases": ", ".join(ad.pseudonym_list)[:ALIASES_MAX_LENGTH],
        "departement": departement_for_city(ad.city),
        "situation_note": situation_note(ad),
    }
    if ad.declared_age is not None and ad.declared_age < MAJORITY_AGE:
        initial["birth_year"] = today.year - ad.declared_age
        initial["age_disputed"] = True
    return initial


@transaction.atomic
def case_open_from_ad(
    *, actor: Actor, ad: Advertisement, case_data: dict[str, Any], note: str = ""
) -> Case:
    """Open a file with ``case_data`` (the case opening form's values), write ``note`` as its
    first note, and link the ad to it; all or nothing. ``ad`` comes from ad_get_for_user."""
    user = actor.user
    if (
        user is None
        or not user.has_vigie_permission(Permission.OUTREACH_EDIT)
        or not user.has_vigie_permission(Permission.CASE_EDIT)
        or user.organisation_id != ad.organisation_id
    ):
        raise PermissionDenied
    # The row locked: two people opening a file from the same ad at once make one file.
    locked = Advertisement.objects.select_for_update().get(pk=ad.pk)
    if locked.case_id is not None:
        raise ValidationError(_("A case file was already opened from this advertisement."))
    case = case_open(actor=actor, **case_data)
    if note.strip():
        case_note_add(actor=actor, case=case, text=note)
    ad.case = case
    ad.save(update_fields=["case", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_CASE_OPEN,
        objects=[ad],
        object_uuids=[case.uuid],
    )
    return case


# The identification grid's indicator for a child found through online ads (Collective 2022
# §III.4): a file opened from an ad starts its screening with it ticked.
ONLINE_ADS_INDICATOR = "french_field.exploitative_conditions.online_sexual_advertisements"


def screening_prefill_for_case(case: Case) -> dict[str, list[str]]:
    """Initial values for the screening form (vigie/identification/forms.py ScreeningForm) of a
    file opened from an ad: the online ads indicator ticked; nothing for other files. The other
    indicators and situations stay the worker's judgement, with the young person."""
    from vigie.identification.catalogue import load_catalogue

    if not Advertisement.objects.filter(case=case).exists():
        return {}
    indicator = load_catalogue().indicators.get(ONLINE_ADS_INDICATOR)
    if indicator is None:
        return {}
    return {f"indicators_{indicator.dimension}": [indicator.id]}
