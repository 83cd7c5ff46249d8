from typing import Any

from django import template
from django.utils.translation import get_language

from vigie.cases.models import ExploitationForm
from vigie.identification.catalogue import Catalogue
from vigie.identification.labels import ACTION_LABELS

register = template.Library()


def _language() -> str:
    return (get_language() or "fr")[:2]


@register.filter
def language_text(texts: Any, language: str) -> str:
    """{"fr": ..., "en": ...} -> the text in the page's language (French when missing)."""
    if not isinstance(texts, dict):
        return str(texts or "")
    return str(texts.get(language[:2]) or texts.get("fr") or "")


@register.filter
def form_label(code: str) -> str:
    return str(dict(ExploitationForm.choices).get(code, code))


@register.filter
def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


@register.filter
def dimension_label(dimension_id: str, catalogue: Catalogue) -> str:
    dimension = catalogue.dimensions.get(dimension_id)
    return language_text(dimension.label, _language()) if dimension else dimension_id


@register.filter
def indicator_label(indicator_id: str, catalogue: Catalogue) -> str:
    indicator = catalogue.indicators.get(indicator_id)
    return language_text(indicator.label, _language()) if indicator else indicator_id
