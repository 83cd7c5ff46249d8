"""Forms of the dated events of a file. Field names are the services' keywords: a service's
ValidationError lands on the field it names. Rules live in vigie/cases/services/events.py.

Update pages also post ``seen_updated_at`` (the record's ``updated_at`` when the page was read),
outside these forms: the services refuse a change made on a stale page.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import (
    AgeAuthority,
    AgeOutcome,
    HearingPlace,
    NonPunishment,
    PlacementKind,
    ProceedingRole,
    Recording,
)
from .services.events import APPEAL_DECISIONS


def _date(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=10, decimal_places=2)


class AgeAssessmentForm(forms.Form):
    assessed_on = _date(_("Date of the assessment"))
    authority = forms.ChoiceField(label=_("Authority"), choices=AgeAuthority.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=AgeOutcome.choices,
        help_text=_(
            "An adult or undetermined outcome puts the age in dispute: the young person stays "
            "presumed a minor until a court decides."
        ),
    )


class AgeAppealFileForm(forms.Form):
    filed_on = _date(_("Appeal filed with the juvenile judge on"))


class AgeAppealDecideForm(forms.Form):
    decided_on = _date(_("Decided on"))
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, AgeOutcome(value).label) for value in APPEAL_DECISIONS],
    )


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type of accommodation"),
        choices=PlacementKind.choices,
        help_text=_("A hotel or the street is recorded as a violation of the child's rights."),
    )
    started_on = _date(_("From"))
    ended_on = _date(
        _("Until"),
        required=False,
        help_text=_("Only for a past placement. The current placement ends when this one starts."),
    )
    departement = forms.CharField(label=_("Département"), max_length=3, required=False)


class PlacementEndForm(forms.Form):
    ended_on = _date(_("Left on"))


class ProceedingForm(forms.Form):
    role = forms.ChoiceField(
        label=_("The young person's role"),
        choices=ProceedingRole.choices,
        help_text=_(
            "As a defendant for offences committed under constraint, non-punishment is to be "
            "raised with the court: it is followed up on the file."
        ),
    )
    opened_on = _date(_("Opened on"))
    court = forms.CharField(label=_("Court or service"), max_length=100, required=False)
    criminal_record_entry = forms.BooleanField(
        label=_("Entry in the criminal record"), required=False
    )


class ProceedingUpdateForm(forms.Form):
    court = forms.CharField(label=_("Court or service"), max_length=100, required=False)
    non_punishment = forms.ChoiceField(
        label=_("Non-punishment"), choices=NonPunishment.choices, required=False
    )
    criminal_record_entry = forms.BooleanField(
        label=_("Entry in the criminal record"), required=False
    )
    closed_on = _date(_("Closed on"), required=False)


class HearingForm(forms.Form):
    held_on = _date(_("Date of the hearing"))
    place = forms.ChoiceField(label=_("Place"), choices=HearingPlace.choices)
    recording = forms.ChoiceField(label=_("Audiovisual recording"), choices=Recording.choices)
    recording_refused_reason = forms.CharField(
        label=_("Reason for no recording"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the recording was refused or not made. Encrypted."),
    )
    trusted_third_party_present = forms.BooleanField(
        label=_("A trusted third party was present"), required=False
    )


class CompensationForm(forms.Form):
    filed_on = _date(_("Claim filed on"))
    body = forms.CharField(label=_("With (court, CIVI...)"), max_length=100, required=False)
    amount_awarded = _amount(_("Amount awarded (€)"))
    awarded_on = _date(_("Awarded on"), required=False)
    amount_paid = _amount(_("Amount paid (€)"))
    paid_on = _date(_("Paid on"), required=False)
