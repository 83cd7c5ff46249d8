"""Pages of the online advertisements: the list, the form (record, change) and the ad's page.
Thin: scope and audit come from the selectors, rules from services/ads.py."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import AuditAction
from vigie.core.views import ProtectedView

from .forms_ads import AdForm, AdListForm
from .models import Advertisement
from .selectors import ad_get_for_user
from .selectors_ads import AdFilters, ad_page_context, ad_sites_for_user, ads_list_for_user
from .selectors_contacts import ad_contacts_context
from .selectors_reports import ad_reports_context
from .services.ads import ad_input_from, ad_record, ad_update
from .services.retention import ad_deleted_after


def _ad_url(ad: Advertisement) -> str:
    return reverse("outreach:ad_detail", kwargs={"ad_uuid": ad.uuid})


class AdListView(ProtectedView):
    """The list with its filters (GET, bookmarkable), and the search by phone or account (POST).

    A phone number or an account leads to a person: searched by POST, it never enters an
    address, so it stays out of the web server's access log and the browser's history. A GET
    carrying one ignores it."""

    permission = Permission.OUTREACH_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        data = request.GET.copy()
        data.pop("identifier", None)
        return self._list(request, AdListForm(data, sites=ad_sites_for_user(actor=self.actor)))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AdListForm(request.POST, sites=ad_sites_for_user(actor=self.actor))
        if form.is_valid() and not form.cleaned_data["identifier"].strip():
            # Only filters: back to the bookmarkable address.
            return redirect(f"{reverse('outreach:ads')}?{_filters_query(form.cleaned_data)}")
        return self._list(request, form)

    def _list(self, request: HttpRequest, form: AdListForm) -> HttpResponse:
        page = None
        query = ""
        searching = False
        if form.is_valid():
            data = form.cleaned_data
            filters = AdFilters(
                signs_only=data["signs_only"], site=data["site"], identifier=data["identifier"]
            )
            page = ads_list_for_user(actor=self.actor, filters=filters, page=data["page"] or 1)
            query = _filters_query(data)
            searching = bool(filters.identifier.strip())
        context = {
            "form": form,
            "page": page,
            "query": query,
            "searching": searching,
            "can_edit": self.user.has_vigie_permission(Permission.OUTREACH_EDIT),
            "can_manage_templates": self.user.has_vigie_permission(
                Permission.OUTREACH_TEMPLATES_MANAGE
            ),
        }
        return render(
            request, "outreach/ad_list.html", context, status=200 if page is not None else 422
        )


def _filters_query(data: dict[str, Any]) -> str:
    """The list's filters as a query string, never the searched identifier."""
    return urlencode(
        {
            name: value
            for name, value in (
                ("signs_only", "on" if data["signs_only"] else ""),
                ("site", data["site"]),
            )
            if value
        }
    )


class _AdFormPage(ProtectedView):
    abstract = True
    permission = Permission.OUTREACH_EDIT

    def _render(
        self,
        request: HttpRequest,
        form: AdForm,
        *,
        ad: Advertisement | None = None,
        status: int = 200,
    ) -> HttpResponse:
        title = _("Change the ad %(reference)s") % {"reference": ad} if ad else _("Record an ad")
        return render(
            request,
            "outreach/ad_form.html",
            {"form": form, "ad": ad, "title": title},
            status=status,
        )


class AdCreateView(_AdFormPage):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, AdForm.blank())

    def post(self, request: HttpRequest) -> HttpResponse:
        organisation = self.user.organisation
        if organisation is None:
            raise PermissionDenied
        form = AdForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ad = ad_record(actor=self.actor, organisation=organisation, data=form.ad_input())
            except ValidationError as error:
                form.errors_add(error)
            else:
                messages.success(
                    request, _("The ad is recorded as %(reference)s.") % {"reference": ad}
                )
                return redirect(_ad_url(ad))
        return self._render(request, form, status=422)


class AdUpdateView(_AdFormPage):
    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ad = ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid)
        return self._render(request, AdForm.for_input(ad_input_from(ad)), ad=ad)

    def post(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        # The change is audited by ad_update; a refused form shows only what was sent.
        ad = ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid, action=None)
        stored = ad_input_from(ad)
        form = AdForm(request.POST, request.FILES, image_hashes=stored.image_hashes)
        if form.is_valid():
            try:
                ad_update(actor=self.actor, ad=ad, data=form.ad_input())
            except ValidationError as error:
                form.errors_add(error)
            else:
                messages.success(request, _("The ad %(reference)s is saved.") % {"reference": ad})
                return redirect(_ad_url(ad))
        return self._render(request, form, ad=ad, status=422)


class AdDetailView(ProtectedView):
    permission = Permission.OUTREACH_VIEW

    def get(self, request: HttpRequest, ad_uuid: uuid.UUID) -> HttpResponse:
        ad = ad_get_for_user(actor=self.actor, ad_uuid=ad_uuid, action=AuditAction.OUTREACH_AD_VIEW)
        context: dict[str, Any] = {
            "ad": ad,
            **ad_page_context(ad),
            # The contact log and the reports bring their own reads, for an ad already scoped.
            **ad_contacts_context(ad=ad, user=self.user),
            **ad_reports_context(ad=ad, user=self.user),
            "can_edit": self.user.has_vigie_permission(Permission.OUTREACH_EDIT),
            "deleted_after": ad_deleted_after(ad),
        }
        return render(request, "outreach/ad_detail.html", context)
