"""Pages recording the dated events of a file: one small form per kind of event, and the pages
updating an event where the file follows it up (an appeal's decision, the end of a placement,
a proceeding's non-punishment, a compensation's payment).

Thin: the case comes from case_get_for_user (owner only: a share never lets anyone write), the
event through that case (404 otherwise), the rules from vigie/cases/services/events.py.
"""

import uuid
from abc import ABC, abstractmethod
from datetime import UTC, datetime
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.formats import date_format, number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.roles import Permission
from vigie.core.forms import form_errors_add
from vigie.core.views import ProtectedView

from .. import forms_events
from ..models import AgeAppeal, Case, CompensationClaim, Placement, Proceeding
from ..selectors import case_get_for_user
from ..services import events as services


def _day(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


class _EventPage(ProtectedView):
    """A form page about one file. Subclasses say which form, service and section of the file."""

    abstract = True
    permission = Permission.CASE_EDIT
    template_name = "cases/event_form.html"
    form_class: ClassVar[type[forms.Form]]
    title: ClassVar[Promise]
    # The section of the case page the worker returns to (see cases/_events.html).
    anchor: ClassVar[str]

    def _case(self, case_uuid: uuid.UUID) -> Case:
        return case_get_for_user(actor=self.actor, case_uuid=case_uuid)

    def _render(
        self,
        request: HttpRequest,
        case: Case,
        form: forms.Form,
        *,
        status: int = 200,
        **extra: Any,
    ) -> HttpResponse:
        context = {"case": case, "form": form, "title": self.title, "anchor": self.anchor}
        return render(request, self.template_name, context | extra, status=status)

    def _back_to_file(self, case: Case) -> HttpResponse:
        return redirect(f"{case.get_absolute_url()}#{self.anchor}")


class _EventCreateView(_EventPage, ABC):
    abstract = True

    @abstractmethod
    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        """Record the event; return the warnings the worker must read on the file."""

    def get(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = self._case(case_uuid)
        return self._render(request, case, self.form_class())

    def post(self, request: HttpRequest, case_uuid: uuid.UUID) -> HttpResponse:
        case = self._case(case_uuid)
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                warnings = self.record(case, form.cleaned_data)
            except ValidationError as error:
                form_errors_add(form, error)
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                return self._back_to_file(case)
        return self._render(request, case, form, status=422)


class _EventUpdateView(_EventPage, ABC):
    """Updates one event of the file. The page carries the event's ``updated_at``: a change made
    meanwhile by someone else is refused and both the current record and the worker's values are
    shown (no update is silently lost)."""

    abstract = True
    related_name: ClassVar[str]

    def _event(self, case: Case, event_uuid: uuid.UUID) -> Any:
        event = getattr(case, self.related_name).filter(uuid=event_uuid).first()
        if event is None:
            raise Http404
        return event

    def initial(self, event: Any) -> dict[str, Any]:
        return {}

    @abstractmethod
    def facts(self, event: Any) -> list[tuple[str, str]]:
        """The event as recorded, shown above the form."""

    @abstractmethod
    def update(self, event: Any, data: dict[str, Any], seen: datetime | None) -> list[str]:
        """Change the event (refused if changed since ``seen``); return the warnings."""

    def _page(
        self, request: HttpRequest, case: Case, event: Model, form: forms.Form, status: int = 200
    ) -> HttpResponse:
        return self._render(
            request,
            case,
            form,
            status=status,
            event=event,
            facts=self.facts(event),
            seen_updated_at=event.updated_at.isoformat(),  # type: ignore[attr-defined]
        )

    def get(
        self, request: HttpRequest, case_uuid: uuid.UUID, event_uuid: uuid.UUID
    ) -> HttpResponse:
        case = self._case(case_uuid)
        event = self._event(case, event_uuid)
        return self._page(request, case, event, self.form_class(initial=self.initial(event)))

    def post(
        self, request: HttpRequest, case_uuid: uuid.UUID, event_uuid: uuid.UUID
    ) -> HttpResponse:
        case = self._case(case_uuid)
        event = self._event(case, event_uuid)
        form = self.form_class(request.POST)
        status = 422
        if form.is_valid():
            try:
                warnings = self.update(event, form.cleaned_data, _seen(request.POST))
            except ValidationError as error:
                # Read again: the page shows the record as it now is, the form what was sent.
                event = self._event(case, event_uuid)
                form_errors_add(form, error)
                # A stale page is a conflict (as for the file's own edit form), not bad input.
                if getattr(error, "code", None) == "stale":
                    status = 409
            else:
                for warning in warnings:
                    messages.warning(request, warning)
                return self._back_to_file(case)
        return self._page(request, case, event, form, status=status)


def _seen(data: QueryDict) -> datetime | None:
    value = data.get("seen_updated_at", "")
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        # A mangled token cannot prove the page was fresh: treat it as stale.
        return datetime(1, 1, 1, tzinfo=UTC)


# --- Age and its dispute -----------------------------------------------------------------------


class AgeAssessmentCreateView(_EventCreateView):
    form_class = forms_events.AgeAssessmentForm
    title = gettext_lazy("Record an age assessment")
    anchor = "age"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        services.age_assessment_record(actor=self.actor, case=case, **data)
        return []


class AgeAppealFileView(_EventCreateView):
    form_class = forms_events.AgeAppealFileForm
    title = gettext_lazy("Record an appeal to the juvenile judge")
    anchor = "age"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        services.age_appeal_file(actor=self.actor, case=case, **data)
        return []


class AgeAppealDecideView(_EventUpdateView):
    form_class = forms_events.AgeAppealDecideForm
    title = gettext_lazy("Record the juvenile judge's decision")
    anchor = "age"
    related_name = "age_appeals"

    def facts(self, event: AgeAppeal) -> list[tuple[str, str]]:
        return [
            (_("Filed on"), _day(event.filed_on)),
            (_("Decided on"), _day(event.decided_on)),
            (_("Decision"), event.get_outcome_display() or "—"),
        ]

    def update(self, event: AgeAppeal, data: dict[str, Any], seen: datetime | None) -> list[str]:
        # A decision is written once: deciding twice is refused whatever the page's age.
        services.age_appeal_decide(actor=self.actor, appeal=event, **data)
        return []


# --- Accommodation -----------------------------------------------------------------------------


def _placement_warning(placement: Placement) -> list[str]:
    if not placement.is_rights_violation:
        return []
    return [
        _(
            "%(kind)s: recorded as a violation of the child's rights. A child victim must be "
            "in safe accommodation, never a hotel nor the street (Collective 2022 §IX.2)."
        )
        % {"kind": placement.get_kind_display()}
    ]


class PlacementCreateView(_EventCreateView):
    form_class = forms_events.PlacementForm
    title = gettext_lazy("Record a placement")
    anchor = "accommodation"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        recorded = services.placement_record(actor=self.actor, case=case, **data)
        return _placement_warning(recorded.placement)


class PlacementEndView(_EventUpdateView):
    form_class = forms_events.PlacementEndForm
    title = gettext_lazy("Record the end of a placement")
    anchor = "accommodation"
    related_name = "placements"

    def facts(self, event: Placement) -> list[tuple[str, str]]:
        return [
            (_("Type of accommodation"), event.get_kind_display()),
            (_("From"), _day(event.started_on)),
            (_("Until"), _day(event.ended_on)),
            (_("Département"), event.departement or "—"),
        ]

    def update(self, event: Placement, data: dict[str, Any], seen: datetime | None) -> list[str]:
        services.placement_end(actor=self.actor, placement=event, **data)
        return []


# --- Legal proceedings -------------------------------------------------------------------------


class ProceedingCreateView(_EventCreateView):
    form_class = forms_events.ProceedingForm
    title = gettext_lazy("Record a legal proceeding")
    anchor = "proceedings"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        services.proceeding_record(actor=self.actor, case=case, **data)
        return []


class ProceedingUpdateView(_EventUpdateView):
    form_class = forms_events.ProceedingUpdateForm
    title = gettext_lazy("Follow up a legal proceeding")
    anchor = "proceedings"
    related_name = "proceedings"

    def initial(self, event: Proceeding) -> dict[str, Any]:
        return {
            "court": event.court,
            "non_punishment": event.non_punishment,
            "criminal_record_entry": event.criminal_record_entry,
            "closed_on": event.closed_on,
        }

    def facts(self, event: Proceeding) -> list[tuple[str, str]]:
        return [
            (_("The young person's role"), event.get_role_display()),
            (_("Opened on"), _day(event.opened_on)),
            (_("Court or service"), event.court or "—"),
            (_("Non-punishment"), event.get_non_punishment_display()),
            (
                _("Entry in the criminal record"),
                _("yes") if event.criminal_record_entry else _("no"),
            ),
            (_("Closed on"), _day(event.closed_on)),
        ]

    def update(self, event: Proceeding, data: dict[str, Any], seen: datetime | None) -> list[str]:
        services.proceeding_update(actor=self.actor, proceeding=event, seen_updated_at=seen, **data)
        return []


# --- Hearings ----------------------------------------------------------------------------------


class HearingCreateView(_EventCreateView):
    form_class = forms_events.HearingForm
    title = gettext_lazy("Record a hearing")
    anchor = "hearings"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        hearing = services.hearing_record(actor=self.actor, case=case, **data)
        return services.hearing_concerns(hearing)


# --- Compensation ------------------------------------------------------------------------------


class CompensationCreateView(_EventCreateView):
    form_class = forms_events.CompensationForm
    title = gettext_lazy("Record a compensation claim")
    anchor = "compensation"

    def record(self, case: Case, data: dict[str, Any]) -> list[str]:
        services.compensation_record(actor=self.actor, case=case, **data)
        return []


def _amount(value: Any) -> str:
    return f"{number_format(value, 2, force_grouping=True)} €" if value is not None else "—"


class CompensationUpdateView(_EventUpdateView):
    form_class = forms_events.CompensationForm
    title = gettext_lazy("Follow up a compensation claim")
    anchor = "compensation"
    related_name = "compensation_claims"

    def initial(self, event: CompensationClaim) -> dict[str, Any]:
        return {
            "filed_on": event.filed_on,
            "body": event.body,
            "amount_awarded": event.amount_awarded,
            "awarded_on": event.awarded_on,
            "amount_paid": event.amount_paid,
            "paid_on": event.paid_on,
        }

    def facts(self, event: CompensationClaim) -> list[tuple[str, str]]:
        return [
            (_("Claim filed on"), _day(event.filed_on)),
            (_("With"), event.body or "—"),
            (_("Amount awarded"), _amount(event.amount_awarded)),
            (_("Awarded on"), _day(event.awarded_on)),
            (_("Amount paid"), _amount(event.amount_paid)),
            (_("Paid on"), _day(event.paid_on)),
        ]

    def update(
        self, event: CompensationClaim, data: dict[str, Any], seen: datetime | None
    ) -> list[str]:
        services.compensation_update(actor=self.actor, claim=event, seen_updated_at=seen, **data)
        return []
