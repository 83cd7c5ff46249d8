"""Pages entering a recommendation, changing it, and linking it to the same demand elsewhere."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_recommendations import LinkForm, RecommendationForm, recommendation_initial
from .selectors_tracker import recommendation_get
from .services.recommendations import recommendation_save, recommendations_link

TEMPLATE = "advocacy/tracker/recommendation_form.html"


def _page(
    request: HttpRequest, form: Any, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, TEMPLATE, {"form": form, **context}, status=status)


class RecommendationCreateView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def get(self, request: HttpRequest) -> HttpResponse:
        return _page(request, RecommendationForm(), {"heading": _("Enter a recommendation")})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                recommendation = recommendation_save(actor=self.actor, data=form.data_for_service())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:recommendation", recommendation_uuid=recommendation.uuid)
        return _page(request, form, {"heading": _("Enter a recommendation")}, status=422)


class RecommendationEditView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _context(self, recommendation: Any) -> dict[str, Any]:
        return {"heading": _("Change the recommendation"), "recommendation": recommendation}

    def get(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = RecommendationForm(initial=recommendation_initial(recommendation))
        return _page(request, form, self._context(recommendation))

    def post(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                recommendation_save(
                    actor=self.actor, data=form.data_for_service(), recommendation=recommendation
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:recommendation", recommendation_uuid=recommendation.uuid)
        return _page(request, form, self._context(recommendation), status=422)


class RecommendationLinkView(ProtectedView):
    permission = Permission.ADVOCACY_EDIT

    def _context(self, recommendation: Any) -> dict[str, Any]:
        return {"heading": _("Link the same demand"), "recommendation": recommendation}

    def get(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        return _page(request, LinkForm(), self._context(recommendation))

    def post(self, request: HttpRequest, recommendation_uuid: uuid.UUID) -> HttpResponse:
        recommendation = recommendation_get(recommendation_uuid)
        form = LinkForm(request.POST)
        if form.is_valid():
            try:
                recommendations_link(
                    actor=self.actor,
                    recommendation=recommendation,
                    other_reference=form.cleaned_data["reference"],
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                return redirect("advocacy:recommendation", recommendation_uuid=recommendation.uuid)
        return _page(request, form, self._context(recommendation), status=422)
