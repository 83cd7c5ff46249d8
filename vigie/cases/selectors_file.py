"""Reads of the parts of one file (events, timeline, documents), for a case already obtained
(and audited) through case_get_for_user."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Case, CaseDocument, Placement


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a file's timeline.

    ``author`` is who recorded it ("" when the record does not say: a decision or an end added
    to an event later is in the audit trail, not on the row). ``text`` is a note's (decrypted)
    text. ``rights_violation`` is said in words by the template, never by colour alone.
    """

    on: date
    recorded_at: datetime
    kind: str
    kind_label: str
    summary: str
    author: str = ""
    text: str = ""
    rights_violation: bool = False
    # A line derived from a later date of a record (an appeal decided, a placement left).
    follow_up: bool = False


def _author(record: Any) -> str:
    user = record.created_by
    return user.full_name if user is not None else ""


def _period(placement: Placement) -> str:
    where = placement.get_kind_display()
    if placement.departement:
        where = f"{where} ({placement.departement})"
    return where


def _event_entries(case: Case) -> Iterator[TimelineEntry]:
    """Each event row gives one line for each date it carries (filed, decided, ended...)."""
    for assessment in case.age_assessments.select_related("created_by"):
        yield TimelineEntry(
            on=assessment.assessed_on,
            recorded_at=assessment.created_at,
            kind="age_assessment",
            kind_label=_("Age assessment"),
            summary=_("%(authority)s: %(outcome)s")
            % {
                "authority": assessment.get_authority_display(),
                "outcome": assessment.get_outcome_display(),
            },
            author=_author(assessment),
        )
    for appeal in case.age_appeals.select_related("created_by"):
        yield TimelineEntry(
            on=appeal.filed_on,
            recorded_at=appeal.created_at,
            kind="age_appeal",
            kind_label=_("Age appeal"),
            summary=_("Appeal to the juvenile judge filed."),
            author=_author(appeal),
        )
        if appeal.decided_on is not None:
            yield TimelineEntry(
                on=appeal.decided_on,
                recorded_at=appeal.updated_at,
                follow_up=True,
                kind="age_appeal",
                kind_label=_("Age appeal"),
                summary=_("Juvenile judge's decision: %(outcome)s")
                % {"outcome": appeal.get_outcome_display()},
            )
    for placement in case.placements.select_related("created_by"):
        yield TimelineEntry(
            on=placement.started_on,
            recorded_at=placement.created_at,
            kind="placement",
            kind_label=_("Accommodation"),
            summary=_("Placed: %(where)s") % {"where": _period(placement)},
            author=_author(placement),
            rights_violation=placement.is_rights_violation,
        )
        if placement.ended_on is not None:
            yield TimelineEntry(
                on=placement.ended_on,
                recorded_at=placement.updated_at,
                follow_up=True,
                kind="placement",
                kind_label=_("Accommodation"),
                summary=_("Left: %(where)s") % {"where": _period(placement)},
            )
    for proceeding in case.proceedings.select_related("created_by"):
        court = f" — {proceeding.court}" if proceeding.court else ""
        yield TimelineEntry(
            on=proceeding.opened_on,
            recorded_at=proceeding.created_at,
            kind="proceeding",
            kind_label=_("Legal proceeding"),
            summary=_("Proceeding opened: %(role)s") % {"role": proceeding.get_role_display()}
            + court,
            author=_author(proceeding),
        )
        if proceeding.closed_on is not None:
            yield TimelineEntry(
                on=proceeding.closed_on,
                recorded_at=proceeding.updated_at,
                follow_up=True,
                kind="proceeding",
                kind_label=_("Legal proceeding"),
                summary=_("Proceeding closed (%(role)s).")
                % {"role": proceeding.get_role_display()},
            )
    for hearing in case.hearings.select_related("created_by"):
        yield TimelineEntry(
            on=hearing.held_on,
            recorded_at=hearing.created_at,
            kind="hearing",
            kind_label=_("Hearing"),
            summary=_("%(place)s — %(recording)s")
            % {"place": hearing.get_place_display(), "recording": hearing.get_recording_display()},
            author=_author(hearing),
        )
    for claim in case.compensation_claims.select_related("created_by"):
        body = f" — {claim.body}" if claim.body else ""
        yield TimelineEntry(
            on=claim.filed_on,
            recorded_at=claim.created_at,
            kind="compensation",
            kind_label=_("Compensation"),
            summary=_("Compensation claim filed.") + body,
            author=_author(claim),
        )
        if claim.awarded_on is not None and claim.amount_awarded is not None:
            yield TimelineEntry(
                on=claim.awarded_on,
                recorded_at=claim.updated_at,
                follow_up=True,
                kind="compensation",
                kind_label=_("Compensation"),
                summary=_("Awarded: %(amount)s €")
                % {"amount": number_format(claim.amount_awarded, 2, force_grouping=True)},
            )
        if claim.paid_on is not None and claim.amount_paid is not None:
            yield TimelineEntry(
                on=claim.paid_on,
                recorded_at=claim.updated_at,
                follow_up=True,
                kind="compensation",
                kind_label=_("Compensation"),
                summary=_("Paid: %(amount)s €")
                % {"amount": number_format(claim.amount_paid, 2, force_grouping=True)},
            )


def timeline_for_case(*, case: Case) -> list[TimelineEntry]:
    """Notes, events, status changes and screenings of the file, newest first.

    One query per kind of record, whatever the length of the file.
    """
    entries = list(_event_entries(case))
    for note in case.notes.select_related("created_by"):
        entries.append(
            TimelineEntry(
                on=note.written_on,
                recorded_at=note.created_at,
                kind="note",
                kind_label=_("Note"),
                summary="",
                author=_author(note),
                text=note.text,
            )
        )
    for change in case.status_changes.select_related("created_by"):
        summary = _("Status: %(from)s → %(to)s") % {
            "from": change.get_from_status_display(),
            "to": change.get_to_status_display(),
        }
        if change.reason:
            summary = _("%(summary)s (reason: %(reason)s)") % {
                "summary": summary,
                "reason": change.reason,
            }
        entries.append(
            TimelineEntry(
                on=timezone.localdate(change.created_at),
                recorded_at=change.created_at,
                kind="status",
                kind_label=_("Status"),
                summary=summary,
                author=_author(change),
            )
        )
    for screening in case.screenings.select_related("created_by"):
        entries.append(
            TimelineEntry(
                on=timezone.localdate(screening.created_at),
                recorded_at=screening.created_at,
                kind="screening",
                kind_label=_("Screening"),
                summary=_("%(assessment)s (%(minor)s)")
                % {
                    "assessment": screening.get_assessment_display(),
                    "minor": screening.get_minor_display(),
                },
                author=_author(screening),
            )
        )
    # Same day: the later recorded first. Same instant (a move recorded at once ends the
    # previous placement): the new placement above the end of the old one.
    entries.sort(key=lambda entry: (entry.on, entry.recorded_at, not entry.follow_up), reverse=True)
    return entries


def documents_for_case(*, case: Case) -> list[CaseDocument]:
    """Newest first, without their content: a list never loads the files themselves."""
    return list(case.documents.defer("content").select_related("created_by"))
