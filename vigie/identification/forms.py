"""The screening form: the catalogue's indicators grouped by dimension, plain words first."""

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .catalogue import Catalogue

# The engine's situation vocabulary (identification issue), in the words of a social worker.
SITUATIONS: list[tuple[str, Any]] = [
    ("prostitution", _("Sexual acts for money or any advantage (physical or virtual)")),
    ("online_sexual_exploitation", _("Webcam shows, sexual images of the child, sextortion")),
    ("offences_under_constraint", _("Made by others to commit crimes or offences")),
    ("begging", _("Made to beg for others")),
    ("labour", _("Work for others")),
    ("domestic_work", _("Household work for others")),
    ("forced_marriage", _("Forced marriage")),
    ("sold_or_given_away", _("Sold or given away (money, benefit, illegal adoption)")),
    ("organ_removal", _("Removal of organs")),
    ("moved_by_third_party", _("Recruited, transported or transferred by someone")),
    ("housed_by_third_party", _("Housed or received by someone who controls the child")),
]


class ScreeningForm(forms.Form):
    age = forms.IntegerField(
        label=_("Age (years)"),
        required=False,
        min_value=0,
        max_value=25,
        help_text=_("Stated or estimated. Leave empty if not known."),
    )
    age_doubt = forms.BooleanField(
        label=_("Age disputed, estimated, or documents contested"),
        required=False,
        help_text=_("In doubt, the young person is presumed to be a minor."),
    )
    unaccompanied = forms.BooleanField(
        label=_("No parent or legal representative in France"), required=False
    )
    drug_dependence = forms.BooleanField(
        label=_("Dependent on drugs or medication supplied by others"), required=False
    )
    disability = forms.BooleanField(label=_("Disability"), required=False)
    situations = forms.MultipleChoiceField(
        label=_("What the young person is made to do, or lives"),
        choices=SITUATIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    complete = forms.BooleanField(
        label=_("I went through the whole grid"),
        required=False,
        help_text=_("Tick only if every indicator below was considered."),
    )

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = (get_language() or "fr")[:2]
        self.dimension_fields: list[str] = []
        for dimension in catalogue.dimensions.values():
            choices = [
                (indicator.id, indicator.label.get(language) or indicator.label["fr"])
                for indicator in catalogue.indicators.values()
                if indicator.dimension == dimension.id
            ]
            name = f"indicators_{dimension.id}"
            self.fields[name] = forms.MultipleChoiceField(
                label=dimension.label.get(language) or dimension.label["fr"],
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
            self.dimension_fields.append(name)

    def engine_input(self) -> dict[str, Any]:
        data = self.cleaned_data
        payload: dict[str, Any] = {
            "age_doubt": data["age_doubt"],
            "situations": list(data["situations"]),
            "indicators": [i for name in self.dimension_fields for i in data[name]],
            "unaccompanied": data["unaccompanied"],
            "drug_dependence": data["drug_dependence"],
            "disability": data["disability"],
            "complete": data["complete"],
        }
        if data["age"] is not None:
            payload["age"] = data["age"]
        return payload
