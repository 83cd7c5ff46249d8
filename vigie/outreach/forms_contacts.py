"""Forms of the contact log, the contact templates and the outreach settings. Field names are the
services' keywords: a service's ValidationError lands on the field it names. Rules live in
vigie/outreach/services/contacts.py and services/templates_messages.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import ContactAnswer, ContactChannel, ContactTemplate
from .selectors_contacts import TemplatesInLanguage
from .services.contacts import ContactInput, TemplateInput
from .services.templates_messages import (
    VARIABLES,
    MessageLanguage,
    message_language,
    template_languages,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _language_label(language: MessageLanguage) -> str:
    return f"{language.name} ({language.name_local})"


def _variables_help() -> str:
    return "; ".join(f"{{{name}}} = {meaning}" for name, meaning in VARIABLES.items())


def _template_choices(groups: list[TemplatesInLanguage]) -> list[tuple[Any, Any]]:
    return [("", _("No template"))] + [
        (_language_label(group.language), [(str(t.uuid), t.name) for t in group.templates])
        for group in groups
    ]


class TemplateChoiceForm(forms.Form):
    """The first step of a contact, sent by GET (``?template=<uuid>``): the server writes the
    message, so the page works without JavaScript and nothing typed in the log is in the URL."""

    template = forms.ChoiceField(
        label=_("Template"),
        required=False,
        help_text=_(
            "Choose a template, then “Show the message”: it is written with the organisation’s "
            "hotline, ready to copy into the messaging app."
        ),
    )

    def __init__(self, *args: Any, groups: list[TemplatesInLanguage], **kwargs: Any) -> None:
        # Its own ids: the contact form below carries the chosen template in a hidden field.
        kwargs.setdefault("auto_id", "choose_%s")
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)  # noqa: S101 - declared above
        template_field.choices = _template_choices(groups)


class ContactForm(forms.Form):
    # In the order of the work: the message sent, then how it went.
    template = forms.ChoiceField(required=False, widget=forms.HiddenInput)
    message = forms.CharField(
        label=_("Message as sent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("Change it if you changed it before sending."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Choose")), *ContactChannel.choices]
    )
    contacted_on = forms.DateField(label=_("Date"), initial=timezone.localdate, widget=_DATE)
    answer = forms.ChoiceField(
        label=_("Answer"), choices=ContactAnswer.choices, initial=ContactAnswer.NO_ANSWER
    )
    answer_note = forms.CharField(
        label=_("About the answer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=500)
    next_step_on = forms.DateField(label=_("Next step on"), required=False, widget=_DATE)

    def __init__(
        self,
        *args: Any,
        groups: list[TemplatesInLanguage],
        message_language: MessageLanguage | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._templates = {str(t.uuid): t for group in groups for t in group.templates}
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)  # noqa: S101 - declared above
        template_field.choices = [("", ""), *((key, key) for key in self._templates)]
        template_field.error_messages["invalid_choice"] = _(
            "This template is not in use any more: choose another one."
        )
        if message_language is not None:
            self.message_language_set(message_language)

    def message_language_set(self, language: MessageLanguage) -> None:
        # RGAA 8.7: the message is in the template's language, maybe right to left.
        self.fields["message"].widget.attrs.update(
            {"lang": language.code, "dir": language.direction}
        )

    def chosen_template(self) -> ContactTemplate | None:
        return self._templates.get(self.cleaned_data.get("template") or "")

    def contact(self) -> ContactInput:
        data = self.cleaned_data
        return ContactInput(
            channel=data["channel"],
            contacted_on=data["contacted_on"],
            template=self.chosen_template(),
            message=data["message"],
            answer=data["answer"],
            answer_note=data["answer_note"],
            next_step=data["next_step"],
            next_step_on=data["next_step_on"],
        )


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    language = forms.ChoiceField(label=_("Language"))
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)  # noqa: S101 - declared above
        # Built per request: the meanings of the variables are in the reader's language.
        self.fields["body"].help_text = gettext(
            "Short, simple and without pressure. No word that would tell someone else reading "
            "the phone what it is about. Variables: %(variables)s."
        ) % {"variables": _variables_help()}
        language_field.choices = [
            (code, _language_label(message_language(code))) for code in template_languages()
        ]

    @classmethod
    def for_template(cls, template: ContactTemplate) -> TemplateForm:
        form = cls(initial={name: getattr(template, name) for name in cls.base_fields})
        form.message_language_set(template.language)
        return form

    def message_language_set(self, code: str) -> None:
        language = message_language(code)
        self.fields["body"].widget.attrs.update({"lang": code, "dir": language.direction})

    def template_input(self) -> TemplateInput:
        data = self.cleaned_data
        return TemplateInput(
            name=data["name"],
            language=data["language"],
            body=data["body"],
            is_active=data["is_active"],
        )


class OutreachSettingsForm(forms.Form):
    hotline = forms.CharField(
        label=_("Hotline number"),
        required=False,
        max_length=40,
        help_text=_(
            "The number the messages give, callable from any phone (no short number). "
            "Shown in international form: +33 1 23 45 67 89."
        ),
    )
    signature = forms.CharField(
        label=_("Signature"),
        required=False,
        max_length=200,
        help_text=_("How the messages end, for example a first name and the team's name."),
    )
