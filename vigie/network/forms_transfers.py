"""The forms of the transfer pages. Validation of the rules is the services' (transfers.py)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import Organisation

from .departements import departement_choices
from .forms_consent import ConsentForm
from .models import TransferDestination


class TransferForm(ConsentForm):
    destination = forms.ChoiceField(
        label=_("The child moves to"),
        choices=TransferDestination.choices,
        widget=forms.RadioSelect,
    )
    to_organisation = forms.ModelChoiceField(
        label=_("Organisation taking the file over"),
        queryset=Organisation.objects.none(),
        to_field_name="uuid",
        required=False,
        help_text=_("For a move to another organisation using Vigie."),
    )
    new_departement = forms.ChoiceField(
        label=_("New département"),
        required=False,
        help_text=_("Where the child will live, if it changes."),
    )
    partner_name = forms.CharField(
        label=_("Partner abroad (institution)"),
        max_length=200,
        required=False,
        help_text=_("For a move abroad: the institution, not a person."),
    )
    partner_country = forms.CharField(
        label=_("Partner's country (two-letter ISO code)"),
        max_length=2,
        required=False,
        widget=forms.TextInput(attrs={"size": 2, "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label=_("Reason for the move"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept encrypted."),
    )

    field_order = [
        "destination",
        "to_organisation",
        "new_departement",
        "partner_name",
        "partner_country",
        "reason",
        "child_consent",
        "parents_consent",
        "consent_recorded_on",
        "override_reason",
    ]

    def __init__(self, *args: Any, own_organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        to_organisation = self.fields["to_organisation"]
        assert isinstance(to_organisation, forms.ModelChoiceField)  # noqa: S101
        to_organisation.queryset = Organisation.objects.filter(is_active=True).exclude(
            pk=own_organisation.pk
        )
        departement = self.fields["new_departement"]
        assert isinstance(departement, forms.ChoiceField)  # noqa: S101
        departement.choices = [("", "—"), *departement_choices()]


class TransferDeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Why the transfer is declined"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The proposing organisation reads it. Kept encrypted."),
    )
