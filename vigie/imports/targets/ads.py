"""Importing online advertisements recorded by an outreach team (issue 10: ads found by the team,
never crawled), from CSV, XLSX or JSON.

Each row is checked as the ad form checks it (vigie/outreach/services/ads.py), the service's
problems named by the row and the column they come from; then every ad of the file is recorded
by ``ads_import`` in one call, all or nothing. An ad whose address is already recorded is the
same ad seen again: the service widens its dates and adds its new identifiers, so importing a
file again duplicates nothing (the preview counts those rows as updates).
"""

import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction
from vigie.outreach.models import Advertisement
from vigie.outreach.services.ad_input import (
    DECLARED_AGE_RANGE,
    AdInput,
    ad_input_check,
    url_index,
    url_normalise,
)
from vigie.outreach.services.ads import ads_import

from ..fields import (
    HELP_DATE,
    HELP_TEXT,
    ImportField,
    bool_parse,
    date_parse,
    integer_parser,
    text_parser,
)
from ..models import ImportTarget
from .base import Row, Target, WriteResult

LOOKUP_CHUNK = 900
KEY_SEPARATOR = "\x1f"
# The ad form's box "the photos look young" (a worker_judgement sign of signs.yaml).
PHOTOS_LOOK_YOUNG = "photos_look_young"
# Several values in one cell: one per line, or separated by ";" (not ",": a profile's address
# or a pseudonym may hold one).
_VALUE_SEPARATORS = re.compile(r"[;\n]")
_LONG_TEXT = 10_000


def values_parser(max_length: int = 300) -> Callable[[str], list[str]]:
    """The values of a multi-valued cell, in the cell's order, each once."""

    def parse(cell: str) -> list[str]:
        values: list[str] = []
        for part in _VALUE_SEPARATORS.split(cell):
            value = part.strip()
            if len(value) > max_length:
                raise ValidationError(
                    _("At most %(limit)s characters per value (%(count)s given).")
                    % {"limit": max_length, "count": len(value)}
                )
            if value and value not in values:
                values.append(value)
        return values

    return parse


HELP_VALUES = gettext_lazy("One or several, one per line or separated by “;”.")

FIELDS = (
    ImportField(
        "site",
        gettext_lazy("Site"),
        True,
        gettext_lazy("Where the ad was seen (the site's name or address)."),
        parse=text_parser(120),
        synonyms=("site web", "plateforme", "site de l'annonce"),
    ),
    ImportField(
        "url",
        gettext_lazy("Ad's address"),
        False,
        gettext_lazy("The ad's web address (https://…). The same address is the same ad."),
        parse=text_parser(2000),
        synonyms=("adresse", "url", "lien", "adresse de l'annonce", "adresse web"),
    ),
    ImportField(
        "first_seen_on",
        gettext_lazy("First seen on"),
        True,
        HELP_DATE,
        parse=date_parse,
        default=None,
        synonyms=("vu le", "premiere vue", "vue le", "date de premiere vue", "date"),
    ),
    ImportField(
        "last_seen_on",
        gettext_lazy("Last seen on"),
        False,
        gettext_lazy("A date: DD/MM/YYYY or YYYY-MM-DD (empty: the first day seen)."),
        parse=date_parse,
        default=None,
        synonyms=("derniere vue", "vue pour la derniere fois", "date de derniere vue"),
    ),
    ImportField(
        "text",
        gettext_lazy("Text"),
        False,
        gettext_lazy("The ad's text as published (the text or the address is needed)."),
        parse=text_parser(_LONG_TEXT),
        synonyms=("texte", "texte de l'annonce", "annonce", "contenu"),
    ),
    ImportField(
        "declared_age",
        gettext_lazy("Stated age"),
        False,
        gettext_lazy("The age the ad states, a whole number."),
        parse=integer_parser(*DECLARED_AGE_RANGE),
        default=None,
        synonyms=("age annonce", "age", "age declare", "age indique"),
    ),
    ImportField(
        "city",
        gettext_lazy("City"),
        False,
        HELP_TEXT,
        parse=text_parser(200),
        synonyms=("ville", "commune"),
    ),
    ImportField(
        "pseudonyms",
        gettext_lazy("Pseudonyms"),
        False,
        HELP_VALUES,
        parse=values_parser(),
        default=[],
        synonyms=("pseudos", "pseudo", "pseudonymes", "prenoms"),
    ),
    ImportField(
        "phones",
        gettext_lazy("Phones"),
        False,
        gettext_lazy("06 12 34 56 78 or +33 6 12 34 56 78; one per line or separated by “;”."),
        parse=values_parser(),
        default=[],
        synonyms=("telephones", "telephone", "tel", "numeros"),
    ),
    ImportField(
        "handles",
        gettext_lazy("Accounts"),
        False,
        gettext_lazy(
            "platform:name (snapchat:lea_x) or the profile's address; one per line or "
            "separated by “;”."
        ),
        parse=values_parser(),
        default=[],
        synonyms=("comptes", "compte", "reseaux sociaux", "identifiants"),
    ),
    ImportField(
        "image_hashes",
        gettext_lazy("Photo fingerprints"),
        False,
        gettext_lazy(
            "Perceptual hashes of the photos, 16 hexadecimal digits each; one per line or "
            "separated by “;”."
        ),
        parse=values_parser(),
        default=[],
        synonyms=("empreintes photos", "empreintes", "empreinte photo", "phash"),
    ),
    ImportField(
        "observations",
        gettext_lazy("Observations"),
        False,
        gettext_lazy("What the worker noticed."),
        parse=text_parser(_LONG_TEXT),
        synonyms=("remarques", "notes", "commentaire", "commentaires"),
    ),
    ImportField(
        "photos_look_young",
        gettext_lazy("Photos look young"),
        False,
        gettext_lazy("“oui” or “non” (empty: no): the worker's judgement on the photos."),
        parse=bool_parse,
        default=False,
        synonyms=("photos jeunes", "apparence jeune", "photos d'apparence jeune"),
    ),
)
# The service names the box by its flag; the file by this field.
_SERVICE_KEYS = {"worker_flags": "photos_look_young"}


def ad_input_of(values: dict[str, Any]) -> AdInput:
    """A row's values as the service takes them."""
    return AdInput(
        site=values["site"],
        url=values["url"],
        first_seen_on=values["first_seen_on"],
        last_seen_on=values["last_seen_on"] or values["first_seen_on"],
        text=values["text"],
        declared_age=values["declared_age"],
        city=values["city"],
        pseudonyms=values["pseudonyms"],
        phones=values["phones"],
        handles=values["handles"],
        image_hashes=values["image_hashes"],
        observations=values["observations"],
        worker_flags=[PHOTOS_LOOK_YOUNG] if values["photos_look_young"] else [],
    )


def _problems(error: ValidationError) -> dict[str, str]:
    return {
        _SERVICE_KEYS.get(name, name): " ".join(messages)
        for name, messages in error.message_dict.items()
    }


class AdsTarget(Target):
    name = ImportTarget.ADS
    permission = Permission.OUTREACH_EDIT
    audit_action = AuditAction.OUTREACH_AD_IMPORT
    # ads_import writes the one OUTREACH_AD_IMPORT event naming every ad created or seen again.
    audited_by_service = True
    fields = FIELDS
    # An ad already recorded (same address) is seen again: ads_import merges it.
    on_match = "update"

    def row_check(self, values: dict[str, Any]) -> dict[str, str]:
        data = ad_input_of(values)
        problems: dict[str, str] = {}
        try:
            ad_input_check(data)
        except ValidationError as error:
            problems.update(_problems(error))
        return problems

    def row_key(self, values: dict[str, Any]) -> str:
        """The ad's address (blind index) and a digest of the row: the same row twice is a
        duplicate, while two sightings of one ad (other dates) both reach the service, which
        merges them."""
        digest = hashlib.sha256(repr(sorted(values.items())).encode()).hexdigest()[:32]
        return KEY_SEPARATOR.join((url_index(url_normalise(values["url"])), digest))

    def matches(self, organisation: Organisation, keys: list[str]) -> dict[str, Any]:
        by_index: dict[str, list[str]] = {}
        for key in keys:
            index = key.split(KEY_SEPARATOR, 1)[0]
            if index:
                by_index.setdefault(index, []).append(key)
        indexes = sorted(by_index)
        found: dict[str, Any] = {}
        for start in range(0, len(indexes), LOOKUP_CHUNK):
            for ad in Advertisement.objects.filter(
                organisation=organisation, url_index__in=indexes[start : start + LOOKUP_CHUNK]
            ).only("pk", "uuid", "url_index"):
                for key in by_index[ad.url_index]:
                    found[key] = ad
        return found

    def batch(self, *, actor: Actor, organisation: Organisation, job: Any) -> "AdsBatch":
        return AdsBatch(actor=actor, organisation=organisation)


class AdsBatch:
    """The file's ads, in the file's order, recorded at once by the service."""

    def __init__(self, *, actor: Actor, organisation: Organisation) -> None:
        self.actor = actor
        self.organisation = organisation
        self.items: list[tuple[int, AdInput]] = []

    def add_new(self, rows: list[Row]) -> None:
        self.items.extend((row.line, ad_input_of(row.values)) for row in rows)

    def add_matches(self, rows: list[tuple[Row, Any]]) -> None:
        self.items.extend((row.line, ad_input_of(row.values)) for row, _ad in rows)

    def close(self) -> None:
        self.items = []

    def write(self) -> WriteResult:
        self.items.sort(key=lambda item: item[0])
        recorded = ads_import(
            actor=self.actor,
            organisation=self.organisation,
            items=[data for _line, data in self.items],
        )
        created = [ad.uuid for ad in recorded.created]
        fresh = set(created)
        seen_again = [ad.uuid for ad in recorded.seen_again if ad.uuid not in fresh]
        return WriteResult(created=created, updated=list(dict.fromkeys(seen_again)))
