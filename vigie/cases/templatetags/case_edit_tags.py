"""Template helpers of the case page's identity and status panels (templates/cases/_identity.html).

They only present a case already loaded and audited by the view; nothing here reads the database
beyond that case.
"""

from typing import Any

from django import template
from django.utils import timezone

from ..ages import age_on, minority_on
from ..forms import CaseStatusForm
from ..models import Case, Substance
from ..services.status import CloseReason, case_status_moves

register = template.Library()


@register.simple_tag(takes_context=True)
def case_status_form(context: template.Context, case: Case) -> CaseStatusForm | None:
    """The small status form of the case page, with the moves the signed-in person may make;
    None when there is none (another organisation's file, a role that does not edit)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    moves = case_status_moves(case=case, user=user)
    if not moves:
        return None
    return CaseStatusForm(initial={"version": case.version}, moves=moves, auto_id="case-status-%s")


@register.simple_tag
def case_age(case: Case) -> dict[str, Any]:
    """Age today and the presumption of minority (vigie/cases/ages.py)."""
    today = timezone.localdate()
    minority = minority_on(
        today, birth_date=case.birth_date, birth_year=case.birth_year, disputed=case.age_disputed
    )
    if case.birth_date is not None:
        age: int | None = age_on(case.birth_date, today)
    elif case.birth_year is not None:
        age = today.year - case.birth_year
    else:
        age = None
    return {
        "age": age,
        "exact": case.birth_date is not None and not case.age_disputed,
        "minority": minority,
        "majority_on": case.majority_on,
    }


@register.filter
def case_substance_labels(case: Case) -> str:
    labels = dict(Substance.choices)
    return ", ".join(str(labels.get(code, code)) for code in case.substances)


@register.filter
def case_close_reason(case: Case) -> str:
    return str(dict(CloseReason.choices).get(case.closed_reason, case.closed_reason))
