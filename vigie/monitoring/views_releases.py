"""Pages of the statistics releases: list, request, follow the computation, read, download.

Monitoring analysts see releases only: published tables, never a row (they have no case
permission, so every case URL answers 404 for them, see vigie/core/views.py).
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.audit.services import audit_record
from vigie.core.forms import form_errors_add
from vigie.core.http import attachment_response
from vigie.core.views import ProtectedView

from .dimensions import Dimension, build_dimensions
from .forms_releases import ReleaseForm
from .models import Release, ReleaseStatus
from .release_files import release_csv, release_json, release_slug
from .selectors_releases import release_get, release_get_published, releases_list
from .services.ledger import budget_get
from .services.releases import ReleaseRequest, release_request
from .tasks import release_compute_task


@dataclass(frozen=True)
class ShownCell:
    count: int | None
    low: int | None
    high: int | None


@dataclass(frozen=True)
class ShownTable:
    """One table laid out for the page: rows of the first dimension, columns of the second."""

    dimensions: tuple[Dimension, ...]
    columns: list[str]
    rows: list[tuple[str, list[ShownCell]]]
    measured: bool


def _shown(table: dict[str, Any], dims: dict[str, Dimension]) -> ShownTable:
    dimensions = tuple(dims[name] for name in table["attributes"])
    cells = {
        tuple(cell["key"]): ShownCell(cell["count"], cell["low"], cell["high"])
        for cell in table["cells"]
    }
    if len(dimensions) == 2:
        first, second = dimensions
        columns = [second.value_label(value) for value in second.values]
        rows = [
            (first.value_label(a), [cells[(a, b)] for b in second.values]) for a in first.values
        ]
    elif len(dimensions) == 1:
        columns = []
        rows = [(dimensions[0].value_label(a), [cells[(a,)]]) for a in dimensions[0].values]
    else:
        columns, rows = [], [("", [cells[()]])]
    return ShownTable(dimensions, columns, rows, bool(table.get("measured")))


class ReleaseListView(ProtectedView):
    permission = Permission.AGGREGATES_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "releases": releases_list(),
            "budget": budget_get(timezone.localdate().year),
            "can_create": self.user.has_vigie_permission(Permission.RELEASE_CREATE),
        }
        return render(request, "monitoring/releases/list.html", context)


class ReleaseCreateView(ProtectedView):
    permission = Permission.RELEASE_CREATE

    def _page(self, request: HttpRequest, form: ReleaseForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "budget": budget_get(timezone.localdate().year)}
        return render(request, "monitoring/releases/create.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, ReleaseForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ReleaseForm(request.POST)
        if not form.is_valid():
            return self._page(request, form, status=422)
        data = form.cleaned_data
        request_ = ReleaseRequest(
            name=data["name"],
            epsilon=data["epsilon"],
            delta=data["delta"],
            tables=data["tables"],
            threshold=data["threshold"],
            followed_in=data["followed_in"],
        )
        try:
            with transaction.atomic():
                release = release_request(actor=self.actor, request=request_)
                # After commit: the worker must find the release (and its ledger charge).
                transaction.on_commit(lambda: release_compute_task.enqueue(str(release.uuid)))
        except ValidationError as error:
            form_errors_add(form, error)
            return self._page(request, form, status=422)
        return redirect("monitoring:release_detail", release_uuid=release.uuid)


class ReleaseDetailView(ProtectedView):
    permission = Permission.AGGREGATES_VIEW

    def get(self, request: HttpRequest, release_uuid: uuid.UUID) -> HttpResponse:
        release = release_get(release_uuid)
        tables: list[ShownTable] = []
        if release.status == ReleaseStatus.PUBLISHED:
            dims = build_dimensions(release.reference_date)
            tables = [_shown(table, dims) for table in release.tables]
        context = {"release": release, "tables": tables, "running": _running(release)}
        return render(request, "monitoring/releases/detail.html", context)


def _running(release: Release) -> bool:
    return release.status in (ReleaseStatus.QUEUED, ReleaseStatus.RUNNING)


class ReleaseProgressView(ProtectedView):
    """The progress fragment the release page polls (htmx) while the release is computed;
    once it is done, the page reloads itself (HX-Refresh) to show the tables or the error."""

    permission = Permission.AGGREGATES_VIEW

    def get(self, request: HttpRequest, release_uuid: uuid.UUID) -> HttpResponse:
        release = release_get(release_uuid)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(
                {
                    "status": release.status,
                    "progress": release.progress,
                    "step": release.progress_step,
                }
            )
        response = render(
            request,
            "monitoring/releases/_progress.html",
            {"release": release, "running": _running(release)},
        )
        if not _running(release):
            response["HX-Refresh"] = "true"
        return response


class ReleaseCsvView(ProtectedView):
    permission = Permission.AGGREGATES_VIEW

    def get(self, request: HttpRequest, release_uuid: uuid.UUID) -> HttpResponse:
        release = release_get_published(release_uuid)
        audit_record(actor=self.actor, action=AuditAction.RELEASE_DOWNLOAD, objects=[release])
        return attachment_response(
            "\ufeff" + release_csv(release),
            f"{release_slug(release)}.csv",
            "text/csv; charset=utf-8",
        )


class ReleaseJsonView(ProtectedView):
    permission = Permission.AGGREGATES_VIEW

    def get(self, request: HttpRequest, release_uuid: uuid.UUID) -> HttpResponse:
        release = release_get_published(release_uuid)
        audit_record(actor=self.actor, action=AuditAction.RELEASE_DOWNLOAD, objects=[release])
        return attachment_response(
            release_json(release), f"{release_slug(release)}.json", "application/json"
        )
