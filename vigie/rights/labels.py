"""Words shown for the rights plan's automatic states (the rights themselves are named in the
catalogue, in French and English)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# vigie/rights/plan.py AUTOMATIC_REASONS: what in the file set the state.
AUTOMATIC_REASON_LABELS: dict[str, Promise] = {
    "ad_hoc_administrator_appointed": _("The file records the appointment of the administrator."),
    "ad_hoc_administrator_requested": _("The file records the request; no appointment yet."),
    "placement_safe": _("The current accommodation is a safe place."),
    "placement_emergency": _("Emergency shelter: a lasting safe place is still needed."),
    "placement_violation": _(
        "The current accommodation is a hotel or the street: a violation of the child's rights."
    ),
    "schooling_enrolled": _("The file records school or training."),
    "schooling_waiting": _("Waiting for a school or training place."),
    "complaint_filed": _("Proceedings as a victim are recorded: check the lawyer."),
    "non_punishment_granted": _("Non-punishment granted in every proceeding."),
    "non_punishment_refused": _("Non-punishment refused by a court: consider an appeal."),
    "non_punishment_raised": _("Non-punishment raised with the court; no decision yet."),
    "criminal_record_entry": _("An entry in the criminal record remains: ask for its removal."),
    "compensation_paid": _("The compensation has been paid."),
    "compensation_claimed": _("A claim is recorded; not paid yet."),
    "appeal_pending": _("The appeal to the juvenile judge is pending."),
    "appeal_minor": _("The judge recognised the young person as a minor."),
    "appeal_adult": _("The judge declared the young person an adult: consider an appeal."),
}

UNKNOWN_REASON = _("Set from the case file.")


def automatic_reason_label(code: str) -> str:
    return str(AUTOMATIC_REASON_LABELS.get(code, UNKNOWN_REASON)) if code else ""
