"""Export pages: what the person may export, the case list as CSV/XLSX, a child's file as a PDF.

Thin: scope, files and audit are in vigie/cases/exports. Every export asks for the password and
code again when the last time is stale (as the HTCDS export and the summary abroad): the form page
itself sends the person to re-authenticate, and comes back with the list's filters in its address.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigie.accounts.roles import Permission
from vigie.accounts.views import reauthenticated_recently, redirect_to_reauth
from vigie.core.forms import form_errors_add
from vigie.core.http import attachment_response
from vigie.core.views import ProtectedView

from .. import selectors
from ..exports.case_file import case_file_export
from ..exports.case_list import case_list_export, case_list_export_count
from ..exports.forms import CaseFileExportForm, CaseListExportForm
from ..forms_list import CaseListForm


class ExportsView(ProtectedView):
    """The exports the person may make; a child's file is exported from its own page."""

    permission = Permission.CASE_FILE_EXPORT

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "can_export_list": self.user.has_vigie_permission(Permission.CASE_LIST_EXPORT),
            "can_export_htcds": self.user.has_vigie_permission(Permission.STATS_CASE_EXPORT),
        }
        return render(request, "cases/exports/index.html", context)


def _filter_words(form: CaseListForm) -> list[tuple[str, str]]:
    """The list's filters in use, in words (label, chosen value), for the page to say them."""
    words = []
    for field in form:
        if field.name == "after" or field.is_hidden:
            continue
        value = form.cleaned_data.get(field.name)
        if not value:
            continue
        choices = dict(getattr(field.field, "choices", ()))
        words.append((str(field.label), str(choices.get(value, value))))
    return words


class CaseListExportView(ProtectedView):
    """GET: the filters the export will apply, how many files, and the choices. POST: the file.

    The filters are read from the address (``?status=...`` as the list writes them): the export
    holds exactly the list's files, every page together, never more.
    """

    permission = Permission.CASE_LIST_EXPORT
    template_name = "cases/exports/case_list_export.html"

    def _list_form(self, request: HttpRequest) -> CaseListForm:
        # Every page together: a page cursor left in the address does not narrow the export.
        filters = request.GET.copy()
        filters.pop("after", None)
        return CaseListForm(filters, workers=selectors.case_list_workers(actor=self.actor))

    def _page(
        self, request: HttpRequest, list_form: CaseListForm, form: CaseListExportForm
    ) -> HttpResponse:
        count = None
        if list_form.is_valid():
            try:
                count = case_list_export_count(actor=self.actor, filters=list_form.filters())
            except ValidationError as error:
                form_errors_add(list_form, error)
        context: dict[str, Any] = {
            "list_form": list_form,
            "form": form,
            "count": count,
            "filters": _filter_words(list_form) if count is not None else [],
            "query": list_form.query_without_cursor(),
        }
        valid = count is not None and not form.errors
        return render(request, self.template_name, context, status=200 if valid else 422)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        return self._page(request, self._list_form(request), CaseListExportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        list_form = self._list_form(request)
        form = CaseListExportForm(request.POST)
        if list_form.is_valid() and form.is_valid():
            try:
                export = case_list_export(
                    actor=self.actor,
                    filters=list_form.filters(),
                    export_format=form.cleaned_data["export_format"],
                    identities=form.cleaned_data["identities"],
                )
            except ValidationError as error:
                form_errors_add(list_form, error)
            else:
                return attachment_response(export.content, export.filename, export.content_type)
        return self._page(request, list_form, form)


class CaseFileExportView(ProtectedView):
    """GET: the purpose and language to choose. POST: the PDF (404 for a file out of scope)."""

    permission = Permission.CASE_FILE_EXPORT
    template_name = "cases/exports/case_file_export.html"

    def _page(
        self, request: HttpRequest, case_uuid: uuid.UUID, form: CaseFileExportForm, status: int
    ) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return render(request, self.template_name, {"case": case, "form": form}, status=status)

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        return self._page(request, case_uuid, CaseFileExportForm(), status=200)

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        form = CaseFileExportForm(request.POST)
        if not form.is_valid():
            return self._page(request, case_uuid, form, status=422)
        export = case_file_export(
            actor=self.actor,
            case_uuid=case_uuid,
            purpose=form.cleaned_data["purpose"],
            language=form.cleaned_data["language"],
        )
        return attachment_response(export.content, export.filename, export.content_type)
