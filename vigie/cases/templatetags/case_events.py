"""What the case page says about its events beyond their fields: an appeal's running duration,
a hearing's departures from ECPAT's recommendations. The rules are the services'."""

from django import template

from ..models import AgeAppeal, Hearing
from ..services.events import AppealDuration, age_appeal_duration, hearing_concerns

register = template.Library()


@register.simple_tag
def appeal_duration(appeal: AgeAppeal) -> AppealDuration:
    """``{% appeal_duration appeal as duration %}``: duration.months, .days, .pending."""
    return age_appeal_duration(appeal=appeal)


@register.filter
def concerns(hearing: Hearing) -> list[str]:
    return hearing_concerns(hearing)
