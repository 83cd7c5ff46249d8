"""Forms of the reports part: a report to the authorities, a case file opened from an ad."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.cases.forms import CaseOpenForm

from .models import ReportRecipient
from .services.reports import REPORT_NOTE_MAX_LENGTH, REPORT_REFERENCE_MAX_LENGTH


def _date_input() -> forms.DateInput:
    # ISO format whatever the language: an <input type="date"> only takes YYYY-MM-DD.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuthorityReportForm(forms.Form):
    recipient = forms.ChoiceField(label=_("Sent to"), choices=[("", "—"), *ReportRecipient.choices])
    reported_on = forms.DateField(label=_("Date of the report"), widget=_date_input())
    reference = forms.CharField(
        label=_("Reference given by the authority"),
        max_length=REPORT_REFERENCE_MAX_LENGTH,
        required=False,
        help_text=_("The number Pharos or the police gave for the report, if any."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=REPORT_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CaseFromAdForm(CaseOpenForm):
    """The case opening form, plus the note describing the online situation (a first case note).

    The cases app's own form, so that a file opened from an ad asks exactly what any other file
    asks; the prefill comes from vigie/outreach/services/case_from_ad.py.
    """

    situation_note = forms.CharField(
        label=_("Situation note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Saved as the file's first note. Change it as you see fit."),
    )

    def case_values(self) -> dict[str, Any]:
        """What case_open takes (everything but the note)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "situation_note"}
