"""Transfer pages: propose from the case file, the lists sent and received, one transfer with its
continuity summary, the answer, and the PDF. Thin: rules in services/transfers.py, scope in
selectors_transfers.py (404 out of scope)."""

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.accounts.views import reauthenticated_recently, redirect_to_reauth
from vigie.audit.models import AuditAction
from vigie.cases.selectors import case_get_for_user
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_transfers import TransferDeclineForm, TransferForm
from .models import Transfer, TransferDestination, TransferStatus
from .selectors_transfers import (
    transfer_get_for_user,
    transfer_summary_allowed,
    transfer_summary_for_user,
    transfers_incoming,
    transfers_outgoing,
)
from .services import transfers as services
from .summary import continuity_summary_build
from .summary_pdf import continuity_summary_pdf


def _detail(transfer: Transfer) -> HttpResponse:
    return redirect("network:transfer_detail", transfer_uuid=transfer.uuid)


class TransferCreateView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE
    template_name = "network/transfers/create.html"

    def _render(self, request: HttpRequest, case: Any, form: TransferForm, status: int = 200):
        return render(request, self.template_name, {"case": case, "form": form}, status=status)

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return self._render(request, case, TransferForm(own_organisation=case.organisation))

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = TransferForm(request.POST, own_organisation=case.organisation)
        if form.is_valid():
            data = form.cleaned_data
            try:
                transfer = services.transfer_propose(
                    actor=self.actor,
                    case=case,
                    destination=data["destination"],
                    to_organisation=data["to_organisation"],
                    partner_name=data["partner_name"],
                    partner_country=data["partner_country"],
                    new_departement=data["new_departement"],
                    reason=data["reason"],
                    consent=form.consent(),
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Transfer proposed."))
                return _detail(transfer)
        return self._render(request, case, form, status=422)


class TransferListView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "outgoing": list(transfers_outgoing(actor=self.actor)),
            "incoming": list(transfers_incoming(actor=self.actor)),
        }
        return render(request, "network/transfers/list.html", context)


class TransferDetailView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE

    def get(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        summary = None
        if transfer_summary_allowed(user=self.user, transfer=transfer):
            transfer = transfer_summary_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
            summary = continuity_summary_build(case=transfer.case, today=timezone.localdate())
        organisation_id = self.user.organisation_id
        proposed = transfer.status == TransferStatus.PROPOSED
        is_recipient = transfer.to_organisation_id == organisation_id
        is_proposer = transfer.from_organisation_id == organisation_id
        context = {
            "transfer": transfer,
            "summary": summary,
            "can_answer": proposed and is_recipient,
            "can_cancel": proposed and is_proposer,
            "can_send_abroad": proposed
            and is_proposer
            and transfer.destination == TransferDestination.ABROAD,
            "is_owner": transfer.case.organisation_id == organisation_id,
        }
        return render(request, "network/transfers/detail.html", context)


class TransferSummaryPdfView(ProtectedView):
    """The summary as a PDF: bilingual for a partner abroad (an export, after a fresh
    re-authentication, like every export of Vigie), in the reader's language otherwise."""

    permission = Permission.TRANSFER_MANAGE

    def get(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        abroad = transfer.destination == TransferDestination.ABROAD
        if abroad and not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        action = (
            AuditAction.TRANSFER_SUMMARY_EXPORT if abroad else AuditAction.TRANSFER_SUMMARY_VIEW
        )
        transfer = transfer_summary_for_user(
            actor=self.actor, transfer_uuid=transfer_uuid, action=action
        )
        content = continuity_summary_pdf(transfer=transfer, today=timezone.localdate())
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"synthese-{transfer.case.reference}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class TransferAcceptView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE

    def post(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        try:
            case = services.transfer_accept(actor=self.actor, transfer=transfer)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return _detail(transfer)
        messages.success(
            request, _("Transfer accepted: the file is your organisation's. Assign a caseworker.")
        )
        return redirect(case.get_absolute_url())


class TransferDeclineView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE
    template_name = "network/transfers/decline.html"

    def _render(self, request: HttpRequest, transfer: Transfer, form: forms.Form, status: int):
        context = {"transfer": transfer, "form": form}
        return render(request, self.template_name, context, status=status)

    def _answerable(self, transfer_uuid: uuid.UUID) -> Transfer:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        return transfer

    def get(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = self._answerable(transfer_uuid)
        return self._render(request, transfer, TransferDeclineForm(), 200)

    def post(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = self._answerable(transfer_uuid)
        form = TransferDeclineForm(request.POST)
        if form.is_valid():
            try:
                services.transfer_decline(
                    actor=self.actor, transfer=transfer, reason=form.cleaned_data["decline_reason"]
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("Transfer declined."))
                return redirect("network:transfers")
        return self._render(request, transfer, form, 422)


class TransferCancelView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE

    def post(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        try:
            services.transfer_cancel(actor=self.actor, transfer=transfer)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Transfer cancelled."))
        return _detail(transfer)


class TransferSendAbroadView(ProtectedView):
    permission = Permission.TRANSFER_MANAGE

    def post(self, request: HttpRequest, transfer_uuid: uuid.UUID) -> HttpResponse:
        transfer = transfer_get_for_user(actor=self.actor, transfer_uuid=transfer_uuid)
        try:
            services.transfer_send_abroad(actor=self.actor, transfer=transfer)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("The summary is recorded as sent abroad; the file is transferred.")
            )
        return _detail(transfer)
