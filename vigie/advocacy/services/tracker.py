"""Writing the recommendations tracker: assessments, their evidence, measures, and the history.

Every change is checked ("may this person edit the tracker?", "is the input sound?") before
anything is written, and writes one TrackerChange (action, details before/after) in the same
transaction: the history cannot miss a change, and a refused change leaves nothing behind.
Only published figures may be evidence (figures.figure_read): a figure no published release
has is refused at once, naming the field.
"""

import uuid
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor
from vigie.monitoring.models import Release, ReleaseStatus

from ..figures import FigureUnavailable, figure_read
from ..models import (
    Assessment,
    AssessmentSource,
    AssessmentStatus,
    Evidence,
    EvidenceKind,
    Measure,
    Recommendation,
    TrackerChange,
)
from ..search import search_normalise

MEASURE_FIELDS = ("title", "indicator", "responsible", "due_on", "done_on")


def _check_may_edit(actor: Actor) -> None:
    if not (actor.user and actor.user.has_vigie_permission(Permission.ADVOCACY_EDIT)):
        raise PermissionDenied


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _change_record(
    *, actor: Actor | None, recommendation: Recommendation, action: str, details: dict[str, Any]
) -> TrackerChange:
    return TrackerChange.objects.create(
        recommendation=recommendation,
        changed_by=actor.user if actor else None,
        action=action,
        details=details,
    )


def recommendation_search_text(recommendation: Recommendation) -> str:
    """Everything the search reads: reference, both texts, framework, themes, articles…"""
    framework = recommendation.framework
    parts = [
        recommendation.reference,
        recommendation.section,
        recommendation.text_fr,
        recommendation.text_en,
        framework.code,
        framework.name_fr,
        framework.name_en,
        framework.document_reference,
        *recommendation.articles,
        *recommendation.sdg_targets,
        *recommendation.authorities,
        *recommendation.crc_clusters,
    ]
    if recommendation.pk:
        for theme in recommendation.themes.all():
            parts += [theme.code, theme.title_fr, theme.title_en]
    return search_normalise(" ".join(str(part) for part in parts if part))


def recommendation_save_search_text(*, recommendation: Recommendation) -> None:
    """Refresh ``search_text`` (after the recommendation, its themes or its framework change)."""
    recommendation.search_text = recommendation_search_text(recommendation)
    Recommendation.objects.filter(pk=recommendation.pk).update(
        search_text=recommendation.search_text
    )


def _latest_status(recommendation: Recommendation, source: str) -> str | None:
    latest = (
        Assessment.objects.filter(recommendation=recommendation, source=source)
        .order_by("-assessed_on", "-created_at")
        .values_list("status", flat=True)
        .first()
    )
    return latest


@transaction.atomic
def assessment_add(
    *,
    actor: Actor,
    recommendation: Recommendation,
    source: str,
    assessed_on: date,
    status: str,
    rationale: str,
) -> Assessment:
    """Our dated assessment of a recommendation, or the State's claim about it, kept apart."""
    _check_may_edit(actor)
    errors: dict[str, str] = {}
    if source not in AssessmentSource.values:
        errors["source"] = _("Choose whose assessment this is.")
    if status not in AssessmentStatus.values:
        errors["status"] = _("Choose a status.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The date cannot be in the future.")
    if not rationale.strip():
        errors["rationale"] = _("Give the reasons for this status.")
    if errors:
        raise ValidationError(errors)
    before = _latest_status(recommendation, source)
    assessment = Assessment.objects.create(
        recommendation=recommendation,
        source=source,
        assessed_on=assessed_on,
        status=status,
        rationale=rationale.strip(),
        assessor=actor.user,
        created_by=actor.user,
    )
    _change_record(
        actor=actor,
        recommendation=recommendation,
        action="assessment_add",
        details={
            "assessment": str(assessment.uuid),
            "source": source,
            "before": {"status": before},
            "after": {"status": status, "assessed_on": assessed_on.isoformat()},
        },
    )
    return assessment


def _figure_error(table: list[str], cell: list[str], release: Release | None) -> ValidationError:
    """Which field is wrong: the table (no published release has it) or the cell."""
    releases = [release] if release else Release.objects.filter(status=ReleaseStatus.PUBLISHED)
    has_table = any(
        sorted(stored["attributes"]) == sorted(table) for r in releases for stored in r.tables
    )
    if not has_table:
        return ValidationError(
            {
                "table": _("No published release has this table: %(table)s.")
                % {"table": ", ".join(table) or _("total")}
            }
        )
    return ValidationError(
        {
            "cell": _("This table has no such cell in a published release: %(cell)s.")
            % {"cell": ", ".join(cell) or _("total")}
        }
    )


@transaction.atomic
def evidence_add(
    *,
    actor: Actor,
    assessment: Assessment,
    kind: str,
    title: str,
    url: str = "",
    note: str = "",
    table: list[str] | None = None,
    cell: list[str] | None = None,
    release_uuid: uuid.UUID | None = None,
) -> Evidence:
    """A document, a link, or a figure of a published release (live when no release is given:
    it then follows the latest published release that has its table)."""
    _check_may_edit(actor)
    table, cell = list(table or []), list(cell or [])
    errors: dict[str, str] = {}
    if kind not in EvidenceKind.values:
        errors["kind"] = _("Choose the kind of evidence.")
    if not title.strip():
        errors["title"] = _("Give the evidence a title.")
    if kind == EvidenceKind.LINK and not url:
        errors["url"] = _("A link needs its address.")
    release: Release | None = None
    if kind == EvidenceKind.FIGURE:
        if release_uuid is not None:
            release = Release.objects.filter(
                uuid=release_uuid, status=ReleaseStatus.PUBLISHED
            ).first()
            if release is None:
                errors["release"] = _("Only a published release can be the source of a figure.")
        if len(table) != len(cell):
            errors["cell"] = _("Give one value for each dimension of the table.")
    if errors:
        raise ValidationError(errors)
    figure_text = None
    if kind == EvidenceKind.FIGURE:
        try:
            figure = figure_read(table, cell, release)
        except FigureUnavailable:
            raise _figure_error(table, cell, release) from None
        figure_text = figure.text()
    else:
        table, cell = [], []
    evidence = Evidence.objects.create(
        assessment=assessment,
        kind=kind,
        title=title.strip(),
        url=url,
        note=note.strip(),
        release=release,
        table=table,
        cell=cell,
        created_by=actor.user,
    )
    _change_record(
        actor=actor,
        recommendation=assessment.recommendation,
        action="evidence_add",
        details={
            "assessment": str(assessment.uuid),
            "evidence": str(evidence.uuid),
            "before": None,
            "after": {
                "kind": kind,
                "title": evidence.title,
                "url": url,
                "table": table,
                "cell": cell,
                "release": str(release.uuid) if release else None,
                "value_when_added": figure_text,
            },
        },
    )
    return evidence


def _measure_check(title: str, due_on: date | None, done_on: date | None) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Say what the measure is.")
    if done_on is not None and done_on > timezone.localdate():
        errors["done_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_add(
    *,
    actor: Actor,
    recommendation: Recommendation,
    title: str,
    indicator: str = "",
    responsible: str = "",
    due_on: date | None = None,
) -> Measure:
    _check_may_edit(actor)
    _measure_check(title, due_on, None)
    measure = Measure.objects.create(
        recommendation=recommendation,
        title=title.strip(),
        indicator=indicator.strip(),
        responsible=responsible.strip(),
        due_on=due_on,
        created_by=actor.user,
    )
    _change_record(
        actor=actor,
        recommendation=recommendation,
        action="measure_add",
        details={
            "measure": str(measure.uuid),
            "before": None,
            "after": {name: _json(getattr(measure, name)) for name in MEASURE_FIELDS},
        },
    )
    return measure


@transaction.atomic
def measure_update(*, actor: Actor, measure: Measure, **changes: Any) -> Measure:
    """Change some of title, indicator, responsible, due_on, done_on; the history keeps both."""
    _check_may_edit(actor)
    unknown = sorted(set(changes) - set(MEASURE_FIELDS))
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    before = {name: getattr(measure, name) for name in changes}
    after = {name: changes[name] for name in changes}
    for name in ("title", "indicator", "responsible"):
        if name in after:
            after[name] = (after[name] or "").strip()
    merged = {name: getattr(measure, name) for name in MEASURE_FIELDS} | after
    _measure_check(merged["title"], merged["due_on"], merged["done_on"])
    changed = [name for name in after if after[name] != before[name]]
    if not changed:
        return measure
    for name in changed:
        setattr(measure, name, after[name])
    measure.save(update_fields=[*changed, "updated_at"])
    _change_record(
        actor=actor,
        recommendation=measure.recommendation,
        action="measure_update",
        details={
            "measure": str(measure.uuid),
            "before": {name: _json(before[name]) for name in changed},
            "after": {name: _json(after[name]) for name in changed},
        },
    )
    return measure


def measures_due(*, today: date, within_days: int = 30) -> QuerySet[Measure]:
    """Reminders: measures not done whose due date is past or within ``within_days``."""
    return (
        Measure.objects.filter(done_on__isnull=True, due_on__lte=today + timedelta(within_days))
        .select_related("recommendation__framework")
        .order_by("due_on", "title")
    )
