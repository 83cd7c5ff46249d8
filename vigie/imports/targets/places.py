"""Importing accommodation places: each row goes through the checks of a place published with
the form (vigie/network/services/places.py). A row whose (département, type, name) matches one
of the organisation's places updates it, so a file imported again changes nothing."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction
from vigie.cases.models import ExploitationForm, Gender
from vigie.network.models import AccommodationPlace, PlaceKind
from vigie.network.services.directory import phone_clean
from vigie.network.services.places import AGE_LIMIT, PLACE_GENDERS, PlaceDetails
from vigie.network.services.places_import import place_values_checked

from ..fields import (
    HELP_BOOL,
    HELP_DEPARTEMENT,
    ImportField,
    bool_parse,
    choice_display,
    choice_parser,
    departement_parse,
    integer_parser,
    list_parser,
    text_parser,
)
from ..models import ImportTarget
from .base import Row, Target, WriteResult
from .cases_fields import FORM_WORDS, GENDER_WORDS

LOOKUP_CHUNK = 900
KEY_SEPARATOR = "\x1f"
CAPACITY_MAX = 999
PLACE_FIELDS = (
    "name",
    "kind",
    "departement",
    "capacity",
    "available",
    "age_min",
    "age_max",
    "genders",
    "accepts_any_territory",
    "forms_accepted",
    "phone",
    "notes",
    "is_active",
)

FIELDS = (
    ImportField(
        "name",
        gettext_lazy("Name"),
        True,
        gettext_lazy("The place's name."),
        parse=text_parser(200),
        synonyms=("nom", "structure", "etablissement"),
    ),
    ImportField(
        "kind",
        gettext_lazy("Type"),
        True,
        gettext_lazy("Its code or its name (e.g. famille d'accueil, foyer de l'enfance)."),
        parse=choice_parser(PlaceKind),
        display=choice_display(PlaceKind),
        synonyms=("type", "type de place", "categorie"),
    ),
    ImportField(
        "departement",
        gettext_lazy("Département"),
        True,
        HELP_DEPARTEMENT,
        parse=departement_parse,
        synonyms=("dept", "dep"),
    ),
    ImportField(
        "capacity",
        gettext_lazy("Capacity"),
        True,
        gettext_lazy("How many children it takes in (a whole number, at least 1)."),
        parse=integer_parser(1, CAPACITY_MAX),
        default=None,
        synonyms=("capacite", "nombre de places", "places"),
    ),
    ImportField(
        "available",
        gettext_lazy("Places available"),
        True,
        gettext_lazy("Free places now (between 0 and the capacity)."),
        parse=integer_parser(0, CAPACITY_MAX),
        default=None,
        synonyms=("places disponibles", "disponibles", "disponibilite", "libres"),
    ),
    ImportField(
        "age_min",
        gettext_lazy("Youngest age"),
        False,
        gettext_lazy("From 0 (empty: 0)."),
        parse=integer_parser(0, AGE_LIMIT),
        default=0,
        synonyms=("age minimum", "age min"),
    ),
    ImportField(
        "age_max",
        gettext_lazy("Oldest age"),
        False,
        gettext_lazy("Up to 21 (empty: 17)."),
        parse=integer_parser(0, AGE_LIMIT),
        default=17,
        synonyms=("age maximum", "age max"),
    ),
    ImportField(
        "genders",
        gettext_lazy("Genders"),
        False,
        gettext_lazy("fille, garçon, autre: one or several (empty: all)."),
        parse=list_parser(choice_parser(Gender, GENDER_WORDS, only=PLACE_GENDERS)),
        default=list(PLACE_GENDERS),
        display=choice_display(Gender),
        synonyms=("sexe", "genre", "public"),
    ),
    ImportField(
        "accepts_any_territory",
        gettext_lazy("Accepts children from any territory"),
        False,
        HELP_BOOL,
        parse=bool_parse,
        default=False,
        synonyms=("tout territoire", "hors departement", "accueil hors departement"),
    ),
    ImportField(
        "forms_accepted",
        gettext_lazy("Forms of exploitation accepted"),
        False,
        gettext_lazy("One or several, separated by “;” or “,” (empty: every form)."),
        parse=list_parser(choice_parser(ExploitationForm, FORM_WORDS)),
        default=[],
        display=choice_display(ExploitationForm),
        synonyms=("formes d'exploitation", "exploitation"),
    ),
    ImportField(
        "phone",
        gettext_lazy("Phone"),
        False,
        gettext_lazy("01 23 45 67 89, or with its country code: +33 1 23 45 67 89."),
        parse=phone_clean,
        synonyms=("telephone", "tel"),
    ),
    ImportField(
        "notes",
        gettext_lazy("Notes"),
        False,
        gettext_lazy("Free text (no child's data)."),
        parse=text_parser(2000),
        synonyms=("remarques", "commentaire", "commentaires"),
    ),
    ImportField(
        "is_active",
        gettext_lazy("Published"),
        False,
        gettext_lazy("“oui” or “non” (empty: yes)."),
        parse=bool_parse,
        default=True,
        synonyms=("publie", "actif", "active"),
    ),
)


class PlacesTarget(Target):
    name = ImportTarget.PLACES
    permission = Permission.PLACES_MANAGE
    audit_action = AuditAction.PLACE_IMPORT
    fields = FIELDS
    on_match = "update"
    repeat_is_error = True

    def row_check(self, values: dict[str, Any]) -> dict[str, str]:
        try:
            place_values_checked(PlaceDetails(**values))
        except ValidationError as error:
            return {name: " ".join(messages) for name, messages in error.message_dict.items()}
        return {}

    def row_key(self, values: dict[str, Any]) -> str:
        return KEY_SEPARATOR.join((values["departement"], values["kind"], values["name"]))

    def repeat_message(self, first_line: int) -> tuple[str, str]:
        return "name", _("Same département, type and name as line %(line)s.") % {"line": first_line}

    def matches(self, organisation: Organisation, keys: list[str]) -> dict[str, Any]:
        wanted = set(keys)
        names = sorted({key.split(KEY_SEPARATOR, 2)[2] for key in keys})
        found: dict[str, Any] = {}
        for start in range(0, len(names), LOOKUP_CHUNK):
            for place in AccommodationPlace.objects.filter(
                organisation=organisation, name__in=names[start : start + LOOKUP_CHUNK]
            ):
                key = KEY_SEPARATOR.join((place.departement, place.kind, place.name))
                if key in wanted:
                    found[key] = place
        return found

    def batch(self, *, actor: Actor, organisation: Organisation, job: Any) -> "PlacesBatch":
        return PlacesBatch(actor=actor, organisation=organisation)


class PlacesBatch:
    def __init__(self, *, actor: Actor, organisation: Organisation) -> None:
        self.actor = actor
        self.organisation = organisation
        self.now = timezone.now()
        self.created: list[AccommodationPlace] = []
        self.updated: list[AccommodationPlace] = []

    def add_new(self, rows: list[Row]) -> None:
        for row in rows:
            values = place_values_checked(PlaceDetails(**row.values))
            self.created.append(
                AccommodationPlace(
                    **values,
                    organisation=self.organisation,
                    availability_updated_at=self.now,
                    created_by=self.actor.user,
                )
            )

    def add_matches(self, rows: list[tuple[Row, Any]]) -> None:
        for row, place in rows:
            values = place_values_checked(PlaceDetails(**row.values))
            if values["available"] != place.available:
                place.availability_updated_at = self.now
            for attribute, value in values.items():
                setattr(place, attribute, value)
            place.updated_at = self.now  # bulk_update skips auto_now
            self.updated.append(place)

    def close(self) -> None:
        """Nothing held but the rows."""

    def write(self) -> WriteResult:
        AccommodationPlace.objects.bulk_create(self.created, batch_size=500)
        AccommodationPlace.objects.bulk_update(
            self.updated, [*PLACE_FIELDS, "availability_updated_at", "updated_at"], batch_size=500
        )
        return WriteResult(
            created=[p.uuid for p in self.created], updated=[p.uuid for p in self.updated]
        )
