"""The transfers part of the case page's coordination panel."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("network/transfers/_case.html", takes_context=True)
def case_transfers(context: dict[str, Any], case: Any) -> dict[str, Any]:
    return {"case": case}
