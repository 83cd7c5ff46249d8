"""Reports to the authorities, the evidence PDF, and opening a case file from an ad.

Thin: ads and networks are loaded (and their reads audited) by vigie/outreach/selectors.py,
rules and audit are in services/reports.py, services/case_from_ad.py and evidence_pdf.py.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.accounts.views import reauthenticated_recently, redirect_to_reauth
from vigie.core.forms import form_errors_add
from vigie.core.http import attachment_response
from vigie.core.views import ProtectedView

from .evidence_pdf import evidence_export
from .forms_reports import AuthorityReportForm, CaseFromAdForm
from .models import Advertisement, ReportScope
from .selectors import ad_get_for_user, cluster_get_for_user
from .services.case_from_ad import case_open_from_ad, case_prefill
from .services.reports import report_record


def _ad_url(ad_uuid: uuid.UUID) -> str:
    return reverse("outreach:ad_detail", kwargs={"ad_uuid": ad_uuid})


def _cluster_url(ad_uuid: uuid.UUID) -> str:
    return reverse("outreach:cluster", kwargs={"ad_uuid": ad_uuid})


class _ReportCreate(ProtectedView):
    """GET: the form, with what will be reported. POST: the report, then back to the page."""

    abstract = True
    permission = Permission.OUTREACH_EDIT
    scope: str = ReportScope.AD

    def _ads(self, ad_uuid: uuid.UUID, *, audited: bool) -> list[Advertisement]:
        # On POST the report's own audit event names every ad: no separate read event.
        kwargs: dict[str, Any] = {} if audited else {"action": None}
        if self.scope == ReportScope.CLUSTER:
            _cluster, ads = cluster_get_for_user(actor=self.actor, ad_uuid=ad_uuid, **kwargs)
            return ads
        return [ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid, **kwargs)]

    def _back(self, ad_uuid: uuid.UUID) -> str:
        if self.scope == ReportScope.CLUSTER:
            return _cluster_url(ad_uuid)
        return _ad_url(ad_uuid)

    def _render(
        self,
        request: HttpRequest,
        ad_uuid: uuid.UUID,
        ads: list[Advertisement],
        form: AuthorityReportForm,
        status: int = 200,
    ) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "ads": ads,
            # What the form lists, sent back with it (services/reports.py checks it still is).
            "ads_shown": ",".join(sorted(str(ad.uuid) for ad in ads)),
            "scope": self.scope,
            "back_url": self._back(ad_uuid),
        }
        return render(request, "outreach/report_form.html", context, status=status)

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ads = self._ads(ad_uuid, audited=True)
        return self._render(request, ad_uuid, ads, AuthorityReportForm())

    def post(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ads = self._ads(ad_uuid, audited=False)
        form = AuthorityReportForm(request.POST)
        shown = request.POST.get("ads_shown")
        if form.is_valid():
            try:
                report_record(
                    actor=self.actor,
                    organisation=ads[0].organisation,
                    ads=ads,
                    scope=self.scope,
                    ads_shown=shown.split(",") if shown is not None else None,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The report is recorded."))
                return redirect(self._back(ad_uuid))
        return self._render(request, ad_uuid, ads, form, status=422)


class AdReportCreateView(_ReportCreate):
    scope = ReportScope.AD


class ClusterReportCreateView(_ReportCreate):
    scope = ReportScope.CLUSTER


class _EvidenceExport(ProtectedView):
    """GET: what the PDF holds and leaves out. POST: the PDF. Re-authentication first (as every
    export), 404 out of scope."""

    abstract = True
    permission = Permission.OUTREACH_EVIDENCE_EXPORT
    scope: str = ReportScope.AD

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        if self.scope == ReportScope.CLUSTER:
            _cluster, ads = cluster_get_for_user(actor=self.actor, ad_uuid=ad_uuid)
            back_url = _cluster_url(ad_uuid)
        else:
            ads = [ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid)]
            back_url = _ad_url(ad_uuid)
        context = {"ads": ads, "scope": self.scope, "back_url": back_url}
        return render(request, "outreach/report_evidence.html", context)

    def post(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        export = evidence_export(actor=self.actor, ad_uuid=ad_uuid, scope=self.scope)
        return attachment_response(export.content, export.filename, export.content_type)


class AdEvidenceExportView(_EvidenceExport):
    scope = ReportScope.AD


class ClusterEvidenceExportView(_EvidenceExport):
    scope = ReportScope.CLUSTER


class CaseFromAdView(ProtectedView):
    """The case opening form, prefilled with the ad's online situation; the new file is linked to
    the ad. An ad already linked leads to its file."""

    permission = Permission.OUTREACH_EDIT

    def _ad(self, ad_uuid: uuid.UUID, *, audited: bool) -> Advertisement:
        # Opening a file also needs CASE_EDIT: without it the page does not exist (404).
        if not self.user.has_vigie_permission(Permission.CASE_EDIT):
            raise Http404
        kwargs: dict[str, Any] = {} if audited else {"action": None}
        return ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid, **kwargs)

    def _render(
        self, request: HttpRequest, ad: Advertisement, form: CaseFromAdForm, status: int = 200
    ) -> HttpResponse:
        context = {"ad": ad, "form": form, "back_url": _ad_url(ad.uuid)}
        return render(request, "outreach/report_case_from_ad.html", context, status=status)

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ad = self._ad(ad_uuid, audited=True)
        if ad.case is not None:
            return redirect(ad.case)
        return self._render(request, ad, CaseFromAdForm(initial=case_prefill(ad)))

    def post(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ad = self._ad(ad_uuid, audited=False)
        if ad.case is not None:
            return redirect(ad.case)
        form = CaseFromAdForm(request.POST)
        if form.is_valid():
            try:
                case = case_open_from_ad(
                    actor=self.actor,
                    ad=ad,
                    case_data=form.case_values(),
                    note=form.cleaned_data["situation_note"],
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    _("Case file opened from advertisement %(reference)s.")
                    % {"reference": ad.reference},
                )
                return redirect(case)
        return self._render(request, ad, form, status=422)
