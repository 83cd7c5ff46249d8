from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, cast

from django import forms
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User
from vigie.accounts.roles import CASE_ROLES

from .models import (
    CareStatus,
    Case,
    CaseStatus,
    ExploitationForm,
    Gender,
    Guardianship,
    ReferralSource,
    Schooling,
    Substance,
)
from .selectors_history import field_label
from .services.editing import EDITABLE_FIELDS, case_edit_values
from .services.status import CloseReason


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


# --- Editing the file (vigie/cases/services/editing.py) and its status (services/status.py) ---


def _date_input() -> forms.DateInput:
    # ISO format whatever the language: an <input type="date"> only takes YYYY-MM-DD.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class FieldGroup:
    """One fieldset of a form; "core/form_fields.html" renders it like a whole form."""

    legend: str
    slug: str
    fields: list[forms.BoundField]

    def __iter__(self) -> Iterator[forms.BoundField]:
        return iter(self.fields)

    def non_field_errors(self) -> list[str]:
        return []  # shown once, above the fieldsets


class _WorkerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class CaseEditForm(forms.Form):
    """Every editable field of the file, grouped as the case page shows them.

    ``version`` is the file's version when the form was read: the optimistic lock.
    """

    FIELDSETS: ClassVar[tuple[tuple[str, Any, tuple[str, ...]], ...]] = (
        (
            "identity",
            _("Identity"),
            ("first_name", "last_name", "aliases", "gender", "nationality", "languages"),
        ),
        ("age", _("Age"), ("birth_date", "birth_year", "age_disputed")),
        (
            "legal",
            _("Family and legal status"),
            (
                "unaccompanied",
                "legal_representative",
                "guardianship",
                "ad_hoc_administrator_requested_on",
                "ad_hoc_administrator_appointed_on",
                "ad_hoc_administrator_appointed_by",
                "ad_hoc_administrator_name",
                "disability",
                "pregnant",
                "children_count",
            ),
        ),
        ("care", _("Care"), ("care_status", "departement", "referral_source", "assigned_to")),
        (
            "situation",
            _("Situation"),
            (
                "exploitation_forms",
                "exploitation_places",
                "exploitation_started_on",
                "exploitation_ended_on",
                "substances",
                "health_notes",
                "schooling",
                "safety_notes",
            ),
        ),
    )

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    aliases = forms.CharField(label=_("Aliases"), max_length=300, required=False)
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    nationality = forms.CharField(
        label=_("Nationality (two-letter code)"), max_length=2, min_length=2, required=False
    )
    languages = forms.CharField(label=_("Languages spoken"), max_length=100, required=False)

    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=_date_input())
    birth_year = forms.IntegerField(
        label=_("Estimated birth year"),
        required=False,
        min_value=1990,
        max_value=2100,
        help_text=_("When the exact birth date is not known; taken from the birth date if any."),
    )
    age_disputed = forms.BooleanField(
        label=_("Age disputed or estimated"),
        required=False,
        help_text=_("While in doubt the young person is presumed to be a minor."),
    )

    unaccompanied = forms.BooleanField(label=_("Unaccompanied minor"), required=False)
    legal_representative = forms.CharField(
        label=_("Legal representative"), max_length=200, required=False
    )
    guardianship = forms.ChoiceField(label=_("Guardianship"), choices=Guardianship.choices)
    ad_hoc_administrator_requested_on = forms.DateField(
        label=_("Ad hoc administrator requested on"), required=False, widget=_date_input()
    )
    ad_hoc_administrator_appointed_on = forms.DateField(
        label=_("Ad hoc administrator appointed on"), required=False, widget=_date_input()
    )
    ad_hoc_administrator_appointed_by = forms.CharField(
        label=_("Appointed by"),
        max_length=100,
        required=False,
        help_text=_("For example: the public prosecutor of Paris, the juvenile judge of Bobigny."),
    )
    ad_hoc_administrator_name = forms.CharField(
        label=_("Ad hoc administrator"), max_length=200, required=False
    )
    disability = forms.BooleanField(label=_("Disability"), required=False)
    pregnant = forms.BooleanField(label=_("Pregnant"), required=False)
    children_count = forms.IntegerField(
        label=_("Children of her or his own"), min_value=0, max_value=20, initial=0
    )

    care_status = forms.ChoiceField(label=_("Care status"), choices=CareStatus.choices)
    departement = forms.CharField(label=_("Département"), max_length=3, required=False)
    referral_source = forms.ChoiceField(
        label=_("Referral source"), choices=[("", "—"), *ReferralSource.choices], required=False
    )
    assigned_to = _WorkerChoiceField(
        label=_("Assigned caseworker"),
        queryset=User.objects.none(),
        required=False,
        empty_label="—",
    )

    exploitation_forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=ExploitationForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    exploitation_places = forms.CharField(
        label=_("Places of exploitation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exploitation_started_on = forms.DateField(
        label=_("Exploitation from"), required=False, widget=_date_input()
    )
    exploitation_ended_on = forms.DateField(
        label=_("Exploitation until"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty while it goes on."),
    )
    substances = forms.MultipleChoiceField(
        label=_("Addiction (substances)"),
        choices=Substance.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    health_notes = forms.CharField(
        label=_("Health"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    schooling = forms.ChoiceField(label=_("Schooling or training"), choices=Schooling.choices)
    safety_notes = forms.CharField(
        label=_("Safety notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Known exploiters, places and people to avoid."),
    )

    def __init__(self, *args: Any, case: Case, can_assign: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if can_assign:
            assigned = cast(forms.ModelChoiceField, self.fields["assigned_to"])
            # The current assignee stays a choice even if no longer active: saving another
            # field must not unassign the file without anyone choosing to.
            assigned.queryset = User.objects.filter(
                Q(organisation=case.organisation_id, role__in=CASE_ROLES, is_active=True)
                | Q(pk=case.assigned_to_id)
            ).order_by("full_name")
        else:
            # Assigning is a coordinator's decision (Permission.CASE_ASSIGN).
            del self.fields["assigned_to"]

    @classmethod
    def for_case(
        cls, case: Case, *, can_assign: bool, values: dict[str, Any] | None = None
    ) -> "CaseEditForm":
        """An unbound form showing ``values`` (by default the file's own) at the file's version."""
        initial = dict(values if values is not None else case_edit_values(case))
        initial["version"] = case.version
        return cls(initial=initial, case=case, can_assign=can_assign)

    def changes(self) -> dict[str, Any]:
        """What the person sent, for case_update (it keeps only what differs)."""
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS if name in self.fields}

    def fieldsets(self) -> list[FieldGroup]:
        return [
            FieldGroup(
                legend=str(legend),
                slug=slug,
                fields=[self[name] for name in names if name in self.fields],
            )
            for slug, legend, names in self.FIELDSETS
        ]

    def label_of(self, name: str) -> str:
        if name in self.fields:
            return str(self.fields[name].label)
        return field_label(name)

    def display(self, name: str, value: Any) -> str:
        """A value as a person reads it (the conflict page shows two versions side by side)."""
        if value is None or value == "" or value == []:
            return "—"
        if isinstance(value, bool):
            return str(_("Yes") if value else _("No"))
        if isinstance(value, date):
            return str(date_format(value, "SHORT_DATE_FORMAT"))
        if isinstance(value, User):
            return value.full_name
        field = self.fields.get(name)
        labels = dict(getattr(field, "choices", None) or ())
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))


class CaseStatusForm(forms.Form):
    """A move of the state machine; ``version`` takes the same lock as an edit."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    to_status = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    reason = forms.ChoiceField(
        label=_("Reason for closing"),
        choices=[("", "—"), *CloseReason.choices],
        required=False,
        help_text=_("Required to close the file; not recorded for other moves."),
    )

    def __init__(self, *args: Any, moves: list[CaseStatus] | None = None, **kwargs: Any):
        """``moves``: the choices offered; the service decides what is allowed either way."""
        super().__init__(*args, **kwargs)
        if moves is not None:
            self.offer(moves)

    def offer(self, moves: list[CaseStatus]) -> None:
        """Show only these moves (also after validation, to re-render a refused form)."""
        field = cast(forms.ChoiceField, self.fields["to_status"])
        field.choices = [(move.value, move.label) for move in moves]

    def fieldset(self) -> FieldGroup:
        return FieldGroup(
            legend=str(_("Change the status")),
            slug="status",
            fields=[self["to_status"], self["reason"]],
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("to_status") != CaseStatus.CLOSED:
            # One form for every move: a reason left selected matters only when closing.
            cleaned["reason"] = ""
        return cleaned
