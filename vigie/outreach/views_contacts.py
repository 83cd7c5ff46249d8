"""Pages of the contact log, the contact templates and the outreach settings. Thin: scope comes
from the selectors, rules from the services (vigie/outreach/services/contacts.py)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_contacts import ContactForm, OutreachSettingsForm, TemplateChoiceForm, TemplateForm
from .models import Advertisement, ContactTemplate
from .selectors import ad_get_for_user
from .selectors_contacts import (
    TemplatesInLanguage,
    hotline_shown,
    outreach_settings_of,
    template_get_for_user,
    templates_by_language,
)
from .services import contacts as services
from .services.templates_messages import (
    VARIABLES,
    RenderedMessage,
    message_language,
    template_render,
    template_variables_for,
    templates_ensure_defaults,
)


class _OutreachPage(ProtectedView):
    abstract = True

    def _organisation(self) -> Organisation:
        organisation = self.user.organisation
        if organisation is None:
            raise Http404
        return organisation

    def _ensure_defaults(self) -> None:
        """The organisation's first use of templates gives it the catalogue's messages."""
        templates_ensure_defaults(self._organisation(), actor=self.actor)


# --- Contact log ------------------------------------------------------------------------------


def _missing_explained(rendered: RenderedMessage | None) -> list[dict[str, Any]]:
    if rendered is None:
        return []
    return [{"name": name, "meaning": VARIABLES[name]} for name in rendered.missing]


class ContactCreateView(_OutreachPage):
    """Log a contact with the person behind an ad. The template chosen (``?template=<uuid>``) is
    rendered on the server with the organisation's hotline, so the page works without JS."""

    permission = Permission.OUTREACH_EDIT

    def _render(
        self,
        request: HttpRequest,
        ad: Advertisement,
        form: ContactForm,
        groups: list[TemplatesInLanguage],
        *,
        template: ContactTemplate | None = None,
        rendered: RenderedMessage | None = None,
        status: int = 200,
    ) -> HttpResponse:
        choice = TemplateChoiceForm(
            initial={"template": str(template.uuid) if template else ""}, groups=groups
        )
        return render(
            request,
            "outreach/contact_form.html",
            {
                "ad": ad,
                "form": form,
                "choice": choice,
                "chosen": template,
                "chosen_language": message_language(template.language) if template else None,
                "rendered": rendered,
                "missing": _missing_explained(rendered),
                "can_manage_templates": self.user.has_vigie_permission(
                    Permission.OUTREACH_TEMPLATES_MANAGE
                ),
            },
            status=status,
        )

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ad = ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid)
        self._ensure_defaults()
        groups = templates_by_language(actor=self.actor, active_only=True)
        chosen = request.GET.get("template", "")
        if not chosen:
            return self._render(request, ad, ContactForm(groups=groups), groups)
        try:
            template_uuid = uuid.UUID(chosen)
        except ValueError as problem:
            raise Http404 from problem
        template = template_get_for_user(
            actor=self.actor, template_uuid=template_uuid, active_only=True
        )
        rendered = template_render(
            template.body, template_variables_for(organisation=self._organisation(), ad=ad)
        )
        form = ContactForm(
            initial={"template": str(template.uuid), "message": rendered.text},
            groups=groups,
            message_language=message_language(template.language),
        )
        return self._render(request, ad, form, groups, template=template, rendered=rendered)

    def post(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        # The service writes the audit event of the contact; no separate read event.
        ad = ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid, action=None)
        groups = templates_by_language(actor=self.actor, active_only=True)
        form = ContactForm(request.POST, groups=groups)
        if form.is_valid():
            try:
                services.contact_log(actor=self.actor, ad=ad, data=form.contact())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request, _("The contact is logged on %(ad)s.") % {"ad": ad.reference}
                )
                url = reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})
                return redirect(f"{url}#contacts")
        template = form.chosen_template()
        if template is not None:
            form.message_language_set(message_language(template.language))
        return self._render(request, ad, form, groups, template=template, status=422)


# --- Templates --------------------------------------------------------------------------------


class TemplatesView(_OutreachPage):
    permission = Permission.OUTREACH_TEMPLATES_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        self._ensure_defaults()
        outreach = outreach_settings_of(actor=self.actor)
        return render(
            request,
            "outreach/template_list.html",
            {
                "groups": templates_by_language(actor=self.actor),
                "hotline": hotline_shown(outreach),
                "signature": outreach.signature if outreach else "",
                "variables": VARIABLES,
            },
        )


class _TemplateFormPage(_OutreachPage):
    abstract = True
    permission = Permission.OUTREACH_TEMPLATES_MANAGE

    def _render(
        self,
        request: HttpRequest,
        form: TemplateForm,
        *,
        title: str,
        template: ContactTemplate | None = None,
        preview: RenderedMessage | None = None,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "outreach/template_form.html",
            {
                "form": form,
                "title": title,
                "contact_template": template,
                "language": message_language(template.language) if template else None,
                "preview": preview,
            },
            status=status,
        )

    def _bound(self, request: HttpRequest) -> TemplateForm:
        form = TemplateForm(request.POST)
        language = request.POST.get("language", "")
        if language:
            form.message_language_set(language)
        return form


class TemplateCreateView(_TemplateFormPage):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, TemplateForm(), title=_("New template"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._bound(request)
        if form.is_valid():
            try:
                template = services.template_create(actor=self.actor, data=form.template_input())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The template %(name)s is saved.") % {"name": template})
                return redirect("outreach:templates")
        return self._render(request, form, title=_("New template"), status=422)


class TemplateUpdateView(_TemplateFormPage):
    def get(self, request: HttpRequest, template_uuid: uuid.UUID) -> HttpResponse:
        template = template_get_for_user(actor=self.actor, template_uuid=template_uuid)
        # What a worker will see, with this organisation's values ({pseudonym} comes from the ad).
        preview = template_render(
            template.body, template_variables_for(organisation=self._organisation())
        )
        return self._render(
            request,
            TemplateForm.for_template(template),
            title=_("Change a template"),
            template=template,
            preview=preview,
        )

    def post(self, request: HttpRequest, template_uuid: uuid.UUID) -> HttpResponse:
        template = template_get_for_user(actor=self.actor, template_uuid=template_uuid)
        form = self._bound(request)
        if form.is_valid():
            try:
                services.template_update(
                    actor=self.actor, template=template, data=form.template_input()
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The template %(name)s is saved.") % {"name": template})
                return redirect("outreach:templates")
        return self._render(
            request, form, title=_("Change a template"), template=template, status=422
        )


class TemplateDeactivateView(_OutreachPage):
    permission = Permission.OUTREACH_TEMPLATES_MANAGE

    def post(self, request: HttpRequest, template_uuid: uuid.UUID) -> HttpResponse:
        template = template_get_for_user(actor=self.actor, template_uuid=template_uuid)
        services.template_deactivate(actor=self.actor, template=template)
        messages.success(
            request,
            _("The template %(name)s is no longer offered. Contacts logged with it keep it.")
            % {"name": template},
        )
        return redirect("outreach:templates")


# --- Settings ---------------------------------------------------------------------------------


class OutreachSettingsView(_OutreachPage):
    permission = Permission.OUTREACH_TEMPLATES_MANAGE

    def _render(
        self, request: HttpRequest, form: OutreachSettingsForm, status: int = 200
    ) -> HttpResponse:
        return render(request, "outreach/template_settings.html", {"form": form}, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        outreach = outreach_settings_of(actor=self.actor)
        form = OutreachSettingsForm(
            initial={
                "hotline": hotline_shown(outreach),
                "signature": outreach.signature if outreach else "",
            }
        )
        return self._render(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = OutreachSettingsForm(request.POST)
        if form.is_valid():
            try:
                services.outreach_settings_update(
                    actor=self.actor,
                    hotline=form.cleaned_data["hotline"],
                    signature=form.cleaned_data["signature"],
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The outreach settings are saved."))
                return redirect("outreach:templates")
        return self._render(request, form, status=422)
