"""The dashboard's GET form: one or two dimensions to disaggregate by, and filters.

Every choice comes from dimensions.py (the dimensions and their fixed values), so the form can
only ask for what the counting knows; anything else is an error on the field that carries it.
"""

from datetime import date
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .dimensions import Dimension
from .selectors_dashboard import dashboard_dimensions, value_labels

DEFAULT_BY = "year"
# Shown first; the others are under "more filters".
MAIN_FILTERS = (
    "year",
    "form",
    "gender",
    "age_band",
    "unaccompanied",
    "care_status",
    "region",
    "status",
)
# A multiple select taller than this scrolls.
SELECT_ROWS = 6


def _value_choices(dimension: Dimension) -> list[tuple[str, str]]:
    values = dimension.values
    return list(zip(values, value_labels(dimension, values), strict=True))


class DashboardForm(forms.Form):
    by = forms.ChoiceField(label=_("Disaggregate by"), required=False)
    then_by = forms.ChoiceField(label=_("Then by (optional)"), required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dimensions = dashboard_dimensions(today)
        names = [(code, str(dim.label)) for code, dim in self.dimensions.items()]
        cast(forms.ChoiceField, self.fields["by"]).choices = names
        cast(forms.ChoiceField, self.fields["then_by"]).choices = [("", _("Nothing more")), *names]
        for code, dimension in self.dimensions.items():
            size = min(dimension.cardinality, SELECT_ROWS)
            self.fields[code] = forms.MultipleChoiceField(
                label=str(dimension.label),
                required=False,
                choices=_value_choices(dimension),
                widget=forms.SelectMultiple(attrs={"size": size}),
            )

    def clean_by(self) -> str:
        return str(self.cleaned_data.get("by") or DEFAULT_BY)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("then_by") and data.get("then_by") == data.get("by"):
            self.add_error("then_by", _("Choose a dimension other than the first one."))
        return data

    def group_by(self) -> list[str]:
        data = self.cleaned_data
        return [data["by"], *([data["then_by"]] if data["then_by"] else [])]

    def filters(self) -> dict[str, list[str]]:
        return {
            code: list(self.cleaned_data[code])
            for code in self.dimensions
            if self.cleaned_data.get(code)
        }

    def main_filter_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in MAIN_FILTERS]

    def more_filter_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in self.dimensions if code not in MAIN_FILTERS]

    def more_filters_open(self) -> bool:
        """The "more filters" section starts open when one of them is used or wrong."""
        return any(self.data.get(field.name) or field.errors for field in self.more_filter_fields())
