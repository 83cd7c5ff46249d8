"""Forms entering a recommendation and linking two: input only, rules in
services/recommendations.py. Lists (articles, SDG targets, authorities) are typed one per line."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Framework, RecommendationKind, Theme
from .services.recommendations import RecommendationData


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class RecommendationForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.order_by("code"), to_field_name="code"
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=60,
        help_text=_("As the document numbers it, e.g. “CRC/C/FRA/CO/6-7 §45 (b)”."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RecommendationKind.choices)
    section = forms.CharField(label=_("Section"), max_length=20, required=False)
    text_fr = forms.CharField(
        label=_("Text (French)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    text_en = forms.CharField(
        label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("framework__code", "position", "code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    articles = forms.CharField(
        label=_("Articles (one per line, e.g. “CRC 34”, “OPSC 8”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    sdg_targets = forms.CharField(
        label=_("SDG targets (one per line, e.g. “8.7”)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    authorities = forms.CharField(
        label=_("Responsible authorities (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def data_for_service(self) -> RecommendationData:
        data: dict[str, Any] = self.cleaned_data
        return RecommendationData(
            framework=data["framework"],
            reference=data["reference"],
            kind=data["kind"],
            section=data["section"],
            text_en=data["text_en"],
            text_fr=data["text_fr"],
            themes=tuple(data["themes"]),
            articles=_lines(data["articles"]),
            sdg_targets=_lines(data["sdg_targets"]),
            authorities=_lines(data["authorities"]),
        )


def recommendation_initial(recommendation: Any) -> dict[str, Any]:
    return {
        "framework": recommendation.framework.code,
        "reference": recommendation.reference,
        "kind": recommendation.kind,
        "section": recommendation.section,
        "text_fr": recommendation.text_fr,
        "text_en": recommendation.text_en,
        "themes": list(recommendation.themes.all()),
        "articles": "\n".join(recommendation.articles),
        "sdg_targets": "\n".join(recommendation.sdg_targets),
        "authorities": "\n".join(recommendation.authorities),
    }


class LinkForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the recommendation making the same demand"), max_length=60
    )
