"""Forms of the places pages. Field names are the services' keywords: a service's ValidationError
lands on the field it names. Rules live in vigie/network/services/places.py."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.cases.models import ExploitationForm, Gender

from .departements import departement_choices
from .models import AccommodationPlace, PlaceKind
from .selectors_places import PlaceFilters
from .services.places import AGE_LIMIT, PLACE_GENDERS, PlaceDetails

_ANY: list[tuple[str, Any]] = [("", _("Any"))]


def _departements(blank: Any = None) -> list[tuple[str, Any]]:
    return ([("", blank)] if blank is not None else []) + list(departement_choices())


class PlaceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=PlaceKind.choices,
        help_text=_("Hotels are never offered to child victims: they are not a type of place."),
    )
    departement = forms.ChoiceField(label=_("Département"), choices=_departements)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=999)
    available = forms.IntegerField(label=_("Places available now"), min_value=0, max_value=999)
    age_min = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=AGE_LIMIT)
    age_max = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=AGE_LIMIT)
    genders = forms.MultipleChoiceField(
        label=_("Takes in"),
        choices=[(g, Gender(g).label) for g in PLACE_GENDERS],
        widget=forms.CheckboxSelectMultiple,
    )
    forms_accepted = forms.MultipleChoiceField(
        label=_("Forms of exploitation accepted (none ticked: every form)"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    accepts_any_territory = forms.BooleanField(
        label=_("Accepts children from any territory"),
        required=False,
        help_text=_(
            "A child may need to be moved far from the exploiters: a place open to other "
            "territories can take her or him in."
        ),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    notes = forms.CharField(
        label=_("Notes for workers (no child data)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(
        label=_("Published"),
        required=False,
        initial=True,
        help_text=_("Untick to withdraw the place from the searches; it is never deleted."),
    )

    @classmethod
    def for_place(cls, place: AccommodationPlace) -> "PlaceForm":
        return cls(initial={name: getattr(place, name) for name in cls.base_fields})

    def details(self) -> PlaceDetails:
        data = self.cleaned_data
        return PlaceDetails(
            name=data["name"],
            kind=data["kind"],
            departement=data["departement"],
            capacity=data["capacity"],
            available=data["available"],
            age_min=data["age_min"],
            age_max=data["age_max"],
            genders=list(data["genders"]),
            accepts_any_territory=data["accepts_any_territory"],
            forms_accepted=list(data["forms_accepted"]),
            phone=data["phone"],
            notes=data["notes"],
            is_active=data["is_active"],
        )


class AvailabilityForm(forms.Form):
    """The quick update of the publisher's list, one per place."""

    available = forms.IntegerField(label=_("Places available now"), min_value=0, max_value=999)


class PlaceFilterForm(forms.Form):
    departement = forms.ChoiceField(
        label=_("Département"), choices=lambda: _departements(_("Any")), required=False
    )
    kind = forms.ChoiceField(label=_("Type"), choices=_ANY + PlaceKind.choices, required=False)
    free_only = forms.BooleanField(label=_("Only places free now"), required=False)

    def filters(self) -> PlaceFilters:
        data = self.cleaned_data
        return PlaceFilters(
            departement=data["departement"], kind=data["kind"], free_only=data["free_only"]
        )


class ChildSearchForm(forms.Form):
    move_away = forms.BooleanField(
        label=_("Needs to be moved far from the exploiters"),
        required=False,
        help_text=_(
            "Only places outside the child's département and région that take children from any "
            "territory."
        ),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=_ANY + PlaceKind.choices, required=False)


class HoldConfirmForm(forms.Form):
    started_on = forms.DateField(
        label=_("The child moved in on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
