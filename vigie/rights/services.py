"""Everything that writes rights plans.

``rights_plan_refresh`` keeps a case's stored plan in line with the catalogue and the file; the
other writing services of the file call it at their end. How it treats the states:

- a right that applies gets an item; one that no longer applies goes to "not applicable", unless
  a person decided its state or it is finished (done, refused): a decision or a result is never
  erased by the calendar;
- facts that settle a right (plan.Automatic.settled: the administrator's appointment, a safe
  placement, a payment, and the hotel or street placement that violates the right) prevail over
  a state a person chose -- the file is the evidence, and ``right_item_update`` refuses a state
  contradicting it, so the two never fight. Weaker signals (a request under way) only fill in
  for a right nobody decided on;
- a right still open keeps the day it opened, so its deadline does not slide;
- Case.next_due_on holds the earliest deadline among the open rights of an active file.
"""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import ACTIVE_STATUSES, Case

from .catalogue import Catalogue, load_catalogue
from .facts import case_facts, case_facts_many
from .labels import automatic_reason_label
from .models import OPEN_STATES, RightItem, RightState
from .plan import CaseFacts, RightEvaluation, automatic_state, plan_evaluate

# States a refresh never turns into "not applicable": the right's story is over.
FINISHED_STATES = (RightState.DONE, RightState.REFUSED)
# States that need a person's reason.
REASON_STATES = (RightState.REFUSED, RightState.BLOCKED, RightState.NOT_APPLICABLE)

_ITEM_FIELDS = (
    "catalogue_version",
    "state",
    "opened_on",
    "due_on",
    "done_on",
    "opened_by",
    "decided_by_person",
    "automatic_reason",
)


def rights_plan_refresh(
    *, case: Case, today: date | None = None, actor: Actor | None = None
) -> list[RightItem]:
    """Re-evaluate the case's rights plan; returns its items (catalogue order).

    Runs inside the caller's transaction. ``actor`` is who caused the refresh, or None for the
    daily run: the refresh itself is not audited, the write that caused it is.
    """
    return _refresh(case=case, facts=None, today=today or timezone.localdate())


def rights_plans_refresh_many(*, cases: Sequence[Case], today: date | None = None) -> int:
    """The same for many cases (the daily run), with their facts gathered in a few queries."""
    day = today or timezone.localdate()
    facts = case_facts_many(cases=cases)
    for case in cases:
        _refresh(case=case, facts=facts[case.pk], today=day)
    return len(cases)


@transaction.atomic
def _refresh(*, case: Case, facts: CaseFacts | None, today: date) -> list[RightItem]:
    catalogue = load_catalogue()
    # One refresh at a time per case: two concurrent ones would both create the same items.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").first()
    items = {item.right_id: item for item in RightItem.objects.filter(case=case)}
    if case.status in ACTIVE_STATUSES and case.archived_at is None:
        facts = facts or case_facts(case=case)
        _apply(case=case, catalogue=catalogue, facts=facts, today=today, items=items)
        next_due = min(
            (i.due_on for i in items.values() if i.state in OPEN_STATES and i.due_on),
            default=None,
        )
    else:
        # A closed, transferred or archived file keeps its plan as it was, and chases nothing.
        next_due = None
    if case.next_due_on != next_due:
        # Not an edit of the file: no version bump, no history row (the lists read this column).
        Case.objects.filter(pk=case.pk).update(next_due_on=next_due)
        case.next_due_on = next_due
    order = {right_id: position for position, right_id in enumerate(catalogue.rights)}
    return sorted(items.values(), key=lambda i: (order.get(i.right_id, len(order)), i.right_id))


def _apply(
    *,
    case: Case,
    catalogue: Catalogue,
    facts: CaseFacts,
    today: date,
    items: dict[str, RightItem],
) -> None:
    kept = {
        right_id: item.opened_on
        for right_id, item in items.items()
        if item.state != RightState.NOT_APPLICABLE and item.opened_on is not None
    }
    created: list[RightItem] = []
    changed: list[RightItem] = []
    for evaluation in plan_evaluate(
        catalogue=catalogue, facts=facts, today=today, kept_opened_on=kept
    ):
        item = items.get(evaluation.right_id)
        if item is None:
            if evaluation.applicable:
                item = RightItem(case=case, right_id=evaluation.right_id)
                _evaluated(item, evaluation, catalogue.version, today)
                items[item.right_id] = item
                created.append(item)
            continue
        before = tuple(getattr(item, name) for name in _ITEM_FIELDS)
        _evaluated(item, evaluation, catalogue.version, today)
        if tuple(getattr(item, name) for name in _ITEM_FIELDS) != before:
            changed.append(item)
    if created:
        RightItem.objects.bulk_create(created)
    if changed:
        now = timezone.now()
        for item in changed:
            item.updated_at = now
        RightItem.objects.bulk_update(changed, [*_ITEM_FIELDS, "updated_at"])


def _evaluated(item: RightItem, evaluation: RightEvaluation, version: str, today: date) -> None:
    """Bring one item in line with its evaluation (the rules in this module's docstring)."""
    if not evaluation.applicable:
        if item.decided_by_person or item.state in FINISHED_STATES:
            return
        if item.state != RightState.NOT_APPLICABLE:
            item.state = RightState.NOT_APPLICABLE
            item.automatic_reason = ""
            item.catalogue_version = version
        return
    item.catalogue_version = version
    reopened = item.state == RightState.NOT_APPLICABLE and not item.decided_by_person
    if item.pk is None or reopened:
        item.opened_on = evaluation.opened_on
        item.opened_by = evaluation.opened_by
        item.done_on = None
    # Counted from the kept opening day (plan_evaluate), it moves only with the facts.
    item.due_on = evaluation.due_on
    automatic = evaluation.automatic
    if automatic is not None and (automatic.settled or not item.decided_by_person):
        if automatic.state == RightState.DONE:
            if item.state != RightState.DONE or not item.done_on:
                item.done_on = automatic.done_on or item.done_on or today
        else:
            item.done_on = None
        item.state = automatic.state
        item.automatic_reason = automatic.reason
        item.decided_by_person = False
    elif not item.decided_by_person:
        # Nobody decided, and the facts say nothing (any more): the right is to be done.
        item.state = RightState.TO_DO
        item.automatic_reason = ""
        item.done_on = None


# --- A person's decision on one right ---------------------------------------------------------


@transaction.atomic
def right_item_update(
    *,
    actor: Actor,
    case: Case,
    item: RightItem,
    state: str,
    reason: str = "",
    evidence: str = "",
    done_on: date | None = None,
) -> RightItem:
    """A person sets where a right stands. ``case`` comes from case_get_for_user
    and ``item`` from that case's plan.

    "To do" hands the right back to the plan (its facts and deadlines decide again); any other
    state is the person's decision, kept by later refreshes. Refused, blocked and not applicable
    need a reason, done the evidence that closes the right (the catalogue says which).
    """
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_EDIT):
        raise PermissionDenied
    if user.organisation_id != case.organisation_id or item.case_id != case.pk:
        raise PermissionDenied
    today = timezone.localdate()
    reason, evidence = reason.strip(), evidence.strip()
    errors: dict[str, str] = {}
    if state not in RightState.values:
        errors["state"] = _("Choose a state from the list.")
    if state in REASON_STATES and not reason:
        errors["reason"] = _("Say why: it is kept with the plan.")
    if state == RightState.DONE:
        if not evidence:
            errors["evidence"] = _("Say what shows it is done.")
        if done_on is not None and done_on > today:
            errors["done_on"] = _("This date is in the future.")
    elif done_on is not None:
        errors["done_on"] = _("A date is recorded only when the right is done.")
    if errors:
        raise ValidationError(errors)

    catalogue = load_catalogue()
    right = catalogue.rights.get(item.right_id)
    if right is not None:
        automatic = automatic_state(right, case_facts(case=case), today)
        if automatic is not None and automatic.settled and automatic.state != state:
            raise ValidationError(
                {
                    "state": _(
                        "The case file settles this right (%(reason)s): it shows as "
                        "“%(state)s”. Correct the file itself if it is wrong."
                    )
                    % {
                        "reason": automatic_reason_label(automatic.reason).rstrip("."),
                        "state": RightState(automatic.state).label,
                    }
                }
            )

    item.state = state
    item.reason = reason
    item.automatic_reason = ""
    if state == RightState.DONE:
        item.evidence = evidence
        item.done_on = done_on or today
    else:
        item.done_on = None
        if evidence:
            item.evidence = evidence
    item.decided_by_person = state != RightState.TO_DO
    item.save(
        update_fields=[
            "state",
            "reason",
            "evidence",
            "done_on",
            "decided_by_person",
            "automatic_reason",
            "updated_at",
        ]
    )
    audit_record(actor=actor, action=AuditAction.RIGHT_UPDATE, objects=[case, item])
    # The plan decides again for a right handed back, and the file's next deadline follows.
    rights_plan_refresh(case=case, today=today, actor=actor)
    item.refresh_from_db()
    return item
