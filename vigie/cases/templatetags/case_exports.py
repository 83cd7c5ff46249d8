"""The export links of the case list and of the case page: shown only to those who may follow
them (the views check again)."""

from typing import Any

from django import template

from vigie.accounts.roles import Permission
from vigie.cases.models import Case

register = template.Library()


def _can(context: template.Context, permission: Permission) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(
        user is not None and user.is_authenticated and user.has_vigie_permission(permission)
    )


@register.inclusion_tag("cases/exports/_list_links.html", takes_context=True)
def case_list_export_links(context: template.Context, query: str) -> dict[str, Any]:
    """``query``: the list's filters (without the page cursor), carried over to the export."""
    return {
        "query": query,
        "can_export_list": _can(context, Permission.CASE_LIST_EXPORT),
        "can_see_exports": _can(context, Permission.CASE_FILE_EXPORT),
    }


@register.inclusion_tag("cases/exports/_file_link.html", takes_context=True)
def case_file_export_link(context: template.Context, case: Case) -> dict[str, Any]:
    return {"case": case, "can_export_file": _can(context, Permission.CASE_FILE_EXPORT)}
