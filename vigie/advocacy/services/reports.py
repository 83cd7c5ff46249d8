"""The alternative report: create it, write its sections, embed published figures.

Only published figures enter a report (issue 8): a report's figures are read from its chosen
release, which must be published, through vigie/advocacy/figures.py; a cell that release does
not have is refused with an error naming the field. Reading (``reports_list``, ``report_get``,
``section_get``) is here too: reports are shared by every advocacy reader, not scoped by
organisation, and an unknown UUID is a 404.
"""

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor
from vigie.monitoring.models import Release, ReleaseStatus

from ..figures import FigureUnavailable, figure_read
from ..models import Recommendation, Report, ReportFigure, ReportSection, Theme

LANGUAGES = ("fr", "en")
# How observations embed a figure of their section: "[figure:2]".
FIGURE_MARK = re.compile(r"\[figure:(\d+)\]")


def _check_edit(actor: Actor) -> None:
    if not (actor.user and actor.user.has_vigie_permission(Permission.ADVOCACY_EDIT)):
        raise PermissionDenied


# --- Reading ----------------------------------------------------------------------------------


def reports_list() -> QuerySet[Report]:
    return Report.objects.select_related("release").defer("release__tables")


def report_get(report_uuid: uuid.UUID) -> Report:
    try:
        return Report.objects.select_related("release").get(uuid=report_uuid)
    except Report.DoesNotExist:
        raise Http404 from None


def section_get(section_uuid: uuid.UUID) -> ReportSection:
    try:
        return ReportSection.objects.select_related("report__release", "theme").get(
            uuid=section_uuid
        )
    except ReportSection.DoesNotExist:
        raise Http404 from None


# --- The report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFields:
    title: str
    language: str
    release: Release | None
    executive_summary: str = ""
    member_organisations: str = ""
    annexes: str = ""


def _validated(fields: ReportFields, report: Report | None) -> ReportFields:
    errors: dict[str, str] = {}
    if not fields.title.strip():
        errors["title"] = _("Give the report a title.")
    if fields.language not in LANGUAGES:
        errors["language"] = _("Choose French or English.")
    release = fields.release
    if release is not None and release.status != ReleaseStatus.PUBLISHED:
        errors["release"] = _("Only a published release may provide a report's figures.")
    elif report is not None and report.pk is not None:
        # Changing the release: every figure already embedded must exist in the new one.
        for figure in ReportFigure.objects.filter(section__report=report):
            try:
                if release is None:
                    raise FigureUnavailable
                figure_read(list(figure.table), list(figure.cell), release)
            except FigureUnavailable:
                errors["release"] = _(
                    "The figure “%(label)s” is not published in this release: choose a release "
                    "that has it."
                ) % {"label": figure.label}
                break
    if errors:
        raise ValidationError(errors)
    return ReportFields(
        title=fields.title.strip(),
        language=fields.language,
        release=release,
        executive_summary=fields.executive_summary.strip(),
        member_organisations=fields.member_organisations.strip(),
        annexes=fields.annexes.strip(),
    )


@transaction.atomic
def report_create(*, actor: Actor, fields: ReportFields) -> Report:
    _check_edit(actor)
    checked = _validated(fields, None)
    return Report.objects.create(
        title=checked.title,
        language=checked.language,
        release=checked.release,
        executive_summary=checked.executive_summary,
        member_organisations=checked.member_organisations,
        annexes=checked.annexes,
        created_by=actor.user,
    )


@transaction.atomic
def report_update(*, actor: Actor, report: Report, fields: ReportFields) -> Report:
    _check_edit(actor)
    checked = _validated(fields, report)
    report.title = checked.title
    report.language = checked.language
    report.release = checked.release
    report.executive_summary = checked.executive_summary
    report.member_organisations = checked.member_organisations
    report.annexes = checked.annexes
    report.save()
    return report


# --- Sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionFields:
    title: str
    theme: Theme | None = None
    observations: str = ""
    violations: str = ""
    questions: str = ""
    recommendations: tuple[Recommendation, ...] = ()


def figure_marks(text: str) -> list[int]:
    """The figure numbers ``text`` embeds, in order."""
    return [int(number) for number in FIGURE_MARK.findall(text)]


def _section_validated(fields: SectionFields, section: ReportSection | None) -> SectionFields:
    errors: dict[str, str] = {}
    if not fields.title.strip():
        errors["title"] = _("Give the section a title.")
    numbers = set()
    if section is not None and section.pk is not None:
        numbers = set(section.figures.values_list("number", flat=True))
    missing = sorted(set(figure_marks(fields.observations)) - numbers)
    if missing:
        errors["observations"] = _(
            "The observations embed figures this section does not have: %(marks)s. Add the "
            "figure first."
        ) % {"marks": ", ".join(f"[figure:{number}]" for number in missing)}
    if errors:
        raise ValidationError(errors)
    return SectionFields(
        title=fields.title.strip(),
        theme=fields.theme,
        observations=fields.observations.strip(),
        violations=fields.violations.strip(),
        questions=fields.questions.strip(),
        recommendations=tuple(fields.recommendations),
    )


def _section_write(section: ReportSection, checked: SectionFields) -> ReportSection:
    section.title = checked.title
    section.theme = checked.theme
    section.observations = checked.observations
    section.violations = checked.violations
    section.questions = checked.questions
    section.save()
    section.recommendations.set(checked.recommendations)
    Report.objects.filter(pk=section.report_id).update(updated_at=section.updated_at)
    return section


@transaction.atomic
def section_add(*, actor: Actor, report: Report, fields: SectionFields) -> ReportSection:
    _check_edit(actor)
    checked = _section_validated(fields, None)
    last = report.sections.aggregate(last=Max("position"))["last"]
    section = ReportSection(report=report, position=(last or 0) + 1)
    return _section_write(section, checked)


@transaction.atomic
def section_update(*, actor: Actor, section: ReportSection, fields: SectionFields) -> ReportSection:
    _check_edit(actor)
    checked = _section_validated(fields, section)
    return _section_write(section, checked)


# --- Figures ----------------------------------------------------------------------------------


@transaction.atomic
def figure_add(
    *,
    actor: Actor,
    section: ReportSection,
    label: str,
    table: Iterable[str],
    cell: Iterable[str],
) -> ReportFigure:
    """A published figure of the report's release, numbered next in its section; the
    observations embed it as ``[figure:N]``."""
    _check_edit(actor)
    table, cell = list(table), list(cell)
    errors: dict[str, str] = {}
    if not label.strip():
        errors["label"] = _("Say what the figure counts.")
    release = section.report.release
    if release is None:
        errors["cell"] = _("Choose the report's statistics release first.")
    else:
        try:
            figure_read(table, cell, release)
        except FigureUnavailable:
            errors["cell"] = _(
                "The release “%(release)s” does not publish this cell: choose one of its tables."
            ) % {"release": release.name}
    if errors:
        raise ValidationError(errors)
    # Locks the section so that two figures added at once do not both take the same number.
    ReportSection.objects.select_for_update().filter(pk=section.pk).first()
    last = section.figures.aggregate(last=Max("number"))["last"]
    return ReportFigure.objects.create(
        section=section, number=(last or 0) + 1, label=label.strip(), table=table, cell=cell
    )
