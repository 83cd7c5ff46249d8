"""The case file's status: an explicit state machine, every move recorded with who and when.

The main path is open -> identified -> protected -> transition (to adulthood) -> closed.
ALLOWED_MOVES is the whole table; every other move is refused:

    from          to
    open          identified, protected, transferred, closed
    identified    protected, transition, transferred, closed
    protected     identified, transition, transferred, closed
    transition    protected, transferred, closed
    transferred   open, closed
    closed        open (reopening: a coordinator only)

Closing needs a reason (CloseReason). Each move takes the file's version lock like an edit does.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.rights.services import rights_plan_refresh

from ..models import Case, CaseStatus, CaseStatusChange
from .editing import case_locked_at_version, case_version_write
from .opening import _require, _require_owner

OPEN = CaseStatus.OPEN
IDENTIFIED = CaseStatus.IDENTIFIED
PROTECTED = CaseStatus.PROTECTED
TRANSITION = CaseStatus.TRANSITION
TRANSFERRED = CaseStatus.TRANSFERRED
CLOSED = CaseStatus.CLOSED

ALLOWED_MOVES: dict[str, tuple[CaseStatus, ...]] = {
    # Protection never waits for the identification to be complete (presumption of victim,
    # Collective 2022): a child may be protected straight from "open".
    OPEN: (IDENTIFIED, PROTECTED, TRANSFERRED, CLOSED),
    # A young person identified at 17 may go straight to preparing adulthood.
    IDENTIFIED: (PROTECTED, TRANSITION, TRANSFERRED, CLOSED),
    # Protection can be lost (a runaway, a placement that ends): back to "identified".
    PROTECTED: (IDENTIFIED, TRANSITION, TRANSFERRED, CLOSED),
    # The transition is put off (age recognised lower on appeal, return to care): "protected".
    TRANSITION: (PROTECTED, TRANSFERRED, CLOSED),
    # The file went to another organisation: it is closed, or comes back to this one.
    TRANSFERRED: (OPEN, CLOSED),
    CLOSED: (OPEN,),
}

# Reopening a closed file puts it back into someone's caseload: the coordinator's decision,
# the one who assigns files (Permission.CASE_ASSIGN). Every other move is a caseworker's.
COORDINATOR_MOVES: frozenset[tuple[str, str]] = frozenset({(CLOSED, OPEN)})


class CloseReason(models.TextChoices):
    """Why a file is closed (Case.closed_reason; retention reports and statistics use it)."""

    PROTECTED_AND_STABLE = "protected_and_stable", gettext_lazy("Protected, situation stable")
    REACHED_ADULTHOOD_HANDED_OVER = (
        "reached_adulthood_handed_over",
        gettext_lazy("Reached adulthood, support handed over"),
    )
    TRANSFERRED_ELSEWHERE = "transferred_elsewhere", gettext_lazy("Followed by another service")
    RETURNED_TO_FAMILY = "returned_to_family", gettext_lazy("Returned to the family")
    SUPPORT_DECLINED = "support_declined", gettext_lazy("The young person declined support")
    LOST_CONTACT = "lost_contact", gettext_lazy("Contact lost")
    DECEASED = "deceased", gettext_lazy("Deceased")
    OTHER = "other", gettext_lazy("Other reason")


def case_status_move_allowed(*, from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_MOVES.get(from_status, ())


def case_status_moves(*, case: Case, user: User) -> list[CaseStatus]:
    """The moves ``user`` may make on ``case`` now: none outside the owning organisation."""
    if user.organisation_id != case.organisation_id or not user.has_vigie_permission(
        Permission.CASE_EDIT
    ):
        return []
    can_assign = user.has_vigie_permission(Permission.CASE_ASSIGN)
    return [
        to_status
        for to_status in ALLOWED_MOVES.get(case.status, ())
        if can_assign or (case.status, to_status) not in COORDINATOR_MOVES
    ]


@transaction.atomic
def case_status_change(
    *, actor: Actor, case: Case, expected_version: int, to_status: str, reason: str = ""
) -> Case:
    """Move ``case`` (read at ``expected_version``) to ``to_status``.

    Closing needs a CloseReason, which is stored with the closing time; reopening clears both
    (the CaseStatusChange rows keep every reason). Raises PermissionDenied, ValidationError
    naming ``to_status`` or ``reason``, or CaseEditConflict when the file changed meanwhile.
    """
    _require(actor, Permission.CASE_EDIT)
    _require_owner(actor, case)
    assert actor.user is not None  # noqa: S101 (checked by _require)
    current = case_locked_at_version(case=case, expected_version=expected_version)
    from_status = current.status
    if to_status not in CaseStatus.values:
        raise ValidationError({"to_status": _("Unknown status.")})
    if not case_status_move_allowed(from_status=from_status, to_status=to_status):
        raise ValidationError(
            {
                "to_status": _("A file cannot go from “%(from)s” to “%(to)s”.")
                % {"from": CaseStatus(from_status).label, "to": CaseStatus(to_status).label}
            }
        )
    if (from_status, to_status) in COORDINATOR_MOVES and not actor.user.has_vigie_permission(
        Permission.CASE_ASSIGN
    ):
        raise PermissionDenied
    if to_status == CLOSED:
        if not reason:
            raise ValidationError({"reason": _("Give the reason for closing the file.")})
        if reason not in CloseReason.values:
            raise ValidationError({"reason": _("Unknown reason for closing.")})
    elif reason:
        raise ValidationError({"reason": _("A reason is recorded only when closing the file.")})

    values: dict[str, object] = {"status": to_status}
    if to_status == CLOSED:
        values.update(closed_at=timezone.now(), closed_reason=reason)
    elif from_status == CLOSED:
        values.update(closed_at=None, closed_reason="")
    case_version_write(case=current, expected_version=expected_version, values=values)
    change = CaseStatusChange.objects.create(
        case=current,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        created_by=actor.user,
    )
    current.refresh_from_db()
    audit_record(
        actor=actor,
        action=AuditAction.CASE_STATUS_CHANGE,
        objects=[current, change],
        reason_code=reason,
    )
    rights_plan_refresh(case=current, actor=actor)
    return current
