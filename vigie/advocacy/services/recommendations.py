"""Entering and editing recommendations, and linking the same demand made by several bodies.

The official frameworks (CRC concluding observations, national plan…) are loaded as structure
only: their paragraphs are entered here by the users, from the documents themselves. Every
change writes a TrackerChange in the same transaction (before/after of the changed fields).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from vigie.audit.services import Actor

from ..models import Framework, Recommendation, RecommendationKind, Theme
from .tracker import _change_record, _check_may_edit, recommendation_save_search_text

EDITABLE = (
    "reference",
    "kind",
    "section",
    "text_en",
    "text_fr",
    "articles",
    "sdg_targets",
    "authorities",
)


@dataclass(frozen=True)
class RecommendationData:
    framework: Framework
    reference: str
    kind: str
    section: str = ""
    text_en: str = ""
    text_fr: str = ""
    themes: tuple[Theme, ...] = ()
    articles: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)


def _checked(data: RecommendationData, current: Recommendation | None) -> None:
    errors: dict[str, str] = {}
    reference = data.reference.strip()
    if not reference:
        errors["reference"] = _("Give the reference the document uses (e.g. its paragraph).")
    elif (
        Recommendation.objects.filter(reference=reference)
        .exclude(pk__in=[current.pk] if current else [])
        .exists()
    ):
        errors["reference"] = _("Another recommendation already has this reference.")
    if data.kind not in RecommendationKind.values:
        errors["kind"] = _("Choose a kind.")
    if not (data.text_en.strip() or data.text_fr.strip()):
        errors["text_fr"] = _("Give the text, in French or in English.")
    if errors:
        raise ValidationError(errors)


def _snapshot(recommendation: Recommendation) -> dict[str, object]:
    values: dict[str, object] = {name: getattr(recommendation, name) for name in EDITABLE}
    values["framework"] = recommendation.framework.code
    values["themes"] = sorted(recommendation.themes.values_list("code", flat=True))
    return values


@transaction.atomic
def recommendation_save(
    *, actor: Actor, data: RecommendationData, recommendation: Recommendation | None = None
) -> Recommendation:
    """Create (``recommendation`` None) or change a recommendation; its history records both."""
    _check_may_edit(actor)
    _checked(data, recommendation)
    before = _snapshot(recommendation) if recommendation else {}
    if recommendation is None:
        recommendation = Recommendation(created_by=actor.user)
    recommendation.framework = data.framework
    recommendation.reference = data.reference.strip()
    recommendation.kind = data.kind
    recommendation.section = data.section.strip()
    recommendation.text_en = data.text_en.strip()
    recommendation.text_fr = data.text_fr.strip()
    recommendation.articles = [a.strip() for a in data.articles if a.strip()]
    recommendation.sdg_targets = [t.strip() for t in data.sdg_targets if t.strip()]
    recommendation.authorities = [a.strip() for a in data.authorities if a.strip()]
    recommendation.save()
    recommendation.themes.set(data.themes)
    recommendation_save_search_text(recommendation=recommendation)
    after = _snapshot(recommendation)
    changed = {name: value for name, value in after.items() if before.get(name) != value}
    _change_record(
        actor=actor,
        recommendation=recommendation,
        action="recommendation_edit" if before else "recommendation_add",
        details={"before": {k: before.get(k) for k in changed}, "after": changed},
    )
    return recommendation


@transaction.atomic
def recommendations_link(
    *, actor: Actor, recommendation: Recommendation, other_reference: str, linked: bool = True
) -> Recommendation:
    """Record (or remove) that ``recommendation`` and the one called ``other_reference`` make
    the same demand; both histories say so."""
    _check_may_edit(actor)
    other = Recommendation.objects.filter(reference=other_reference.strip()).first()
    if other is None:
        raise ValidationError({"reference": _("No recommendation has this reference.")})
    if other.pk == recommendation.pk:
        raise ValidationError({"reference": _("A recommendation cannot be linked to itself.")})
    if linked:
        recommendation.related.add(other)
    else:
        recommendation.related.remove(other)
    action = "related_add" if linked else "related_remove"
    for one, two in ((recommendation, other), (other, recommendation)):
        _change_record(
            actor=actor, recommendation=one, action=action, details={"other": two.reference}
        )
    return other
