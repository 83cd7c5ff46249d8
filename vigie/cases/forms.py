from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CareStatus, ExploitationForm, Gender, ReferralSource


class CaseOpenForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    aliases = forms.CharField(label=_("Aliases"), max_length=300, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    birth_year = forms.IntegerField(
        label=_("Estimated birth year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("When the exact birth date is not known."),
    )
    age_disputed = forms.BooleanField(
        label=_("Age disputed or estimated"),
        required=False,
        help_text=_("While in doubt the young person is presumed to be a minor."),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, initial=Gender.UNKNOWN)
    nationality = forms.CharField(
        label=_("Nationality (two-letter code)"), max_length=2, min_length=2, required=False
    )
    unaccompanied = forms.BooleanField(label=_("Unaccompanied minor"), required=False)
    care_status = forms.ChoiceField(
        label=_("Care status"), choices=CareStatus.choices, initial=CareStatus.NONE
    )
    departement = forms.CharField(label=_("Département"), max_length=3, required=False)
    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    referral_source = forms.ChoiceField(
        label=_("Referral source"), choices=[("", "—"), *ReferralSource.choices], required=False
    )


class CaseNoteForm(forms.Form):
    text = forms.CharField(label=_("New note"), widget=forms.Textarea(attrs={"rows": 4}))
