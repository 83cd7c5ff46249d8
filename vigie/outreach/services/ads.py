"""Recording and changing online advertisements: the one path the form, the import and the demo
take, so that signs, identifiers, references and clusters are always computed the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor, AuditAction, audit_record

from ..models import AdIdentifier, Advertisement, IdentifierKind
from ..signs import signs_for_ad
from .ad_input import (
    AdInput,
    NormalisedAd,
    ad_input_normalised,
    ad_inputs_combined,
    identifier_index,
    url_index,
)
from .clusters import clusters_refresh

REFERENCE_PREFIX = "ANN"


class IfExists(StrEnum):
    """What recording an ad whose URL is already recorded does."""

    ERROR = "error"  # the form: tell the worker which ad it is
    MERGE = "merge"  # an import: the ad was seen again, widen its dates and add identifiers


def _references(organisation: Organisation, year: int, count: int) -> list[str]:
    """The next ``count`` references of the year (the caller holds the organisation's row)."""
    prefix = f"{REFERENCE_PREFIX}-{year}-"
    last = (
        Advertisement.objects.filter(organisation=organisation, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    start = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return [f"{prefix}{number:05d}" for number in range(start, start + count)]


def _apply(ad: Advertisement, data: AdInput, url: str) -> None:
    signs = signs_for_ad(
        text=data.text, declared_age=data.declared_age, worker_flags=set(data.worker_flags)
    )
    ad.site = data.site.strip()
    ad.url = url
    ad.url_index = url_index(url)
    ad.first_seen_on = data.first_seen_on
    ad.last_seen_on = data.last_seen_on
    ad.text = data.text.strip()
    ad.declared_age = data.declared_age
    ad.city = data.city.strip()
    ad.pseudonyms = "\n".join(p.strip() for p in data.pseudonyms if p.strip())
    ad.observations = data.observations.strip()
    ad.worker_flags = sorted(set(data.worker_flags))
    ad.signs = list(signs.sign_ids)
    ad.signs_catalogue_version = signs.catalogue_version
    ad.declared_minor = signs.declared_minor
    ad.priority = signs.priority
    ad.last_activity_on = max(ad.last_activity_on or data.last_seen_on, data.last_seen_on)


def _identifiers_replace(ad: Advertisement, identifiers: dict[str, list[str]]) -> None:
    ad.identifiers.all().delete()
    AdIdentifier.objects.bulk_create(
        AdIdentifier(ad=ad, kind=kind, value=value, value_index=identifier_index(kind, value))
        for kind, values in identifiers.items()
        for value in values
    )


def ad_identifiers(ad: Advertisement) -> dict[str, list[str]]:
    """The ad's normalised identifiers by kind, in recording order."""
    found: dict[str, list[str]] = {kind: [] for kind in IdentifierKind}
    for identifier in ad.identifiers.order_by("pk"):
        found[identifier.kind].append(identifier.value)
    return found


@dataclass(frozen=True)
class AdsRecorded:
    created: list[Advertisement]
    seen_again: list[Advertisement]


def _seen_again(ad: Advertisement, data: AdInput) -> None:
    """The same ad recorded again: widen the dates, add what is new, keep what the team wrote."""
    combined = ad_inputs_combined(ad_input_from(ad), data)
    normalised = ad_input_normalised(combined)
    _apply(ad, combined, normalised.url)
    ad.save()
    _identifiers_replace(ad, normalised.identifiers)


def _ads_record(
    *, organisation: Organisation, items: Sequence[AdInput], if_exists: IfExists
) -> AdsRecorded:
    # The organisation's row first (references are numbered under it, the rebuild takes it):
    # one lock order for every writer of ads.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    # Sightings of one address are one ad: combined first, in the order given.
    sightings: dict[str, tuple[AdInput, NormalisedAd]] = {}
    for position, data in enumerate(items):
        normalised = ad_input_normalised(data)
        key = url_index(normalised.url) or f"#{position}"
        if key in sightings:
            data = ad_inputs_combined(sightings[key][0], data)
            normalised = ad_input_normalised(data)
        sightings[key] = (data, normalised)
    existing = {
        ad.url_index: ad
        for ad in Advertisement.objects.filter(
            organisation=organisation, url_index__in=[k for k in sightings if k[:1] != "#"]
        )
    }
    seen_again: list[Advertisement] = []
    new_items: list[tuple[AdInput, NormalisedAd]] = []
    for key, (data, normalised) in sightings.items():
        ad = existing.get(key)
        if ad is None:
            new_items.append((data, normalised))
            continue
        if if_exists is IfExists.ERROR:
            raise ValidationError(
                {
                    "url": _("This advertisement is already recorded as %(reference)s.")
                    % {"reference": ad.reference}
                }
            )
        _seen_again(ad, data)
        seen_again.append(ad)
    created: list[Advertisement] = []
    if new_items:
        # Numbered by the year of recording: references follow each other as ads are recorded.
        references = _references(organisation, timezone.localdate().year, len(new_items))
        ads = []
        for (data, normalised), reference in zip(new_items, references, strict=True):
            ad = Advertisement(organisation=organisation, reference=reference)
            _apply(ad, data, normalised.url)
            ads.append(ad)
        created = Advertisement.objects.bulk_create(ads, batch_size=500)
        if any(ad.pk is None for ad in created):
            # Backends that do not return keys from a bulk insert: read them back.
            by_reference = dict(
                Advertisement.objects.filter(
                    organisation=organisation, reference__in=references
                ).values_list("reference", "pk")
            )
            for ad in created:
                ad.pk = by_reference[ad.reference]
        AdIdentifier.objects.bulk_create(
            (
                AdIdentifier(
                    ad=ad, kind=kind, value=value, value_index=identifier_index(kind, value)
                )
                for ad, (_data, normalised) in zip(created, new_items, strict=True)
                for kind, values in normalised.identifiers.items()
                for value in values
            ),
            batch_size=1000,
        )
    return AdsRecorded(created=created, seen_again=seen_again)


@transaction.atomic
def ad_record(*, actor: Actor, organisation: Organisation, data: AdInput) -> Advertisement:
    """Record one ad from the form; an ad whose URL is already recorded is refused by name."""
    recorded = _ads_record(organisation=organisation, items=[data], if_exists=IfExists.ERROR)
    ad = recorded.created[0]
    audit_record(actor=actor, action=AuditAction.OUTREACH_AD_CREATE, objects=[ad])
    clusters_refresh(organisation=organisation)
    return ad


@transaction.atomic
def ads_import(
    *, actor: Actor, organisation: Organisation, items: Sequence[AdInput]
) -> AdsRecorded:
    """Record a collection of ads at once (an import, the demo): all or nothing.

    An ad already recorded (same URL) is the same ad seen again: its dates widen and new
    identifiers are added, nothing is duplicated. One audit event names every ad touched.
    """
    recorded = _ads_record(organisation=organisation, items=items, if_exists=IfExists.MERGE)
    touched = [*recorded.created, *recorded.seen_again]
    if touched:
        audit_record(actor=actor, action=AuditAction.OUTREACH_AD_IMPORT, objects=touched)
    clusters_refresh(organisation=organisation)
    return recorded


@transaction.atomic
def ad_update(*, actor: Actor, ad: Advertisement, data: AdInput) -> Advertisement:
    """Change an ad as a worker corrected it; its identifiers are replaced by the new ones."""
    # The organisation's row first, as recording and the rebuild take it: a fixed lock order,
    # so two workers changing ads at once wait for each other instead of deadlocking.
    Organisation.objects.select_for_update().filter(pk=ad.organisation_id).first()
    normalised = ad_input_normalised(data)
    url, identifiers = normalised.url, normalised.identifiers
    index = url_index(url)
    if (
        index
        and Advertisement.objects.filter(organisation_id=ad.organisation_id, url_index=index)
        .exclude(pk=ad.pk)
        .exists()
    ):
        raise ValidationError({"url": _("Another advertisement has this address.")})
    _apply(ad, data, url)
    ad.save()
    _identifiers_replace(ad, identifiers)
    audit_record(actor=actor, action=AuditAction.OUTREACH_AD_UPDATE, objects=[ad])
    clusters_refresh(organisation=ad.organisation)
    return ad


def ad_input_from(ad: Advertisement) -> AdInput:
    """The ad as the form shows it for editing."""
    identifiers = ad_identifiers(ad)
    return AdInput(
        site=ad.site,
        url=ad.url,
        first_seen_on=ad.first_seen_on,
        last_seen_on=ad.last_seen_on,
        text=ad.text,
        declared_age=ad.declared_age,
        city=ad.city,
        pseudonyms=ad.pseudonym_list,
        phones=identifiers[IdentifierKind.PHONE],
        handles=identifiers[IdentifierKind.HANDLE],
        image_hashes=identifiers[IdentifierKind.IMAGE],
        observations=ad.observations,
        worker_flags=list(ad.worker_flags),
    )


def ads_touch(ads: Iterable[Advertisement], day: date) -> None:
    """A contact or a report on these ads: their retention counts from that day."""
    for ad in ads:
        if ad.last_activity_on < day:
            ad.last_activity_on = day
            ad.save(update_fields=["last_activity_on", "updated_at"])
