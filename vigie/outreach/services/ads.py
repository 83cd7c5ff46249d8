"""Recording and changing online advertisements: the one path the form, the import and the demo
take, so that signs, identifiers, references and clusters are always computed the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.crypto import blind_index

from ..identifiers import handle_normalise, phone_normalise, phones_in_text
from ..models import AdIdentifier, Advertisement, IdentifierKind
from ..signs import signs_for_ad
from ..signs_catalogue import signs_catalogue
from .clusters import clusters_refresh

URL_INDEX_PURPOSE = "outreach.ad_url"
IDENTIFIER_INDEX_PURPOSE = "outreach.identifier"
REFERENCE_PREFIX = "ANN"
# Ages a person could state in an escort ad; anything else is a typing error.
DECLARED_AGE_RANGE = (10, 99)
_HEX = frozenset("0123456789abcdef")


class IfExists(StrEnum):
    """What recording an ad whose URL is already recorded does."""

    ERROR = "error"  # the form: tell the worker which ad it is
    MERGE = "merge"  # an import: the ad was seen again, widen its dates and add identifiers


@dataclass
class AdInput:
    """What a worker records about one ad. Raw values: the service normalises and validates."""

    site: str
    first_seen_on: date
    last_seen_on: date
    url: str = ""
    text: str = ""
    declared_age: int | None = None
    city: str = ""
    pseudonyms: Sequence[str] = ()
    # Phones as written ("06 12 34 56 78"); numbers found in the text are added.
    phones: Sequence[str] = ()
    # Handles as written: "snapchat:lea_x", "@lea_x" with ``handle_platform``, or a profile URL.
    handles: Sequence[str] = ()
    # Perceptual hashes (hexadecimal) of the photos the worker uploaded (see images.py).
    image_hashes: Sequence[str] = ()
    observations: str = ""
    worker_flags: Sequence[str] = field(default_factory=tuple)


def url_normalise(url: str) -> str:
    """Lower-case scheme and host, no fragment, no trailing slash: one ad, one key."""
    raw = url.strip()
    if not raw:
        return ""
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    if parts.scheme not in {"http", "https"} or not parts.netloc or " " in raw:
        raise ValidationError({"url": _("Enter a web address starting with https://.")})
    return urlunsplit(("https", parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def url_index(url: str) -> str:
    return blind_index(url, purpose=URL_INDEX_PURPOSE) if url else ""


def identifier_index(kind: str, value: str) -> str:
    return blind_index(f"{kind}:{value}", purpose=IDENTIFIER_INDEX_PURPOSE)


def _handle(raw: str) -> str | None:
    value = raw.strip()
    if not value:
        return None
    if "://" in value or "." in value.split(":", 1)[0]:
        return handle_normalise("", value)
    if ":" in value:
        platform, account = value.split(":", 1)
        return handle_normalise(platform.strip().lower(), account)
    return handle_normalise("", value)


def _normalised_identifiers(data: AdInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    phones: list[str] = []
    for raw in data.phones:
        if not raw.strip():
            continue
        phone = phone_normalise(raw)
        if phone is None:
            errors.setdefault("phones", []).append(
                _("“%(value)s” is not a phone number.") % {"value": raw}
            )
        elif phone not in phones:
            phones.append(phone)
    for phone in phones_in_text(data.text):
        if phone not in phones:
            phones.append(phone)
    handles: list[str] = []
    for raw in data.handles:
        if not raw.strip():
            continue
        handle = _handle(raw)
        if handle is None:
            errors.setdefault("handles", []).append(
                _(
                    "“%(value)s” is not an account: write platform:name (snapchat:lea_x) "
                    "or the profile's address."
                )
                % {"value": raw}
            )
        elif handle not in handles:
            handles.append(handle)
    images: list[str] = []
    for raw in data.image_hashes:
        value = raw.strip().lower()
        if not value:
            continue
        if len(value) != 16 or not set(value) <= _HEX:
            errors.setdefault("image_hashes", []).append(
                _("“%(value)s” is not a photo fingerprint (16 hexadecimal digits).")
                % {"value": raw}
            )
        elif value not in images:
            images.append(value)
    if errors:
        raise ValidationError(errors)
    return {
        IdentifierKind.PHONE: phones,
        IdentifierKind.HANDLE: handles,
        IdentifierKind.IMAGE: images,
    }


def _validate(data: AdInput) -> str:
    errors: dict[str, str] = {}
    if not data.site.strip():
        errors["site"] = _("Name the site where the advertisement was seen.")
    elif len(data.site.strip()) > 120:
        errors["site"] = _("The site's name is too long (120 characters at most).")
    if data.last_seen_on < data.first_seen_on:
        errors["last_seen_on"] = _("The ad cannot be last seen before it was first seen.")
    low, high = DECLARED_AGE_RANGE
    if data.declared_age is not None and not low <= data.declared_age <= high:
        errors["declared_age"] = _("The stated age must be between %(low)s and %(high)s.") % {
            "low": low,
            "high": high,
        }
    unknown_flags = set(data.worker_flags) - set(signs_catalogue().worker_flags)
    if unknown_flags:
        errors["worker_flags"] = _("Unknown judgement: %(flags)s") % {
            "flags": ", ".join(sorted(unknown_flags))
        }
    if not data.text.strip() and not data.url.strip():
        errors["text"] = _("Record at least the ad's text or its address.")
    try:
        url = url_normalise(data.url)
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
        url = ""
    if errors:
        raise ValidationError(errors)
    return url


def _references(organisation: Organisation, year: int, count: int) -> list[str]:
    """The next ``count`` references of the year, under a lock on the organisation's row."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
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


def _merge(existing: Advertisement, data: AdInput, identifiers: dict[str, list[str]]) -> None:
    """The same ad seen again: widen the dates, add what is new, keep what the team wrote."""
    known = ad_identifiers(existing)
    merged = AdInput(
        site=existing.site,
        url=existing.url,
        first_seen_on=min(existing.first_seen_on, data.first_seen_on),
        last_seen_on=max(existing.last_seen_on, data.last_seen_on),
        text=existing.text or data.text,
        declared_age=existing.declared_age
        if existing.declared_age is not None
        else data.declared_age,
        city=existing.city or data.city,
        pseudonyms=list(dict.fromkeys([*existing.pseudonym_list, *data.pseudonyms])),
        observations="\n\n".join(
            part for part in (existing.observations, data.observations.strip()) if part
        )
        if data.observations.strip() not in existing.observations
        else existing.observations,
        worker_flags=sorted({*existing.worker_flags, *data.worker_flags}),
    )
    _apply(existing, merged, existing.url)
    existing.save()
    _identifiers_replace(
        existing,
        {
            kind: list(dict.fromkeys([*known.get(kind, []), *identifiers.get(kind, [])]))
            for kind in IdentifierKind
        },
    )


@dataclass(frozen=True)
class AdsRecorded:
    created: list[Advertisement]
    seen_again: list[Advertisement]


def _ads_record(
    *, organisation: Organisation, items: Sequence[AdInput], if_exists: IfExists
) -> AdsRecorded:
    prepared = []
    for data in items:
        url = _validate(data)
        prepared.append((data, url, _normalised_identifiers(data)))
    indexes = {url_index(url) for _data, url, _ids in prepared if url}
    existing = {
        ad.url_index: ad
        for ad in Advertisement.objects.filter(organisation=organisation, url_index__in=indexes)
    }
    new_items: list[tuple[AdInput, str, dict[str, list[str]]]] = []
    seen_again: list[Advertisement] = []
    pending: dict[str, int] = {}
    for data, url, identifiers in prepared:
        index = url_index(url)
        if index and index in existing:
            if if_exists is IfExists.ERROR:
                raise ValidationError(
                    {
                        "url": _("This advertisement is already recorded as %(reference)s.")
                        % {"reference": existing[index].reference}
                    }
                )
            _merge(existing[index], data, identifiers)
            seen_again.append(existing[index])
            continue
        if index and index in pending:
            # Twice in one import: the second is the same ad seen again.
            first_data, first_url, first_identifiers = new_items[pending[index]]
            new_items[pending[index]] = (
                AdInput(
                    **{
                        **first_data.__dict__,
                        "first_seen_on": min(first_data.first_seen_on, data.first_seen_on),
                        "last_seen_on": max(first_data.last_seen_on, data.last_seen_on),
                    }
                ),
                first_url,
                {
                    kind: list(dict.fromkeys([*first_identifiers[kind], *identifiers[kind]]))
                    for kind in IdentifierKind
                },
            )
            continue
        if index:
            pending[index] = len(new_items)
        new_items.append((data, url, identifiers))
    created: list[Advertisement] = []
    if new_items:
        year = new_items[0][0].first_seen_on.year
        references = _references(organisation, year, len(new_items))
        ads = []
        for (data, url, _identifiers), reference in zip(new_items, references, strict=True):
            ad = Advertisement(organisation=organisation, reference=reference)
            _apply(ad, data, url)
            ads.append(ad)
        created = Advertisement.objects.bulk_create(ads, batch_size=500)
        if any(ad.pk is None for ad in created):
            # SQLite before 3.35 and some backends do not return keys: read them back.
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
                for ad, (_data, _url, identifiers) in zip(created, new_items, strict=True)
                for kind, values in identifiers.items()
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
    url = _validate(data)
    identifiers = _normalised_identifiers(data)
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
