"""Pages of the directory of institutional contacts: search, keep entries, export CSV.

Thin: reading through selectors_directory (another organisation's entry is a 404 for changes),
rules in services/directory.py. Entries are imported through the import journey of vigie/imports
(upload, mapping, check, import); the former import address redirects there.
"""

import uuid
from typing import Any

import phonenumbers
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_directory import DirectoryEntryForm, DirectorySearchForm
from .models import ContactKind, DirectoryEntry, Need
from .selectors_directory import (
    DirectoryFilters,
    directory_entry_get_for_manager,
    directory_search,
)
from .services import directory as services

EXPORT_FILENAME = "annuaire-vigie.csv"


def _phone_display(value: str) -> str:
    """National format for a French number (how people dial it here), international otherwise."""
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == services.PHONE_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


class DirectoryView(ProtectedView):
    permission = Permission.DIRECTORY_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DirectorySearchForm(request.GET)
        status, page, filters = 200, None, DirectoryFilters()
        if form.is_valid():
            filters = form.filters()
            page = directory_search(
                actor=self.actor, filters=filters, page_number=request.GET.get("page", 1)
            )
        else:
            status = 422
        own_organisation = self.user.organisation_id
        can_manage = self.user.has_vigie_permission(Permission.DIRECTORY_MANAGE)
        kinds, needs = dict(ContactKind.choices), dict(Need.choices)
        rows = [
            {
                "entry": entry,
                "kind": kinds.get(entry.kind, entry.kind),
                "needs": [needs.get(n, n) for n in entry.needs],
                "phone": _phone_display(entry.phone) if entry.phone else "",
                "editable": can_manage and entry.maintained_by_id == own_organisation,
            }
            for entry in (page.object_list if page else [])
        ]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "network/directory/search.html",
            {
                "form": form,
                "page": page,
                "rows": rows,
                "query": query.urlencode(),
                "can_manage": can_manage,
            },
            status=status,
        )


class DirectoryExportView(ProtectedView):
    permission = Permission.DIRECTORY_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = DirectorySearchForm(request.GET)
        # Filters the search page would refuse are ignored: the export is then the whole directory.
        filters = form.filters() if form.is_valid() else DirectoryFilters()
        text = services.directory_export_csv(actor=self.actor, filters=filters)
        # The byte order mark makes spreadsheets read the file as UTF-8; the import accepts it.
        response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{EXPORT_FILENAME}"'
        return response


def _entry_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.CSV_COLUMNS}


class DirectoryCreateView(ProtectedView):
    permission = Permission.DIRECTORY_MANAGE
    template_name = "network/directory/entry_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": DirectoryEntryForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DirectoryEntryForm(request.POST)
        if form.is_valid():
            try:
                entry = services.directory_entry_create(
                    actor=self.actor, **_entry_fields(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The entry was added to the directory."))
                return _back_to_search(entry)
        return render(request, self.template_name, {"form": form}, status=422)


def _back_to_search(entry: DirectoryEntry) -> HttpResponse:
    response = redirect("network:directory")
    response["Location"] += f"?departement={entry.departement}"
    return response


class DirectoryUpdateView(ProtectedView):
    permission = Permission.DIRECTORY_MANAGE
    template_name = "network/directory/entry_form.html"

    def get(self, request: HttpRequest, entry_uuid: uuid.UUID) -> HttpResponse:
        entry = directory_entry_get_for_manager(actor=self.actor, entry_uuid=entry_uuid)
        initial = {name: getattr(entry, name) for name in services.CSV_COLUMNS}
        form = DirectoryEntryForm(initial=initial)
        return render(request, self.template_name, {"form": form, "entry": entry})

    def post(self, request: HttpRequest, entry_uuid: uuid.UUID) -> HttpResponse:
        entry = directory_entry_get_for_manager(actor=self.actor, entry_uuid=entry_uuid)
        form = DirectoryEntryForm(request.POST)
        if form.is_valid():
            try:
                services.directory_entry_update(
                    actor=self.actor, entry=entry, **_entry_fields(form.cleaned_data)
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The entry was saved."))
                return _back_to_search(entry)
        return render(request, self.template_name, {"form": form, "entry": entry}, status=422)


class DirectoryDeleteView(ProtectedView):
    permission = Permission.DIRECTORY_MANAGE
    template_name = "network/directory/entry_delete.html"

    def get(self, request: HttpRequest, entry_uuid: uuid.UUID) -> HttpResponse:
        entry = directory_entry_get_for_manager(actor=self.actor, entry_uuid=entry_uuid)
        return render(request, self.template_name, {"entry": entry})

    def post(self, request: HttpRequest, entry_uuid: uuid.UUID) -> HttpResponse:
        entry = directory_entry_get_for_manager(actor=self.actor, entry_uuid=entry_uuid)
        services.directory_entry_delete(actor=self.actor, entry=entry)
        messages.success(request, _("The entry was removed from the directory."))
        return _back_to_search(entry)


class DirectoryImportView(ProtectedView):
    """The former one-page import, now the import journey of vigie/imports (upload, mapping,
    check, import in the background): its address is kept so that bookmarks still lead there."""

    permission = Permission.DIRECTORY_MANAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("imports:directory", permanent=True)
