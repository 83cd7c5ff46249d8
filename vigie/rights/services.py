"""Everything that writes rights plans."""

from datetime import date

from vigie.audit.services import Actor
from vigie.cases.models import Case


def rights_plan_refresh(
    *, case: Case, today: date | None = None, actor: Actor | None = None
) -> None:
    """Re-evaluate the case's rights plan. Placeholder until the rights plan lands (helper)."""
    return None
