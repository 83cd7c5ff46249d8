"""Reads of rights plans, for a case already obtained (and audited) through case_get_for_user."""

from vigie.cases.models import Case

from .models import RightItem


def rights_plan_for_case(*, case: Case) -> list[RightItem]:
    """Placeholder until the rights plan lands (helper)."""
    return []
