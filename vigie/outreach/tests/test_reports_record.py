"""Reports to the authorities about one ad or a possible network: recorded with the ads of the
moment, shown on the ad and network pages, audited, refused with the field named when wrong."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.models import AuthorityReport
from vigie.tests_support.factories_outreach import (
    ad_for_tests,
    ad_input,
    ads_for_tests,
    network_for_tests,
    old_day,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def report_data(**overrides):
    values = {
        "recipient": "pharos",
        "reported_on": timezone.localdate().isoformat(),
        "reference": "PHAROS-2026-00042",
        "note": "Signalement fait par le formulaire en ligne.",
    }
    values.update(overrides)
    return values


def ad_report_url(ad) -> str:
    return reverse("outreach:report_ad", kwargs={"ad_uuid": ad.uuid})


def cluster_report_url(ad) -> str:
    return reverse("outreach:report_cluster", kwargs={"ad_uuid": ad.uuid})


def test_a_report_about_one_ad_is_recorded_audited_and_moves_its_retention(
    org_a, users, client_for
):
    ad = ad_for_tests(org_a, first_seen_on=old_day(100), last_seen_on=old_day(90))
    caseworker = users[("caseworker", "a")]

    response = client_for(caseworker).post(ad_report_url(ad), report_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})
    report = AuthorityReport.objects.get()
    assert list(report.ads.all()) == [ad]
    assert (report.scope, report.recipient) == ("ad", "pharos")
    assert report.reference == "PHAROS-2026-00042"
    assert report.organisation == org_a
    assert report.created_by == caseworker
    ad.refresh_from_db()
    assert ad.last_activity_on == timezone.localdate()
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_REPORT_RECORD)
    assert set(event.object_uuids) == {str(ad.uuid), str(report.uuid)}
    assert event.actor_uuid == caseworker.uuid


def test_a_report_dated_before_the_last_activity_does_not_shorten_retention(
    org_a, users, client_for
):
    ad = ad_for_tests(org_a, first_seen_on=old_day(10), last_seen_on=old_day(2))

    client_for(users[("caseworker", "a")]).post(
        ad_report_url(ad), report_data(reported_on=old_day(30).isoformat())
    )

    ad.refresh_from_db()
    assert ad.last_activity_on == old_day(2)


def test_a_network_report_names_its_ads_of_the_moment_even_when_the_network_grows(
    org_a, users, client_for
):
    ads = network_for_tests(org_a, size=3)
    client = client_for(users[("coordinator", "a")])

    response = client.post(cluster_report_url(ads[1]), report_data(recipient="police"))

    assert response.status_code == 302
    assert response["Location"] == reverse("outreach:cluster", kwargs={"ad_uuid": ads[1].uuid})
    report = AuthorityReport.objects.get()
    assert report.scope == "cluster"
    assert set(report.ads.all()) == set(ads)
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_REPORT_RECORD)
    assert {str(ad.uuid) for ad in ads} <= set(event.object_uuids)

    # The network grows: a fourth ad with the same phone.
    newcomer = ad_for_tests(org_a, phones=[ads[0].identifiers.get().value])
    newcomer.refresh_from_db()
    assert newcomer.cluster_id == ads[0].__class__.objects.get(pk=ads[0].pk).cluster_id

    report.refresh_from_db()
    assert set(report.ads.all()) == set(ads)
    # The network page lists the report (it names ads of the network) with its 3 ads.
    page = client.get(reverse("outreach:cluster", kwargs={"ad_uuid": newcomer.uuid}), **ENGLISH)
    content = page.content.decode()
    assert "PHAROS-2026-00042" in content
    assert 'data-action="report-cluster"' in content
    assert "<td>3</td>" in content
    # The newcomer's own page does not: it was not reported.
    own = client.get(reverse("outreach:ad_detail", kwargs={"ad_uuid": newcomer.uuid}), **ENGLISH)
    assert "PHAROS-2026-00042" not in own.content.decode()


def test_the_ad_page_lists_the_reports_naming_the_ad_and_offers_the_next_steps(
    org_a, users, client_for
):
    ads = network_for_tests(org_a, size=2)
    client = client_for(users[("caseworker", "a")])
    client.post(ad_report_url(ads[0]), report_data(reference="AD-ONLY-1"))
    client.post(cluster_report_url(ads[0]), report_data(reference="NETWORK-2", recipient="ofmin"))

    page = client.get(reverse("outreach:ad_detail", kwargs={"ad_uuid": ads[0].uuid}), **ENGLISH)

    content = page.content.decode()
    assert page.status_code == 200
    assert "AD-ONLY-1" in content
    assert "NETWORK-2" in content
    assert "Office for minors (OFMIN)" in content
    assert "A possible network" in content
    assert "2 reports to the authorities" in content
    assert ad_report_url(ads[0]) in content
    assert reverse("outreach:evidence_ad", kwargs={"ad_uuid": ads[0].uuid}) in content
    assert reverse("outreach:case_from_ad", kwargs={"ad_uuid": ads[0].uuid}) in content
    # The other ad of the network is named by the network report only.
    other = client.get(reverse("outreach:ad_detail", kwargs={"ad_uuid": ads[1].uuid}))
    assert "NETWORK-2" in other.content.decode()
    assert "AD-ONLY-1" not in other.content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"reported_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "reported_on",
            "This date cannot be in the future.",
        ),
        ({"recipient": ""}, "recipient", "This field is required."),
        ({"recipient": "fax"}, "recipient", "Select a valid choice."),
        ({"reported_on": "02/31/2026"}, "reported_on", "Enter a valid date."),
        ({"reference": "R" * 121}, "reference", "Ensure this value has at most 120 characters"),
    ],
)
def test_a_wrong_report_is_refused_naming_the_field_and_nothing_is_written(
    change, field, message, org_a, users, client_for
):
    ad = ad_for_tests(org_a)
    before = AuditEvent.objects.filter(action=AuditAction.OUTREACH_REPORT_RECORD).count()

    response = client_for(users[("caseworker", "a")]).post(
        ad_report_url(ad), report_data(**change), **ENGLISH
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert message in content
    assert not AuthorityReport.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.OUTREACH_REPORT_RECORD).count() == before


def test_the_report_form_shows_what_will_be_reported(org_a, users, client_for):
    ads = ads_for_tests(
        org_a,
        ad_input(phones=["+33 7 00 99 88 77"]),
        ad_input(phones=["+33 7 00 99 88 77"], declared_age=16),
    )

    page = client_for(users[("caseworker", "a")]).get(cluster_report_url(ads[0]), **ENGLISH)

    content = page.content.decode()
    assert page.status_code == 200
    assert "2 advertisements reported" in content
    for ad in ads:
        assert ad.reference in content
    assert "declared minor" in content
    assert f'value="{timezone.localdate().isoformat()}"' in content


def test_another_organisation_cannot_report_on_an_ad(org_a, org_b, users, client_for):
    ad = ad_for_tests(org_b)

    for url in (ad_report_url(ad), cluster_report_url(ad)):
        response = client_for(users[("caseworker", "a")]).post(url, report_data())
        assert response.status_code == 404
    assert not AuthorityReport.objects.exists()


def test_an_ad_in_no_network_has_no_network_report(org_a, users, client_for):
    ad = ad_for_tests(org_a)

    response = client_for(users[("caseworker", "a")]).get(cluster_report_url(ad))

    assert response.status_code == 404


def test_a_network_that_changed_since_the_form_was_opened_is_not_reported_blindly(
    org_a, users, client_for
):
    ads = network_for_tests(org_a, size=2)
    client = client_for(users[("caseworker", "a")])
    form_page = client.get(cluster_report_url(ads[0]))
    shown = form_page.context["ads_shown"]
    assert shown == ",".join(sorted(str(ad.uuid) for ad in ads))
    newcomer = ad_for_tests(org_a, phones=[ads[0].identifiers.get().value])

    response = client.post(cluster_report_url(ads[0]), report_data(ads_shown=shown), **ENGLISH)

    assert response.status_code == 422
    assert "The network changed since this page was opened" in response.content.decode()
    assert newcomer.reference in response.content.decode()
    assert not AuthorityReport.objects.exists()
    # Sent again from the page as it now stands: the three ads are reported.
    again = client.post(
        cluster_report_url(ads[0]),
        report_data(ads_shown=response.context["ads_shown"]),
    )
    assert again.status_code == 302
    assert AuthorityReport.objects.get().ads.count() == 3
