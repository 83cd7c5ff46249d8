"""The contact templates' catalogue, its validation, the rendering of variables and the copy of
the defaults into an organisation's templates."""

import copy
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.outreach.models import ContactTemplate, OutreachSettings
from vigie.outreach.services.hotline import hotline_display, hotline_normalise
from vigie.outreach.services.templates_messages import (
    DEFAULT_PATH,
    ContactTemplatesCatalogueError,
    contact_templates_catalogue,
    contact_templates_load,
    contact_templates_parse,
    template_render,
    template_unsafe_words,
    template_variables_for,
    templates_ensure_defaults,
)
from vigie.tests_support.factories_outreach import ad_for_tests

VALUES = {
    "hotline": "+33 1 40 20 50 50",
    "organisation": "Association fictive",
    "signature": "Camille",
    "pseudonym": "Lina",
}


def _raw() -> dict:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


# --- Rendering ----------------------------------------------------------------------------------


def test_every_variable_is_filled_and_double_braces_are_literal():
    rendered = template_render(
        "Bonjour {pseudonym}, {organisation} : {hotline}. {signature} {{pas une variable}}", VALUES
    )
    assert rendered.text == (
        "Bonjour Lina, Association fictive : +33 1 40 20 50 50. Camille {pas une variable}"
    )
    assert rendered.missing == ()


def test_a_missing_value_stays_visible_between_brackets_and_is_listed():
    rendered = template_render(
        "Appelez le {hotline}, ou le {hotline}. {signature}", {**VALUES, "hotline": " "}
    )
    assert rendered.text == "Appelez le [hotline], ou le [hotline]. Camille"
    assert rendered.missing == ("hotline",)


@pytest.mark.parametrize(
    ("body", "named"),
    [("Appelez le {hotlin}", "hotlin"), ("{ hotline }", " hotline "), ("{0}", "0")],
)
def test_an_unknown_variable_is_refused_by_name(body, named):
    with pytest.raises(ValidationError) as refused:
        template_render(body, VALUES)
    assert refused.value.params == {"name": named}
    assert f"{{{named}}}" in refused.value.messages[0]


@pytest.mark.parametrize("body", ["Un { seul", "Une } seule", "{hotline"])
def test_a_lone_brace_is_refused(body):
    with pytest.raises(ValidationError) as refused:
        template_render(body, VALUES)
    assert refused.value.code == "lone_brace"


def test_the_variables_of_an_ad_come_from_the_settings_and_the_ad(org_a):
    OutreachSettings.objects.create(
        organisation=org_a, hotline="+33140205050", signature="Camille, équipe de jour"
    )
    ad = ad_for_tests(org_a, pseudonyms=["Lina", "Lina2"])
    assert template_variables_for(organisation=org_a, ad=ad) == {
        "hotline": "+33 1 40 20 50 50",
        "organisation": "Organisation A",
        "signature": "Camille, équipe de jour",
        "pseudonym": "Lina",
    }


def test_without_settings_the_hotline_and_signature_are_missing(org_a):
    ad = ad_for_tests(org_a, pseudonyms=[])
    values = template_variables_for(organisation=org_a, ad=ad)
    rendered = template_render("{pseudonym} {hotline} {signature} {organisation}", values)
    assert rendered.missing == ("pseudonym", "hotline", "signature")
    assert rendered.text == "[pseudonym] [hotline] [signature] Organisation A"


# --- Hotline ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("01 40 20 50 50", "+33140205050"),
        ("+33 1 40 20 50 50", "+33140205050"),
        ("0800.05.12.34", "+33800051234"),
        ("", ""),
    ],
)
def test_the_hotline_is_stored_in_e164(written, stored):
    assert hotline_normalise(written) == stored


@pytest.mark.parametrize("written", ["12", "119", "not a number", "01 23"])
def test_a_hotline_that_cannot_be_called_from_any_phone_is_refused(written):
    with pytest.raises(ValidationError) as refused:
        hotline_normalise(written)
    assert "hotline" in refused.value.message_dict


def test_the_hotline_is_shown_in_international_form():
    assert hotline_display("+33140205050") == "+33 1 40 20 50 50"


# --- The bundled catalogue ----------------------------------------------------------------------


def test_the_bundled_catalogue_has_two_safe_templates_in_every_language():
    catalogue = contact_templates_catalogue()
    assert {"fr", "en", "ro", "bg", "ar", "es", "pt"} <= set(catalogue.languages)
    assert [t.id for t in catalogue.templates] == ["first_message", "follow_up"]
    for template in catalogue.templates:
        assert set(template.messages) == set(catalogue.languages)
        for language, body in template.messages.items():
            # Every message gives the hotline, and nothing that would alert a third party.
            assert "{hotline}" in body, (template.id, language)
            assert template_unsafe_words(body) == [], (template.id, language)
            rendered = template_render(body, VALUES)
            assert "+33 1 40 20 50 50" in rendered.text
            assert rendered.missing == ()


@pytest.mark.parametrize(
    "text",
    [
        "Vous pouvez porter PLAINTE",
        "La Police peut aider",
        "una víctima",
        "ضحية",
        "trafficking",
        "aide aux victimes",
    ],
)
def test_unsafe_words_are_found_in_any_language_and_case(text):
    assert template_unsafe_words(text)


def test_unsafe_words_match_whole_words_only():
    # "policier" is no alert word by itself here, and "report" is not in "reporter".
    assert template_unsafe_words("je vais reporter la date") == []


# --- Validation: a broken catalogue is refused, naming the entry ------------------------------


def _broken(change) -> str:
    data = copy.deepcopy(_raw())
    change(data)
    with pytest.raises(ContactTemplatesCatalogueError) as refused:
        contact_templates_parse(data)
    return str(refused.value)


def test_an_unknown_variable_in_a_message_is_refused_naming_template_and_language():
    def change(data):
        data["templates"][1]["messages"]["ro"] = "Bună ziua {pseudonim}, {hotline}"

    message = _broken(change)
    assert "template 'follow_up'" in message
    assert "messages.ro" in message
    assert "{pseudonim}" in message


def test_an_unsafe_word_in_a_message_is_refused():
    def change(data):
        data["templates"][0]["messages"]["es"] = "Hola {pseudonym}, la policía te ayuda: {hotline}"

    message = _broken(change)
    assert "template 'first_message'" in message
    assert "messages.es" in message
    assert "policía" in message


def test_a_language_without_its_message_is_refused():
    def change(data):
        del data["templates"][0]["messages"]["bg"]

    assert "template 'first_message': key 'messages.bg': missing" in _broken(change)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("version"), "catalogue: key 'version': missing"),
        (lambda d: d.update(version="soon"), "must be a date"),
        (lambda d: d.update(extra=1), "key 'extra': unknown key"),
        (lambda d: d["languages"].append("xx"), "unknown language code 'xx'"),
        (lambda d: d["languages"].append("fr"), "'fr' is listed twice"),
        (lambda d: d["templates"][1].update(id="first_message"), "duplicate id"),
        (lambda d: d["templates"][0].update(id="First"), "lowercase letters"),
        (lambda d: d["templates"][0]["name"].pop("en"), "exactly 'fr' and 'en'"),
        (lambda d: d["templates"][0].pop("messages"), "key 'messages': missing"),
        (
            lambda d: d["templates"][0]["messages"].update(de="Hallo {hotline}"),
            "messages.de",
        ),
        (lambda d: d["unsafe_words"].update(fr=[]), "non-empty list of words"),
        (lambda d: d.update(templates=[]), "non-empty list"),
    ],
)
def test_a_broken_catalogue_is_refused_with_the_key_named(change, expected):
    assert expected in _broken(change)


def test_an_unreadable_file_is_refused_naming_it(tmp_path: Path):
    broken = tmp_path / "contact_templates.yaml"
    broken.write_text("templates: [unclosed", encoding="utf-8")
    with pytest.raises(ContactTemplatesCatalogueError) as refused:
        contact_templates_load(broken)
    assert str(broken) in str(refused.value)


# --- Defaults copied once -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_defaults_are_copied_once_and_audited(org_a, org_b, users):
    coordinator = users[("coordinator", "a")]
    catalogue = contact_templates_catalogue()
    expected = len(catalogue.templates) * len(catalogue.languages)

    made = templates_ensure_defaults(org_a, actor=Actor(user=coordinator))
    assert len(made) == expected
    first = ContactTemplate.objects.get(organisation=org_a, name="Premier message", language="ar")
    assert first.body == catalogue.templates[0].messages["ar"]
    assert first.is_active
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_TEMPLATE_CHANGE)
    assert str(first.uuid) in event.object_uuids
    assert event.actor_uuid == coordinator.uuid

    # Changed by a coordinator, then used again: nothing is copied over it.
    first.body = "Bonjour {pseudonym}, appelez le {hotline}."
    first.save()
    ContactTemplate.objects.filter(organisation=org_a, language="en").delete()
    assert templates_ensure_defaults(org_a, actor=Actor(user=coordinator)) == []
    first.refresh_from_db()
    assert first.body == "Bonjour {pseudonym}, appelez le {hotline}."
    assert not ContactTemplate.objects.filter(organisation=org_a, language="en").exists()
    assert AuditEvent.objects.filter(action=AuditAction.OUTREACH_TEMPLATE_CHANGE).count() == 1
    # Another organisation gets its own copies.
    assert ContactTemplate.objects.filter(organisation=org_b).count() == 0
    assert len(templates_ensure_defaults(org_b)) == expected
