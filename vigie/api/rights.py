"""A child's rights plan through the API: the same selector and service as the case page.

A right is named by its catalogue id (``ad_hoc_administrator``): a plan holds each right at most
once, and the id means the same thing in every plan. The plan is bounded by the catalogue (a few
dozen rights), so it is answered whole, in the page's order.
"""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Schema
from pydantic import StringConstraints

from vigie.cases.selectors import case_get_for_user
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import RightItem, RightState
from vigie.rights.selectors import RightRow, rights_plan_for_case
from vigie.rights.services import right_item_update

from .auth import actor_of, token
from .errors import OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import NO_NUL, Day

router = ScopedRouter(tags=["rights"])

# A catalogue id (vigie/rights/catalogue.py: a slug of at most 50 characters).
RightId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=50)]
# The page's form takes at most 2000 characters of reason or evidence.
FormText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=2000)]


class ReportSeedOut(Schema):
    """The report paragraph the right comes from."""

    source: str
    paragraph: str
    excerpt: str


class RightOut(Schema):
    """One right of the plan, as the case page shows it (texts in the request's language)."""

    right_id: str
    title: str
    state: RightState
    opened_on: date | None
    # What opened it: "catalogue" (the file's facts) or a screening's protective action code.
    opened_by: str
    opened_by_words: str
    due_on: date | None
    # Days until the deadline, negative when overdue; null for a right no longer open.
    days_left: int | None
    urgency: Literal["overdue", "today", "soon", ""]
    due_words: str
    done_on: date | None
    # The fact of the file that gave the state (empty for a state a person chose), and in words.
    automatic_reason: str
    automatic_reason_words: str
    reason: str
    # What shows the right is done (given only for a right done, as the page shows it).
    evidence: str
    help: str
    legal_basis: str
    deadline_basis: str
    evidence_expected: str
    report: ReportSeedOut | None

    @staticmethod
    def resolve_right_id(row: RightRow) -> str:
        return row.item.right_id

    @staticmethod
    def resolve_state(row: RightRow) -> str:
        return row.item.state

    @staticmethod
    def resolve_opened_on(row: RightRow) -> date | None:
        return row.item.opened_on

    @staticmethod
    def resolve_opened_by(row: RightRow) -> str:
        return row.item.opened_by

    @staticmethod
    def resolve_due_on(row: RightRow) -> date | None:
        return row.item.due_on

    @staticmethod
    def resolve_days_left(row: RightRow) -> int | None:
        return row.days_left if row.is_open else None

    @staticmethod
    def resolve_done_on(row: RightRow) -> date | None:
        return row.item.done_on

    @staticmethod
    def resolve_automatic_reason(row: RightRow) -> str:
        return row.item.automatic_reason

    @staticmethod
    def resolve_automatic_reason_words(row: RightRow) -> str:
        return row.automatic_words

    @staticmethod
    def resolve_reason(row: RightRow) -> str:
        return row.item.reason

    @staticmethod
    def resolve_evidence(row: RightRow) -> str:
        return row.item.evidence if row.item.state == RightState.DONE else ""

    @staticmethod
    def resolve_legal_basis(row: RightRow) -> str:
        return row.right.legal_basis if row.right else ""

    @staticmethod
    def resolve_report(row: RightRow) -> dict[str, str] | None:
        if row.right is None:
            return None
        return {
            "source": row.seed_source,
            "paragraph": row.right.seed.paragraph,
            "excerpt": row.right.seed.excerpt,
        }


class RightUpdateIn(Schema):
    """As the page's form: the state, with the reason (refused, blocked, not applicable) or the
    evidence and the day it was done (done; today when left out)."""

    state: RightState
    reason: FormText = ""
    evidence: FormText = ""
    done_on: Day | None = None


@router.get(
    "/cases/{uuid:case_uuid}/rights",
    response={200: list[RightOut], **OBJECT_ERRORS},
    auth=token(ApiScope.RIGHTS_READ),
    summary="Read a case's rights plan",
)
def rights_plan(request: HttpRequest, case_uuid: UUID) -> Any:
    """Open rights by deadline, then finished ones, then those not applicable."""
    case = case_get_for_user(actor=actor_of(request), case_uuid=case_uuid)
    return rights_plan_for_case(case=case)


@router.patch(
    "/cases/{uuid:case_uuid}/rights/{right_id}",
    response={200: RightOut, **OBJECT_ERRORS},
    auth=token(ApiScope.RIGHTS_WRITE),
    summary="Change where a right stands",
)
def rights_update(
    request: HttpRequest, case_uuid: UUID, right_id: RightId, payload: RightUpdateIn
) -> Any:
    """ "To do" hands the right back to the plan; any other state is the person's decision.
    A state the case file contradicts (e.g. "blocked" for an administrator the file records as
    appointed) is refused: 422 on ``state``."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    item = RightItem.objects.filter(case=case, right_id=right_id).first()
    if item is None:
        raise Http404
    item = right_item_update(
        actor=actor,
        case=case,
        item=item,
        state=payload.state.value,
        reason=payload.reason,
        evidence=payload.evidence,
        done_on=payload.done_on,
    )
    return RightRow(
        item=item, right=load_catalogue().rights.get(item.right_id), today=timezone.localdate()
    )
