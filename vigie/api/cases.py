"""Case files through the API: the same selectors and services as the case pages."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field, StrictInt

from vigie.accounts.models import User
from vigie.cases.ages import minority_on
from vigie.cases.models import (
    CareStatus,
    Case,
    CaseStatus,
    ExploitationForm,
    Gender,
    ReferralSource,
)
from vigie.cases.models.case import Guardianship, Schooling, Substance
from vigie.cases.selectors import (
    AgeBand,
    CaseCursor,
    CaseListFilters,
    RightsDue,
    StatusFilter,
    case_get_for_user,
    case_list_for_user,
)
from vigie.cases.services.editing import EDITABLE_FIELDS, case_update
from vigie.cases.services.opening import case_open

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS, ErrorOut
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import (
    CountryCode,
    Day,
    DepartementCode,
    Flag,
    LongText,
    PageSize,
    Ref,
    ShortText,
    Token,
    Version,
    Year,
)

router = ScopedRouter(tags=["cases"])


class CaseSummaryOut(Schema):
    """A file in a list: the pseudonymous situation only (a list never decrypts an identity)."""

    uuid: UUID
    reference: str
    status: CaseStatus
    identified_on: date
    exploitation_forms: list[ExploitationForm]
    next_due_on: date | None
    assigned_to: UUID | None

    @staticmethod
    def resolve_assigned_to(case: Case) -> UUID | None:
        return case.assigned_to.uuid if case.assigned_to is not None else None


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    # Give it back as ``after`` for the next page; null on the last page.
    next: str | None


class CaseOut(CaseSummaryOut):
    version: int
    first_name: str
    last_name: str
    aliases: str
    birth_date: date | None
    birth_year: int | None
    age_disputed: bool
    # yes / presumed / no: the presumption of minority applied to what the file knows today.
    minor: str
    gender: Gender
    nationality: str
    languages: str
    unaccompanied: bool
    legal_representative: str
    guardianship: Guardianship
    ad_hoc_administrator_requested_on: date | None
    ad_hoc_administrator_appointed_on: date | None
    ad_hoc_administrator_appointed_by: str
    ad_hoc_administrator_name: str
    disability: bool
    pregnant: bool
    children_count: int
    care_status: CareStatus
    departement: str
    referral_source: str
    exploitation_places: str
    exploitation_started_on: date | None
    exploitation_ended_on: date | None
    substances: list[Substance]
    health_notes: str
    schooling: Schooling
    safety_notes: str
    last_contact_on: date
    closed_at: datetime | None

    @staticmethod
    def resolve_minor(case: Case) -> str:
        return minority_on(
            timezone.localdate(),
            birth_date=case.birth_date,
            birth_year=case.birth_year,
            disputed=case.age_disputed,
        )


class CaseCreateIn(Schema):
    first_name: ShortText = ""
    last_name: ShortText = ""
    aliases: ShortText = ""
    birth_date: Day | None = None
    birth_year: Year | None = None
    gender: Gender = Gender.UNKNOWN
    nationality: CountryCode = ""
    unaccompanied: Flag = False
    age_disputed: Flag = False
    care_status: CareStatus = CareStatus.NONE
    departement: DepartementCode = ""
    exploitation_forms: list[ExploitationForm] = Field(default_factory=list, max_length=20)
    referral_source: ReferralSource | None = None
    identified_on: Day | None = None


class CaseUpdateIn(Schema):
    """The version the client read, and only the fields it changes (others are left as they are)."""

    version: Version
    first_name: ShortText | None = None
    last_name: ShortText | None = None
    aliases: ShortText | None = None
    gender: Gender | None = None
    nationality: CountryCode | None = None
    languages: ShortText | None = None
    birth_date: Day | None = None
    birth_year: Year | None = None
    age_disputed: Flag | None = None
    unaccompanied: Flag | None = None
    legal_representative: ShortText | None = None
    guardianship: Guardianship | None = None
    ad_hoc_administrator_requested_on: Day | None = None
    ad_hoc_administrator_appointed_on: Day | None = None
    ad_hoc_administrator_appointed_by: ShortText | None = None
    ad_hoc_administrator_name: ShortText | None = None
    disability: Flag | None = None
    pregnant: Flag | None = None
    children_count: Annotated[StrictInt, Field(ge=0, le=30)] | None = None
    care_status: CareStatus | None = None
    departement: DepartementCode | None = None
    referral_source: ReferralSource | None = None
    assigned_to: Ref | None = None
    exploitation_forms: list[ExploitationForm] | None = Field(default=None, max_length=20)
    exploitation_places: LongText | None = None
    exploitation_started_on: Day | None = None
    exploitation_ended_on: Day | None = None
    substances: list[Substance] | None = Field(default=None, max_length=20)
    health_notes: LongText | None = None
    schooling: Schooling | None = None
    safety_notes: LongText | None = None


class CaseListQuery(Schema):
    status: StatusFilter = StatusFilter.ACTIVE
    rights_due: RightsDue | None = None
    exploitation_form: ExploitationForm | None = None
    age_band: AgeBand | None = None
    care_status: CareStatus | None = None
    # "mine", "unassigned", or a caseworker's UUID.
    worker: Token = ""
    # A case reference, or a child's exact full name.
    search: ShortText = ""
    after: Token = ""
    limit: PageSize = 50


def _value(choice: Any) -> str:
    return "" if choice is None else str(choice.value if hasattr(choice, "value") else choice)


@router.get(
    "/cases",
    response={200: CasePageOut, **COMMON_ERRORS},
    auth=token(ApiScope.CASES_READ),
    summary="List case files",
)
def cases_list(request: HttpRequest, filters: Query[CaseListQuery]) -> Any:
    """Files of the token owner's organisation, newest identification first, with the case
    list's filters. Keyset pagination: pass ``next`` back as ``after``."""
    after = None
    if filters.after:
        try:
            after = CaseCursor.decode(filters.after)
        except ValueError:
            raise ValidationError({"after": _("This is not a cursor of this list.")}) from None
    page = case_list_for_user(
        actor=actor_of(request),
        filters=CaseListFilters(
            status=_value(filters.status),
            rights_due=_value(filters.rights_due),
            exploitation_form=_value(filters.exploitation_form),
            age_band=_value(filters.age_band),
            care_status=_value(filters.care_status),
            worker=filters.worker,
            search=filters.search,
        ),
        after=after,
        page_size=filters.limit,
    )
    return {
        "items": page.cases,
        "next": page.next_cursor.encode() if page.next_cursor else None,
    }


@router.post(
    "/cases",
    response={201: CaseOut, **COMMON_ERRORS},
    auth=token(ApiScope.CASES_WRITE),
    summary="Open a case file",
)
def cases_create(request: HttpRequest, payload: CaseCreateIn) -> Any:
    data = payload.dict()
    data["exploitation_forms"] = [_value(f) for f in data["exploitation_forms"]]
    for name in ("gender", "care_status", "referral_source"):
        data[name] = _value(data[name])
    case = case_open(actor=actor_of(request), **data)
    return Status(201, case)


@router.get(
    "/cases/{uuid:case_uuid}",
    response={200: CaseOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_READ),
    summary="Read a case file",
)
def cases_read(request: HttpRequest, case_uuid: UUID) -> Any:
    return case_get_for_user(actor=actor_of(request), case_uuid=case_uuid)


def _assignee(actor_user: User, worker_uuid: UUID | None) -> User | None:
    if worker_uuid is None:
        return None
    worker = User.objects.filter(uuid=worker_uuid, organisation=actor_user.organisation).first()
    if worker is None:
        raise ValidationError({"assigned_to": _("No such person in your organisation.")})
    return worker


@router.patch(
    "/cases/{uuid:case_uuid}",
    response={200: CaseOut, 409: ErrorOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_WRITE),
    summary="Change a case file",
)
def cases_update(request: HttpRequest, case_uuid: UUID, payload: CaseUpdateIn) -> Any:
    """Send the ``version`` you read: if someone changed the file since, nothing is written and
    the answer is 409 ``stale_version`` with the current version."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version")
    for name, value in list(changes.items()):
        if name not in EDITABLE_FIELDS:
            changes.pop(name)
        elif isinstance(value, list):
            changes[name] = [_value(v) for v in value]
        elif hasattr(value, "value"):
            changes[name] = _value(value)
    if "assigned_to" in changes:
        assert actor.user is not None  # noqa: S101 (a token always has its person)
        changes["assigned_to"] = _assignee(actor.user, changes["assigned_to"])
    return case_update(actor=actor, case=case, expected_version=version, changes=changes)
