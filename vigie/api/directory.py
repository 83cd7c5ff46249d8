"""The directory of institutional contacts through the API: the same selectors and services as
the directory pages.

Every person with the directory scope reads every organisation's entries (they hold no child
data); each organisation changes only the entries it keeps (another's is a 404 to change).
"""

from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field, StringConstraints

from vigie.network.departements import departement_get
from vigie.network.models import ContactKind, DirectoryEntry, Need
from vigie.network.selectors_directory import (
    DirectoryFilters,
    directory_entries_filtered,
    directory_entry_get_for_manager,
    directory_search,
)
from vigie.network.services import directory as services

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import NO_NUL, DepartementCode, ShortText

router = ScopedRouter(tags=["directory"])

# Far more pages than the directory will ever have, yet a number every database takes.
MAX_PAGE = 100_000
RoleText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=services.ROLE_MAX_LENGTH)]
PhoneText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=40)]
EmailText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=254)]
AddressText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=300)]


class DirectoryEntryOut(Schema):
    uuid: UUID
    name: str
    kind: ContactKind
    departement: str
    needs: list[Need]
    role: str
    hours: str
    # E.164 ("+33123456789").
    phone: str
    email: str
    address: str
    maintained_by: str
    # Whether your organisation keeps the entry (and so may change it).
    maintained_by_you: bool
    # A demo entry: fictional, with numbers from ARCEP's fiction ranges.
    is_fictional: bool

    @staticmethod
    def resolve_maintained_by(entry: DirectoryEntry) -> str:
        return entry.maintained_by.name

    @staticmethod
    def resolve_maintained_by_you(entry: DirectoryEntry, context: Any) -> bool:
        return bool(entry.maintained_by_id == context["request"].auth.user.organisation_id)


class DirectoryPageOut(Schema):
    items: list[DirectoryEntryOut]
    page: int
    pages: int
    count: int


class DirectorySearchQuery(Schema):
    # A département code ("75", "2A", "974"); empty: every département.
    departement: DepartementCode = ""
    # Widen the département to its whole région.
    whole_region: bool = False
    need: Need | None = None
    kind: ContactKind | None = None
    # In the name or the role.
    text: ShortText = ""
    # Pages of 50 entries, by département, kind and name; past the last, the last page.
    page: int = Field(default=1, ge=1, le=MAX_PAGE)


class DirectoryEntryIn(Schema):
    """Every field of the entry (an update replaces them all, as the page's form does)."""

    name: ShortText
    kind: ContactKind
    departement: DepartementCode
    needs: list[Need] = Field(default_factory=list, max_length=len(Need.values))
    role: RoleText = ""
    hours: ShortText = ""
    # A French number as 01 23 45 67 89, any other with its country code (+32 …).
    phone: PhoneText = ""
    email: EmailText = ""
    address: AddressText = ""


def _filters(query: DirectorySearchQuery) -> DirectoryFilters:
    # The page's form refuses a département it does not list: so does the API.
    if query.departement and departement_get(query.departement) is None:
        raise ValidationError(
            {"departement": _("Unknown département: give its code, e.g. 75, 2A or 974.")}
        )
    return DirectoryFilters(
        departement=query.departement,
        whole_region=query.whole_region,
        need=query.need.value if query.need else "",
        kind=query.kind.value if query.kind else "",
        text=query.text.strip(),
    )


def _fields(payload: DirectoryEntryIn) -> dict[str, Any]:
    data = payload.dict()
    data["kind"] = payload.kind.value
    data["needs"] = [need.value for need in payload.needs]
    return data


@router.get(
    "/directory",
    response={200: DirectoryPageOut, **COMMON_ERRORS},
    auth=token(ApiScope.DIRECTORY_READ),
    summary="Search the directory",
)
def directory_list(request: HttpRequest, query: Query[DirectorySearchQuery]) -> Any:
    """The search of the directory page: by département (or its whole région), need, kind and
    text, 50 entries a page."""
    page = directory_search(
        actor=actor_of(request), filters=_filters(query), page_number=query.page
    )
    return {
        "items": list(page.object_list),
        "page": page.number,
        "pages": page.paginator.num_pages,
        "count": page.paginator.count,
    }


@router.get(
    "/directory/{uuid:entry_uuid}",
    response={200: DirectoryEntryOut, **OBJECT_ERRORS},
    auth=token(ApiScope.DIRECTORY_READ),
    summary="Read a directory entry",
)
def directory_read(request: HttpRequest, entry_uuid: UUID) -> Any:
    entries = directory_entries_filtered(actor=actor_of(request), filters=DirectoryFilters())
    entry = entries.filter(uuid=entry_uuid).first()
    if entry is None:
        raise Http404
    return entry


@router.post(
    "/directory",
    response={201: DirectoryEntryOut, **COMMON_ERRORS},
    auth=token(ApiScope.DIRECTORY_WRITE),
    summary="Add a directory entry",
)
def directory_create(request: HttpRequest, payload: DirectoryEntryIn) -> Any:
    """An entry your organisation keeps. The phone is stored in E.164; a département, kind and
    name already in the directory are refused on ``name``."""
    entry = services.directory_entry_create(actor=actor_of(request), **_fields(payload))
    return Status(201, entry)


@router.put(
    "/directory/{uuid:entry_uuid}",
    response={200: DirectoryEntryOut, **OBJECT_ERRORS},
    auth=token(ApiScope.DIRECTORY_WRITE),
    summary="Change a directory entry",
)
def directory_update(request: HttpRequest, entry_uuid: UUID, payload: DirectoryEntryIn) -> Any:
    """Only an entry your organisation keeps (any other is a 404); every field is replaced."""
    actor = actor_of(request)
    entry = directory_entry_get_for_manager(actor=actor, entry_uuid=entry_uuid)
    return services.directory_entry_update(actor=actor, entry=entry, **_fields(payload))


@router.delete(
    "/directory/{uuid:entry_uuid}",
    response={204: None, **OBJECT_ERRORS},
    auth=token(ApiScope.DIRECTORY_WRITE),
    summary="Remove a directory entry",
)
def directory_delete(request: HttpRequest, entry_uuid: UUID) -> Any:
    """Only an entry your organisation keeps (any other is a 404)."""
    actor = actor_of(request)
    entry = directory_entry_get_for_manager(actor=actor, entry_uuid=entry_uuid)
    services.directory_entry_delete(actor=actor, entry=entry)
    return Status(204, None)
