"""`vigie demo --ads N`: synthetic ads recorded for the demo association through the import
service, the stored clusters scored against the planted networks."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.demo import DEMO_SITE, demo_ads_load
from vigie.outreach.models import AdCluster, Advertisement

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)
_SCORES = re.compile(r"precision (?P<precision>[0-9.]+), recall (?P<recall>[0-9.]+)")


def test_demo_ads_2000_are_recorded_and_their_clusters_scored():
    out = io.StringIO()

    call_command("demo", "--cases", "0", "--ads", "2000", stdout=out)

    found = _SCORES.search(out.getvalue())
    assert found is not None, out.getvalue()
    assert float(found["precision"]) >= 0.9
    assert float(found["recall"]) >= 0.8
    assert Advertisement.objects.count() == 2000
    assert AdCluster.objects.exists()
    organisations = set(Advertisement.objects.values_list("organisation__name", flat=True))
    assert organisations == {"Association Horizon Enfance (démo)"}
    assert AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_IMPORT).exists()


def test_demo_ads_are_plausible_and_loading_them_again_duplicates_nothing():
    first = demo_ads_load(count=120, seed=3, today=TODAY)

    ads = list(Advertisement.objects.all())
    assert first.created == 120 and len(ads) == 120
    assert {ad.site for ad in ads} == {DEMO_SITE}
    assert all(ad.url.startswith(f"https://{DEMO_SITE}/annonce/3-") for ad in ads)
    assert all(
        TODAY - timedelta(days=60) <= ad.first_seen_on <= ad.last_seen_on <= TODAY for ad in ads
    )
    assert any(ad.declared_age is not None for ad in ads)

    again = demo_ads_load(count=120, seed=3, today=TODAY)

    assert (again.created, again.seen_again) == (0, 120)
    assert Advertisement.objects.count() == 120
    assert again.scores == first.scores


def test_demo_ads_are_refused_outside_development():
    with override_settings(VIGIE_ALLOW_DEMO_DATA=False), pytest.raises(Exception, match="refused"):
        call_command("demo", "--cases", "0", "--ads", "10")
    with override_settings(VIGIE_ALLOW_DEMO_DATA=False), pytest.raises(Exception, match="refused"):
        demo_ads_load(count=10, seed=1)
    assert not Advertisement.objects.exists()
