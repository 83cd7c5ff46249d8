"""Reading the directory of institutional contacts.

Every person with DIRECTORY_VIEW reads every organisation's entries: they hold no child data, and
the point is that a worker in one département finds the juvenile court, the UAPED or the 115 of
another (the 2016 protocol for trafficked minors failed for want of shared contact lists).
Changing an entry is for its own organisation only: out of it, the entry is a 404.
"""

import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor

from .departements import departement_get, departements_load
from .models import DirectoryEntry

PAGE_SIZE = 50


@dataclass(frozen=True)
class DirectoryFilters:
    """Empty values mean "any". ``whole_region`` widens a département to its région."""

    departement: str = ""
    whole_region: bool = False
    need: str = ""
    kind: str = ""
    text: str = ""


def _require(actor: Actor, permission: Permission) -> None:
    if actor.user is None or not actor.user.has_vigie_permission(permission):
        raise PermissionDenied


def _departement_codes(code: str, whole_region: bool) -> list[str]:
    departement = departement_get(code)
    if departement is None:
        return []
    if not whole_region:
        return [departement.code]
    return [d.code for d in departements_load().values() if d.region == departement.region]


def directory_entries_filtered(
    *, actor: Actor, filters: DirectoryFilters
) -> QuerySet[DirectoryEntry]:
    _require(actor, Permission.DIRECTORY_VIEW)
    entries = DirectoryEntry.objects.select_related("maintained_by")
    if filters.departement:
        entries = entries.filter(
            departement__in=_departement_codes(filters.departement, filters.whole_region)
        )
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.need:
        # JSON containment is not available on SQLite: match the quoted code in the stored JSON
        # text instead (need codes are plain words, so '"health"' only matches that need).
        entries = entries.annotate(needs_text=Cast("needs", CharField())).filter(
            needs_text__contains=f'"{filters.need}"'
        )
    if filters.text:
        entries = entries.filter(Q(name__icontains=filters.text) | Q(role__icontains=filters.text))
    return entries.order_by("departement", "kind", "name", "pk")


def directory_search(
    *, actor: Actor, filters: DirectoryFilters, page_number: int | str = 1
) -> Page[DirectoryEntry]:
    """One page (50 entries) of the entries matching the filters, by département, kind, name."""
    entries = directory_entries_filtered(actor=actor, filters=filters)
    return Paginator(entries, PAGE_SIZE).get_page(page_number)


def directory_entry_get_for_manager(*, actor: Actor, entry_uuid: uuid.UUID) -> DirectoryEntry:
    """An entry the actor's organisation keeps; any other (or no right to manage) is a 404."""
    user = actor.user
    if (
        user is None
        or user.organisation_id is None
        or not user.has_vigie_permission(Permission.DIRECTORY_MANAGE)
    ):
        raise Http404
    entry = (
        DirectoryEntry.objects.select_related("maintained_by")
        .filter(uuid=entry_uuid, maintained_by_id=user.organisation_id)
        .first()
    )
    if entry is None:
        raise Http404
    return entry
