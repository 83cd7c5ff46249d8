"""The worker's daily view: what needs doing, across one's cases (home page and, in counts,
the daily digests of vigie/rights/digests.py).

Sections (issue 5, "Alerts and the daily view"): overdue and soon-due rights, 18th birthdays in
the next six months, age appeals pending for more than three months (the seeds: an appeal to the
juvenile judge can take up to 18 months, while the young person is left without protection),
current hotel or street placements (a rights violation: Collective 2022 §IV, ECPAT 2007 §III)
and ad hoc administrators not yet appointed (CPP art. 706-50, "without delay").

Built to stay fast with a million files: each section reads one or two indexed queries with a
LIMIT, its count is only taken when the page of rows is full and then capped (COUNT over a
LIMITed subquery), and only the rows read are completed (their rights) or decrypted (birth
dates). Nothing loops in Python over an organisation's cases.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import models
from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import (
    ACTIVE_STATUSES,
    RIGHTS_VIOLATION_PLACEMENTS,
    AgeAppeal,
    Case,
    PlacementKind,
)

from .models import OPEN_STATES, RightItem
from .selectors import DUE_SOON_DAYS, right_title

SECTION_ROWS = 20
# "and N more" never costs more than counting this many index entries.
COUNT_CAP = 200
MAJORITY_WINDOW_MONTHS = 6
APPEAL_ALERT_MONTHS = 3
# The catalogue id of the right to an ad hoc administrator (vigie/rights/catalogue/).
AD_HOC_ADMINISTRATOR_RIGHT = "ad_hoc_administrator"

# What a row of the daily view needs from a case: no encrypted column but the birth date, which
# only the birthday section loads (and decrypts) for the rows it shows.
CASE_ROW_FIELDS = (
    "uuid",
    "reference",
    "organisation",
    "assigned_to",
    "status",
    "age_disputed",
    "unaccompanied",
    "next_due_on",
    "majority_month",
    "identified_on",
    "ad_hoc_administrator_requested_on",
)


class AlertKind(models.TextChoices):
    OVERDUE = "overdue", _("Overdue rights")
    DUE_SOON = "due_soon", _("Rights due within 14 days")  # DUE_SOON_DAYS
    MAJORITY = "majority", _("18th birthdays in the next six months")
    AGE_APPEAL = "age_appeal", _("Age appeals pending for more than three months")
    UNSAFE_PLACEMENT = "unsafe_placement", _("Placed in a hotel or in the street")
    AD_HOC_ADMINISTRATOR = "ad_hoc_administrator", _("Ad hoc administrator not yet appointed")


@dataclass(frozen=True)
class DueRight:
    right_id: str
    title: str
    due_on: date


@dataclass(frozen=True)
class AlertRow:
    """One case in one section, with the detail that section shows."""

    case: Case
    # The date that matters: the earliest deadline, the 18th birthday, the appeal's filing, the
    # placement's start or the request for an ad hoc administrator.
    on: date | None = None
    rights: tuple[DueRight, ...] = ()
    months: int | None = None
    placement_kind: str = ""

    @property
    def placement_label(self) -> str:
        return str(PlacementKind(self.placement_kind).label) if self.placement_kind else ""


@dataclass(frozen=True)
class AlertSection:
    kind: AlertKind
    rows: tuple[AlertRow, ...]
    # How many cases (appeals, placements) the section holds, at most COUNT_CAP.
    total: int

    @property
    def label(self) -> str:
        return str(self.kind.label)

    @property
    def more(self) -> int:
        return max(self.total - len(self.rows), 0)

    @property
    def capped(self) -> bool:
        return self.total >= COUNT_CAP


@dataclass(frozen=True)
class DailyView:
    today: date
    whole_organisation: bool
    sections: tuple[AlertSection, ...] = field(default=())

    @property
    def alert_count(self) -> int:
        return sum(section.total for section in self.sections)

    @property
    def cases(self) -> list[Case]:
        """Every case shown, once, in the order of the sections."""
        seen: dict[int, Case] = {}
        for section in self.sections:
            for row in section.rows:
                seen.setdefault(row.case.pk, row.case)
        return list(seen.values())


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), on the month's last day when it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


# --- Scope -------------------------------------------------------------------------------------


def _cases_in_scope(user: User) -> QuerySet[Case]:
    """Active files of the user's own organisation; a caseworker's own, a coordinator's all.

    Through the central visibility rule (which already leaves archived files out). A file
    another organisation shares with this one stays its owner's to act on: no alert here.
    """
    if user.organisation_id is None:
        return Case.objects.none()
    cases = Case.objects.visible_to(user).filter(
        organisation_id=user.organisation_id, status__in=ACTIVE_STATUSES
    )
    if not user.has_vigie_permission(Permission.CASE_ASSIGN):
        cases = cases.filter(assigned_to=user)
    return cases


def _total(ordered: QuerySet[Any], fetched: int) -> int:
    """A count only when the page of rows is full, and never past COUNT_CAP matches.

    ``ordered`` is in its index's order, kept in the counting subquery so that the planner
    walks that index and stops at the cap (a bare COUNT could hash-join whole tables).
    """
    if fetched < SECTION_ROWS:
        return fetched
    return ordered[:COUNT_CAP].count()


# --- Sections ----------------------------------------------------------------------------------


def _deadlines(
    kind: AlertKind, cases: QuerySet[Case], *, after: date | None, until: date
) -> AlertSection:
    """Cases whose earliest open deadline (Case.next_due_on, kept by the rights plan) falls in
    [after, until]; each case sits in its most urgent section only (overdue before due soon).
    Index: (organisation | assigned_to, next_due_on)."""
    matches = cases.filter(next_due_on__lte=until)
    if after:
        matches = matches.filter(next_due_on__gte=after)
    ordered = matches.order_by("next_due_on")
    shown = list(ordered.only(*CASE_ROW_FIELDS)[:SECTION_ROWS])
    rights = RightItem.objects.filter(
        case_id__in=[case.pk for case in shown], state__in=OPEN_STATES, due_on__lte=until
    )
    if after:
        rights = rights.filter(due_on__gte=after)
    by_case: dict[int, list[DueRight]] = defaultdict(list)
    for case_id, right_id, due_on in rights.order_by("due_on", "right_id").values_list(
        "case_id", "right_id", "due_on"
    ):
        if due_on is not None:  # always, given the filter; for the type checker
            by_case[case_id].append(DueRight(right_id, right_title(right_id), due_on))
    rows = tuple(
        AlertRow(case=case, on=case.next_due_on, rights=tuple(by_case[case.pk])) for case in shown
    )
    return AlertSection(kind, rows, _total(ordered, len(shown)))


def _majority(cases: QuerySet[Case], today: date) -> AlertSection:
    """18th birthdays from today to six months on, the presumption of minority applied.

    Found by the month of majority (index (organisation | assigned_to, majority_month)), then
    refined with the exact date for the rows read only: a child born on 3 March turning 18 this
    month is already an adult on the 10th. Twice a page is read so that those dropped leave the
    page full. Rows follow the month, then the exact date among the rows read. A disputed age
    keeps the latest possible date (31 December of the year): the young person still shows,
    presumed a minor.
    """
    horizon = add_months(today, MAJORITY_WINDOW_MONTHS)
    ordered = cases.filter(
        majority_month__gte=today.replace(day=1), majority_month__lte=horizon.replace(day=1)
    ).order_by("majority_month")
    read = list(ordered.only(*CASE_ROW_FIELDS, "birth_date", "birth_year")[: 2 * SECTION_ROWS])
    within = []
    for case in read:
        majority = case.majority_on or case.majority_month
        if majority is not None and today <= majority <= horizon:
            within.append(AlertRow(case=case, on=majority))
    within.sort(key=lambda row: (row.on or today, row.case.reference))
    rows = tuple(within[:SECTION_ROWS])
    if len(read) < 2 * SECTION_ROWS:
        total = len(within)
    else:
        # Past the rows read the count goes by month: the first and last months may hold a few
        # birthdays just outside the window.
        total = max(ordered[:COUNT_CAP].count() - (len(read) - len(within)), len(within))
    return AlertSection(AlertKind.MAJORITY, rows, total)


def _age_appeals(cases: QuerySet[Case], today: date, *, many: bool) -> AlertSection:
    """Appeals filed three months ago or more and still undecided, the longest first.

    For a whole organisation (``many``), a join in the order of the index AgeAppeal
    (decided_on, filed_on): the same order as filed_on alone, decided_on being null all along,
    but one the planner can walk, checking each appeal's case by primary key until the LIMIT.
    A caseworker's few files are read first, each with its oldest pending appeal looked up by
    case (SQLite would otherwise walk every pending appeal: its statistics count NULLs apart).
    """
    cutoff = add_months(today, -APPEAL_ALERT_MONTHS)
    ordered: QuerySet[Case]
    if many:
        ordered = (
            cases.filter(age_appeals__decided_on__isnull=True, age_appeals__filed_on__lte=cutoff)
            .annotate(appeal_filed_on=F("age_appeals__filed_on"))
            .order_by("age_appeals__decided_on", "age_appeals__filed_on", "pk")
        )
    else:
        oldest_pending = AgeAppeal.objects.filter(
            case=OuterRef("pk"), decided_on__isnull=True, filed_on__lte=cutoff
        ).order_by("filed_on")
        ordered = (
            cases.annotate(appeal_filed_on=Subquery(oldest_pending.values("filed_on")[:1]))
            .filter(appeal_filed_on__isnull=False)
            .order_by("appeal_filed_on", "pk")
        )
    shown = list(ordered.only(*CASE_ROW_FIELDS)[:SECTION_ROWS])
    rows = tuple(
        AlertRow(
            case=case,
            on=case.appeal_filed_on,
            months=months_between(case.appeal_filed_on, today),
        )
        for case in shown
    )
    return AlertSection(AlertKind.AGE_APPEAL, rows, _total(ordered, len(shown)))


def _unsafe_placements(cases: QuerySet[Case], *, many: bool) -> AlertSection:
    """Current placements in a hotel or the street, each with the day it started.

    A caseworker's, the oldest first. For a whole organisation (``many``), in the order of the
    index Placement (kind, ended_on): hotels then the street, in recording order -- sorting by
    start date would read every open placement of every organisation before the first row.
    """
    ordered = cases.filter(
        placements__kind__in=sorted(RIGHTS_VIOLATION_PLACEMENTS),
        placements__ended_on__isnull=True,
    ).order_by(
        *(
            ("placements__kind", "placements__ended_on")
            if many
            else ("placements__started_on", "pk")
        )
    )
    shown = list(
        ordered.only(*CASE_ROW_FIELDS).annotate(
            placement_kind=F("placements__kind"), placement_started_on=F("placements__started_on")
        )[:SECTION_ROWS]
    )
    rows = tuple(
        AlertRow(case=case, on=case.placement_started_on, placement_kind=case.placement_kind)
        for case in shown
    )
    return AlertSection(AlertKind.UNSAFE_PLACEMENT, rows, _total(ordered, len(shown)))


def _ad_hoc_administrators(cases: QuerySet[Case], today: date) -> AlertSection:
    """Presumed minors without an appointed ad hoc administrator who need one: unaccompanied,
    or whose plan holds the right open. The nearest 18th birthday first: at 18 the protection
    the administrator brings is lost. Index: (organisation | assigned_to, majority_month), the
    files of unknown age (no month: presumed minors) after the dated ones.

    The right is reached by a LEFT JOIN on (case, right_id), unique, so probed by index row by
    row: an OR with EXISTS would let the planner hash every open right of every organisation.
    """
    needing = (
        cases.alias(
            ad_hoc_right=FilteredRelation(
                "rights", condition=Q(rights__right_id=AD_HOC_ADMINISTRATOR_RIGHT)
            )
        )
        .filter(ad_hoc_administrator_appointed_on__isnull=True)
        .filter(Q(unaccompanied=True) | Q(ad_hoc_right__state__in=OPEN_STATES))
    )
    dated = needing.filter(majority_month__gte=today.replace(day=1)).order_by("majority_month")
    undated = needing.filter(majority_month__isnull=True).order_by("majority_month")
    shown = list(dated.only(*CASE_ROW_FIELDS)[:SECTION_ROWS])
    if len(shown) < SECTION_ROWS:
        shown += undated.only(*CASE_ROW_FIELDS)[: SECTION_ROWS - len(shown)]
    total = len(shown)
    if total == SECTION_ROWS:
        total = min(dated[:COUNT_CAP].count() + undated[:COUNT_CAP].count(), COUNT_CAP)
    rows = tuple(AlertRow(case=case, on=case.ad_hoc_administrator_requested_on) for case in shown)
    return AlertSection(AlertKind.AD_HOC_ADMINISTRATOR, rows, total)


def daily_view_compute(*, user: User, today: date) -> DailyView:
    """The sections for one person, without the read audit (callers record it)."""
    cases = _cases_in_scope(user)
    whole_organisation = user.has_vigie_permission(Permission.CASE_ASSIGN)
    sections = (
        _deadlines(AlertKind.OVERDUE, cases, after=None, until=today - timedelta(days=1)),
        _deadlines(
            AlertKind.DUE_SOON, cases, after=today, until=today + timedelta(days=DUE_SOON_DAYS)
        ),
        _majority(cases, today),
        _age_appeals(cases, today, many=whole_organisation),
        _unsafe_placements(cases, many=whole_organisation),
        _ad_hoc_administrators(cases, today),
    )
    return DailyView(
        today=today,
        whole_organisation=whole_organisation,
        sections=sections,
    )


def daily_view_for_user(*, actor: Actor, today: date | None = None) -> DailyView:
    """The home page's daily view; reading it is a list of case files, audited as one."""
    if actor.user is None:
        raise Http404
    view = daily_view_compute(user=actor.user, today=today or timezone.localdate())
    audit_record(actor=actor, action=AuditAction.CASE_LIST, objects=view.cases)
    return view
