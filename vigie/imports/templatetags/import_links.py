"""{% import_link "cases" %}: the link to a target's import page, for those who may import it.

For the list pages of other parts (case files, directory, places), which do not know about
imports: one line in their template, and the permission is checked here, from the same table
as the import page itself.
"""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("imports/_link.html", takes_context=True)
def import_link(context: template.Context, target: str) -> dict[str, Any]:
    # Imported here: Django loads every tag library when its template engine starts.
    from vigie.imports.views import TARGET_PAGES, TARGET_PERMISSIONS

    user = context.get("user")
    allowed = bool(
        user is not None
        and user.is_authenticated
        and user.has_vigie_permission(TARGET_PERMISSIONS[target])
    )
    return {"allowed": allowed, "target": target, "pages": TARGET_PAGES[target]}
