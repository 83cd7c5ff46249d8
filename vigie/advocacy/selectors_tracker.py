"""Reading the tracker for its pages. Recommendations are shared by every organisation (public
documents and the associations' common assessments): anyone with ADVOCACY_VIEW reads them all;
an unknown uuid is a 404."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .figures import Figure, FigureUnavailable, figure_read
from .models import (
    Assessment,
    AssessmentSource,
    Evidence,
    EvidenceKind,
    Framework,
    Measure,
    Recommendation,
    Theme,
    TrackerChange,
)


def recommendation_get(recommendation_uuid: uuid.UUID) -> Recommendation:
    try:
        return (
            Recommendation.objects.select_related("framework")
            .prefetch_related("themes")
            .get(uuid=recommendation_uuid)
        )
    except Recommendation.DoesNotExist:
        raise Http404 from None


def assessment_get(assessment_uuid: uuid.UUID) -> Assessment:
    try:
        return Assessment.objects.select_related("recommendation__framework").get(
            uuid=assessment_uuid
        )
    except Assessment.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class ShownEvidence:
    evidence: Evidence
    # For a figure: its current value (live: from the latest published release having it).
    figure: Figure | None = None
    unavailable: bool = False

    @property
    def live(self) -> bool:
        return self.evidence.kind == EvidenceKind.FIGURE and self.evidence.release_id is None


@dataclass(frozen=True)
class ShownAssessment:
    assessment: Assessment
    evidence: list[ShownEvidence]


ACTION_LABELS: dict[str, Promise] = {
    "assessment_add": _("Assessment added"),
    "evidence_add": _("Evidence added"),
    "measure_add": _("Measure added"),
    "measure_update": _("Measure changed"),
}


@dataclass(frozen=True)
class HistoryEntry:
    change: TrackerChange
    label: str | Promise
    # (field, before, after) for each value the change set.
    fields: list[tuple[str, Any, Any]]


def history_entry(change: TrackerChange) -> HistoryEntry:
    details = change.details or {}
    before = details.get("before") or {}
    after = details.get("after") or {}
    fields = [
        (name, before.get(name), value)
        for name, value in after.items()
        if value not in ("", [], None)
    ]
    return HistoryEntry(change, ACTION_LABELS.get(change.action, change.action), fields)


@dataclass(frozen=True)
class RecommendationPage:
    recommendation: Recommendation
    related: list[Recommendation]
    assessments: list[ShownAssessment]  # ours
    claims: list[ShownAssessment]  # the State's
    measures: list[Measure]
    history: list[HistoryEntry]


def evidence_shown(evidence: Evidence) -> ShownEvidence:
    if evidence.kind != EvidenceKind.FIGURE:
        return ShownEvidence(evidence)
    try:
        figure = figure_read(list(evidence.table), list(evidence.cell), evidence.release)
    except FigureUnavailable:
        return ShownEvidence(evidence, unavailable=True)
    return ShownEvidence(evidence, figure=figure)


def recommendation_page(recommendation: Recommendation) -> RecommendationPage:
    assessments = list(
        recommendation.assessments.select_related("assessor").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("release"))
        )
    )
    shown = [ShownAssessment(a, [evidence_shown(e) for e in a.evidence.all()]) for a in assessments]
    return RecommendationPage(
        recommendation=recommendation,
        related=list(recommendation.related.select_related("framework")),
        assessments=[s for s in shown if s.assessment.source == AssessmentSource.ASSESSMENT],
        claims=[s for s in shown if s.assessment.source == AssessmentSource.STATE_CLAIM],
        measures=list(recommendation.measures.all()),
        history=[
            history_entry(change) for change in recommendation.changes.select_related("changed_by")
        ],
    )


@dataclass(frozen=True)
class FilterChoices:
    frameworks: list[Framework]
    themes: list[Theme]
    articles: list[str]
    sdg_targets: list[str]
    authorities: list[str]


def _listed(field: str) -> list[str]:
    values: set[str] = set()
    for listed in Recommendation.objects.values_list(field, flat=True):
        values.update(str(value) for value in listed or [])
    return sorted(values)


def filter_choices() -> FilterChoices:
    return FilterChoices(
        frameworks=list(Framework.objects.all()),
        themes=list(Theme.objects.select_related("framework")),
        articles=_listed("articles"),
        sdg_targets=_listed("sdg_targets"),
        authorities=_listed("authorities"),
    )
