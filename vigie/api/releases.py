"""Statistics releases through the API: the published tables the release pages show, for the
monitoring analysts (``releases:read`` needs AGGREGATES_VIEW, which no case role holds).

Only published releases, and only what a release stores: numbers after differential privacy,
never a row. A cell below the threshold has no number anywhere (it was never stored): it is
answered ``count: null`` with ``suppressed: true``. Reading a table's cells is the API's
download, audited as the page's CSV and JSON downloads are; the list and a release's metadata
are not, as the pages showing them are not.
"""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema
from pydantic import StringConstraints

from vigie.audit.models import AuditAction
from vigie.audit.services import audit_record
from vigie.monitoring.dimensions import Dimension, build_dimensions
from vigie.monitoring.models import Release, ReleaseStatus
from vigie.monitoring.selectors_releases import release_get_published, releases_list
from vigie.monitoring.tables_spec import tables_format

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import PageSize

router = ScopedRouter(tags=["releases"])

# A table as the release specification writes it: "total", "form" or "form,gender".
TOTAL = "total"
TableId = Annotated[
    str,
    StringConstraints(pattern=r"^(total|[a-z_]{1,40}(,[a-z_]{1,40})?)$", max_length=81),
]


def _table_id(attributes: list[str]) -> str:
    return tables_format([attributes])


class ReleaseSummaryOut(Schema):
    uuid: UUID
    name: str
    reference_date: date
    published_at: datetime | None
    # Only the files followed during this year; every file when null.
    followed_in: int | None
    epsilon: float
    delta: float
    threshold: int


class ReleasePageOut(Schema):
    items: list[ReleaseSummaryOut]
    # Give it back as ``after`` for the next page; null on the last page.
    next: UUID | None


class ReleaseListQuery(Schema):
    after: UUID | None = None
    limit: PageSize = 50


class DimensionOut(Schema):
    code: str
    label: str


class TableSummaryOut(Schema):
    # The table's id in /releases/{uuid}/tables/{table}.
    id: str
    dimensions: list[DimensionOut]
    # False for a table estimated from the measured ones (a margin, the total).
    measured: bool
    cells: int


class ReleaseOut(ReleaseSummaryOut):
    mechanism: str
    # The release's documentation as its JSON download gives it (privacy unit, noise,
    # post-processing, interval...).
    metadata: dict[str, Any]
    tables: list[TableSummaryOut]


class CellOut(Schema):
    # The values of the table's dimensions, in its order, and their labels.
    key: list[str]
    labels: list[str]
    # null when the count is below the threshold (``suppressed``), and so are its bounds.
    count: int | None
    low_95: int | None
    high_95: int | None
    standard_error: float | None
    suppressed: bool


class TableOut(Schema):
    id: str
    dimensions: list[DimensionOut]
    measured: bool
    threshold: int
    cells: list[CellOut]


def _dimensions_out(attributes: list[str], dims: dict[str, Dimension]) -> list[dict[str, str]]:
    return [
        {"code": name, "label": str(dims[name].label) if name in dims else name}
        for name in attributes
    ]


def _release_out(release: Release) -> dict[str, Any]:
    dims = build_dimensions(release.reference_date)
    return {
        "uuid": release.uuid,
        "name": release.name,
        "reference_date": release.reference_date,
        "published_at": release.published_at,
        "followed_in": release.followed_in,
        "epsilon": release.epsilon,
        "delta": release.delta,
        "threshold": release.threshold,
        "mechanism": str(release.metadata.get("mechanism", "")),
        "metadata": release.metadata,
        "tables": [
            {
                "id": _table_id(table["attributes"]),
                "dimensions": _dimensions_out(table["attributes"], dims),
                "measured": bool(table.get("measured")),
                "cells": len(table["cells"]),
            }
            for table in release.tables
        ],
    }


def _cell_out(cell: dict[str, Any], attributes: list[str], dims: dict[str, Dimension]) -> Any:
    count = cell["count"]
    labels = [
        dims[name].value_label(value) if name in dims else value
        for name, value in zip(attributes, cell["key"], strict=True)
    ]
    suppressed = count is None
    return {
        "key": list(cell["key"]),
        "labels": labels,
        "count": None if suppressed else count,
        "low_95": None if suppressed else cell["low"],
        "high_95": None if suppressed else cell["high"],
        "standard_error": cell.get("se"),
        "suppressed": suppressed,
    }


@router.get(
    "/releases",
    response={200: ReleasePageOut, **COMMON_ERRORS},
    auth=token(ApiScope.RELEASES_READ),
    summary="List the published statistics releases",
)
def releases_published(request: HttpRequest, filters: Query[ReleaseListQuery]) -> Any:
    """Newest first. Keyset pagination: pass ``next`` back as ``after``."""
    releases = releases_list().filter(status=ReleaseStatus.PUBLISHED).order_by("-created_at", "-pk")
    if filters.after is not None:
        cursor = releases.filter(uuid=filters.after).values("created_at", "pk").first()
        if cursor is None:
            raise ValidationError({"after": _("This is not a cursor of this list.")})
        releases = releases.filter(
            Q(created_at__lt=cursor["created_at"])
            | Q(created_at=cursor["created_at"], pk__lt=cursor["pk"])
        )
    page = list(releases[: filters.limit + 1])
    more = len(page) > filters.limit
    page = page[: filters.limit]
    return {"items": page, "next": page[-1].uuid if more else None}


@router.get(
    "/releases/{uuid:release_uuid}",
    response={200: ReleaseOut, **OBJECT_ERRORS},
    auth=token(ApiScope.RELEASES_READ),
    summary="Read a release's metadata and list of tables",
)
def releases_read(request: HttpRequest, release_uuid: UUID) -> Any:
    return _release_out(release_get_published(release_uuid))


@router.get(
    "/releases/{uuid:release_uuid}/tables/{table}",
    response={200: TableOut, **OBJECT_ERRORS},
    auth=token(ApiScope.RELEASES_READ),
    summary="Read the cells of a release's table",
)
def releases_table(request: HttpRequest, release_uuid: UUID, table: TableId) -> Any:
    """``table`` is ``total``, one dimension code (``form``) or two (``form,gender``, in either
    order), as the release's metadata lists them. Audited as a download of the release."""
    release = release_get_published(release_uuid)
    wanted = [] if table == TOTAL else sorted(table.split(","))
    stored = next((t for t in release.tables if sorted(t["attributes"]) == wanted), None)
    if stored is None:
        raise Http404
    audit_record(actor=actor_of(request), action=AuditAction.RELEASE_DOWNLOAD, objects=[release])
    attributes: list[str] = stored["attributes"]
    dims = build_dimensions(release.reference_date)
    return {
        "id": _table_id(attributes),
        "dimensions": _dimensions_out(attributes, dims),
        "measured": bool(stored.get("measured")),
        "threshold": release.threshold,
        "cells": [_cell_out(cell, attributes, dims) for cell in stored["cells"]],
    }
