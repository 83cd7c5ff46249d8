"""Short retention of advertisements: `vigie retention` deletes ads not linked to a case file
six months after their last activity, with what hangs on them, and rebuilds the networks."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.models import (
    AdCluster,
    AdContact,
    AdIdentifier,
    Advertisement,
    AuthorityReport,
    ReportRecipient,
    ReportScope,
)
from vigie.outreach.services.ads import ads_touch
from vigie.outreach.services.retention import (
    outreach_retention_due,
    outreach_retention_purge,
)
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_outreach import ad_input, ads_for_tests

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the clock fixture's day
CUTOFF = TODAY - timedelta(days=183)


def _seen(day: date, **overrides):
    return ad_input(first_seen_on=day - timedelta(days=2), last_seen_on=day, **overrides)


@pytest.fixture
def ads(clock, org_a, org_b):
    old_phone = "+33 7 00 99 00 01"
    made = {
        "old": ads_for_tests(org_a, _seen(CUTOFF - timedelta(days=1), phones=[old_phone]))[0],
        # Same phone, recent: the old one's network partner.
        "recent_partner": ads_for_tests(org_a, _seen(TODAY, phones=[old_phone]))[0],
        "on_the_line": ads_for_tests(org_a, _seen(CUTOFF))[0],
        "old_b": ads_for_tests(org_b, _seen(date(2025, 1, 5)))[0],
        "old_but_linked": ads_for_tests(org_a, _seen(date(2024, 6, 1)))[0],
        "old_but_contacted": ads_for_tests(org_a, _seen(date(2024, 6, 1)))[0],
    }
    made["old_but_linked"].case = CaseFactory(organisation=org_a)
    made["old_but_linked"].save()
    ads_touch([made["old_but_contacted"]], TODAY - timedelta(days=10))
    return made


def test_due_are_old_and_unlinked(ads):
    due = set(outreach_retention_due(today=TODAY).values_list("pk", flat=True))
    assert due == {ads["old"].pk, ads["old_b"].pk}


def test_the_period_is_a_setting(ads, settings):
    settings.VIGIE_OUTREACH_RETENTION_DAYS = 30
    due = set(outreach_retention_due(today=TODAY).values_list("pk", flat=True))
    assert ads["on_the_line"].pk in due and ads["recent_partner"].pk not in due


def test_dry_run_lists_and_deletes_nothing(ads, capsys):
    before = Advertisement.objects.count()
    call_command("retention", "--today", TODAY.isoformat())
    output = capsys.readouterr().out
    assert (
        f"Online advertisements not linked to a case file, without activity since before {CUTOFF}"
        in output
    )
    assert f"Organisation A: 1\n  {ads['old'].reference}\n" in output
    assert f"Organisation B: 1\n  {ads['old_b'].reference}\n" in output
    assert Advertisement.objects.count() == before


def test_apply_deletes_with_identifiers_contacts_and_lone_reports(ads, org_a, capsys):
    old, partner = ads["old"], ads["recent_partner"]
    old.refresh_from_db()
    assert old.cluster is not None and old.cluster.ads_count == 2
    AdContact.objects.create(ad=old, channel="sms", contacted_on=CUTOFF - timedelta(days=30))
    lone = AuthorityReport.objects.create(
        organisation=org_a,
        recipient=ReportRecipient.PHAROS,
        reported_on=CUTOFF - timedelta(days=20),
        scope=ReportScope.AD,
    )
    lone.ads.set([old])
    shared = AuthorityReport.objects.create(
        organisation=org_a,
        recipient=ReportRecipient.POLICE,
        reported_on=CUTOFF - timedelta(days=20),
        scope=ReportScope.CLUSTER,
    )
    shared.ads.set([old, ads["old_but_linked"]])
    old_pk = old.pk

    call_command("retention", "--apply", "--today", TODAY.isoformat())

    assert "2 online advertisements deleted" in capsys.readouterr().out
    assert not Advertisement.objects.filter(pk__in=[old_pk, ads["old_b"].pk]).exists()
    assert not AdIdentifier.objects.filter(ad_id=old_pk).exists()
    assert not AdContact.objects.filter(ad_id=old_pk).exists()
    assert not AuthorityReport.objects.filter(pk=lone.pk).exists()
    # A report still naming a kept ad stays, without the deleted one.
    assert list(shared.ads.all()) == [ads["old_but_linked"]]
    # The network of two is gone: its partner stands alone now.
    partner.refresh_from_db()
    assert partner.cluster is None and not AdCluster.objects.filter(organisation=org_a).exists()
    (event,) = AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_PURGE)
    assert event.reason_code == "outreach_retention" and event.actor_uuid is None
    assert set(event.object_uuids) == {str(old.uuid), str(ads["old_b"].uuid)}
    assert outreach_retention_purge(today=TODAY) == 0


def test_batches_are_separate_transactions(ads):
    assert outreach_retention_purge(today=TODAY, batch_size=1) == 2
    events = AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_PURGE)
    assert [len(e.object_uuids) for e in events] == [1, 1]


def test_ads_are_encrypted_at_rest(clock, org_a):
    (ad,) = ads_for_tests(
        org_a,
        ad_input(
            text="Texte secret de l'annonce Clémence", phones=["+33 7 00 12 34 56"], city="Lille"
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT text, city, url FROM outreach_advertisement WHERE id = %s", [ad.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT value FROM outreach_adidentifier WHERE ad_id = %s", [ad.pk])
        values = [value for (value,) in cursor.fetchall()]
    assert all("Clémence" not in column and "Lille" not in column for column in row)
    assert "annonces-exemple" not in row[2]
    assert values and all("700123456" not in value for value in values)


def test_the_ad_page_says_until_when_the_ad_is_kept(ads, users, client_for, settings):
    from django.urls import reverse

    client = client_for(users[("caseworker", "a")])
    english = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(
        reverse("outreach:ad_detail", args=[ads["recent_partner"].uuid]), **english
    ).content.decode()
    kept = TODAY + timedelta(days=183)
    assert f"{kept:%m/%d/%Y}, unless seen, contacted or reported again" in page
    page = client.get(
        reverse("outreach:ad_detail", args=[ads["old_but_linked"].uuid]), **english
    ).content.decode()
    assert "as long as the linked case file" in page
