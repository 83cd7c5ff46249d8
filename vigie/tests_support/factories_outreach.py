"""Online advertisements for tests, recorded through the services (signs, identifiers, clusters
computed exactly as in use). All data is fictional: phones in the +33 7 00 range."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor
from vigie.outreach.models import Advertisement
from vigie.outreach.services.ad_input import AdInput
from vigie.outreach.services.ads import ads_import

_numbers = itertools.count(1)


def ad_input(**overrides: Any) -> AdInput:
    """A plausible, fictional ad; each call gets its own URL and phone unless given."""
    number = next(_numbers)
    today = timezone.localdate()
    values: dict[str, Any] = {
        "site": "annonces-exemple.test",
        "url": f"https://annonces-exemple.test/annonce/{number}",
        "first_seen_on": today - timedelta(days=3),
        "last_seen_on": today - timedelta(days=1),
        "text": (
            f"Annonce fictive numéro {number} pour les tests, rencontre discrète "
            f"en centre-ville, écrire d'abord un message {number}"
        ),
        "declared_age": 22,
        "city": "Lyon",
        "pseudonyms": [f"Pseudo{number}"],
        "phones": [
            f"+33 7 00 {number // 10000 % 100:02d} {number // 100 % 100:02d} {number % 100:02d}"
        ],
    }
    values.update(overrides)
    return AdInput(**values)


def ads_for_tests(organisation: Organisation, *items: AdInput) -> list[Advertisement]:
    """Record ads (created or merged) for the organisation, clusters refreshed."""
    recorded = ads_import(actor=Actor(user=None), organisation=organisation, items=list(items))
    return [*recorded.created, *recorded.seen_again]


def ad_for_tests(organisation: Organisation, **overrides: Any) -> Advertisement:
    return ads_for_tests(organisation, ad_input(**overrides))[0]


def network_for_tests(
    organisation: Organisation, size: int = 3, **overrides: Any
) -> list[Advertisement]:
    """``size`` ads sharing one phone: one possible network."""
    phone = ad_input().phones[0]
    return ads_for_tests(
        organisation, *(ad_input(phones=[phone], **overrides) for _ in range(size))
    )


def ad_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    """URL-matrix kwargs builder: a fresh ad of the scope's organisation."""
    return {"ad_uuid": ad_for_tests(world.cases[scope].organisation).uuid}


def networked_ad_of(world: Any, actor: Any, scope: str) -> dict[str, Any]:
    """URL-matrix kwargs builder: an ad of a fresh two-ad network of the scope's organisation."""
    return {"ad_uuid": network_for_tests(world.cases[scope].organisation, size=2)[0].uuid}


def old_day(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)
