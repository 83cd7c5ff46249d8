"""Forms of the tracker pages: search and filters, assessment, evidence, measure.

They read input only; the rules are the services' (vigie/advocacy/services/tracker.py).
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from vigie.monitoring.models import Release, ReleaseStatus

from .models import AssessmentSource, AssessmentStatus, EvidenceKind, RecommendationKind
from .search import RecommendationFilters
from .selectors_tracker import FilterChoices


def in_language(french: str, english: str) -> str:
    """The French or English wording, by the page's language, the other when one is empty."""
    if (get_language() or "fr").startswith("en"):
        return english or french
    return french or english


def _any(choices: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", _("Any")), *choices]


class RecommendationSearchForm(forms.Form):
    q = forms.CharField(label=_("Words to find"), required=False, max_length=200)
    framework = forms.ChoiceField(label=_("Framework"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    article = forms.ChoiceField(label=_("Article"), required=False)
    sdg_target = forms.ChoiceField(label=_("SDG target"), required=False)
    authority = forms.ChoiceField(label=_("Responsible authority"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_any(RecommendationKind.choices)
    )
    status = forms.ChoiceField(
        label=_("Status (our latest assessment)"),
        required=False,
        choices=_any(AssessmentStatus.choices),
    )

    def __init__(self, *args: Any, choices: FilterChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["framework"].choices = _any(  # type: ignore[attr-defined]
            [(f.code, in_language(f.name_fr, f.name_en)) for f in choices.frameworks]
        )
        fields["theme"].choices = _any(  # type: ignore[attr-defined]
            [(t.code, in_language(t.title_fr, t.title_en) or t.code) for t in choices.themes]
        )
        for name, values in (
            ("article", choices.articles),
            ("sdg_target", choices.sdg_targets),
            ("authority", choices.authorities),
        ):
            fields[name].choices = _any([(v, v) for v in values])  # type: ignore[attr-defined]

    def filters(self) -> RecommendationFilters:
        data = self.cleaned_data
        return RecommendationFilters(
            framework=data.get("framework") or "",
            theme=data.get("theme") or "",
            article=data.get("article") or "",
            sdg_target=data.get("sdg_target") or "",
            authority=data.get("authority") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class AssessmentForm(forms.Form):
    source = forms.ChoiceField(
        label=_("Whose assessment"),
        choices=AssessmentSource.choices,
        initial=AssessmentSource.ASSESSMENT,
        widget=forms.RadioSelect,
    )
    assessed_on = forms.DateField(label=_("Date"), widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=AssessmentStatus.choices)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 5}))


def _codes(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    url = forms.URLField(label=_("Address"), required=False, assume_scheme="https")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    table = forms.CharField(
        label=_("Table (figure)"),
        required=False,
        help_text=_(
            "Only for a figure: the table's dimensions separated by commas, e.g. “form, gender”; "
            "empty for the total."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    cell = forms.CharField(
        label=_("Cell (figure)"),
        required=False,
        help_text=_(
            "One value per dimension, in the same order, e.g. “forced_begging, girl”; empty for "
            "the total."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    release = forms.ChoiceField(
        label=_("Release (figure)"),
        required=False,
        help_text=_(
            "Empty: a live figure, read from the latest published release that has it. A release "
            "chosen: the figure stays the one this release published."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        releases = Release.objects.filter(status=ReleaseStatus.PUBLISHED).defer("tables")
        self.fields["release"].choices = [  # type: ignore[attr-defined]
            ("", _("Live: the latest published release")),
            *((str(r.uuid), r.name) for r in releases.order_by("-published_at")),
        ]

    def figure_table(self) -> list[str]:
        return _codes(self.cleaned_data.get("table") or "")

    def figure_cell(self) -> list[str]:
        return _codes(self.cleaned_data.get("cell") or "")


class MeasureForm(forms.Form):
    title = forms.CharField(label=_("Measure"), max_length=300)
    indicator = forms.CharField(label=_("Indicator"), max_length=300, required=False)
    responsible = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DateInput())
