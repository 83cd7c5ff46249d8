"""Reading the organisation's advertisements for the list and the ad page: scoped, audited.

Scope comes from ``Advertisement.objects.visible_to`` (vigie/outreach/access.py). A search by
phone or handle goes through the identifiers' keyed blind index: the query is normalised the way
the ads' identifiers were, then hashed, so nothing is ever decrypted to search.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record

from .identifiers import HANDLE_PLATFORMS, handle_normalise, phone_normalise
from .models import AdIdentifier, Advertisement, IdentifierKind
from .selectors import cluster_label
from .services.ad_input import identifier_index
from .services.ads import ad_identifiers
from .signs import SignMatch, signs_for_ad
from .signs_catalogue import signs_catalogue

ADS_PER_PAGE = 50

# The ad's place in the worker's list (vigie/outreach/signs.py ``AdSigns.priority``), in words:
# never shown by colour alone.
PRIORITY_LABELS = {
    0: _("No sign of a minor found"),
    1: _("Weak signs of a minor"),
    2: _("Medium signs of a minor"),
    3: _("Strong sign of a minor, or a declared minor"),
}


@dataclass(frozen=True)
class AdFilters:
    signs_only: bool = False
    site: str = ""
    # A phone number or an account as the worker types it.
    identifier: str = ""


@dataclass(frozen=True)
class AdRow:
    ad: Advertisement
    signs_count: int
    strongest_sign: str  # the label of the ad's strongest sign, "" without any


@dataclass(frozen=True)
class AdPage:
    rows: list[AdRow]
    number: int
    pages: int
    total: int
    has_previous: bool
    has_next: bool


def _user(actor: Actor) -> User:
    if actor.user is None:
        raise Http404
    return actor.user


def identifier_query_indexes(query: str) -> list[str]:
    """The blind indexes a search for ``query`` looks up: the phone it may be (and the WhatsApp
    account of that number), the account it may be. A bare name ("lea_x", "@lea_x") is looked up
    on every known platform, since the worker may not know where it was seen."""
    raw = query.strip()
    if not raw:
        return []
    indexes: list[str] = []
    phone = phone_normalise(raw)
    if phone is not None:
        indexes.append(identifier_index(IdentifierKind.PHONE, phone))
        indexes.append(identifier_index(IdentifierKind.HANDLE, f"whatsapp:{phone}"))
    handles: list[str | None] = []
    if "/" in raw:
        # A profile's address: its host names the platform.
        handles.append(handle_normalise("", raw))
    elif ":" in raw:
        platform, _sep, account = raw.partition(":")
        handles.append(handle_normalise(platform, account))
    else:
        handles.extend(handle_normalise(name, raw) for name in HANDLE_PLATFORMS)
    indexes.extend(identifier_index(IdentifierKind.HANDLE, handle) for handle in handles if handle)
    return list(dict.fromkeys(indexes))


def ad_sites_for_user(*, actor: Actor) -> list[str]:
    """The sites the organisation's ads were seen on (plain: a site is a public platform)."""
    return list(
        Advertisement.objects.visible_to(_user(actor))
        .order_by("site")
        .values_list("site", flat=True)
        .distinct()
    )


def _strongest_label(sign_ids: list[str]) -> str:
    # Stored strongest first (signs_for_ad sorts them); an id a newer catalogue dropped is
    # skipped rather than breaking the list.
    catalogue = signs_catalogue().signs
    for sign_id in sign_ids:
        if sign_id in catalogue:
            return SignMatch(sign=catalogue[sign_id], found=()).label
    return ""


def ads_list_for_user(*, actor: Actor, filters: AdFilters, page: int = 1) -> AdPage:
    """One page of the organisation's ads, signs of a minor first, then the most recently seen.

    The audit event names every ad shown on the page (an empty page names none).
    """
    ads = Advertisement.objects.visible_to(_user(actor)).select_related("cluster", "case")
    if filters.signs_only:
        ads = ads.filter(priority__gt=0)
    if filters.site:
        ads = ads.filter(site=filters.site)
    if filters.identifier.strip():
        indexes = identifier_query_indexes(filters.identifier)
        ads = ads.filter(
            pk__in=AdIdentifier.objects.filter(value_index__in=indexes).values("ad_id")
        )
    ads = ads.order_by("-priority", "-last_seen_on", "-pk")
    paginator = Paginator(ads, ADS_PER_PAGE)
    current = paginator.get_page(page)
    shown = list(current.object_list)
    audit_record(actor=actor, action=AuditAction.OUTREACH_AD_LIST, objects=shown)
    return AdPage(
        rows=[
            AdRow(ad=ad, signs_count=len(ad.signs), strongest_sign=_strongest_label(ad.signs))
            for ad in shown
        ],
        number=current.number,
        pages=paginator.num_pages,
        total=paginator.count,
        has_previous=current.has_previous(),
        has_next=current.has_next(),
    )


def ad_signs_explained(ad: Advertisement) -> tuple[SignMatch, ...]:
    """The ad's signs recomputed from what is stored, so each explanation is the current
    catalogue's; a worker flag the catalogue no longer knows is left out, not an error."""
    flags = set(ad.worker_flags) & signs_catalogue().worker_flags
    return signs_for_ad(text=ad.text, declared_age=ad.declared_age, worker_flags=flags).signs


def ad_page_context(ad: Advertisement) -> dict[str, Any]:
    """What the ad page shows besides the ad itself (loaded and audited by ad_get_for_user)."""
    identifiers = ad_identifiers(ad)
    return {
        "phones": identifiers[IdentifierKind.PHONE],
        "handles": identifiers[IdentifierKind.HANDLE],
        "image_hashes": identifiers[IdentifierKind.IMAGE],
        "signs": ad_signs_explained(ad),
        "priority_label": PRIORITY_LABELS.get(ad.priority, ""),
        "cluster_label": cluster_label(ad.cluster) if ad.cluster is not None else "",
    }
