"""Forms of the directory pages: the search and one entry.

The forms only shape the input; the rules (phone, email, département, uniqueness) are checked by
vigie/network/services/directory.py, whose errors come back under the same field names.
"""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .departements import departement_choices
from .models import ContactKind, Need
from .selectors_directory import DirectoryFilters

ANY = [("", _("Any"))]


class DirectorySearchForm(forms.Form):
    departement = forms.ChoiceField(label=_("Département"), required=False)
    whole_region = forms.BooleanField(label=_("Include the whole région"), required=False)
    need = forms.ChoiceField(label=_("Need"), required=False, choices=ANY + Need.choices)
    kind = forms.ChoiceField(label=_("Kind of contact"), required=False)
    q = forms.CharField(
        label=_("Name or role contains"), required=False, max_length=200, strip=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["departement"]).choices = [*ANY, *departement_choices()]
        cast(forms.ChoiceField, self.fields["kind"]).choices = ANY + ContactKind.choices

    def filters(self) -> DirectoryFilters:
        data = self.cleaned_data
        return DirectoryFilters(
            departement=data["departement"],
            whole_region=data["whole_region"],
            need=data["need"],
            kind=data["kind"],
            text=data["q"],
        )


class DirectoryEntryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=ContactKind.choices)
    departement = forms.ChoiceField(label=_("Département"))
    needs = forms.MultipleChoiceField(
        label=_("Needs answered"),
        required=False,
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    role = forms.CharField(
        label=_("Role"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What this contact does for a child, and how to reach the right person."),
    )
    hours = forms.CharField(
        label=_("Hours"),
        required=False,
        max_length=200,
        help_text=_("For example: 24 h/24, or Mon-Fri 9 am-5 pm."),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=40,
        help_text=_("A French number as 01 23 45 67 89; from abroad with its code, as +32 …"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("Address"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["departement"]).choices = [
            ("", "—"),
            *departement_choices(),
        ]
