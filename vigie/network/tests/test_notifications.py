"""The notification centre and the e-mail copy: no child data, each person's own only."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from vigie.accounts.roles import Permission
from vigie.network.models import Notification, NotificationKind
from vigie.network.services.notifications import (
    notification_text,
    notify_organisation,
    notify_users,
)
from vigie.tests_support.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_organisation_is_notified_through_the_holders_of_a_permission(
    users, org_a, org_b, django_capture_on_commit_callbacks
):
    """Given coordinators and caseworkers in B, when B is notified for CONSENT_OVERRIDE holders,
    then only B's active coordinators get a notification and an e-mail."""
    UserFactory(role="coordinator", organisation=org_b, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        sent = notify_organisation(
            organisation=org_b,
            permission=Permission.CONSENT_OVERRIDE,
            kind=NotificationKind.REFERRAL_RECEIVED,
            counterpart=org_a.name,
            url="/reseau/orientations/",
        )

    assert [n.recipient for n in sent] == [users[("coordinator", "b")]]
    assert [m.to for m in mail.outbox] == [[users[("coordinator", "b")].email]]
    assert Notification.objects.get().emailed_at is not None


def test_the_email_names_the_organisation_and_the_link_never_the_child(
    users, org_a, case_a, settings, django_capture_on_commit_callbacks
):
    settings.VIGIE_BASE_URL = "https://vigie.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notify_users(
            users=[users[("caseworker", "b")]],
            kind=NotificationKind.REFERRAL_ACCEPTED,
            counterpart=org_a.name,
            url="/reseau/orientations/x/",
        )

    (message,) = mail.outbox
    assert org_a.name in message.body
    assert "https://vigie.example.org/reseau/orientations/x/" in message.body
    for secret in (case_a.reference, case_a.first_name, case_a.last_name):
        assert secret not in message.body
        assert secret not in message.subject


def test_no_email_leaves_when_the_transaction_is_rolled_back(users, org_a):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        notify_users(
            users=[users[("caseworker", "b")]],
            kind=NotificationKind.TRANSFER_DECLINED,
            counterpart=org_a.name,
            url="/",
        )
        raise RuntimeError("the referral failed")

    assert not mail.outbox
    assert not Notification.objects.exists()


@pytest.mark.parametrize("kind", NotificationKind.values)
def test_every_kind_has_a_text_in_both_languages(kind):
    texts = set()
    for language in ("fr", "en"):
        with translation.override(language):
            text = notification_text(kind=kind, counterpart="Association X")
        assert "Association X" in text
        texts.add(text)
    assert len(texts) == 2, f"{kind}: not translated"


def test_the_centre_lists_one_s_own_notifications_and_opening_marks_read(users, org_a, client_for):
    mine = users[("caseworker", "a")]
    notify_users(users=[mine], kind="referral_accepted", counterpart="Association X", url="/x/")
    notify_users(
        users=[users[("caseworker", "b")]],
        kind="transfer_declined",
        counterpart="Organisation Ygrec",
        url="/",
    )
    client = client_for(mine)

    page = client.get(reverse("network:notifications"))

    body = page.content.decode()
    assert "Association X" in body
    assert "Organisation Ygrec" not in body
    assert body.count('action="/reseau/notifications/') == 2  # one open button + read-all
    notification = Notification.objects.get(recipient=mine)
    opened = client.post(reverse("network:notification_open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == "/x/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_person_s_notification_is_404_and_stays_unread(users, client_for):
    theirs = notify_users(
        users=[users[("caseworker", "b")]], kind="referral_received", counterpart="A", url="/"
    )[0]

    response = client_for(users[("caseworker", "a")]).post(
        reverse("network:notification_open", args=[theirs.pk])
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_stored_link_to_another_site_is_never_followed(users, client_for):
    mine = users[("caseworker", "a")]
    notification = notify_users(
        users=[mine], kind="referral_received", counterpart="A", url="https://evil.example/"
    )[0]

    response = client_for(mine).post(reverse("network:notification_open", args=[notification.pk]))

    assert response["Location"] == "/"


def test_mark_all_read_touches_only_one_s_own(users, client_for):
    mine = users[("caseworker", "a")]
    notify_users(users=[mine], kind="referral_received", counterpart="A", url="/")
    notify_users(
        users=[users[("caseworker", "b")]], kind="referral_received", counterpart="A", url="/"
    )

    client_for(mine).post(reverse("network:notifications_read_all"))

    assert not Notification.objects.filter(recipient=mine, read_at__isnull=True).exists()
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_the_navigation_shows_the_unread_count(users, client_for):
    mine = users[("caseworker", "a")]
    notify_users(users=[mine], kind="referral_received", counterpart="A", url="/")
    notify_users(users=[mine], kind="referral_received", counterpart="B", url="/")

    page = client_for(mine).get(reverse("core:home")).content.decode()

    assert 'data-unread="2"' in page
