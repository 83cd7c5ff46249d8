"""What a worker records about one ad, normalised and checked: phones to E.164, handles to
``platform:account``, photo fingerprints, the URL. Nothing here writes; recording is in
``ads.py``. The import's check page runs ``ad_input_check`` on every row before anything is
written, so a file is refused with the same messages the form gives."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from vigie.core.crypto import blind_index

from ..identifiers import handle_normalise, phone_normalise, phones_in_text
from ..models import IdentifierKind
from ..signs_catalogue import signs_catalogue

URL_INDEX_PURPOSE = "outreach.ad_url"
IDENTIFIER_INDEX_PURPOSE = "outreach.identifier"
# Ages a person could state in an escort ad; anything else is a typing error.
DECLARED_AGE_RANGE = (10, 99)
_HEX = frozenset("0123456789abcdef")


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


# A host name of at least two labels ("site.fr"), letters of any script allowed.
_HOST = re.compile(r"^(?:[^\W_](?:[\w\-]*[^\W_])?\.)+[^\W\d_]{2,}$")


def url_normalise(url: str) -> str:
    """Lower-case host, https, no fragment, no trailing slash: one ad, one key.

    Only a web address of a named host is accepted ("javascript:…", credentials in the address
    or a bad port are refused), and it is always stored as https: Vigie shows it as a link.
    """
    raw = url.strip()
    if not raw:
        return ""
    refused = ValidationError({"url": _("Enter a web address starting with https://.")})
    if any(char.isspace() for char in raw):
        raise refused
    parts = urlsplit(raw if "://" in raw else f"https://{raw}")
    try:
        port = parts.port
    except ValueError as error:
        raise refused from error
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in {"http", "https"}
        or parts.username is not None
        or not _HOST.match(host)
    ):
        raise refused
    netloc = f"{host}:{port}" if port else host
    return urlunsplit(("https", netloc, parts.path.rstrip("/"), parts.query, ""))


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


@dataclass(frozen=True)
class NormalisedAd:
    url: str
    # Kind -> normalised values in the order given (phones found in the text last).
    identifiers: dict[str, list[str]]


def ad_input_normalised(data: AdInput) -> NormalisedAd:
    """Check everything and normalise; one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    url = ""
    identifiers: dict[str, list[str]] = {}
    try:
        url = _validate(data)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        identifiers = _normalised_identifiers(data)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return NormalisedAd(url=url, identifiers=identifiers)


def ad_input_check(data: AdInput) -> None:
    """Every check recording makes, without writing: the import's check page runs it per row."""
    ad_input_normalised(data)


def _paragraphs_joined(first: str, second: str) -> str:
    paragraphs = [part.strip() for part in first.split("\n\n") if part.strip()]
    for part in second.split("\n\n"):
        if part.strip() and part.strip() not in paragraphs:
            paragraphs.append(part.strip())
    return "\n\n".join(paragraphs)


def _union(first: Sequence[str], second: Sequence[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def ad_inputs_combined(first: AdInput, second: AdInput) -> AdInput:
    """The same ad (same address) seen twice: the widest dates, everything either sighting
    recorded, and the first one's text, age, city and site where both have one (a team's
    earlier record is not overwritten by a later sighting)."""
    return replace(
        first,
        first_seen_on=min(first.first_seen_on, second.first_seen_on),
        last_seen_on=max(first.last_seen_on, second.last_seen_on),
        text=first.text or second.text,
        declared_age=first.declared_age if first.declared_age is not None else second.declared_age,
        city=first.city or second.city,
        pseudonyms=_union(first.pseudonyms, second.pseudonyms),
        phones=_union(first.phones, second.phones),
        handles=_union(first.handles, second.handles),
        image_hashes=_union(first.image_hashes, second.image_hashes),
        observations=_paragraphs_joined(first.observations, second.observations),
        worker_flags=sorted({*first.worker_flags, *second.worker_flags}),
    )
