"""Case file pages. Thin: scoping and audit live in selectors, rules in services."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.audit.selectors import audit_events_for_object
from vigie.core.views import ProtectedView
from vigie.rights.selectors import rights_plan_for_case

from .. import selectors, selectors_file, services
from ..forms import CaseNoteForm, CaseOpenForm
from ..models import Case, CaseStatus


class CaseListView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            page = max(int(request.GET.get("page", "1")), 1)
        except ValueError:
            page = 1
        status = request.GET.get("status", CaseStatus.OPEN)
        if status not in CaseStatus.values:
            status = CaseStatus.OPEN
        cases = selectors.case_list_for_user(actor=self.actor, status=status, page=page)
        context = {
            "cases": cases,
            "page": page,
            "status": status,
            "statuses": CaseStatus.choices,
            "has_next": len(cases) == selectors.CASE_LIST_PAGE_SIZE,
        }
        return render(request, "cases/case_list.html", context)


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
    owned = case.organisation_id == user.organisation_id
    context: dict[str, Any] = {
        "case": case,
        "notes": selectors.case_notes(case=case),
        "screenings": case.screenings.select_related("created_by"),
        "note_form": note_form,
        # Each part of the file brings its own reads (all for a case already scoped and audited).
        "rights": rights_plan_for_case(case=case),
        "timeline": selectors_file.timeline_for_case(case=case),
        "documents": selectors_file.documents_for_case(case=case),
        "can_edit": owned and user.has_vigie_permission(Permission.CASE_EDIT),
        "can_see_access_log": owned and user.has_vigie_permission(Permission.CASE_ACCESS_LOG),
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
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid, owner_only=True)
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
            owner_only=True,
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
