"""Logging a contact with the person behind an ad: the form, the server-side preview of a
template with the organisation's hotline, the service's rules, audit and retention, and the
contact log shown on the ad page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.outreach.models import AdContact, ContactTemplate, OutreachSettings
from vigie.outreach.selectors_contacts import ad_contacts_context
from vigie.outreach.services.contacts import ContactInput, contact_log
from vigie.tests_support.factories_outreach import ad_for_tests

pytestmark = pytest.mark.django_db


def _url(ad) -> str:
    return reverse("outreach:contact_create", kwargs={"ad_uuid": ad.uuid})


def _data(**values) -> dict:
    data = {
        "channel": "whatsapp",
        "contacted_on": timezone.localdate().isoformat(),
        "message": "Bonjour, message fictif.",
        "answer": "no_answer",
        "answer_note": "",
        "next_step": "",
        "next_step_on": "",
    }
    data.update(values)
    return data


@pytest.fixture
def ad(org_a):
    return ad_for_tests(
        org_a,
        pseudonyms=["Lina"],
        first_seen_on=timezone.localdate() - timedelta(30),
        last_seen_on=timezone.localdate() - timedelta(20),
    )


@pytest.fixture
def hotline(org_a):
    return OutreachSettings.objects.create(
        organisation=org_a, hotline="+33140205050", signature="Camille, équipe de jour"
    )


def _template(org, **values) -> ContactTemplate:
    fields = {
        "name": "Premier message",
        "language": "ro",
        "body": "Bună ziua, {pseudonym}! Sunați la {hotline}. {signature}",
    }
    fields.update(values)
    return ContactTemplate.objects.create(organisation=org, **fields)


def test_a_caseworker_logs_a_contact_audited_and_retention_moves(ad, users, client_for, org_a):
    template = _template(org_a)
    before = ad.last_activity_on
    today = timezone.localdate()
    response = client_for(users[("caseworker", "a")]).post(
        _url(ad),
        _data(
            template=str(template.uuid),
            message="Bună ziua, Lina! Sunați la +33 1 40 20 50 50.",
            answer="answered",
            answer_note="A répondu merci.",
            next_step="Relancer dans une semaine",
            next_step_on=(today + timedelta(days=7)).isoformat(),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid}) + "#contacts"
    )
    contact = AdContact.objects.get(ad=ad)
    assert contact.channel == "whatsapp"
    assert contact.template == template
    assert contact.message == "Bună ziua, Lina! Sunați la +33 1 40 20 50 50."
    assert contact.answer == "answered"
    assert contact.next_step_on == today + timedelta(days=7)
    assert contact.created_by == users[("caseworker", "a")]
    ad.refresh_from_db()
    assert before < today
    assert ad.last_activity_on == today
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_CONTACT_LOG)
    assert set(event.object_uuids) == {str(contact.uuid), str(ad.uuid)}
    # The POST reads the ad only to write the contact: no separate read event.
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_VIEW).exists()


def test_the_message_sent_is_encrypted_at_rest(ad, users, client_for):
    from django.db import connection

    client_for(users[("caseworker", "a")]).post(
        _url(ad), _data(message="Message fictif très reconnaissable", answer_note="Note fictive")
    )
    contact = AdContact.objects.get(ad=ad)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT message, answer_note FROM outreach_adcontact WHERE id = %s", [contact.pk]
        )
        message, note = cursor.fetchone()
    assert "reconnaissable" not in message
    assert "fictive" not in note


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"contacted_on": "2999-01-01"}, "contacted_on"),
        ({"channel": ""}, "channel"),
        ({"channel": "pigeon"}, "channel"),
        ({"answer": "maybe"}, "answer"),
        ({"next_step_on": "2026-01-10", "next_step": ""}, "next_step"),
        (
            {"contacted_on": "2026-02-01", "next_step": "Relancer", "next_step_on": "2026-01-10"},
            "next_step_on",
        ),
        ({"template": "0d7ee3f4-0000-4000-8000-000000000000"}, "template"),
    ],
)
def test_an_invalid_contact_is_refused_on_the_field_and_nothing_is_written(
    values, field, ad, users, client_for
):
    before = ad.last_activity_on
    response = client_for(users[("caseworker", "a")]).post(_url(ad), _data(**values))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert not AdContact.objects.exists()
    ad.refresh_from_db()
    assert ad.last_activity_on == before
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_CONTACT_LOG).exists()


def test_a_future_date_is_explained(ad, users, client_for):
    response = client_for(users[("caseworker", "a")]).post(
        _url(ad), _data(contacted_on="2999-01-01"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "A contact cannot be in the future." in response.content.decode()


def test_a_deactivated_or_foreign_template_cannot_be_used(ad, users, org_a, org_b):
    actor = Actor(user=users[("caseworker", "a")])
    for template in (_template(org_a, is_active=False), _template(org_b)):
        with pytest.raises(Exception) as refused:
            contact_log(
                actor=actor,
                ad=ad,
                data=ContactInput(
                    channel="sms", contacted_on=timezone.localdate(), template=template
                ),
            )
        assert "template" in refused.value.message_dict
    assert not AdContact.objects.exists()


def test_the_service_refuses_an_ad_of_another_organisation(users, org_b):
    from django.core.exceptions import PermissionDenied

    other = ad_for_tests(org_b)
    with pytest.raises(PermissionDenied):
        contact_log(
            actor=Actor(user=users[("caseworker", "a")]),
            ad=other,
            data=ContactInput(channel="sms", contacted_on=timezone.localdate()),
        )


def test_another_organisations_ad_is_not_found(users, client_for, org_b):
    other = ad_for_tests(org_b)
    client = client_for(users[("caseworker", "a")])
    assert client.get(_url(other)).status_code == 404
    assert client.post(_url(other), _data()).status_code == 404
    assert not AdContact.objects.exists()


# --- The preview --------------------------------------------------------------------------------


def test_a_template_chosen_fills_the_message_with_the_hotline(
    ad, hotline, users, client_for, org_a
):
    template = _template(org_a)
    response = client_for(users[("caseworker", "a")]).get(
        _url(ad), {"template": str(template.uuid)}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["message"] == (
        "Bună ziua, Lina! Sunați la +33 1 40 20 50 50. Camille, équipe de jour"
    )
    assert form.initial["template"] == str(template.uuid)
    html = response.content.decode()
    # The textarea holds the message, in its language (RGAA 8.7).
    assert 'lang="ro"' in html
    assert "Sunați la +33 1 40 20 50 50" in html
    assert not response.context["missing"]
    # Nothing is written by a preview; the read of the ad is audited.
    assert not AdContact.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.OUTREACH_AD_VIEW).count() == 1


def test_an_arabic_template_is_shown_right_to_left(ad, hotline, users, client_for, org_a):
    template = _template(org_a, language="ar", body="مرحبًا {pseudonym}، {hotline}")
    response = client_for(users[("caseworker", "a")]).get(
        _url(ad), {"template": str(template.uuid)}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["message"] == "مرحبًا Lina، +33 1 40 20 50 50"
    assert response.context["choice"].initial["template"] == str(template.uuid)
    html = response.content.decode()
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html
    assert not AdContact.objects.exists()


def test_a_missing_hotline_is_shown_and_explained(ad, users, client_for, org_a):
    template = _template(org_a)
    response = client_for(users[("caseworker", "a")]).get(
        _url(ad), {"template": str(template.uuid)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "[hotline]" in response.context["form"].initial["message"]
    assert [item["name"] for item in response.context["missing"]] == ["hotline", "signature"]
    assert "Some values are missing" in response.content.decode()


def test_templates_are_offered_by_language_active_only(ad, users, client_for, org_a, org_b):
    _template(org_a, name="Actif")
    _template(org_a, name="Retiré", is_active=False)
    _template(org_b, name="Autre organisation")
    response = client_for(users[("caseworker", "a")]).get(_url(ad))
    choices = response.context["choice"].fields["template"].choices
    groups = {label: [name for _value, name in options] for label, options in choices[1:]}
    assert groups == {"Roumain (Română)": ["Actif"]}


def test_the_first_contact_form_gives_the_organisation_its_default_templates(
    ad, users, client_for, org_a
):
    response = client_for(users[("caseworker", "a")]).get(_url(ad))
    assert response.status_code == 200
    assert ContactTemplate.objects.filter(organisation=org_a, language="ar").count() == 2


def test_a_foreign_or_inactive_template_in_the_preview_is_not_found(
    ad, users, client_for, org_a, org_b
):
    client = client_for(users[("caseworker", "a")])
    for template in (_template(org_b), _template(org_a, name="Retiré", is_active=False)):
        assert client.get(_url(ad), {"template": str(template.uuid)}).status_code == 404
    assert client.get(_url(ad), {"template": "pas-un-uuid"}).status_code == 404


# --- On the ad page ---------------------------------------------------------------------------


def test_the_ad_page_shows_the_log_and_the_next_step_due(ad, users, client_for, org_a):
    template = _template(org_a)
    actor = Actor(user=users[("caseworker", "a")])
    today = timezone.localdate()
    contact_log(
        actor=actor,
        ad=ad,
        data=ContactInput(
            channel="whatsapp",
            contacted_on=today - timedelta(days=5),
            template=template,
            next_step="Relancer par Snapchat",
            next_step_on=today - timedelta(days=2),
        ),
    )
    context = ad_contacts_context(ad=ad, user=users[("caseworker", "a")])["ad_contacts"]
    assert context["can_log"]
    assert context["next_step"].due
    assert context["next_step"].days_late == 2
    assert context["rows"][0].template_name == "Premier message"

    response = client_for(users[("caseworker", "a")]).get(
        reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid}), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert 'id="contacts"' in html
    assert "Next step due:" in html
    assert "Relancer par Snapchat" in html
    assert "2 days late" in html
    assert "Premier message (Romanian)" in html
    assert _url(ad) in html


def test_a_later_contact_replaces_the_next_step(ad, users):
    actor = Actor(user=users[("caseworker", "a")])
    today = timezone.localdate()
    contact_log(
        actor=actor,
        ad=ad,
        data=ContactInput(
            channel="sms",
            contacted_on=today - timedelta(days=5),
            next_step="Relancer",
            next_step_on=today - timedelta(days=1),
        ),
    )
    contact_log(
        actor=actor,
        ad=ad,
        data=ContactInput(channel="sms", contacted_on=today, answer="accepted_support"),
    )
    context = ad_contacts_context(ad=ad, user=users[("caseworker", "a")])["ad_contacts"]
    assert context["next_step"] is None
    assert [row.contact.answer for row in context["rows"]] == ["accepted_support", "no_answer"]


def test_only_editors_see_the_log_link(ad, users):
    assert ad_contacts_context(ad=ad, user=users[("caseworker", "a")])["ad_contacts"]["can_log"]
    assert ad_contacts_context(ad=ad, user=users[("org_admin", "a")]) == {"ad_contacts": None}
