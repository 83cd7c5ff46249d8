"""Forms of the referral pages. Checks of meaning (consent, dates, recipient) are the services'."""

from datetime import timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation

from .forms_consent import ConsentForm
from .models import FileSection, Need
from .services.referrals import DEFAULT_DURATION_DAYS


def _default_expiry() -> Any:
    return timezone.localdate() + timedelta(days=DEFAULT_DURATION_DAYS)


class ReferralForm(ConsentForm):
    to_organisation = forms.ModelChoiceField(
        label=_("Refer to"),
        queryset=Organisation.objects.none(),
        # The public id: a form never shows sequential ids either.
        to_field_name="uuid",
    )
    service = forms.ChoiceField(label=_("Service asked"), choices=Need.choices)
    sections = forms.MultipleChoiceField(
        label=_("Sections of the file the recipient may read (only what is strictly necessary)"),
        choices=FileSection.choices,
        widget=forms.CheckboxSelectMultiple,
        # None pre-checked: each section shared is a choice (CASF art. L.226-2-2).
        error_messages={"required": _("Choose at least one section: only what the service needs.")},
    )
    message = forms.CharField(
        label=_("Message to the recipient"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept encrypted. Only what the service needs to know."),
    )
    expires_on = forms.DateField(
        label=_("Access ends on"),
        initial=_default_expiry,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most one year from today. The recipient reads nothing after this day."),
    )

    field_order = [
        "to_organisation",
        "service",
        "sections",
        "message",
        "expires_on",
        "child_consent",
        "parents_consent",
        "consent_recorded_on",
        "override_reason",
    ]

    def __init__(self, *args: Any, recipients: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = recipients  # type: ignore[attr-defined]


CONSENT_FIELDS = ("child_consent", "parents_consent", "consent_recorded_on", "override_reason")


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for declining"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept encrypted; read by the organisation that referred the child."),
    )


class ServiceForm(forms.Form):
    delivered_on = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    description = forms.CharField(
        label=_("Service delivered"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept encrypted; read by the organisation that referred the child."),
    )
