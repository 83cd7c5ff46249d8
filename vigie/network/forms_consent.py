"""The consent fields of the referral and transfer forms."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ChildConsent, ParentsConsent
from .services.consent import Consent


class ConsentForm(forms.Form):
    child_consent = forms.ChoiceField(
        label=_("The young person"), choices=ChildConsent.choices, widget=forms.RadioSelect
    )
    parents_consent = forms.ChoiceField(
        label=_("The parents"), choices=ParentsConsent.choices, widget=forms.RadioSelect
    )
    consent_recorded_on = forms.DateField(
        label=_("Consent recorded on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    override_reason = forms.CharField(
        label=_("Reason for sharing without the young person's agreement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Coordinators only. Kept encrypted; the decision is logged."),
    )

    def consent(self) -> Consent:
        data = self.cleaned_data
        return Consent(
            child_consent=data["child_consent"],
            parents_consent=data["parents_consent"],
            recorded_on=data["consent_recorded_on"],
            override_reason=data.get("override_reason", ""),
        )
