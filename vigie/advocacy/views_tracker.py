"""Pages of the recommendations tracker: search, a recommendation, assessments, evidence,
measures and their reminders. Thin: reads through selectors_tracker, writes through
services.tracker (which checks ADVOCACY_EDIT again)."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_tracker import (
    AssessmentForm,
    EvidenceForm,
    MeasureForm,
    RecommendationSearchForm,
    in_language,
)
from .models import AssessmentStatus, Recommendation
from .search import recommendations_search
from .selectors_tracker import (
    assessment_get,
    filter_choices,
    recommendation_get,
    recommendation_page,
)
from .services.tracker import assessment_add, evidence_add, measure_add, measures_due

RESULTS_SHOWN = 200
REMINDER_DAYS = 30


@dataclass(frozen=True)
class ListedRecommendation:
    recommendation: Recommendation
    text: str
    status: str


def _listed(recommendation: Any) -> ListedRecommendation:
    status = recommendation.latest_status or AssessmentStatus.UNKNOWN
    return ListedRecommendation(
        recommendation,
        in_language(recommendation.text_fr, recommendation.text_en),
        str(AssessmentStatus(status).label),
    )


class RecommendationListView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        form = RecommendationSearchForm(request.GET or None, choices=filter_choices())
        if form.is_bound and form.is_valid():
            found = recommendations_search(form.cleaned_data["q"], form.filters())
        else:
            found = recommendations_search()
        found = found.prefetch_related("themes")
        context = {
            "form": form,
            "recommendations": [_listed(r) for r in found[:RESULTS_SHOWN]],
            "total": found.count(),
            "searched": form.is_bound,
            "can_edit": self.user.has_vigie_permission(Permission.ADVOCACY_EDIT),
        }
        return render(request, "advocacy/tracker/list.html", context)


class RecommendationDetailView(ProtectedView):
    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        page = recommendation_page(recommendation_get(recommendation_uuid))
        context = {
            "page": page,
            "recommendation": page.recommendation,
            "can_edit": self.user.has_vigie_permission(Permission.ADVOCACY_EDIT),
        }
        return render(request, "advocacy/tracker/detail.html", context)


def _form_page(
    request: HttpRequest, form: Any, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, "advocacy/tracker/form.html", {"form": form, **context}, status=status)


class AssessmentAddView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _context(self, recommendation: Any) -> dict[str, Any]:
        return {
            "recommendation": recommendation,
            "heading": _("Add an assessment"),
            "submit": _("Save the assessment"),
        }

    def get(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = AssessmentForm(initial={"assessed_on": timezone.localdate()})
        return _form_page(request, form, self._context(recommendation))

    def post(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = AssessmentForm(request.POST)
        if form.is_valid():
            try:
                assessment_add(actor=self.actor, recommendation=recommendation, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:recommendation", recommendation_uuid=recommendation.uuid)
        return _form_page(request, form, self._context(recommendation), status=422)


class EvidenceAddView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _context(self, assessment: Any) -> dict[str, Any]:
        return {
            "recommendation": assessment.recommendation,
            "assessment": assessment,
            "heading": _("Add evidence"),
            "submit": _("Save the evidence"),
        }

    def get(self, request: HttpRequest, assessment_uuid: uuid.UUID) -> HttpResponse:
        assessment = assessment_get(assessment_uuid)
        return _form_page(request, EvidenceForm(), self._context(assessment))

    def post(self, request: HttpRequest, assessment_uuid: uuid.UUID) -> HttpResponse:
        assessment = assessment_get(assessment_uuid)
        form = EvidenceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                evidence_add(
                    actor=self.actor,
                    assessment=assessment,
                    kind=data["kind"],
                    title=data["title"],
                    url=data["url"],
                    note=data["note"],
                    table=form.figure_table(),
                    cell=form.figure_cell(),
                    release_uuid=uuid.UUID(data["release"]) if data["release"] else None,
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                url = reverse(
                    "advocacy:recommendation",
                    kwargs={"recommendation_uuid": assessment.recommendation.uuid},
                )
                return redirect(f"{url}#assessment-{assessment.uuid}")
        return _form_page(request, form, self._context(assessment), status=422)


class MeasureAddView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _context(self, recommendation: Any) -> dict[str, Any]:
        return {
            "recommendation": recommendation,
            "heading": _("Add a measure"),
            "submit": _("Save the measure"),
        }

    def get(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        return _form_page(request, MeasureForm(), self._context(recommendation))

    def post(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = MeasureForm(request.POST)
        if form.is_valid():
            try:
                measure_add(actor=self.actor, recommendation=recommendation, **form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:recommendation", recommendation_uuid=recommendation.uuid)
        return _form_page(request, form, self._context(recommendation), status=422)


class MeasuresDueView(ProtectedView):
    """Reminders: measures not done, overdue or due within 30 days."""

    permission = Permission.ADVOCACY_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        context = {
            "measures": measures_due(today=today, within_days=REMINDER_DAYS),
            "today": today,
            "within_days": REMINDER_DAYS,
        }
        return render(request, "advocacy/tracker/measures_due.html", context)
