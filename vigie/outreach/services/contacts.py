"""Contacts made with the person behind an ad, and the organisation's templates and hotline.

Seed 000 §III.4: the worker writes to the person by WhatsApp, Snapchat or Instagram with a
template message offering support; victims rarely answer, so every try, its answer and the next
step are kept. Vigie sends nothing: it records what the worker sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from ..models import (
    AdContact,
    Advertisement,
    ContactAnswer,
    ContactChannel,
    ContactTemplate,
    OutreachSettings,
)
from .ads import ads_touch
from .hotline import hotline_normalise
from .templates_messages import (
    template_body_check,
    template_languages,
    template_unsafe_words,
)

NAME_MAX = 120
SIGNATURE_MAX = 200


def _user_with(actor: Actor, permission: Permission) -> User:
    user = actor.user
    if user is None or user.organisation_id is None or not user.has_vigie_permission(permission):
        raise PermissionDenied
    return user


def _organisation_of(user: User) -> int:
    if user.organisation_id is None:
        raise PermissionDenied
    return user.organisation_id


# --- Contact log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactInput:
    """What a worker states about one contact (the form's cleaned data, checked here)."""

    channel: str
    contacted_on: date
    template: ContactTemplate | None = None
    message: str = ""
    answer: str = ContactAnswer.NO_ANSWER
    answer_note: str = ""
    next_step: str = ""
    next_step_on: date | None = None


def _contact_checked(user: User, ad: Advertisement, data: ContactInput) -> None:
    if data.channel not in ContactChannel.values:
        raise ValidationError({"channel": _("Choose a channel from the list.")})
    if data.contacted_on > timezone.localdate():
        raise ValidationError({"contacted_on": _("A contact cannot be in the future.")})
    template = data.template
    if template is not None and (
        template.organisation_id != user.organisation_id or not template.is_active
    ):
        raise ValidationError({"template": _("This template is not in use any more.")})
    if data.answer not in ContactAnswer.values:
        raise ValidationError({"answer": _("Choose an answer from the list.")})
    if data.next_step_on is not None:
        if not data.next_step.strip():
            raise ValidationError({"next_step": _("Say what the next step is.")})
        if data.next_step_on < data.contacted_on:
            raise ValidationError(
                {"next_step_on": _("The next step cannot come before the contact.")}
            )


@transaction.atomic
def contact_log(*, actor: Actor, ad: Advertisement, data: ContactInput) -> AdContact:
    """Record one contact on the ad: retention then counts from its date (``ads_touch``)."""
    user = _user_with(actor, Permission.OUTREACH_EDIT)
    if ad.organisation_id != user.organisation_id:
        raise PermissionDenied
    _contact_checked(user, ad, data)
    contact = AdContact.objects.create(
        ad=ad,
        channel=data.channel,
        contacted_on=data.contacted_on,
        template=data.template,
        message=data.message.strip(),
        answer=data.answer,
        answer_note=data.answer_note.strip(),
        next_step=data.next_step.strip(),
        next_step_on=data.next_step_on,
        created_by=user,
    )
    ads_touch([ad], data.contacted_on)
    audit_record(actor=actor, action=AuditAction.OUTREACH_CONTACT_LOG, objects=[contact, ad])
    return contact


# --- Templates ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateInput:
    name: str
    language: str
    body: str
    is_active: bool = True


def _template_checked(
    organisation_id: int, data: TemplateInput, template: ContactTemplate | None
) -> TemplateInput:
    name = data.name.strip()
    if not name:
        raise ValidationError({"name": _("Give the template a name.")})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": _("At most %(count)s characters.") % {"count": NAME_MAX}})
    if data.language not in template_languages():
        raise ValidationError({"language": _("Choose a language from the list.")})
    body = data.body.strip()
    template_body_check(body)
    same = ContactTemplate.objects.filter(
        organisation_id=organisation_id, name=name, language=data.language
    )
    if template is not None:
        same = same.exclude(pk=template.pk)
    if same.exists():
        raise ValidationError(
            {"name": _("A template of this name already exists in this language.")}
        )
    return TemplateInput(name=name, language=data.language, body=body, is_active=data.is_active)


@transaction.atomic
def template_create(*, actor: Actor, data: TemplateInput) -> ContactTemplate:
    user = _user_with(actor, Permission.OUTREACH_TEMPLATES_MANAGE)
    organisation_id = _organisation_of(user)
    checked = _template_checked(organisation_id, data, None)
    template = ContactTemplate.objects.create(
        organisation_id=organisation_id,
        name=checked.name,
        language=checked.language,
        body=checked.body,
        is_active=checked.is_active,
        created_by=user,
    )
    audit_record(actor=actor, action=AuditAction.OUTREACH_TEMPLATE_CHANGE, objects=[template])
    return template


@transaction.atomic
def template_update(
    *, actor: Actor, template: ContactTemplate, data: TemplateInput
) -> ContactTemplate:
    """Change a template. Contacts already logged keep the message as sent."""
    user = _user_with(actor, Permission.OUTREACH_TEMPLATES_MANAGE)
    if template.organisation_id != user.organisation_id:
        raise PermissionDenied
    checked = _template_checked(template.organisation_id, data, template)
    template.name = checked.name
    template.language = checked.language
    template.body = checked.body
    template.is_active = checked.is_active
    template.save(update_fields=["name", "language", "body", "is_active", "updated_at"])
    audit_record(actor=actor, action=AuditAction.OUTREACH_TEMPLATE_CHANGE, objects=[template])
    return template


@transaction.atomic
def template_deactivate(*, actor: Actor, template: ContactTemplate) -> ContactTemplate:
    """Out of the contact form's choices; kept, so the contacts made with it still name it."""
    user = _user_with(actor, Permission.OUTREACH_TEMPLATES_MANAGE)
    if template.organisation_id != user.organisation_id:
        raise PermissionDenied
    if template.is_active:
        template.is_active = False
        template.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.OUTREACH_TEMPLATE_CHANGE,
            objects=[template],
            reason_code="deactivate",
        )
    return template


# --- Settings -------------------------------------------------------------------------------------


@transaction.atomic
def outreach_settings_update(*, actor: Actor, hotline: str, signature: str) -> OutreachSettings:
    """The values of the templates' {hotline} and {signature}."""
    user = _user_with(actor, Permission.OUTREACH_TEMPLATES_MANAGE)
    normalised = hotline_normalise(hotline)
    signature = signature.strip()
    if len(signature) > SIGNATURE_MAX:
        raise ValidationError(
            {"signature": _("At most %(count)s characters.") % {"count": SIGNATURE_MAX}}
        )
    unsafe = template_unsafe_words(signature)
    if unsafe:
        raise ValidationError(
            {
                "signature": _(
                    "The signature contains %(words)s: someone else may read the phone, and "
                    "these words would tell them what the message is about."
                )
                % {"words": ", ".join(f"« {w} »" for w in unsafe)}
            }
        )
    outreach, _created = OutreachSettings.objects.select_for_update().get_or_create(
        organisation_id=_organisation_of(user)
    )
    outreach.hotline = normalised
    outreach.signature = signature
    outreach.save()
    audit_record(
        actor=actor,
        action=AuditAction.OUTREACH_TEMPLATE_CHANGE,
        objects=[outreach.organisation],
        reason_code="settings",
    )
    return outreach
