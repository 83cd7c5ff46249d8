"""Exports in the field's standards: the organisation's HTCDS file (coordinators, after a fresh
re-authentication, audited), and a release's CTDC and annual-survey files (analysts, audited).
Thin: the files are built in vigie/monitoring/exports."""

import uuid
from abc import ABC, abstractmethod
from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from vigie.accounts.roles import Permission
from vigie.accounts.views import reauthenticated_recently, redirect_to_reauth
from vigie.audit.models import AuditAction
from vigie.audit.services import audit_record
from vigie.core.http import attachment_response
from vigie.core.views import ProtectedView

from .dimensions import build_dimensions
from .exports.ctdc import CTDC_TABLES, ctdc_csv
from .exports.htcds import HtcdsInvalid, htcds_cases, htcds_export
from .exports.htcds_columns import HTCDS_COLUMNS
from .exports.release_tables import MissingTables
from .exports.survey import SURVEY_TABLES, survey_csv
from .models import Release
from .release_files import release_slug
from .selectors_releases import release_get_published

CSV = "text/csv; charset=utf-8"


class HtcdsExportView(ProtectedView):
    """GET: what the file holds and what it never holds. POST: the file."""

    permission = Permission.STATS_CASE_EXPORT
    template_name = "monitoring/exports_htcds.html"

    def _page(
        self, request: HttpRequest, problems: Sequence[str] = (), status: int = 200
    ) -> HttpResponse:
        organisation = self.user.organisation
        context = {
            "filled": [column for column in HTCDS_COLUMNS if column.filled],
            "empty": [column.name for column in HTCDS_COLUMNS if not column.filled],
            "records": htcds_cases(organisation).count() if organisation else 0,
            "fresh": reauthenticated_recently(request),
            "problems": problems,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        # Every export of Vigie asks for the password and code again (as the summary abroad).
        if not reauthenticated_recently(request):
            return redirect_to_reauth(request)
        try:
            export = htcds_export(actor=self.actor)
        except HtcdsInvalid as invalid:
            # A mapping that writes something outside the standard is a bug: nothing is sent,
            # and the page says what is wrong, for the report to the administrators.
            return self._page(request, problems=invalid.problems, status=500)
        return attachment_response(export.content, export.filename, CSV)


class _ReleaseExportView(ProtectedView, ABC):
    """One file built from a published release (404 for an unknown or unpublished one)."""

    abstract = True
    permission = Permission.AGGREGATES_VIEW
    tables: tuple[tuple[str, ...], ...] = ()
    suffix = ""
    reason = ""
    byte_order_mark = False

    @abstractmethod
    def build(self, release: Release) -> str:
        """The file's text, from the release's published tables (MissingTables if it lacks one)."""

    def get(self, request: HttpRequest, release_uuid: uuid.UUID) -> HttpResponse:
        release = release_get_published(release_uuid)
        try:
            content = self.build(release)
        except MissingTables as missing:
            dims = build_dimensions(release.reference_date)
            context = {
                "release": release,
                "missing": [[dims[name].label for name in table] for table in missing.missing],
                "needed": [[dims[name].label for name in table] for table in self.tables],
            }
            # 409: the request is right, the release lacks what the file is made of.
            return render(request, "monitoring/exports_missing_tables.html", context, status=409)
        audit_record(
            actor=self.actor,
            action=AuditAction.RELEASE_DOWNLOAD,
            objects=[release],
            reason_code=self.reason,
        )
        if self.byte_order_mark:
            content = "\ufeff" + content
        return attachment_response(content, f"{release_slug(release)}-{self.suffix}.csv", CSV)


class ReleaseCtdcView(_ReleaseExportView):
    tables = CTDC_TABLES
    suffix = "ctdc"
    reason = "ctdc"

    def build(self, release: Release) -> str:
        return ctdc_csv(release)


class ReleaseSurveyView(_ReleaseExportView):
    tables = SURVEY_TABLES
    suffix = "enquete-annuelle"
    reason = "survey"
    # French spreadsheets need it to read UTF-8 (accents of the survey's categories).
    byte_order_mark = True

    def build(self, release: Release) -> str:
        return survey_csv(release)
