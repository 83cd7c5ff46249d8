"""Screening pages of a case file. Scoping and read audit come from the cases selectors."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vigie.accounts.roles import Permission
from vigie.cases.models import Case
from vigie.cases.selectors import case_get_for_user
from vigie.core.views import ProtectedView
from vigie.outreach.services.case_from_ad import screening_prefill_for_case

from . import services
from .catalogue import load_catalogue
from .forms import ScreeningForm


def _age_on(case: Case, today: date) -> int | None:
    if case.birth_date:
        born = case.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if case.birth_year:
        return today.year - case.birth_year
    return None


class ScreeningCreateView(ProtectedView):
    permission = Permission.CASE_EDIT

    def _render(
        self, request: HttpRequest, case: Case, form: ScreeningForm, status: int = 200
    ) -> HttpResponse:
        fields = [form[name] for name in form.dimension_fields]
        return render(
            request,
            "identification/screening_form.html",
            {"case": case, "form": form, "indicator_fields": fields},
            status=status,
        )

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        initial: dict[str, object] = {
            "age": _age_on(case, timezone.localdate()),
            "age_doubt": case.age_disputed,
            "unaccompanied": case.unaccompanied,
        }
        # A file opened from an online ad starts with the online-ads indicator ticked.
        initial.update(screening_prefill_for_case(case))
        return self._render(
            request, case, ScreeningForm(initial=initial, catalogue=load_catalogue())
        )

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        form = ScreeningForm(request.POST, catalogue=load_catalogue())
        if form.is_valid():
            try:
                screening = services.screening_record(
                    actor=self.actor, case=case, data=form.engine_input()
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(
                    "identification:screening_detail",
                    case_uuid=case.uuid,
                    screening_uuid=screening.uuid,
                )
        return self._render(request, case, form, status=422)


class ScreeningDetailView(ProtectedView):
    permission = Permission.CASE_VIEW

    def get(
        self, request: HttpRequest, case_uuid: uuid.UUID, screening_uuid: uuid.UUID
    ) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        screening = case.screenings.select_related("created_by").filter(uuid=screening_uuid).first()
        if screening is None:
            raise Http404
        catalogue = load_catalogue()
        return render(
            request,
            "identification/screening_detail.html",
            {"case": case, "screening": screening, "catalogue": catalogue},
        )
