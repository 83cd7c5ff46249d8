"""Referral pages: refer a child, follow referrals sent and received, answer one, record a
service, revoke. Thin: scope in selectors_referrals, rules in services/referrals."""

import uuid
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.cases.models import Case
from vigie.cases.selectors import case_get_for_user
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_referrals import CONSENT_FIELDS, DeclineForm, ReferralForm, ServiceForm
from .selectors_referrals import (
    referral_get_for_user,
    referral_page_for_user,
    referrals_incoming,
    referrals_outgoing,
)
from .services import referrals as services


def _to_detail(referral_uuid: uuid.UUID) -> HttpResponse:
    return redirect("network:referral_detail", referral_uuid=referral_uuid)


class ReferralCreateView(ProtectedView):
    permission = Permission.REFERRAL_MANAGE
    template_name = "network/referrals/referral_form.html"

    def _recipients(self) -> QuerySet[Organisation]:
        recipients = Organisation.objects.filter(is_active=True)
        if self.user.organisation_id is not None:
            recipients = recipients.exclude(pk=self.user.organisation_id)
        return recipients

    def _render(
        self, request: HttpRequest, case: Case, form: ReferralForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "case": case,
            "form": form,
            "main_fields": [form[name] for name in form.fields if name not in CONSENT_FIELDS],
            "consent_fields": [form[name] for name in CONSENT_FIELDS],
            "can_override": self.user.has_vigie_permission(Permission.CONSENT_OVERRIDE),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return self._render(request, case, ReferralForm(recipients=self._recipients()))

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        # Scope first: another organisation's case is a 404 before anything sent is looked at.
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = ReferralForm(request.POST, recipients=self._recipients())
        if not form.is_valid():
            return self._render(request, case, form, status=422)
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                actor=self.actor,
                case=case,
                to_organisation=data["to_organisation"],
                service=data["service"],
                sections=data["sections"],
                message=data["message"],
                consent=form.consent(),
                expires_on=data["expires_on"],
            )
        except ValidationError as error:
            form_errors_add(form, error)
            return self._render(request, case, form, status=422)
        except PermissionDenied:
            # A share without the young person's agreement is a coordinator's decision.
            form.add_error(
                "child_consent",
                _("Only a coordinator may share without the young person's agreement."),
            )
            return self._render(request, case, form, status=403)
        messages.success(
            request,
            _("The child is referred to %(organisation)s. They will be notified.")
            % {"organisation": data["to_organisation"].name},
        )
        return _to_detail(referral.uuid)


class ReferralListView(ProtectedView):
    permission = Permission.REFERRAL_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "outgoing": referrals_outgoing(actor=self.actor),
            "incoming": referrals_incoming(actor=self.actor),
        }
        return render(request, "network/referrals/referral_list.html", context)


class ReferralDetailView(ProtectedView):
    permission = Permission.REFERRAL_MANAGE

    def get(self, request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
        page = referral_page_for_user(actor=self.actor, referral_uuid=referral_uuid)
        context = {
            "referral": page.referral,
            "shared": page.shared_file,
            "service_form": ServiceForm(auto_id="service-%s"),
        }
        return render(request, "network/referrals/referral_detail.html", context)


class ReferralAcceptView(ProtectedView):
    permission = Permission.REFERRAL_MANAGE

    def post(self, request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
        referral = referral_get_for_user(actor=self.actor, referral_uuid=referral_uuid)
        try:
            services.referral_accept(actor=self.actor, referral=referral)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Referral accepted. The referring worker is notified."))
        return _to_detail(referral.uuid)


class _AnswerFormView(ProtectedView, ABC):
    """A form about one referral received (decline, service), on a page of its own."""

    abstract = True
    permission = Permission.REFERRAL_MANAGE
    form_class: type[forms.Form]
    title: ClassVar[Promise]
    template_name = "network/referrals/referral_answer.html"

    @abstractmethod
    def act(self, referral: Any, data: dict[str, Any]) -> str:
        """Call the service; return the confirmation message."""

    def _render(
        self, request: HttpRequest, referral_uuid: uuid.UUID, form: forms.Form, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "title": self.title, "referral_uuid": referral_uuid}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
        referral = referral_get_for_user(actor=self.actor, referral_uuid=referral_uuid)
        if referral.to_organisation_id != self.user.organisation_id:
            # The referring organisation sees the referral, but answers are the recipient's.
            raise PermissionDenied
        return self._render(request, referral.uuid, self.form_class())

    def post(self, request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
        referral = referral_get_for_user(actor=self.actor, referral_uuid=referral_uuid)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                confirmation = self.act(referral, form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, confirmation)
                return _to_detail(referral.uuid)
        return self._render(request, referral.uuid, form, status=422)


class ReferralDeclineView(_AnswerFormView):
    form_class = DeclineForm
    title = gettext_lazy("Decline the referral")

    def act(self, referral: Any, data: dict[str, Any]) -> str:
        services.referral_decline(actor=self.actor, referral=referral, reason=data["reason"])
        return _("Referral declined. The referring worker is notified.")


class ReferralServiceView(_AnswerFormView):
    form_class = ServiceForm
    title = gettext_lazy("Record a service delivered")

    def act(self, referral: Any, data: dict[str, Any]) -> str:
        services.service_record(
            actor=self.actor,
            referral=referral,
            delivered_on=data["delivered_on"],
            description=data["description"],
        )
        return _("Service recorded. The referring worker can see it.")


class ReferralRevokeView(ProtectedView):
    permission = Permission.REFERRAL_MANAGE

    def post(self, request: HttpRequest, referral_uuid: uuid.UUID) -> HttpResponse:
        referral = referral_get_for_user(actor=self.actor, referral_uuid=referral_uuid)
        try:
            services.referral_revoke(actor=self.actor, referral=referral)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Referral revoked: the recipient no longer reads the file.")
            )
        return _to_detail(referral.uuid)
