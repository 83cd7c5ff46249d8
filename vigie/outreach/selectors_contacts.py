"""Reading contacts and contact templates for a person: scoped to their organisation, 404 out of
scope (owned by the contact-log part)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor

from .models import AdContact, Advertisement, ContactTemplate, OutreachSettings
from .services.hotline import hotline_display
from .services.templates_messages import (
    MessageLanguage,
    message_language,
    template_languages_order,
)


def _organisation_id(actor: Actor) -> int:
    user = actor.user
    if user is None or user.organisation_id is None:
        raise Http404
    return user.organisation_id


# --- Templates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplatesInLanguage:
    language: MessageLanguage
    templates: list[ContactTemplate]


def templates_by_language(*, actor: Actor, active_only: bool = False) -> list[TemplatesInLanguage]:
    """The organisation's templates, grouped by language in the catalogue's order."""
    templates = ContactTemplate.objects.filter(organisation_id=_organisation_id(actor))
    if active_only:
        templates = templates.filter(is_active=True)
    groups: dict[str, list[ContactTemplate]] = {}
    for template in templates.order_by("name", "pk"):
        groups.setdefault(template.language, []).append(template)
    order = template_languages_order()
    return [
        TemplatesInLanguage(language=message_language(code), templates=groups[code])
        for code in sorted(groups, key=lambda c: (order.get(c, len(order)), c))
    ]


def template_get_for_user(
    *, actor: Actor, template_uuid: uuid.UUID, active_only: bool = False
) -> ContactTemplate:
    """One template of the person's organisation; 404 otherwise."""
    templates = ContactTemplate.objects.filter(
        organisation_id=_organisation_id(actor), uuid=template_uuid
    )
    if active_only:
        templates = templates.filter(is_active=True)
    template = templates.first()
    if template is None:
        raise Http404
    return template


def outreach_settings_of(*, actor: Actor) -> OutreachSettings | None:
    return OutreachSettings.objects.filter(organisation_id=_organisation_id(actor)).first()


def hotline_shown(outreach: OutreachSettings | None) -> str:
    return hotline_display(outreach.hotline) if outreach else ""


# --- The ad page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRow:
    contact: AdContact
    template_name: str
    language: MessageLanguage | None


@dataclass(frozen=True)
class NextStep:
    text: str
    on: date | None
    due: bool
    days_late: int


def _next_step(latest: AdContact | None, today: date) -> NextStep | None:
    # The latest contact's next step replaces the earlier ones: they were done or overtaken.
    if latest is None or not (latest.next_step or latest.next_step_on):
        return None
    on = latest.next_step_on
    due = on is not None and on <= today
    return NextStep(
        text=latest.next_step,
        on=on,
        due=due,
        days_late=(today - on).days if on is not None and due else 0,
    )


def ad_contacts_context(*, ad: Advertisement, user: Any) -> dict[str, Any]:
    """What ``outreach/_ad_contacts.html`` shows, under one key so it merges with the ad page's
    own context. The caller has loaded the ad through the scoped selector."""
    if not (isinstance(user, User) and user.has_vigie_permission(Permission.OUTREACH_VIEW)):
        return {"ad_contacts": None}
    contacts = list(AdContact.objects.filter(ad=ad).select_related("template"))
    rows = [
        ContactRow(
            contact=contact,
            template_name=contact.template.name if contact.template else "",
            language=message_language(contact.template.language) if contact.template else None,
        )
        for contact in contacts
    ]
    can_log = user.has_vigie_permission(Permission.OUTREACH_EDIT)
    return {
        "ad_contacts": {
            "rows": rows,
            "next_step": _next_step(contacts[0] if contacts else None, timezone.localdate()),
            "can_log": can_log,
            "log_url": reverse("outreach:contact_create", kwargs={"ad_uuid": ad.uuid})
            if can_log
            else "",
        }
    }
