"""Archived files (retention): the list, and opening one file read-only with a logged reason."""

import uuid

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vigie.accounts.roles import Permission
from vigie.core.views import ProtectedView

from .. import selectors_archive
from ..selectors_archive import ArchiveReason


class ArchiveReasonForm(forms.Form):
    # A code only: the audit trail keeps no free text (it could name the child), and an archived
    # file takes no new writing.
    reason = forms.ChoiceField(
        label=_("Why do you open this archived file?"),
        choices=[("", "—"), *ArchiveReason.choices],
        help_text=_("Your reason is recorded with your name in the file's access log."),
    )


class ArchiveListView(ProtectedView):
    permission = Permission.CASE_ARCHIVE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            page = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        cases = selectors_archive.archived_case_list_for_coordinator(actor=self.actor, page=page)
        context = {
            "cases": cases,
            "page": page,
            "has_next": len(cases) == selectors_archive.ARCHIVE_LIST_PAGE_SIZE,
        }
        return render(request, "cases/archive_list.html", context)


class ArchiveOpenView(ProtectedView):
    permission = Permission.CASE_ARCHIVE_VIEW

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors_archive.archived_case_find(actor=self.actor, case_uuid=case_uuid)
        return render(
            request, "cases/archive_open.html", {"case": case, "form": ArchiveReasonForm()}
        )

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        # Scope before validation: another organisation's file is a 404, not a form error.
        found = selectors_archive.archived_case_find(actor=self.actor, case_uuid=case_uuid)
        form = ArchiveReasonForm(request.POST)
        if not form.is_valid():
            return render(
                request, "cases/archive_open.html", {"case": found, "form": form}, status=422
            )
        case = selectors_archive.archived_case_get_for_coordinator(
            actor=self.actor,
            case_uuid=case_uuid,
            reason=ArchiveReason(form.cleaned_data["reason"]),
        )
        context = {
            "case": case,
            "reason": ArchiveReason(form.cleaned_data["reason"]).label,
            **selectors_archive.archived_case_parts(case=case),
        }
        return render(request, "cases/archive_detail.html", context)
