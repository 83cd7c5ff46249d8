"""Case file pages. Thin: scoping and audit live in selectors, rules in services."""

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.audit.selectors import audit_events_for_object
from vigie.core.views import ProtectedView
from vigie.rights.selectors import rights_plan_for_case

from .. import selectors, selectors_file, services
from ..forms import CaseNoteForm, CaseOpenForm
from ..forms_list import CaseListForm
from ..models import Case, CaseStatus, ExploitationForm


@dataclass(frozen=True)
class CaseListRow:
    """One row of the list, its labels worked out once per page rather than once per cell."""

    case: Case
    url: str
    status: str
    identified_on: str
    forms: str
    next_due_on: str
    overdue: bool


def _list_rows(cases: list[Case], today: date) -> list[CaseListRow]:
    statuses = {value: str(label) for value, label in CaseStatus.choices}
    forms = {value: str(label) for value, label in ExploitationForm.choices}
    short_date = get_format("SHORT_DATE_FORMAT")
    # One reverse() for the page: the detail URL differs only by the UUID.
    placeholder = uuid.UUID(int=0)
    detail_url = reverse("cases:detail", kwargs={"case_uuid": placeholder})
    return [
        CaseListRow(
            case=case,
            url=detail_url.replace(str(placeholder), str(case.uuid)),
            status=statuses.get(case.status, case.status),
            identified_on=dateformat.format(case.identified_on, short_date),
            forms=", ".join(forms.get(code, code) for code in case.exploitation_forms),
            next_due_on=dateformat.format(case.next_due_on, short_date) if case.next_due_on else "",
            overdue=case.next_due_on is not None and case.next_due_on < today,
        )
        for case in cases
    ]


class CaseListView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = CaseListForm(request.GET, workers=selectors.case_list_workers(actor=self.actor))
        page = None
        today = timezone.localdate()
        if form.is_valid():
            try:
                page = selectors.case_list_for_user(
                    actor=self.actor,
                    filters=form.filters(),
                    after=form.cleaned_data["after"],
                    today=today,
                )
            except ValidationError as error:
                form.add_error(None, error)
        context = {
            "form": form,
            "page": page,
            "rows": _list_rows(page.cases, today) if page is not None else [],
            "query": form.query_without_cursor(),
            "searching": bool(request.GET.get("q", "").strip()),
        }
        # A value the list does not know is an error to show, never a silent reset to defaults.
        return render(
            request, "cases/case_list.html", context, status=200 if page is not None else 422
        )


class CaseOpenView(ProtectedView):
    permission = Permission.CASE_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "cases/case_open.html", {"form": CaseOpenForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CaseOpenForm(request.POST)
        if form.is_valid():
            try:
                case = services.case_open(actor=self.actor, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(case)
        return render(request, "cases/case_open.html", {"form": form}, status=422)


def _case_page(
    request: HttpRequest, *, user: User, case: Case, note_form: CaseNoteForm, status: int = 200
) -> HttpResponse:
    """The case page, for a case already loaded (and its read audited) by a selector."""
    context: dict[str, Any] = {
        "case": case,
        "notes": selectors.case_notes(case=case),
        "screenings": case.screenings.select_related("created_by"),
        "note_form": note_form,
        # Each part of the file brings its own reads (all for a case already scoped and audited).
        "rights": rights_plan_for_case(case=case),
        "timeline": selectors_file.timeline_for_case(case=case),
        "documents": selectors_file.documents_for_case(case=case),
        "can_edit": user.has_vigie_permission(Permission.CASE_EDIT),
        "can_see_access_log": user.has_vigie_permission(Permission.CASE_ACCESS_LOG),
    }
    return render(request, "cases/case_detail.html", context, status=status)


class CaseDetailView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return _case_page(request, user=self.user, case=case, note_form=CaseNoteForm())


class CaseNoteAddView(ProtectedView):
    permission = Permission.CASE_EDIT

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = CaseNoteForm(request.POST)
        if form.is_valid():
            try:
                services.case_note_add(actor=self.actor, case=case, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error("text", error)
            else:
                return redirect(case)
        return _case_page(request, user=self.user, case=case, note_form=form, status=422)


class CaseAccessLogView(ProtectedView):
    permission = Permission.CASE_ACCESS_LOG

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(
            actor=self.actor,
            case_uuid=case_uuid,
            action=AuditAction.CASE_ACCESS_LOG_VIEW,
        )
        events = list(audit_events_for_object(object_uuid=case.uuid))
        people = {
            u.uuid: u
            for u in User.objects.select_related("organisation").filter(
                uuid__in={e.actor_uuid for e in events if e.actor_uuid}
            )
        }
        rows = [
            (event, people.get(event.actor_uuid) if event.actor_uuid else None) for event in events
        ]
        return render(
            request,
            "cases/case_access_log.html",
            {"case": case, "rows": rows, "title": _("Access log")},
        )
