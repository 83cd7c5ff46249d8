"""Pages of accommodation places: the search across territories, the publisher's places, and the
holds a worker makes for a child. Thin: scope comes from the selectors, rules from the services
(vigie/network/services/places.py)."""

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.cases.models import Case
from vigie.cases.selectors import case_get_for_user
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .forms_places import (
    AvailabilityForm,
    ChildSearchForm,
    HoldConfirmForm,
    PlaceFilterForm,
    PlaceForm,
)
from .selectors_places import (
    child_age_range,
    hold_get_for_user,
    place_get_for_manager,
    place_get_published,
    places_matching_child,
    places_of_organisation,
    places_published,
)
from .services import places as services


def _back_to_file(case: Case) -> HttpResponse:
    return redirect(f"{case.get_absolute_url()}#coordination")


class PlacesView(ProtectedView):
    """Every published place, whoever publishes it (no child data here)."""

    permission = Permission.PLACES_SEARCH

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PlaceFilterForm(request.GET)
        valid = form.is_valid()
        listings = places_published(filters=form.filters()) if valid else []
        status = 200 if valid else 422
        return render(
            request,
            "network/places/place_list.html",
            {
                "form": form,
                "listings": listings,
                "can_manage": self.user.has_vigie_permission(Permission.PLACES_MANAGE),
            },
            status=status,
        )


def _availability_ids(place_uuid: uuid.UUID) -> str:
    # One quick form per place on the same page: ids stay unique, the field keeps its name.
    return f"id_{place_uuid.hex}_%s"


class _MinePage(ProtectedView):
    abstract = True
    permission = Permission.PLACES_MANAGE

    def _mine(
        self,
        request: HttpRequest,
        *,
        failed: tuple[uuid.UUID, AvailabilityForm] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        rows = [
            {
                "published": published,
                "form": failed[1]
                if failed and failed[0] == published.place.uuid
                else AvailabilityForm(
                    initial={"available": published.place.available},
                    auto_id=_availability_ids(published.place.uuid),
                ),
            }
            for published in places_of_organisation(actor=self.actor)
        ]
        return render(request, "network/places/places_mine.html", {"rows": rows}, status=status)


class PlacesMineView(_MinePage):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._mine(request)


class PlaceCreateView(ProtectedView):
    permission = Permission.PLACES_MANAGE

    def _render(self, request: HttpRequest, form: PlaceForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "network/places/place_form.html",
            {"form": form, "title": _("Publish a place")},
            status=status,
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PlaceForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                place = services.place_create(actor=self.actor, details=form.details())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("%(name)s is published.") % {"name": place.name})
                return redirect("network:places_mine")
        return self._render(request, form, status=422)


class PlaceUpdateView(_MinePage):
    """The place's form; also the target of the quick availability update of the publisher's
    list (``availability_only``), which re-renders that list when refused."""

    def _render(
        self, request: HttpRequest, place: Any, form: PlaceForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "network/places/place_form.html",
            {"form": form, "place": place, "title": _("Change a place")},
            status=status,
        )

    def get(self, request: HttpRequest, place_uuid: uuid.UUID) -> HttpResponse:
        place = place_get_for_manager(actor=self.actor, place_uuid=place_uuid)
        return self._render(request, place, PlaceForm.for_place(place))

    def post(self, request: HttpRequest, place_uuid: uuid.UUID) -> HttpResponse:
        place = place_get_for_manager(actor=self.actor, place_uuid=place_uuid)
        if request.POST.get("availability_only"):
            return self._availability(request, place)
        form = PlaceForm(request.POST)
        if form.is_valid():
            try:
                services.place_update(actor=self.actor, place=place, details=form.details())
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": place.name})
                return redirect("network:places_mine")
        return self._render(request, place, form, status=422)

    def _availability(self, request: HttpRequest, place: Any) -> HttpResponse:
        form = AvailabilityForm(request.POST, auto_id=_availability_ids(place.uuid))
        if form.is_valid():
            try:
                services.place_availability_set(
                    actor=self.actor, place=place, available=form.cleaned_data["available"]
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s: %(count)s places available.")
                    % {"name": place.name, "count": place.available},
                )
                return redirect("network:places_mine")
        return self._mine(request, failed=(place.uuid, form), status=422)


# --- For a child -------------------------------------------------------------------------------


class _ForCasePage(ProtectedView):
    abstract = True
    permission = Permission.PLACES_SEARCH

    def _page(
        self,
        request: HttpRequest,
        case: Case,
        form: ChildSearchForm,
        *,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        valid = form.is_valid()
        matches = (
            places_matching_child(
                actor=self.actor,
                case=case,
                move_away=form.cleaned_data["move_away"],
                kind=form.cleaned_data["kind"] or None,
            )
            if valid
            else []
        )
        context = {
            "case": case,
            "form": form,
            "matches": matches,
            "ages": child_age_range(case, today=localtime().date()),
            "error": error,
            "move_away": valid and form.cleaned_data["move_away"],
        }
        return render(
            request,
            "network/places/places_for_case.html",
            context,
            status=status if valid else 422,
        )


class PlacesForCaseView(_ForCasePage):
    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        return self._page(request, case, ChildSearchForm(request.GET))


class PlaceHoldView(_ForCasePage):
    def post(
        self, request: HttpRequest, case_uuid: uuid.UUID, place_uuid: uuid.UUID
    ) -> HttpResponse:
        case = case_get_for_user(actor=self.actor, case_uuid=case_uuid)
        place = place_get_published(actor=self.actor, place_uuid=place_uuid)
        try:
            hold = services.place_hold(actor=self.actor, case=case, place=place)
        except ValidationError as error:
            # Nothing to correct in a form: the search is shown again, with why it was refused.
            reasons = " ".join(m for messages_ in error.message_dict.values() for m in messages_)
            return self._page(
                request, case, ChildSearchForm(request.POST), error=reasons, status=422
            )
        messages.success(
            request,
            _("%(name)s is held for this child until %(until)s.")
            % {
                "name": place.name,
                "until": date_format(localtime(hold.expires_at), "SHORT_DATETIME_FORMAT"),
            },
        )
        return _back_to_file(case)


class HoldConfirmView(ProtectedView):
    permission = Permission.PLACES_SEARCH

    def _render(
        self, request: HttpRequest, hold: Any, form: HoldConfirmForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request, "network/places/hold_confirm.html", {"hold": hold, "form": form}, status=status
        )

    def get(self, request: HttpRequest, hold_uuid: uuid.UUID) -> HttpResponse:
        hold = hold_get_for_user(actor=self.actor, hold_uuid=hold_uuid)
        return self._render(request, hold, HoldConfirmForm())

    def post(self, request: HttpRequest, hold_uuid: uuid.UUID) -> HttpResponse:
        hold = hold_get_for_user(actor=self.actor, hold_uuid=hold_uuid)
        form = HoldConfirmForm(request.POST)
        if form.is_valid():
            try:
                services.place_hold_confirm(
                    actor=self.actor, hold=hold, started_on=form.cleaned_data["started_on"]
                )
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                messages.success(request, _("The placement is recorded in the file."))
                return redirect(f"{hold.case.get_absolute_url()}#accommodation")
        return self._render(request, hold, form, status=422)


class HoldReleaseView(ProtectedView):
    permission = Permission.PLACES_SEARCH

    def post(self, request: HttpRequest, hold_uuid: uuid.UUID) -> HttpResponse:
        hold = hold_get_for_user(actor=self.actor, hold_uuid=hold_uuid)
        try:
            services.place_hold_release(actor=self.actor, hold=hold)
        except ValidationError:
            messages.warning(request, _("This hold had already ended."))
        else:
            messages.success(request, _("The place is released."))
        return _back_to_file(hold.case)
