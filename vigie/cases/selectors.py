"""Every read of case files for a person. Each one writes its audit event: reading is audited."""

import base64
import binascii
import json
import re
import struct
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Q, QuerySet
from django.db.models.functions import Upper
from django.db.models.lookups import Exact, IsNull
from django.db.models.sql.compiler import SQLCompiler
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import User
from vigie.accounts.roles import CASE_ROLES
from vigie.audit.services import Actor, AuditAction, audit_record

from .models import (
    ACTIVE_STATUSES,
    CareStatus,
    Case,
    CaseNote,
    CaseStatus,
    ExploitationForm,
)
from .services.opening import full_name_index

CASE_LIST_PAGE_SIZE = 50
# "Due soon" in the list: the fortnight a worker plans ahead (the daily view's horizon too).
DUE_SOON_DAYS = 14
# The columns the list shows. Nothing encrypted: listing never decrypts an identity.
_LIST_COLUMNS = (
    "uuid",
    "organisation_id",
    "reference",
    "status",
    "identified_on",
    "exploitation_forms",
    "next_due_on",
    "assigned_to__uuid",
    "assigned_to__full_name",
)


def _require_user(actor: Actor) -> User:
    if actor.user is None:
        raise Http404
    return actor.user


def case_get_for_user(
    *,
    actor: Actor,
    case_uuid: uuid.UUID,
    action: AuditAction = AuditAction.CASE_VIEW,
) -> Case:
    """The only way to load one case from request input: out of scope is a 404.

    Only the organisation holding the file opens it whole. Another organisation reads the
    sections a referral shares through
    ``vigie.network.selectors_referrals.shared_file_get_for_user``.
    """
    user = _require_user(actor)
    cases = Case.objects.visible_to(user)
    case = cases.select_related("organisation", "assigned_to").filter(uuid=case_uuid).first()
    if case is None:
        raise Http404
    audit_record(actor=actor, action=action, objects=[case])
    return case


# --- The case list: filters, search and keyset pagination ---------------------------------------


class StatusFilter(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Files being worked on")
    ALL = "all", gettext_lazy("All statuses")


class RightsDue(models.TextChoices):
    OVERDUE = "overdue", gettext_lazy("A right is overdue")
    DUE_SOON = "due_soon", gettext_lazy("A right is due within 14 days")
    NONE = "none", gettext_lazy("No right with a due date")


class AgeBand(models.TextChoices):
    UNDER_13 = "under_13", gettext_lazy("Under 13")
    FROM_13_TO_15 = "13_15", gettext_lazy("13 to 15")
    FROM_16_TO_17 = "16_17", gettext_lazy("16 or 17")
    FROM_18_TO_21 = "18_21", gettext_lazy("18 to 21")
    UNKNOWN = "unknown", gettext_lazy("Age not known")


class WorkerFilter(models.TextChoices):
    MINE = "mine", gettext_lazy("My files")
    UNASSIGNED = "unassigned", gettext_lazy("No caseworker assigned")


@dataclass(frozen=True)
class CaseListFilters:
    """What the list asks for. Empty strings mean "any"; values are checked by the selector."""

    status: str = StatusFilter.ACTIVE
    rights_due: str = ""
    exploitation_form: str = ""
    age_band: str = ""
    care_status: str = ""
    # "", "mine", "unassigned", or the UUID of a caseworker of the person's organisation.
    worker: str = ""
    # A case reference (exact, any case) or a child's exact full name (through the blind index).
    search: str = ""


@dataclass(frozen=True)
class CaseCursor:
    """Where a page ends in the list's order (newest identification first, then UUID).

    The UUID breaks ties among the many files identified the same day: unlike the sequential
    id, it says nothing about how many files exist, and the page already shows both values.
    """

    identified_on: date
    uuid: uuid.UUID

    _FORMAT = struct.Struct(">I16s")

    def encode(self) -> str:
        packed = self._FORMAT.pack(self.identified_on.toordinal(), self.uuid.bytes)
        return base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, value: str) -> "CaseCursor":
        """The cursor of ``?after=``; ValueError when it is not one this list wrote."""
        try:
            packed = base64.urlsafe_b64decode(value.encode("ascii") + b"=" * (-len(value) % 4))
            ordinal, uuid_bytes = cls._FORMAT.unpack(packed)
            return cls(identified_on=date.fromordinal(ordinal), uuid=uuid.UUID(bytes=uuid_bytes))
        except (binascii.Error, struct.error, UnicodeEncodeError, ValueError, OverflowError) as e:
            raise ValueError("not a case list cursor") from e

    @classmethod
    def of(cls, case: Case) -> "CaseCursor":
        return cls(identified_on=case.identified_on, uuid=case.uuid)


@dataclass(frozen=True)
class CaseListPage:
    cases: list[Case]
    next_cursor: CaseCursor | None
    # The search term was looked up in the name index (no reference matched it).
    searched_by_name: bool = False


def case_list_workers(*, actor: Actor) -> QuerySet[User]:
    """The people of the person's organisation whom files can be assigned to (the filter)."""
    user = _require_user(actor)
    if user.organisation_id is None:
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, role__in=CASE_ROLES, is_active=True
    ).order_by("full_name", "pk")


def _month_start(day: date, *, years_later: int = 0) -> date:
    return date(day.year + years_later, day.month, 1)


def _age_band_filter(band: str, today: date) -> Q:
    """Age bands from ``majority_month``, the presumption of minority applied.

    ``majority_month`` is the month of the presumed 18th birthday (vigie/cases/ages.py): from the
    birth date when it is known and undisputed, else from 31 December of the birth year. Counting
    from the birth year alone would make a child known to be born in February a year younger
    than she is for most of the year. Within a birthday's month the younger age is kept: the
    doubt benefits the child. A disputed age counts as a minor (Civil Code art. 388): such a
    young person is never listed as 18-21, and with the 16-17 band when the stated age says adult.
    """
    # A child reaches age k once the month of her k-th birthday is over, i.e. once her
    # majority month is earlier than this month shifted by 18 - k years.
    reaches_13 = _month_start(today, years_later=5)
    reaches_16 = _month_start(today, years_later=2)
    reaches_18 = _month_start(today)
    reaches_22 = _month_start(today, years_later=-4)
    if band == AgeBand.UNKNOWN:
        return Q(majority_month__isnull=True)
    if band == AgeBand.UNDER_13:
        return Q(majority_month__gte=reaches_13)
    if band == AgeBand.FROM_13_TO_15:
        return Q(majority_month__gte=reaches_16, majority_month__lt=reaches_13)
    if band == AgeBand.FROM_16_TO_17:
        return Q(majority_month__lt=reaches_16) & (
            Q(majority_month__gte=reaches_18) | Q(age_disputed=True)
        )
    if band == AgeBand.FROM_18_TO_21:
        return Q(majority_month__gte=reaches_22, majority_month__lt=reaches_18, age_disputed=False)
    raise ValidationError({"age_band": _("Unknown age band.")})


class _NotIndexedOnSQLite(models.Func):
    """A date column, written ``+column`` on SQLite: SQLite's idiom for "do not use an index".

    SQLite's statistics (ANALYZE, without STAT4) count rows per value, not NULLs: for "no
    deadline" it believes the (organisation, next_due_on) index finds a handful of files, when
    every closed file has none either -- and reads them all, then sorts. The list's order index
    finds the first page in a few hundred rows. PostgreSQL counts NULLs (null_frac) and chooses
    well: the column stays as is there.
    """

    template = "%(expressions)s"
    output_field = models.DateField()

    def __init__(self, column: str) -> None:
        super().__init__(models.F(column))

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def _rights_due_filter(rights_due: str, today: date) -> Q:
    # next_due_on is the earliest due date of the case's open rights (kept by the rights plan).
    if rights_due == RightsDue.OVERDUE:
        return Q(next_due_on__lt=today)
    if rights_due == RightsDue.DUE_SOON:
        return Q(next_due_on__gte=today, next_due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
    if rights_due == RightsDue.NONE:
        return Q(IsNull(_NotIndexedOnSQLite("next_due_on"), True))
    raise ValidationError({"rights_due": _("Unknown choice for rights due.")})


class _FormsContain(models.Expression):
    """``exploitation_forms`` (a JSON list) holds the vocabulary code ``form``.

    Written so that each database uses its index (migration 0003): jsonb containment for
    PostgreSQL's GIN index; on SQLite the very term of the per-form partial indexes, the quoted
    code in the JSON text, which SQLite matches only when written out (not as a parameter) --
    safe, the code being one of the vocabulary's (checked here again).
    """

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, form: str) -> None:
        super().__init__()
        if not _FORM_CODE.fullmatch(form):
            raise ValueError(f"not a form code: {form!r}")
        self.column: Any = models.F("exploitation_forms")
        self.form = form

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        column_sql, column_params = compiler.compile(self.column)
        if connection.vendor == "postgresql":
            return f"{column_sql} @> %s::jsonb", (*column_params, json.dumps([self.form]))
        return f"instr({column_sql}, '\"{self.form}\"') > 0", tuple(column_params)


_FORM_CODE = re.compile(r"[a-z_]+")


def _exploitation_form_filter(form: str) -> Q:
    if form not in ExploitationForm.values:
        raise ValidationError({"exploitation_form": _("Unknown form of exploitation.")})
    return Q(_FormsContain(form))


def _worker_filter(worker: str, user: User) -> Q:
    if worker == WorkerFilter.MINE:
        return Q(assigned_to_id=user.pk)
    if worker == WorkerFilter.UNASSIGNED:
        return Q(assigned_to__isnull=True)
    try:
        worker_uuid = uuid.UUID(worker)
    except ValueError:
        worker_uuid = None
    chosen = (
        case_list_workers(actor=Actor(user=user)).filter(uuid=worker_uuid).first()
        if worker_uuid
        else None
    )
    if chosen is None:
        raise ValidationError({"worker": _("Not a caseworker of your organisation.")})
    return Q(assigned_to_id=chosen.pk)


def _filters_q(filters: CaseListFilters, *, user: User, today: date) -> Q:
    """The WHERE clause of the filters (the search apart). Unknown values are errors, named."""
    condition = Q()
    if filters.status == StatusFilter.ACTIVE:
        condition &= Q(status__in=ACTIVE_STATUSES)
    elif filters.status in CaseStatus.values:
        condition &= Q(status=filters.status)
    elif filters.status != StatusFilter.ALL:
        raise ValidationError({"status": _("Unknown status.")})
    if filters.rights_due:
        condition &= _rights_due_filter(filters.rights_due, today)
    if filters.exploitation_form:
        condition &= _exploitation_form_filter(filters.exploitation_form)
    if filters.age_band:
        condition &= _age_band_filter(filters.age_band, today)
    if filters.care_status:
        if filters.care_status not in CareStatus.values:
            raise ValidationError({"care_status": _("Unknown care status.")})
        condition &= Q(care_status=filters.care_status)
    if filters.worker:
        condition &= _worker_filter(filters.worker, user)
    return condition


def _after(cursor: CaseCursor) -> Q:
    # The redundant ``identified_on <= day`` is the index range; the OR only sorts out the day
    # itself (row-value comparisons are not expressible portably in the ORM).
    return Q(identified_on__lte=cursor.identified_on) & (
        Q(identified_on__lt=cursor.identified_on) | Q(uuid__lt=cursor.uuid)
    )


def _search_by_reference(term: str) -> Q:
    # Served by the case_list_reference index, (organisation, UPPER(reference), list order).
    return Q(Exact(Upper("reference"), term.strip().upper()))


def _search_by_name(term: str) -> Q:
    """Exact full name through the keyed blind index: no name is ever decrypted to search."""
    digest = full_name_index(term, "")
    return Q(name_index=digest) if digest else Q(pk__in=[])


def _visible(user: User) -> QuerySet[Case]:
    """The person's visible files (``visible_to``: the organisation's own, archives left out)."""
    if user.organisation_id is None:
        return Case.objects.none()
    return Case.objects.visible_to(user)


def _first_rows(visible: QuerySet[Case], condition: Q, limit: int) -> list[Case]:
    """The first ``limit`` visible rows matching ``condition``, in list order."""
    return list(
        visible.filter(condition)
        .select_related("assigned_to")
        .only(*_LIST_COLUMNS)
        .order_by("-identified_on", "-uuid")[:limit]
    )


def case_list_queryset(
    *, user: User, filters: CaseListFilters, today: date
) -> tuple[QuerySet[Case], bool]:
    """Every file the list shows with these filters (all pages together, unordered, nothing
    audited: the caller audits what it reads), and whether the search term was looked up as a
    name. The same rules as ``case_list_for_user``: a reference first, then an exact name.

    For exports, which must never be wider than the list.
    """
    condition = _filters_q(filters, user=user, today=today)
    visible = _visible(user)
    term = filters.search.strip()
    if not term:
        return visible.filter(condition), False
    by_reference = visible.filter(condition & _search_by_reference(term))
    if by_reference.exists():
        return by_reference, False
    return visible.filter(condition & _search_by_name(term)), True


def case_list_for_user(
    *,
    actor: Actor,
    filters: CaseListFilters | None = None,
    after: CaseCursor | None = None,
    today: date | None = None,
    page_size: int = CASE_LIST_PAGE_SIZE,
) -> CaseListPage:
    """One page of the files visible to the person, filtered, newest identification first.

    Keyset pagination: a page starts after the cursor and costs the same at page 1 and page
    20000; no COUNT is made (one row more than the page tells whether another page follows).
    Writes one CASE_LIST event naming the listed files and, when the search term was looked up
    as a name, one CASE_SEARCH event naming the files found (never the name searched).
    Raises ValidationError({field: message}) for a value it does not know.
    """
    user = _require_user(actor)
    filters = filters or CaseListFilters()
    day = today or timezone.localdate()
    condition = _filters_q(filters, user=user, today=day)
    if after is not None:
        condition &= _after(after)
    visible = _visible(user)
    searched_by_name = False
    term = filters.search.strip()
    if term:
        rows = _first_rows(visible, condition & _search_by_reference(term), page_size + 1)
        if not rows:
            # Not the reference of a file in the list: a name. A reference found is not also
            # looked up as a name, so that only name look-ups, the sensitive kind, are audited
            # as searches.
            searched_by_name = True
            rows = _first_rows(visible, condition & _search_by_name(term), page_size + 1)
    else:
        rows = _first_rows(visible, condition, page_size + 1)
    cases = rows[:page_size]
    next_cursor = CaseCursor.of(cases[-1]) if len(rows) > page_size else None
    audit_record(actor=actor, action=AuditAction.CASE_LIST, objects=cases)
    if searched_by_name:
        audit_record(actor=actor, action=AuditAction.CASE_SEARCH, objects=cases)
    return CaseListPage(cases=cases, next_cursor=next_cursor, searched_by_name=searched_by_name)


def case_count_for_user(*, actor: Actor) -> int:
    """A count only (no file content): not an access to any file."""
    user = _require_user(actor)
    return _visible(user).filter(status__in=ACTIVE_STATUSES).count()


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    """Notes of a case already obtained (and audited) through case_get_for_user."""
    return case.notes.select_related("created_by")
