"""The coordinators' pages: contact templates by language, their changes and the hotline."""

import pytest
from django.urls import reverse
from django.utils import translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.outreach.models import ContactTemplate, OutreachSettings
from vigie.outreach.services.templates_messages import contact_templates_catalogue

pytestmark = pytest.mark.django_db

TEMPLATES = reverse("outreach:templates")
CREATE = reverse("outreach:template_create")
SETTINGS = reverse("outreach:settings")


def _template(organisation, **values) -> ContactTemplate:
    fields = {
        "name": "Message fictif",
        "language": "fr",
        "body": "Bonjour {pseudonym}, appelez le {hotline}.",
    }
    fields.update(values)
    return ContactTemplate.objects.create(organisation=organisation, **fields)


def _changes() -> int:
    return AuditEvent.objects.filter(action=AuditAction.OUTREACH_TEMPLATE_CHANGE).count()


def test_the_first_visit_copies_the_defaults_and_lists_them_by_language(users, client_for, org_a):
    response = client_for(users[("coordinator", "a")]).get(TEMPLATES)
    assert response.status_code == 200
    catalogue = contact_templates_catalogue()
    assert ContactTemplate.objects.filter(organisation=org_a).count() == 2 * len(
        catalogue.languages
    )
    html = response.content.decode()
    # RGAA 8.7: each message carries its language; Arabic reads right to left.
    arabic = catalogue.templates[0].messages["ar"].splitlines()[0]
    assert 'lang="ar" dir="rtl"' in html
    assert arabic in html
    assert 'lang="ro" dir="ltr"' in html
    assert "Roumain" in html  # the language's name, in the reader's language
    assert "<caption>" in html
    # A second visit copies nothing more.
    client_for(users[("coordinator", "a")]).get(TEMPLATES)
    assert ContactTemplate.objects.filter(organisation=org_a).count() == 2 * len(
        catalogue.languages
    )


@pytest.mark.parametrize("role", ["caseworker", "org_admin", "analyst"])
def test_only_coordinators_manage_templates(role, users, client_for, org_a):
    client = client_for(users[(role, "a")])
    assert client.get(TEMPLATES).status_code == 403
    assert client.get(SETTINGS).status_code == 403
    template = _template(org_a)
    update = reverse("outreach:template_update", kwargs={"template_uuid": template.uuid})
    assert client.get(update).status_code == 404
    assert not ContactTemplate.objects.filter(organisation=org_a).exclude(pk=template.pk).exists()


def test_another_organisations_template_is_not_found(users, client_for, org_b):
    template = _template(org_b)
    client = client_for(users[("coordinator", "a")])
    update = reverse("outreach:template_update", kwargs={"template_uuid": template.uuid})
    deactivate = reverse("outreach:template_deactivate", kwargs={"template_uuid": template.uuid})
    assert client.get(update).status_code == 404
    assert client.post(update, {"name": "Pris", "language": "fr", "body": "x"}).status_code == 404
    assert client.post(deactivate).status_code == 404
    template.refresh_from_db()
    assert template.name == "Message fictif"
    assert template.is_active
    # Nor is it listed.
    assert "Message fictif" not in client.get(TEMPLATES).content.decode()


def test_a_coordinator_creates_a_template_audited(users, client_for, org_a):
    response = client_for(users[("coordinator", "a")]).post(
        CREATE,
        {
            "name": "Relance courte",
            "language": "ar",
            "body": "مرحبًا {pseudonym}، {hotline}",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template = ContactTemplate.objects.get(organisation=org_a, name="Relance courte")
    assert template.language == "ar"
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_TEMPLATE_CHANGE)
    assert event.object_uuids == [str(template.uuid)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Appelez le {hotlin}.", "Unknown variable {hotlin}"),
        ("La police peut vous aider : {hotline}", "« police »"),
        ("Un { seul", "A brace is left alone"),
        ("", "This field is required."),
    ],
)
def test_a_bad_message_is_refused_on_the_field_and_nothing_is_written(
    body, message, users, client_for, org_a
):
    response = client_for(users[("coordinator", "a")]).post(
        CREATE, {"name": "Essai", "language": "fr", "body": body}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 422
    assert message in " ".join(response.context["form"].errors["body"])
    assert not ContactTemplate.objects.filter(name="Essai").exists()
    assert _changes() == 0


def test_the_same_name_twice_in_one_language_is_refused(users, client_for, org_a):
    _template(org_a, name="Premier")
    response = client_for(users[("coordinator", "a")]).post(
        CREATE, {"name": "Premier", "language": "fr", "body": "Bonjour {hotline}"}
    )
    assert response.status_code == 422
    assert "name" in response.context["form"].errors


def test_a_coordinator_edits_and_deactivates_a_template(users, client_for, org_a):
    template = _template(org_a)
    client = client_for(users[("coordinator", "a")])
    update = reverse("outreach:template_update", kwargs={"template_uuid": template.uuid})
    OutreachSettings.objects.create(organisation=org_a, hotline="+33140205050")
    page = client.get(update)
    assert page.status_code == 200
    assert 'lang="fr"' in page.content.decode()
    # The preview uses the organisation's values; the pseudonym comes from each ad.
    assert page.context["preview"].text == "Bonjour [pseudonym], appelez le +33 1 40 20 50 50."
    response = client.post(
        update,
        {
            "name": "Mesaj",
            "language": "ro",
            "body": "Bună ziua {pseudonym}, {hotline}",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.name, template.language) == ("Mesaj", "ro")
    assert template.body == "Bună ziua {pseudonym}, {hotline}"

    deactivate = reverse("outreach:template_deactivate", kwargs={"template_uuid": template.uuid})
    assert client.post(deactivate).status_code == 302
    template.refresh_from_db()
    assert not template.is_active
    assert _changes() == 2
    with translation.override("en"):
        listing = client.get(TEMPLATES, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Mesaj" in listing


def test_a_deactivate_is_a_post(users, client_for, org_a):
    template = _template(org_a)
    deactivate = reverse("outreach:template_deactivate", kwargs={"template_uuid": template.uuid})
    assert client_for(users[("coordinator", "a")]).get(deactivate).status_code == 405


def test_the_hotline_and_signature_are_saved_and_audited(users, client_for, org_a):
    client = client_for(users[("coordinator", "a")])
    response = client.post(
        SETTINGS, {"hotline": "01 40 20 50 50", "signature": "Camille, équipe de jour"}
    )
    assert response.status_code == 302
    outreach = OutreachSettings.objects.get(organisation=org_a)
    assert outreach.hotline == "+33140205050"
    assert outreach.signature == "Camille, équipe de jour"
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_TEMPLATE_CHANGE)
    assert event.object_uuids == [str(org_a.uuid)]
    page = client.get(SETTINGS).content.decode()
    assert 'value="+33 1 40 20 50 50"' in page
    assert "+33 1 40 20 50 50" in client.get(TEMPLATES).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"hotline": "12", "signature": ""}, "hotline"),
        ({"hotline": "119", "signature": ""}, "hotline"),
        ({"hotline": "", "signature": "Service d'aide aux victimes"}, "signature"),
    ],
)
def test_bad_settings_are_refused_on_the_field(data, field, users, client_for, org_a):
    response = client_for(users[("coordinator", "a")]).post(SETTINGS, data)
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert not OutreachSettings.objects.filter(organisation=org_a).exists()
    assert _changes() == 0
