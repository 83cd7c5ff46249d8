"""Editing a case file, changing its status, and the history of both. Thin: the rules live in
services/editing.py and services/status.py, the reads in the selectors."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .. import selectors, selectors_history
from ..forms import CaseEditForm, CaseStatusForm
from ..models import Case, CaseStatus
from ..services.editing import (
    CaseEditConflict,
    case_edit_differences,
    case_edit_values,
    case_update,
)
from ..services.status import ALLOWED_MOVES, case_status_change, case_status_moves

CONFLICT = 409


class CaseEditView(ProtectedView):
    permission = Permission.CASE_EDIT

    def _can_assign(self) -> bool:
        return self.user.has_vigie_permission(Permission.CASE_ASSIGN)

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = CaseEditForm.for_case(case, can_assign=self._can_assign())
        return render(request, "cases/case_edit.html", {"case": case, "form": form})

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = CaseEditForm(request.POST, case=case, can_assign=self._can_assign())
        if form.is_valid():
            try:
                case_update(
                    actor=self.actor,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    changes=form.changes(),
                )
            except CaseEditConflict as conflict:
                return self._conflict(request, conflict, form)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The case file is saved."))
                return redirect(case)
        return render(request, "cases/case_edit.html", {"case": case, "form": form}, status=422)

    def _conflict(
        self, request: HttpRequest, conflict: CaseEditConflict, sent: CaseEditForm
    ) -> HttpResponse:
        """Both versions side by side, and the form again with the person's own values at the
        current version: sending it again is a decision taken knowing what changed."""
        current = conflict.current
        theirs = sent.changes()
        now = case_edit_values(current)
        differences = [
            {
                "label": sent.label_of(name),
                "yours": sent.display(name, theirs.get(name)),
                "current": sent.display(name, now[name]),
            }
            for name in case_edit_differences(current=current, changes=theirs)
        ]
        context: dict[str, Any] = {
            "case": current,
            "differences": differences,
            "edits_since": selectors_history.case_edits_since(
                case=current, version=conflict.expected_version
            ),
            "sent_version": conflict.expected_version,
            "form": CaseEditForm.for_case(
                current, can_assign=self._can_assign(), values={**now, **theirs}
            ),
        }
        return render(request, "cases/case_conflict.html", context, status=CONFLICT)


def _status_page(
    request: HttpRequest, *, case: Case, form: CaseStatusForm, status: int = 200, **extra: Any
) -> HttpResponse:
    # The whole state machine, so that a person sees why a move is not offered.
    machine = [
        {
            "from": CaseStatus(from_status).label,
            "to": [CaseStatus(to_status).label for to_status in to_statuses],
            "current": from_status == case.status,
        }
        for from_status, to_statuses in ALLOWED_MOVES.items()
    ]
    context = {"case": case, "form": form, "machine": machine, **extra}
    return render(request, "cases/case_status.html", context, status=status)


class CaseStatusView(ProtectedView):
    permission = Permission.CASE_EDIT

    def _form(self, case: Case) -> CaseStatusForm:
        moves = case_status_moves(case=case, user=self.user)
        return CaseStatusForm(initial={"version": case.version}, moves=moves)

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return _status_page(request, case=case, form=self._form(case))

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = selectors.case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        # Every status is accepted by the form: the service says which move is allowed, after
        # checking the version (a refused move may only be the sign of a stale page).
        form = CaseStatusForm(request.POST)
        if form.is_valid():
            try:
                case_status_change(
                    actor=self.actor,
                    case=case,
                    expected_version=form.cleaned_data["version"],
                    to_status=form.cleaned_data["to_status"],
                    reason=form.cleaned_data["reason"],
                )
            except CaseEditConflict as conflict:
                current = conflict.current
                return _status_page(
                    request,
                    case=current,
                    form=self._form(current),
                    status=CONFLICT,
                    conflict=True,
                    refused_status=form.cleaned_data["to_status"],
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The status of the file is changed."))
                return redirect(case)
        form.offer(case_status_moves(case=case, user=self.user))
        return _status_page(request, case=case, form=form, status=422)


class CaseHistoryView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        # Who changed what belongs to the organisation holding the file, like the access log.
        case = selectors.case_get_for_user(
            actor=self.actor,
            case_uuid=case_uuid,
            action=AuditAction.CASE_HISTORY_VIEW,
        )
        entries = selectors_history.case_history(case=case)
        return render(request, "cases/case_history.html", {"case": case, "entries": entries})
