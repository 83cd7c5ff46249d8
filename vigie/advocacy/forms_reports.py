"""Forms of the alternative report's pages. Rules live in services/reports.py."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vigie.monitoring.dimensions import build_dimensions
from vigie.monitoring.models import Release, ReleaseStatus

from .models import Recommendation, Theme

_TEXTAREA = {"rows": 6}


class ReleaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.reference_date.isoformat()}, ε = {obj.epsilon:g})"


def _release_field() -> ReleaseChoiceField:
    return ReleaseChoiceField(
        label=_("Statistics release"),
        # Only published releases are offered; the service refuses any other (issue 8).
        queryset=Release.objects.filter(status=ReleaseStatus.PUBLISHED)
        .defer("tables")
        .order_by("-published_at"),
        required=False,
        help_text=_("The report's figures are read from this published release."),
    )


class ReportCreateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=[("fr", "Français"), ("en", "English")]
    )
    release = _release_field()


class ReportForm(ReportCreateForm):
    executive_summary = forms.CharField(
        label=_("Executive summary"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )
    member_organisations = forms.CharField(
        label=_("Member organisations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One organisation per line."),
    )
    annexes = forms.CharField(
        label=_("Annexes"), required=False, widget=forms.Textarea(attrs=_TEXTAREA)
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.all(), required=False)
    observations = forms.CharField(
        label=_("Observations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Paragraphs separated by a blank line. Embed a figure of this section by writing its "
            "mark, e.g. [figure:1]."
        ),
    )
    violations = forms.CharField(
        label=_("Violations of the rights of the child"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
    )
    recommendations = forms.ModelMultipleChoiceField(
        label=_("Recommendations"),
        queryset=Recommendation.objects.order_by("reference"),
        required=False,
        # core/form_fields.html gives a multiple select a legend, not a <label>: name it too.
        widget=forms.SelectMultiple(attrs={"size": 8, "aria-label": _("Recommendations")}),
    )
    questions = forms.CharField(
        label=_("Questions to the Committee"),
        required=False,
        widget=forms.Textarea(attrs=_TEXTAREA),
        help_text=_("One question per paragraph, separated by a blank line."),
    )


TOTAL = "total"


def cell_value(table: list[str], cell: list[str]) -> str:
    """The option value naming a cell: "form,gender:forced_begging,girl", "total" for []."""
    return f"{','.join(table)}:{','.join(cell)}" if table else TOTAL


def cell_parse(value: str) -> tuple[list[str], list[str]]:
    if value == TOTAL:
        return [], []
    table, _sep, cell = value.partition(":")
    return table.split(","), cell.split(",")


def cell_choices(release: Release) -> list[tuple[str, list[tuple[str, str]]]]:
    """The release's tables, each a group of its cells with their published value."""
    dims = build_dimensions(release.reference_date)
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for stored in release.tables:
        attributes = list(stored["attributes"])
        if not all(name in dims for name in attributes):
            continue
        title = " / ".join(str(dims[name].label) for name in attributes) or str(_("Total"))
        options = []
        for entry in stored["cells"]:
            key = list(entry["key"])
            words = ", ".join(
                dims[name].value_label(value) for name, value in zip(attributes, key, strict=True)
            ) or str(_("Total"))
            shown = f"< {release.threshold}" if entry["count"] is None else str(entry["count"])
            options.append((cell_value(attributes, key), f"{words} ({shown})"))
        groups.append((title, options))
    return groups


class FigureForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=300,
        help_text=_("What the figure counts, e.g. “Girls in forced begging”."),
    )
    cell = forms.ChoiceField(label=_("Table and cell"))

    def __init__(self, *args: Any, release: Release | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["cell"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 (declared just above)
        field.choices = [("", "---------"), *cell_choices(release)] if release else []

    def clean_cell(self) -> tuple[list[str], list[str]]:
        return cell_parse(self.cleaned_data["cell"])
